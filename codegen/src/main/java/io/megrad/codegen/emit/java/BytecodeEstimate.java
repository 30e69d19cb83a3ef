package io.megrad.codegen.emit.java;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upper estimate of the bytecode javac makes of generated straight-line Java: 4 bytes per name
 * read or written (a wide local load or store, once a method has more than 256 locals), 3 per number
 * literal, 2 per array subscript and 1 per operator. Measured against javac on every corpus port's
 * largest methods, actual/estimate lies between 0.46 and 0.79, so an estimate of 8,500 keeps a
 * method under HotSpot's 8,000-byte JIT limit (at most about 6,700 bytes), where a count of
 * characters, whose ratio to bytes varies from 0.10 to 0.24 with the shape of the code, cannot.
 */
final class BytecodeEstimate {
    /** Estimates at or below this keep a method JIT-compilable. */
    static final int LIMIT = 8_500;

    private static final Pattern TOKEN = Pattern.compile(
            "//[^\\n]*|[A-Za-z_$][\\w$]*|\\d+\\.\\d*(?:[eE]-?\\d+)?|\\d+|[-+*/<>=!]=?|\\[");
    private static final Set<String> KEYWORDS = Set.of("final", "double", "int", "boolean", "if", "else", "return", "new",
            "private", "void", "true", "false", "Math", "io", "megrad", "runtime", "Cx");

    private BytecodeEstimate() {
    }

    static int of(CharSequence code) {
        int bytes = 0;
        Matcher m = TOKEN.matcher(code);
        while (m.find()) {
            String t = m.group();
            char c = t.charAt(0);
            if (t.startsWith("//")) {
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$') {
                bytes += KEYWORDS.contains(t) ? 0 : 4;
            } else if (Character.isDigit(c)) {
                bytes += 3;
            } else if (c == '[') {
                bytes += 2;
            } else if (!t.equals("=")) {
                bytes += 1;
            }
        }
        return bytes;
    }
}
