package io.megrad.codegen.emit.java;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AdjointLocals}: the code it writes, against hand-worked lines, and a property: whatever
 * the order and signs of the contributions, inside branches or not, executing its code leaves in
 * each local the sum of the contributions, negated exactly when it says the local is negated.
 */
class AdjointLocalsTest {
    @Test
    void aFirstContributionIsAssignedAndALaterOneAdded() {
        AdjointLocals locals = new AdjointLocals();
        locals.declaredZero("a");
        assertEquals("a = x;\n", locals.add("", "a", "x", false));
        assertEquals("a -= y;\n", locals.add("", "a", "y", true));
        assertFalse(locals.negated("a"));
    }

    @Test
    void aNegativeFirstContributionLeavesTheLocalNegated() {
        AdjointLocals locals = new AdjointLocals();
        locals.declaredZero("b");
        assertEquals("b = x;\n", locals.add("", "b", "x", true));
        assertTrue(locals.negated("b"));
        assertEquals("b += y;\n", locals.add("", "b", "y", true), "subtracting y from -b");
        assertEquals("b -= z;\n", locals.add("", "b", "z", false));
    }

    @Test
    void insideABranchNothingIsAssigned() {
        AdjointLocals locals = new AdjointLocals();
        locals.declaredZero("c");
        locals.enterBranch();
        assertEquals("c += x;\n", locals.add("", "c", "x", false));
        locals.leaveBranch();
        assertEquals("c += y;\n", locals.add("", "c", "y", false), "the branch may have added to it");
    }

    @Test
    void aLocalNotDeclaredZeroIsAlwaysAddedTo() {
        AdjointLocals locals = new AdjointLocals();
        assertEquals("d += x;\n", locals.add("", "d", "x", false));
        assertEquals("d -= x;\n", locals.add("", "d", "x", true));
    }

    private static final Pattern LINE = Pattern.compile("(\\w+) ([-+]?=) (\\w+);\n");

    @Test
    void executedCodeHoldsTheSumOfTheContributions() {
        Random random = new Random(20261126);
        for (int trial = 0; trial < 500; trial++) {
            AdjointLocals locals = new AdjointLocals();
            Map<String, Double> memory = new HashMap<>();
            Map<String, Double> expected = new HashMap<>();
            String[] names = {"p", "q", "r"};
            for (String n : names) {
                if (random.nextBoolean()) {
                    locals.declaredZero(n);
                }
                memory.put(n, 0.0);
                expected.put(n, 0.0);
            }
            Map<String, Double> values = new HashMap<>();
            int depth = 0;
            for (int step = 0; step < 12; step++) {
                int action = random.nextInt(6);
                if (action == 0) {
                    locals.enterBranch();
                    depth++;
                    continue;
                }
                if (action == 1 && depth > 0) {
                    locals.leaveBranch();
                    depth--;
                    continue;
                }
                String target = names[random.nextInt(names.length)];
                String term = "v" + step;
                double value = random.nextDouble() * 4 - 2;
                values.put(term, value);
                boolean negative = random.nextBoolean();
                execute(locals.add("", target, term, negative), memory, values);
                expected.merge(target, negative ? -value : value, Double::sum);
            }
            for (String n : names) {
                double held = locals.negated(n) ? -memory.get(n) : memory.get(n);
                assertEquals(expected.get(n), held, 1e-12, "trial " + trial + ", local " + n);
            }
        }
    }

    /** Runs one generated line, {@code x = y;}, {@code x += y;} or {@code x -= y;}. */
    private static void execute(String line, Map<String, Double> memory, Map<String, Double> values) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        double v = values.get(m.group(3));
        switch (m.group(2)) {
            case "=" -> memory.put(m.group(1), v);
            case "+=" -> memory.merge(m.group(1), v, Double::sum);
            default -> memory.merge(m.group(1), -v, Double::sum);
        }
    }
}
