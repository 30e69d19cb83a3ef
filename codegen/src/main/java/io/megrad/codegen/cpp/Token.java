package io.megrad.codegen.cpp;

/** One C++ token with the line it starts on. Alternative spellings ({@code and}, {@code or}, {@code not}) arrive as their symbols. */
record Token(Kind kind, String text, int line) {
    enum Kind { IDENT, INT, FLOAT, STRING, CHAR, PUNCT, EOF }

    boolean is(String s) {
        return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
    }

    @Override
    public String toString() {
        return kind == Kind.EOF ? "end of file" : "'" + text + "'";
    }
}
