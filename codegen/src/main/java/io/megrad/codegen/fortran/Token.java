package io.megrad.codegen.fortran;

/** A lexical token of one logical line. Dot operators are stored without dots ({@code .EQ.} → {@code EQ}). */
record Token(Kind kind, String text) {
    enum Kind { IDENT, INT, REAL, STRING, OP, DOTOP, LOGICAL, END }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOp(String t) {
        return kind == Kind.OP && text.equals(t);
    }

    boolean isIdent(String t) {
        return kind == Kind.IDENT && text.equals(t);
    }

    @Override
    public String toString() {
        return kind == Kind.END ? "end of statement" : "'" + text + "'";
    }
}
