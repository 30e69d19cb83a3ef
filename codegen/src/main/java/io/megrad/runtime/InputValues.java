package io.megrad.runtime;

import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.util.List;
import java.util.stream.IntStream;

/** What forward and reverse evaluators share: input values from the card, seed checks, point validation. */
final class InputValues {
    private InputValues() {
    }

    /** Each input's value: the card entry it reads, else the default of the output's reading code. */
    static double[] resolve(List<ParamKey> inputKeys, double[] defaults, ParamCard card) {
        double[] values = new double[inputKeys.size()];
        for (int i = 0; i < values.length; i++) {
            ParamKey key = inputKeys.get(i);
            values[i] = key != null && card.contains(key) ? card.value(key).getAsDouble() : defaults[i];
        }
        return values;
    }

    static void checkParticle(Seed.Momentum m, int externals) {
        if (m.particle() < 1 || m.particle() > externals) {
            throw new UsageException("particle p" + m.particle() + " does not exist: the process has " + externals + " external particles");
        }
    }

    /** The inputs that read {@code key}; the key must be in the card. */
    static int[] inputsReading(ParamKey key, List<ParamKey> inputKeys, ParamCard card) {
        if (!card.contains(key)) {
            throw new InputException(SourcePosition.of(card.sourceName(), 0), "no entry " + key + " in the param card");
        }
        return IntStream.range(0, inputKeys.size()).filter(i -> key.equals(inputKeys.get(i))).toArray();
    }

    static String unreadWarning(ParamKey key) {
        return key + " is in the param card but the model does not read it (e.g. a derived quantity): its derivatives are exactly zero";
    }

    /** Copies momenta into MadGraph's P(0:3, NEXTERNAL) layout, rejecting malformed points. */
    static void flatten(double[][] momenta, int externals, double[] p) {
        if (momenta.length != externals) {
            throw new InputException("expected " + externals + " momenta, got " + momenta.length);
        }
        for (int i = 0; i < externals; i++) {
            if (momenta[i].length != 4) {
                throw new InputException("momentum of particle " + (i + 1) + " has " + momenta[i].length + " components, not 4");
            }
            for (int mu = 0; mu < 4; mu++) {
                double v = momenta[i][mu];
                if (!Double.isFinite(v)) {
                    throw new InputException("momentum component " + mu + " of particle " + (i + 1) + " is " + v);
                }
                p[4 * i + mu] = v;
            }
        }
    }
}
