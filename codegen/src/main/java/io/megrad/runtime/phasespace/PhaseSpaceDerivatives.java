package io.megrad.runtime.phasespace;

/**
 * A phase-space point with the exact derivatives of its momenta and weight with respect to the
 * generator's random numbers {@code r_0 … r_(k-1)}, {@code k = 3n-4}.
 *
 * @param point the point itself
 * @param momenta {@code momenta[i][mu][j] = ∂p_i^mu/∂r_j}, particles in MadGraph order (the incoming
 *     momenta are fixed, so their rows are zero)
 * @param weight {@code weight[j] = ∂weight/∂r_j}
 */
public record PhaseSpaceDerivatives(PhaseSpacePoint point, double[][][] momenta, double[] weight) {
}
