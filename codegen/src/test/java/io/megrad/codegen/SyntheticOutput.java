package io.megrad.codegen;

import java.io.IOException;
import java.nio.file.Path;

/** The synthetic MadGraph-like output of {@link JavaPortEndToEndTest}, for tests in other packages. */
public final class SyntheticOutput {
    private SyntheticOutput() {
    }

    /** Writes it under {@code root}: 4 particles, inputs {@code MASS:6} and {@code SMINPUTS:1}, no pmass.inc. */
    public static Path write(Path root) throws IOException {
        return JavaPortEndToEndTest.writeOutput(root, JavaPortEndToEndTest.MATRIX_F);
    }

    /** The same output with {@code matrix} as the text of SubProcesses/P1_test/matrix.f. */
    public static Path write(Path root, String matrix) throws IOException {
        return JavaPortEndToEndTest.writeOutput(root, matrix);
    }
}
