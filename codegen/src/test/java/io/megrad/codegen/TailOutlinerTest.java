package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.transform.TailOutliner;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reverse mode outlines the call-free tail of a MATRIX-like function (amplitudes, colour flows, the
 * colour sum's double loop over a DATA colour matrix) into a loop-free procedure recorded per call
 * ({@link TailOutliner}). Checked: the shape of the transformed program; reverse mode against
 * forward mode, which does not outline (an independent path: statement partials and tangent
 * loops); reverse mode against central finite differences; and tails that must stay put.
 */
class TailOutlinerTest {
    @TempDir
    Path tmp;

    static final String SMATRIX_F = String.join("\n",
            "      SUBROUTINE SMATRIX(P,ANS)",
            "      IMPLICIT NONE",
            "      REAL*8 P(0:3,4),ANS,MATRIX",
            "      INTEGER H",
            "      ANS = 0D0",
            "      DO H = -1, 1, 2",
            "        ANS = ANS + MATRIX(P, H)",
            "      ENDDO",
            "      END", "");

    /** MadGraph's MATRIX in miniature; {@code extra} goes after the colour sum. */
    static String matrixF(String extra) {
        return matrixF(List.of(
                "AMP(1) = W(3,1)*W(3,3) + W(4,2)*W(5,4)*GC_1",
                "AMP(2) = W(5,1)*W(6,3)*GC_1 - W(3,2)*W(4,4)",
                "AMP(3) = W(2,1)*W(2,4) + W(6,2)*W(5,3)*DCMPLX(MDL_MT, 0D0)"), extra);
    }

    /**
     * MATRIX in miniature: four external wavefunctions W(1,1..4), then {@code body} (which sets the
     * three amplitudes AMP), the colour flows and the colour sum, then {@code extra}.
     */
    static String matrixF(List<String> body, String extra) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "      REAL*8 FUNCTION MATRIX(P, H)",
                "      IMPLICIT NONE",
                "      REAL*8 P(0:3,4)",
                "      INTEGER H, I, J, K",
                "      INCLUDE 'coupl.inc'",
                "      INCLUDE 'input.inc'",
                "      COMPLEX*16 W(6,4), AMP(3), JAMP(3), ZTEMP",
                "      REAL*8 CF(3,3)",
                "      DATA (CF(I,1),I=1,3) /5.3D0, -0.7D0, 0.2D0/",
                "      DATA (CF(I,2),I=1,3) /-0.7D0, 4.1D0, 0.3D0/",
                "      DATA (CF(I,3),I=1,3) /0.2D0, 0.3D0, 2.9D0/",
                "      CALL WAVE(P(0,1), 0D0, H, 1, W(1,1))",
                "      CALL WAVE(P(0,2), 0D0, -H, -1, W(1,2))",
                "      CALL WAVE(P(0,3), MDL_MT, H, 1, W(1,3))",
                "      CALL WAVE(P(0,4), MDL_MT, -H, -1, W(1,4))"));
        body.forEach(line -> lines.add("      " + line));
        lines.addAll(List.of(
                "      JAMP(1) = AMP(1) + DCMPLX(0D0,1D0)*AMP(2)",
                "      JAMP(2) = AMP(2) - AMP(3)",
                "      JAMP(3) = -AMP(1) + AMP(3)/3D0",
                "      MATRIX = 0D0",
                "      DO I = 1, 3",
                "        ZTEMP = (0D0, 0D0)",
                "        DO J = 1, 3",
                "          ZTEMP = ZTEMP + CF(J,I)*JAMP(J)",
                "        ENDDO",
                "        MATRIX = MATRIX + DBLE(ZTEMP*DCONJG(JAMP(I)))",
                "      ENDDO",
                extra,
                "      END", ""));
        return String.join("\n", lines);
    }

    private static final double[][] POINT = CallAdjointTest.GENERIC;

    private Path output(String name, String extra) throws IOException {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve(name), SMATRIX_F + matrixF(extra));
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), CallAdjointTest.WAVE_F);
        return out;
    }

    private static Program outlined(Path out) {
        return TailOutliner.outline(JavaPort.translate(MadGraphOutput.open(out), null).program());
    }

    @Test
    void theColourSumBecomesOneLoopFreeProcedureCalledAtTheEnd() throws IOException {
        Program program = outlined(output("plain", ""));
        Procedure tail = program.procedure("MATRIX" + TailOutliner.SUFFIX);
        assertNotNull(tail, "the tail is outlined");
        // 3 amplitudes, 3 colour flows, MATRIX = 0, and per colour: ZTEMP = 0, 3 products, the sum.
        assertEquals(3 + 3 + 1 + 3 * (1 + 3 + 1), tail.body().size());
        assertTrue(tail.body().stream().allMatch(s -> s instanceof Stmt.Assign), "unrolled: assignments only");
        List<Stmt> caller = program.procedure("MATRIX").body();
        Stmt.Call call = assertInstanceOf(Stmt.Call.class, caller.get(caller.size() - 1));
        assertEquals(tail.name(), call.callee());
        assertEquals(4, caller.stream().filter(s -> s instanceof Stmt.Call c && c.callee().equals("WAVE")).count());
        String src = JavaEmitter.adjoint(JavaPort.translate(MadGraphOutput.open(tmp.resolve("plain")), null).program()).emit("x", "Adj");
        assertTrue(src.contains("void MATRIX$tail$rev("), "the tail is reversed by generated code, not the statement tape");
    }

    @Test
    void reverseModeAgreesWithForwardAndFiniteDifferences() throws IOException {
        Path out = output("agree", "");
        ReverseChecks.assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6", "SMINPUTS:1"), tmp.resolve("cache"), POINT);
    }

    @Test
    void olderOutputsIntegerColourDenominatorsAreCopiedAsConstants() throws IOException {
        // MadGraph 2.x divides by DENOM(I), an INTEGER DATA array, inside the colour sum.
        String older = matrixF("").replace("      REAL*8 CF(3,3)", "      REAL*8 CF(3,3)\n      INTEGER DENOM(3)\n      DATA DENOM/3,1,2/")
                .replace("MATRIX = MATRIX + DBLE(ZTEMP*DCONJG(JAMP(I)))", "MATRIX = MATRIX + DBLE(ZTEMP*DCONJG(JAMP(I)))/DENOM(I)");
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("older"), SMATRIX_F + older);
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), CallAdjointTest.WAVE_F);
        JavaPort port = JavaPort.translate(MadGraphOutput.open(out), null);
        Procedure tail = TailOutliner.outline(port.program()).procedure("MATRIX" + TailOutliner.SUFFIX);
        assertNotNull(tail, "the tail is outlined");
        assertTrue(tail.locals().stream().anyMatch(v -> v.name().equals("DENOM")), "DENOM is the tail's own constant");
        ReverseChecks.assertReverseAgrees(port, ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6"), tmp.resolve("cache"), POINT);
    }

    @Test
    void aLoopVariableReadAfterItsLoopKeepsTheTailInPlace() throws IOException {
        assertNull(outlined(output("after", "      MATRIX = MATRIX + I")).procedure("MATRIX" + TailOutliner.SUFFIX));
    }

    @Test
    void anIntegerWrittenInTheTailKeepsItInPlace() throws IOException {
        assertNull(outlined(output("int", "      K = 7\n      MATRIX = MATRIX*K")).procedure("MATRIX" + TailOutliner.SUFFIX));
    }

    @Test
    void aLoopWithABoundKnownOnlyAtRunTimeKeepsTheTailInPlace() throws IOException {
        Program program = outlined(output("bound", "      DO I = 1, H+2\n        MATRIX = MATRIX*1.5D0\n      ENDDO"));
        assertNull(program.procedure("MATRIX" + TailOutliner.SUFFIX));
        assertFalse(program.procedure("MATRIX").body().stream()
                .anyMatch(s -> s instanceof Stmt.Call c && c.callee().endsWith(TailOutliner.SUFFIX)));
    }
}
