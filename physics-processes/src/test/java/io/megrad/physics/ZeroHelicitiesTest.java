package io.megrad.physics;

import io.megrad.codegen.analysis.ZeroHelicities;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.fortran.FortranFrontend;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The helicity combinations megrad proves zero are exactly those MadGraph's own run-time filter
 * finds zero at the reference points (ee_mumu: 4 of 16 contribute, uux_ttxgg: 32 of 64, gg_ttxg:
 * all 32): massless fermion lines conserve helicity. That the skipped ones really vanish is
 * checked by the corpus tests, which compare |M|² and its gradient with MadGraph's at every point.
 */
class ZeroHelicitiesTest {
    private static Map<String, Integer> proved(String process) {
        MadGraphOutput out = MadGraphOutput.open(Corpus.root().resolve(process).resolve("fortran"));
        Path sub = out.subprocess(null);
        return ZeroHelicities.provedZero(new FortranFrontend(out.root(), sub).translate());
    }

    @Test
    void helicityConservingZerosAreProved() {
        assertEquals(Map.of("MATRIX", 12), proved("ee_mumu"));
        assertEquals(Map.of("MATRIX", 32), proved("uux_ttxgg"));
    }

    @Test
    void nothingIsSkippedWhenEveryHelicityContributes() {
        assertEquals(Map.of(), proved("gg_ttxg"));
    }
}
