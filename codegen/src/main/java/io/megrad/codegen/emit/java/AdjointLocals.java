package io.megrad.codegen.emit.java;

import java.util.HashSet;
import java.util.Set;

/**
 * The adjoint locals of one generated adjoint method and the code adding to them. Two things let
 * that code be shorter than {@code a += x}, each an instruction fewer in the JIT's output:
 *
 * <ul>
 *   <li>the first contribution to a local declared zero, outside any branch, is assigned rather
 *       than added: C2 may not fold {@code 0.0 + x}, which is not x when x is -0.0;</li>
 *   <li>a negative first contribution is assigned without its sign, and the local is known to
 *       hold the negated adjoint: every later contribution and use accounts for it, so no
 *       negation is ever computed.</li>
 * </ul>
 */
final class AdjointLocals {
    /** Locals declared zero and not yet written. */
    private final Set<String> zero = new HashSet<>();
    /** Locals holding the negated adjoint. */
    private final Set<String> negated = new HashSet<>();
    /** How many generated branches enclose the code being emitted. */
    private int branchDepth;

    /** {@code name} is declared {@code 0.0} and nothing has been added to it yet. */
    void declaredZero(String name) {
        zero.add(name);
    }

    /** Whether {@code name} holds the negated adjoint. */
    boolean negated(String name) {
        return negated.contains(name);
    }

    /** The code that follows runs inside one more branch (an assignment there would not be a first on every path). */
    void enterBranch() {
        branchDepth++;
    }

    void leaveBranch() {
        branchDepth--;
    }

    /** Code adding {@code code} (subtracting it when {@code negative}) to the local {@code name}. */
    String add(String indent, String name, String code, boolean negative) {
        boolean first = zero.remove(name) && branchDepth == 0;
        if (first) {
            if (negative) {
                negated.add(name);
            }
            return indent + name + " = " + code + ";\n";
        }
        boolean subtract = negative != negated.contains(name);
        return indent + name + (subtract ? " -= " : " += ") + code + ";\n";
    }
}
