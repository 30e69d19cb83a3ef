package io.megrad.codegen.fortran;

/**
 * Parses type specifications. The resulting kind is the byte size of a real component: REAL*8,
 * DOUBLE PRECISION, COMPLEX*16, DOUBLE COMPLEX and COMPLEX(KIND=8) all have kind 8.
 */
final class TypeSpecParser {
    private TypeSpecParser() {
    }

    /** Parses a type spec at the cursor, or returns null (cursor unchanged) when there is none. */
    static Syntax.TypeSpec tryParse(TokenCursor c) {
        int mark = c.mark();
        Token t = c.peek();
        if (t.kind() != Token.Kind.IDENT) {
            return null;
        }
        Syntax.BaseType base;
        int kind;
        switch (t.text()) {
            case "INTEGER" -> { base = Syntax.BaseType.INTEGER; kind = 4; }
            case "REAL" -> { base = Syntax.BaseType.REAL; kind = 4; }
            case "COMPLEX" -> { base = Syntax.BaseType.COMPLEX; kind = 4; }
            case "LOGICAL" -> { base = Syntax.BaseType.LOGICAL; kind = 4; }
            case "CHARACTER" -> { base = Syntax.BaseType.CHARACTER; kind = 1; }
            case "DOUBLEPRECISION" -> { base = Syntax.BaseType.REAL; kind = 8; }
            case "DOUBLECOMPLEX" -> { base = Syntax.BaseType.COMPLEX; kind = 8; }
            case "DOUBLE" -> {
                if (c.peek(1).isIdent("PRECISION")) {
                    c.next();
                    base = Syntax.BaseType.REAL;
                    kind = 8;
                } else if (c.peek(1).isIdent("COMPLEX")) {
                    c.next();
                    base = Syntax.BaseType.COMPLEX;
                    kind = 8;
                } else {
                    return null;
                }
            }
            case "TYPE" -> {
                if (!c.peek(1).isOp("(")) {
                    return null;
                }
                c.next();
                c.next();
                c.expectIdent();
                c.expectOp(")");
                return new Syntax.TypeSpec(Syntax.BaseType.DERIVED, 0);
            }
            default -> {
                return null;
            }
        }
        c.next();
        if (c.peek().isOp("*")) {
            c.next();
            if (c.acceptOp("(")) {
                // CHARACTER*(*) or CHARACTER*(N): the length does not matter for translation.
                skipToClose(c);
            } else {
                Token k = c.next();
                if (k.kind() != Token.Kind.INT) {
                    c.reset(mark);
                    return null;
                }
                kind = (int) c.parseInt(k.text());
                // COMPLEX*16 names the size of the pair; the kind is that of each component.
                if (base == Syntax.BaseType.COMPLEX) {
                    kind /= 2;
                }
            }
        } else if (c.peek().isOp("(")) {
            c.next();
            if (c.peek().kind() == Token.Kind.IDENT && c.peek(1).isOp("=")) {
                String key = c.next().text();
                c.next();
                if (key.equals("KIND") && c.peek().kind() == Token.Kind.INT) {
                    kind = (int) c.parseInt(c.next().text());
                    c.expectOp(")");
                } else {
                    skipToClose(c);
                }
            } else if (c.peek().kind() == Token.Kind.INT && c.peek(1).isOp(")")) {
                int k = (int) c.parseInt(c.next().text());
                c.next();
                if (base != Syntax.BaseType.CHARACTER) {
                    kind = k;
                }
            } else {
                skipToClose(c);
            }
        }
        return new Syntax.TypeSpec(base, kind);
    }

    private static void skipToClose(TokenCursor c) {
        int depth = 1;
        while (depth > 0) {
            Token t = c.next();
            if (t.kind() == Token.Kind.END) {
                throw c.error("unbalanced parentheses in a type specification");
            }
            if (t.isOp("(")) {
                depth++;
            } else if (t.isOp(")")) {
                depth--;
            }
        }
    }
}
