package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
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
 * The adjoint of a loop-free procedure as Java source, for reverse mode. Instead of one tape record
 * per executed statement (a stored partial and address per leaf, swept by an interpreter loop), a
 * call leaves one record: its arguments' adjoint addresses and the values its statements' adjoints
 * need (every element accessed with a constant subscript is its own value, in single-assignment
 * form: the inputs, and each assigned value a later statement reads). The backward sweep hands the
 * record to {@code NAME$rev}, which, last statement first, recomputes the statement's expression
 * graph from those values in registers and runs its vector-Jacobian product, from the same
 * derivative rules as every other statement ({@link ExpressionGraph#adjoint}).
 *
 * <p>An array argument that every call passes in the tape's frames ({@link FramedArrays}: MATRIX's
 * wavefunctions and amplitudes) is not copied: the record keeps where it is, and the adjoint reads
 * it there ({@link #readByReference}).
 *
 * <p>Branches are replayed by recomputing their condition from the recorded values; a value that
 * depends on the branch taken is a merge ("phi") whose adjoint goes to the branch's own version.
 * A read with a computed subscript (HELAS's {@code chi(im)}) is a recorded value whose adjoint goes
 * to the element the subscript selects. This covers ALOHA's vertices and currents and HELAS's
 * external wavefunctions: most of a matrix element's work. Procedures with loops, calls, computed
 * subscripts on writes, COMMON storage or LOGICAL variables keep the statement tape ({@link #of}
 * returns null). Large procedures are split into parts passing adjoints through a scratch array,
 * so every method stays JIT-compilable.
 */
final class CallAdjoint {
    /** Source characters per adjoint method part to start from; the parts' {@link BytecodeEstimate} has the last word. */
    static final int CHUNK_CHARS = 34_000;
    /** Characters of the code loading one recorded value (and declaring or flushing an adjoint), counted per statement. */
    private static final int LOAD_CHARS = 40;

    private final Procedure proc;
    private final Conventions conv;
    private final int id;
    /** Arguments with an adjoint address, in order: the REAL and COMPLEX ones. */
    private final List<Variable> args = new ArrayList<>();
    /** Version 0 of an argument element: recorded on entry, its adjoint added to the argument's. */
    private final List<Version> inputs = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();
    private final Map<Stmt, Unit> unitOf = new IdentityHashMap<>();
    /** Versions whose values the backward sweep reads: recorded by the primal. */
    private final Set<Version> read = new LinkedHashSet<>();
    /** Top-level units using each version (as a leaf, a merge source or a selectable element). */
    private final Map<Version, Set<Integer>> usedBy = new LinkedHashMap<>();
    /** What a call leaves on the tape, and where. */
    private final CallRecord record;
    /** Value indices the adjoint methods of the latest emission load. */
    private final Set<Integer> loaded = new HashSet<>();
    /** Final version of every element after the body: the argument ones are the outputs. */
    private Map<String, Version> finalEnv;
    private int nextName;
    private int topIndex;
    private String methods;
    private int scratchSize;
    /**
     * Versions carrying no derivative in the adjoint being emitted: none for the procedure's own
     * adjoint; for a {@link #variant}, those computed only from its passive arguments.
     */
    private Set<Version> inactive = Set.of();
    /** The name of the adjoint method being emitted (its parts append {@code $k}). */
    private String revName;
    /**
     * Every call is part of a recorded call sequence ({@link #sequence}): the primal records only
     * values, and the adjoint methods take the addresses as arguments instead of reading a record.
     */
    private boolean sequenced;

    /** One element's value between two assignments. Complex ones have two channels; integers have no adjoint. */
    static final class Version {
        final Variable var;
        final int slot;
        final String name;
        final Type type;
        final boolean input;
        /** The top-level unit defining it (-1 for inputs). */
        final int definedBy;

        Version(Variable var, int slot, String name, Type type, boolean input, int definedBy) {
            this.var = var;
            this.slot = slot;
            this.name = name;
            this.type = type;
            this.input = input;
            this.definedBy = definedBy;
        }

        int channels() {
            return type.realSlots();
        }

        boolean active() {
            return type == Type.REAL || type == Type.COMPLEX;
        }

        String channel(int ch) {
            return channels() == 1 ? name : name + (ch == 0 ? "_re" : "_im");
        }
    }

    private sealed interface Unit permits Assign, IntAssign, Branch {
    }

    /** A REAL or COMPLEX assignment; {@code dynamic} maps each read with a computed subscript to its recorded value. */
    private record Assign(Stmt.Assign stmt, Map<String, Version> env, Version target, Map<Expr, Version> dynamic) implements Unit {
    }

    /** An INTEGER assignment: recorded when read, never differentiated. */
    private record IntAssign(Stmt.Assign stmt, Version target) implements Unit {
    }

    private record Branch(Stmt.If stmt, Map<String, Version> env, List<Unit> then, List<Unit> otherwise, List<Phi> phis) implements Unit {
    }

    /** A value that depends on the branch taken; a null source means the element is undefined on that path. */
    private record Phi(Version merged, Version fromThen, Version fromElse) {
    }

    /** Thrown while building when the procedure is not eligible; the caller falls back to the tape. */
    static final class NotEligible extends RuntimeException {
        NotEligible() {
            super(null, null, false, false);
        }
    }

    /** How the primal procedure reads one access (its channels' Java code), for the recording hooks. */
    interface ValueCode {
        String[] of(Expr access);
    }

    private CallAdjoint(Procedure proc, Conventions conv, int id) {
        this.proc = proc;
        this.conv = conv;
        this.id = id;
        this.record = new CallRecord(proc, conv);
        this.revName = proc.name() + "$rev";
    }

    /** The call adjoint of {@code proc} numbered {@code id}, or null when {@code proc} must stay on the statement tape. */
    static CallAdjoint of(Procedure proc, Conventions conv, int id) {
        CallAdjoint a = new CallAdjoint(proc, conv, id);
        try {
            a.build();
            a.emit();
            a.dropUnread();
        } catch (NotEligible | io.megrad.runtime.UnsupportedConstructException e) {
            return null;
        }
        return a;
    }

    int id() {
        return id;
    }

    String procedureName() {
        return proc.name();
    }

    // ------------------------------------------------------------------ analysis

    private void build() {
        if (proc.result() != null) {
            throw new NotEligible();
        }
        for (Variable p : proc.params()) {
            if (p.type() == Type.REAL || p.type() == Type.COMPLEX) {
                args.add(p);
            } else if (p.type() != Type.INT || conv.kind(p) != Conventions.Kind.ARG_VALUE) {
                throw new NotEligible();
            }
        }
        if (args.isEmpty()) {
            throw new NotEligible(); // nothing differentiable passes through it: no record at all is cheaper
        }
        List<Stmt> body = proc.body();
        if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return) {
            body = body.subList(0, body.size() - 1);
        }
        Map<String, Version> env = new LinkedHashMap<>();
        for (int k = 0; k < body.size(); k++) {
            topIndex = k;
            units.add(unit(body.get(k), env));
        }
        finalEnv = env;
        layout();
    }

    private void layout() {
        record.layout(inputs, read);
    }

    /**
     * Stops recording the values no adjoint method loads (after an emission; what is loaded depends
     * on the derivative rules and {@link DeadValues}, not on where values are) and emits again.
     */
    private void dropUnread() {
        if (record.dropUnread(loaded)) {
            layout();
            emit();
        }
    }

    /**
     * Reads the inputs of array arguments {@code params} where they are, instead of copying them
     * into the record: every call passes them in the tape's frames ({@link FramedArrays}), which
     * keep them unchanged until the sweep. Emits the adjoint again for that.
     */
    void readByReference(Set<Variable> params) {
        if (record.readByReference(params, inputs)) {
            layout();
            emit();
        }
    }

    /**
     * Makes every call of this procedure part of its caller's recorded call sequence: the primal
     * records only its values, and the adjoint methods (the procedure's and its variants', emitted
     * after this) take {@link #addressArguments} and then the frame positions of
     * {@link #byReference} as {@code int} arguments.
     */
    void sequence() {
        sequenced = true;
        emit();
    }

    boolean isSequenced() {
        return sequenced;
    }

    /** The arguments whose adjoint addresses the adjoint methods take, in order. */
    List<Variable> addressArguments() {
        return args;
    }

    /** The array arguments read where they are in the tape's frames, whose positions follow the addresses. */
    List<Variable> byReference() {
        return record.byReference();
    }

    /** Doubles one call records. */
    int valueCount() {
        return record.valueCount();
    }

    /**
     * An adjoint of this procedure for calls some of whose arguments carry no derivative: {@code name}
     * is its method, which takes its addresses as arguments if {@code sequenced} ({@link #sequence}).
     */
    record Variant(int id, String name, String methods, int scratchSize, boolean sequenced) {
    }

    /**
     * The adjoint of the calls whose arguments {@code passive} carry no derivative (in a port whose
     * seeds cannot reach them): their values are read as before, but their adjoints, and those of
     * everything computed only from them, are neither computed nor added. It reads the same record
     * as {@link #methods}; null when it would need a value the record does not keep.
     */
    Variant variant(Set<Variable> passive, int variantId) {
        String baseMethods = methods;
        int baseScratch = scratchSize;
        Set<Integer> baseLoaded = new HashSet<>(loaded);
        inactive = inactiveFor(passive);
        revName = proc.name() + "$rev$v" + variantId;
        try {
            emit();
            boolean kept = baseLoaded.containsAll(loaded) && count(methods, "Double.NaN") <= count(baseMethods, "Double.NaN");
            return kept ? new Variant(variantId, revName, methods, scratchSize, sequenced) : null;
        } catch (NotEligible | io.megrad.runtime.UnsupportedConstructException e) {
            return null;
        } finally {
            methods = baseMethods;
            scratchSize = baseScratch;
            loaded.clear();
            loaded.addAll(baseLoaded);
            inactive = Set.of();
            revName = proc.name() + "$rev";
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /** The versions computed only from the inputs of arguments {@code passive} (and constants), those inputs included. */
    private Set<Version> inactiveFor(Set<Variable> passive) {
        Set<Version> out = new HashSet<>();
        for (Version in : inputs) {
            if (passive.contains(in.var)) {
                out.add(in);
            }
        }
        for (Unit u : units) {
            markInactive(u, out);
        }
        return out;
    }

    private void markInactive(Unit u, Set<Version> out) {
        if (u instanceof Assign a) {
            for (Version d : a.dynamic().values()) {
                boolean all = true;
                for (int slot = 0; slot < d.var.size(); slot++) {
                    Version element = a.env().get(ConstantElements.key(d.var, slot));
                    all &= element != null && (!element.active() || out.contains(element));
                }
                if (all) {
                    out.add(d);
                }
            }
            boolean[] reachable = {false};
            ConstantElements.collectAccesses(a.stmt().value(), x -> {
                Variable v = ConstantElements.variableOf(x);
                if (conv.isConstantData(v) || (v.type() != Type.REAL && v.type() != Type.COMPLEX)) {
                    return;
                }
                Version ver = a.dynamic().get(x);
                if (ver == null) {
                    ver = a.env().get(ConstantElements.key(v, ConstantElements.slotOf(x)));
                }
                reachable[0] |= ver == null || !out.contains(ver);
            });
            if (!reachable[0]) {
                out.add(a.target());
            }
        } else if (u instanceof Branch b) {
            b.then().forEach(x -> markInactive(x, out));
            b.otherwise().forEach(x -> markInactive(x, out));
            for (Phi p : b.phis()) {
                if (inactiveOrAbsent(p.fromThen(), out) && inactiveOrAbsent(p.fromElse(), out)) {
                    out.add(p.merged());
                }
            }
        }
    }

    private static boolean inactiveOrAbsent(Version v, Set<Version> out) {
        return v == null || !v.active() || out.contains(v);
    }

    /** Element slots of array argument {@code param} this procedure reads before writing them: its inputs. */
    Set<Integer> readSlots(Variable param) {
        Set<Integer> slots = new java.util.TreeSet<>();
        for (Version in : inputs) {
            if (in.var == param) {
                slots.add(in.slot);
            }
        }
        return slots;
    }

    /** Element slots of argument {@code param} this procedure writes. */
    Set<Integer> writtenSlots(Variable param) {
        Set<Integer> slots = new java.util.TreeSet<>();
        for (Version v : finalEnv.values()) {
            if (v.var == param && !v.input) {
                slots.add(v.slot);
            }
        }
        return slots;
    }

    /**
     * The adjoint slots of argument {@code param} the adjoint methods read and clear (its final
     * values'), as offsets from its adjoint address.
     */
    Set<Integer> outputOffsets(Variable param) {
        Set<Integer> offsets = new java.util.TreeSet<>();
        for (Version v : finalEnv.values()) {
            if (v.var == param && isOutput(v)) {
                for (int ch = 0; ch < v.channels(); ch++) {
                    offsets.add(v.channels() * v.slot + ch);
                }
            }
        }
        return offsets;
    }

    /** The procedure this is the adjoint of. */
    Procedure procedure() {
        return proc;
    }

    private List<Unit> units(List<Stmt> stmts, Map<String, Version> env) {
        List<Unit> list = new ArrayList<>();
        for (Stmt s : stmts) {
            list.add(unit(s, env));
        }
        return list;
    }

    private Unit unit(Stmt s, Map<String, Version> env) {
        Unit u;
        if (s instanceof Stmt.Assign a) {
            u = assign(a, env);
        } else if (s instanceof Stmt.If i) {
            u = branch(i, env);
        } else {
            throw new NotEligible();
        }
        unitOf.put(s, u);
        return u;
    }

    private Unit assign(Stmt.Assign a, Map<String, Version> env) {
        Variable var = ConstantElements.variableOf(a.target());
        Type t = a.target().type();
        if (conv.isConstantData(var) || var.storage() instanceof Storage.Common
                || (var.storage() instanceof Storage.Argument && t == Type.INT)) {
            throw new NotEligible();
        }
        int slot = ConstantElements.slotOf(a.target());
        if (t == Type.INT) {
            // Its value is recorded, so nothing it reads needs to be.
            Version target = version(var, slot, t);
            env.put(ConstantElements.key(var, slot), target);
            return new IntAssign(a, target);
        }
        if (t != Type.REAL && t != Type.COMPLEX) {
            throw new NotEligible();
        }
        Map<String, Version> seen = new LinkedHashMap<>(env);
        Map<Expr, Version> dynamic = new LinkedHashMap<>();
        ConstantElements.collectAccesses(a.value(), e -> {
            if (e instanceof Expr.Element el && !ConstantElements.constantSubscripts(el) && !dynamic.containsKey(e)) {
                dynamic.put(e, dynamicRead(el, seen));
            }
        });
        graph(a, seen, dynamic, new StringBuilder(), "", "x_", true);
        Version target = version(var, slot, t);
        env.putAll(seen); // inputs created while resolving
        env.put(ConstantElements.key(var, slot), target);
        return new Assign(a, seen, target, dynamic);
    }

    /** A read with a computed subscript: a recorded value, and every element it may select is used. */
    private Version dynamicRead(Expr.Element e, Map<String, Version> env) {
        Variable v = e.var();
        if (conv.isConstantData(v) || !v.isArray() || (v.type() != Type.REAL && v.type() != Type.COMPLEX)) {
            throw new NotEligible();
        }
        for (Dim d : v.dims()) {
            if (d.extent() == null) {
                throw new NotEligible();
            }
        }
        for (Expr idx : e.indices()) {
            intCode(idx, null, env, true);
        }
        for (int slot = 0; slot < v.size(); slot++) {
            Version element = resolve(v, slot, env, true);
            use(element);
        }
        Version d = version(v, -1, v.type());
        read.add(d);
        use(d);
        return d;
    }

    private Unit branch(Stmt.If i, Map<String, Version> env) {
        boolCode(i.condition(), null, env, true);
        Map<String, Version> thenEnv = new LinkedHashMap<>(env);
        List<Unit> then = units(i.then(), thenEnv);
        Map<String, Version> elseEnv = new LinkedHashMap<>(env);
        List<Unit> otherwise = units(i.otherwise(), elseEnv);
        Map<String, Version> before = new LinkedHashMap<>(env);
        // Inputs first read inside a branch exist on both paths (they are recorded on entry).
        for (Map<String, Version> branchEnv : List.of(thenEnv, elseEnv)) {
            for (Map.Entry<String, Version> e : branchEnv.entrySet()) {
                if (e.getValue().input) {
                    before.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Version> branchEnv : List.of(thenEnv, elseEnv)) {
            for (Map.Entry<String, Version> e : branchEnv.entrySet()) {
                if (before.get(e.getKey()) != e.getValue()) {
                    keys.add(e.getKey());
                }
            }
        }
        env.putAll(before);
        List<Phi> phis = new ArrayList<>();
        for (String k : keys) {
            Version fromThen = thenEnv.containsKey(k) ? thenEnv.get(k) : sourceOnEntry(k, thenEnv, elseEnv, env);
            Version fromElse = elseEnv.containsKey(k) ? elseEnv.get(k) : sourceOnEntry(k, thenEnv, elseEnv, env);
            Version any = fromThen != null ? fromThen : fromElse;
            Version merged = version(any.var, any.slot, any.type);
            for (Version src : new Version[]{fromThen, fromElse}) {
                if (src != null) {
                    use(src);
                }
            }
            phis.add(new Phi(merged, fromThen, fromElse));
            env.put(k, merged);
        }
        return new Branch(i, before, then, otherwise, phis);
    }

    /** The value of element {@code k} on a path that did not assign it: the argument's own value, or undefined for a local. */
    private Version sourceOnEntry(String k, Map<String, Version> thenEnv, Map<String, Version> elseEnv, Map<String, Version> env) {
        Version assigned = thenEnv.containsKey(k) ? thenEnv.get(k) : elseEnv.get(k);
        if (assigned.var.storage() instanceof Storage.Argument) {
            return resolve(assigned.var, assigned.slot, env, true);
        }
        return null;
    }

    private Version version(Variable v, int slot, Type t) {
        return new Version(v, slot, "q" + (nextName++), t, false, topIndex);
    }

    private void use(Version v) {
        usedBy.computeIfAbsent(v, x -> new LinkedHashSet<>()).add(topIndex);
    }

    /** The version of an element an access sees; while resolving, an argument element read first becomes an input. */
    private Version resolve(Variable v, int slot, Map<String, Version> env, boolean resolving) {
        Version ver = env.get(ConstantElements.key(v, slot));
        if (ver == null) {
            if (!resolving) {
                throw new IllegalStateException("unresolved " + ConstantElements.key(v, slot) + " in " + proc.name());
            }
            if (!(v.storage() instanceof Storage.Argument)) {
                // A local read before it is written (its value would come from an earlier call), or COMMON storage.
                throw new NotEligible();
            }
            ver = new Version(v, slot, "q" + (nextName++), v.type(), true, -1);
            inputs.add(ver);
            env.put(ConstantElements.key(v, slot), ver);
        }
        return ver;
    }

    /** Whether a value's adjoint can be nonzero: something reads it, or it is a final argument value. */
    private boolean live(Version v) {
        return usedBy.containsKey(v) || isOutput(v);
    }

    /** Whether the adjoint being emitted carries a derivative for {@code v}. */
    private boolean differentiable(Version v) {
        return v.active() && !inactive.contains(v);
    }

    private boolean isOutput(Version v) {
        return !v.input && v.active() && v.var.storage() instanceof Storage.Argument && finalEnv.get(ConstantElements.key(v.var, v.slot)) == v;
    }

    /** A statement's expression graph and the nodes of its value's channels. */
    private record Built(ExpressionGraph graph, Node[] value) {
    }

    /** The graph of statement {@code a} over the versions in {@code env}, its code written to {@code out}. */
    private Built graph(Stmt.Assign a, Map<String, Version> env, Map<Expr, Version> dynamic, StringBuilder out, String indent,
                        String prefix, boolean resolving) {
        Type t = a.target().type();
        Expr value = a.value().type() == t ? a.value() : new Expr.Convert(a.value(), t);
        ExpressionGraph g = new ExpressionGraph(context(env, dynamic, resolving), out, indent, a.pos(), prefix);
        return new Built(g, g.channels(value));
    }

    private ExpressionGraph.Context context(Map<String, Version> env, Map<Expr, Version> dynamic, boolean resolving) {
        return new ExpressionGraph.Context() {
            @Override
            public Loc locate(Expr access) {
                Variable v = ConstantElements.variableOf(access);
                if (conv.isConstantData(v)) {
                    return constantData(v, ConstantElements.slotOf(access));
                }
                Version ver = dynamic.get(access);
                if (ver == null) {
                    ver = resolve(v, ConstantElements.slotOf(access), env, resolving);
                }
                if (resolving) {
                    read.add(ver);
                    use(ver);
                }
                return recorded(ver, resolving);
            }

            @Override
            public boolean passive(Expr access) {
                Variable v = ConstantElements.variableOf(access);
                if (conv.isConstantData(v)) {
                    return true;
                }
                if (resolving || inactive.isEmpty()) {
                    return false;
                }
                Version ver = dynamic.get(access);
                return inactive.contains(ver != null ? ver : resolve(v, ConstantElements.slotOf(access), env, false));
            }

            @Override
            public String intCode(Expr e, ExpressionGraph g) {
                return CallAdjoint.this.intCode(e, g, env, resolving);
            }

            @Override
            public String boolCode(Expr e, ExpressionGraph g) {
                return CallAdjoint.this.boolCode(e, g, env, resolving);
            }
        };
    }

    /** A version read from the call's record; the "tangent base" names its channel, the leaf's identity in a graph. */
    private Loc recorded(Version ver, boolean resolving) {
        String[] values = new String[ver.channels()];
        String[] ids = new String[ver.channels()];
        for (int ch = 0; ch < values.length; ch++) {
            ids[ch] = ver.channel(ch);
            if (!resolving && record.isUnread(ver)) {
                // Not recorded: no adjoint code reads it (NaN would show if one did).
                values[ch] = "Double.NaN";
                continue;
            }
            int at = resolving ? 0 : record.index(ver) + ch;
            if (loads != null) {
                loads.add(at);
            }
            values[ch] = resolving ? "0.0" : loads != null ? "t" + at : "tv[v + " + at + "]";
        }
        return new Loc(values, Loc.RECORDED, ids);
    }

    /** A DATA-only variable, read from its field like everywhere else. */
    private Loc constantData(Variable v, int slot) {
        if (v.type() != Type.REAL && v.type() != Type.COMPLEX) {
            throw new NotEligible();
        }
        String field = v.storage() instanceof Storage.Common c ? JavaEmitter.commonField(c.block(), c.member()) : JavaEmitter.localField(proc, v);
        int chs = v.type().realSlots();
        String[] values = new String[chs];
        for (int ch = 0; ch < chs; ch++) {
            values[ch] = field + "[" + (chs * slot + ch) + "]";
        }
        return new Loc(values, "D", values.clone());
    }

    /** Integer code over recorded values; {@code g} is null while resolving a subscript or a condition outside a graph. */
    private String intCode(Expr e, ExpressionGraph g, Map<String, Version> env, boolean resolving) {
        if (e instanceof Expr.IntConst c) {
            return c.value() < 0 ? "(" + c.value() + ")" : Long.toString(c.value());
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            Variable v = ConstantElements.variableOf(e);
            if (v.type() != Type.INT || (e instanceof Expr.Element el && !ConstantElements.constantSubscripts(el))) {
                throw new NotEligible();
            }
            int slot = ConstantElements.slotOf(e);
            if (conv.isConstantData(v)) {
                String field = v.storage() instanceof Storage.Common c ? JavaEmitter.commonField(c.block(), c.member()) : JavaEmitter.localField(proc, v);
                return field + "[" + slot + "]";
            }
            Version ver = resolve(v, slot, env, resolving);
            if (resolving) {
                read.add(ver);
                use(ver);
                return "0";
            }
            if (record.isUnread(ver)) {
                return "0"; // not recorded: the previous emission, the same code, never loaded it
            }
            int at = record.index(ver);
            if (loads != null) {
                loads.add(at);
                return "((int) t" + at + ")";
            }
            return "((int) tv[v + " + at + "])";
        }
        if (e instanceof Expr.Unary u) {
            return "(-" + intCode(u.operand(), g, env, resolving) + ")";
        }
        if (e instanceof Expr.Binary b) {
            String code = JavaIntegerCode.binary(b.op(), intCode(b.left(), g, env, resolving), intCode(b.right(), g, env, resolving));
            if (code == null) {
                throw new NotEligible();
            }
            return code;
        }
        if (e instanceof Expr.Intrinsic f && f.args().get(0).type() == Type.INT) {
            String code = JavaIntegerCode.intrinsic(f.fn(), intCode(f.args().get(0), g, env, resolving),
                    f.args().size() > 1 ? intCode(f.args().get(1), g, env, resolving) : null);
            if (code == null) {
                throw new NotEligible();
            }
            return code;
        }
        // Conversions of real values to integers: only in integer assignments, whose values are recorded.
        throw new NotEligible();
    }

    private String boolCode(Expr e, ExpressionGraph g, Map<String, Version> env, boolean resolving) {
        if (e instanceof Expr.LogicalConst c) {
            return Boolean.toString(c.value());
        }
        if (e instanceof Expr.Unary u && u.type() == Type.LOGICAL) {
            return "(!" + boolCode(u.operand(), g, env, resolving) + ")";
        }
        if (!(e instanceof Expr.Binary b)) {
            throw new NotEligible(); // LOGICAL variables are not tracked
        }
        if (b.op().isLogical()) {
            return io.megrad.codegen.emit.CFamilySyntax.logical(b.op(), boolCode(b.left(), g, env, resolving), boolCode(b.right(), g, env, resolving));
        }
        String op = io.megrad.codegen.emit.CFamilySyntax.comparison(b.op());
        Type t = b.left().type();
        if (t == Type.INT && b.right().type() == Type.INT) {
            return "(" + intCode(b.left(), g, env, resolving) + " " + op + " " + intCode(b.right(), g, env, resolving) + ")";
        }
        if (t == Type.LOGICAL) {
            throw new NotEligible();
        }
        ExpressionGraph graph = g != null ? g : new ExpressionGraph(context(env, Map.of(), resolving), new StringBuilder(), "", proc.pos(), "c_");
        Node[] l = graph.channels(b.left());
        Node[] r = graph.channels(b.right());
        if (l.length == 2 || r.length == 2) {
            if (l.length != 2 || r.length != 2) {
                throw new NotEligible();
            }
            String eq = "(" + l[0].name + " == " + r[0].name + " && " + l[1].name + " == " + r[1].name + ")";
            return b.op() == Op.Binary.EQ ? eq : "(!" + eq + ")";
        }
        return "(" + l[0].name + " " + op + " " + r[0].name + ")";
    }

    // ------------------------------------------------------------------ recording (in the primal procedure)

    private static String jname(Variable v) {
        return CallRecord.jname(v);
    }

    /**
     * The first statements of the primal procedure in a reverse-mode port: one tape record for the
     * whole call, with its arguments' adjoint addresses and its inputs' values.
     */
    String prologue() {
        return record.prologue(id, args, inputs, sequenced);
    }

    /** Code the primal runs before statement {@code s}: records the values its computed subscripts select. */
    String before(Stmt s, ValueCode code, String indent, boolean inPrologueScope) {
        StringBuilder out = new StringBuilder();
        if (unitOf.get(s) instanceof Assign a) {
            for (Map.Entry<Expr, Version> e : a.dynamic().entrySet()) {
                record(out, e.getValue(), code.of(e.getKey()), indent, inPrologueScope);
            }
        }
        return out.toString();
    }

    /** Code the primal runs after statement {@code s}: records the values it defined that the adjoint reads. */
    String after(Stmt s, ValueCode code, String indent, boolean inPrologueScope) {
        StringBuilder out = new StringBuilder();
        Unit u = unitOf.get(s);
        if (u instanceof Assign a) {
            record(out, a.target(), code.of(a.stmt().target()), indent, inPrologueScope);
        } else if (u instanceof IntAssign a) {
            record(out, a.target(), code.of(a.stmt().target()), indent, inPrologueScope);
        } else if (u instanceof Branch b) {
            for (Phi p : b.phis()) {
                if (record.index(p.merged()) != null) {
                    record(out, p.merged(), code.of(ConstantElements.accessOf(p.merged().var, p.merged().slot)), indent, inPrologueScope);
                }
            }
        }
        return out.toString();
    }

    private void record(StringBuilder out, Version v, String[] valueCode, String indent, boolean inPrologueScope) {
        record.record(out, v, valueCode, indent, inPrologueScope);
    }

    // ------------------------------------------------------------------ the adjoint methods

    /** Scratch adjoints the methods need ({@code $RA}, shared by every call adjoint of the port). */
    int scratchSize() {
        return scratchSize;
    }

    /** The {@code NAME$rev} method (and its parts): read and clear the outputs' adjoints, sweep back, add the inputs' adjoints. */
    String methods() {
        return methods;
    }

    private void emit() {
        // Each top-level statement's size from a trial emission (names have the same lengths); each part
        // also loads the recorded values it reads, declares and flushes adjoints: about a line per value.
        int[] sizes = new int[units.size()];
        for (int k = 0; k < units.size(); k++) {
            loads = new java.util.TreeSet<>();
            sizes[k] = backward(units.get(k), v -> "a" + v.name).length() + LOAD_CHARS * loads.size();
            loads = null;
        }
        // The parts' final code decides: shrink the budget until every part is small enough for the JIT.
        for (int budget = CHUNK_CHARS; ; budget = budget * 85 / 100) {
            if (emit(sizes, budget) <= BytecodeEstimate.LIMIT) {
                return;
            }
        }
    }

    /** Emits the adjoint in parts of at most {@code budget} estimated characters; returns the largest part's {@link BytecodeEstimate}. */
    private int emit(int[] sizes, int budget) {
        scratchSize = 0;
        loaded.clear();
        // Parts of consecutive top-level statements, last first.
        List<List<Integer>> chunks = new ArrayList<>();
        int[] chunkOf = new int[units.size()];
        List<Integer> cur = new ArrayList<>();
        int size = 0;
        for (int k = units.size() - 1; k >= 0; k--) {
            int s = sizes[k];
            if (s > budget) {
                throw new NotEligible();
            }
            if (!cur.isEmpty() && size + s > budget) {
                chunks.add(cur);
                cur = new ArrayList<>();
                size = 0;
            }
            cur.add(k);
            size += s;
        }
        chunks.add(cur);
        for (int c = 0; c < chunks.size(); c++) {
            for (int k : chunks.get(c)) {
                chunkOf[k] = c;
            }
        }
        // A value defined in one part and used in another (or seeded from the arguments when there are
        // several parts) passes its adjoint through the scratch array.
        Map<Version, Integer> scratch = new LinkedHashMap<>();
        List<Version> defined = new ArrayList<>();
        for (Unit u : units) {
            collectDefined(u, defined);
        }
        for (Version v : defined) {
            if (!differentiable(v) || !live(v)) {
                continue;
            }
            boolean crosses = isOutput(v) && chunks.size() > 1;
            for (int user : usedBy.getOrDefault(v, Set.of())) {
                crosses |= chunkOf[user] != chunkOf[v.definedBy];
            }
            if (crosses) {
                scratch.put(v, scratchSize);
                scratchSize += v.channels();
            }
        }
        StringBuilder m = new StringBuilder();
        m.append("    /** Adjoint of one recorded call of ").append(proc.name()).append(" (").append(proc.pos()).append(")")
                .append(inactive.isEmpty() ? "" : ", some of whose arguments carry no derivative").append(" */\n");
        List<String> bases = new ArrayList<>();
        for (Variable arg : args) {
            bases.add(baseName(arg));
        }
        List<Variable> byReference = record.byReference();
        for (Variable arg : byReference) {
            bases.add(whereName(arg));
        }
        if (sequenced) {
            m.append("    private void ").append(revName).append("(double[] tv, int v, double[] adj, double[] fr");
            for (String b : bases) {
                m.append(", int ").append(b);
            }
            m.append(") {\n");
        } else {
            m.append("    private void ").append(revName).append("(double[] tv, int v, int[] ta, int a, double[] adj, double[] fr) {\n");
            for (int i = 0; i < bases.size(); i++) {
                m.append("        final int ").append(bases.get(i)).append(" = ta[a + ").append(i).append("];\n");
            }
        }
        for (Map.Entry<Version, Integer> e : scratch.entrySet()) {
            if (!isOutput(e.getKey())) {
                for (int ch = 0; ch < e.getKey().channels(); ch++) {
                    m.append("        $RA[").append(e.getValue() + ch).append("] = 0.0;\n");
                }
            }
        }
        // Every output's adjoint is read and cleared before any input's is added: arguments may alias.
        StringBuilder seeds = new StringBuilder();
        for (Version out : defined) {
            if (!isOutput(out)) {
                continue;
            }
            for (int ch = 0; ch < out.channels(); ch++) {
                String address = addressOf(out, ch);
                if (chunks.size() > 1) {
                    m.append("        $RA[").append(scratch.get(out) + ch).append("] = adj[").append(address).append("];\n");
                } else {
                    seeds.append("        double a").append(out.channel(ch)).append(" = adj[").append(address).append("];\n");
                }
                (chunks.size() > 1 ? m : seeds).append("        adj[").append(address).append("] = 0.0;\n");
            }
        }
        int largest;
        if (chunks.size() == 1) {
            String body = chunkBody(chunks.get(0), 0, chunkOf, scratch, defined);
            largest = BytecodeEstimate.of(m.toString() + seeds + body, 1);
            m.append(seeds).append(body);
            m.append("    }\n\n");
        } else {
            largest = BytecodeEstimate.of(m);
            String call = "(tv, v, adj, fr" + (bases.isEmpty() ? "" : ", " + String.join(", ", bases)) + ");\n";
            for (int c = 0; c < chunks.size(); c++) {
                m.append("        ").append(revName).append("$").append(c).append(call);
            }
            m.append("    }\n\n");
            StringBuilder params = new StringBuilder();
            for (String b : bases) {
                params.append(", int ").append(b);
            }
            for (int c = 0; c < chunks.size(); c++) {
                m.append("    private void ").append(revName).append("$").append(c).append("(double[] tv, int v, double[] adj, double[] fr")
                        .append(params).append(") {\n");
                String body = chunkBody(chunks.get(c), c, chunkOf, scratch, defined);
                largest = Math.max(largest, BytecodeEstimate.of(body, 5 + bases.size()));
                m.append(body);
                m.append("    }\n\n");
            }
        }
        methods = m.toString();
        return largest;
    }

    private void collectDefined(Unit u, List<Version> out) {
        if (u instanceof Assign a) {
            out.addAll(a.dynamic().values());
            out.add(a.target());
        } else if (u instanceof IntAssign a) {
            out.add(a.target());
        } else if (u instanceof Branch b) {
            b.then().forEach(x -> collectDefined(x, out));
            b.otherwise().forEach(x -> collectDefined(x, out));
            for (Phi p : b.phis()) {
                out.add(p.merged());
            }
        }
    }

    /**
     * The backward code of one part's top-level statements (given last first): recorded values
     * loaded into locals, adjoints accumulated in locals and added to the arguments' adjoints and
     * the scratch array, in the order {@link AdjointSchedule} gives them.
     */
    private String chunkBody(List<Integer> chunk, int c, int[] chunkOf, Map<Version, Integer> scratch, List<Version> defined) {
        StringBuilder decl = new StringBuilder();
        for (Version v : defined) {
            // Outputs of a single part are seeded from the arguments' adjoints before this body.
            if (!differentiable(v) || !live(v) || chunkOf[v.definedBy] != c || (isOutput(v) && !scratch.containsKey(v))) {
                continue;
            }
            for (int ch = 0; ch < v.channels(); ch++) {
                Integer at = scratch.get(v);
                decl.append("        double a").append(v.channel(ch)).append(" = ").append(at == null ? "0.0" : "$RA[" + (at + ch) + "]").append(";\n");
            }
        }
        loads = new java.util.TreeSet<>();
        locals = new AdjointLocals();
        for (Version v : defined) {
            if (differentiable(v) && live(v) && chunkOf[v.definedBy] == c && !scratch.containsKey(v) && !isOutput(v)) {
                for (int ch = 0; ch < v.channels(); ch++) {
                    locals.declaredZero("a" + v.channel(ch));
                }
            }
        }
        Set<Version> flushed = new LinkedHashSet<>();
        StringBuilder code = new StringBuilder();
        for (int k : chunk) {
            code.append(backward(units.get(k), v -> {
                if (v.input || chunkOf[v.definedBy] != c) {
                    if (flushed.add(v)) {
                        for (int ch = 0; ch < v.channels(); ch++) {
                            locals.declaredZero((v.input ? "a" : "r") + v.channel(ch));
                        }
                    }
                    return (v.input ? "a" : "r") + v.name;
                }
                return "a" + v.name;
            }));
        }
        StringBuilder head = new StringBuilder();
        Set<Integer> stillRead = new HashSet<>();
        java.util.regex.Matcher recordedRead = RECORDED_READ.matcher(code);
        while (recordedRead.find()) {
            stillRead.add(Integer.parseInt(recordedRead.group(1)));
        }
        for (int idx : loads) {
            // Only those the code still reads after its unread values were dropped.
            if (!stillRead.contains(idx)) {
                continue;
            }
            loaded.add(idx);
            Version in = record.byReferenceAt(idx);
            if (in == null) {
                head.append("        final double t").append(idx).append(" = tv[v + ").append(idx).append("];\n");
            } else {
                int offset = in.channels() * in.slot + (idx - record.index(in));
                head.append("        final double t").append(idx).append(" = fr[").append(whereName(in.var)).append(" + ").append(offset).append("];\n");
            }
        }
        loads = null;
        StringBuilder tail = new StringBuilder();
        for (Version v : flushed) {
            for (int ch = 0; ch < v.channels(); ch++) {
                String local = (v.input ? "a" : "r") + v.channel(ch);
                String add = locals.negated(local) ? "] -= " : "] += ";
                head.append("        double ").append(local).append(" = 0.0;\n");
                if (v.input) {
                    tail.append("        adj[").append(addressOf(v, ch)).append(add).append(local).append(";\n");
                } else {
                    Integer at = scratch.get(v);
                    if (at == null) {
                        throw new IllegalStateException("no adjoint for " + v.name + " in " + proc.name());
                    }
                    tail.append("        $RA[").append(at + ch).append(add).append(local).append(";\n");
                }
            }
        }
        locals = new AdjointLocals();
        return AdjointSchedule.order(head.toString(), decl.toString(), code.toString(), tail.toString());
    }

    /** Recorded values the part being emitted reads, loaded into locals {@code tN} at its start (null: read in place). */
    private Set<Integer> loads;

    /** A read of the local holding a recorded value. */
    private static final java.util.regex.Pattern RECORDED_READ = java.util.regex.Pattern.compile("\\bt(\\d+)\\b");

    /** The adjoint locals of the part being emitted (a fresh set per part; while sizing, one nothing is declared zero in). */
    private AdjointLocals locals = new AdjointLocals();

    private String accumulate(String indent, String name, String code, boolean negative) {
        return locals.add(indent, name, code, negative);
    }

    /** Names a version's adjoint; channel {@code ch} of it is derived by {@link #channelOf}. */
    private interface Naming {
        String of(Version v);
    }

    /** Channel {@code ch} of an adjoint local named for a version ({@code aNAME} → {@code aNAME_re}, {@code aNAME_im}). */
    private static String channelOf(String name, Version v, int ch) {
        return v.channels() == 1 ? name : name + (ch == 0 ? "_re" : "_im");
    }

    private String backward(Unit u, Naming naming) {
        if (u instanceof Assign a) {
            return assignBackward(a, naming, "        ");
        }
        if (u instanceof Branch b) {
            return branchBackward(b, naming, "        ");
        }
        return "";
    }

    /** One statement's adjoint: recompute its graph from the recorded values, then its vector-Jacobian product. */
    private String assignBackward(Assign a, Naming naming, String indent) {
        Version t = a.target();
        if (!live(t) || inactive.contains(t)) {
            return "";
        }
        StringBuilder fwd = new StringBuilder();
        StringBuilder bwd = new StringBuilder();
        String in = indent + "    ";
        Built built = graph(a.stmt(), a.env(), a.dynamic(), fwd, in, "s" + (nextName++) + "_", false);
        ExpressionGraph g = built.graph();
        Node[] value = built.value();
        String[] seeds = new String[t.channels()];
        boolean[] negatedSeeds = new boolean[t.channels()];
        String target = naming.of(t);
        for (int ch = 0; ch < seeds.length; ch++) {
            seeds[ch] = channelOf(target, t, ch);
            negatedSeeds[ch] = locals.negated(seeds[ch]);
        }
        g.adjoint(value, seeds, negatedSeeds, bwd, in, (leaf, code, negative) -> {
            Version v = versionOfLeaf(a, leaf.leaf.tangentBase(leaf.leafChannel));
            bwd.append(accumulate(in, channelOf(naming.of(v), v, leaf.leafChannel), code, negative));
        });
        // A read with a computed subscript passes its adjoint to the element the subscript selects.
        for (Map.Entry<Expr, Version> e : a.dynamic().entrySet()) {
            Expr.Element el = (Expr.Element) e.getKey();
            Version d = e.getValue();
            if (d.var.size() == 0 || inactive.contains(d)) {
                continue;
            }
            StringBuilder slot = new StringBuilder();
            long stride = 1;
            for (int i = 0; i < el.indices().size(); i++) {
                Dim dim = el.var().dims().get(i);
                String idx = intCode(el.indices().get(i), g, a.env(), false);
                if (slot.length() > 0) {
                    slot.append(" + ");
                }
                slot.append(stride).append(" * (").append(idx).append(" - (").append(dim.lower()).append("))");
                stride *= dim.extent();
            }
            String sel = "$sel" + (nextName++);
            bwd.append(in).append("final int ").append(sel).append(" = ").append(slot).append(";\n");
            locals.enterBranch();
            for (int s = 0; s < d.var.size(); s++) {
                Version element = a.env().get(ConstantElements.key(d.var, s));
                bwd.append(in).append(s == 0 ? "if" : "else if").append(" (").append(sel).append(" == ").append(s).append(") {\n");
                for (int ch = 0; ch < d.channels(); ch++) {
                    String from = channelOf(naming.of(d), d, ch);
                    bwd.append(accumulate(in + "    ", channelOf(naming.of(element), element, ch), from, locals.negated(from)));
                }
                bwd.append(in).append("}\n");
            }
            locals.leaveBranch();
        }
        return indent + "{ // " + a.stmt().pos() + "\n" + DeadValues.removeUnread(fwd.toString(), bwd.toString()) + bwd + indent + "}\n";
    }

    private Version versionOfLeaf(Assign a, String channelName) {
        for (Version v : a.dynamic().values()) {
            if (v.channel(0).equals(channelName) || v.channel(v.channels() - 1).equals(channelName)) {
                return v;
            }
        }
        for (Version v : a.env().values()) {
            if (v.channel(0).equals(channelName) || v.channel(v.channels() - 1).equals(channelName)) {
                return v;
            }
        }
        throw new IllegalStateException("leaf " + channelName + " of " + a.stmt().pos());
    }

    /** A branch replayed: its condition recomputed from recorded values, the merges undone, the taken branch reversed. */
    private String branchBackward(Branch b, Naming naming, String indent) {
        StringBuilder out = new StringBuilder();
        String in = indent + "    ";
        out.append(indent).append("{ // IF at ").append(b.stmt().pos()).append('\n');
        ExpressionGraph g = new ExpressionGraph(context(b.env(), Map.of(), false), out, in, b.stmt().pos(), "c" + (nextName++) + "_");
        String cond = boolCode(b.stmt().condition(), g, b.env(), false);
        locals.enterBranch();
        out.append(in).append("if (").append(cond).append(") {\n");
        branchSide(out, b, b.then(), true, naming, in + "    ");
        out.append(in).append("} else {\n");
        branchSide(out, b, b.otherwise(), false, naming, in + "    ");
        out.append(in).append("}\n");
        locals.leaveBranch();
        out.append(indent).append("}\n");
        return out.toString();
    }

    private void branchSide(StringBuilder out, Branch b, List<Unit> side, boolean then, Naming naming, String indent) {
        for (Phi p : b.phis()) {
            Version src = then ? p.fromThen() : p.fromElse();
            if (src == null || !differentiable(src) || !differentiable(p.merged()) || !live(p.merged())) {
                continue;
            }
            for (int ch = 0; ch < src.channels(); ch++) {
                String from = channelOf(naming.of(p.merged()), p.merged(), ch);
                out.append(accumulate(indent, channelOf(naming.of(src), src, ch), from, locals.negated(from)));
            }
        }
        for (int k = side.size() - 1; k >= 0; k--) {
            Unit u = side.get(k);
            if (u instanceof Assign a) {
                out.append(assignBackward(a, naming, indent));
            } else if (u instanceof Branch inner) {
                out.append(branchBackward(inner, naming, indent));
            }
        }
    }

    private String baseName(Variable arg) {
        return "$b_" + jname(arg);
    }

    /** The local holding where an argument read by reference is in the frames (see {@link CallRecord#prologue}). */
    private String whereName(Variable arg) {
        return "$p_" + jname(arg);
    }

    private String addressOf(Version ver, int ch) {
        int offset = ver.channels() * ver.slot + ch;
        return offset == 0 ? baseName(ver.var) : baseName(ver.var) + " + " + offset;
    }
}
