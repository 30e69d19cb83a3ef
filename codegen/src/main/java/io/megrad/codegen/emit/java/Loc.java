package io.megrad.codegen.emit.java;

/**
 * Where one real or complex scalar lives in generated Java: the code reading (or writing) each
 * channel's value ({@code ch} 0 = real part, 1 = imaginary part), and where its tangents start:
 * direction {@code k} of channel {@code ch} is {@code tangentArray[tangentBase(ch) + k]}.
 */
record Loc(String[] values, String tangentArray, String[] tangentBases) {
    String value(int ch) {
        return values[ch];
    }

    String tangentBase(int ch) {
        return tangentBases[ch];
    }

    int channels() {
        return values.length;
    }

    /** Where a call adjoint's recorded values live ({@link CallAdjoint}): loaded into final locals. */
    static final String RECORDED = "A";

    /**
     * Whether channel {@code ch} is read from a final local (a call adjoint's recorded value), which
     * a graph may use by name: nothing assigns it while the graph's code runs.
     */
    boolean isFinalLocal(int ch) {
        return tangentArray.equals(RECORDED) && values[ch].matches("[A-Za-z_$][A-Za-z0-9_$]*");
    }

    /** A key identifying the storage, so that two reads of the same element share one partial. */
    String key(int ch) {
        return tangentArray + "[" + tangentBases[ch] + "]";
    }
}
