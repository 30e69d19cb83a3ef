package io.megrad.codegen.ir;

import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

/**
 * Evaluates constant expressions (PARAMETER values, DATA values, array bounds) at translation time,
 * with the same rounding a Fortran compiler applies (REAL4 results rounded to single precision).
 */
public final class ConstantFolder {
    private ConstantFolder() {
    }

    public static boolean isConstant(Expr e) {
        return e instanceof Expr.IntConst || e instanceof Expr.RealConst || e instanceof Expr.ComplexConst
                || e instanceof Expr.LogicalConst || e instanceof Expr.StringConst;
    }

    /** Folds {@code e} to a constant or throws, naming the position. */
    public static Expr fold(Expr e, SourcePosition pos) {
        Expr r = tryFold(e);
        if (r == null) {
            throw new UnsupportedConstructException(pos, "non-constant expression where a constant is required");
        }
        return r;
    }

    /** Folds {@code e} to a constant, or returns null when it is not constant. */
    public static Expr tryFold(Expr e) {
        if (isConstant(e)) {
            return e;
        }
        if (e instanceof Expr.Convert c) {
            Expr v = tryFold(c.operand());
            return v == null ? null : convert(v, c.type());
        }
        if (e instanceof Expr.Unary u) {
            Expr v = tryFold(u.operand());
            if (v == null) {
                return null;
            }
            if (u.op() == Op.Unary.NOT) {
                return new Expr.LogicalConst(!((Expr.LogicalConst) v).value());
            }
            if (v instanceof Expr.IntConst i) {
                return new Expr.IntConst(-i.value());
            }
            if (v instanceof Expr.RealConst r) {
                return new Expr.RealConst(-r.value(), r.type());
            }
            if (v instanceof Expr.ComplexConst c) {
                return new Expr.ComplexConst(-c.re(), -c.im());
            }
            return null;
        }
        if (e instanceof Expr.Binary b) {
            Expr l = tryFold(b.left());
            Expr r = tryFold(b.right());
            if (l == null || r == null) {
                return null;
            }
            return binary(b.op(), l, r, b.type());
        }
        if (e instanceof Expr.Intrinsic f) {
            return intrinsic(f);
        }
        return null;
    }

    public static Expr convert(Expr v, Type to) {
        if (to == Type.LOGICAL || to == Type.CHARACTER || v.type() == to) {
            return v;
        }
        double re = real(v);
        double im = v instanceof Expr.ComplexConst c ? c.im() : 0;
        return switch (to) {
            case INT -> new Expr.IntConst(v instanceof Expr.IntConst i ? i.value() : (long) re);
            case REAL -> new Expr.RealConst(re, Type.REAL);
            case REAL4 -> new Expr.RealConst((float) re, Type.REAL4);
            case COMPLEX -> new Expr.ComplexConst(re, im);
            case LOGICAL, CHARACTER -> v;
        };
    }

    public static double real(Expr v) {
        if (v instanceof Expr.IntConst i) {
            return i.value();
        }
        if (v instanceof Expr.RealConst r) {
            return r.value();
        }
        if (v instanceof Expr.ComplexConst c) {
            return c.re();
        }
        throw new IllegalArgumentException("not numeric: " + v);
    }

    private static double imag(Expr v) {
        return v instanceof Expr.ComplexConst c ? c.im() : 0;
    }

    private static Expr binary(Op.Binary op, Expr l, Expr r, Type type) {
        if (op.isLogical()) {
            boolean a = ((Expr.LogicalConst) l).value();
            boolean b = ((Expr.LogicalConst) r).value();
            return new Expr.LogicalConst(switch (op) {
                case AND -> a && b;
                case OR -> a || b;
                case EQV -> a == b;
                default -> a != b;
            });
        }
        if (op.isComparison()) {
            double a = real(l);
            double b = real(r);
            return new Expr.LogicalConst(switch (op) {
                case EQ -> a == b && imag(l) == imag(r);
                case NE -> a != b || imag(l) != imag(r);
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                default -> a >= b;
            });
        }
        if (type == Type.INT) {
            long a = ((Expr.IntConst) l).value();
            long b = ((Expr.IntConst) r).value();
            return new Expr.IntConst(switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                default -> ipow(a, b);
            });
        }
        if (type == Type.COMPLEX) {
            double ar = real(l), ai = imag(l), br = real(r), bi = imag(r);
            switch (op) {
                case ADD: return new Expr.ComplexConst(ar + br, ai + bi);
                case SUB: return new Expr.ComplexConst(ar - br, ai - bi);
                case MUL: return new Expr.ComplexConst(ar * br - ai * bi, ar * bi + ai * br);
                case DIV: {
                    double d = br * br + bi * bi;
                    return new Expr.ComplexConst((ar * br + ai * bi) / d, (ai * br - ar * bi) / d);
                }
                default: {
                    if (r instanceof Expr.IntConst n && n.value() >= 0) {
                        double pr = 1, pi = 0;
                        for (long k = 0; k < n.value(); k++) {
                            double t = pr * ar - pi * ai;
                            pi = pr * ai + pi * ar;
                            pr = t;
                        }
                        return new Expr.ComplexConst(pr, pi);
                    }
                    return null;
                }
            }
        }
        double a = real(l);
        double b = real(r);
        double v = switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            default -> r instanceof Expr.IntConst n ? powi(a, n.value()) : Math.pow(a, b);
        };
        return new Expr.RealConst(type == Type.REAL4 ? (float) v : v, type);
    }

    private static Expr intrinsic(Expr.Intrinsic f) {
        Expr[] a = new Expr[f.args().size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = tryFold(f.args().get(i));
            if (a[i] == null) {
                return null;
            }
        }
        Type t = f.type();
        switch (f.fn()) {
            case CMPLX:
                return new Expr.ComplexConst(real(a[0]), a.length > 1 ? real(a[1]) : imag(a[0]));
            case REAL_PART:
                return convert(new Expr.RealConst(real(a[0]), Type.REAL), t);
            case IMAG_PART:
                return convert(new Expr.RealConst(imag(a[0]), Type.REAL), t);
            case CONJG:
                return new Expr.ComplexConst(real(a[0]), -imag(a[0]));
            default:
                break;
        }
        if (t == Type.COMPLEX) {
            return null;
        }
        if (t == Type.INT && f.fn() != Op.Fn.TRUNC && f.fn() != Op.Fn.NINT) {
            long x = ((Expr.IntConst) a[0]).value();
            return switch (f.fn()) {
                case ABS -> new Expr.IntConst(Math.abs(x));
                case MIN -> new Expr.IntConst(Math.min(x, ((Expr.IntConst) a[1]).value()));
                case MAX -> new Expr.IntConst(Math.max(x, ((Expr.IntConst) a[1]).value()));
                case MOD -> new Expr.IntConst(x % ((Expr.IntConst) a[1]).value());
                case SIGN -> new Expr.IntConst(((Expr.IntConst) a[1]).value() >= 0 ? Math.abs(x) : -Math.abs(x));
                default -> null;
            };
        }
        double x = real(a[0]);
        double y = a.length > 1 ? real(a[1]) : 0;
        double v;
        switch (f.fn()) {
            case SQRT -> v = Math.sqrt(x);
            case EXP -> v = Math.exp(x);
            case LOG -> v = Math.log(x);
            case LOG10 -> v = Math.log10(x);
            case SIN -> v = Math.sin(x);
            case COS -> v = Math.cos(x);
            case TAN -> v = Math.tan(x);
            case ATAN -> v = Math.atan(x);
            case ATAN2 -> v = Math.atan2(x, y);
            case ABS -> v = a[0] instanceof Expr.ComplexConst ? Math.hypot(x, imag(a[0])) : Math.abs(x);
            case MIN -> v = Math.min(x, y);
            case MAX -> v = Math.max(x, y);
            case SIGN -> v = y >= 0 ? Math.abs(x) : -Math.abs(x);
            case TRUNC -> {
                return new Expr.IntConst((long) x);
            }
            case NINT -> {
                return new Expr.IntConst(Math.round(x));
            }
            default -> {
                return null;
            }
        }
        return new Expr.RealConst(t == Type.REAL4 ? (float) v : v, t);
    }

    private static long ipow(long a, long b) {
        if (b < 0) {
            return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0;
        }
        long r = 1;
        for (long k = 0; k < b; k++) {
            r *= a;
        }
        return r;
    }

    private static double powi(double a, long n) {
        double r = 1;
        long m = Math.abs(n);
        for (long k = 0; k < m; k++) {
            r *= a;
        }
        return n < 0 ? 1 / r : r;
    }
}
