package io.megrad.cli.eval;

import io.megrad.runtime.UsageException;
import io.megrad.runtime.phasespace.PhaseSpaceGenerator;

import java.util.Arrays;

/**
 * megrad's phase-space generator for a process, as {@code sample} and {@code eval --sample} use
 * it: a 2 → n scattering in its centre-of-mass frame at {@code --sqrt-s}, each beam with its own
 * mass, or a 1 → n decay at rest (where {@code --sqrt-s} may be left out: it is the mass).
 */
public final class ProcessGenerator {
    private ProcessGenerator() {
    }

    /**
     * @param masses every external particle's mass (incoming first), or null when the output does not state them
     * @param sqrtS  {@code --sqrt-s}, or null when not given
     * @throws UsageException naming the option or the masses when no point can be generated
     */
    public static PhaseSpaceGenerator of(int incoming, double[] masses, Double sqrtS) {
        if (masses == null) {
            throw new UsageException("the output does not state its particle masses (pmass.inc): cannot generate points");
        }
        double[] outgoing = Arrays.copyOfRange(masses, incoming, masses.length);
        double threshold = Arrays.stream(outgoing).sum();
        if (incoming == 1) {
            double m = masses[0];
            if (sqrtS != null && Math.abs(sqrtS - m) > 1e-12 * m) {
                throw new UsageException("a decay is generated at rest: --sqrt-s " + sqrtS + " must be the decaying particle's mass, "
                        + m + " GeV, or be left out");
            }
            if (!(m > threshold)) {
                throw new UsageException("the decaying particle's mass " + m + " GeV is not above the final-state masses (" + threshold + " GeV)");
            }
            return PhaseSpaceGenerator.decay(m, outgoing);
        }
        if (incoming != 2) {
            throw new UsageException("points are generated for 1 → n decays and 2 → n scatterings; this process has " + incoming + " incoming particles");
        }
        if (sqrtS == null) {
            throw new UsageException("--sqrt-s E is needed to generate points of a 2 → n process");
        }
        double beams = masses[0] + masses[1];
        if (!(sqrtS > Math.max(threshold, beams)) || Double.isInfinite(sqrtS)) {
            throw new UsageException("--sqrt-s " + sqrtS + " must exceed the final-state masses (" + threshold + " GeV) and the beams' ("
                    + beams + " GeV)");
        }
        return PhaseSpaceGenerator.scattering(sqrtS, masses[0], masses[1], outgoing);
    }
}
