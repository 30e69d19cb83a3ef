package io.megrad.codegen.transform;

import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.DataInit;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves the call-free tail of a procedure that calls others (MadGraph's colour sum, after the
 * amplitudes) into a procedure of its own, with its constant-bound loops unrolled.
 *
 * <p>Why: reverse mode records a loop-free procedure as one tape record per call, with generated
 * adjoint code ({@code CallAdjoint}); everything else gets one tape record per executed statement.
 * The colour sum is a double loop of tiny statements, so on the statement tape it costs far more to
 * record and sweep than to compute. Once outlined and unrolled it is loop-free, and the reverse-mode
 * emitter records it per call like an ALOHA routine. The program computes exactly what it did.
 *
 * <p>The tail is the longest run of assignments and DO loops at the end of the body, after at
 * least one call; a procedure without calls whose whole body is such a run with a loop in it (the
 * C++ outputs' {@code matrix_1_...}) is outlined whole, the original keeping only the call.
 *
 * <p>The tail's variables become the new procedure's dummy arguments (passed by reference, as
 * Fortran does), except the DO variables that unrolling removes and DATA-only constants (the colour
 * matrix), which the new procedure gets its own copy of. A tail that writes a non-loop integer,
 * contains a branch, reads a DO variable outside its loop, or unrolls to more than
 * {@link #MAX_STATEMENTS} statements stays where it is.
 */
public final class TailOutliner {
    /** Suffix of an outlined tail's procedure name; {@code $} keeps it apart from Fortran and C++ names. */
    public static final String SUFFIX = "$tail";
    /** Unrolled statements above which a tail is left alone (its adjoint code would outgrow what it saves). */
    static final int MAX_STATEMENTS = 4000;
    /**
     * Fewer unrolled statements than this are not worth a call of their own. Even one is: outlined,
     * the tail is one tape record, and MATRIX, all calls, is recorded as one call sequence.
     */
    static final int MIN_STATEMENTS = 1;

    private TailOutliner() {
    }

    /** The program with the call-free tail of each eligible procedure outlined. */
    public static Program outline(Program program) {
        Map<String, Procedure> procedures = new LinkedHashMap<>(program.procedures());
        for (Procedure p : program.procedures().values()) {
            Outlined o = outline(p, program);
            if (o != null) {
                procedures.put(p.name(), o.caller());
                procedures.put(o.tail().name(), o.tail());
            }
        }
        return new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial());
    }

    /** A procedure with its tail replaced by a call, and the tail as a procedure. */
    record Outlined(Procedure caller, Procedure tail) {
    }

    /** Thrown while unrolling when the tail cannot be outlined. */
    private static final class NotOutlinable extends RuntimeException {
        NotOutlinable() {
            super(null, null, false, false);
        }
    }

    static Outlined outline(Procedure p, Program program) {
        String name = p.name() + SUFFIX;
        if (p.name().contains("$") || program.procedures().containsKey(name)) {
            return null;
        }
        List<Stmt> body = p.body();
        int end = body.size();
        if (end > 0 && body.get(end - 1) instanceof Stmt.Return) {
            end--;
        }
        int start = end;
        while (start > 0 && callFree(body.get(start - 1))) {
            start--;
        }
        if (start == end) {
            return null;
        }
        boolean whole = start == 0;
        if (whole ? !containsLoop(body.subList(start, end)) : !callsBefore(body.subList(0, start))) {
            // A loop-free call-free procedure is recorded per call as it is; a tail after branches
            // without calls stays (the procedure as a whole is the candidate then).
            return null;
        }
        List<Stmt> unrolled = new ArrayList<>();
        try {
            for (Stmt s : body.subList(start, end)) {
                unroll(s, Map.of(), unrolled);
            }
        } catch (NotOutlinable e) {
            return null;
        }
        if (unrolled.size() < MIN_STATEMENTS || unrolled.size() > MAX_STATEMENTS) {
            return null;
        }
        Set<Variable> loopVariables = new HashSet<>();
        for (Stmt s : body.subList(start, end)) {
            collectLoopVariables(s, loopVariables);
        }
        Set<Variable> referenced = new LinkedHashSet<>();
        Set<Variable> written = new HashSet<>();
        for (Stmt s : unrolled) {
            Stmt.Assign a = (Stmt.Assign) s;
            collect(a.target(), referenced);
            collect(a.value(), referenced);
            written.add(Rewrite.variableOf(a.target()));
        }
        Set<Variable> constants = constantData(p);
        // New variables are positioned at the tail: a record equal to one of another procedure's would share its conventions.
        io.megrad.runtime.SourcePosition at = body.get(start).pos();
        Map<Variable, Variable> renamed = new HashMap<>();
        List<Variable> params = new ArrayList<>();
        List<Expr> args = new ArrayList<>();
        List<Variable> locals = new ArrayList<>();
        for (Variable v : referenced) {
            if (loopVariables.contains(v)) {
                return null; // read outside its own loop: its value after the loop would be needed
            }
            if (constants.contains(v) && !written.contains(v)) {
                Variable copy = new Variable(v.name(), v.type(), v.dims(), new Storage.Saved(), at);
                renamed.put(v, copy);
                locals.add(copy);
                continue;
            }
            boolean differentiable = v.type() == Type.REAL || v.type() == Type.COMPLEX;
            boolean readOnlyInt = v.type() == Type.INT && !v.isArray() && !written.contains(v);
            if (!differentiable && !readOnlyInt) {
                return null;
            }
            if (v.isArray() && v.size() < 0) {
                return null; // assumed size: the callee could not declare it
            }
            Variable param = new Variable(v.name(), v.type(), v.dims(), new Storage.Argument(params.size()), at);
            renamed.put(v, param);
            params.add(param);
            args.add(new Expr.Ref(v));
        }
        if (params.stream().noneMatch(v -> v.type() != Type.INT)) {
            return null;
        }
        List<Stmt> tailBody = new ArrayList<>();
        for (Stmt s : unrolled) {
            Stmt.Assign a = (Stmt.Assign) s;
            tailBody.add(new Stmt.Assign(a.pos(), Rewrite.rename(a.target(), renamed), Rewrite.rename(a.value(), renamed)));
        }
        List<DataInit> data = new ArrayList<>();
        for (DataInit d : p.data()) {
            Variable copy = renamed.get(d.var());
            if (copy != null && locals.contains(copy)) {
                data.add(new DataInit(copy, d.offset(), d.value()));
            }
        }
        Procedure tail = new Procedure(name, params, null, locals, tailBody, data, at);
        List<Stmt> callerBody = new ArrayList<>(body.subList(0, start));
        callerBody.add(new Stmt.Call(at, name, args, null));
        callerBody.addAll(body.subList(end, body.size()));
        Procedure caller = new Procedure(p.name(), p.params(), p.result(), p.locals(), callerBody, p.data(), p.pos());
        return new Outlined(caller, tail);
    }

    private static boolean callFree(Stmt s) {
        if (s instanceof Stmt.Assign) {
            return true;
        }
        if (s instanceof Stmt.Do d) {
            return d.body().stream().allMatch(TailOutliner::callFree);
        }
        return false;
    }

    private static boolean containsLoop(List<Stmt> stmts) {
        return stmts.stream().anyMatch(s -> s instanceof Stmt.Do);
    }

    private static boolean callsBefore(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Call) {
                return true;
            }
            if (s instanceof Stmt.If i && (callsBefore(i.then()) || callsBefore(i.otherwise()))) {
                return true;
            }
            if (s instanceof Stmt.Do d && callsBefore(d.body())) {
                return true;
            }
            if (s instanceof Stmt.While w && callsBefore(w.body())) {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code s} with every constant-bound loop expanded and loop variables replaced by their values. */
    private static void unroll(Stmt s, Map<Variable, Long> values, List<Stmt> out) {
        if (s instanceof Stmt.Assign a) {
            Expr target = bind(a.target(), values);
            if (Rewrite.variableOf(target) == null) {
                throw new NotOutlinable();
            }
            out.add(new Stmt.Assign(a.pos(), target, bind(a.value(), values)));
            if (out.size() > MAX_STATEMENTS) {
                throw new NotOutlinable();
            }
            return;
        }
        Stmt.Do d = (Stmt.Do) s;
        long first = intValue(bind(d.start(), values));
        long last = intValue(bind(d.end(), values));
        long step = d.step() == null ? 1 : intValue(bind(d.step(), values));
        if (step == 0 || d.var().storage() instanceof Storage.Common || d.var().storage() instanceof Storage.Argument) {
            throw new NotOutlinable();
        }
        long trips = Math.max((last - first + step) / step, 0);
        for (long k = 0; k < trips; k++) {
            Map<Variable, Long> inner = new HashMap<>(values);
            inner.put(d.var(), first + k * step);
            for (Stmt b : d.body()) {
                unroll(b, inner, out);
            }
        }
    }

    private static long intValue(Expr e) {
        if (ConstantFolder.tryFold(e) instanceof Expr.IntConst c) {
            return c.value();
        }
        throw new NotOutlinable();
    }

    private static void collectLoopVariables(Stmt s, Set<Variable> out) {
        if (s instanceof Stmt.Do d) {
            out.add(d.var());
            d.body().forEach(b -> collectLoopVariables(b, out));
        }
    }

    /** DATA-initialised locals that nothing in {@code p} writes or hands to a call. */
    private static Set<Variable> constantData(Procedure p) {
        Set<Variable> out = new HashSet<>();
        for (DataInit d : p.data()) {
            if (d.var().storage() instanceof Storage.Saved) {
                out.add(d.var());
            }
        }
        removeWritten(p.body(), out);
        return out;
    }

    private static void removeWritten(List<Stmt> stmts, Set<Variable> out) {
        io.megrad.codegen.ir.Writes.forEach(stmts, out::remove, c -> {
            Set<Variable> passed = new HashSet<>();
            c.args().forEach(x -> collect(x, passed));
            if (c.result() != null) {
                collect(c.result(), passed);
            }
            out.removeAll(passed);
        });
    }

    /** Adds every variable {@code e} accesses, subscripts included. */
    private static void collect(Expr e, Set<Variable> out) {
        Rewrite.bottomUp(e, x -> {
            Variable v = Rewrite.variableOf(x);
            if (v != null) {
                out.add(v);
            }
            return x;
        });
    }

    /** {@code e} with the loop variables in {@code values} replaced by constants, integer parts folded. */
    private static Expr bind(Expr e, Map<Variable, Long> values) {
        return Rewrite.bottomUp(e, x -> {
            if (x instanceof Expr.Ref r && values.containsKey(r.var())) {
                return new Expr.IntConst(values.get(r.var()));
            }
            if (!values.isEmpty() && x.type() == Type.INT && !(x instanceof Expr.Ref) && !(x instanceof Expr.Element)) {
                Expr folded = ConstantFolder.tryFold(x);
                return folded != null ? folded : x;
            }
            return x;
        });
    }
}
