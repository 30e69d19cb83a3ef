package io.megrad.codegen.emit.java;

import io.megrad.codegen.analysis.SetupWrites;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.RepeatedCalls;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls of a call sequence ({@link CallSequences}) whose adjoints the backward sweep may merge
 * across the sequence's calls within one point ({@link RepeatedCalls}): MATRIX is called once per
 * helicity combination, and its calls that depend only on some particles' helicities compute the
 * same values for every helicity of the others.
 *
 * <p>A call is merged when everything it computes from, through the wavefunctions it reads, is
 * either the same in every call of the sequence within a point, or one of the integers the
 * sequence's calls take by value (the helicities and directions, its <em>key slots</em>, recorded
 * with the sequence): literals; storage nothing in the point's code writes (the couplings and
 * masses, which the model setup writes); the sequence's array arguments, when the sequence is
 * called from one place, in the point routine, with storage nothing in the point's code writes (the
 * momenta). Its key is the values of the slots it depends on, and it must depend on fewer than all
 * of them (else no two calls repeat each other). The call's adjoint must read and clear one
 * contiguous run of output adjoint slots, of one wavefunction of the sequence's frames, and it must
 * read one: merging the external wavefunctions costs about what their own adjoints do.
 */
final class RepeatedCallSites {
    /** A by-value integer argument of a call of the sequence: (index of the call in the body, parameter index). */
    record Slot(int call, int param) {
    }

    /**
     * A merged call: the key slots it depends on, and its output: the parameter whose adjoint it
     * reads, the first offset from that parameter's adjoint address, and how many doubles.
     */
    record Site(BitSet slots, int outputParam, int firstOffset, int width) {
        long mask() {
            long m = 0;
            for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
                m |= RepeatedCalls.mask(s);
            }
            return m;
        }
    }

    /** The key slots of one sequence, in order, and its merged calls. */
    record Plan(List<Slot> slots, Map<Stmt.Call, Site> sites) {
        static final Plan NONE = new Plan(List.of(), Map.of());
    }

    private final Program program;
    private final Conventions conv;
    private final Map<String, CallAdjoint> callAdjoints;
    /** Storage the point's code may write. */
    private final SetupWrites pointWritten;

    private RepeatedCallSites(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints) {
        this.program = program;
        this.conv = conv;
        this.callAdjoints = callAdjoints;
        this.pointWritten = SetupWrites.from(program, program.pointEntry(), conv::writes);
    }

    /** The plan of each sequence in {@code sequences}, by name. */
    static Map<String, Plan> of(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints,
                                Map<String, Map<Variable, FramedArrays.Layout>> framed, Set<String> sequences) {
        RepeatedCallSites analysis = new RepeatedCallSites(program, conv, callAdjoints);
        Map<String, Plan> plans = new HashMap<>();
        for (String name : sequences) {
            plans.put(name, analysis.plan(program.procedure(name), framed.getOrDefault(name, Map.of())));
        }
        return plans;
    }

    private Plan plan(Procedure seq, Map<Variable, FramedArrays.Layout> frames) {
        Map<Variable, Expr> constantArgs = constantArguments(seq);
        if (constantArgs == null) {
            return Plan.NONE;
        }
        List<Stmt> body = seq.body();
        List<Slot> slots = new ArrayList<>();
        // Per framed array element: the key slots its value depends on (absent: not written yet or not mergeable).
        Map<String, BitSet> state = new HashMap<>();
        Set<String> unmergeable = new HashSet<>();
        Map<Stmt.Call, BitSet> cones = new IdentityHashMap<>();
        Map<Stmt.Call, Site> outputs = new IdentityHashMap<>();
        for (int i = 0; i < body.size(); i++) {
            if (!(body.get(i) instanceof Stmt.Call c)) {
                continue; // the final RETURN
            }
            Procedure callee = program.procedure(c.callee());
            CallAdjoint adjoint = callAdjoints.get(c.callee());
            BitSet cone = new BitSet();
            boolean ok = !readsPointWritten(callee, new HashSet<>());
            // Whether it reads a wavefunction of the sequence: the external wavefunctions' own
            // adjoints cost about what merging them would.
            boolean combines = false;
            Site output = null;
            for (int j = 0; j < c.args().size(); j++) {
                Variable param = callee.params().get(j);
                Expr actual = c.args().get(j);
                if (param.type() == Type.INT && !conv.isRefParam(callee, j)) {
                    cone.set(slots.size());
                    slots.add(new Slot(i, j));
                    continue;
                }
                if (param.type() != Type.REAL && param.type() != Type.COMPLEX) {
                    ok = false;
                    continue;
                }
                Set<Integer> written = adjoint.writtenSlots(param);
                Set<Integer> read = adjoint.readSlots(param);
                if (CallSequences.literal(actual)) {
                    continue;
                }
                Variable v = ConstantElements.variableOf(actual);
                int at = actual instanceof Expr.Element e && ConstantElements.constantSubscripts(e) ? ConstantElements.slotOf(actual) : -1;
                if (frames.containsKey(v) && at >= 0) {
                    combines |= !read.isEmpty();
                    for (int r : read) {
                        String k = ConstantElements.key(v, at + r);
                        BitSet from = state.get(k);
                        if (from == null || unmergeable.contains(k)) {
                            ok = false;
                        } else {
                            cone.or(from);
                        }
                    }
                    if (!written.isEmpty()) {
                        output = output == null ? outputSpan(adjoint, param, j) : null;
                        if (output == null) {
                            ok = false;
                        }
                    }
                } else if (!written.isEmpty() || !constant(v, seq, constantArgs)) {
                    ok = false;
                }
            }
            // What it writes depends on what it read.
            for (int j = 0; j < c.args().size(); j++) {
                Variable param = callee.params().get(j);
                Expr actual = c.args().get(j);
                if ((param.type() != Type.REAL && param.type() != Type.COMPLEX) || CallSequences.literal(actual)) {
                    continue;
                }
                Variable v = ConstantElements.variableOf(actual);
                if (!frames.containsKey(v) || !(actual instanceof Expr.Element || actual instanceof Expr.Ref)) {
                    continue;
                }
                int at = actual instanceof Expr.Element e && !ConstantElements.constantSubscripts(e) ? -1 : ConstantElements.slotOf(actual);
                for (int w : adjoint.writtenSlots(param)) {
                    if (at < 0) {
                        return Plan.NONE;
                    }
                    String k = ConstantElements.key(v, at + w);
                    state.put(k, cone);
                    if (ok) {
                        unmergeable.remove(k);
                    } else {
                        unmergeable.add(k);
                    }
                }
            }
            if (ok && output != null && combines) {
                cones.put(c, cone);
                outputs.put(c, output);
            }
        }
        if (slots.isEmpty() || slots.size() > RepeatedCalls.MAX_SLOTS) {
            return Plan.NONE;
        }
        Map<Stmt.Call, Site> sites = new IdentityHashMap<>();
        for (Map.Entry<Stmt.Call, BitSet> e : cones.entrySet()) {
            if (e.getValue().cardinality() < slots.size()) {
                Site o = outputs.get(e.getKey());
                sites.put(e.getKey(), new Site(e.getValue(), o.outputParam(), o.firstOffset(), o.width()));
            }
        }
        return new Plan(slots, sites);
    }

    /** The contiguous output adjoint slots of {@code param}, or null. */
    private static Site outputSpan(CallAdjoint adjoint, Variable param, int index) {
        Set<Integer> offsets = adjoint.outputOffsets(param);
        if (offsets.isEmpty()) {
            return null;
        }
        int first = offsets.iterator().next();
        int last = first;
        for (int o : offsets) {
            last = o;
        }
        return last - first + 1 == offsets.size() ? new Site(new BitSet(), index, first, offsets.size()) : null;
    }

    /**
     * The sequence's arguments, by parameter, as its one call site passes them, when that call is in
     * the point routine; null when the sequence is called elsewhere or from several places.
     */
    private Map<Variable, Expr> constantArguments(Procedure seq) {
        List<Stmt.Call> calls = new ArrayList<>();
        Procedure caller = null;
        for (Procedure p : program.procedures().values()) {
            int before = calls.size();
            CallSites.forEach(p.body(), c -> {
                if (c.callee().equals(seq.name())) {
                    calls.add(c);
                }
            });
            if (calls.size() > before) {
                caller = p;
            }
        }
        if (calls.size() != 1 || !caller.name().equals(program.pointEntry()) || calls.get(0).args().size() != seq.params().size()) {
            return null;
        }
        Map<Variable, Expr> args = new HashMap<>();
        for (int i = 0; i < seq.params().size(); i++) {
            args.put(seq.params().get(i), calls.get(0).args().get(i));
        }
        return args;
    }

    /**
     * Whether {@code v} holds the same values in every call of the sequence within a point: storage
     * the point's code never writes, or an argument whose actual argument is such storage.
     */
    private boolean constant(Variable v, Procedure seq, Map<Variable, Expr> constantArgs) {
        if (v.storage() instanceof Storage.Argument) {
            int index = seq.params().indexOf(v);
            if (index < 0 || conv.writes(seq, index)) {
                return false;
            }
            Expr actual = constantArgs.get(v);
            return actual != null && (CallSequences.literal(actual) || (actual instanceof Expr.Ref || actual instanceof Expr.Element)
                    && !pointWritten.contains(ConstantElements.variableOf(actual)));
        }
        return !(v.storage() instanceof Storage.Local) && !pointWritten.contains(v);
    }

    /** Whether {@code p} (or anything it calls) reads storage of its own that the point's code may write. */
    private boolean readsPointWritten(Procedure p, Set<String> seen) {
        if (p == null || !seen.add(p.name())) {
            return false;
        }
        boolean[] found = {false};
        java.util.function.Consumer<Expr> check = e -> ConstantElements.collectAccesses(e, x -> {
            Variable v = ConstantElements.variableOf(x);
            found[0] |= !(v.storage() instanceof Storage.Argument) && !(v.storage() instanceof Storage.Local) && pointWritten.contains(v);
        });
        scan(p.body(), check, seen, found);
        return found[0];
    }

    private void scan(List<Stmt> body, java.util.function.Consumer<Expr> check, Set<String> seen, boolean[] found) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                check.accept(a.value());
                check.accept(a.target());
            } else if (s instanceof Stmt.If i) {
                check.accept(i.condition());
                scan(i.then(), check, seen, found);
                scan(i.otherwise(), check, seen, found);
            } else if (s instanceof Stmt.Do d) {
                check.accept(d.start());
                check.accept(d.end());
                if (d.step() != null) {
                    check.accept(d.step());
                }
                scan(d.body(), check, seen, found);
            } else if (s instanceof Stmt.While w) {
                check.accept(w.condition());
                scan(w.body(), check, seen, found);
            } else if (s instanceof Stmt.Call c) {
                c.args().forEach(check);
                found[0] |= readsPointWritten(program.procedure(c.callee()), seen);
            }
        }
    }
}
