package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs the fuzzer found that once escaped as untyped exceptions: they must be one-line input errors. */
class FuzzRegressionTest {
    @TempDir
    Path tmp;

    @Test
    void logicalConstantAsArrayBoundIsAnInputError() throws Exception {
        // Found by FortranFuzzTest: a number in coupl.inc changed to .TRUE. made the bound LOGICAL.
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), JavaPortEndToEndTest.MATRIX_F);
        Path coupl = out.resolve("Source/MODEL/coupl.inc");
        Files.writeString(coupl, Files.readString(coupl) + "      DOUBLE COMPLEX GAL(.TRUE.)\n      COMMON/WEAK/ GAL\n");
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(out), null));
        assertTrue(e.getMessage().contains("coupl.inc:") && e.getMessage().contains("LOGICAL"), e.getMessage());
    }

    @Test
    void logicalDataValueForARealIsAnInputError() throws Exception {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"),
                JavaPortEndToEndTest.MATRIX_F.replace("      INTEGER I\n", "      INTEGER I\n      REAL*8 XX\n      DATA XX/.TRUE./\n"));
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(out), null));
        assertTrue(e.getMessage().contains("matrix.f:"), e.getMessage());
    }
}
