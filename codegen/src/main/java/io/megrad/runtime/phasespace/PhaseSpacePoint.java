package io.megrad.runtime.phasespace;

/**
 * One generated phase-space point.
 *
 * @param momenta all {@code n+2} momenta in MadGraph order, the two incoming first, each {@code {E, px, py, pz}}
 * @param weight the phase-space weight: {@code ∫ dΦ_n f = ∫_{[0,1]^(3n-4)} dr weight(r) f(p(r))}, see
 *     {@link PhaseSpaceGenerator} for the normalisation of {@code dΦ_n}
 */
public record PhaseSpacePoint(double[][] momenta, double weight) {
}
