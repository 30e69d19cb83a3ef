package io.megrad.cli.io;

/**
 * One phase-space point read from a points input.
 *
 * <pre>{@code
 * double energyOfParticle3 = point.momenta()[2][0];
 * }</pre>
 *
 * <p>The array is handed over as read, not copied: points stream by the million and the reader
 * never touches an array again after returning it. Record equality on the array is by identity.
 *
 * @param index 0-based position of the point in the input
 * @param line 1-based line where the point starts in a text input, 0 when unknown
 * @param momenta {@code momenta[particle][mu]}, particles in MadGraph order (0-based here),
 *     {@code mu} = 0..3 for E, px, py, pz in GeV
 */
public record Point(long index, int line, double[][] momenta) {
    public Point {
        if (momenta == null) {
            throw new IllegalArgumentException("momenta must not be null");
        }
    }
}
