package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.transform.LeafCallInliner;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reverse mode inlines calls of small leaf helpers (like the C++ outputs' {@code Sgn}) so that the
 * wavefunction routine calling them is recorded per call ({@link LeafCallInliner}). Checked: the
 * shape of the transformed program; reverse mode against forward mode, which does not inline (an
 * independent path), at points taking each branch of the helper; reverse mode against central
 * finite differences; and a helper that writes its argument, which must stay a call.
 */
class LeafCallInlinerTest {
    @TempDir
    Path tmp;

    /** A wavefunction routine calling a helper function with a branch on the sign of its second argument. */
    static final String WAVE_F = String.join("\n",
            "      SUBROUTINE WAVS(P, M, NHEL, FI)",
            "      IMPLICIT NONE",
            "      REAL*8 P(0:3), M, SGNX, PP",
            "      INTEGER NHEL",
            "      COMPLEX*16 FI(6)",
            "      PP = SGNX(DSQRT(P(1)**2+P(2)**2+P(3)**2), P(3))",
            "      FI(1) = DCMPLX(P(0),P(3))",
            "      FI(2) = DCMPLX(P(1),P(2))",
            "      FI(3) = DCMPLX(PP*NHEL, M)",
            "      FI(4) = DCMPLX(SGNX(M, P(1)*NHEL), P(0)-PP)",
            "      FI(5) = FI(3)*FI(4)",
            "      FI(6) = DCMPLX(P(2), SGNX(P(0), -P(2)))",
            "      END",
            "      REAL*8 FUNCTION SGNX(A, B)",
            "      IMPLICIT NONE",
            "      REAL*8 A, B, T",
            "      T = ABS(A)",
            "      IF (B .LT. 0D0) THEN",
            "        SGNX = -T",
            "      ELSE",
            "        SGNX = T",
            "      ENDIF",
            "      END", "");

    static final String SMATRIX_F = String.join("\n",
            "      SUBROUTINE SMATRIX(P,ANS)",
            "      IMPLICIT NONE",
            "      REAL*8 P(0:3,4),ANS",
            "      INCLUDE 'coupl.inc'",
            "      INCLUDE 'input.inc'",
            "      COMPLEX*16 W1(6),W2(6),W3(6),W4(6),AMP",
            "      INTEGER H",
            "      ANS = 0D0",
            "      DO H = -1, 1, 2",
            "        CALL WAVS(P(0,1), 0D0, H, W1)",
            "        CALL WAVS(P(0,2), 0D0, -H, W2)",
            "        CALL WAVS(P(0,3), MDL_MT, H, W3)",
            "        CALL WAVS(P(0,4), MDL_MT, -H, W4)",
            "        AMP = (W1(3)*W3(4) + W2(5)*W4(6) + W1(6)*W4(3))*GC_1",
            "        ANS = ANS + DBLE(AMP*DCONJG(AMP))",
            "      ENDDO",
            "      END", "");

    /** Particles with components of either sign, so the helper takes both branches. */
    static final double[][][] POINTS = {CallAdjointTest.GENERIC,
            {{500, -120, 160, -300}, {500, 120, -160, 300}, {480, -110, 220, -310}, {520, 110, -220, 310}}};

    private Path output(String name, String wave) throws IOException {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve(name), SMATRIX_F);
        Files.writeString(out.resolve("Source/DHELAS/wavs.f"), wave);
        return out;
    }

    @Test
    void theHelperIsInlinedAndTheRoutineIsRecordedPerCall() throws IOException {
        Program program = JavaPort.translate(MadGraphOutput.open(output("shape", WAVE_F)), null).program();
        Program inlined = LeafCallInliner.inline(program);
        assertTrue(program.procedure("WAVS").body().stream().anyMatch(s -> s instanceof Stmt.Call), "the routine calls the helper");
        assertFalse(inlined.procedure("WAVS").body().stream().anyMatch(s -> s instanceof Stmt.Call), "no call is left");
        assertTrue(inlined.procedure("WAVS").body().stream().filter(s -> s instanceof Stmt.If).count() >= 3, "one branch per inlined call");
        String src = JavaEmitter.adjoint(program).emit("x", "Adj");
        assertTrue(src.contains("void WAVS$rev("), "the routine is reversed by generated code, not the statement tape");
    }

    @Test
    void aHelperWritingItsArgumentStaysACall() throws IOException {
        String writes = WAVE_F.replace("      T = ABS(A)", "      T = ABS(A)\n      A = T");
        Program program = JavaPort.translate(MadGraphOutput.open(output("writes", writes)), null).program();
        assertTrue(LeafCallInliner.inline(program).procedure("WAVS").body().stream().anyMatch(s -> s instanceof Stmt.Call));
    }

    @Test
    void reverseModeAgreesWithForwardAndFiniteDifferences() throws IOException {
        Path out = output("agree", WAVE_F);
        JavaPort port = JavaPort.translate(MadGraphOutput.open(out), null);
        ParamCard card = ParamCard.read(out.resolve("Cards/param_card.dat"));
        for (double[][] point : POINTS) {
            ReverseChecks.assertReverseAgrees(port, card, ReverseChecks.seeds("MASS:6"), tmp.resolve("cache"), point);
        }
    }
}
