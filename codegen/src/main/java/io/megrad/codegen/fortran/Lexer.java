package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits one (already upper-cased) logical line into tokens. */
final class Lexer {
    private static final Set<String> DOT_OPERATORS = Set.of(
            "EQ", "NE", "LT", "LE", "GT", "GE", "AND", "OR", "NOT", "EQV", "NEQV", "TRUE", "FALSE", "XOR");

    private Lexer() {
    }

    static List<Token> tokenize(String s, SourcePosition pos) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(Token.Kind.IDENT, s.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                i = number(s, i, out);
            } else if (c == '.') {
                int j = i + 1;
                while (j < n && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i + 1, j);
                if (j < n && s.charAt(j) == '.' && DOT_OPERATORS.contains(word)) {
                    if (word.equals("TRUE") || word.equals("FALSE")) {
                        out.add(new Token(Token.Kind.LOGICAL, word));
                    } else {
                        out.add(new Token(Token.Kind.DOTOP, word));
                    }
                    i = j + 1;
                } else {
                    throw new InputException(pos, "cannot read '" + s.substring(i, Math.min(n, j + 1)) + "'");
                }
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw new InputException(pos, "unterminated string literal");
                    }
                    char d = s.charAt(j);
                    if (d == c) {
                        if (j + 1 < n && s.charAt(j + 1) == c) {
                            sb.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(new Token(Token.Kind.STRING, sb.toString()));
                i = j + 1;
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                switch (two) {
                    case "**", "//", "==", "/=", "<=", ">=", "::" -> {
                        out.add(new Token(Token.Kind.OP, two));
                        i += 2;
                        continue;
                    }
                    default -> {
                    }
                }
                if ("+-*/(),=:<>%".indexOf(c) >= 0) {
                    out.add(new Token(Token.Kind.OP, String.valueOf(c)));
                    i++;
                } else {
                    throw new InputException(pos, "unexpected character '" + c + "'");
                }
            }
        }
        out.add(new Token(Token.Kind.END, ""));
        return out;
    }

    private static int skipBlanks(String s, int k) {
        while (k < s.length() && s.charAt(k) == ' ') {
            k++;
        }
        return k;
    }

    /** Reads an integer or real literal; {@code 1.EQ.2} is the integer 1 followed by {@code .EQ.}. */
    private static int number(String s, int i, List<Token> out) {
        int n = s.length();
        int j = i;
        while (j < n && Character.isDigit(s.charAt(j))) {
            j++;
        }
        boolean real = false;
        if (j < n && s.charAt(j) == '.') {
            int k = j + 1;
            while (k < n && Character.isLetter(s.charAt(k))) {
                k++;
            }
            String word = s.substring(j + 1, k);
            boolean dotOperator = k < n && s.charAt(k) == '.' && DOT_OPERATORS.contains(word);
            if (!dotOperator) {
                real = true;
                j++;
                while (j < n && Character.isDigit(s.charAt(j))) {
                    j++;
                }
            }
        }
        String exponent = "";
        if (j < n && "EDQ".indexOf(s.charAt(j)) >= 0) {
            // Blanks are insignificant in fixed form; MadGraph's line splitting puts them inside
            // exponents ("1.0D" + continuation " +00").
            int k = skipBlanks(s, j + 1);
            StringBuilder exp = new StringBuilder().append(s.charAt(j));
            if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                exp.append(s.charAt(k));
                k = skipBlanks(s, k + 1);
            }
            if (k < n && Character.isDigit(s.charAt(k))) {
                while (k < n && Character.isDigit(s.charAt(k))) {
                    exp.append(s.charAt(k));
                    k++;
                }
                real = true;
                exponent = exp.toString();
                j = k;
            }
        }
        String text = exponent.isEmpty() ? s.substring(i, j) : s.substring(i, s.indexOf(exponent.charAt(0), i)) + exponent;
        // A kind suffix such as 1.0_8 or 1_dp.
        if (j < n && s.charAt(j) == '_') {
            int k = j + 1;
            while (k < n && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_')) {
                k++;
            }
            text = text + s.substring(j, k);
            j = k;
        }
        out.add(new Token(real ? Token.Kind.REAL : Token.Kind.INT, text));
        return j;
    }
}
