package io.megrad.runtime.phasespace;

/**
 * A forward-mode dual number: a value and its derivatives with respect to {@code k} independent
 * variables (the tangent). Immutable. Every operation states its value and its partial derivatives
 * side by side and hands them to {@link #chain}, the one place the chain rule is applied; with
 * {@code k = 0} the same code computes plain values.
 */
final class Dual {
    private static final double[] NO_TANGENT = new double[0];

    final double value;
    final double[] tangent;

    private Dual(double value, double[] tangent) {
        this.value = value;
        this.tangent = tangent;
    }

    static Dual constant(double value, int k) {
        return new Dual(value, k == 0 ? NO_TANGENT : new double[k]);
    }

    /** The independent variable number {@code index} of {@code k}. */
    static Dual variable(double value, int k, int index) {
        double[] t = new double[k];
        t[index] = 1;
        return new Dual(value, t);
    }

    int width() {
        return tangent.length;
    }

    /** A function of this number alone: its value {@code f} and its derivative {@code dfdx}. */
    Dual chain(double f, double dfdx) {
        if (tangent.length == 0) {
            return new Dual(f, NO_TANGENT);
        }
        double[] t = new double[tangent.length];
        for (int j = 0; j < t.length; j++) {
            t[j] = dfdx * tangent[j];
        }
        return new Dual(f, t);
    }

    /** A function of this number and {@code b}: value {@code f}, partials {@code dfda}, {@code dfdb}. */
    Dual chain(double f, double dfda, Dual b, double dfdb) {
        if (tangent.length == 0) {
            return new Dual(f, NO_TANGENT);
        }
        double[] t = new double[tangent.length];
        for (int j = 0; j < t.length; j++) {
            t[j] = dfda * tangent[j] + dfdb * b.tangent[j];
        }
        return new Dual(f, t);
    }

    Dual plus(Dual b) {
        return chain(value + b.value, 1, b, 1);
    }

    Dual minus(Dual b) {
        return chain(value - b.value, 1, b, -1);
    }

    Dual times(Dual b) {
        return chain(value * b.value, b.value, b, value);
    }

    Dual div(Dual b) {
        double q = value / b.value;
        return chain(q, 1 / b.value, b, -q / b.value);
    }

    Dual plus(double c) {
        return chain(value + c, 1);
    }

    Dual times(double c) {
        return chain(value * c, c);
    }

    Dual negate() {
        return chain(-value, -1);
    }

    Dual square() {
        return chain(value * value, 2 * value);
    }

    /** {@code x^n} for {@code n >= 0}, by repeated multiplication as for integer powers in Fortran. */
    Dual pow(int n) {
        if (n == 0) {
            return chain(1, 0);
        }
        double below = 1;
        for (int i = 1; i < n; i++) {
            below *= value;
        }
        return chain(below * value, n * below);
    }

    Dual sqrt() {
        double s = Math.sqrt(value);
        return chain(s, 0.5 / s);
    }

    Dual sin() {
        return chain(Math.sin(value), Math.cos(value));
    }

    Dual cos() {
        return chain(Math.cos(value), -Math.sin(value));
    }

    @Override
    public String toString() {
        return value + " + " + java.util.Arrays.toString(tangent) + "·ε";
    }
}
