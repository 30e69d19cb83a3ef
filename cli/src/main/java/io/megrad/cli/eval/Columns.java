package io.megrad.cli.eval;

import io.megrad.cli.io.Wrt;
import io.megrad.cli.io.WrtParser;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The derivative columns a user asked for ({@code --wrt}) and the seeds the evaluator needs to
 * produce them. {@code ps} (the phase-space generator's random numbers r1…rk) is computed by the
 * chain rule from the derivatives w.r.t. every final-state momentum component, which are then
 * seeded even when not printed.
 */
public final class Columns {
    private final List<String> names = new ArrayList<>();
    private final List<Seed> seeds = new ArrayList<>();
    /** For each output column: the seed index, or -1 - j for random number r_(j+1). */
    private final int[] source;
    private final int[][] finalMomentumSeed;
    private final List<ParamKey> parameters = new ArrayList<>();
    private final int[] parameterColumns;
    private final boolean phaseSpace;

    /**
     * @param spec     the --wrt text (null: no derivatives)
     * @param psRandom the generator's dimension when points are generated, else -1 ({@code ps} is then an error)
     */
    public Columns(String spec, int nExternal, int nInitial, int psRandom) {
        List<String> items = new ArrayList<>();
        boolean ps = false;
        if (spec != null) {
            for (String item : spec.split(",")) {
                if (item.strip().equalsIgnoreCase("ps")) {
                    ps = true;
                } else {
                    items.add(item);
                }
            }
        }
        if (ps && psRandom < 0) {
            throw new UsageException("--wrt ps needs generated points (--sample N --sqrt-s E)");
        }
        this.phaseSpace = ps;
        List<Wrt> wrts = items.isEmpty() ? List.of() : WrtParser.parse(String.join(",", items), nExternal, nInitial);
        Map<String, Integer> seedIndex = new LinkedHashMap<>();
        List<Integer> src = new ArrayList<>();
        List<Integer> paramCols = new ArrayList<>();
        if (ps) {
            for (int j = 0; j < psRandom; j++) {
                names.add("r" + (j + 1));
                src.add(-1 - j);
            }
        }
        for (Wrt w : wrts) {
            Seed s = w instanceof Wrt.MomentumComponent m ? new Seed.Momentum(m.particle(), m.component())
                    : new Seed.Parameter(((Wrt.Parameter) w).key());
            names.add(w.name());
            src.add(seedIndex.computeIfAbsent(w.name(), k -> {
                seeds.add(s);
                return seeds.size() - 1;
            }));
            if (w instanceof Wrt.Parameter p) {
                parameters.add(p.key());
                paramCols.add(names.size() - 1);
            }
        }
        finalMomentumSeed = new int[ps ? nExternal - nInitial : 0][4];
        for (int i = 0; i < finalMomentumSeed.length; i++) {
            for (int mu = 0; mu < 4; mu++) {
                int particle = nInitial + 1 + i;
                String name = "p" + particle + "." + "Exyz".charAt(mu);
                int component = mu;
                finalMomentumSeed[i][mu] = seedIndex.computeIfAbsent(name, k -> {
                    seeds.add(new Seed.Momentum(particle, component));
                    return seeds.size() - 1;
                });
            }
        }
        source = src.stream().mapToInt(Integer::intValue).toArray();
        parameterColumns = paramCols.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public List<Seed> seeds() {
        return List.copyOf(seeds);
    }

    public boolean phaseSpace() {
        return phaseSpace;
    }

    /** The param-card entries among the columns (for --score / --hessian), in column order. */
    public List<String> parameterNames() {
        return parameters.stream().map(ParamKey::toString).toList();
    }

    public int[] parameterColumns() {
        return parameterColumns.clone();
    }

    /**
     * Output columns from the evaluator's derivatives (per seed) and, for {@code ps}, the
     * generator's Jacobian {@code dp[i][mu][j]} = ∂p_i^mu/∂r_j (all particles, MadGraph order).
     */
    public double[] columns(double[] seedGrad, double[][][] dp, int nInitial) {
        double[] out = new double[source.length];
        for (int c = 0; c < source.length; c++) {
            int s = source[c];
            if (s >= 0) {
                out[c] = seedGrad[s];
            } else {
                int j = -1 - s;
                double sum = 0;
                for (int i = 0; i < finalMomentumSeed.length; i++) {
                    for (int mu = 0; mu < 4; mu++) {
                        sum += seedGrad[finalMomentumSeed[i][mu]] * dp[nInitial + i][mu][j];
                    }
                }
                out[c] = sum;
            }
        }
        return out;
    }
}
