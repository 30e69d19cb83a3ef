package io.megrad.codegen.ir;

import java.util.List;
import java.util.function.Consumer;

/**
 * The storage a body of statements writes directly, at every depth: assignment and parameter-input
 * targets and DO variables. What a CALL writes depends on what the caller knows of its callee (every
 * argument passed by reference, or only those the callee writes), so calls are handed over as they
 * are; the walk does not enter callees.
 */
public final class Writes {
    private Writes() {
    }

    /** Calls {@code written} with each variable {@code body} writes directly and {@code call} with each CALL, in order. */
    public static void forEach(List<Stmt> body, Consumer<Variable> written, Consumer<Stmt.Call> call) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                written.accept(variableOf(a.target()));
            } else if (s instanceof Stmt.ParamInput pi) {
                written.accept(variableOf(pi.target()));
            } else if (s instanceof Stmt.Do d) {
                written.accept(d.var());
                forEach(d.body(), written, call);
            } else if (s instanceof Stmt.While w) {
                forEach(w.body(), written, call);
            } else if (s instanceof Stmt.If i) {
                forEach(i.then(), written, call);
                forEach(i.otherwise(), written, call);
            } else if (s instanceof Stmt.Call c) {
                call.accept(c);
            }
        }
    }

    /** The variable an access (a reference or an element) names. */
    public static Variable variableOf(Expr access) {
        return access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
    }
}
