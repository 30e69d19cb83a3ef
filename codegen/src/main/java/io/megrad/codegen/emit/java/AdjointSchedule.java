package io.megrad.codegen.emit.java;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders the straight-line code of one part of an adjoint method so that few values are live at
 * once. The backward sweep goes statement by statement, each scattering its adjoint into the
 * adjoints of what it read: a vertex's adjoint then keeps an accumulator live for every input
 * component from the first statement that adds to it to the end, and C2 spills most of them (the
 * vertices' inputs are read by many of its statements). Reordered, each input's adjoint is gathered
 * when it is flushed: its contributions are computed then (and what they need: the intermediate
 * adjoints, which are few, and the recorded values, loaded where first used), and it is added to
 * its argument's adjoint right away. On gg_ttxg the amplitude vertex FFV1_0's adjoint runs about
 * a fifth fewer instructions; the whole gradient about 5% faster.
 *
 * <p>The reordering keeps every dependence: a value is defined before it is read; an adjoint is
 * complete (every contribution added) before it is read, which holds in the sweep's own order and
 * is checked; its first contribution, which assigns, stays its first; the others commute. The
 * recorded values and the argument adjoints live in different arrays, so loads may move past the
 * flushes. Code that is not plain assignments in flat blocks (a branch, a selected element) is left
 * as it is.
 */
final class AdjointSchedule {
    private static final Pattern LOAD = Pattern.compile("\\s*final double (t\\d+) = [^;]*;");
    private static final Pattern DEFINITION = Pattern.compile("\\s*final double ([A-Za-z_$][A-Za-z0-9_$]*) = (.*);");
    private static final Pattern ACCUMULATION = Pattern.compile("\\s*([A-Za-z_$][A-Za-z0-9_$]*) ([-+]?)= (.*);");
    private static final Pattern FLUSH = Pattern.compile("\\s*(?:adj|\\$RA)\\[[^\\]]+\\] [-+]= ([A-Za-z_$][A-Za-z0-9_$]*);");
    private static final Pattern OPEN = Pattern.compile("\\s*\\{( //.*)?");
    private static final Pattern CLOSE = Pattern.compile("\\s*}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final String INDENT = "        ";

    /** One statement of the code: a definition, or a contribution to an adjoint local. */
    private record Statement(String line, String target, boolean definition, List<String> reads) {
    }

    private final List<Statement> statements = new ArrayList<>();
    private final Map<String, Integer> definedBy = new HashMap<>();
    private final Map<String, List<Integer>> contributions = new HashMap<>();
    private final Map<String, String> loads = new LinkedHashMap<>();
    private final boolean[] emitted;
    private final StringBuilder out = new StringBuilder();

    private AdjointSchedule(List<Statement> statements) {
        this.statements.addAll(statements);
        this.emitted = new boolean[statements.size()];
    }

    /**
     * The part's body from its loads and declarations ({@code head}, {@code declarations}), its
     * statements' code and its flushes to the arguments' and the scratch adjoints ({@code tail}):
     * reordered, or as it is when it is not all straight-line code.
     */
    static String order(String head, String declarations, String code, String tail) {
        String asIs = head + declarations + code + tail;
        List<Statement> parsed = parse(code);
        if (parsed == null) {
            return asIs;
        }
        AdjointSchedule s = new AdjointSchedule(parsed);
        StringBuilder top = new StringBuilder();
        for (String line : lines(head)) {
            Matcher m = LOAD.matcher(line);
            if (m.matches()) {
                s.loads.put(m.group(1), line);
            } else {
                top.append(line).append('\n');
            }
        }
        top.append(declarations);
        List<String[]> flushes = new ArrayList<>();
        for (String line : lines(tail)) {
            Matcher m = FLUSH.matcher(line);
            if (!m.matches()) {
                return asIs;
            }
            flushes.add(new String[]{m.group(1), line});
        }
        if (!s.index()) {
            return asIs;
        }
        // Each flushed adjoint in the order it is complete in the sweep, gathered just before its flush.
        flushes.sort(java.util.Comparator.comparingInt(f -> s.lastContribution(f[0])));
        for (String[] f : flushes) {
            s.need(f[0]);
            s.out.append(f[1]).append('\n');
        }
        for (int k = 0; k < s.statements.size(); k++) {
            s.visit(k);
        }
        for (String unused : s.loads.values()) {
            if (unused != null) {
                s.out.insert(0, unused + "\n");
            }
        }
        return top + s.out.toString();
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The statements of flat blocks of definitions and contributions, or null. */
    private static List<Statement> parse(String code) {
        List<Statement> list = new ArrayList<>();
        int depth = 0;
        for (String line : lines(code)) {
            if (OPEN.matcher(line).matches()) {
                if (++depth > 1) {
                    return null;
                }
                continue;
            }
            if (CLOSE.matcher(line).matches()) {
                depth--;
                continue;
            }
            if (depth != 1) {
                return null;
            }
            Matcher d = DEFINITION.matcher(line);
            Matcher a = ACCUMULATION.matcher(line);
            if (d.matches()) {
                list.add(new Statement(INDENT + line.strip(), d.group(1), true, names(d.group(2))));
            } else if (a.matches() && !a.group(1).equals("final")) {
                list.add(new Statement(INDENT + line.strip(), a.group(1), false, names(a.group(3))));
            } else {
                return null;
            }
        }
        return depth == 0 ? list : null;
    }

    private static List<String> names(String expression) {
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(expression);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Indexes definitions and contributions; false unless every adjoint is complete before it is read. */
    private boolean index() {
        for (int k = 0; k < statements.size(); k++) {
            Statement st = statements.get(k);
            if (st.definition()) {
                if (definedBy.put(st.target(), k) != null) {
                    return false;
                }
            } else {
                contributions.computeIfAbsent(st.target(), x -> new ArrayList<>()).add(k);
            }
        }
        for (int k = 0; k < statements.size(); k++) {
            for (String read : statements.get(k).reads()) {
                List<Integer> writes = contributions.get(read);
                if (writes != null && writes.get(writes.size() - 1) > k || definedBy.containsKey(read) && contributions.containsKey(read)) {
                    return false;
                }
            }
        }
        return true;
    }

    private int lastContribution(String name) {
        List<Integer> writes = contributions.get(name);
        return writes == null ? -1 : writes.get(writes.size() - 1);
    }

    private void need(String name) {
        String load = loads.get(name);
        if (load != null) {
            out.append(load).append('\n');
            loads.put(name, null);
            return;
        }
        Integer def = definedBy.get(name);
        if (def != null) {
            visit(def);
            return;
        }
        // An adjoint's contributions, in their order (its first assigns).
        for (int k : contributions.getOrDefault(name, List.of())) {
            visit(k);
        }
    }

    private void visit(int k) {
        if (emitted[k]) {
            return;
        }
        emitted[k] = true;
        Statement st = statements.get(k);
        for (String read : st.reads()) {
            need(read);
        }
        out.append(st.line()).append('\n');
    }
}
