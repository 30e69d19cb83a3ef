package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.runtime.RepeatedCalls;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calls of MATRIX's call sequence that repeat across its calls within a point (a current of
 * particles whose helicities recur in several helicity combinations) have their output adjoints
 * added up and their adjoint run once. Checked on a MATRIX of two helicity arguments: which calls
 * merge; reverse mode against forward mode (which computes every call itself) and central
 * differences; that storage the point's code writes, or a second call site of MATRIX, keeps calls
 * from merging; and the runtime's bookkeeping on its own. Making the analysis ignore what a call's
 * wavefunctions depend on (so that the amplitudes merge across every helicity) fails the
 * agreement checks.
 */
class RepeatedCallsTest {
    @TempDir
    Path tmp;

    /** SMATRIX over two helicity arguments, H for particles 1 and 3, G for 2 and 4. */
    private static final String SMATRIX_F = String.join("\n",
            "      SUBROUTINE SMATRIX(P,ANS)",
            "      IMPLICIT NONE",
            "      REAL*8 P(0:3,4),ANS,MATRIX",
            "      INTEGER H, G",
            "      ANS = 0D0",
            "      DO H = -1, 1, 2",
            "        DO G = -1, 1, 2",
            "          ANS = ANS + MATRIX(P, H, G)",
            "        ENDDO",
            "      ENDDO",
            "      END", "");

    /** Currents of particles 1 and 3 (H), of 2 and 4 (G), amplitudes of both, a recycled column. */
    private static final List<String> BODY = List.of(
            "CALL VERT(W(1,1), W(1,3), GC_1, W(1,5))",
            "CALL VERT(W(1,2), W(1,4), GC_1, W(1,6))",
            "CALL AMPL(W(1,5), W(1,6), GC_1, AMP(1))",
            "CALL AMPL(W(1,5), W(1,2), GC_1, AMP(2))",
            "CALL VERT(W(1,5), W(1,1), GC_1, W(1,3))",
            "CALL AMPL(W(1,3), W(1,4), GC_1, AMP(3))");

    private Path output(String name, String smatrix) throws IOException {
        String matrix = TailOutlinerTest.matrixF(BODY, "")
                .replace("FUNCTION MATRIX(P, H)", "FUNCTION MATRIX(P, H, G)")
                .replace("INTEGER H, I, J, K", "INTEGER H, G, I, J, K")
                .replace("COMPLEX*16 W(6,4)", "COMPLEX*16 W(6,6)")
                .replace("CALL WAVE(P(0,2), 0D0, -H, -1, W(1,2))", "CALL WAVE(P(0,2), 0D0, -G, -1, W(1,2))")
                .replace("CALL WAVE(P(0,4), MDL_MT, -H, -1, W(1,4))", "CALL WAVE(P(0,4), MDL_MT, -G, -1, W(1,4))");
        assertTrue(matrix.contains("MATRIX(P, H, G)") && matrix.contains("-G, -1, W(1,4)"), "the two helicity arguments");
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve(name), smatrix + matrix);
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), FramedArraysTest.WAVE_F);
        Files.writeString(out.resolve("Source/DHELAS/vert.f"), FramedArraysTest.VERT_F);
        Files.writeString(out.resolve("Source/DHELAS/ampl.f"), FramedArraysTest.AMPL_F);
        return out;
    }

    private static String adjointSource(Path out) {
        return JavaEmitter.adjoint(JavaPort.translate(MadGraphOutput.open(out), null).program()).emit("x", "Adj");
    }

    private void assertAgrees(Path out) {
        ReverseChecks.assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6", "SMINPUTS:1"), tmp.resolve("cache"), CallAdjointTest.GENERIC);
    }

    @Test
    void callsOfFewerParticlesThanAllMergeAndTheGradientHolds() throws IOException {
        Path out = output("merged", SMATRIX_F);
        String src = adjointSource(out);
        List<String> calls = InactiveArgumentsTest.sequenceAdjointCalls(src);
        assertEquals(11, calls.size(), "four wavefunctions, six vertices and the colour sum: " + calls);
        // The external wavefunctions are not merged (their own adjoints are as cheap); AMPL(W5, W6)
        // depends on all four particles' helicities; the colour sum reads every amplitude.
        boolean[] merged = {false, false, false, false, true, true, false, true, true, true, false};
        for (int k = 0; k < calls.size(); k++) {
            assertEquals(merged[k], calls.get(k).startsWith("if ($REP.merge("), "call " + k + ": " + calls.get(k));
        }
        assertTrue(src.contains("$REP.slot(") && src.contains("$REP.reset();"), "the forward sweep numbers the keys, each point afresh");
        assertAgrees(out);
    }

    @Test
    void storageThePointWritesKeepsItsReadersFromMerging() throws IOException {
        // SMATRIX rewrites GC_1 (with its own value): every vertex reads it.
        String smatrix = SMATRIX_F.replace("      INTEGER H, G\n", "      INTEGER H, G\n      INCLUDE 'coupl.inc'\n")
                .replace("          ANS = ANS + MATRIX(P, H, G)\n", "          GC_1 = GC_1*DBLE(H*H)\n          ANS = ANS + MATRIX(P, H, G)\n");
        assertTrue(smatrix.contains("GC_1 = GC_1"), "SMATRIX writes GC_1");
        Path out = output("written", smatrix);
        assertFalse(adjointSource(out).contains("$REP"), "nothing merged");
        assertAgrees(out);
    }

    @Test
    void aSequenceCalledFromTwoPlacesIsNotMerged() throws IOException {
        String smatrix = SMATRIX_F.replace("      ENDDO\n      END", "      ENDDO\n      ANS = ANS + 1D-3*MATRIX(P, 1, 1)\n      END");
        assertTrue(smatrix.contains("MATRIX(P, 1, 1)"), "a second call");
        Path out = output("twice", smatrix);
        assertFalse(adjointSource(out).contains("$REP"), "nothing merged");
        assertAgrees(out);
    }

    @Test
    void theRuntimeAddsUpTheAdjointsOfAKeyAndRunsItOnce() {
        RepeatedCalls calls = new RepeatedCalls(2);
        long a = RepeatedCalls.pack(1, 0) | RepeatedCalls.pack(-1, 1);
        long b = RepeatedCalls.pack(-1, 0) | RepeatedCalls.pack(-1, 1);
        // Forward: a, b, a, a. The first call of each key is complemented.
        int[] slots = {calls.slot(0, a), calls.slot(0, b), calls.slot(0, a), calls.slot(0, a)};
        assertArrayEquals(new int[]{~0, ~1, 0, 0}, slots);
        double[] adj = new double[4];
        // Backward, last call first: the later calls of a are kept and cleared.
        for (int k = 3; k >= 2; k--) {
            adj[1] = k;
            adj[2] = 10 * k;
            assertFalse(calls.merge(0, slots[k], adj, 1));
            assertArrayEquals(new double[]{0, 0, 0, 0}, adj);
        }
        adj[1] = 7;
        assertTrue(calls.merge(0, slots[1], adj, 1), "b's only call runs at once");
        assertArrayEquals(new double[]{0, 7, 0, 0}, adj);
        adj[1] = 1;
        adj[2] = 0.5;
        assertTrue(calls.merge(0, slots[0], adj, 1), "a's first call runs with every call's adjoint");
        assertArrayEquals(new double[]{0, 1 + 3 + 2, 0.5 + 30 + 20, 0}, adj);
        calls.reset();
        assertEquals(~0, calls.slot(0, b), "a new point numbers its keys afresh");
        assertEquals(RepeatedCalls.UNMERGED, calls.slot(0, RepeatedCalls.pack(9, 0)), "a value out of range merges nothing");
        assertTrue(calls.merge(0, RepeatedCalls.UNMERGED, adj, 1));
        assertThrows(IllegalArgumentException.class, () -> RepeatedCalls.pack(0, RepeatedCalls.MAX_SLOTS));
    }
}
