package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of each call recorded per call ({@link CallAdjoint}) that carry no derivative in a
 * reverse-mode port whose seeds never include the momenta of some particles: usually the incoming
 * ones, for a gradient w.r.t. the final state and the parameters. Their adjoints would be computed
 * and never read; on gg→tt̄g half of MATRIX's vertex calls take an incoming gluon's wavefunction.
 *
 * <p>The momenta are the point entry's first argument, {@code P(0:3, NEXTERNAL)}. An array
 * argument of another procedure that every call passes those momenta (or a part of them), and
 * that nothing writes, inherits which of its elements carry no derivative. Each procedure's
 * top-level statements are then followed in order: an element of one of its own arrays or
 * scalars carries none while the value last assigned to it came only from constants and elements
 * that carry none; a recorded call's outputs carry none when none of its inputs does. Anything
 * else that may write a variable (a statement nested in a loop or branch, a call to a procedure on
 * the statement tape, a computed subscript) makes it carry a derivative again, and COMMON storage
 * always does.
 */
final class InactiveArguments {
    private final Program program;
    private final Conventions conv;
    private final Map<String, CallAdjoint> callAdjoints;
    /** Array arguments and the elements (slots) of theirs that carry no derivative in every call. */
    private final Map<Variable, BitSet> passiveArgs = new HashMap<>();
    private final Map<String, Boolean> readOnly = new HashMap<>();
    private final Map<Stmt.Call, Set<Variable>> result = new IdentityHashMap<>();

    private InactiveArguments(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints) {
        this.program = program;
        this.conv = conv;
        this.callAdjoints = callAdjoints;
    }

    /**
     * Per recorded call (by identity), the callee's arguments that carry no derivative when the
     * momenta of {@code passiveParticles} (numbered from 1) are not seeded; calls with none are absent.
     */
    static Map<Stmt.Call, Set<Variable>> of(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints,
                                            Set<Integer> passiveParticles) {
        InactiveArguments a = new InactiveArguments(program, conv, callAdjoints);
        if (passiveParticles.isEmpty() || !a.seedMomenta(passiveParticles)) {
            return Map.of();
        }
        a.propagate();
        for (Procedure p : program.procedures().values()) {
            if (!callAdjoints.containsKey(p.name())) {
                a.follow(p);
            }
        }
        return a.result;
    }

    private boolean seedMomenta(Set<Integer> particles) {
        Procedure entry = program.procedure(program.pointEntry());
        if (entry == null || entry.params().isEmpty()) {
            return false;
        }
        Variable p = entry.params().get(0);
        List<Dim> dims = p.dims();
        if (p.type() != Type.REAL || dims.size() != 2 || dims.get(0).extent() == null || dims.get(0).extent() != 4
                || dims.get(1).extent() == null || dims.get(1).extent() < program.nExternal() || !readOnly(entry, p)) {
            return false;
        }
        BitSet slots = new BitSet();
        for (int particle : particles) {
            slots.set(4 * (particle - 1), 4 * particle);
        }
        passiveArgs.put(p, slots);
        return true;
    }

    /** Array arguments passed only parts of momenta that carry no derivative, callers first (Fortran has no recursion). */
    private void propagate() {
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Procedure q : program.procedures().values()) {
                for (int i = 0; i < q.params().size(); i++) {
                    Variable x = q.params().get(i);
                    if (!x.isArray() || passiveArgs.containsKey(x)) {
                        continue;
                    }
                    BitSet slots = passedAt(q.name(), i);
                    if (slots != null && !slots.isEmpty() && readOnly(q, x)) {
                        passiveArgs.put(x, slots);
                        changed = true;
                    }
                }
            }
        }
    }

    /** The elements that carry no derivative in argument {@code i} of {@code callee} at every call; null if unknown. */
    private BitSet passedAt(String callee, int i) {
        BitSet[] common = {null};
        boolean[] known = {true};
        for (Procedure p : program.procedures().values()) {
            CallSites.forEach(p.body(), c -> {
                if (!c.callee().equals(callee) || !known[0]) {
                    return;
                }
                BitSet s = i < c.args().size() ? passedBy(c.args().get(i)) : null;
                if (s == null) {
                    known[0] = false;
                } else if (common[0] == null) {
                    common[0] = s;
                } else {
                    common[0].and(s);
                }
            });
        }
        return known[0] ? common[0] : null;
    }

    /** The elements of an argument passed as {@code actual} that carry no derivative, relative to where it starts. */
    private BitSet passedBy(Expr actual) {
        if (!(actual instanceof Expr.Ref || actual instanceof Expr.Element)) {
            return null;
        }
        Variable v = ConstantElements.variableOf(actual);
        BitSet known = passiveArgs.get(v);
        if (known == null || (actual instanceof Expr.Element e && !ConstantElements.constantSubscripts(e))) {
            return null;
        }
        int at = ConstantElements.slotOf(actual);
        BitSet shifted = new BitSet();
        for (int s = known.nextSetBit(at); s >= 0; s = known.nextSetBit(s + 1)) {
            shifted.set(s - at);
        }
        return shifted;
    }

    /** Whether {@code p} (and what it calls) never writes its argument {@code v}. */
    private boolean readOnly(Procedure p, Variable v) {
        String key = p.name() + "#" + p.params().indexOf(v);
        Boolean known = readOnly.get(key);
        if (known != null) {
            return known;
        }
        readOnly.put(key, false); // while deciding
        boolean ro = !writes(p.body(), v);
        readOnly.put(key, ro);
        return ro;
    }

    private boolean writes(List<Stmt> body, Variable v) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a && ConstantElements.variableOf(a.target()) == v
                    || s instanceof Stmt.ParamInput pi && ConstantElements.variableOf(pi.target()) == v
                    || s instanceof Stmt.Do d && (d.var() == v || writes(d.body(), v))
                    || s instanceof Stmt.While w && writes(w.body(), v)
                    || s instanceof Stmt.If i && (writes(i.then(), v) || writes(i.otherwise(), v))
                    || s instanceof Stmt.Call c && callWrites(c, v)) {
                return true;
            }
        }
        return false;
    }

    private boolean callWrites(Stmt.Call c, Variable v) {
        if (c.result() != null && ConstantElements.variableOf(c.result()) == v) {
            return true;
        }
        Procedure callee = program.procedure(c.callee());
        for (int i = 0; i < c.args().size(); i++) {
            Expr actual = c.args().get(i);
            if (!(actual instanceof Expr.Ref || actual instanceof Expr.Element) || ConstantElements.variableOf(actual) != v) {
                continue;
            }
            if (callee == null || i >= callee.params().size()) {
                return true;
            }
            Variable param = callee.params().get(i);
            CallAdjoint recorded = callAdjoints.get(c.callee());
            if (recorded != null ? !recorded.writtenSlots(param).isEmpty() : !readOnly(callee, param)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ one procedure's statements

    /** Follows {@code p}'s top-level statements; {@code state} holds, per variable, the slots carrying no derivative. */
    private void follow(Procedure p) {
        Map<Variable, BitSet> state = new HashMap<>();
        for (Variable x : p.params()) {
            if (passiveArgs.containsKey(x)) {
                state.put(x, passiveArgs.get(x));
            }
        }
        for (Stmt s : p.body()) {
            if (s instanceof Stmt.Call c && c.result() == null && callAdjoints.containsKey(c.callee())) {
                recordedCall(c, state);
            } else if (s instanceof Stmt.Assign a) {
                assign(a, state);
            } else {
                forget(List.of(s), state);
            }
        }
    }

    private void recordedCall(Stmt.Call c, Map<Variable, BitSet> state) {
        CallAdjoint callee = callAdjoints.get(c.callee());
        List<Variable> params = callee.procedure().params();
        Set<Variable> passive = new LinkedHashSet<>();
        boolean allPassive = true;
        for (int i = 0; i < params.size() && i < c.args().size(); i++) {
            Variable q = params.get(i);
            if (q.type() != Type.REAL && q.type() != Type.COMPLEX) {
                continue;
            }
            Set<Integer> reads = callee.readSlots(q);
            if (reads.isEmpty()) {
                continue;
            }
            if (argumentPassive(c.args().get(i), reads, state)) {
                passive.add(q);
            } else {
                allPassive = false;
            }
        }
        for (int i = 0; i < params.size() && i < c.args().size(); i++) {
            Variable q = params.get(i);
            Set<Integer> written = callee.writtenSlots(q);
            Expr actual = c.args().get(i);
            if (written.isEmpty() || !(actual instanceof Expr.Ref || actual instanceof Expr.Element)) {
                continue;
            }
            Variable v = ConstantElements.variableOf(actual);
            if (!tracked(v) || (actual instanceof Expr.Element e && !ConstantElements.constantSubscripts(e))) {
                state.remove(v);
                continue;
            }
            int at = ConstantElements.slotOf(actual);
            BitSet bits = state.computeIfAbsent(v, k -> new BitSet());
            for (int w : written) {
                bits.set(at + w, allPassive);
            }
        }
        if (!passive.isEmpty()) {
            result.put(c, passive);
        }
    }

    /** Whether the elements {@code reads} of an argument passed as {@code actual} all carry no derivative. */
    private boolean argumentPassive(Expr actual, Set<Integer> reads, Map<Variable, BitSet> state) {
        if (actual instanceof Expr.Ref || actual instanceof Expr.Element) {
            Variable v = ConstantElements.variableOf(actual);
            if (conv.isConstantData(v)) {
                return true;
            }
            if (actual instanceof Expr.Element e && !ConstantElements.constantSubscripts(e)) {
                return false;
            }
            BitSet bits = state.get(v);
            int at = ConstantElements.slotOf(actual);
            for (int r : reads) {
                if (bits == null || !bits.get(at + r)) {
                    return false;
                }
            }
            return true;
        }
        return valuePassive(actual, state); // an expression: the callee gets a copy
    }

    private boolean valuePassive(Expr value, Map<Variable, BitSet> state) {
        boolean[] passive = {true};
        ConstantElements.collectAccesses(value, x -> {
            Variable v = ConstantElements.variableOf(x);
            if ((v.type() != Type.REAL && v.type() != Type.COMPLEX) || conv.isConstantData(v)) {
                return; // integers and logicals carry no derivative
            }
            BitSet bits = state.get(v);
            if (bits == null || (x instanceof Expr.Element e && !ConstantElements.constantSubscripts(e))
                    || !bits.get(ConstantElements.slotOf(x))) {
                passive[0] = false;
            }
        });
        return passive[0];
    }

    private void assign(Stmt.Assign a, Map<Variable, BitSet> state) {
        Variable v = ConstantElements.variableOf(a.target());
        if (!tracked(v) || (a.target() instanceof Expr.Element e && !ConstantElements.constantSubscripts(e))) {
            state.remove(v);
            return;
        }
        boolean passive = valuePassive(a.value(), state);
        state.computeIfAbsent(v, k -> new BitSet()).set(ConstantElements.slotOf(a.target()), passive);
    }

    /** Variables whose elements' state is followed: the procedure's own (COMMON storage may change in any call). */
    private boolean tracked(Variable v) {
        return (v.storage() instanceof Storage.Local || v.storage() instanceof Storage.Saved) && !passiveArgs.containsKey(v);
    }

    /** Everything {@code body} may write carries a derivative afterwards. */
    private void forget(List<Stmt> body, Map<Variable, BitSet> state) {
        io.megrad.codegen.ir.Writes.forEach(body, state::remove, c -> {
            if (c.result() != null) {
                state.remove(ConstantElements.variableOf(c.result()));
            }
            for (Expr x : c.args()) {
                if (x instanceof Expr.Ref || x instanceof Expr.Element) {
                    Variable v = ConstantElements.variableOf(x);
                    if (!passiveArgs.containsKey(v)) {
                        state.remove(v); // read-only arguments keep theirs: nothing writes them
                    }
                }
            }
        });
    }
}
