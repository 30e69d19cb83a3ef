package io.megrad.codegen.ad;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.List;
import java.util.function.Function;

/**
 * The tangent of an IR expression as an IR expression: one directional derivative, written with
 * the IR's own operations so that any backend can run (and differentiate again) the result. Single
 * precision is never used for tangents (a REAL4 value's tangent is REAL), so rounding of the
 * primal does not round its derivative. Branch choices (MIN, MAX, SIGN, ABS) follow the primal's,
 * as the Java emitter's derivative rules do; sqrt'(0) is taken as 0.
 */
final class TangentExpressions {
    private final Function<Variable, Variable> companion;

    /** @param companion the tangent variable of each differentiable variable */
    TangentExpressions(Function<Variable, Variable> companion) {
        this.companion = companion;
    }

    /** Tangent type of a value of type {@code t}. */
    static Type tangentType(Type t) {
        return t == Type.REAL4 ? Type.REAL : t;
    }

    static Expr zero(Type t) {
        return t == Type.COMPLEX ? new Expr.ComplexConst(0, 0) : new Expr.RealConst(0, Type.REAL);
    }

    private static boolean isZero(Expr e) {
        return e instanceof Expr.RealConst r && r.value() == 0 || e instanceof Expr.ComplexConst c && c.re() == 0 && c.im() == 0;
    }

    Expr tangent(Expr e) {
        Type t = tangentType(e.type());
        if (!e.type().isDifferentiable()) {
            throw new IllegalArgumentException("no tangent for " + e.type());
        }
        if (e instanceof Expr.RealConst || e instanceof Expr.ComplexConst) {
            return zero(t);
        }
        if (e instanceof Expr.Ref r) {
            return new Expr.Ref(companion.apply(r.var()));
        }
        if (e instanceof Expr.Element el) {
            return new Expr.Element(companion.apply(el.var()), el.indices());
        }
        if (e instanceof Expr.Convert c) {
            if (!c.operand().type().isDifferentiable()) {
                return zero(t);
            }
            Expr inner = tangent(c.operand());
            return inner.type() == t ? inner : new Expr.Convert(inner, t);
        }
        if (e instanceof Expr.Unary u) {
            return neg(tangent(u.operand()));
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.Intrinsic f) {
            return intrinsic(f, t);
        }
        throw new IllegalArgumentException("no tangent rule for " + e);
    }

    private Expr binary(Expr.Binary b) {
        Expr a = b.left();
        Expr c = b.right();
        switch (b.op()) {
            case ADD:
                return add(tangent(a), tangent(c));
            case SUB:
                return sub(tangent(a), tangent(c));
            case MUL:
                return add(mul(tangent(a), c), mul(a, tangent(c)));
            case DIV:
                // (da - (a/b) db) / b
                return div(sub(tangent(a), mul(div(a, c), tangent(c))), c);
            case POW: {
                if (c.type() == Type.INT) {
                    Expr nMinus1 = new Expr.Binary(Op.Binary.SUB, c, new Expr.IntConst(1), Type.INT);
                    Expr power = new Expr.Binary(Op.Binary.POW, widen(a), nMinus1, tangentType(a.type()));
                    return mul(mul(new Expr.Convert(c, Type.REAL), power), tangent(a));
                }
                // x^y: x^y (dy ln x + y dx / x)
                Expr log = fn(Op.Fn.LOG, a);
                return mul(b, add(mul(tangent(c), log), div(mul(c, tangent(a)), a)));
            }
            default:
                throw new IllegalArgumentException("no tangent rule for " + b.op());
        }
    }

    private Expr intrinsic(Expr.Intrinsic f, Type t) {
        List<Expr> args = f.args();
        Expr x = args.get(0);
        switch (f.fn()) {
            case REAL_PART:
                return new Expr.Intrinsic(Op.Fn.REAL_PART, List.of(tangent(x)), Type.REAL);
            case IMAG_PART:
                return new Expr.Intrinsic(Op.Fn.IMAG_PART, List.of(tangent(x)), Type.REAL);
            case CONJG:
                return new Expr.Intrinsic(Op.Fn.CONJG, List.of(tangent(x)), Type.COMPLEX);
            case CMPLX:
                return new Expr.Intrinsic(Op.Fn.CMPLX, List.of(tangent(x), tangent(args.get(1))), Type.COMPLEX);
            case SQRT: {
                Expr twoRoot = mul(real(2), widen(f));
                if (t == Type.COMPLEX) {
                    return div(tangent(x), twoRoot);
                }
                // sqrt'(0) := 0: the tangent of the argument is then 0 too, and 0/tiny stays 0.
                return div(tangent(x), new Expr.Intrinsic(Op.Fn.MAX, List.of(twoRoot, real(Double.MIN_NORMAL)), Type.REAL));
            }
            case EXP:
                return mul(widen(f), tangent(x));
            case LOG:
                return div(tangent(x), x);
            case LOG10:
                return div(tangent(x), mul(x, real(Math.log(10))));
            case SIN:
                return mul(fn(Op.Fn.COS, x), tangent(x));
            case COS:
                return neg(mul(fn(Op.Fn.SIN, x), tangent(x)));
            case TAN:
                return mul(add(real(1), mul(f, f)), tangent(x));
            case ASIN:
                return div(tangent(x), fn(Op.Fn.SQRT, sub(real(1), mul(x, x))));
            case ACOS:
                return neg(div(tangent(x), fn(Op.Fn.SQRT, sub(real(1), mul(x, x)))));
            case ATAN:
                return div(tangent(x), add(real(1), mul(x, x)));
            case SINH:
                return mul(fn(Op.Fn.COSH, x), tangent(x));
            case COSH:
                return mul(fn(Op.Fn.SINH, x), tangent(x));
            case TANH:
                return mul(sub(real(1), mul(f, f)), tangent(x));
            case ATAN2: {
                Expr y = x;
                Expr xx = args.get(1);
                return div(sub(mul(xx, tangent(y)), mul(y, tangent(xx))), add(mul(xx, xx), mul(y, y)));
            }
            case ABS: {
                if (x.type() == Type.COMPLEX) {
                    Expr re = new Expr.Intrinsic(Op.Fn.REAL_PART,
                            List.of(mul(new Expr.Intrinsic(Op.Fn.CONJG, List.of(x), Type.COMPLEX), tangent(x))), Type.REAL);
                    return div(re, new Expr.Intrinsic(Op.Fn.MAX, List.of(widen(f), real(Double.MIN_NORMAL)), Type.REAL));
                }
                return mul(sign(widen(x)), tangent(x));
            }
            case MIN:
            case MAX: {
                // Selects the tangent of the argument the primal picked: w = 1 when x is chosen.
                Expr y = args.get(1);
                Expr diff = f.fn() == Op.Fn.MIN ? sub(widen(y), widen(x)) : sub(widen(x), widen(y));
                Expr w = mul(real(0.5), add(real(1), sign(diff)));
                return add(mul(w, tangent(x)), mul(sub(real(1), w), tangent(args.get(1))));
            }
            case SIGN:
                return mul(mul(sign(widen(x)), sign(widen(args.get(1)))), tangent(x));
            case MOD: {
                Expr y = args.get(1);
                Expr q = new Expr.Convert(new Expr.Intrinsic(Op.Fn.TRUNC, List.of(div(widen(x), widen(y))), Type.INT), Type.REAL);
                return sub(tangent(x), mul(q, tangent(y)));
            }
            case DIM: {
                Expr w = mul(real(0.5), add(real(1), sign(sub(widen(x), widen(args.get(1))))));
                return mul(w, sub(tangent(x), tangent(args.get(1))));
            }
            default:
                throw new IllegalArgumentException("no tangent rule for " + f.fn());
        }
    }

    // ------------------------------------------------------------------ typed constructors

    private static Expr real(double v) {
        return new Expr.RealConst(v, Type.REAL);
    }

    /** REAL4 values enter tangent arithmetic as REAL (exactly). */
    private static Expr widen(Expr e) {
        return e.type() == Type.REAL4 ? new Expr.Convert(e, Type.REAL) : e;
    }

    private static Expr sign(Expr x) {
        return new Expr.Intrinsic(Op.Fn.SIGN, List.of(real(1), widen(x)), Type.REAL);
    }

    private static Expr fn(Op.Fn fn, Expr x) {
        Expr w = widen(x);
        return new Expr.Intrinsic(fn, List.of(w), w.type());
    }

    private static Type common(Expr a, Expr b) {
        return tangentType(Type.promote(tangentType(a.type()), tangentType(b.type())));
    }

    private static Expr as(Expr e, Type t) {
        Expr w = widen(e);
        return w.type() == t ? w : new Expr.Convert(w, t);
    }

    static Expr add(Expr a, Expr b) {
        if (isZero(a)) {
            return b;
        }
        if (isZero(b)) {
            return a;
        }
        Type t = common(a, b);
        return new Expr.Binary(Op.Binary.ADD, as(a, t), as(b, t), t);
    }

    static Expr sub(Expr a, Expr b) {
        if (isZero(b)) {
            return a;
        }
        if (isZero(a)) {
            return neg(b);
        }
        Type t = common(a, b);
        return new Expr.Binary(Op.Binary.SUB, as(a, t), as(b, t), t);
    }

    static Expr mul(Expr a, Expr b) {
        Type t = common(a, b);
        if (isZero(a) || isZero(b)) {
            return zero(t);
        }
        return new Expr.Binary(Op.Binary.MUL, as(a, t), as(b, t), t);
    }

    static Expr div(Expr a, Expr b) {
        Type t = common(a, b);
        if (isZero(a)) {
            return zero(t);
        }
        return new Expr.Binary(Op.Binary.DIV, as(a, t), as(b, t), t);
    }

    static Expr neg(Expr a) {
        if (isZero(a)) {
            return a;
        }
        Expr w = widen(a);
        return new Expr.Unary(Op.Unary.NEG, w, w.type());
    }
}
