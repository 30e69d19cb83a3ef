package io.megrad.runtime;

import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link GeneratedProcess}: seeds the requested directions, runs the model setup once for
 * the parameter card, then evaluates points.
 */
public final class PortEvaluator implements ProcessEvaluator {
    private final GeneratedProcess process;
    private final int externals;
    private final int n;
    private final double[] p;
    private final double[] pD;
    private final double[] meD;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param inputKeys the param-card entry each input of the process reads (null when the output's
     *                  ident card does not map it; its default is then used, as MadGraph does)
     * @param defaults  each input's default value from the output's reading code
     */
    public PortEvaluator(GeneratedProcess process, int externals, List<ParamKey> inputKeys, double[] defaults,
                         ParamCard card, List<Seed> seeds) {
        this.process = process;
        this.externals = externals;
        this.n = process.directions();
        if (seeds.size() != n) {
            throw new IllegalArgumentException("process compiled for " + n + " directions, " + seeds.size() + " seeds given");
        }
        this.p = new double[4 * externals];
        this.pD = new double[4 * externals * n];
        this.meD = new double[n];
        double[] values = new double[inputKeys.size()];
        double[] inputSeeds = new double[inputKeys.size() * n];
        for (int i = 0; i < values.length; i++) {
            ParamKey key = inputKeys.get(i);
            values[i] = key != null && card.contains(key) ? card.value(key).getAsDouble() : defaults[i];
        }
        for (int k = 0; k < n; k++) {
            Seed s = seeds.get(k);
            if (s instanceof Seed.Momentum m) {
                if (m.particle() < 1 || m.particle() > externals) {
                    throw new UsageException("particle p" + m.particle() + " does not exist: the process has " + externals + " external particles");
                }
                pD[(4 * (m.particle() - 1) + m.component()) * n + k] = 1.0;
            } else {
                ParamKey key = ((Seed.Parameter) s).key();
                if (!card.contains(key)) {
                    throw new InputException(SourcePosition.of(card.sourceName(), 0), "no entry " + key + " in the param card");
                }
                boolean read = false;
                for (int i = 0; i < values.length; i++) {
                    if (key.equals(inputKeys.get(i))) {
                        inputSeeds[i * n + k] = 1.0;
                        read = true;
                    }
                }
                if (!read) {
                    warnings.add(key + " is in the param card but the model does not read it (e.g. a derived quantity): its derivatives are exactly zero");
                }
            }
        }
        process.setInputs(values, inputSeeds);
        process.setup();
    }

    /** One-line warnings produced while seeding (entries the model does not read). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public int externals() {
        return externals;
    }

    @Override
    public int directions() {
        return n;
    }

    @Override
    public double evaluate(double[][] momenta, double[] grad) {
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
        double me = process.evaluate(p, pD, meD);
        System.arraycopy(meD, 0, grad, 0, n);
        return me;
    }
}
