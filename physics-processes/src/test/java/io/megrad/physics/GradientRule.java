package io.megrad.physics;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corpus README's comparison rule for gradients (momentum block norm-wise, parameters each on their own). */
final class GradientRule {
    private GradientRule() {
    }

    static void assertClose(List<String> wrt, double[][] got, double[][] ref, double[] me, double tol) {
        int nWrt = wrt.size();
        double[] columnScale = new double[nWrt];
        for (double[] row : ref) {
            for (int j = 0; j < nWrt; j++) {
                columnScale[j] = Math.max(columnScale[j], Math.abs(row[j]));
            }
        }
        for (int k = 0; k < ref.length; k++) {
            double norm = 0;
            for (int j = 0; j < nWrt; j++) {
                if (wrt.get(j).startsWith("p")) {
                    norm += ref[k][j] * ref[k][j];
                }
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < nWrt; j++) {
                double diff = Math.abs(got[k][j] - ref[k][j]);
                double bound;
                if (wrt.get(j).startsWith("p")) {
                    bound = tol * norm;
                } else if (columnScale[j] == 0) {
                    bound = tol * 1e-3 * Math.abs(me[k]);
                } else {
                    bound = tol * Math.max(Math.abs(ref[k][j]), 1e-3 * columnScale[j]);
                }
                assertTrue(diff <= bound, "point " + k + ", d|M|^2/d" + wrt.get(j) + ": " + got[k][j]
                        + " vs reference " + ref[k][j] + " (allowed " + bound + ")");
            }
        }
    }
}
