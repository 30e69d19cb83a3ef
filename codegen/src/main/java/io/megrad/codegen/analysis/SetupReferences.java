package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Variable;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the entry points other than the point routine — the model setup and the masses routine —
 * can reach: the procedures they call and the SAVEd or COMMON storage those name. A point's
 * leftovers in that storage are visible to them, and a procedure they call runs outside any point.
 */
final class SetupReferences {
    private final Program program;
    private final Set<String> procedures = new HashSet<>();
    private final Set<Object> storage = new HashSet<>();

    private SetupReferences(Program program) {
        this.program = program;
    }

    static SetupReferences of(Program program) {
        SetupReferences r = new SetupReferences(program);
        r.visit(program.procedure(program.setupEntry()));
        r.visit(program.procedure(Program.MASSES_ENTRY));
        return r;
    }

    boolean reaches(String procedure) {
        return procedures.contains(procedure);
    }

    /** Whether they name this storage ({@code key} as {@link SetupWrites#key}). */
    boolean names(Object key) {
        return storage.contains(key);
    }

    private void visit(Procedure p) {
        if (p == null || !procedures.add(p.name())) {
            return;
        }
        for (Variable v : NamedVariables.of(p)) {
            if (v.storage() instanceof Storage.Common || v.storage() instanceof Storage.Saved) {
                storage.add(SetupWrites.key(v));
            }
        }
        calls(p.body());
    }

    private void calls(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.If i) {
                calls(i.then());
                calls(i.otherwise());
            } else if (s instanceof Stmt.Do d) {
                calls(d.body());
            } else if (s instanceof Stmt.While w) {
                calls(w.body());
            } else if (s instanceof Stmt.Call c) {
                visit(program.procedure(c.callee()));
            }
        }
    }
}
