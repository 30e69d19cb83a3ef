package io.megrad.codegen.ir;

/**
 * The scalar types of the IR. REAL4 exists because Fortran literals such as {@code 0.5} are single
 * precision, and a faithful port must round where MadGraph's compiled code rounds. Only REAL, REAL4
 * and COMPLEX values carry derivatives.
 */
public enum Type {
    INT, LOGICAL, REAL4, REAL, COMPLEX, CHARACTER;

    public boolean isNumeric() {
        return this == INT || this == REAL4 || this == REAL || this == COMPLEX;
    }

    /** True for the types whose values can depend on a differentiation input. */
    public boolean isDifferentiable() {
        return this == REAL4 || this == REAL || this == COMPLEX;
    }

    /** How many real slots one value occupies in the dual-number layout. */
    public int realSlots() {
        return this == COMPLEX ? 2 : 1;
    }

    /** The common type of a mixed arithmetic operation (Fortran's type promotion). */
    public static Type promote(Type a, Type b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
