package io.megrad.cli.io;

/**
 * What is written for one point: |M|², its gradient, and the optional per-point values some runs
 * add. Absent values are null and are not written.
 *
 * <pre>{@code
 * out.write(PointResult.of(me, grad)
 *         .withSubprocess(point.subprocess())
 *         .withMomenta(point.momenta())
 *         .withWeight(w).withWeightGrad(dw)
 *         .withScore(score).withHessian(hessian));
 * }</pre>
 *
 * <p>Which optional values every point has is declared when the {@link ResultWriter} is opened
 * (CSV and NPY fix their columns and files up front); a point with more or fewer is a programming
 * error. A point is {@linkplain #isFinite() finite} when every number in it is; a point that is not
 * gets {@code "status": "nonfinite"} and its non-finite numbers are never written as numbers (see
 * {@link ResultWriter}). Arrays are handed over, not copied, as for {@link Point}.
 *
 * @param me |M|²
 * @param grad derivatives of |M|² in the order of the writer's wrt names
 * @param subprocess the subprocess the point belongs to, or null for the writer's one subprocess
 * @param momenta {@code momenta[particle][mu]}, {E, px, py, pz} per particle: the point evaluated
 * @param weight the phase-space weight of a generated point
 * @param weightGrad derivatives of the weight, in the order of the writer's weight-gradient names
 * @param score ∇ log|M|², in the order of the writer's score names
 * @param hessian second derivatives of |M|², {@code hessian[i][j]} in the order of the writer's
 *     Hessian names
 */
public record PointResult(double me, double[] grad, String subprocess, double[][] momenta, Double weight,
        double[] weightGrad, double[] score, double[][] hessian) {
    public PointResult {
        if (grad == null) {
            throw new IllegalArgumentException("grad must not be null (length 0 when there are no wrt names)");
        }
    }

    /** |M|² and its gradient, nothing else. */
    public static PointResult of(double me, double[] grad) {
        return new PointResult(me, grad, null, null, null, null, null, null);
    }

    public PointResult withSubprocess(String name) {
        return new PointResult(me, grad, name, momenta, weight, weightGrad, score, hessian);
    }

    public PointResult withMomenta(double[][] p) {
        return new PointResult(me, grad, subprocess, p, weight, weightGrad, score, hessian);
    }

    public PointResult withWeight(double w) {
        return new PointResult(me, grad, subprocess, momenta, w, weightGrad, score, hessian);
    }

    public PointResult withWeightGrad(double[] dw) {
        return new PointResult(me, grad, subprocess, momenta, weight, dw, score, hessian);
    }

    public PointResult withScore(double[] s) {
        return new PointResult(me, grad, subprocess, momenta, weight, weightGrad, s, hessian);
    }

    public PointResult withHessian(double[][] h) {
        return new PointResult(me, grad, subprocess, momenta, weight, weightGrad, score, h);
    }

    /** Whether every number of the point is finite: its status is {@code ok} exactly then. */
    public boolean isFinite() {
        return Double.isFinite(me) && finite(grad) && (weight == null || Double.isFinite(weight))
                && finite(weightGrad) && finite(score) && finite(hessian) && finite(momenta);
    }

    private static boolean finite(double[] values) {
        if (values != null) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean finite(double[][] rows) {
        if (rows != null) {
            for (double[] row : rows) {
                if (!finite(row)) {
                    return false;
                }
            }
        }
        return true;
    }
}
