package io.megrad.codegen.ir;

/** The closed set of operations the IR knows. */
public final class Op {
    private Op() {
    }

    public enum Unary { NEG, NOT }

    public enum Binary {
        ADD, SUB, MUL, DIV, POW,
        EQ, NE, LT, LE, GT, GE,
        AND, OR, EQV, NEQV;

        public boolean isComparison() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
        }

        public boolean isLogical() {
            return ordinal() >= AND.ordinal();
        }
    }

    /** Intrinsic functions after generic resolution (DSQRT, CDSQRT and SQRT are all SQRT). */
    public enum Fn {
        SQRT, EXP, LOG, LOG10, SIN, COS, TAN, ASIN, ACOS, ATAN, ATAN2, SINH, COSH, TANH,
        ABS, CONJG, REAL_PART, IMAG_PART, CMPLX, MIN, MAX, SIGN, MOD, DIM, TRUNC, NINT
    }
}
