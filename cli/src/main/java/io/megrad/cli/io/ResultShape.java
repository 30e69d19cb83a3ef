package io.megrad.cli.io;

import java.util.ArrayList;
import java.util.List;

/**
 * What every point of one result document has, fixed when the writer is opened: the gradient
 * names and which optional values are written. Lists are null for an absent value.
 *
 * @param subprocess the document's subprocess, or null when points name theirs
 * @param status whether each point gets a status (ok or nonfinite)
 * @param subprocessPerPoint whether each point names its subprocess
 * @param nMomenta particles per point in {@code momenta}, 0 when momenta are not written
 */
record ResultShape(String subprocess, List<String> wrt, boolean status, boolean subprocessPerPoint, int nMomenta,
        boolean weight, List<String> weightGrad, List<String> score, List<String> hessian) {

    /** Throws {@link IllegalArgumentException} naming what in {@code p} does not fit this shape. */
    void check(PointResult p) {
        if (p.grad().length != wrt.size()) {
            throw new IllegalArgumentException("grad has " + p.grad().length + " values, expected " + wrt.size()
                    + " (one per wrt name)");
        }
        if (subprocessPerPoint) {
            if (subprocessOf(p) == null) {
                throw new IllegalArgumentException("point without a subprocess name");
            }
        } else if (p.subprocess() != null && !p.subprocess().equals(subprocess)) {
            throw new IllegalArgumentException("point of subprocess " + p.subprocess() + " in a result document for "
                    + subprocess + ": open the writer with subprocessPerPoint()");
        }
        if (nMomenta > 0) {
            declared("momenta", p.momenta(), true);
            if (p.momenta().length != nMomenta) {
                throw new IllegalArgumentException("momenta has " + p.momenta().length + " particles, expected " + nMomenta);
            }
            for (double[] m : p.momenta()) {
                if (m.length != 4) {
                    throw new IllegalArgumentException("a momentum has " + m.length + " components, expected 4");
                }
            }
        } else {
            declared("momenta", p.momenta(), false);
        }
        declared("weight", p.weight(), weight);
        vector("weight_grad", p.weightGrad(), weightGrad);
        vector("score", p.score(), score);
        vector("hessian", p.hessian(), hessian);
        if (hessian != null) {
            for (double[] row : p.hessian()) {
                if (row.length != hessian.size()) {
                    throw new IllegalArgumentException("a hessian row has " + row.length + " values, expected " + hessian.size());
                }
            }
        }
    }

    /** The subprocess written with {@code p}: its own, else the document's. */
    String subprocessOf(PointResult p) {
        return p.subprocess() != null ? p.subprocess() : subprocess;
    }

    /** Names of the extra CSV columns after {@code me} and the gradient, in order. */
    List<String> extraColumns() {
        List<String> columns = new ArrayList<>();
        if (status) {
            columns.add("status");
        }
        if (subprocessPerPoint) {
            columns.add("subprocess");
        }
        for (int particle = 1; particle <= nMomenta; particle++) {
            for (int mu = 0; mu < 4; mu++) {
                columns.add("momenta[" + new Wrt.MomentumComponent(particle, mu).name() + "]");
            }
        }
        if (weight) {
            columns.add("weight");
        }
        if (weightGrad != null) {
            weightGrad.forEach(n -> columns.add("weight_grad[" + n + "]"));
        }
        if (score != null) {
            score.forEach(n -> columns.add("score[" + n + "]"));
        }
        if (hessian != null) {
            for (String a : hessian) {
                for (String b : hessian) {
                    columns.add("hessian[" + a + "][" + b + "]");
                }
            }
        }
        return columns;
    }

    private static void declared(String name, Object value, boolean declared) {
        if (declared && value == null) {
            throw new IllegalArgumentException("point without " + name + ", which the result document has for every point");
        }
        if (!declared && value != null) {
            throw new IllegalArgumentException("point with " + name + ", which the result writer was not opened for");
        }
    }

    private static void vector(String name, Object value, List<String> names) {
        declared(name, value, names != null);
        int length = value instanceof double[] v ? v.length : value instanceof double[][] m ? m.length : 0;
        if (names != null && length != names.size()) {
            throw new IllegalArgumentException(name + " has " + length + " values, expected " + names.size());
        }
    }
}
