package io.megrad.runtime.phasespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PhaseSpaceSamplerTest {
    @Test
    void sameSeedGivesTheSameSequence() {
        PhaseSpaceSampler a = new PhaseSpaceSampler(2024);
        PhaseSpaceSampler b = new PhaseSpaceSampler(2024);
        for (int point = 0; point < 100; point++) {
            assertArrayEquals(a.next(8), b.next(8));
        }
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        assertFalse(Arrays.equals(new PhaseSpaceSampler(1).next(8), new PhaseSpaceSampler(2).next(8)));
    }

    @Test
    void numbersAreUniformInTheOpenUnitInterval() {
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(9);
        int count = 200_000;
        int[] bins = new int[10];
        double sum = 0;
        for (int k = 0; k < count / 4; k++) {
            for (double x : sampler.next(4)) {
                assertTrue(x > 0 && x < 1, "outside (0,1): " + x);
                bins[(int) (x * 10)]++;
                sum += x;
            }
        }
        assertEquals(0.5, sum / count, 5 * Math.sqrt(1.0 / 12 / count));
        for (int bin : bins) {
            assertEquals(count / 10.0, bin, 5 * Math.sqrt(count * 0.1 * 0.9));
        }
    }
}
