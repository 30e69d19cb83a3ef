package io.megrad.cli.io;

/**
 * One phase-space point read from a points input.
 *
 * <pre>{@code
 * double energyOfParticle3 = point.momenta()[2][0];
 * String which = point.subprocess();   // "P1_uux_ttx" for an LHE event; see below
 * }</pre>
 *
 * <p>The array is handed over as read, not copied: points stream by the million and the reader
 * never touches an array again after returning it. Record equality on the array is by identity.
 *
 * @param index 0-based position of the point in the input
 * @param line 1-based line where the point starts in a text input, 0 when unknown
 * @param momenta {@code momenta[particle][mu]}, particles in MadGraph order (0-based here),
 *     {@code mu} = 0..3 for E, px, py, pz in GeV
 * @param subprocess the name of the subprocess the point belongs to: the one an LHE event
 *     matched, or the one subprocess a source was opened for; null when the source was opened
 *     with a particle count only
 */
public record Point(long index, int line, double[][] momenta, String subprocess) {
    public Point {
        if (momenta == null) {
            throw new IllegalArgumentException("momenta must not be null");
        }
    }

    /** A point not tied to a named subprocess. */
    public Point(long index, int line, double[][] momenta) {
        this(index, line, momenta, null);
    }
}
