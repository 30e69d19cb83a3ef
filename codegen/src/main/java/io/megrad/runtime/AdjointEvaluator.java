package io.megrad.runtime;

import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives a reverse-mode port: one taped evaluation and one backward sweep per point give the
 * derivatives along every seed at once, whatever their number.
 */
public final class AdjointEvaluator implements ProcessEvaluator {
    private final GeneratedAdjointProcess process;
    private final int externals;
    private final List<Seed> seeds;
    private final int[][] inputsOfSeed;
    private final double[] p;
    private final double[] pBar;
    private final double[] inputBar;
    private final List<String> warnings = new ArrayList<>();

    public AdjointEvaluator(GeneratedAdjointProcess process, int externals, List<ParamKey> inputKeys, double[] defaults,
                            ParamCard card, List<Seed> seeds) {
        this.process = process;
        this.externals = externals;
        this.seeds = List.copyOf(seeds);
        this.p = new double[4 * externals];
        this.pBar = new double[4 * externals];
        this.inputBar = new double[inputKeys.size()];
        this.inputsOfSeed = new int[seeds.size()][];
        double[] values = InputValues.resolve(inputKeys, defaults, card);
        for (int k = 0; k < seeds.size(); k++) {
            Seed s = seeds.get(k);
            if (s instanceof Seed.Momentum m) {
                InputValues.checkParticle(m, externals);
                inputsOfSeed[k] = new int[0];
            } else {
                ParamKey key = ((Seed.Parameter) s).key();
                inputsOfSeed[k] = InputValues.inputsReading(key, inputKeys, card);
                if (inputsOfSeed[k].length == 0) {
                    warnings.add(InputValues.unreadWarning(key));
                }
            }
        }
        process.setInputs(values);
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
        return seeds.size();
    }

    @Override
    public double evaluate(double[][] momenta, double[] grad) {
        InputValues.flatten(momenta, externals, p);
        double me = process.evaluate(p, pBar, inputBar);
        for (int k = 0; k < seeds.size(); k++) {
            if (seeds.get(k) instanceof Seed.Momentum m) {
                grad[k] = pBar[4 * (m.particle() - 1) + m.component()];
            } else {
                double sum = 0;
                for (int i : inputsOfSeed[k]) {
                    sum += inputBar[i];
                }
                grad[k] = sum;
            }
        }
        return me;
    }

    @Override
    public double[] masses() {
        return process.masses();
    }
}
