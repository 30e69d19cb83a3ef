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
        double[] values = InputValues.resolve(inputKeys, defaults, card);
        double[] inputSeeds = new double[inputKeys.size() * n];
        for (int k = 0; k < n; k++) {
            Seed s = seeds.get(k);
            if (s instanceof Seed.Momentum m) {
                InputValues.checkParticle(m, externals);
                pD[(4 * (m.particle() - 1) + m.component()) * n + k] = 1.0;
            } else {
                ParamKey key = ((Seed.Parameter) s).key();
                int[] reading = InputValues.inputsReading(key, inputKeys, card);
                for (int i : reading) {
                    inputSeeds[i * n + k] = 1.0;
                }
                if (reading.length == 0) {
                    warnings.add(InputValues.unreadWarning(key));
                }
            }
        }
        process.setInputs(values, inputSeeds);
        process.setup();
    }

    @Override
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
        InputValues.flatten(momenta, externals, p);
        double me = process.evaluate(p, pD, meD);
        System.arraycopy(meD, 0, grad, 0, n);
        return me;
    }

    @Override
    public double[] masses() {
        return process.masses();
    }
}
