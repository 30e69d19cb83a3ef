package io.megrad.codegen.cpp;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits C++ source into tokens. Comments and preprocessor lines are dropped; the quoted
 * {@code #include} names are kept, since they are how the frontend finds the model's files.
 */
final class Lexer {
    private static final String[] PUNCT = {
            "<<=", ">>=", "...", "::", "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--",
            "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
            "{", "}", "[", "]", "(", ")", ";", ",", ".", ":", "?", "<", ">", "=", "+", "-", "*", "/", "%",
            "!", "&", "|", "^", "~"};
    private static final Map<String, String> ALTERNATIVES = Map.of(
            "and", "&&", "or", "||", "not", "!", "not_eq", "!=", "bitand", "&", "bitor", "|", "xor", "^", "compl", "~");

    private final String src;
    private final String file;
    private int pos;
    private int line = 1;
    private boolean lineStart = true;
    private final List<Token> tokens = new ArrayList<>();
    private final List<String> includes = new ArrayList<>();

    private Lexer(String src, String file) {
        this.src = src;
        this.file = file;
    }

    /** The tokens of {@code src}, ending with an EOF token. */
    static List<Token> tokens(String src, String file) {
        Lexer l = new Lexer(src, file);
        l.run();
        return l.tokens;
    }

    /** The names in {@code #include "name"} lines, in order. */
    static List<String> quotedIncludes(String src, String file) {
        Lexer l = new Lexer(src, file);
        l.run();
        return l.includes;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
                lineStart = true;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '\\' && peek(1) == '\n') {
                pos++;
            } else if (c == '/' && peek(1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new InputException(SourcePosition.of(file, line), "unterminated comment");
                }
                for (int i = pos; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                    }
                }
                pos = end + 2;
            } else if (c == '#' && lineStart) {
                preprocessor();
            } else {
                lineStart = false;
                token(c);
            }
        }
        tokens.add(new Token(Token.Kind.EOF, "", line));
    }

    private void preprocessor() {
        StringBuilder text = new StringBuilder();
        int start = line;
        while (pos < src.length() && src.charAt(pos) != '\n') {
            if (src.charAt(pos) == '\\' && peek(1) == '\n') {
                pos += 2;
                line++;
                continue;
            }
            text.append(src.charAt(pos++));
        }
        String d = text.toString().substring(1).strip();
        if (d.startsWith("include")) {
            String rest = d.substring("include".length()).strip();
            if (rest.startsWith("\"") && rest.indexOf('"', 1) > 0) {
                includes.add(rest.substring(1, rest.indexOf('"', 1)));
            }
        }
        if (d.startsWith("define") && d.substring(6).strip().split("\\s+").length > 1) {
            throw new io.megrad.runtime.UnsupportedConstructException(SourcePosition.of(file, start), "macro definition #" + d);
        }
    }

    private void token(char c) {
        int startLine = line;
        if (Character.isLetter(c) || c == '_') {
            int s = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String w = src.substring(s, pos);
            String alt = ALTERNATIVES.get(w);
            tokens.add(alt != null ? new Token(Token.Kind.PUNCT, alt, startLine) : new Token(Token.Kind.IDENT, w, startLine));
            return;
        }
        if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
            number(startLine);
            return;
        }
        if (c == '"' || c == '\'') {
            int s = ++pos;
            StringBuilder sb = new StringBuilder();
            while (pos < src.length() && src.charAt(pos) != c) {
                if (src.charAt(pos) == '\n') {
                    throw new InputException(SourcePosition.of(file, startLine), "unterminated literal");
                }
                if (src.charAt(pos) == '\\' && pos + 1 < src.length()) {
                    pos++;
                    char e = src.charAt(pos);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                    pos++;
                    continue;
                }
                sb.append(src.charAt(pos++));
            }
            if (pos >= src.length()) {
                throw new InputException(SourcePosition.of(file, startLine), "unterminated literal");
            }
            pos++;
            tokens.add(new Token(c == '"' ? Token.Kind.STRING : Token.Kind.CHAR, sb.toString(), startLine));
            return;
        }
        for (String p : PUNCT) {
            if (src.startsWith(p, pos)) {
                pos += p.length();
                tokens.add(new Token(Token.Kind.PUNCT, p, startLine));
                return;
            }
        }
        throw new InputException(SourcePosition.of(file, startLine), "unexpected character '" + c + "'");
    }

    private void number(int startLine) {
        int s = pos;
        boolean isFloat = false;
        if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            pos += 2;
            while (Character.digit(peek(0), 16) >= 0) {
                pos++;
            }
            String digits = src.substring(s + 2, pos);
            skipIntSuffix();
            long value;
            try {
                value = Long.parseUnsignedLong(digits, 16);
            } catch (NumberFormatException e) {
                throw new InputException(SourcePosition.of(file, startLine), "malformed or too large hexadecimal literal 0x" + digits);
            }
            tokens.add(new Token(Token.Kind.INT, Long.toString(value), startLine));
            return;
        }
        while (Character.isDigit(peek(0))) {
            pos++;
        }
        if (peek(0) == '.') {
            isFloat = true;
            pos++;
            while (Character.isDigit(peek(0))) {
                pos++;
            }
        }
        if (peek(0) == 'e' || peek(0) == 'E') {
            int save = pos;
            pos++;
            if (peek(0) == '+' || peek(0) == '-') {
                pos++;
            }
            if (Character.isDigit(peek(0))) {
                isFloat = true;
                while (Character.isDigit(peek(0))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String text = src.substring(s, pos);
        if (isFloat) {
            if (peek(0) == 'f' || peek(0) == 'F') {
                pos++;
                tokens.add(new Token(Token.Kind.FLOAT, text + "f", startLine));
                return;
            }
            if (peek(0) == 'l' || peek(0) == 'L') {
                throw new io.megrad.runtime.UnsupportedConstructException(SourcePosition.of(file, startLine), "long double literal " + text + peek(0));
            }
            tokens.add(new Token(Token.Kind.FLOAT, text, startLine));
        } else {
            skipIntSuffix();
            tokens.add(new Token(Token.Kind.INT, text, startLine));
        }
        if (Character.isLetterOrDigit(peek(0)) || peek(0) == '_') {
            throw new InputException(SourcePosition.of(file, startLine), "malformed number " + text + peek(0));
        }
    }

    private void skipIntSuffix() {
        while ("uUlL".indexOf(peek(0)) >= 0 && peek(0) != '\0') {
            pos++;
        }
    }
}
