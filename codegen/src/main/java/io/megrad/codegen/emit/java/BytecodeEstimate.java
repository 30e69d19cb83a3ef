package io.megrad.codegen.emit.java;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upper estimate of the bytecode javac makes of generated straight-line Java: per name read or
 * written, 2 bytes for a local declared in the code at hand whose slot stays below 256 (javac reuses
 * the slots of a closed block, which the estimate follows), 4 for anything else (a wide local load or
 * store, a field access); 3 per number literal, 2 per array subscript and 1 per operator. The
 * locals and parameters declared outside the code take {@code baseSlots} slots before it.
 *
 * <p>Measured against javac on every corpus port's methods of 1,500 bytes and more (primal, forward
 * and reverse, Fortran and C++ outputs), actual/estimate lies between 0.66 and 1.00 (the old rule,
 * 4 bytes per name, gave 0.46 to 0.84: it split code that would have fitted). {@link #LIMIT} keeps
 * the largest generated method at about 6,900 bytes, under HotSpot's 8,000-byte JIT limit with 9%
 * to spare for code unlike the corpus's.
 */
final class BytecodeEstimate {
    /** Estimates at or below this keep a method JIT-compilable (at most 7,300 bytes at the highest ratio measured). */
    static final int LIMIT = 7_300;
    /** Slots taken before the code when nothing better is known: every local of the code counts as wide. */
    static final int UNKNOWN_BASE = 256;

    private static final Pattern TOKEN = Pattern.compile(
            "//[^\\n]*|[A-Za-z_$][\\w$]*|\\d+\\.\\d*(?:[eE]-?\\d+)?|\\d+|[-+*/<>=!]=?|[\\[{},;()]");
    private static final Set<String> KEYWORDS = Set.of("final", "double", "int", "boolean", "long", "if", "else", "return", "new",
            "private", "void", "true", "false", "Math", "io", "megrad", "runtime", "Cx");

    private BytecodeEstimate() {
    }

    /** The estimate of {@code code} when the slots before it are unknown. */
    static int of(CharSequence code) {
        return of(code, UNKNOWN_BASE);
    }

    /** The estimate of {@code code} placed after {@code baseSlots} slots of parameters and locals. */
    static int of(CharSequence code, int baseSlots) {
        int bytes = 0;
        Map<String, Integer> slotOf = new HashMap<>();
        Deque<Integer> blocks = new ArrayDeque<>();
        int next = baseSlots;
        int declaringSlots = 0;
        String prev = "";
        String prev2 = "";
        Matcher m = TOKEN.matcher(code);
        while (m.find()) {
            String t = m.group();
            char c = t.charAt(0);
            if (t.startsWith("//")) {
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$') {
                if (!KEYWORDS.contains(t)) {
                    int size = declaredSize(prev, prev2, declaringSlots);
                    if (size > 0) {
                        slotOf.put(t, next);
                        next += size;
                        declaringSlots = size;
                    }
                    Integer slot = slotOf.get(t);
                    bytes += slot != null && slot + 2 <= 256 ? 2 : 4;
                }
            } else if (Character.isDigit(c)) {
                bytes += 3;
            } else if (c == '[') {
                bytes += 2;
            } else if (c == '{') {
                blocks.push(next);
            } else if (c == '}') {
                if (!blocks.isEmpty()) {
                    int restored = blocks.pop();
                    final int limit = restored;
                    slotOf.values().removeIf(s -> s >= limit);
                    next = restored;
                }
            } else if (c == ';') {
                declaringSlots = 0;
            } else if (c != ',' && c != '(' && c != ')' && !t.equals("=")) {
                bytes += 1;
            }
            prev2 = prev;
            prev = t;
        }
        return bytes;
    }

    /** Slots of the name after {@code prev2 prev} when that is a declaration (0 when it is not). */
    private static int declaredSize(String prev, String prev2, int declaringSlots) {
        if (prev.equals("double") || prev.equals("long")) {
            return 2;
        }
        if (prev.equals("int") || prev.equals("boolean") || prev.equals("[") && (prev2.equals("double") || prev2.equals("int"))) {
            return 1;
        }
        // "double a = 0.0, b = 0.0": a further name of the same declaration follows a literal and a comma.
        if (prev.equals(",") && declaringSlots > 0 && !prev2.isEmpty() && Character.isDigit(prev2.charAt(0))) {
            return declaringSlots;
        }
        return 0;
    }

    /** Slots of a method's parameters written as Java ({@code "double[] F1"}, {@code "double COUP_re"}), {@code this} included. */
    static int slotsOf(List<String> params) {
        int slots = 1;
        for (String p : params) {
            slots += p.startsWith("double ") || p.startsWith("long ") ? 2 : 1;
        }
        return slots;
    }
}
