package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Variable;
import io.megrad.codegen.ir.Writes;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The storage the model setup may write (directly or through anything it calls; whatever it passes
 * by reference counts as written). That storage holds the setup's values at every point, whatever
 * its DATA value says.
 */
public final class SetupWrites {
    private final Program program;
    /** Whether a call writes what it passes as argument {@code i} of a procedure (null: an unknown procedure). */
    private final java.util.function.BiPredicate<Procedure, Integer> writesArgument;
    private final Set<Object> written = new HashSet<>();

    private SetupWrites(Program program, java.util.function.BiPredicate<Procedure, Integer> writesArgument) {
        this.program = program;
        this.writesArgument = writesArgument;
    }

    public static SetupWrites of(Program program) {
        return from(program, program.setupEntry());
    }

    /** The storage procedure {@code entry} may write, in the same sense (null when there is no such procedure). */
    static SetupWrites from(Program program, String entry) {
        return from(program, entry, (callee, i) -> true);
    }

    /**
     * The storage procedure {@code entry} may write, where a call writes the arguments
     * {@code writesArgument} says it does (it is given null for a procedure the program lacks).
     */
    public static SetupWrites from(Program program, String entry, java.util.function.BiPredicate<Procedure, Integer> writesArgument) {
        SetupWrites w = new SetupWrites(program, writesArgument);
        w.visit(program.procedure(entry), new HashSet<>());
        return w;
    }

    /** A key equal for every view of the same storage (COMMON members are matched by block and position). */
    static Object key(Variable v) {
        return v.storage() instanceof Storage.Common c ? c.block() + "/" + c.member() : v;
    }

    public boolean contains(Variable v) {
        return written.contains(key(v));
    }

    private void visit(Procedure p, Set<String> seen) {
        if (p != null && seen.add(p.name())) {
            visit(p.body(), seen);
        }
    }

    private void visit(List<Stmt> body, Set<String> seen) {
        Writes.forEach(body, v -> written.add(key(v)), c -> {
            Procedure callee = program.procedure(c.callee());
            for (int i = 0; i < c.args().size(); i++) {
                Expr arg = c.args().get(i);
                if ((arg instanceof Expr.Ref || arg instanceof Expr.Element)
                        && (callee == null || i >= callee.params().size() || writesArgument.test(callee, i))) {
                    written.add(key(Writes.variableOf(arg)));
                }
            }
            if (c.result() != null) {
                written.add(key(Writes.variableOf(c.result())));
            }
            visit(callee, seen);
        });
    }
}
