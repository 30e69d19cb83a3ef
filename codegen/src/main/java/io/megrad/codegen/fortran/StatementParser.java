package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;

/** Parses the body lines of a program unit into nested statements (IF blocks and DO loops resolved). */
final class StatementParser {
    /** Deepest nesting of IF and DO blocks; far beyond MadGraph's, and short of overflowing the stack. */
    static final int MAX_BLOCK_NESTING = 200;

    private final List<LogicalLine> lines;
    private int next;
    private int blockDepth;

    private StatementParser(List<LogicalLine> lines) {
        this.lines = lines;
    }

    static List<Syntax.Stmt> parse(List<LogicalLine> lines) {
        StatementParser p = new StatementParser(lines);
        return p.block(Terminator.UNIT, 0);
    }

    /** What closes the block being read. */
    private enum Terminator { UNIT, ENDIF, ENDDO, LABEL }

    /** Markers for the lines that end or split blocks. */
    private sealed interface Line permits Marker, Full {
    }

    private record Marker(String kind, Syntax.Expr condition, LogicalLine line) implements Line {
    }

    private record Full(Syntax.Stmt stmt) implements Line {
    }

    private Marker lastMarker;

    private List<Syntax.Stmt> block(Terminator until, int label) {
        if (until != Terminator.UNIT && ++blockDepth > MAX_BLOCK_NESTING) {
            throw new InputException(lines.get(next - 1).position(), "IF and DO blocks nested more than "
                    + MAX_BLOCK_NESTING + " deep");
        }
        try {
            return statements(until, label);
        } finally {
            if (until != Terminator.UNIT) {
                blockDepth--;
            }
        }
    }

    private List<Syntax.Stmt> statements(Terminator until, int label) {
        List<Syntax.Stmt> out = new ArrayList<>();
        while (next < lines.size()) {
            LogicalLine line = lines.get(next++);
            Line parsed = parseLine(line);
            if (parsed instanceof Marker m) {
                switch (m.kind()) {
                    case "ENDIF", "ELSE", "ELSEIF" -> {
                        if (until != Terminator.ENDIF) {
                            throw new InputException(line.position(), "syntax error: " + m.kind() + " without IF ... THEN");
                        }
                        lastMarker = m;
                        return out;
                    }
                    case "ENDDO" -> {
                        if (until != Terminator.ENDDO) {
                            throw new InputException(line.position(), "syntax error: END DO without DO");
                        }
                        return out;
                    }
                    case "IF" -> out.add(ifBlock(m));
                    default -> throw new IllegalStateException(m.kind());
                }
            } else {
                Syntax.Stmt s = ((Full) parsed).stmt();
                if (s instanceof PendingDo d) {
                    s = finishDo(d);
                }
                out.add(s);
            }
            if (until == Terminator.LABEL && line.label() == label) {
                return out;
            }
        }
        if (until == Terminator.UNIT) {
            return out;
        }
        throw new InputException(lines.isEmpty() ? null : lines.get(lines.size() - 1).position(),
                "syntax error: missing " + (until == Terminator.ENDIF ? "END IF" : until == Terminator.ENDDO ? "END DO" : "statement labelled " + label));
    }

    private Syntax.Stmt ifBlock(Marker opening) {
        List<Syntax.Branch> branches = new ArrayList<>();
        Syntax.Expr cond = opening.condition();
        SourcePosition pos = opening.line().position();
        while (true) {
            List<Syntax.Stmt> body = block(Terminator.ENDIF, 0);
            branches.add(new Syntax.Branch(pos, cond, body));
            Marker m = lastMarker;
            switch (m.kind()) {
                case "ENDIF" -> {
                    return new Syntax.IfBlock(opening.line().position(), branches);
                }
                case "ELSE" -> {
                    cond = null;
                    pos = m.line().position();
                }
                case "ELSEIF" -> {
                    cond = m.condition();
                    pos = m.line().position();
                }
                default -> throw new IllegalStateException(m.kind());
            }
        }
    }

    /** A DO header whose body has not been read yet (internal to the parser). */
    record PendingDo(SourcePosition pos, int label, String var, Syntax.Expr start, Syntax.Expr end, Syntax.Expr step,
                             Syntax.Expr whileCondition, boolean isWhile) implements Syntax.Stmt {
    }

    private Syntax.Stmt finishDo(PendingDo d) {
        List<Syntax.Stmt> body = d.label() > 0 ? block(Terminator.LABEL, d.label()) : block(Terminator.ENDDO, 0);
        if (d.isWhile()) {
            return new Syntax.DoWhile(d.pos(), d.whileCondition(), body);
        }
        return new Syntax.DoLoop(d.pos(), d.var(), d.start(), d.end(), d.step(), body);
    }

    private Line parseLine(LogicalLine line) {
        String text = line.text();
        SourcePosition pos = line.position();
        TokenCursor c = new TokenCursor(Lexer.tokenize(text, pos), pos);
        Token first = c.peek();
        if (first.kind() != Token.Kind.IDENT) {
            throw c.error("a statement cannot start with " + first);
        }
        String w = first.text();
        // Block structure first.
        if (w.equals("ENDIF") || w.equals("END") && c.peek(1).isIdent("IF")) {
            return new Marker("ENDIF", null, line);
        }
        if (w.equals("ENDDO") || w.equals("END") && c.peek(1).isIdent("DO")) {
            return new Marker("ENDDO", null, line);
        }
        if (w.equals("ELSEIF") || w.equals("ELSE") && c.peek(1).isIdent("IF")) {
            c.next();
            if (w.equals("ELSE")) {
                c.next();
            }
            c.expectOp("(");
            Syntax.Expr cond = c.expression();
            c.expectOp(")");
            if (!c.acceptIdent("THEN")) {
                throw c.error("expected THEN after ELSE IF (...)");
            }
            c.expectEnd();
            return new Marker("ELSEIF", cond, line);
        }
        if (w.equals("ELSE") && c.peek(1).kind() == Token.Kind.END) {
            return new Marker("ELSE", null, line);
        }
        if (isAssignment(c)) {
            return new Full(assignment(c));
        }
        if (w.equals("IF") && c.peek(1).isOp("(")) {
            c.next();
            c.next();
            Syntax.Expr cond = c.expression();
            c.expectOp(")");
            if (c.peek().isIdent("THEN") && c.peek(1).kind() == Token.Kind.END) {
                return new Marker("IF", cond, line);
            }
            if (c.peek().kind() == Token.Kind.INT) {
                return new Full(new Syntax.Unsupported(pos, "arithmetic IF"));
            }
            // One-line IF: the rest is an ordinary statement.
            int rest = c.mark();
            LogicalLine tail = new LogicalLine(remainder(c, rest), 0, pos);
            Line inner = parseLine(tail);
            if (!(inner instanceof Full f) || f.stmt() instanceof PendingDo) {
                throw c.error("a one-line IF must hold a simple statement");
            }
            return new Full(new Syntax.LogicalIf(pos, cond, f.stmt()));
        }
        if (w.equals("DO") || w.equals("DOWHILE")) {
            return new Full(doHeader(c, pos));
        }
        return new Full(DeclarationParser.parse(c, w, pos, line));
    }

    /** Re-lexes the rest of a one-line IF so that nested parsing sees a fresh statement. */
    private static String remainder(TokenCursor c, int mark) {
        StringBuilder sb = new StringBuilder();
        c.reset(mark);
        while (!c.atEnd()) {
            Token t = c.next();
            switch (t.kind()) {
                case STRING -> sb.append('\'').append(t.text().replace("'", "''")).append('\'');
                case DOTOP, LOGICAL -> sb.append('.').append(t.text()).append('.');
                default -> sb.append(t.text());
            }
            sb.append(' ');
        }
        return sb.toString().strip();
    }

    private Syntax.Stmt doHeader(TokenCursor c, SourcePosition pos) {
        String w = c.next().text();
        boolean whileForm = w.equals("DOWHILE");
        int label = 0;
        if (!whileForm && c.peek().kind() == Token.Kind.INT) {
            label = (int) c.parseInt(c.next().text());
            c.acceptOp(",");
        }
        if (!whileForm && c.acceptIdent("WHILE")) {
            whileForm = true;
        }
        if (whileForm) {
            c.expectOp("(");
            Syntax.Expr cond = c.expression();
            c.expectOp(")");
            c.expectEnd();
            return new PendingDo(pos, label, null, null, null, null, cond, true);
        }
        if (c.atEnd()) {
            return new PendingDo(pos, label, null, null, null, null, null, true);
        }
        String var = c.expectIdent();
        c.expectOp("=");
        Syntax.Expr start = c.expression();
        c.expectOp(",");
        Syntax.Expr end = c.expression();
        Syntax.Expr step = null;
        if (c.acceptOp(",")) {
            step = c.expression();
        }
        c.expectEnd();
        return new PendingDo(pos, label, var, start, end, step, null, false);
    }

    /** NAME = … or NAME(…) = … at top level (Fortran has no reserved words, so this is decided by shape). */
    private static boolean isAssignment(TokenCursor c) {
        int mark = c.mark();
        try {
            c.next();
            if (c.peek().isOp("(")) {
                int depth = 0;
                do {
                    Token t = c.next();
                    if (t.isOp("(")) {
                        depth++;
                    } else if (t.isOp(")")) {
                        depth--;
                    } else if (t.kind() == Token.Kind.END) {
                        return false;
                    }
                } while (depth > 0);
                // Substring of an array element: A(I)(1:2) = ...
                if (c.peek().isOp("(")) {
                    return false;
                }
            }
            return c.peek().isOp("=");
        } finally {
            c.reset(mark);
        }
    }

    private static Syntax.Stmt assignment(TokenCursor c) {
        SourcePosition pos = c.pos();
        String name = c.expectIdent();
        Syntax.Expr target;
        if (c.acceptOp("(")) {
            target = new Syntax.Apply(name, c.arguments());
        } else {
            target = new Syntax.Name(name);
        }
        c.expectOp("=");
        Syntax.Expr value = c.expression();
        c.expectEnd();
        return new Syntax.Assign(pos, target, value);
    }
}
