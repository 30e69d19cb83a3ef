package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.transform.CombinedRoutineInliner;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ALOHA's combined routines (FFV2_4_0 and the like: two vertices called and added, the currents
 * in a loop) become straight-line in the reverse port, so they are recorded per call and MATRIX
 * as one call sequence (CombinedRoutineInliner). Checked: the transformed routines' statements,
 * routines that must stay as they are, and reverse mode against forward mode (which is not
 * transformed: an independent path) and central finite differences.
 */
class CombinedRoutineInlinerTest {
    @TempDir
    Path tmp;

    /** Two amplitudes added, as FFV2_4_0 does; and two currents added in a loop, as FFV2_4_3 does. */
    static final String COMBINED_F = String.join("\n",
            "      SUBROUTINE AMPL2(F1, F2, COUP1, COUP2, VERTEX)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(*), F2(*), COUP1, COUP2, VERTEX, TMP",
            "      CALL AMPL(F1, F2, COUP1, VERTEX)",
            "      CALL AMPL(F1, F2, COUP2, TMP)",
            "      VERTEX = VERTEX + TMP",
            "      END",
            "      SUBROUTINE VERT2(F1, F2, COUP1, COUP2, V)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(*), F2(*), COUP1, COUP2, V(6), VTMP(6)",
            "      INTEGER I",
            "      CALL VERT(F1, F2, COUP1, V)",
            "      CALL VERT(F1, F2, COUP2, VTMP)",
            "      DO I = 3, 6",
            "        V(I) = V(I) + VTMP(I)",
            "      ENDDO",
            "      END",
            "      SUBROUTINE PARTS(F1, F2, COUP1, V)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(12), F2(6), COUP1, V(6)",
            "      CALL VERT(F1(7), F2, COUP1, V)",
            "      END",
            "      SUBROUTINE LOOPREAD(F1, F2, COUP1, V)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(6), F2(6), COUP1, V(6)",
            "      INTEGER I",
            "      CALL VERT(F1, F2, COUP1, V)",
            "      DO I = 3, 4",
            "        V(I) = V(I)*2D0",
            "      ENDDO",
            "      V(5) = V(5)*I",
            "      END", "");

    private Path output(String name) throws IOException {
        Path out = FramedArraysTest.vertexOutput(tmp.resolve(name), TailOutlinerTest.SMATRIX_F, List.of(
                "CALL VERT2(W(1,1), W(1,2), GC_1, DCMPLX(0.3D0, 0.1D0)*GC_1, W(1,3))",
                "CALL AMPL2(W(1,3), W(1,4), GC_1, DCMPLX(0D0, 0.7D0), AMP(1))",
                "CALL AMPL2(W(1,1), W(1,3), GC_1, GC_1, AMP(2))",
                "CALL PARTS(W(1,1), W(1,4), GC_1, W(1,3))",
                "CALL LOOPREAD(W(1,2), W(1,4), GC_1, W(1,3))",
                "CALL AMPL(W(1,3), W(1,2), GC_1, AMP(3))"));
        Files.writeString(out.resolve("Source/DHELAS/comb.f"), COMBINED_F);
        return out;
    }

    private static long count(List<Stmt> body, Class<?> kind) {
        return body.stream().filter(kind::isInstance).count();
    }

    @Test
    void combinedRoutinesBecomeStraightLine() throws IOException {
        Program program = JavaPort.translate(MadGraphOutput.open(output("shape")), null).program();
        Program flat = CombinedRoutineInliner.inline(program);
        Procedure ampl2 = flat.procedure("AMPL2");
        assertEquals(0, count(ampl2.body(), Stmt.Call.class), "AMPL2 calls nothing");
        // Two copies of AMPL's one statement and its coupling, the sum.
        assertEquals(5, count(ampl2.body(), Stmt.Assign.class), "AMPL2's assignments");
        Procedure vert2 = flat.procedure("VERT2");
        assertEquals(0, count(vert2.body(), Stmt.Call.class) + count(vert2.body(), Stmt.Do.class), "VERT2 calls nothing and loops nowhere");
        // Two copies of VERT's six statements and its coupling, four unrolled additions.
        assertEquals(2 * 7 + 4, count(vert2.body(), Stmt.Assign.class), "VERT2's assignments");
        assertSame(program.procedure("PARTS"), flat.procedure("PARTS"), "an element passed, not a whole array: unchanged");
        assertSame(program.procedure("LOOPREAD"), flat.procedure("LOOPREAD"), "a loop variable read after the loop: unchanged");
        assertSame(program.procedure("MATRIX"), flat.procedure("MATRIX"), "MATRIX passes elements: unchanged");
        String src = JavaEmitter.adjoint(program).emit("x", "Adj");
        assertTrue(src.contains("private void AMPL2$rev(") && src.contains("private void VERT2$rev("), "both recorded per call");
    }

    @Test
    void reverseModeAgrees() throws IOException {
        Path out = output("agree");
        ReverseChecks.assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6", "SMINPUTS:1"), tmp.resolve("cache"), CallAdjointTest.GENERIC);
    }
}
