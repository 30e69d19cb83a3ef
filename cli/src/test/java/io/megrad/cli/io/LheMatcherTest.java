package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.megrad.runtime.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LheMatcherTest {
    private static final Subprocess UUX_TTX = new Subprocess("P1_uux_ttx", 2, new int[] {2, -2, 6, -6});
    private static final Subprocess UXU_TTX = new Subprocess("P1_uxu_ttx", 2, new int[] {-2, 2, 6, -6});
    private static final Subprocess GG_TTXG = new Subprocess("P2_gg_ttxg", 2, new int[] {21, 21, 6, -6, 21});

    /** An event whose particle i has momentum {i, i, i, i}, so the test can see where each went. */
    private static LheEvent event(int nIncoming, int... pdg) {
        double[][] momenta = new double[pdg.length][];
        for (int i = 0; i < pdg.length; i++) {
            momenta[i] = new double[] {i, i, i, i};
        }
        return new LheEvent(7, 120, nIncoming, pdg, momenta);
    }

    private static double[] order(Point p) {
        double[] from = new double[p.momenta().length];
        for (int i = 0; i < from.length; i++) {
            from[i] = p.momenta()[i][0];
        }
        return from;
    }

    @Test
    void outgoingParticlesAreReorderedIntoTheSubprocessOrder() {
        LheMatcher matcher = new LheMatcher(List.of(UUX_TTX, GG_TTXG));
        Point p = matcher.match(event(2, 21, 21, 21, -6, 6));
        assertEquals("P2_gg_ttxg", p.subprocess());
        assertArrayEquals(new double[] {0, 1, 4, 3, 2}, order(p));
        assertEquals(7, p.index());
        assertEquals(120, p.line());
    }

    @Test
    void identicalParticlesKeepTheirEventOrder() {
        Subprocess uu = new Subprocess("P1_uu_uug", 2, new int[] {2, 2, 2, 2, 21});
        Point p = new LheMatcher(List.of(uu)).match(event(2, 2, 2, 21, 2, 2));
        assertArrayEquals(new double[] {0, 1, 3, 4, 2}, order(p));
    }

    @Test
    void mirroredEventMatchesWithTheIncomingPairSwapped() {
        Point p = new LheMatcher(List.of(UUX_TTX)).match(event(2, -2, 2, -6, 6));
        assertEquals("P1_uux_ttx", p.subprocess());
        assertArrayEquals(new double[] {1, 0, 3, 2}, order(p), "u first, as the subprocess has it");
    }

    @Test
    void anExactMatchIsPreferredToASwappedOneWhateverTheListOrder() {
        LheMatcher matcher = new LheMatcher(List.of(UUX_TTX, UXU_TTX));
        Point mirrored = matcher.match(event(2, -2, 2, 6, -6));
        assertEquals("P1_uxu_ttx", mirrored.subprocess());
        assertArrayEquals(new double[] {0, 1, 2, 3}, order(mirrored));
        assertEquals("P1_uux_ttx", matcher.match(event(2, 2, -2, 6, -6)).subprocess());
    }

    @Test
    void aDecayIsNotTakenForAScattering() {
        Subprocess decay = new Subprocess("P1_t_bepve", 1, new int[] {6, 5, -11, 12});
        Subprocess scattering = new Subprocess("P1_tb_epve", 2, new int[] {6, 5, -11, 12});
        LheMatcher matcher = new LheMatcher(List.of(scattering, decay));
        assertEquals("P1_t_bepve", matcher.match(event(1, 6, 12, -11, 5)).subprocess());
        assertEquals("P1_tb_epve", matcher.match(event(2, 6, 5, 12, -11)).subprocess());
        assertNull(new LheMatcher(List.of(decay)).match(event(2, 6, 5, -11, 12)));
    }

    @Test
    void theFirstOfTwoSubprocessesWithTheSameParticlesIsTaken() {
        Subprocess again = new Subprocess("P9_copy", 2, new int[] {2, -2, -6, 6});
        assertEquals("P1_uux_ttx", new LheMatcher(List.of(UUX_TTX, again)).match(event(2, 2, -2, 6, -6)).subprocess());
    }

    @Test
    void anEventMatchingNoSubprocessIsAnErrorNamingFileLineIndexAndCodes() {
        LheMatcher matcher = new LheMatcher(List.of(UUX_TTX, GG_TTXG));
        LheEvent extraGluon = event(2, 2, -2, 6, -6, 21);
        assertNull(matcher.match(extraGluon));
        InputException e = assertThrows(InputException.class, () -> matcher.require(extraGluon, "run_01/events.lhe.gz"));
        assertEquals("run_01/events.lhe.gz:120: event index 7: particles 2 -2 > 6 -6 21 match no subprocess"
                + " (P1_uux_ttx (2 -2 > 6 -6), P2_gg_ttxg (21 21 > 6 -6 21))", e.getMessage());
    }

    @Test
    void matchedPointSharesTheEventArrays() {
        LheEvent e = event(2, 2, -2, 6, -6);
        Point p = new LheMatcher(List.of(UUX_TTX)).match(e);
        assertSame(e.momenta()[2], p.momenta()[2]);
    }

    @Test
    void subprocessChecksItsParticles() {
        assertThrows(IllegalArgumentException.class, () -> new Subprocess("P", 2, new int[] {21, 21}));
        assertThrows(IllegalArgumentException.class, () -> new Subprocess("P", 0, new int[] {21, 21}));
        assertThrows(IllegalArgumentException.class, () -> new LheMatcher(List.of()));
        assertEquals(UUX_TTX, new Subprocess("P1_uux_ttx", 2, new int[] {2, -2, 6, -6}));
    }
}
