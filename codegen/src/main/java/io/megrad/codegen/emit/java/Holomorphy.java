package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;

/**
 * Decides whether a complex expression is holomorphic in every complex variable it reads (built
 * from +, −, ×, ÷, integer powers, sqrt, exp, log and real sub-expressions that read no complex
 * variable). For such a statement one complex partial per leaf describes the whole derivative,
 * halving what the reverse-mode tape stores. CONJG, REAL/IMAG parts or ABS of a complex variable
 * break it.
 */
final class Holomorphy {
    private Holomorphy() {
    }

    static boolean holomorphic(Expr e) {
        if (e.type() != Type.COMPLEX) {
            return readsNoComplex(e);
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element || e instanceof Expr.ComplexConst) {
            return true;
        }
        if (e instanceof Expr.Unary u) {
            return u.op() == Op.Unary.NEG && holomorphic(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case ADD, SUB, MUL, DIV, POW -> holomorphic(b.left()) && holomorphic(b.right());
                default -> false;
            };
        }
        if (e instanceof Expr.Convert c) {
            return readsNoComplex(c.operand());
        }
        if (e instanceof Expr.Intrinsic f) {
            return switch (f.fn()) {
                case SQRT, EXP, LOG -> holomorphic(f.args().get(0));
                case CMPLX -> readsNoComplex(f.args().get(0)) && readsNoComplex(f.args().get(1));
                default -> false;
            };
        }
        return false;
    }

    private static boolean readsNoComplex(Expr e) {
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            if (e.type() == Type.COMPLEX) {
                return false;
            }
            if (e instanceof Expr.Element el) {
                return el.indices().stream().allMatch(Holomorphy::readsNoComplex);
            }
            return true;
        }
        if (e instanceof Expr.Unary u) {
            return readsNoComplex(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return readsNoComplex(b.left()) && readsNoComplex(b.right());
        }
        if (e instanceof Expr.Convert c) {
            return readsNoComplex(c.operand());
        }
        if (e instanceof Expr.Intrinsic f) {
            return f.args().stream().allMatch(Holomorphy::readsNoComplex);
        }
        return true;
    }
}
