package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;

/** A cursor over one statement's tokens, with the expression grammar of Fortran 77 (plus a few F90 forms). */
final class TokenCursor {
    /**
     * Deepest nesting of parentheses, unary operators and {@code **} in one expression. MadGraph's
     * code stays far below; a hostile input nested thousands deep would overflow the stack here or
     * in the lowering instead of getting an error with its line.
     */
    static final int MAX_NESTING = 200;

    private final List<Token> tokens;
    private final SourcePosition pos;
    private int i;
    private int depth;

    TokenCursor(List<Token> tokens, SourcePosition pos) {
        this.tokens = tokens;
        this.pos = pos;
    }

    SourcePosition pos() {
        return pos;
    }

    Token peek() {
        return tokens.get(i);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Token.Kind.END) {
            i++;
        }
        return t;
    }

    int mark() {
        return i;
    }

    void reset(int mark) {
        i = mark;
    }

    boolean atEnd() {
        return peek().kind() == Token.Kind.END;
    }

    boolean acceptOp(String op) {
        if (peek().isOp(op)) {
            i++;
            return true;
        }
        return false;
    }

    boolean acceptIdent(String word) {
        if (peek().isIdent(word)) {
            i++;
            return true;
        }
        return false;
    }

    void expectOp(String op) {
        if (!acceptOp(op)) {
            throw error("expected '" + op + "' but found " + peek());
        }
    }

    String expectIdent() {
        Token t = next();
        if (t.kind() != Token.Kind.IDENT) {
            throw error("expected a name but found " + t);
        }
        return t.text();
    }

    void expectEnd() {
        if (!atEnd()) {
            throw error("unexpected " + peek() + " after the end of the statement");
        }
    }

    InputException error(String message) {
        return new InputException(pos, "syntax error: " + message);
    }

    /** Index of the first top-level token equal to the op, or -1. */
    int findTopLevelOp(String op) {
        int depth = 0;
        for (int k = i; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.isOp("(")) {
                depth++;
            } else if (t.isOp(")")) {
                depth--;
            } else if (depth == 0 && t.isOp(op)) {
                return k - i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ expressions

    Syntax.Expr expression() {
        enter();
        try {
            Syntax.Expr left = orExpr();
            while (peek().kind() == Token.Kind.DOTOP && (peek().text().equals("EQV") || peek().text().equals("NEQV") || peek().text().equals("XOR"))) {
                String op = next().text();
                left = new Syntax.Binary(op.equals("XOR") ? "NEQV" : op, left, orExpr());
            }
            return left;
        } finally {
            depth--;
        }
    }

    private void enter() {
        if (++depth > MAX_NESTING) {
            depth = 0; // the statement is rejected; the cursor is not used again
            throw error("expression nested more than " + MAX_NESTING + " deep");
        }
    }

    private Syntax.Expr orExpr() {
        Syntax.Expr left = andExpr();
        while (peek().is(Token.Kind.DOTOP, "OR")) {
            next();
            left = new Syntax.Binary("OR", left, andExpr());
        }
        return left;
    }

    private Syntax.Expr andExpr() {
        Syntax.Expr left = notExpr();
        while (peek().is(Token.Kind.DOTOP, "AND")) {
            next();
            left = new Syntax.Binary("AND", left, notExpr());
        }
        return left;
    }

    private Syntax.Expr notExpr() {
        if (peek().is(Token.Kind.DOTOP, "NOT")) {
            next();
            enter();
            try {
                return new Syntax.Unary("NOT", notExpr());
            } finally {
                depth--;
            }
        }
        return relExpr();
    }

    private Syntax.Expr relExpr() {
        Syntax.Expr left = concatExpr();
        String op = relationalOp(peek());
        if (op != null) {
            next();
            return new Syntax.Binary(op, left, concatExpr());
        }
        return left;
    }

    private static String relationalOp(Token t) {
        if (t.kind() == Token.Kind.DOTOP) {
            return switch (t.text()) {
                case "EQ", "NE", "LT", "LE", "GT", "GE" -> t.text();
                default -> null;
            };
        }
        if (t.kind() == Token.Kind.OP) {
            return switch (t.text()) {
                case "==" -> "EQ";
                case "/=" -> "NE";
                case "<" -> "LT";
                case "<=" -> "LE";
                case ">" -> "GT";
                case ">=" -> "GE";
                default -> null;
            };
        }
        return null;
    }

    private Syntax.Expr concatExpr() {
        Syntax.Expr left = addExpr();
        while (peek().isOp("//")) {
            next();
            left = new Syntax.Binary("//", left, addExpr());
        }
        return left;
    }

    private Syntax.Expr addExpr() {
        Syntax.Expr left;
        if (peek().isOp("-") || peek().isOp("+")) {
            String op = next().text();
            Syntax.Expr term = mulExpr();
            left = op.equals("-") ? new Syntax.Unary("-", term) : term;
        } else {
            left = mulExpr();
        }
        while (peek().isOp("+") || peek().isOp("-")) {
            String op = next().text();
            left = new Syntax.Binary(op, left, mulExpr());
        }
        return left;
    }

    private Syntax.Expr mulExpr() {
        Syntax.Expr left = powExpr();
        while (peek().isOp("*") || peek().isOp("/")) {
            String op = next().text();
            left = new Syntax.Binary(op, left, powExpr());
        }
        return left;
    }

    private Syntax.Expr powExpr() {
        // gfortran accepts a sign right after an operator (A*-B, A**-2); it binds to the following power.
        if (peek().isOp("-") || peek().isOp("+")) {
            String op = next().text();
            Syntax.Expr e = nestedPowExpr();
            return op.equals("-") ? new Syntax.Unary("-", e) : e;
        }
        Syntax.Expr base = primary();
        if (peek().isOp("**")) {
            next();
            return new Syntax.Binary("**", base, nestedPowExpr());
        }
        return base;
    }

    private Syntax.Expr nestedPowExpr() {
        enter();
        try {
            return powExpr();
        } finally {
            depth--;
        }
    }

    private Syntax.Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case INT:
                return new Syntax.IntLit(parseInt(t.text()));
            case REAL:
                return realLiteral(t.text());
            case LOGICAL:
                return new Syntax.LogicalLit(t.text().equals("TRUE"));
            case STRING:
                return new Syntax.StringLit(t.text());
            case IDENT:
                if (peek().isOp("(")) {
                    next();
                    List<Syntax.Expr> args = arguments();
                    return new Syntax.Apply(t.text(), args);
                }
                return new Syntax.Name(t.text());
            case OP:
                if (t.text().equals("(")) {
                    Syntax.Expr first = expression();
                    if (acceptOp(",")) {
                        Syntax.Expr second = expression();
                        expectOp(")");
                        return new Syntax.ComplexLit(first, second);
                    }
                    expectOp(")");
                    return first;
                }
                throw error("unexpected " + t);
            default:
                throw error("unexpected " + t);
        }
    }

    /** Arguments after the opening parenthesis, through the closing one. */
    List<Syntax.Expr> arguments() {
        List<Syntax.Expr> args = new ArrayList<>();
        if (acceptOp(")")) {
            return args;
        }
        do {
            args.add(argument());
        } while (acceptOp(","));
        expectOp(")");
        return args;
    }

    private Syntax.Expr argument() {
        if (peek().isOp(":")) {
            next();
            Syntax.Expr hi = peek().isOp(",") || peek().isOp(")") ? null : expression();
            return new Syntax.Range(null, hi);
        }
        // Keyword arguments (KIND=8) are not part of MadGraph's output; reject clearly.
        if (peek().kind() == Token.Kind.IDENT && peek(1).isOp("=")) {
            throw error("keyword argument '" + peek().text() + "=' is not supported");
        }
        Syntax.Expr e = expression();
        if (acceptOp(":")) {
            Syntax.Expr hi = peek().isOp(",") || peek().isOp(")") ? null : expression();
            return new Syntax.Range(e, hi);
        }
        return e;
    }

    long parseInt(String text) {
        String digits = text.contains("_") ? text.substring(0, text.indexOf('_')) : text;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("integer literal out of range: " + text);
        }
    }

    Syntax.RealLit realLiteral(String text) {
        String body = text;
        boolean dbl = false;
        int underscore = body.indexOf('_');
        if (underscore >= 0) {
            String kind = body.substring(underscore + 1);
            body = body.substring(0, underscore);
            dbl = !kind.equals("4");
        }
        if (body.indexOf('D') >= 0 || body.indexOf('Q') >= 0) {
            dbl = true;
            body = body.replace('D', 'E').replace('Q', 'E');
        }
        try {
            // Default-kind REAL literals are single precision in Fortran; keep exactly the float value.
            double v = dbl ? Double.parseDouble(body) : (double) Float.parseFloat(body);
            return new Syntax.RealLit(v, dbl, text);
        } catch (NumberFormatException e) {
            throw error("bad real literal " + text);
        }
    }
}
