package io.megrad.cli.io;

/**
 * The incoming ({@code ISTUP = -1}) and outgoing ({@code ISTUP = 1}) particles of one
 * {@code <event>} of a Les Houches event file, each group in the order of the file; intermediate
 * and documentation lines are left out.
 *
 * <pre>{@code
 * LheEvent e = reader.read();
 * e.pdg()[0];          // PDG code of the first incoming particle
 * e.momenta()[0][0];   // its energy
 * }</pre>
 *
 * <p>Arrays are handed over, not copied, as for {@link Point}.
 *
 * @param index 0-based position of the event in the file
 * @param line 1-based line of its {@code <event>} tag
 * @param nIncoming how many of the particles are incoming; they come first
 * @param pdg PDG codes ({@code IDUP}), incoming then outgoing
 * @param momenta {@code {E, px, py, pz}} per particle, from {@code PUP}, in the order of {@code pdg}
 */
public record LheEvent(long index, int line, int nIncoming, int[] pdg, double[][] momenta) {
    public LheEvent {
        if (pdg == null || momenta == null || pdg.length != momenta.length || nIncoming < 0 || nIncoming > pdg.length) {
            throw new IllegalArgumentException("inconsistent event: " + nIncoming + " incoming of "
                    + (pdg == null ? "no" : pdg.length) + " PDG codes, " + (momenta == null ? "no" : momenta.length) + " momenta");
        }
    }

    /** {@code 2 -2 > 6 -6 21}, for messages. */
    public String describe() {
        return codes(pdg, nIncoming);
    }

    static String codes(int[] pdg, int nIncoming) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pdg.length; i++) {
            text.append(i == 0 ? "" : " ").append(i == nIncoming ? "> " : "").append(pdg[i]);
        }
        return nIncoming == pdg.length ? text.append(" >").toString() : text.toString();
    }
}
