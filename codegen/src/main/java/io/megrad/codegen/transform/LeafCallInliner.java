package io.megrad.codegen.transform;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces calls of small leaf procedures by their bodies: procedures that call nothing, loop
 * nowhere, return only at their end, take scalar arguments they do not write and keep no state
 * (the C++ outputs' {@code Sgn(a, b)}, which their HELAS wavefunction routines call).
 *
 * <p>Why: reverse mode records a procedure as one tape record per call only when it calls nothing
 * ({@code CallAdjoint}); one call of such a helper sends the whole wavefunction routine to the
 * statement tape. Inlined, the helper's branch becomes a branch of the routine, which the call
 * adjoint replays. Each inlined call gets fresh locals for the arguments' values, the helper's
 * locals and its result, so the program computes exactly what it did.
 */
public final class LeafCallInliner {
    /** Statements (counted through branches) above which a procedure is called, not inlined. */
    static final int MAX_STATEMENTS = 16;

    private LeafCallInliner() {
    }

    /** The program with every call of a small leaf procedure inlined. */
    public static Program inline(Program program) {
        Map<String, Procedure> leaves = new HashMap<>();
        for (Procedure p : program.procedures().values()) {
            if (isSmallLeaf(p)) {
                leaves.put(p.name(), p);
            }
        }
        if (leaves.isEmpty()) {
            return program;
        }
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        for (Procedure p : program.procedures().values()) {
            Inlining in = new Inlining(leaves);
            List<Stmt> body = in.stmts(p.body());
            if (in.fresh.isEmpty()) {
                procedures.put(p.name(), p);
                continue;
            }
            List<Variable> locals = new ArrayList<>(p.locals());
            locals.addAll(in.fresh);
            procedures.put(p.name(), new Procedure(p.name(), p.params(), p.result(), locals, body, p.data(), p.pos()));
        }
        return new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial());
    }

    static boolean isSmallLeaf(Procedure p) {
        if (!p.data().isEmpty() || p.params().stream().anyMatch(Variable::isArray)
                || p.locals().stream().anyMatch(v -> v.isArray() || !(v.storage() instanceof Storage.Local))) {
            // Arrays would need their own renaming; SAVEd locals keep state a fresh local would lose.
            return false;
        }
        List<Stmt> body = withoutFinalReturn(p.body());
        int[] count = {0};
        return simple(body, p, count) && count[0] <= MAX_STATEMENTS;
    }

    private static List<Stmt> withoutFinalReturn(List<Stmt> body) {
        return !body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return ? body.subList(0, body.size() - 1) : body;
    }

    /** Only assignments to the procedure's own locals and result, and branches of them. */
    private static boolean simple(List<Stmt> stmts, Procedure p, int[] count) {
        for (Stmt s : stmts) {
            count[0]++;
            if (s instanceof Stmt.Assign a) {
                Variable target = a.target() instanceof Expr.Ref r ? r.var() : null;
                if (target == null || !(target.equals(p.result()) || p.locals().contains(target))
                        || !(target.storage() instanceof Storage.Local)) {
                    return false;
                }
            } else if (s instanceof Stmt.If i) {
                if (!simple(i.then(), p, count) || !simple(i.otherwise(), p, count)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** Inlines the calls of one procedure's body, collecting the fresh locals it needs. */
    private static final class Inlining {
        private final Map<String, Procedure> leaves;
        private final List<Variable> fresh = new ArrayList<>();

        Inlining(Map<String, Procedure> leaves) {
            this.leaves = leaves;
        }

        List<Stmt> stmts(List<Stmt> stmts) {
            List<Stmt> out = new ArrayList<>();
            for (Stmt s : stmts) {
                if (s instanceof Stmt.Call c && leaves.containsKey(c.callee())) {
                    inline(c, leaves.get(c.callee()), out);
                } else if (s instanceof Stmt.If i) {
                    out.add(new Stmt.If(i.pos(), i.condition(), stmts(i.then()), stmts(i.otherwise())));
                } else if (s instanceof Stmt.Do d) {
                    out.add(new Stmt.Do(d.pos(), d.var(), d.start(), d.end(), d.step(), stmts(d.body())));
                } else if (s instanceof Stmt.While w) {
                    out.add(new Stmt.While(w.pos(), w.condition(), stmts(w.body())));
                } else {
                    out.add(s);
                }
            }
            return out;
        }

        private void inline(Stmt.Call c, Procedure callee, List<Stmt> out) {
            Map<Variable, Variable> renamed = new HashMap<>();
            String tag = callee.name() + "$" + fresh.size() + "$";
            for (Variable v : callee.params()) {
                renamed.put(v, local(tag, v));
            }
            for (Variable v : callee.locals()) {
                renamed.put(v, local(tag, v));
            }
            if (callee.result() != null) {
                renamed.put(callee.result(), local(tag, callee.result()));
            }
            for (int i = 0; i < callee.params().size(); i++) {
                Variable param = renamed.get(callee.params().get(i));
                out.add(new Stmt.Assign(c.pos(), new Expr.Ref(param), as(c.args().get(i), param)));
            }
            for (Stmt s : withoutFinalReturn(callee.body())) {
                out.add(rename(s, renamed));
            }
            if (c.result() != null && callee.result() != null) {
                Expr value = new Expr.Ref(renamed.get(callee.result()));
                out.add(new Stmt.Assign(c.pos(), c.result(), c.result().type() == value.type() ? value : new Expr.Convert(value, c.result().type())));
            }
        }

        private Variable local(String tag, Variable v) {
            Variable l = new Variable(tag + v.name(), v.type(), List.of(), new Storage.Local(), v.pos());
            fresh.add(l);
            return l;
        }

        private static Expr as(Expr e, Variable v) {
            return e.type() == v.type() ? e : new Expr.Convert(e, v.type());
        }

        /** A statement of the callee with its variables renamed. */
        private Stmt rename(Stmt s, Map<Variable, Variable> renamed) {
            if (s instanceof Stmt.Assign a) {
                return new Stmt.Assign(a.pos(), Rewrite.rename(a.target(), renamed), Rewrite.rename(a.value(), renamed));
            }
            Stmt.If i = (Stmt.If) s;
            List<Stmt> then = new ArrayList<>();
            for (Stmt t : i.then()) {
                then.add(rename(t, renamed));
            }
            List<Stmt> otherwise = new ArrayList<>();
            for (Stmt t : i.otherwise()) {
                otherwise.add(rename(t, renamed));
            }
            return new Stmt.If(i.pos(), Rewrite.rename(i.condition(), renamed), then, otherwise);
        }
    }
}
