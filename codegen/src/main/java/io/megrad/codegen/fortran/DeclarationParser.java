package io.megrad.codegen.fortran;

import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;

/** Parses every statement that is neither an assignment nor block structure: declarations, CALL, RETURN, … */
final class DeclarationParser {
    private DeclarationParser() {
    }

    static Syntax.Stmt parse(TokenCursor c, String w, SourcePosition pos, LogicalLine line) {
        int mark = c.mark();
        Syntax.TypeSpec type = TypeSpecParser.tryParse(c);
        if (type != null && !c.peek().isIdent("FUNCTION")) {
            return typeDecl(c, type, pos);
        }
        c.reset(mark);
        switch (w) {
            case "IMPLICIT" -> {
                c.next();
                return implicit(c, pos);
            }
            case "DIMENSION" -> {
                c.next();
                return new Syntax.DimensionStmt(pos, entities(c));
            }
            case "PARAMETER" -> {
                c.next();
                c.expectOp("(");
                List<Syntax.Entity> defs = new ArrayList<>();
                do {
                    String name = c.expectIdent();
                    c.expectOp("=");
                    defs.add(new Syntax.Entity(name, List.of(), c.expression()));
                } while (c.acceptOp(","));
                c.expectOp(")");
                c.expectEnd();
                return new Syntax.ParameterStmt(pos, defs);
            }
            case "DATA" -> {
                c.next();
                return data(c, pos);
            }
            case "COMMON" -> {
                c.next();
                return common(c, pos);
            }
            case "SAVE" -> {
                c.next();
                List<String> names = new ArrayList<>();
                c.acceptOp("::");
                while (!c.atEnd()) {
                    if (c.acceptOp("/")) {
                        names.add("/" + c.expectIdent() + "/");
                        c.expectOp("/");
                    } else {
                        names.add(c.expectIdent());
                    }
                    if (!c.acceptOp(",")) {
                        break;
                    }
                }
                c.expectEnd();
                return new Syntax.SaveStmt(pos, names);
            }
            case "EXTERNAL", "INTRINSIC" -> {
                c.next();
                c.acceptOp("::");
                List<String> names = new ArrayList<>();
                do {
                    names.add(c.expectIdent());
                } while (c.acceptOp(","));
                c.expectEnd();
                return w.equals("EXTERNAL") ? new Syntax.ExternalStmt(pos, names) : new Syntax.IntrinsicStmt(pos, names);
            }
            case "CALL" -> {
                c.next();
                String name = c.expectIdent();
                List<Syntax.Expr> args = List.of();
                if (c.acceptOp("(")) {
                    args = c.arguments();
                }
                c.expectEnd();
                return new Syntax.Call(pos, name, args);
            }
            case "RETURN" -> {
                return simple(c, Syntax.SimpleKind.RETURN, pos, line);
            }
            case "CONTINUE" -> {
                return simple(c, Syntax.SimpleKind.CONTINUE, pos, line);
            }
            case "CYCLE" -> {
                return simple(c, Syntax.SimpleKind.CYCLE, pos, line);
            }
            case "EXIT" -> {
                return simple(c, Syntax.SimpleKind.EXIT, pos, line);
            }
            case "STOP" -> {
                return new Syntax.Simple(pos, Syntax.SimpleKind.STOP, line.label());
            }
            case "GOTO", "GO" -> {
                c.next();
                c.acceptIdent("TO");
                if (c.peek().kind() == Token.Kind.INT) {
                    int target = (int) c.parseInt(c.next().text());
                    if (c.atEnd()) {
                        return new Syntax.Goto(pos, target);
                    }
                }
                return new Syntax.Unsupported(pos, "computed or assigned GOTO");
            }
            default -> {
                return new Syntax.Unsupported(pos, "statement '" + firstWords(line.text()) + "'");
            }
        }
    }

    private static Syntax.Stmt simple(TokenCursor c, Syntax.SimpleKind kind, SourcePosition pos, LogicalLine line) {
        c.next();
        if (!c.atEnd()) {
            return new Syntax.Unsupported(pos, kind.name() + " with an argument");
        }
        return new Syntax.Simple(pos, kind, line.label());
    }

    private static String firstWords(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static Syntax.Stmt typeDecl(TokenCursor c, Syntax.TypeSpec type, SourcePosition pos) {
        boolean parameter = false;
        boolean save = false;
        List<Syntax.Dim> commonDims = null;
        if (c.peek().isOp(",") || c.findTopLevelOp("::") >= 0) {
            // F90 attribute form: TYPE, attr, attr :: names
            while (c.acceptOp(",")) {
                String attr = c.expectIdent();
                switch (attr) {
                    case "PARAMETER" -> parameter = true;
                    case "SAVE" -> save = true;
                    case "DIMENSION" -> {
                        c.expectOp("(");
                        commonDims = dims(c);
                    }
                    case "INTENT" -> {
                        c.expectOp("(");
                        c.expectIdent();
                        c.expectOp(")");
                    }
                    case "EXTERNAL", "INTRINSIC", "OPTIONAL", "TARGET" -> {
                    }
                    default -> {
                        return new Syntax.Unsupported(pos, "attribute " + attr);
                    }
                }
            }
            c.expectOp("::");
        }
        List<Syntax.Entity> entities = new ArrayList<>();
        do {
            String name = c.expectIdent();
            List<Syntax.Dim> d = commonDims == null ? List.of() : commonDims;
            if (c.acceptOp("(")) {
                d = dims(c);
            }
            if (c.peek().isOp("*")) {
                // CHARACTER NAME*20
                c.next();
                if (c.acceptOp("(")) {
                    while (!c.acceptOp(")")) {
                        c.next();
                    }
                } else {
                    c.next();
                }
            }
            Syntax.Expr init = null;
            if (c.acceptOp("=")) {
                init = c.expression();
            } else if (c.peek().isOp("/")) {
                // Old-style initialisation: REAL X/1.0/
                return new Syntax.Unsupported(pos, "initialisation in a type declaration with /…/");
            }
            entities.add(new Syntax.Entity(name, d, init));
        } while (c.acceptOp(","));
        c.expectEnd();
        return new Syntax.TypeDecl(pos, type, entities, parameter, save);
    }

    private static List<Syntax.Entity> entities(TokenCursor c) {
        List<Syntax.Entity> entities = new ArrayList<>();
        do {
            String name = c.expectIdent();
            List<Syntax.Dim> d = List.of();
            if (c.acceptOp("(")) {
                d = dims(c);
            }
            entities.add(new Syntax.Entity(name, d, null));
        } while (c.acceptOp(","));
        return entities;
    }

    /** Dimension list after its opening parenthesis. */
    private static List<Syntax.Dim> dims(TokenCursor c) {
        List<Syntax.Dim> dims = new ArrayList<>();
        do {
            if (c.peek().isOp("*")) {
                c.next();
                dims.add(new Syntax.Dim(null, null));
                continue;
            }
            Syntax.Expr first = c.expression();
            if (c.acceptOp(":")) {
                if (c.peek().isOp("*")) {
                    c.next();
                    dims.add(new Syntax.Dim(first, null));
                } else {
                    dims.add(new Syntax.Dim(first, c.expression()));
                }
            } else {
                dims.add(new Syntax.Dim(new Syntax.IntLit(1), first));
            }
        } while (c.acceptOp(","));
        c.expectOp(")");
        return dims;
    }

    private static Syntax.Stmt implicit(TokenCursor c, SourcePosition pos) {
        if (c.acceptIdent("NONE")) {
            c.expectEnd();
            return new Syntax.ImplicitStmt(pos, true, List.of());
        }
        List<Syntax.ImplicitRule> rules = new ArrayList<>();
        do {
            Syntax.TypeSpec type = TypeSpecParser.tryParse(c);
            if (type == null) {
                throw c.error("expected a type in IMPLICIT");
            }
            c.expectOp("(");
            do {
                String from = c.expectIdent();
                String to = from;
                if (c.acceptOp("-")) {
                    to = c.expectIdent();
                }
                rules.add(new Syntax.ImplicitRule(type, from.charAt(0), to.charAt(0)));
            } while (c.acceptOp(","));
            c.expectOp(")");
        } while (c.acceptOp(","));
        c.expectEnd();
        return new Syntax.ImplicitStmt(pos, false, rules);
    }

    private static Syntax.Stmt common(TokenCursor c, SourcePosition pos) {
        List<Syntax.CommonBlock> blocks = new ArrayList<>();
        String name = "";
        List<Syntax.Entity> members = new ArrayList<>();
        while (!c.atEnd()) {
            if (c.acceptOp("/")) {
                if (!members.isEmpty() || !blocks.isEmpty() || !name.isEmpty()) {
                    blocks.add(new Syntax.CommonBlock(name, members));
                    members = new ArrayList<>();
                }
                name = c.peek().isOp("/") ? "" : c.expectIdent();
                c.expectOp("/");
            } else if (c.acceptOp("//")) {
                blocks.add(new Syntax.CommonBlock(name, members));
                members = new ArrayList<>();
                name = "";
            }
            String member = c.expectIdent();
            List<Syntax.Dim> d = List.of();
            if (c.acceptOp("(")) {
                d = dims(c);
            }
            members.add(new Syntax.Entity(member, d, null));
            c.acceptOp(",");
        }
        blocks.add(new Syntax.CommonBlock(name, members));
        return new Syntax.CommonStmt(pos, blocks);
    }

    private static Syntax.Stmt data(TokenCursor c, SourcePosition pos) {
        List<Syntax.DataSet> sets = new ArrayList<>();
        while (!c.atEnd()) {
            List<Syntax.Expr> objects = new ArrayList<>();
            do {
                objects.add(dataObject(c));
            } while (c.acceptOp(","));
            c.expectOp("/");
            List<Syntax.DataValue> values = new ArrayList<>();
            do {
                Syntax.Expr first = dataConstant(c);
                if (c.acceptOp("*")) {
                    values.add(new Syntax.DataValue(first, dataConstant(c)));
                } else {
                    values.add(new Syntax.DataValue(null, first));
                }
            } while (c.acceptOp(","));
            c.expectOp("/");
            sets.add(new Syntax.DataSet(objects, values));
            c.acceptOp(",");
        }
        return new Syntax.DataStmt(pos, sets);
    }

    private static Syntax.Expr dataObject(TokenCursor c) {
        if (c.acceptOp("(")) {
            List<Syntax.Expr> items = new ArrayList<>();
            while (true) {
                if (c.peek().kind() == Token.Kind.IDENT && c.peek(1).isOp("=")) {
                    String var = c.expectIdent();
                    c.expectOp("=");
                    Syntax.Expr start = c.expression();
                    c.expectOp(",");
                    Syntax.Expr end = c.expression();
                    Syntax.Expr step = null;
                    if (c.acceptOp(",")) {
                        step = c.expression();
                    }
                    c.expectOp(")");
                    return new Syntax.ImpliedDo(items, var, start, end, step);
                }
                items.add(dataObject(c));
                c.expectOp(",");
            }
        }
        String name = c.expectIdent();
        if (c.acceptOp("(")) {
            return new Syntax.Apply(name, c.arguments());
        }
        return new Syntax.Name(name);
    }

    /** A DATA constant: literal, signed literal, named constant or complex constant. */
    private static Syntax.Expr dataConstant(TokenCursor c) {
        Token t = c.peek();
        if (t.isOp("-") || t.isOp("+")) {
            c.next();
            Syntax.Expr inner = dataConstant(c);
            return t.isOp("-") ? new Syntax.Unary("-", inner) : inner;
        }
        if (t.isOp("(")) {
            c.next();
            Syntax.Expr re = dataConstant(c);
            c.expectOp(",");
            Syntax.Expr im = dataConstant(c);
            c.expectOp(")");
            return new Syntax.ComplexLit(re, im);
        }
        Token v = c.next();
        return switch (v.kind()) {
            case INT -> new Syntax.IntLit(c.parseInt(v.text()));
            case REAL -> c.realLiteral(v.text());
            case LOGICAL -> new Syntax.LogicalLit(v.text().equals("TRUE"));
            case STRING -> new Syntax.StringLit(v.text());
            case IDENT -> new Syntax.Name(v.text());
            default -> throw c.error("expected a constant in DATA but found " + v);
        };
    }
}
