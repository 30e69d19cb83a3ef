package io.megrad.codegen;

import io.megrad.runtime.RepeatedCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
        return FramedArraysTest.vertexOutput(tmp.resolve(name), smatrix + matrix);
    }

    @Test
    void callsOfFewerParticlesThanAllMergeAndTheGradientHolds() throws IOException {
        Path out = output("merged", SMATRIX_F);
        String src = ReverseChecks.adjointSource(out);
        List<String> calls = InactiveArgumentsTest.sequenceAdjointCalls(src);
        assertEquals(11, calls.size(), "four wavefunctions, six vertices and the colour sum: " + calls);
        // The external wavefunctions are not merged (their own adjoints are as cheap); AMPL(W5, W6)
        // depends on all four particles' helicities; the colour sum reads every amplitude.
        boolean[] merged = {false, false, false, false, true, true, false, true, true, true, false};
        for (int k = 0; k < calls.size(); k++) {
            assertEquals(merged[k], calls.get(k).startsWith("if (MATRIX$rep.merge("), "call " + k + ": " + calls.get(k));
        }
        assertTrue(src.contains("= MATRIX$rep.call($hk);") && src.contains("MATRIX$rep.reset();"), "the forward sweep numbers the calls, each point afresh");
        ReverseChecks.assertAgrees(out, tmp.resolve("cache"));
    }

    @Test
    void storageThePointWritesKeepsItsReadersFromMerging() throws IOException {
        // SMATRIX rewrites GC_1 (with its own value): every vertex reads it.
        String smatrix = SMATRIX_F.replace("      INTEGER H, G\n", "      INTEGER H, G\n      INCLUDE 'coupl.inc'\n")
                .replace("          ANS = ANS + MATRIX(P, H, G)\n", "          GC_1 = GC_1*DBLE(H*H)\n          ANS = ANS + MATRIX(P, H, G)\n");
        assertTrue(smatrix.contains("GC_1 = GC_1"), "SMATRIX writes GC_1");
        Path out = output("written", smatrix);
        assertFalse(ReverseChecks.adjointSource(out).contains("$rep"), "nothing merged");
        ReverseChecks.assertAgrees(out, tmp.resolve("cache"));
    }

    @Test
    void aSequenceCalledFromTwoPlacesIsNotMerged() throws IOException {
        String smatrix = SMATRIX_F.replace("      ENDDO\n      END", "      ENDDO\n      ANS = ANS + 1D-3*MATRIX(P, 1, 1)\n      END");
        assertTrue(smatrix.contains("MATRIX(P, 1, 1)"), "a second call");
        Path out = output("twice", smatrix);
        assertFalse(ReverseChecks.adjointSource(out).contains("$rep"), "nothing merged");
        ReverseChecks.assertAgrees(out, tmp.resolve("cache"));
    }

    @Test
    void theRuntimeAddsUpTheAdjointsOfAKeyAndRunsItOnce() {
        // Site 0 depends on key slot 0 (h), site 1 on slots 0 and 1 (h and g).
        RepeatedCalls calls = new RepeatedCalls(new long[]{0xfL, 0xffL}, new int[]{2, 1});
        long[] keys = {key(1, -1), key(-1, -1), key(1, 1), key(1, -1)};
        // Points 0 and 1 run alike (the second reuses the first's numbering); point 2 differs from its third call on.
        for (int point = 0; point < 3; point++) {
            calls.reset();
            if (point == 2) {
                keys[2] = key(-1, 1);
            }
            int[] numbers = new int[keys.length];
            for (int c = 0; c < keys.length; c++) {
                numbers[c] = calls.call(keys[c]);
            }
            assertArrayEquals(new int[]{0, 1, 2, 3}, numbers, "the calls' numbers");
            // Backward, last call first. Each call's output adjoint is (c + 1, 10 (c + 1)) at adj[1..2] for site 0, c + 1 at adj[0] for site 1.
            double[] adj = new double[3];
            boolean[] ran = new boolean[keys.length];
            boolean[] ran1 = new boolean[keys.length];
            double[][] taken = new double[keys.length][];
            for (int c = keys.length - 1; c >= 0; c--) {
                adj[0] = c + 1;
                adj[1] = c + 1;
                adj[2] = 10 * (c + 1);
                ran[c] = calls.merge(numbers[c], 0, adj, 1);
                ran1[c] = calls.merge(numbers[c], 1, adj, 0);
                taken[c] = adj.clone();
                for (int k = 0; k < 3; k++) {
                    assertTrue(taken[c][k] == 0 || (k == 0 ? ran1[c] : ran[c]), "kept and cleared unless the adjoint runs");
                }
                java.util.Arrays.fill(adj, 0);
            }
            assertArrayEquals(new boolean[]{true, true, false, false}, ran, "site 0 runs at the first call of each h, point " + point);
            assertArrayEquals(new boolean[]{true, true, true, false}, ran1, "site 1 at each (h, g): the last call repeats the first");
            assertEquals(1 + 4, taken[0][0], "site 1: calls 0 and 3");
            if (point < 2) {
                assertArrayEquals(new double[]{1 + 3 + 4, 10 + 30 + 40}, new double[]{taken[0][1], taken[0][2]}, "h = 1: calls 0, 2, 3");
                assertEquals(2, taken[1][1], "h = -1: call 1");
            } else {
                assertArrayEquals(new double[]{1 + 4, 10 + 40}, new double[]{taken[0][1], taken[0][2]}, "h = 1: calls 0, 3");
                assertEquals(2 + 3, taken[1][1], "h = -1: calls 1, 2");
            }
        }
        calls.reset();
        assertEquals(0, calls.call(RepeatedCalls.pack(9, 0)), "a value out of range is a call like any other");
        double[] adj = {5};
        assertTrue(calls.merge(0, 1, adj, 0), "whose adjoints all run");
        assertEquals(5, adj[0]);
        assertThrows(IllegalArgumentException.class, () -> RepeatedCalls.pack(0, RepeatedCalls.MAX_SLOTS));
        assertEquals(0xf0L, RepeatedCalls.mask(1), "a slot's bits");
    }

    private static long key(int h, int g) {
        return RepeatedCalls.pack(h, 0) | RepeatedCalls.pack(g, 1);
    }
}
