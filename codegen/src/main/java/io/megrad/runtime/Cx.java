package io.megrad.runtime;

/**
 * Complex helper functions used by generated code, returning one part at a time so that generated
 * code stays allocation-free. Branch cuts follow Fortran's (and C's) principal values.
 */
public final class Cx {
    private Cx() {
    }

    public static double sqrtRe(double x, double y) {
        if (x == 0 && y == 0) {
            return 0;
        }
        double r = Math.hypot(x, y);
        if (x >= 0) {
            return Math.sqrt(0.5 * (r + x));
        }
        return Math.abs(y) / Math.sqrt(2 * (r - x));
    }

    public static double sqrtIm(double x, double y) {
        if (x == 0 && y == 0) {
            return 0;
        }
        double r = Math.hypot(x, y);
        if (x >= 0) {
            double re = Math.sqrt(0.5 * (r + x));
            return y / (2 * re);
        }
        return Math.copySign(Math.sqrt(0.5 * (r - x)), y);
    }

    /** Integer power by binary exponentiation, the way compilers expand {@code x**n}. */
    public static double powi(double x, int n) {
        if (n < 0) {
            return 1.0 / powi(x, -n);
        }
        double result = 1;
        double base = x;
        boolean first = true;
        while (n > 0) {
            if ((n & 1) != 0) {
                result = first ? base : result * base;
                first = false;
            }
            n >>= 1;
            if (n > 0) {
                base = base * base;
            }
        }
        return result;
    }

    public static int ipow(int x, int n) {
        if (n < 0) {
            return x == 1 ? 1 : x == -1 ? (n % 2 == 0 ? 1 : -1) : 0;
        }
        int r = 1;
        for (int k = 0; k < n; k++) {
            r *= x;
        }
        return r;
    }

    public static double sign(double a, double b) {
        return b >= 0 ? Math.abs(a) : -Math.abs(a);
    }

    public static int sign(int a, int b) {
        return b >= 0 ? Math.abs(a) : -Math.abs(a);
    }

    public static int nint(double x) {
        return (int) (x >= 0 ? Math.floor(x + 0.5) : -Math.floor(-x + 0.5));
    }
}
