package io.megrad.runtime;

import io.megrad.runtime.slha.ParamKey;

/** One differentiation direction: a momentum component or a param-card entry. */
public sealed interface Seed {
    /** Component {@code component} (0=E, 1=x, 2=y, 3=z) of external particle {@code particle} (1-based). */
    record Momentum(int particle, int component) implements Seed {
    }

    record Parameter(ParamKey key) implements Seed {
    }
}
