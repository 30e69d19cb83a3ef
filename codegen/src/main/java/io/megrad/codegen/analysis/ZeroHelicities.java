package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves helicity combinations zero, so that the port can skip them: MadGraph's own code skips the
 * combinations that happened to be zero at its first calls; megrad skips only those it can prove
 * vanish for every momentum and parameter.
 *
 * <p>The point routine is interpreted abstractly: integers and logicals with their concrete values
 * (helicity tables, loop counters), every real or complex channel as either <em>exactly zero</em>
 * or <em>unknown</em> (momenta and parameters are unknown). Branches on unknown conditions are
 * followed both ways and joined. When a call of a real FUNCTION (MadGraph's {@code MATRIX}) is
 * proved to return exactly zero for the integer values it is given, that function gets a guard
 * returning 0 for those values. Anything the interpreter does not model (a loop with unknown
 * bounds, WHILE, STOP) abandons the analysis, and nothing is skipped.
 */
public final class ZeroHelicities {
    /** Thrown when the analysis meets something it does not model; then nothing is skipped. */
    private static final class GiveUp extends RuntimeException {
        GiveUp(String why) {
            super(why, null, false, false);
        }
    }

    private static final Object UNKNOWN = new Object();
    private static final int MAX_STEPS = 50_000_000;

    private final Program program;
    private final Map<Object, Object[]> globals = new HashMap<>();
    /** The type of each global's cells (zero flags for reals, values for integers and logicals). */
    private final Map<Object, Type> globalTypes = new HashMap<>();
    /** Function → the integer-argument tuples for which it was proved to return zero. */
    private final Map<String, Set<List<Long>>> zeroCalls = new LinkedHashMap<>();
    /** Function → tuples for which it was seen returning something not provably zero. */
    private final Map<String, Set<List<Long>>> otherCalls = new HashMap<>();
    private long steps;

    private ZeroHelicities(Program program) {
        this.program = program;
    }

    /** The program with guards on provably zero calls, or {@code program} itself when none is proved. */
    public static Program transform(Program program) {
        ZeroHelicities z = new ZeroHelicities(program);
        try {
            z.run();
        } catch (GiveUp | ArithmeticException | IndexOutOfBoundsException e) {
            return program;
        }
        return z.apply();
    }

    // ------------------------------------------------------------------ abstract values

    /** Cells of a real (1 slot) or complex (2 slots) array: Boolean.TRUE = exactly zero. */
    private static Object[] fresh(Variable v) {
        int size = Math.max(v.isArray() ? v.size() : 1, 1);
        int slots = size * (v.type() == Type.COMPLEX ? 2 : 1);
        Object[] cells = new Object[slots];
        for (int i = 0; i < slots; i++) {
            cells[i] = v.type().isDifferentiable() ? Boolean.FALSE : UNKNOWN;
        }
        return cells;
    }

    private record Ref(Object[] cells, int offset) {
    }

    private final class Frame {
        final Procedure proc;
        final Map<Variable, Ref> vars = new IdentityHashMap<>();

        Frame(Procedure proc) {
            this.proc = proc;
        }

        Ref ref(Variable v) {
            Ref r = vars.get(v);
            if (r != null) {
                return r;
            }
            Object key = v.storage() instanceof Storage.Common c ? c.block() + "/" + c.member()
                    : v.storage() instanceof Storage.Saved ? v : null;
            if (key != null) {
                globalTypes.put(key, v.type());
                Object[] cells = globals.computeIfAbsent(key, k -> initial(v));
                r = new Ref(cells, 0);
            } else {
                r = new Ref(fresh(v), 0);
            }
            vars.put(v, r);
            return r;
        }
    }

    /**
     * Storage with its DATA values (known constants), everything else unknown. Storage the model
     * setup writes is unknown whatever its DATA value: the setup runs before every point.
     */
    private Object[] initial(Variable v) {
        Object[] cells = fresh(v);
        if (setupWrites.contains(v)) {
            return cells;
        }
        for (Procedure p : program.procedures().values()) {
            for (DataInit d : p.data()) {
                if (sameStorage(d.var(), v)) {
                    int slots = v.type() == Type.COMPLEX ? 2 : 1;
                    Object[] value = constant(d.value());
                    for (int ch = 0; ch < slots; ch++) {
                        cells[d.offset() * slots + ch] = value[ch];
                    }
                }
            }
        }
        return cells;
    }

    private static boolean sameStorage(Variable a, Variable b) {
        if (a == b) {
            return true;
        }
        return a.storage() instanceof Storage.Common ca && b.storage() instanceof Storage.Common cb
                && ca.block().equals(cb.block()) && ca.member() == cb.member();
    }

    private static Object[] constant(Expr c) {
        if (c instanceof Expr.IntConst i) {
            return new Object[]{i.value()};
        }
        if (c instanceof Expr.LogicalConst l) {
            return new Object[]{l.value()};
        }
        if (c instanceof Expr.RealConst r) {
            return new Object[]{r.value() == 0.0};
        }
        if (c instanceof Expr.ComplexConst z) {
            return new Object[]{z.re() == 0.0, z.im() == 0.0};
        }
        return new Object[]{UNKNOWN};
    }

    // ------------------------------------------------------------------ interpretation

    private SetupWrites setupWrites;

    private void run() {
        setupWrites = SetupWrites.of(program);
        Procedure setup = program.procedure(program.setupEntry());
        Procedure point = program.procedure(program.pointEntry());
        if (setup == null || point == null || point.params().size() != 2) {
            throw new GiveUp("no point routine");
        }
        Frame f = new Frame(point);
        for (Variable p : point.params()) {
            f.vars.put(p, new Ref(fresh(p), 0));
        }
        // Every SAVEd or COMMON value the setup computes is unknown, DATA values are known: as at the
        // start of a point after megrad's state reset.
        body(f, point.body());
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
            store(f, pi.target(), unknownOf(pi.target().type()));
        } else if (s instanceof Stmt.If i) {
            Object c = eval(f, i.condition())[0];
            if (c instanceof Boolean b) {
                return body(f, b ? i.then() : i.otherwise());
            }
            // Both ways on copies, then keep what both agree on.
            Map<Object, Object[]> savedGlobals = snapshotGlobals();
            Map<Variable, Object[]> savedLocals = snapshotLocals(f);
            Flow a = body(f, i.then());
            Map<Object, Object[]> thenGlobals = snapshotGlobals();
            Map<Variable, Object[]> thenLocals = snapshotLocals(f);
            restore(f, savedGlobals, savedLocals);
            Flow b = body(f, i.otherwise());
            if (a != Flow.NORMAL || b != Flow.NORMAL) {
                throw new GiveUp("control transfer inside a branch on an unknown condition");
            }
            join(f, thenGlobals, thenLocals);
        } else if (s instanceof Stmt.Do d) {
            Object start = eval(f, d.start())[0];
            Object end = eval(f, d.end())[0];
            Object step = eval(f, d.step())[0];
            if (!(start instanceof Long a) || !(end instanceof Long b) || !(step instanceof Long c) || c == 0) {
                throw new GiveUp("loop with unknown bounds");
            }
            long trips = Math.max((b - a + c) / c, 0);
            long value = a;
            for (long k = 0; k < trips; k++, value += c) {
                store(f, new Expr.Ref(d.var()), new Object[]{value});
                Flow flow = body(f, d.body());
                if (flow == Flow.RETURN) {
                    return flow;
                }
                if (flow == Flow.EXIT) {
                    break;
                }
            }
            store(f, new Expr.Ref(d.var()), new Object[]{value});
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

    private void call(Frame f, Stmt.Call c) {
        Procedure callee = program.procedure(c.callee());
        Frame g = new Frame(callee);
        List<Long> ints = new ArrayList<>();
        boolean concreteInts = true;
        for (int i = 0; i < c.args().size(); i++) {
            Variable param = callee.params().get(i);
            Expr actual = c.args().get(i);
            Ref r;
            if (actual instanceof Expr.Ref || actual instanceof Expr.Element) {
                r = address(f, actual);
            } else {
                Object[] v = eval(f, actual);
                Object[] cells = fresh(param);
                System.arraycopy(v, 0, cells, 0, Math.min(v.length, cells.length));
                r = new Ref(cells, 0);
            }
            g.vars.put(param, r);
            if (param.type() == Type.INT) {
                int n = param.isArray() ? param.size() : 1;
                if (n < 0) {
                    concreteInts = false;
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    Object v = r.offset() + k < r.cells().length ? r.cells()[r.offset() + k] : UNKNOWN;
                    if (v instanceof Long l) {
                        ints.add(l);
                    } else {
                        concreteInts = false;
                    }
                }
            }
        }
        Ref result = null;
        if (callee.result() != null) {
            result = new Ref(fresh(callee.result()), 0);
            g.vars.put(callee.result(), result);
        }
        Flow flow = body(g, callee.body());
        if (flow == Flow.CYCLE || flow == Flow.EXIT) {
            throw new GiveUp("CYCLE/EXIT outside a loop");
        }
        if (result != null) {
            if (callee.result().type().isDifferentiable() && concreteInts && !ints.isEmpty()) {
                boolean zero = true;
                for (Object cell : result.cells()) {
                    zero &= Boolean.TRUE.equals(cell);
                }
                (zero ? zeroCalls : otherCalls).computeIfAbsent(callee.name(), k -> new LinkedHashSet<>()).add(List.copyOf(ints));
            }
            store(f, c.result(), result.cells().clone());
        }
    }

    private Ref address(Frame f, Expr access) {
        Variable v = access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
        Ref base = f.ref(v);
        int slots = v.type() == Type.COMPLEX ? 2 : 1;
        return new Ref(base.cells(), base.offset() + slots * index(f, access));
    }

    private int index(Frame f, Expr access) {
        if (!(access instanceof Expr.Element e)) {
            return 0;
        }
        long offset = 0;
        long stride = 1;
        for (int i = 0; i < e.indices().size(); i++) {
            Dim d = e.var().dims().get(i);
            Object v = eval(f, e.indices().get(i))[0];
            if (!(v instanceof Long k)) {
                throw new GiveUp("unknown array index");
            }
            offset += (k - d.lower()) * stride;
            if (d.extent() != null) {
                stride *= d.extent();
            }
        }
        return Math.toIntExact(offset);
    }

    private void store(Frame f, Expr target, Object[] value) {
        Ref r = address(f, target);
        int slots = target.type() == Type.COMPLEX ? 2 : 1;
        for (int ch = 0; ch < slots; ch++) {
            r.cells()[r.offset() + ch] = ch < value.length ? value[ch] : Boolean.TRUE;
        }
    }

    private static Object[] unknownOf(Type t) {
        return t == Type.COMPLEX ? new Object[]{false, false} : t.isDifferentiable() ? new Object[]{false} : new Object[]{UNKNOWN};
    }

    // ------------------------------------------------------------------ expressions

    /** Channels of a real/complex value (TRUE = exactly zero), or one Long/Boolean/UNKNOWN. */
    private Object[] eval(Frame f, Expr e) {
        if (e instanceof Expr.IntConst || e instanceof Expr.LogicalConst || e instanceof Expr.RealConst || e instanceof Expr.ComplexConst) {
            return constant(e);
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            Ref r = address(f, e);
            int slots = e.type() == Type.COMPLEX ? 2 : 1;
            Object[] out = new Object[slots];
            for (int ch = 0; ch < slots; ch++) {
                out[ch] = r.offset() + ch < r.cells().length ? r.cells()[r.offset() + ch] : unknownOf(e.type())[0];
            }
            return out;
        }
        if (e instanceof Expr.Convert c) {
            Object[] v = eval(f, c.operand());
            return convert(v, c.operand().type(), c.type());
        }
        if (e instanceof Expr.Unary u) {
            Object[] v = eval(f, u.operand());
            if (u.op() == Op.Unary.NOT) {
                return new Object[]{v[0] instanceof Boolean b ? !b : UNKNOWN};
            }
            if (e.type() == Type.INT) {
                return new Object[]{v[0] instanceof Long l ? -l : UNKNOWN};
            }
            return v;
        }
        if (e instanceof Expr.Binary b) {
            return binary(f, b);
        }
        if (e instanceof Expr.Intrinsic fn) {
            return intrinsic(f, fn);
        }
        throw new GiveUp("expression " + e.getClass().getSimpleName());
    }

    private static Object[] convert(Object[] v, Type from, Type to) {
        if (to.isDifferentiable()) {
            if (from == Type.INT) {
                Object[] r = new Object[to == Type.COMPLEX ? 2 : 1];
                r[0] = v[0] instanceof Long l ? l == 0 : false;
                if (r.length == 2) {
                    r[1] = true;
                }
                return r;
            }
            if (to == Type.COMPLEX) {
                return v.length == 2 ? v : new Object[]{v[0], true};
            }
            return new Object[]{v[0]};
        }
        if (to == Type.INT && from.isDifferentiable()) {
            return new Object[]{Boolean.TRUE.equals(v[0]) ? (Object) 0L : UNKNOWN};
        }
        return v;
    }

    private static boolean z(Object o) {
        return Boolean.TRUE.equals(o);
    }

    private Object[] binary(Frame f, Expr.Binary b) {
        Object[] l = eval(f, b.left());
        Object[] r = eval(f, b.right());
        Op.Binary op = b.op();
        if (op.isLogical()) {
            Object x = l[0];
            Object y = r[0];
            if (op == Op.Binary.AND) {
                if (Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y)) {
                    return new Object[]{false};
                }
                return new Object[]{x instanceof Boolean && y instanceof Boolean ? (Object) true : UNKNOWN};
            }
            if (op == Op.Binary.OR) {
                if (Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y)) {
                    return new Object[]{true};
                }
                return new Object[]{x instanceof Boolean && y instanceof Boolean ? (Object) false : UNKNOWN};
            }
            if (x instanceof Boolean p && y instanceof Boolean q) {
                return new Object[]{op == Op.Binary.EQV ? p == q : p != q};
            }
            return new Object[]{UNKNOWN};
        }
        Type t = b.left().type();
        if (op.isComparison()) {
            if (t == Type.INT || t == Type.LOGICAL) {
                if (l[0] instanceof Long x && r[0] instanceof Long y) {
                    return new Object[]{compare(op, Long.compare(x, y))};
                }
                if (l[0] instanceof Boolean x && r[0] instanceof Boolean y && (op == Op.Binary.EQ || op == Op.Binary.NE)) {
                    return new Object[]{(op == Op.Binary.EQ) == (x == y)};
                }
                return new Object[]{UNKNOWN};
            }
            // Reals: only exact zeros are known values.
            boolean allZero = true;
            for (int ch = 0; ch < l.length; ch++) {
                allZero &= z(l[ch]) && z(r[ch]);
            }
            return new Object[]{allZero ? (Object) compare(op, 0) : UNKNOWN};
        }
        if (b.type() == Type.INT) {
            if (l[0] instanceof Long x && r[0] instanceof Long y) {
                return new Object[]{switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> y == 0 ? UNKNOWN : (Object) (x / y);
                    default -> pow(x, y);
                }};
            }
            return new Object[]{UNKNOWN};
        }
        boolean complex = b.type() == Type.COMPLEX;
        switch (op) {
            case ADD:
            case SUB: {
                Object[] out = new Object[l.length];
                for (int ch = 0; ch < out.length; ch++) {
                    out[ch] = z(l[ch]) && z(r[ch]);
                }
                return out;
            }
            case MUL: {
                if (!complex) {
                    return new Object[]{z(l[0]) || z(r[0])};
                }
                boolean re = (z(l[0]) || z(r[0])) && (z(l[1]) || z(r[1]));
                boolean im = (z(l[0]) || z(r[1])) && (z(l[1]) || z(r[0]));
                return new Object[]{re, im};
            }
            case DIV: {
                if (!complex) {
                    return new Object[]{z(l[0])};
                }
                boolean zeroNumerator = z(l[0]) && z(l[1]);
                return new Object[]{zeroNumerator, zeroNumerator};
            }
            default: {
                // A power of an exact zero with a positive constant exponent is zero.
                boolean zeroBase = true;
                for (Object o : l) {
                    zeroBase &= z(o);
                }
                boolean positive = b.right() instanceof Expr.IntConst n && n.value() > 0;
                Object[] out = new Object[l.length];
                for (int ch = 0; ch < out.length; ch++) {
                    out[ch] = zeroBase && positive;
                }
                return out;
            }
        }
    }

    private static Object pow(long x, long y) {
        if (y < 0) {
            return UNKNOWN;
        }
        long r = 1;
        for (long k = 0; k < y; k++) {
            r *= x;
        }
        return r;
    }

    private static boolean compare(Op.Binary op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    private Object[] intrinsic(Frame f, Expr.Intrinsic fn) {
        List<Object[]> a = new ArrayList<>();
        for (Expr arg : fn.args()) {
            a.add(eval(f, arg));
        }
        Object[] x = a.get(0);
        if (fn.type() == Type.INT) {
            if (fn.fn() == Op.Fn.ABS && x[0] instanceof Long l) {
                return new Object[]{Math.abs(l)};
            }
            if ((fn.fn() == Op.Fn.MIN || fn.fn() == Op.Fn.MAX) && x[0] instanceof Long p && a.get(1)[0] instanceof Long q) {
                return new Object[]{fn.fn() == Op.Fn.MIN ? Math.min(p, q) : Math.max(p, q)};
            }
            if (fn.fn() == Op.Fn.MOD && x[0] instanceof Long p && a.get(1)[0] instanceof Long q && q != 0) {
                return new Object[]{p % q};
            }
            if (fn.fn() == Op.Fn.SIGN && x[0] instanceof Long p && a.get(1)[0] instanceof Long q) {
                return new Object[]{q >= 0 ? Math.abs(p) : -Math.abs(p)};
            }
            if ((fn.fn() == Op.Fn.TRUNC || fn.fn() == Op.Fn.NINT) && z(x[0])) {
                return new Object[]{0L};
            }
            return new Object[]{UNKNOWN};
        }
        boolean allZero = true;
        for (Object o : x) {
            allZero &= z(o);
        }
        int slots = fn.type() == Type.COMPLEX ? 2 : 1;
        switch (fn.fn()) {
            case REAL_PART:
                return new Object[]{x[0]};
            case IMAG_PART:
                return new Object[]{x.length > 1 ? x[1] : true};
            case CONJG:
                return x;
            case CMPLX:
                return new Object[]{x[0], a.get(1)[0]};
            case SQRT:
            case ABS:
            case SIN:
            case TAN:
            case ASIN:
            case ATAN:
            case SINH:
            case TANH: {
                Object[] out = new Object[slots];
                for (int ch = 0; ch < slots; ch++) {
                    out[ch] = allZero;
                }
                return out;
            }
            case SIGN:
                return new Object[]{z(x[0])};
            case MIN:
            case MAX: {
                boolean both = allZero && z(a.get(1)[0]);
                return new Object[]{both};
            }
            default: {
                Object[] out = new Object[slots];
                for (int ch = 0; ch < slots; ch++) {
                    out[ch] = false;
                }
                return out;
            }
        }
    }

    // ------------------------------------------------------------------ state copies for branches

    private Map<Object, Object[]> snapshotGlobals() {
        Map<Object, Object[]> copy = new HashMap<>();
        globals.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private static Map<Variable, Object[]> snapshotLocals(Frame f) {
        Map<Variable, Object[]> copy = new IdentityHashMap<>();
        f.vars.forEach((k, v) -> copy.put(k, v.cells().clone()));
        return copy;
    }

    private void restore(Frame f, Map<Object, Object[]> g, Map<Variable, Object[]> l) {
        g.forEach((k, v) -> {
            Object[] cells = globals.get(k);
            if (cells != null) {
                System.arraycopy(v, 0, cells, 0, v.length);
            }
        });
        l.forEach((k, v) -> {
            Ref r = f.vars.get(k);
            System.arraycopy(v, 0, r.cells(), 0, v.length);
        });
    }

    /** Keeps in the current state only what both branches agree on. */
    private void join(Frame f, Map<Object, Object[]> g, Map<Variable, Object[]> l) {
        g.forEach((k, other) -> meet(globals.get(k), other, globalTypes.get(k)));
        l.forEach((k, other) -> meet(f.vars.get(k).cells(), other, k.type()));
    }

    /**
     * Real channels (flags: TRUE = exactly zero) stay zero only if zero in both; integer and logical
     * values stay known only if equal in both.
     */
    private static void meet(Object[] cells, Object[] other, Type type) {
        if (cells == null) {
            return;
        }
        boolean flags = type != null && type.isDifferentiable();
        for (int i = 0; i < Math.min(cells.length, other.length); i++) {
            if (flags) {
                cells[i] = z(cells[i]) && z(other[i]);
            } else if (cells[i] == null ? other[i] != null : !cells[i].equals(other[i])) {
                cells[i] = UNKNOWN;
            }
        }
    }

    // ------------------------------------------------------------------ the transformation

    private Program apply() {
        Map<String, Procedure> procedures = new LinkedHashMap<>(program.procedures());
        for (Map.Entry<String, Set<List<Long>>> e : zeroCalls.entrySet()) {
            Set<List<Long>> zero = new LinkedHashSet<>(e.getValue());
            Set<List<Long>> other = otherCalls.getOrDefault(e.getKey(), Set.of());
            zero.removeAll(other);
            if (zero.isEmpty()) {
                continue;
            }
            Procedure p = procedures.get(e.getKey());
            Expr condition = null;
            for (List<Long> tuple : zero) {
                Expr match = matches(p, tuple);
                condition = condition == null ? match : new Expr.Binary(Op.Binary.OR, condition, match, Type.LOGICAL);
            }
            Stmt.If guard = new Stmt.If(p.pos(), condition, List.of(
                    new Stmt.Assign(p.pos(), new Expr.Ref(p.result()), zeroOf(p.result().type())),
                    new Stmt.Return(p.pos())), List.of());
            List<Stmt> body = new ArrayList<>();
            body.add(guard);
            body.addAll(p.body());
            procedures.put(p.name(), new Procedure(p.name(), p.params(), p.result(), p.locals(), body, p.data(), p.pos()));
        }
        return new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial());
    }

    /** Proved-zero counts per function, for reports and tests. */
    public static Map<String, Integer> provedZero(Program program) {
        ZeroHelicities z = new ZeroHelicities(program);
        try {
            z.run();
        } catch (GiveUp | ArithmeticException | IndexOutOfBoundsException e) {
            return Map.of();
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        z.zeroCalls.forEach((k, v) -> {
            Set<List<Long>> s = new LinkedHashSet<>(v);
            s.removeAll(z.otherCalls.getOrDefault(k, Set.of()));
            out.put(k, s.size());
        });
        return out;
    }

    private static Expr zeroOf(Type t) {
        return t == Type.COMPLEX ? new Expr.ComplexConst(0, 0) : new Expr.RealConst(0, t);
    }

    /** The integer arguments of {@code p} equal {@code tuple}, in parameter order and element order. */
    private static Expr matches(Procedure p, List<Long> tuple) {
        Expr all = null;
        int k = 0;
        for (Variable param : p.params()) {
            if (param.type() != Type.INT) {
                continue;
            }
            int n = param.isArray() ? param.size() : 1;
            for (int i = 0; i < n; i++) {
                Expr access = param.isArray() ? new Expr.Element(param, List.of(new Expr.IntConst(param.dims().get(0).lower() + i)))
                        : new Expr.Ref(param);
                if (param.isArray() && param.dims().size() != 1) {
                    throw new GiveUp("multi-dimensional integer argument");
                }
                Expr eq = new Expr.Binary(Op.Binary.EQ, access, new Expr.IntConst(tuple.get(k++)), Type.LOGICAL);
                all = all == null ? eq : new Expr.Binary(Op.Binary.AND, all, eq, Type.LOGICAL);
            }
        }
        return all == null ? new Expr.LogicalConst(false) : all;
    }
}
