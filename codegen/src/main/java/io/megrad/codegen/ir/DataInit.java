package io.megrad.codegen.ir;

/** An initial value from a DATA statement: element {@code offset} (column-major, 0-based) of {@code var}. */
public record DataInit(Variable var, int offset, Expr value) {
}
