package io.megrad.codegen.transform;

import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes ALOHA's combined routines straight-line: {@code FFV2_4_0} calls {@code FFV2_0} and
 * {@code FFV4_0} and adds the two amplitudes, {@code FFV2_4_3} calls {@code FFV2_3} and
 * {@code FFV4_3} and adds the currents in a loop (every electroweak process with a Z has them).
 * A routine whose body is calls of straight-line routines, assignments and constant-bound loops
 * gets the callees' bodies in place of the calls and its loops unrolled.
 *
 * <p>Why: reverse mode records a routine as one tape record per call only when it calls nothing
 * and loops nowhere ({@code CallAdjoint}); a combined routine otherwise puts every statement of
 * both vertices on the statement tape, and MATRIX cannot be recorded as one call sequence.
 *
 * <p>A call is inlined only where that is exact: each array argument is passed whole (an array
 * of the same rank-one shape and lower bound, which the callee's name then stands for), each
 * scalar the callee writes is a variable of the caller's (likewise), and the scalars it only reads
 * are copied into fresh locals first; the callee's locals become fresh locals of the caller. A
 * loop is unrolled only if its variable is read nowhere else.
 */
public final class CombinedRoutineInliner {
    /** Statements (counted through branches) above which a callee is not inlined. */
    static final int MAX_CALLEE_STATEMENTS = 200;
    /** Iterations above which a loop is not unrolled. */
    static final int MAX_TRIPS = 64;

    private CombinedRoutineInliner() {
    }

    /** The program with every combined routine made straight-line. */
    public static Program inline(Program program) {
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        boolean changed = false;
        for (Procedure p : program.procedures().values()) {
            Procedure flat = straightened(p, program);
            procedures.put(p.name(), flat == null ? p : flat);
            changed |= flat != null;
        }
        return changed ? new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial()) : program;
    }

    /** Thrown when a routine is not a combined routine (or a call or loop of it cannot be expanded). */
    private static final class NotCombined extends RuntimeException {
        NotCombined() {
            super(null, null, false, false);
        }
    }

    /** {@code p} with its calls inlined and loops unrolled, or null when it is not a combined routine. */
    private static Procedure straightened(Procedure p, Program program) {
        if (!p.data().isEmpty() || p.params().isEmpty()) {
            return null; // a routine of arguments, as ALOHA's are (not e.g. the model's coupling setup)
        }
        List<Stmt> body = withoutFinalReturn(p.body());
        if (body.stream().noneMatch(s -> s instanceof Stmt.Call)) {
            return null;
        }
        List<Stmt> out = new ArrayList<>();
        List<Variable> fresh = new ArrayList<>();
        try {
            for (Stmt s : body) {
                if (s instanceof Stmt.Call c) {
                    inline(c, program.procedure(c.callee()), out, fresh);
                } else if (s instanceof Stmt.Assign a) {
                    out.add(a);
                } else if (s instanceof Stmt.Do d) {
                    unroll(d, body, out);
                } else {
                    return null;
                }
            }
        } catch (NotCombined e) {
            return null;
        }
        List<Variable> locals = new ArrayList<>(p.locals());
        locals.addAll(fresh);
        return new Procedure(p.name(), p.params(), p.result(), locals, out, p.data(), p.pos());
    }

    private static List<Stmt> withoutFinalReturn(List<Stmt> body) {
        return !body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return ? body.subList(0, body.size() - 1) : body;
    }

    /** Whether {@code q} is a subroutine of assignments and branches only, without state. */
    private static boolean straightLine(Procedure q) {
        if (q.result() != null || !q.data().isEmpty()) {
            return false;
        }
        for (Variable v : q.locals()) {
            if (!(v.storage() instanceof Storage.Local) || v.dims().stream().anyMatch(d -> d.upper() == null)) {
                return false;
            }
        }
        int[] count = {0};
        return assignmentsAndBranches(withoutFinalReturn(q.body()), count) && count[0] <= MAX_CALLEE_STATEMENTS;
    }

    private static boolean assignmentsAndBranches(List<Stmt> stmts, int[] count) {
        for (Stmt s : stmts) {
            count[0]++;
            if (s instanceof Stmt.If i) {
                if (!assignmentsAndBranches(i.then(), count) || !assignmentsAndBranches(i.otherwise(), count)) {
                    return false;
                }
            } else if (!(s instanceof Stmt.Assign)) {
                return false;
            }
        }
        return true;
    }

    private static void inline(Stmt.Call c, Procedure q, List<Stmt> out, List<Variable> fresh) {
        if (q == null || c.result() != null || q.params().isEmpty() || !straightLine(q) || q.params().size() != c.args().size()) {
            throw new NotCombined();
        }
        Set<Variable> written = new HashSet<>();
        collectWritten(q.body(), written);
        Map<Variable, Variable> renamed = new HashMap<>();
        List<Stmt> copies = new ArrayList<>();
        String tag = q.name() + "$" + fresh.size() + "$";
        Set<Variable> passedWhole = new HashSet<>();
        for (int i = 0; i < q.params().size(); i++) {
            Variable x = q.params().get(i);
            Expr actual = c.args().get(i);
            if (x.isArray() || written.contains(x)) {
                Variable v = actual instanceof Expr.Ref r ? r.var() : null;
                if (v == null || v.type() != x.type() || v.isArray() != x.isArray() || (x.isArray() && !sameShape(x, v))
                        || !passedWhole.add(v)) {
                    throw new NotCombined(); // an element, an expression, another shape, or aliased arguments
                }
                renamed.put(x, v);
            } else {
                Variable l = new Variable(tag + x.name(), x.type(), List.of(), new Storage.Local(), x.pos());
                fresh.add(l);
                renamed.put(x, l);
                copies.add(new Stmt.Assign(c.pos(), new Expr.Ref(l), actual.type() == x.type() ? actual : new Expr.Convert(actual, x.type())));
            }
        }
        for (Variable v : q.locals()) {
            Variable l = new Variable(tag + v.name(), v.type(), v.dims(), new Storage.Local(), v.pos());
            fresh.add(l);
            renamed.put(v, l);
        }
        out.addAll(copies);
        for (Stmt s : withoutFinalReturn(q.body())) {
            out.add(rename(s, renamed));
        }
    }

    /** Rank one with the same lower bound, and the callee's extent (if declared) within the caller's. */
    private static boolean sameShape(Variable x, Variable v) {
        if (x.dims().size() != 1 || v.dims().size() != 1 || x.dims().get(0).lower() != v.dims().get(0).lower()) {
            return false;
        }
        Integer xe = x.dims().get(0).extent();
        Integer ve = v.dims().get(0).extent();
        return xe == null || ve == null || xe <= ve;
    }

    private static void collectWritten(List<Stmt> stmts, Set<Variable> out) {
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Assign a) {
                out.add(Rewrite.variableOf(a.target()));
            } else if (s instanceof Stmt.If i) {
                collectWritten(i.then(), out);
                collectWritten(i.otherwise(), out);
            }
        }
    }

    private static Stmt rename(Stmt s, Map<Variable, Variable> renamed) {
        if (s instanceof Stmt.Assign a) {
            return new Stmt.Assign(a.pos(), Rewrite.rename(a.target(), renamed), Rewrite.rename(a.value(), renamed));
        }
        Stmt.If i = (Stmt.If) s;
        List<Stmt> then = new ArrayList<>();
        i.then().forEach(t -> then.add(rename(t, renamed)));
        List<Stmt> otherwise = new ArrayList<>();
        i.otherwise().forEach(t -> otherwise.add(rename(t, renamed)));
        return new Stmt.If(i.pos(), Rewrite.rename(i.condition(), renamed), then, otherwise);
    }

    /** Appends the iterations of a constant-bound loop of assignments whose variable nothing else reads. */
    private static void unroll(Stmt.Do d, List<Stmt> body, List<Stmt> out) {
        Variable var = d.var();
        if (!(var.storage() instanceof Storage.Local) || var.type() != Type.INT || d.body().stream().anyMatch(s -> !(s instanceof Stmt.Assign))) {
            throw new NotCombined();
        }
        for (Stmt s : body) {
            if (s != d && mentions(s, var)) {
                throw new NotCombined();
            }
        }
        for (Stmt s : d.body()) {
            if (Rewrite.variableOf(((Stmt.Assign) s).target()) == var) {
                throw new NotCombined();
            }
        }
        long first = intValue(d.start());
        long last = intValue(d.end());
        long step = d.step() == null ? 1 : intValue(d.step());
        if (step == 0) {
            throw new NotCombined();
        }
        long trips = Math.max((last - first + step) / step, 0);
        if (trips > MAX_TRIPS) {
            throw new NotCombined();
        }
        for (long k = 0; k < trips; k++) {
            long value = first + k * step;
            for (Stmt s : d.body()) {
                Stmt.Assign a = (Stmt.Assign) s;
                out.add(new Stmt.Assign(a.pos(), bind(a.target(), var, value), bind(a.value(), var, value)));
            }
        }
    }

    private static long intValue(Expr e) {
        if (ConstantFolder.tryFold(e) instanceof Expr.IntConst c) {
            return c.value();
        }
        throw new NotCombined();
    }

    /** {@code e} with loop variable {@code var} replaced by {@code value}, integer parts folded. */
    private static Expr bind(Expr e, Variable var, long value) {
        return Rewrite.bottomUp(e, x -> {
            if (x instanceof Expr.Ref r && r.var() == var) {
                return new Expr.IntConst(value);
            }
            if (x.type() == Type.INT && !(x instanceof Expr.Ref) && !(x instanceof Expr.Element)) {
                Expr folded = ConstantFolder.tryFold(x);
                return folded != null ? folded : x;
            }
            return x;
        });
    }

    private static boolean mentions(Stmt s, Variable v) {
        boolean[] found = {false};
        java.util.function.Consumer<Expr> scan = e -> Rewrite.bottomUp(e, x -> {
            found[0] |= Rewrite.variableOf(x) == v;
            return x;
        });
        if (s instanceof Stmt.Assign a) {
            scan.accept(a.target());
            scan.accept(a.value());
        } else if (s instanceof Stmt.Call c) {
            c.args().forEach(scan);
        } else if (s instanceof Stmt.Do d) {
            found[0] |= d.var() == v;
            scan.accept(d.start());
            scan.accept(d.end());
            if (d.step() != null) {
                scan.accept(d.step());
            }
            d.body().forEach(b -> found[0] |= mentions(b, v));
        } else {
            return true; // anything else: assume it may
        }
        return found[0];
    }
}
