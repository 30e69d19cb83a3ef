package io.megrad.cli.io;

import java.util.Arrays;

/**
 * A subprocess as a points input sees it: its name and the PDG codes of its external particles,
 * incoming first, in MadGraph order (the order of the momenta its matrix element takes).
 *
 * <pre>{@code
 * Subprocess ttbar = new Subprocess("P1_gg_ttx", 2, new int[] {21, 21, 6, -6});
 * }</pre>
 *
 * <p>The number of incoming particles is part of it so that a decay {@code a > b c d} is never
 * taken for the scattering {@code a b > c d}. The array is copied in and out.
 *
 * @param name the SubProcesses directory name, written with every point of this subprocess
 * @param nInitial number of incoming particles, 1 (decay) or 2
 * @param pdg PDG codes of all external particles, incoming then outgoing
 */
public record Subprocess(String name, int nInitial, int[] pdg) {
    public Subprocess {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (pdg == null || nInitial < 1 || nInitial >= pdg.length) {
            throw new IllegalArgumentException("subprocess " + name + ": need at least one incoming and one outgoing"
                    + " particle, got nInitial " + nInitial + " of " + (pdg == null ? 0 : pdg.length));
        }
        pdg = pdg.clone();
    }

    /** Number of external particles, incoming and outgoing. */
    public int nExternal() {
        return pdg.length;
    }

    /** The PDG code of particle {@code i}, 0-based. */
    public int pdg(int i) {
        return pdg[i];
    }

    /** {@code P1_gg_ttx (21 21 > 6 -6)}, for messages. */
    public String describe() {
        return name + " (" + LheEvent.codes(pdg, nInitial) + ")";
    }

    @Override
    public int[] pdg() {
        return pdg.clone();
    }

    @Override
    public String toString() {
        return "Subprocess[" + describe() + "]";
    }

    // Record equality on the array would be by identity; two descriptions of one subprocess are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof Subprocess s && s.name.equals(name) && s.nInitial == nInitial && Arrays.equals(s.pdg, pdg);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(pdg) + nInitial;
    }
}
