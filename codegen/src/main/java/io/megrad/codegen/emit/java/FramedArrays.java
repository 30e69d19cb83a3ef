package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local arrays of a reverse-mode port that live in the tape's frames: fresh storage for each
 * call of their procedure, kept until the sweep, so the calls recorded per call ({@link CallAdjoint})
 * that read them keep where their inputs are instead of copying them. MATRIX's wavefunctions
 * {@code W} and amplitudes {@code AMP} are the ones that matter: each is read by several vertices.
 *
 * <p>That is sound only if what a record points at does not change before the sweep. An array is
 * split into columns (its last subscript; each element of a one-dimensional array is a column of
 * its own); writing an element its column already holds (MadGraph recycles wavefunction numbers)
 * starts a new generation of the column in storage of its own, so nothing stored is ever
 * overwritten. Every access must be at the top level of the procedure with constant subscripts:
 * an assignment, or a call recorded per call, whose elements read and written through each array
 * argument its {@link CallAdjoint} states. An element may only be read once its column's current
 * generation holds it, and a call may not read a column it starts a new generation of. Anything
 * else (a loop or branch touching the array, a computed subscript, a callee on the statement tape,
 * an element read before it is written) keeps the array where it was.
 */
final class FramedArrays {
    /**
     * Where a framed array's accesses are: each access (by statement and identity) is {@code shift}
     * doubles away from where the array's own layout would put it, in a frame of {@code doubles}.
     */
    static final class Layout {
        private final Map<Stmt, Map<Expr, Integer>> shifts = new IdentityHashMap<>();
        private int doubles;

        int doubles() {
            return doubles;
        }

        /** The shift of {@code access} in top-level statement {@code s}. */
        int shift(Stmt s, Expr access) {
            Map<Expr, Integer> m = shifts.get(s);
            Integer shift = m == null ? null : m.get(access);
            if (shift == null) {
                throw new IllegalStateException("no frame layout for an access at " + s.pos());
            }
            return shift;
        }

        /** False when the access already has another shift (one expression object used twice). */
        private boolean put(Stmt s, Expr access, int shift) {
            Integer old = shifts.computeIfAbsent(s, k -> new IdentityHashMap<>()).put(access, shift);
            return old == null || old == shift;
        }
    }

    private final Conventions conv;
    private final Map<String, CallAdjoint> callAdjoints;

    private FramedArrays(Conventions conv, Map<String, CallAdjoint> callAdjoints) {
        this.conv = conv;
        this.callAdjoints = callAdjoints;
    }

    /**
     * The framed arrays of each procedure that has any, with their layouts; and, per procedure
     * recorded per call, the array arguments every call passes in frames, which it may therefore
     * read where they are ({@link CallAdjoint#readByReference}).
     */
    record Plan(Map<String, Map<Variable, Layout>> arrays, Map<String, Set<Variable>> byReference) {
    }

    /** The plan for {@code program}'s reverse port. */
    static Plan of(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints) {
        Map<String, Map<Variable, Layout>> arrays = framed(program, conv, callAdjoints);
        return new Plan(arrays, alwaysFramed(program, conv, callAdjoints, arrays));
    }

    private static Map<String, Map<Variable, Layout>> framed(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints) {
        FramedArrays f = new FramedArrays(conv, callAdjoints);
        Map<String, Map<Variable, Layout>> framed = new LinkedHashMap<>();
        for (Procedure p : program.procedures().values()) {
            if (callAdjoints.containsKey(p.name())) {
                continue; // its locals are in its call record already
            }
            Map<Variable, Layout> arrays = new LinkedHashMap<>();
            for (Variable v : p.locals()) {
                Layout layout = f.candidate(v) ? f.layout(p, v) : null;
                if (layout != null) {
                    arrays.put(v, layout);
                }
            }
            if (!arrays.isEmpty()) {
                framed.put(p.name(), arrays);
            }
        }
        return framed;
    }

    /** Per callee recorded per call: its array arguments no call passes anything but a framed array. */
    private static Map<String, Set<Variable>> alwaysFramed(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints,
                                                           Map<String, Map<Variable, Layout>> arrays) {
        Map<String, Set<Variable>> framedArgs = new LinkedHashMap<>();
        Set<String> notFramed = new HashSet<>();
        for (Procedure p : program.procedures().values()) {
            Map<Variable, Layout> own = arrays.getOrDefault(p.name(), Map.of());
            CallSites.forEach(p.body(), c -> {
                CallAdjoint callee = callAdjoints.get(c.callee());
                if (callee == null) {
                    return;
                }
                List<Variable> params = callee.procedure().params();
                for (int i = 0; i < params.size() && i < c.args().size(); i++) {
                    Variable param = params.get(i);
                    if (conv.kind(param) != Conventions.Kind.ARG_REF || !param.isArray()) {
                        continue;
                    }
                    Expr actual = c.args().get(i);
                    boolean framed = (actual instanceof Expr.Ref || actual instanceof Expr.Element)
                            && own.containsKey(ConstantElements.variableOf(actual));
                    if (framed) {
                        framedArgs.computeIfAbsent(c.callee(), k -> new LinkedHashSet<>()).add(param);
                    } else {
                        notFramed.add(c.callee() + "#" + i);
                    }
                }
            });
        }
        Map<String, Set<Variable>> always = new LinkedHashMap<>();
        framedArgs.forEach((callee, params) -> {
            List<Variable> all = callAdjoints.get(callee).procedure().params();
            Set<Variable> kept = new LinkedHashSet<>();
            for (Variable param : params) {
                if (!notFramed.contains(callee + "#" + all.indexOf(param))) {
                    kept.add(param);
                }
            }
            if (!kept.isEmpty()) {
                always.put(callee, kept);
            }
        });
        return always;
    }

    private boolean candidate(Variable v) {
        if (!(v.storage() instanceof Storage.Local) || !v.isArray() || conv.isConstantData(v)
                || (v.type() != Type.REAL && v.type() != Type.COMPLEX)) {
            return false;
        }
        for (Dim d : v.dims()) {
            if (d.extent() == null) {
                return false;
            }
        }
        return true;
    }

    /** The generations of {@code v}'s columns as its procedure runs: where each is, which elements it holds. */
    private static final class Columns {
        final Variable v;
        final int size;
        final int channels;
        final int[] start;
        final List<Set<Integer>> held = new ArrayList<>();
        int next;

        Columns(Variable v) {
            this.v = v;
            this.channels = v.type().realSlots();
            int size = 1;
            for (int i = 0; i < v.dims().size() - 1; i++) {
                size *= v.dims().get(i).extent();
            }
            this.size = size;
            int columns = v.size() / size;
            this.start = new int[columns];
            for (int k = 0; k < columns; k++) {
                start[k] = k * size;
                held.add(new HashSet<>());
            }
            this.next = v.size();
        }

        /** Doubles between where element {@code slot}'s column generation is and where v's layout has it. */
        int shift(int slot) {
            int k = slot / size;
            return channels * (start[k] - k * size);
        }

        boolean holds(int slot) {
            return held.get(slot / size).contains(slot % size);
        }

        /**
         * Writes {@code slots}: a column holding any of them already gets a new generation (the
         * callers allow that only when they all lie in that one column).
         */
        void write(Set<Integer> slots) {
            for (int s : slots) {
                int k = s / size;
                Set<Integer> h = held.get(k);
                if (h.contains(s % size)) {
                    start[k] = next;
                    next += size;
                    h.clear();
                }
            }
            for (int s : slots) {
                held.get(s / size).add(s % size);
            }
        }
    }

    private Layout layout(Procedure p, Variable v) {
        Columns cols = new Columns(v);
        Layout layout = new Layout();
        for (Stmt s : p.body()) {
            if (!mentions(s, v)) {
                continue;
            }
            boolean ok;
            if (s instanceof Stmt.Assign a) {
                ok = assign(s, a, cols, layout);
            } else if (s instanceof Stmt.Call c) {
                ok = call(s, c, cols, layout);
            } else {
                ok = false; // inside a loop or branch, or read as a parameter input
            }
            if (!ok) {
                return null;
            }
        }
        layout.doubles = cols.channels * cols.next;
        return layout;
    }

    private boolean assign(Stmt s, Stmt.Assign a, Columns cols, Layout layout) {
        if (!reads(s, a.value(), cols, layout)) {
            return false;
        }
        if (!mentionsIn(a.target(), cols.v)) {
            return true;
        }
        if (a.target() instanceof Expr.Element el && el.indices().stream().anyMatch(i -> mentionsIn(i, cols.v))) {
            return false;
        }
        Integer slot = constantSlot(a.target(), cols.v);
        if (slot == null) {
            return false;
        }
        cols.write(Set.of(slot));
        return layout.put(s, a.target(), cols.shift(slot));
    }

    /** Records the reads of {@code v} in {@code e}: each of an element its column's generation holds, by constant subscripts. */
    private boolean reads(Stmt s, Expr e, Columns cols, Layout layout) {
        List<Expr> accesses = new ArrayList<>();
        collect(e, accesses);
        for (Expr x : accesses) {
            if (ConstantElements.variableOf(x) == cols.v) {
                Integer slot = constantSlot(x, cols.v);
                if (slot == null || !cols.holds(slot) || !layout.put(s, x, cols.shift(slot))) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean call(Stmt s, Stmt.Call c, Columns cols, Layout layout) {
        if (c.result() != null && mentionsIn(c.result(), cols.v)) {
            return false;
        }
        CallAdjoint callee = callAdjoints.get(c.callee());
        Set<Integer> columns = new HashSet<>();
        List<java.util.function.BooleanSupplier> writes = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            Expr actual = c.args().get(i);
            if (!mentionsIn(actual, cols.v)) {
                continue;
            }
            boolean access = actual instanceof Expr.Ref || actual instanceof Expr.Element;
            if (callee == null || !access || i >= callee.procedure().params().size()) {
                return false;
            }
            Integer at = constantSlot(actual, cols.v);
            Variable param = callee.procedure().params().get(i);
            if (at == null || param.type() != cols.v.type()) {
                return false;
            }
            if (conv.kind(param) != Conventions.Kind.ARG_REF) {
                if (!columns.add(at / cols.size) || !cols.holds(at) || !layout.put(s, actual, cols.shift(at))) {
                    return false; // a value argument: read now
                }
                continue;
            }
            Set<Integer> read = shifted(callee.readSlots(param), at, cols);
            Set<Integer> written = shifted(callee.writtenSlots(param), at, cols);
            if (read == null || written == null) {
                return false;
            }
            // The callee sees one stretch of storage: every column it touches must be where the
            // array's layout has it relative to the first, and no other argument may touch them.
            Set<Integer> touched = new HashSet<>();
            touched.add(at / cols.size);
            read.forEach(x -> touched.add(x / cols.size));
            written.forEach(x -> touched.add(x / cols.size));
            for (int k : touched) {
                if (!columns.add(k) || cols.shift(k * cols.size) != cols.shift(at)) {
                    return false;
                }
            }
            for (int slot : read) {
                if (!cols.holds(slot)) {
                    return false;
                }
            }
            boolean fresh = written.stream().anyMatch(cols::holds);
            if (fresh && (!read.isEmpty() || touched.size() > 1)) {
                return false; // it would read the generation it replaces, or split the stretch
            }
            if (written.isEmpty()) {
                if (!layout.put(s, actual, cols.shift(at))) {
                    return false;
                }
                continue;
            }
            // Writes take effect after every argument's reads are placed; a new generation is where it writes.
            if (!fresh && !layout.put(s, actual, cols.shift(at))) {
                return false;
            }
            writes.add(() -> {
                cols.write(written);
                return !fresh || layout.put(s, actual, cols.shift(at));
            });
        }
        for (java.util.function.BooleanSupplier w : writes) {
            if (!w.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** {@code slots} of an argument starting at element {@code at}; null when any is past the array's end. */
    private static Set<Integer> shifted(Set<Integer> slots, int at, Columns cols) {
        Set<Integer> out = new HashSet<>();
        for (int s : slots) {
            if (at + s >= cols.v.size()) {
                return null;
            }
            out.add(at + s);
        }
        return out;
    }
    /** The element an access of {@code v} denotes, or null when its subscripts are not constant. */
    private static Integer constantSlot(Expr access, Variable v) {
        if (access instanceof Expr.Ref r) {
            return r.var() == v ? 0 : null;
        }
        if (access instanceof Expr.Element e && e.var() == v && ConstantElements.constantSubscripts(e)) {
            return ConstantElements.slotOf(e);
        }
        return null;
    }

    private static boolean mentions(Stmt s, Variable v) {
        if (s instanceof Stmt.Assign a) {
            return mentionsIn(a.target(), v) || mentionsIn(a.value(), v);
        }
        if (s instanceof Stmt.If i) {
            return mentionsIn(i.condition(), v) || i.then().stream().anyMatch(x -> mentions(x, v))
                    || i.otherwise().stream().anyMatch(x -> mentions(x, v));
        }
        if (s instanceof Stmt.Do d) {
            return d.var() == v || mentionsIn(d.start(), v) || mentionsIn(d.end(), v) || (d.step() != null && mentionsIn(d.step(), v))
                    || d.body().stream().anyMatch(x -> mentions(x, v));
        }
        if (s instanceof Stmt.While w) {
            return mentionsIn(w.condition(), v) || w.body().stream().anyMatch(x -> mentions(x, v));
        }
        if (s instanceof Stmt.Call c) {
            return (c.result() != null && mentionsIn(c.result(), v)) || c.args().stream().anyMatch(x -> mentionsIn(x, v));
        }
        if (s instanceof Stmt.ParamInput p) {
            return mentionsIn(p.target(), v);
        }
        return false;
    }

    private static boolean mentionsIn(Expr e, Variable v) {
        List<Expr> accesses = new ArrayList<>();
        collect(e, accesses);
        return accesses.stream().anyMatch(x -> ConstantElements.variableOf(x) == v);
    }

    /** Every access in {@code e}, those in subscripts included. */
    private static void collect(Expr e, List<Expr> into) {
        ConstantElements.collectAccesses(e, x -> {
            into.add(x);
            if (x instanceof Expr.Element el) {
                el.indices().forEach(i -> collect(i, into));
            }
        });
    }
}
