package io.megrad.codegen.ir;

import io.megrad.runtime.SourcePosition;

import java.util.List;

/**
 * A named storage location of a procedure. Arrays have constant bounds (the last may be assumed-size
 * for dummies); elements are laid out in Fortran's column-major order.
 */
public record Variable(String name, Type type, List<Dim> dims, Storage storage, SourcePosition pos) {
    public Variable {
        dims = List.copyOf(dims);
    }

    public boolean isArray() {
        return !dims.isEmpty();
    }

    /** Number of elements, or -1 for an assumed-size array. */
    public int size() {
        int n = 1;
        for (Dim d : dims) {
            if (d.extent() == null) {
                return -1;
            }
            n *= d.extent();
        }
        return n;
    }
}
