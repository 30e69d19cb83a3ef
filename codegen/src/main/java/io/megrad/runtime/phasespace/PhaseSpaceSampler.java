package io.megrad.runtime.phasespace;

import java.util.SplittableRandom;

/**
 * Uniform random numbers for {@link PhaseSpaceGenerator}, reproducible from a seed: the same seed
 * gives the same sequence of points on every platform.
 *
 * <pre>{@code
 * PhaseSpaceGenerator generator = new PhaseSpaceGenerator(1000, 0, 0, 173);
 * PhaseSpaceSampler sampler = new PhaseSpaceSampler(42);
 * PhaseSpacePoint point = generator.generate(sampler.next(generator.dimension()));
 * }</pre>
 */
public final class PhaseSpaceSampler {
    private final SplittableRandom random;

    public PhaseSpaceSampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A fresh point uniform in the open cube (0,1)^dimension. */
    public double[] next(int dimension) {
        if (dimension < 0) {
            throw new IllegalArgumentException("negative dimension " + dimension);
        }
        double[] r = new double[dimension];
        fill(r);
        return r;
    }

    /** Overwrites {@code r} with a point uniform in the open cube (0,1)^r.length. */
    public void fill(double[] r) {
        for (int j = 0; j < r.length; j++) {
            // Midpoints of the 2^53 equal cells: never exactly 0 or 1, where the map degenerates.
            r[j] = ((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
        }
    }
}
