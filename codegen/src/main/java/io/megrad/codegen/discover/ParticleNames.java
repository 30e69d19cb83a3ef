package io.megrad.codegen.discover;

import java.util.HashMap;
import java.util.Map;

/**
 * PDG codes of the particle names MadGraph's models use (the SM, heft and the usual MSSM/BSM
 * names). Standalone outputs only name the particles (in the {@code Process:} comment), so this
 * table is what maps an output to PDG codes, e.g. to match LHE events to a subprocess. A name not
 * listed gives no code, and features that need codes say so.
 */
final class ParticleNames {
    private static final Map<String, Integer> PDG = new HashMap<>();

    static {
        String[] quarks = {"d", "u", "s", "c", "b", "t"};
        for (int i = 0; i < quarks.length; i++) {
            pair(quarks[i], quarks[i] + "~", i + 1);
        }
        pair("e-", "e+", 11);
        pair("ve", "ve~", 12);
        pair("mu-", "mu+", 13);
        pair("vm", "vm~", 14);
        pair("ta-", "ta+", 15);
        pair("vt", "vt~", 16);
        PDG.put("g", 21);
        PDG.put("a", 22);
        PDG.put("z", 23);
        pair("w+", "w-", 24);
        PDG.put("h", 25);
        PDG.put("h1", 25);
        PDG.put("h0", 25);
        PDG.put("h2", 35);
        PDG.put("h3", 36);
        pair("h+", "h-", 37);
        // MSSM (UFO MSSM_SLHA2 names).
        PDG.put("n1", 1000022);
        PDG.put("n2", 1000023);
        PDG.put("n3", 1000025);
        PDG.put("n4", 1000035);
        pair("x1+", "x1-", 1000024);
        pair("x2+", "x2-", 1000037);
        PDG.put("go", 1000021);
        String[] sq = {"dl", "ul", "sl", "cl", "b1", "t1"};
        for (int i = 0; i < sq.length; i++) {
            pair(sq[i], sq[i] + "~", 1000001 + i);
        }
        String[] sqr = {"dr", "ur", "sr", "cr", "b2", "t2"};
        for (int i = 0; i < sqr.length; i++) {
            pair(sqr[i], sqr[i] + "~", 2000001 + i);
        }
    }

    private ParticleNames() {
    }

    private static void pair(String particle, String antiparticle, int code) {
        PDG.put(particle, code);
        PDG.put(antiparticle, -code);
    }

    /** The PDG code of {@code name}, or null when the table does not know it. */
    static Integer pdg(String name) {
        return PDG.get(name.toLowerCase());
    }
}
