package io.megrad.cli.io;

import io.megrad.runtime.slha.ParamKey;

/**
 * One quantity a gradient is taken with respect to, named as in the corpus reference files and
 * the result header: {@code p3.E}, {@code p4.z}, {@code MASS:6}.
 *
 * <pre>{@code
 * List<Wrt> wrt = WrtParser.parse("final,MASS:6", 4, 2);
 * wrt.get(0).name();   // "p3.E"
 * }</pre>
 */
public sealed interface Wrt permits Wrt.MomentumComponent, Wrt.Parameter {
    /** The name used in outputs and accepted back by {@link WrtParser}. */
    String name();

    /**
     * A component of an external momentum.
     *
     * @param particle 1-based, MadGraph order
     * @param component 0 = E, 1 = x, 2 = y, 3 = z
     */
    record MomentumComponent(int particle, int component) implements Wrt {
        private static final String[] LETTERS = {"E", "x", "y", "z"};

        public MomentumComponent {
            if (particle < 1 || component < 0 || component > 3) {
                throw new IllegalArgumentException("no momentum component p" + particle + "[" + component + "]");
            }
        }

        /** {@code p3.E}, {@code p3.x}, {@code p3.y}, {@code p3.z}. */
        @Override
        public String name() {
            return "p" + particle + "." + LETTERS[component];
        }
    }

    /** A param-card entry; named as the key prints, upper-case ({@code MASS:6}). */
    record Parameter(ParamKey key) implements Wrt {
        public Parameter {
            if (key == null) {
                throw new IllegalArgumentException("key must not be null");
            }
        }

        @Override
        public String name() {
            return key.toString();
        }
    }
}
