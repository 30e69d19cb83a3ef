package io.megrad.codegen.emit;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.List;

/**
 * Expands a REAL or COMPLEX IR expression into real operations on nodes of a statement's graph:
 * complex arithmetic by channels (re, im), constant integer powers by binary exponentiation, each
 * intrinsic by its real or complex parts. How a node is written and what its local partials are
 * belong to a backend ({@code emit.java.ExpressionGraph}, {@code emit.cpp.StatementGraph}); this
 * expansion is shared, so both backends evaluate the same real operations in the same order.
 *
 * @param <N> the backend's node type
 */
public abstract class ComplexExpansion<N extends ComplexExpansion.GraphNode> {
    /** What the expansion asks of a node: whether it is the constant zero (a real divisor's imaginary part). */
    public interface GraphNode {
        boolean isZero();
    }

    protected final SourcePosition pos;

    protected ComplexExpansion(SourcePosition pos) {
        this.pos = pos;
    }

    // ------------------------------------------------------------------ what a backend provides

    protected abstract N[] nodes(int n);

    public abstract N constant(double v);

    /** An INTEGER expression as a passive real node. */
    protected abstract N passiveInt(Expr e);

    /** The channels of a variable or element access: leaves, or passive nodes for constants. */
    protected abstract N[] access(Expr access);

    public abstract N add(N a, N b);

    public abstract N sub(N a, N b);

    public abstract N neg(N a);

    public abstract N mul(N a, N b);

    public abstract N div(N a, N b);

    /** Rounding to single precision (REAL*4); the derivative passes through. */
    protected abstract N toSingle(N x);

    /** {@code x ** n} for a real {@code x} and an INTEGER exponent known only at run time. */
    protected abstract N powInt(N x, Expr n);

    /** {@code x ** y} for real operands. */
    protected abstract N pow(N x, N y);

    /** A real function of one argument: SQRT, EXP, LOG, LOG10, the trigonometric and hyperbolic ones, ABS. */
    protected abstract N function(Op.Fn fn, N x);

    /** A real function of two: MIN, MAX, SIGN, MOD, DIM, ATAN2; and ABS of a complex number given its parts. */
    protected abstract N function2(Op.Fn fn, N x, N y);

    /** The parts of a holomorphic function (SQRT, EXP, LOG) of a complex number given its parts. */
    protected abstract N[] holomorphic(Op.Fn fn, N[] z);

    // ------------------------------------------------------------------ the expansion

    /** Compiles a REAL/REAL4 expression. */
    public N real(Expr e) {
        return channels(e)[0];
    }

    /** Compiles a numeric expression into its channels: one for real, two (re, im) for complex. */
    public N[] channels(Expr e) {
        Type t = e.type();
        if (e instanceof Expr.RealConst r) {
            return of(constant(r.value()));
        }
        if (e instanceof Expr.ComplexConst c) {
            return of(constant(c.re()), constant(c.im()));
        }
        if (e instanceof Expr.IntConst i) {
            return of(constant((double) i.value()));
        }
        if (t == Type.INT) {
            return of(passiveInt(e));
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            return access(e);
        }
        if (e instanceof Expr.Convert cv) {
            return convert(cv);
        }
        if (e instanceof Expr.Unary u) {
            N[] a = channels(u.operand());
            N[] r = nodes(a.length);
            for (int i = 0; i < a.length; i++) {
                r[i] = neg(a[i]);
            }
            return round(r, t);
        }
        if (e instanceof Expr.Binary b) {
            return round(binary(b), t);
        }
        if (e instanceof Expr.Intrinsic f) {
            return round(intrinsic(f), t);
        }
        throw new UnsupportedConstructException(pos, "expression " + e.getClass().getSimpleName() + " of type " + t);
    }

    @SafeVarargs
    private N[] of(N... n) {
        N[] r = nodes(n.length);
        System.arraycopy(n, 0, r, 0, n.length);
        return r;
    }

    private N[] complex(N[] z) {
        return z.length == 2 ? z : of(z[0], constant(0.0));
    }

    private N[] round(N[] r, Type t) {
        return t == Type.REAL4 ? of(toSingle(r[0])) : r;
    }

    private N[] convert(Expr.Convert cv) {
        Type from = cv.operand().type();
        Type to = cv.type();
        if (from == Type.INT) {
            N v = passiveInt(cv.operand());
            if (to == Type.REAL4) {
                v = toSingle(v);
            }
            return to == Type.COMPLEX ? of(v, constant(0.0)) : of(v);
        }
        N[] a = channels(cv.operand());
        return switch (to) {
            case REAL -> of(a[0]);
            case REAL4 -> of(toSingle(a[0]));
            case COMPLEX -> complex(a);
            default -> throw new UnsupportedConstructException(pos, "conversion from " + from + " to " + to);
        };
    }

    private N[] binary(Expr.Binary b) {
        if (b.op() == Op.Binary.POW) {
            return power(b);
        }
        N[] l = channels(b.left());
        N[] r = channels(b.right());
        if (b.type() != Type.COMPLEX) {
            return of(switch (b.op()) {
                case ADD -> add(l[0], r[0]);
                case SUB -> sub(l[0], r[0]);
                case MUL -> mul(l[0], r[0]);
                case DIV -> div(l[0], r[0]);
                default -> throw new UnsupportedConstructException(pos, "operator " + b.op() + " on " + b.type());
            });
        }
        l = complex(l);
        r = complex(r);
        return switch (b.op()) {
            case ADD -> of(add(l[0], r[0]), add(l[1], r[1]));
            case SUB -> of(sub(l[0], r[0]), sub(l[1], r[1]));
            case MUL -> cmul(l, r);
            case DIV -> cdiv(l, r);
            default -> throw new UnsupportedConstructException(pos, "operator " + b.op() + " on COMPLEX");
        };
    }

    public N[] cmul(N[] l, N[] r) {
        N re = sub(mul(l[0], r[0]), mul(l[1], r[1]));
        N im = add(mul(l[0], r[1]), mul(l[1], r[0]));
        return of(re, im);
    }

    public N[] cdiv(N[] l, N[] r) {
        if (r[1].isZero()) {
            return of(div(l[0], r[0]), div(l[1], r[0]));
        }
        N d = add(mul(r[0], r[0]), mul(r[1], r[1]));
        N re = div(add(mul(l[0], r[0]), mul(l[1], r[1])), d);
        N im = div(sub(mul(l[1], r[0]), mul(l[0], r[1])), d);
        return of(re, im);
    }

    private N[] power(Expr.Binary b) {
        N[] base = channels(b.left());
        if (b.right().type() == Type.INT) {
            if (b.right() instanceof Expr.IntConst n && Math.abs(n.value()) <= 64) {
                return ipow(base, (int) n.value());
            }
            if (base.length == 1) {
                return of(powInt(base[0], b.right()));
            }
            throw new UnsupportedConstructException(pos, "COMPLEX raised to a non-constant integer power");
        }
        N[] ex = channels(b.right());
        if (base.length == 1 && ex.length == 1) {
            return of(pow(base[0], ex[0]));
        }
        // z**w = exp(w log z) for complex operands.
        return holomorphic(Op.Fn.EXP, cmul(complex(ex), holomorphic(Op.Fn.LOG, complex(base))));
    }

    /** x**n by binary exponentiation, the way compilers expand constant integer powers. */
    private N[] ipow(N[] x, int n) {
        N[] one = x.length == 1 ? of(constant(1.0)) : of(constant(1.0), constant(0.0));
        if (n == 0) {
            return one;
        }
        if (n < 0) {
            N[] p = ipow(x, -n);
            return x.length == 1 ? of(div(one[0], p[0])) : cdiv(one, p);
        }
        N[] result = null;
        N[] base = x;
        int m = n;
        while (m > 0) {
            if ((m & 1) != 0) {
                result = result == null ? base : times(result, base);
            }
            m >>= 1;
            if (m > 0) {
                base = times(base, base);
            }
        }
        return result;
    }

    private N[] times(N[] a, N[] b) {
        return a.length == 1 ? of(mul(a[0], b[0])) : cmul(a, b);
    }

    private N[] intrinsic(Expr.Intrinsic f) {
        List<Expr> args = f.args();
        Expr a0 = args.get(0);
        switch (f.fn()) {
            case REAL_PART:
                return of(channels(a0)[0]);
            case IMAG_PART:
                return of(complex(channels(a0))[1]);
            case CONJG: {
                N[] z = complex(channels(a0));
                return of(z[0], neg(z[1]));
            }
            case CMPLX:
                return of(real(a0), args.size() > 1 ? real(args.get(1)) : constant(0.0));
            case ABS: {
                N[] z = channels(a0);
                return of(z.length == 2 ? function2(Op.Fn.ABS, z[0], z[1]) : function(Op.Fn.ABS, z[0]));
            }
            case MIN, MAX, SIGN, MOD, DIM, ATAN2:
                return of(function2(f.fn(), real(a0), real(args.get(1))));
            default:
                break;
        }
        N[] z = channels(a0);
        if (f.type() == Type.COMPLEX || z.length == 2) {
            return switch (f.fn()) {
                case SQRT, EXP, LOG -> holomorphic(f.fn(), complex(z));
                default -> throw new UnsupportedConstructException(pos, "COMPLEX intrinsic " + f.fn());
            };
        }
        return of(function(f.fn(), z[0]));
    }
}
