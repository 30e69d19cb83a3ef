package io.megrad.codegen.emit.java;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops the values a block of generated code computes and never reads. An adjoint recomputes a
 * statement's whole expression graph, but its vector-Jacobian product reads only some of it (the
 * partials of products, not the sums above them); the JIT would drop the rest too, but their
 * bytecode counts toward the size of a method, and a smaller method is split into fewer parts.
 */
final class DeadValues {
    private static final Pattern DEFINITION = Pattern.compile("\\s*final double ([A-Za-z_$][A-Za-z0-9_$]*) = (.*);");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private DeadValues() {
    }

    /**
     * {@code values} (lines of {@code final double} definitions and other code) without the
     * definitions neither a later line of it nor {@code readers} reads.
     */
    static String removeUnread(String values, String readers) {
        Set<String> read = new HashSet<>();
        names(readers, read);
        String[] lines = values.split("\n", -1);
        List<String> kept = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0; i--) {
            Matcher m = DEFINITION.matcher(lines[i]);
            if (m.matches() && !read.contains(m.group(1))) {
                continue;
            }
            names(m.matches() ? m.group(2) : lines[i], read);
            kept.add(lines[i]);
        }
        StringBuilder out = new StringBuilder();
        for (int i = kept.size() - 1; i >= 0; i--) {
            out.append(kept.get(i));
            if (i > 0) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void names(String code, Set<String> into) {
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            into.add(m.group());
        }
    }
}
