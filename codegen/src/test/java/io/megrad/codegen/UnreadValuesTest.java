package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A call record keeps only the values its adjoint reads: the inputs of a linear map are not among
 * them (its partials are constants), the factors of a product are. Checked: how many values the
 * generated record copies, and the reverse gradient against forward mode and finite differences.
 */
class UnreadValuesTest {
    @TempDir
    Path tmp;

    /** Linear in every component but the fifth, where it multiplies F1(5) by F2(5). */
    static final String LIN_F = String.join("\n",
            "      SUBROUTINE LIN(F1, F2, V)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(6), F2(6), V(6)",
            "      V(1) = F1(1) + F2(1)",
            "      V(2) = F1(2) - F2(2)",
            "      V(3) = 2D0*F1(3) + DCMPLX(0D0,1D0)*F2(4)",
            "      V(4) = F1(4) - 3D0*F2(3)",
            "      V(5) = F1(5)*F2(5)",
            "      V(6) = F1(6) + F2(6)/7D0",
            "      END", "");

    private Path output() throws IOException {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), CallAdjointTest.smatrix(
                "CALL LIN(W1, W2, V)",
                "AMP = V(3)*W3(4) + V(4)*W4(3) + V(5)*W3(5) + V(6)*W4(6)*GC_1"));
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), CallAdjointTest.WAVE_F);
        Files.writeString(out.resolve("Source/DHELAS/lin.f"), LIN_F);
        return out;
    }

    @Test
    void theRecordKeepsOnlyTheFactorsOfTheProduct() throws IOException {
        String src = JavaEmitter.adjoint(JavaPort.translate(MadGraphOutput.open(output()), null).program()).emit("x", "Adj");
        int start = src.indexOf("    private void LIN(");
        String lin = src.substring(start, src.indexOf("\n    }\n", start));
        // F1(5) and F2(5), two channels each.
        assertEquals(4, lin.split("\\$callTv\\[\\$callTc \\+ ", -1).length - 1, "values recorded by LIN:\n" + lin);
    }

    @Test
    void theReverseGradientAgreesWithForwardAndFiniteDifferences() throws IOException {
        Path out = output();
        ReverseChecks.assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6"), tmp.resolve("cache"), CallAdjointTest.GENERIC);
    }
}
