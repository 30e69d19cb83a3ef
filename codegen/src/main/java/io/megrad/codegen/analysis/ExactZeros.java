package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.megrad.codegen.analysis.ZeroValues.UNKNOWN;

/**
 * One point evaluation interpreted abstractly ({@link ZeroValues}: concrete integers, exact zeros,
 * unknowns), to find the iterations of counted loops that leave no trace.
 *
 * <p>An iteration leaves no trace when everything it changes is dead: every channel of storage it
 * leaves with a value other than the one it found (a copy of a token, or an exact zero, is the same
 * value; {@code ANS = ANS + T} with {@code T} exactly zero leaves {@code ANS} as it was) is written
 * again before anything outside the iteration reads it — later iterations, the rest of the point,
 * the next point, the setup. Then skipping the iteration changes no value the program reads, and
 * so neither |M|² nor any derivative of it. That holds whether the iteration calls a function whose
 * result is zero (Fortran's {@code T = MATRIX(P, NHEL(1,IHEL), JC)}) or a subroutine that leaves
 * zero amplitudes in member storage (C++'s {@code calculate_wavefunctions(perm, helicities[ihel])}
 * then {@code matrix_1()}): the proof is about the loop, not about how its body is split.
 *
 * <p>To see reads, each channel remembers which iterations were running when it was last changed
 * ({@link Cells#writers}); a read from outside one of them marks it {@link Iteration#observed}.
 * Storage that survives a point starts out as written {@link #before} (by an earlier point or the
 * setup), so a point's reads of such channels before writing them are recorded as exposed; a
 * channel an iteration leaves changed at the end of the point must be neither exposed nor named by
 * the setup. Branches on unknown conditions are followed both ways and joined (writers united), so
 * every path's reads count. Only loops whose body calls a procedure are examined: they hold the
 * work worth skipping.
 *
 * <p>The setup is interpreted first, once, with every param-card input unknown: C++ passes the
 * external masses from member storage the setup fills ({@code mME.push_back(pars->ZERO)}) where
 * Fortran passes the constant {@code ZERO}, and only a known zero mass selects the massless branch
 * of the wavefunction routines. What the setup leaves holds at the start of every point in
 * storage no point writes; a point seen writing such storage makes it unknown, and the point is
 * interpreted again.
 */
final class ExactZeros {
    /** Thrown when the analysis meets something it does not model; then nothing is skipped. */
    static final class GiveUp extends RuntimeException {
        GiveUp(String why) {
            super(why, null, false, false);
        }
    }

    /** One execution of a loop's body, for one value of its variable. */
    static final class Iteration {
        final Stmt.Do loop;
        final long index;
        /** Something outside the iteration read a value it changed, or it left the loop or routine. */
        boolean observed;

        Iteration(Stmt.Do loop, long index) {
            this.loop = loop;
            this.index = index;
        }
    }


    /** The storage of one variable (all its elements): channels, their type, and their last writers. */
    static final class Cells {
        final Type type;
        final Object[] values;
        /** Per channel: the iterations running when it was last changed; null when none was. */
        final Set<Iteration>[] writers;
        /** The storage key of SAVEd or COMMON storage, null for a procedure's own locals. */
        final Object global;
        /** Channels a point reads while they still hold what was there {@link #before} it. */
        final BitSet exposed = new BitSet();

        @SuppressWarnings("unchecked")
        Cells(Variable v, Object global) {
            int size = Math.max(v.isArray() ? v.size() : 1, 1);
            int slots = size * (v.type() == Type.COMPLEX ? 2 : 1);
            this.type = v.type();
            this.values = new Object[slots];
            this.writers = new Set[slots];
            this.global = global;
            for (int i = 0; i < slots; i++) {
                values[i] = type.isDifferentiable() ? Boolean.FALSE : UNKNOWN;
            }
        }
    }

    private record Ref(Cells cells, int offset) {
    }

    /** A copy of some storage's channels and writers, to restore or compare later. */
    private record Saved(Object[] values, Set<Iteration>[] writers) {
        static Saved of(Cells c) {
            return new Saved(c.values.clone(), c.writers.clone());
        }
    }

    /** What the analysis found about one loop: the procedure holding it, and per value of its variable whether every execution of the body left no trace. */
    record LoopFacts(String procedure, Stmt.Do loop, TreeMap<Long, Boolean> traceless) {
    }

    private static final int MAX_STEPS = 50_000_000;

    private final Program program;
    /** The writer of what a point finds in storage that outlives points: an earlier point, or the setup. */
    private final Iteration before = new Iteration(null, 0);
    private final SetupWrites setupWrites;
    private final SetupWrites pointWrites;
    private final SetupWrites massesWrites;
    /** Interpreting the setup (no loop is examined), not a point. */
    private final boolean inSetup;
    /** What the setup leaves in each storage (by key), or null when unknown. */
    private final Map<Object, Object[]> afterSetup;
    /** Storage a point was seen to write: it does not keep the setup's values from point to point. */
    private final Set<Object> overwritten;
    /** Storage this point starts with the setup's values in, and those of them it writes. */
    private final Set<Object> seeded = new HashSet<>();
    private final Set<Object> seededWritten = new HashSet<>();
    private final SetupReferences setupReferences;
    private final Map<Object, Cells> globals = new HashMap<>();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    /** The iterations running now, innermost first; {@link #activeSet} is the same as a set. */
    private final ArrayDeque<Iteration> active = new ArrayDeque<>();
    private Set<Iteration> activeSet;
    private final List<Iteration> iterations = new ArrayList<>();
    private final Map<Stmt.Do, String> loopOwners = new IdentityHashMap<>();
    private final Map<Stmt.Do, Boolean> callingLoops = new IdentityHashMap<>();
    private long steps;

    private ExactZeros(Program program, boolean inSetup, Map<Object, Object[]> afterSetup, Set<Object> overwritten) {
        this.program = program;
        this.inSetup = inSetup;
        this.afterSetup = afterSetup;
        this.overwritten = overwritten;
        this.setupWrites = SetupWrites.of(program);
        this.pointWrites = SetupWrites.from(program, program.pointEntry());
        this.massesWrites = SetupWrites.from(program, Program.MASSES_ENTRY);
        this.setupReferences = SetupReferences.of(program);
    }

    /**
     * Interprets the point routine once and reports, for every examined loop, which values of its
     * variable give iterations without a trace; throws {@link GiveUp} (or an arithmetic or index
     * exception) when the program is beyond the analysis.
     */
    static List<LoopFacts> analyse(Program program) {
        Procedure setup = program.procedure(program.setupEntry());
        Procedure point = program.procedure(program.pointEntry());
        if (setup == null || point == null || point.params().size() != 2) {
            throw new GiveUp("no point routine");
        }
        Map<Object, Object[]> afterSetup = new ExactZeros(program, true, null, Set.of()).setupValues(setup);
        // A point may overwrite what the setup left: then the next point finds its value, not the
        // setup's. Such storage starts unknown, and the point is interpreted again until none is left.
        Set<Object> overwritten = new HashSet<>();
        while (true) {
            ExactZeros z = new ExactZeros(program, false, afterSetup, overwritten);
            List<LoopFacts> facts = z.point(point);
            if (!overwritten.addAll(z.seededWritten)) {
                return facts;
            }
        }
    }

    /** Procedures the setup or masses routine reaches run outside points: the analysis says nothing there. */
    static boolean outsidePoints(Program program, String procedure) {
        return SetupReferences.of(program).reaches(procedure);
    }

    // ------------------------------------------------------------------ storage

    private final class Frame {
        final Procedure proc;
        final Map<Variable, Ref> vars = new IdentityHashMap<>();

        Frame(Procedure proc) {
            this.proc = proc;
            // Every local exists from the start, so that a branch's copies cover all of them.
            for (Variable v : proc.locals()) {
                ref(v);
            }
        }

        Ref ref(Variable v) {
            Ref r = vars.get(v);
            if (r == null) {
                Cells g = global(v);
                r = new Ref(g != null ? g : new Cells(v, null), 0);
                vars.put(v, r);
            }
            return r;
        }
    }

    /** The cells of SAVEd or COMMON storage (created on first use), or null for other storage. */
    private Cells global(Variable v) {
        if (!(v.storage() instanceof Storage.Common || v.storage() instanceof Storage.Saved)) {
            return null;
        }
        return globals.computeIfAbsent(SetupWrites.key(v), k -> initial(v, k));
    }

    /**
     * Storage as a point finds it: DATA values where they are restored before every point, the
     * setup's values where only the setup writes, everything else unknown and written
     * {@link #before}. During the setup itself only storage nobody writes surely holds its DATA
     * values: the setup may run again after points.
     */
    private Cells initial(Variable v, Object key) {
        Cells cells = new Cells(v, key);
        Arrays.fill(cells.writers, Set.of(before));
        boolean setupWritten = setupWrites.contains(v);
        if (inSetup) {
            if (!setupWritten && !pointWrites.contains(v) && !massesWrites.contains(v)) {
                data(cells, v, false);
            }
            return cells;
        }
        if (setupWritten) {
            Object[] fromSetup = afterSetup == null ? null : afterSetup.get(key);
            if (fromSetup != null && !overwritten.contains(key) && !massesWrites.contains(v)) {
                System.arraycopy(fromSetup, 0, cells.values, 0, Math.min(fromSetup.length, cells.values.length));
                // The C++ backend restores even this storage's DATA values before a point: either may be found.
                data(cells, v, true);
                seeded.add(key);
            }
            return cells;
        }
        if (!massesWrites.contains(v)) {
            data(cells, v, false);
        }
        return cells;
    }

    /** Puts the DATA values into {@code cells} (restored before every point), or with {@code meet} keeps what they share with the present values. */
    private void data(Cells cells, Variable v, boolean meet) {
        int slots = v.type() == Type.COMPLEX ? 2 : 1;
        for (Procedure p : program.procedures().values()) {
            for (DataInit d : p.data()) {
                if (sameStorage(d.var(), v)) {
                    Object[] value = ZeroValues.convert(ZeroValues.constant(d.value()), d.value().type(), v.type());
                    for (int ch = 0; ch < slots; ch++) {
                        int i = d.offset() * slots + ch;
                        if (i >= cells.values.length) {
                            continue;
                        }
                        if (meet) {
                            cells.values[i] = ZeroValues.meet(cells.values[i], value[ch], cells.type);
                        } else {
                            cells.values[i] = value[ch];
                            cells.writers[i] = null;
                        }
                    }
                }
            }
        }
    }

    /**
     * Runs the setup once: what it leaves in storage, by key, or null when it is beyond the
     * analysis (then nothing the setup computes is known).
     */
    private Map<Object, Object[]> setupValues(Procedure setup) {
        try {
            createGlobals();
            Frame f = new Frame(setup);
            frames.push(f);
            body(f, setup.body());
            Map<Object, Object[]> out = new HashMap<>();
            globals.forEach((k, c) -> out.put(k, c.values.clone()));
            return out;
        } catch (GiveUp | ArithmeticException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** All SAVEd and COMMON storage exists from the start, so that a branch's copies cover it. */
    private void createGlobals() {
        for (Procedure p : program.procedures().values()) {
            NamedVariables.of(p).forEach(this::global);
        }
    }

    private static boolean sameStorage(Variable a, Variable b) {
        if (a == b) {
            return true;
        }
        return a.storage() instanceof Storage.Common ca && b.storage() instanceof Storage.Common cb
                && ca.block().equals(cb.block()) && ca.member() == cb.member();
    }

    // ------------------------------------------------------------------ the point

    private List<LoopFacts> point(Procedure point) {
        createGlobals();
        Frame f = new Frame(point);
        for (Variable p : point.params()) {
            f.vars.put(p, new Ref(new Cells(p, null), 0));
        }
        frames.push(f);
        body(f, point.body());
        frames.pop();
        // The caller reads ANS (and may read P) after the point.
        for (Variable p : point.params()) {
            Cells c = f.vars.get(p).cells();
            for (int i = 0; i < c.values.length; i++) {
                read(c, i);
            }
        }
        // What iterations leave in storage that outlives the point must not reach the next point or the setup.
        for (Cells c : globals.values()) {
            boolean named = setupReferences.names(c.global);
            for (int i = 0; i < c.values.length; i++) {
                if (c.writers[i] != null && (named || c.exposed.get(i))) {
                    for (Iteration it : c.writers[i]) {
                        if (it != before) {
                            it.observed = true;
                        }
                    }
                }
            }
        }
        Map<Stmt.Do, LoopFacts> facts = new IdentityHashMap<>();
        List<LoopFacts> out = new ArrayList<>();
        for (Iteration it : iterations) {
            LoopFacts lf = facts.computeIfAbsent(it.loop, d -> {
                LoopFacts n = new LoopFacts(loopOwners.get(d), d, new TreeMap<>());
                out.add(n);
                return n;
            });
            lf.traceless().merge(it.index, !it.observed, Boolean::logicalAnd);
        }
        return out;
    }

    /** Control flow signals. */
    private enum Flow { NORMAL, RETURN, CYCLE, EXIT }

    private Flow body(Frame f, List<Stmt> stmts) {
        for (Stmt s : stmts) {
            Flow flow = statement(f, s);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow statement(Frame f, Stmt s) {
        if (++steps > MAX_STEPS) {
            throw new GiveUp("too long");
        }
        if (s instanceof Stmt.Assign a) {
            store(f, a.target(), eval(f, a.value()));
        } else if (s instanceof Stmt.ParamInput pi) {
            store(f, pi.target(), ZeroValues.unknownOf(pi.target().type()));
        } else if (s instanceof Stmt.If i) {
            Object c = eval(f, i.condition())[0];
            if (c instanceof Boolean b) {
                return body(f, b ? i.then() : i.otherwise());
            }
            // Both ways from the same state, then keep what both agree on.
            Map<Cells, Saved> before = save(branchReach(f));
            Flow a = body(f, i.then());
            Map<Cells, Saved> afterThen = save(before.keySet());
            restore(before);
            Flow b = body(f, i.otherwise());
            if (a != Flow.NORMAL || b != Flow.NORMAL) {
                throw new GiveUp("control transfer inside a branch on an unknown condition");
            }
            join(afterThen);
        } else if (s instanceof Stmt.Do d) {
            return loop(f, d);
        } else if (s instanceof Stmt.While w) {
            return loop(f, w);
        } else if (s instanceof Stmt.Call c) {
            call(f, c);
        } else if (s instanceof Stmt.Return) {
            return Flow.RETURN;
        } else if (s instanceof Stmt.Cycle) {
            return Flow.CYCLE;
        } else if (s instanceof Stmt.Exit) {
            return Flow.EXIT;
        } else {
            throw new GiveUp(s.getClass().getSimpleName());
        }
        return Flow.NORMAL;
    }

    private Flow loop(Frame f, Stmt.Do d) {
        Object start = eval(f, d.start())[0];
        Object end = eval(f, d.end())[0];
        Object step = eval(f, d.step())[0];
        if (!(start instanceof Long a) || !(end instanceof Long b) || !(step instanceof Long c) || c == 0) {
            throw new GiveUp("loop with unknown bounds");
        }
        boolean examined = !inSetup && callsProcedure(d);
        if (examined) {
            loopOwners.putIfAbsent(d, f.proc.name());
        }
        long trips = Math.max((b - a + c) / c, 0);
        long value = a;
        for (long k = 0; k < trips; k++, value += c) {
            store(f, new Expr.Ref(d.var()), new Object[]{value});
            Flow flow;
            if (examined) {
                Iteration it = new Iteration(d, value);
                iterations.add(it);
                Map<Cells, Saved> before = begin(it);
                flow = body(f, d.body());
                end(it, before, flow);
            } else {
                flow = body(f, d.body());
            }
            if (flow == Flow.RETURN) {
                return flow;
            }
            if (flow == Flow.EXIT) {
                break;
            }
        }
        store(f, new Expr.Ref(d.var()), new Object[]{value});
        return Flow.NORMAL;
    }

    /** A WHILE loop runs as long as its condition is known (C++ HELAS routines count with one); it is not examined. */
    private Flow loop(Frame f, Stmt.While w) {
        while (true) {
            if (++steps > MAX_STEPS) {
                throw new GiveUp("too long");
            }
            if (w.condition() != null) {
                Object c = eval(f, w.condition())[0];
                if (!(c instanceof Boolean b)) {
                    throw new GiveUp("WHILE on an unknown condition");
                }
                if (!b) {
                    return Flow.NORMAL;
                }
            }
            Flow flow = body(f, w.body());
            if (flow == Flow.RETURN) {
                return flow;
            }
            if (flow == Flow.EXIT) {
                return Flow.NORMAL;
            }
        }
    }

    /** Whether the body calls a procedure (anywhere inside). */
    private boolean callsProcedure(Stmt.Do d) {
        return callingLoops.computeIfAbsent(d, k -> callsProcedure(k.body()));
    }

    private static boolean callsProcedure(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Call
                    || s instanceof Stmt.If i && (callsProcedure(i.then()) || callsProcedure(i.otherwise()))
                    || s instanceof Stmt.Do d && callsProcedure(d.body())
                    || s instanceof Stmt.While w && callsProcedure(w.body())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an iteration: every unknown channel the iteration can reach becomes a token, so that
     * at its end "unchanged" can be told from "changed to another unknown".
     */
    private Map<Cells, Saved> begin(Iteration it) {
        Set<Cells> reach = Collections.newSetFromMap(new IdentityHashMap<>());
        reach.addAll(globals.values());
        for (Frame g : frames) {
            for (Ref r : g.vars.values()) {
                reach.add(r.cells());
            }
        }
        for (Cells c : reach) {
            for (int i = 0; i < c.values.length; i++) {
                c.values[i] = ZeroValues.token(c.values[i], c.type);
            }
        }
        Map<Cells, Saved> before = save(reach);
        active.push(it);
        activeSet = Set.copyOf(active);
        return before;
    }

    /** Ends an iteration: channels it left as it found them get their earlier writers back. */
    private void end(Iteration it, Map<Cells, Saved> before, Flow flow) {
        active.pop();
        activeSet = active.isEmpty() ? null : Set.copyOf(active);
        if (flow == Flow.RETURN || flow == Flow.EXIT) {
            // Skipping it would not leave the loop.
            it.observed = true;
        }
        before.forEach((c, saved) -> {
            for (int i = 0; i < c.values.length; i++) {
                if (ZeroValues.same(saved.values()[i], c.values[i], c.type)) {
                    c.writers[i] = saved.writers()[i];
                }
            }
        });
    }

    private void call(Frame f, Stmt.Call c) {
        Procedure callee = program.procedure(c.callee());
        if (callee == null) {
            throw new GiveUp("call of " + c.callee());
        }
        Frame g = new Frame(callee);
        for (int i = 0; i < c.args().size(); i++) {
            Variable param = callee.params().get(i);
            Expr actual = c.args().get(i);
            Ref r;
            if (actual instanceof Expr.Ref || actual instanceof Expr.Element) {
                r = knownAddress(f, actual);
            } else {
                Object[] v = eval(f, actual);
                Cells cells = new Cells(param, null);
                System.arraycopy(v, 0, cells.values, 0, Math.min(v.length, cells.values.length));
                r = new Ref(cells, 0);
            }
            g.vars.put(param, r);
        }
        Ref result = null;
        if (callee.result() != null) {
            result = new Ref(new Cells(callee.result(), null), 0);
            g.vars.put(callee.result(), result);
        }
        frames.push(g);
        Flow flow = body(g, callee.body());
        frames.pop();
        if (flow == Flow.CYCLE || flow == Flow.EXIT) {
            throw new GiveUp("CYCLE/EXIT outside a loop");
        }
        if (result != null) {
            store(f, c.result(), result.cells().values.clone());
        }
    }

    // ------------------------------------------------------------------ reads and writes

    /** Where an access points; null for an element whose index is unknown. */
    private Ref address(Frame f, Expr access) {
        Variable v = access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
        Ref base = f.ref(v);
        Integer index = index(f, access);
        if (index == null) {
            return null;
        }
        int slots = v.type() == Type.COMPLEX ? 2 : 1;
        return new Ref(base.cells(), base.offset() + slots * index);
    }

    /** Where an access points, which must be known (an actual argument passed by reference). */
    private Ref knownAddress(Frame f, Expr access) {
        Ref r = address(f, access);
        if (r == null) {
            throw new GiveUp("argument with an unknown array index");
        }
        return r;
    }

    /** The element offset of an access (column-major, from the base), or null when an index is unknown. */
    private Integer index(Frame f, Expr access) {
        if (!(access instanceof Expr.Element e)) {
            return 0;
        }
        long offset = 0;
        long stride = 1;
        for (int i = 0; i < e.indices().size(); i++) {
            Dim d = e.var().dims().get(i);
            Object v = eval(f, e.indices().get(i))[0];
            if (!(v instanceof Long k)) {
                return null;
            }
            offset += (k - d.lower()) * stride;
            if (d.extent() != null) {
                stride *= d.extent();
            }
        }
        return Math.toIntExact(offset);
    }

    /**
     * The channels an element with an unknown index may be: every element of its array (as seen
     * from this frame, which may be a part of the caller's storage).
     */
    private List<Integer> anyElement(Frame f, Expr.Element e) {
        Ref base = f.ref(e.var());
        int slots = e.type() == Type.COMPLEX ? 2 : 1;
        int size = e.var().size();
        if (size < 0) {
            throw new GiveUp("unknown index into an assumed-size array");
        }
        List<Integer> starts = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            starts.add(base.offset() + slots * k);
        }
        return starts;
    }

    private void store(Frame f, Expr target, Object[] value) {
        int slots = target.type() == Type.COMPLEX ? 2 : 1;
        Ref r = address(f, target);
        Cells written = r != null ? r.cells() : f.ref(((Expr.Element) target).var()).cells();
        if (written.global != null && seeded.contains(written.global)) {
            seededWritten.add(written.global);
        }
        if (r == null) {
            // One element of several changes: each keeps only what it and the new value have in common.
            Cells c = written;
            for (int start : anyElement(f, (Expr.Element) target)) {
                for (int ch = 0; ch < slots; ch++) {
                    Object v = ch < value.length ? value[ch] : Boolean.TRUE;
                    c.values[start + ch] = ZeroValues.meet(c.values[start + ch], v, c.type);
                    c.writers[start + ch] = union(c.writers[start + ch], activeSet);
                }
            }
            return;
        }
        for (int ch = 0; ch < slots; ch++) {
            r.cells().values[r.offset() + ch] = ch < value.length ? value[ch] : Boolean.TRUE;
            r.cells().writers[r.offset() + ch] = activeSet;
        }
    }

    /** The program reads a channel: an iteration not running now that changed it is observed. */
    private void read(Cells c, int i) {
        Set<Iteration> w = c.writers[i];
        if (w == null) {
            return;
        }
        for (Iteration it : w) {
            if (it == before) {
                c.exposed.set(i);
            } else if (!it.observed && (activeSet == null || !activeSet.contains(it))) {
                it.observed = true;
            }
        }
    }

    // ------------------------------------------------------------------ expressions

    private Object[] eval(Frame f, Expr e) {
        if (e instanceof Expr.IntConst || e instanceof Expr.LogicalConst || e instanceof Expr.RealConst || e instanceof Expr.ComplexConst) {
            return ZeroValues.constant(e);
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            Ref r = address(f, e);
            int slots = e.type() == Type.COMPLEX ? 2 : 1;
            Object[] out = new Object[slots];
            if (r == null) {
                // Any element: all are read, and only what they all hold is known.
                Cells c = f.ref(((Expr.Element) e).var()).cells();
                boolean first = true;
                for (int start : anyElement(f, (Expr.Element) e)) {
                    for (int ch = 0; ch < slots; ch++) {
                        read(c, start + ch);
                        out[ch] = first ? c.values[start + ch] : ZeroValues.meet(out[ch], c.values[start + ch], c.type);
                    }
                    first = false;
                }
                return out;
            }
            for (int ch = 0; ch < slots; ch++) {
                int i = r.offset() + ch;
                if (i < r.cells().values.length) {
                    read(r.cells(), i);
                    out[ch] = r.cells().values[i];
                } else {
                    out[ch] = ZeroValues.unknownOf(e.type())[0];
                }
            }
            return out;
        }
        if (e instanceof Expr.Convert c) {
            return ZeroValues.convert(eval(f, c.operand()), c.operand().type(), c.type());
        }
        if (e instanceof Expr.Unary u) {
            return ZeroValues.unary(u.op(), u.type(), eval(f, u.operand()));
        }
        if (e instanceof Expr.Binary b) {
            return ZeroValues.binary(b.op(), b.left().type(), b.type(), eval(f, b.left()), eval(f, b.right()), b.right());
        }
        if (e instanceof Expr.Intrinsic fn) {
            List<Object[]> args = new ArrayList<>();
            for (Expr arg : fn.args()) {
                args.add(eval(f, arg));
            }
            return ZeroValues.intrinsic(fn.fn(), fn.type(), args);
        }
        throw new GiveUp("expression " + e.getClass().getSimpleName());
    }

    // ------------------------------------------------------------------ branches

    /** What a branch of the current procedure can write: SAVEd and COMMON storage, and the frame's own variables. */
    private Set<Cells> branchReach(Frame f) {
        Set<Cells> reach = Collections.newSetFromMap(new IdentityHashMap<>());
        reach.addAll(globals.values());
        for (Ref r : f.vars.values()) {
            reach.add(r.cells());
        }
        return reach;
    }

    private static Map<Cells, Saved> save(Set<Cells> cells) {
        Map<Cells, Saved> copy = new IdentityHashMap<>();
        for (Cells c : cells) {
            copy.put(c, Saved.of(c));
        }
        return copy;
    }

    private static void restore(Map<Cells, Saved> saved) {
        saved.forEach((c, s) -> {
            System.arraycopy(s.values(), 0, c.values, 0, c.values.length);
            System.arraycopy(s.writers(), 0, c.writers, 0, c.writers.length);
        });
    }

    /** Keeps in the current state only what both branches agree on; a channel's writers are those of either branch. */
    private static void join(Map<Cells, Saved> other) {
        other.forEach((c, s) -> {
            for (int i = 0; i < c.values.length; i++) {
                c.values[i] = ZeroValues.meet(c.values[i], s.values()[i], c.type);
                c.writers[i] = union(c.writers[i], s.writers()[i]);
            }
        });
    }

    private static Set<Iteration> union(Set<Iteration> a, Set<Iteration> b) {
        if (a == null || a.equals(b)) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Set<Iteration> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
