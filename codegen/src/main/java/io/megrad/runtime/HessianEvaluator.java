package io.megrad.runtime;

import java.util.List;

/**
 * Second derivatives of |M|² w.r.t. a list of param-card entries: column {@code d} comes from an
 * evaluator of the program's tangent along entry {@code d}, run in forward mode along all entries.
 * Not thread-safe: one per thread.
 */
public final class HessianEvaluator {
    private final List<ProcessEvaluator> columns;

    public HessianEvaluator(List<ProcessEvaluator> columns) {
        this.columns = List.copyOf(columns);
    }

    public int size() {
        return columns.size();
    }

    /** {@code h[i][j]} = ∂²|M|²/∂θ_i∂θ_j at the point. */
    public double[][] hessian(double[][] momenta) {
        int k = columns.size();
        double[][] h = new double[k][k];
        for (int d = 0; d < k; d++) {
            columns.get(d).evaluate(momenta, h[d]);
        }
        return h;
    }
}
