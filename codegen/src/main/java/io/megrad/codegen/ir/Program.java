package io.megrad.codegen.ir;

import java.util.List;
import java.util.Map;

/**
 * A whole translated process: its procedures, the COMMON blocks they share, the external inputs
 * (param-card entries), the number of external and incoming particles, and the two entry points: {@code setupEntry} computes the model's parameters
 * and couplings from the inputs, {@code pointEntry} evaluates |M|² as {@code SUBROUTINE (P, ANS)}.
 */
public record Program(Map<String, Procedure> procedures, Map<String, CommonBlock> commons,
                      List<ExternalInput> inputs, String setupEntry, String pointEntry, int nExternal, int nInitial) {
    public Program {
        procedures = Map.copyOf(procedures);
        commons = Map.copyOf(commons);
        inputs = List.copyOf(inputs);
    }

    /**
     * Optional procedure {@code SUBROUTINE (PMASS)} filling the external particles' masses from the
     * model's parameters (after the setup); frontends provide it when the output states the masses.
     */
    public static final String MASSES_ENTRY = "MEGRAD_MASSES";

    public Procedure procedure(String name) {
        return procedures.get(name);
    }
}
