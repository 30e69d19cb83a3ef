package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits a file's logical lines into program units by their header and END lines. */
final class UnitSplitter {
    private static final Pattern UNIT_END = Pattern.compile(
            "END(\\s*(SUBROUTINE|FUNCTION|PROGRAM|MODULE|BLOCK\\s*DATA)(\\s+\\w+)?)?");

    private UnitSplitter() {
    }

    static List<SourceUnit> split(List<LogicalLine> lines) {
        List<SourceUnit> units = new ArrayList<>();
        Header open = null;
        List<LogicalLine> body = null;
        String module = null;
        Header moduleHeader = null;
        List<LogicalLine> moduleSpec = null;
        for (LogicalLine line : lines) {
            String text = line.text();
            if (open == null) {
                if (module != null && moduleSpec != null) {
                    if (text.equals("CONTAINS")) {
                        units.add(new SourceUnit(Syntax.UnitKind.MODULE, module, null, List.of(), moduleSpec, moduleHeader.pos, null));
                        moduleSpec = null;
                        continue;
                    }
                    if (isUnitEnd(text)) {
                        units.add(new SourceUnit(Syntax.UnitKind.MODULE, module, null, List.of(), moduleSpec, moduleHeader.pos, null));
                        module = null;
                        moduleSpec = null;
                        continue;
                    }
                    moduleSpec.add(line);
                    continue;
                }
                if (module != null && isUnitEnd(text)) {
                    module = null;
                    continue;
                }
                Header h = header(line);
                if (h == null) {
                    throw new InputException(line.position(), "statement outside a SUBROUTINE or FUNCTION: " + abbreviate(text));
                }
                if (h.kind == Syntax.UnitKind.MODULE) {
                    module = h.name;
                    moduleHeader = h;
                    moduleSpec = new ArrayList<>();
                    continue;
                }
                open = h;
                body = new ArrayList<>();
            } else if (isUnitEnd(text)) {
                units.add(new SourceUnit(open.kind, open.name, open.resultType, open.params, body, open.pos, module));
                open = null;
            } else if (text.equals("CONTAINS")) {
                throw new InputException(line.position(), "unsupported CONTAINS inside " + open.name);
            } else {
                body.add(line);
            }
        }
        if (open != null) {
            throw new InputException(open.pos, open.kind.name().toLowerCase() + " " + open.name + " has no END");
        }
        if (module != null) {
            throw new InputException(moduleHeader.pos, "MODULE " + module + " has no END MODULE");
        }
        return units;
    }

    static boolean isUnitEnd(String text) {
        return UNIT_END.matcher(text).matches();
    }

    private record Header(Syntax.UnitKind kind, String name, Syntax.TypeSpec resultType, List<String> params, SourcePosition pos) {
    }

    private static Header header(LogicalLine line) {
        List<Token> tokens = Lexer.tokenize(line.text(), line.position());
        TokenCursor c = new TokenCursor(tokens, line.position());
        if (c.peek().isIdent("MODULE") && c.peek(1).kind() == Token.Kind.IDENT && c.peek(2).kind() == Token.Kind.END) {
            return new Header(Syntax.UnitKind.MODULE, c.peek(1).text(), null, List.of(), line.position());
        }
        if (c.peek().isIdent("PROGRAM")) {
            c.next();
            return new Header(Syntax.UnitKind.PROGRAM, c.expectIdent(), null, List.of(), line.position());
        }
        if (c.peek().isIdent("BLOCKDATA") || c.peek().isIdent("BLOCK") && c.peek(1).isIdent("DATA")) {
            String name = "";
            c.next();
            c.acceptIdent("DATA");
            if (c.peek().kind() == Token.Kind.IDENT) {
                name = c.next().text();
            }
            return new Header(Syntax.UnitKind.BLOCK_DATA, name, null, List.of(), line.position());
        }
        int mark = c.mark();
        // Prefixes such as RECURSIVE, PURE, ELEMENTAL carry no meaning for translation.
        while (c.acceptIdent("RECURSIVE") || c.acceptIdent("PURE") || c.acceptIdent("ELEMENTAL")) {
            mark = c.mark();
        }
        if (c.acceptIdent("SUBROUTINE")) {
            String name = c.expectIdent();
            return new Header(Syntax.UnitKind.SUBROUTINE, name, null, params(c), line.position());
        }
        c.reset(mark);
        Syntax.TypeSpec type = null;
        if (!c.peek().isIdent("FUNCTION")) {
            type = TypeSpecParser.tryParse(c);
            if (type == null) {
                return null;
            }
        }
        if (!c.acceptIdent("FUNCTION")) {
            return null;
        }
        String name = c.expectIdent();
        return new Header(Syntax.UnitKind.FUNCTION, name, type, params(c), line.position());
    }

    private static List<String> params(TokenCursor c) {
        List<String> params = new ArrayList<>();
        if (c.acceptOp("(")) {
            if (!c.acceptOp(")")) {
                do {
                    params.add(c.expectIdent());
                } while (c.acceptOp(","));
                c.expectOp(")");
            }
        }
        if (c.acceptIdent("RESULT")) {
            throw c.error("unsupported FUNCTION ... RESULT(...)");
        }
        c.expectEnd();
        return params;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
