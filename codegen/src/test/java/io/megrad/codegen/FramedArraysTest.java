package io.megrad.codegen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a reverse port, MATRIX's wavefunctions and amplitudes live in the tape's frames and the
 * vertices read them there instead of copying them into their records (FramedArrays). MadGraph
 * recycles wavefunction columns; the second writer of a column gets storage of its own, so what
 * an earlier vertex recorded by reference is still there at the sweep. Checked: the frame's size
 * and the by-reference reads in the generated source; reverse mode against forward mode (which
 * has no frames: an independent path) and central finite differences, with recycled columns
 * whose old values an earlier vertex read; and arrays that must stay where they were.
 */
class FramedArraysTest {
    @TempDir
    Path tmp;

    /**
     * {@link CallAdjointTest#WAVE_F} writing every component on both paths, as HELAS does (that one
     * leaves FI(6) as it was when massless: reading a column's old value keeps it from being framed).
     */
    static final String WAVE_F = CallAdjointTest.WAVE_F.replace("        FI(5) = CHI(IM)*CHI(IP)\n      ENDIF",
            "        FI(5) = CHI(IM)*CHI(IP)\n        FI(6) = CHI(IP)*P(1)\n      ENDIF");

    /** A vertex: an output current from two wavefunctions, like ALOHA's. */
    static final String VERT_F = String.join("\n",
            "      SUBROUTINE VERT(F1, F2, COUP, V)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(6), F2(6), COUP, V(6)",
            "      V(1) = F1(1) + F2(1)",
            "      V(2) = F1(2) + F2(2)",
            "      V(3) = COUP*(F1(3)*F2(4) - F1(4)*F2(3))",
            "      V(4) = COUP*(F1(5)*F2(6) + F1(3)*F2(5))",
            "      V(5) = COUP*F1(6)*F2(3)*DBLE(V(1))",
            "      V(6) = COUP*(F1(4) + F2(6))",
            "      END", "");

    /** An amplitude from two wavefunctions, like ALOHA's {@code _0} routines. */
    static final String AMPL_F = String.join("\n",
            "      SUBROUTINE AMPL(F1, F2, COUP, VERTEX)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(6), F2(6), COUP, VERTEX",
            "      VERTEX = COUP*(F1(3)*F2(3) + F1(4)*F2(4) - F1(5)*F2(6)*DBLE(F1(1)))",
            "      END", "");

    /** {@link TailOutlinerTest}'s MATRIX in miniature with {@code body} setting its amplitudes. */
    static String matrixF(String... body) {
        return TailOutlinerTest.matrixF(java.util.List.of(body), "");
    }

    /** Columns 3 and 2 are written a second time, each after a vertex read its first value. */
    static final String[] RECYCLED = {
            "CALL VERT(W(1,2), W(1,4), GC_1, W(1,3))",
            "CALL AMPL(W(1,3), W(1,1), GC_1, AMP(1))",
            "CALL VERT(W(1,3), W(1,1), GC_1*DCMPLX(0D0,1D0), W(1,2))",
            "CALL AMPL(W(1,2), W(1,4), GC_1, AMP(2))",
            "CALL AMPL(W(1,1), W(1,3), GC_1, AMP(3))"};

    private Path output(String name, String... body) throws IOException {
        return vertexOutput(tmp.resolve(name), TailOutlinerTest.SMATRIX_F, java.util.List.of(body));
    }

    /** An output at {@code root}: {@code smatrix}, MATRIX with {@code body}, and WAVE, VERT and AMPL. */
    static Path vertexOutput(Path root, String smatrix, java.util.List<String> body) throws IOException {
        return vertexOutput(root, smatrix + TailOutlinerTest.matrixF(body, ""));
    }

    /** An output at {@code root} with {@code matrix} as its matrix.f, and WAVE, VERT and AMPL. */
    static Path vertexOutput(Path root, String matrix) throws IOException {
        Path out = JavaPortEndToEndTest.writeOutput(root, matrix);
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), WAVE_F);
        Files.writeString(out.resolve("Source/DHELAS/vert.f"), VERT_F);
        Files.writeString(out.resolve("Source/DHELAS/ampl.f"), AMPL_F);
        return out;
    }

    private static String adjointSource(Path out) {
        return ReverseChecks.adjointSource(out);
    }

    private void assertAgrees(Path out) {
        ReverseChecks.assertAgrees(out, tmp.resolve("cache"));
    }

    @Test
    void recycledColumnsGetStorageOfTheirOwnAndVerticesReadThemByReference() throws IOException {
        assertTrue(WAVE_F.contains("FI(6) = CHI(IP)*P(1)"), "the massless path writes FI(6)");
        String src = adjointSource(output("recycled", RECYCLED));
        // 4 columns of 6 complex numbers, and a second generation of columns 3 and 2.
        assertTrue(src.contains("MATRIX__W_f = tape.frame(" + 6 * 12 + ");"), "W's frame holds six columns");
        assertTrue(src.contains("MATRIX__AMP_f = tape.frame(6);"), "the amplitudes are framed too");
        assertFalse(src.matches("(?s).*\\$callTv\\[[^]]*] = AMP\\[.*") || src.contains("System.arraycopy(AMP"),
                "the colour sum's record copies no amplitude");
        assertTrue(src.contains("= fr[$p_F1 + "), "VERT reads its first wavefunction where it is");
        assertTrue(src.contains("$callTv[$callTc + 0] = P[P_o + 0];"), "WAVE copies the momenta, which are not framed");
    }

    @Test
    void reverseModeAgreesWithRecycledColumns() throws IOException {
        assertAgrees(output("agree", RECYCLED));
    }

    @Test
    void twoArgumentsInOneColumnKeepTheArrayInPlace() throws IOException {
        Path out = output("alias",
                "CALL VERT(W(1,2), W(1,2), GC_1, W(1,3))",
                "CALL AMPL(W(1,3), W(1,1), GC_1, AMP(1))",
                "CALL AMPL(W(1,2), W(1,4), GC_1, AMP(2))",
                "CALL AMPL(W(1,1), W(1,3), GC_1, AMP(3))");
        String src = adjointSource(out);
        assertFalse(src.contains("MATRIX__W_f"), "W stays a field");
        assertFalse(src.contains("= fr[$p_F1 + "), "VERT copies its inputs");
        assertAgrees(out);
    }

    @Test
    void aBranchTouchingTheArrayKeepsItInPlace() throws IOException {
        Path out = output("branch",
                "IF (H.GT.0) W(3,1) = W(3,1)*2D0",
                "CALL VERT(W(1,2), W(1,4), GC_1, W(1,3))",
                "CALL AMPL(W(1,3), W(1,1), GC_1, AMP(1))",
                "CALL AMPL(W(1,2), W(1,4), GC_1, AMP(2))",
                "CALL AMPL(W(1,1), W(1,3), GC_1, AMP(3))");
        assertFalse(adjointSource(out).contains("MATRIX__W_f"), "W stays a field");
        assertAgrees(out);
    }

    @Test
    void aTailReadingARecycledColumnKeepsTheArrayInPlace() throws IOException {
        // The colour algebra is outlined with W as one argument, which would have to see the
        // recycled column's two generations in one stretch of storage.
        Path out = output("tail",
                "CALL VERT(W(1,2), W(1,4), GC_1, W(1,3))",
                "CALL AMPL(W(1,3), W(1,1), GC_1, AMP(1))",
                "AMP(2) = W(5,3)*W(6,4)",
                "AMP(3) = W(3,1)*W(4,3)");
        assertFalse(adjointSource(out).contains("MATRIX__W_f"), "W stays a field");
        assertAgrees(out);
    }

    @Test
    void anAssignedElementStartsANewGenerationOfItsColumn() throws IOException {
        Path out = output("assigned",
                "CALL VERT(W(1,2), W(1,4), GC_1, W(1,3))",
                "CALL AMPL(W(1,3), W(1,1), GC_1, AMP(1))",
                "W(3,3) = W(4,3)*W(3,1)",
                "AMP(2) = W(3,3)*W(6,4)",
                "CALL AMPL(W(1,1), W(1,4), GC_1, AMP(3))");
        // Column 3: from WAVE, from VERT, and from the assignment.
        assertTrue(adjointSource(out).contains("MATRIX__W_f = tape.frame(" + 6 * 12 + ");"), "column 3's third generation");
        assertAgrees(out);
    }
}
