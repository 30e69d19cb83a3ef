package io.megrad.runtime.phasespace;

/**
 * The distribution of one squared mass ratio {@code v = K_i²/K_{i-1}²} of the decay chain: density
 * {@code (a+1)(a+2) v^a (1-v)} on [0,1], cumulative {@code (a+2) v^(a+1) - (a+1) v^(a+2)}. With
 * {@code a = n-2-i} for the i-th intermediate mass of an n-body chain, these densities are exactly the
 * factors of the massless n-body measure, so sampling them by inversion makes the massless weight
 * constant (RAMBO on diet, Plätzer, arXiv:1308.2922, there written for the unsquared ratios).
 */
final class MassRatio {
    private MassRatio() {
    }

    static double cumulative(int a, double v) {
        return Math.pow(v, a + 1) * ((a + 2) - (a + 1) * v);
    }

    static double density(int a, double v) {
        return (a + 1) * (a + 2) * Math.pow(v, a) * (1 - v);
    }

    static Dual density(int a, Dual v) {
        return v.pow(a).times(v.negate().plus(1)).times((a + 1) * (a + 2));
    }

    /** The v with {@code cumulative(a, v) = r}: Newton's method kept inside a shrinking bracket. */
    static double quantile(int a, double r) {
        if (r <= 0) {
            return 0;
        }
        if (r >= 1) {
            return 1;
        }
        if (a == 0) {
            return 1 - Math.sqrt(1 - r);
        }
        double lo = 0;
        double hi = 1;
        double v = Math.pow(r / (a + 2), 1.0 / (a + 1));
        if (!(v > 0 && v < 1)) {
            v = 0.5;
        }
        for (int iteration = 0; iteration < 200; iteration++) {
            double g = cumulative(a, v) - r;
            if (g == 0) {
                return v;
            }
            if (g < 0) {
                lo = v;
            } else {
                hi = v;
            }
            double next = v - g / density(a, v);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (next == v || hi - lo <= 2 * Math.ulp(hi)) {
                return next;
            }
            v = next;
        }
        return v;
    }

    /** The quantile as a dual number; its derivative is the implicit one, {@code dv/dr = 1/density(v)}. */
    static Dual quantile(int a, Dual r) {
        double v = quantile(a, r.value);
        return r.chain(v, 1 / density(a, v));
    }
}
