package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;

import java.util.List;

/**
 * The abstract values of {@link ExactZeros} and the operations on them. A value is an array of
 * channels: one for a real, (re, im) for a complex, one for an integer or logical.
 * <ul>
 *   <li>A real channel is {@link Boolean#TRUE} when exactly zero for every momentum and parameter;
 *       anything else is unknown.</li>
 *   <li>An integer or logical channel is its concrete {@link Long} or {@link Boolean} value, or
 *       {@link #UNKNOWN}.</li>
 *   <li>Any unknown channel may instead be an {@link Opaque} token: an unknown value with an
 *       identity. Only operations that return their operand's exact value (a copy, {@code x + 0},
 *       {@code x - 0}, a real or imaginary part) pass a token on, so the same token means the same
 *       value — which is how an iteration is shown to leave an accumulator unchanged.</li>
 * </ul>
 */
final class ZeroValues {
    private ZeroValues() {
    }

    /** An unknown integer or logical, equal to nothing (not even itself). */
    static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "unknown";
        }
    };

    /** An unknown value with an identity: two channels holding the same token hold the same value. */
    static final class Opaque {
        @Override
        public String toString() {
            return "opaque@" + Integer.toHexString(System.identityHashCode(this));
        }
    }

    static boolean z(Object o) {
        return Boolean.TRUE.equals(o);
    }

    /** A real channel as a plain flag: zero stays zero, any other value becomes an anonymous unknown. */
    private static Object flag(Object o) {
        return z(o);
    }

    private static Object[] flags(Object[] v) {
        Object[] out = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = flag(v[i]);
        }
        return out;
    }

    /** Whether two channels of a cell of type {@code t} are known to hold the same value. */
    static boolean same(Object a, Object b, Type t) {
        if (a instanceof Opaque) {
            return a == b;
        }
        if (t.isDifferentiable()) {
            return z(a) && z(b);
        }
        return (a instanceof Long || a instanceof Boolean) && a.equals(b);
    }

    /** What is known on both of two paths: the value if they agree, else an unknown. */
    static Object meet(Object a, Object b, Type t) {
        if (same(a, b, t)) {
            return a;
        }
        return t.isDifferentiable() ? Boolean.FALSE : UNKNOWN;
    }

    /** An unknown channel as a fresh token (known channels are returned as they are). */
    static Object token(Object o, Type t) {
        if (o instanceof Opaque) {
            return o;
        }
        if (t.isDifferentiable() ? z(o) : o instanceof Long || o instanceof Boolean) {
            return o;
        }
        return new Opaque();
    }

    static Object[] unknownOf(Type t) {
        return t == Type.COMPLEX ? new Object[]{false, false} : t.isDifferentiable() ? new Object[]{false} : new Object[]{UNKNOWN};
    }

    static Object[] constant(Expr c) {
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

    static Object[] convert(Object[] v, Type from, Type to) {
        if (to.isDifferentiable()) {
            if (from == Type.INT) {
                Object[] r = new Object[to == Type.COMPLEX ? 2 : 1];
                r[0] = v[0] instanceof Long l && l == 0;
                if (r.length == 2) {
                    r[1] = true;
                }
                return r;
            }
            // Exact conversions keep tokens; rounding to single precision does not.
            boolean exact = from == Type.REAL4 || to != Type.REAL4;
            Object[] w = exact ? v : flags(v);
            if (to == Type.COMPLEX) {
                return w.length == 2 ? w : new Object[]{w[0], true};
            }
            return new Object[]{w[0]};
        }
        if (to == Type.INT && from.isDifferentiable()) {
            return new Object[]{z(v[0]) ? (Object) 0L : UNKNOWN};
        }
        return v;
    }

    static Object[] unary(Op.Unary op, Type type, Object[] v) {
        if (op == Op.Unary.NOT) {
            return new Object[]{v[0] instanceof Boolean b ? !b : UNKNOWN};
        }
        if (type == Type.INT) {
            return new Object[]{v[0] instanceof Long l ? -l : UNKNOWN};
        }
        return flags(v);
    }

    /** {@code l op r}; {@code right} is the right operand's expression (a constant exponent matters). */
    static Object[] binary(Op.Binary op, Type operands, Type type, Object[] l, Object[] r, Expr right) {
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
        if (op.isComparison()) {
            if (operands == Type.INT || operands == Type.LOGICAL) {
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
        if (type == Type.INT) {
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
        boolean complex = type == Type.COMPLEX;
        switch (op) {
            case ADD: {
                // x + 0 and 0 + x are x: the token passes (up to the sign of a zero x).
                Object[] out = new Object[l.length];
                for (int ch = 0; ch < out.length; ch++) {
                    out[ch] = z(l[ch]) ? r[ch] : z(r[ch]) ? l[ch] : Boolean.FALSE;
                }
                return out;
            }
            case SUB: {
                Object[] out = new Object[l.length];
                for (int ch = 0; ch < out.length; ch++) {
                    out[ch] = z(r[ch]) ? l[ch] : Boolean.FALSE;
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
                boolean positive = right instanceof Expr.IntConst n && n.value() > 0;
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

    static Object[] intrinsic(Op.Fn fn, Type type, List<Object[]> a) {
        Object[] x = a.get(0);
        if (type == Type.INT) {
            if (fn == Op.Fn.ABS && x[0] instanceof Long l) {
                return new Object[]{Math.abs(l)};
            }
            if ((fn == Op.Fn.MIN || fn == Op.Fn.MAX) && x[0] instanceof Long p && a.get(1)[0] instanceof Long q) {
                return new Object[]{fn == Op.Fn.MIN ? Math.min(p, q) : Math.max(p, q)};
            }
            if (fn == Op.Fn.MOD && x[0] instanceof Long p && a.get(1)[0] instanceof Long q && q != 0) {
                return new Object[]{p % q};
            }
            if (fn == Op.Fn.SIGN && x[0] instanceof Long p && a.get(1)[0] instanceof Long q) {
                return new Object[]{q >= 0 ? Math.abs(p) : -Math.abs(p)};
            }
            if ((fn == Op.Fn.TRUNC || fn == Op.Fn.NINT) && z(x[0])) {
                return new Object[]{0L};
            }
            return new Object[]{UNKNOWN};
        }
        boolean allZero = true;
        for (Object o : x) {
            allZero &= z(o);
        }
        int slots = type == Type.COMPLEX ? 2 : 1;
        switch (fn) {
            case REAL_PART:
                return new Object[]{x[0]};
            case IMAG_PART:
                return new Object[]{x.length > 1 ? x[1] : true};
            case CONJG:
                return new Object[]{x[0], flag(x[1])};
            case CMPLX:
                return new Object[]{x[0], a.size() > 1 ? a.get(1)[0] : true};
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
            case MAX:
                return new Object[]{allZero && z(a.get(1)[0])};
            default: {
                Object[] out = new Object[slots];
                for (int ch = 0; ch < slots; ch++) {
                    out[ch] = false;
                }
                return out;
            }
        }
    }
}
