package io.megrad.runtime.phasespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhaseSpaceGeneratorTest {
    private static final double SQRT_S = 1000;

    /** Massless and massive final states for n = 2 … 5 (masses in GeV, as for top, W, Z, H, b). */
    static Stream<Arguments> finalStates() {
        return Stream.of(
                Arguments.of((Object) new double[] {0, 0}),
                Arguments.of((Object) new double[] {173, 173}),
                Arguments.of((Object) new double[] {0, 0, 0}),
                Arguments.of((Object) new double[] {173, 173, 0}),
                Arguments.of((Object) new double[] {0, 0, 0, 0}),
                Arguments.of((Object) new double[] {80.4, 0, 91.2, 4.7}),
                Arguments.of((Object) new double[] {0, 0, 0, 0, 0}),
                Arguments.of((Object) new double[] {125, 0, 173, 0, 173}));
    }

    static Stream<Arguments> identicalFinalStates() {
        return Stream.of(
                Arguments.of((Object) new double[] {0, 0, 0}),
                Arguments.of((Object) new double[] {173, 173, 173}),
                Arguments.of((Object) new double[] {0, 0, 0, 0}),
                Arguments.of((Object) new double[] {91.2, 91.2, 91.2, 91.2}),
                Arguments.of((Object) new double[] {0, 0, 0, 0, 0}));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void dimensionIsThreeNMinusFour(int n) {
        assertEquals(3 * n - 4, new PhaseSpaceGenerator(SQRT_S, new double[n]).dimension());
    }

    @ParameterizedTest
    @MethodSource("finalStates")
    void momentaConserveFourMomentumAndSitOnTheirMassShells(double[] masses) {
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, masses);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(1);
        for (int point = 0; point < 500; point++) {
            double[][] p = generator.generate(sampler.next(generator.dimension())).momenta();
            assertEquals(masses.length + 2, p.length);
            assertArrayEquals(new double[] {SQRT_S / 2, 0, 0, SQRT_S / 2}, p[0]);
            assertArrayEquals(new double[] {SQRT_S / 2, 0, 0, -SQRT_S / 2}, p[1]);
            for (int mu = 0; mu < 4; mu++) {
                double balance = p[0][mu] + p[1][mu];
                for (int i = 2; i < p.length; i++) {
                    balance -= p[i][mu];
                }
                assertEquals(0, balance, 1e-12 * SQRT_S, "component " + mu + " at point " + point);
            }
            for (int i = 2; i < p.length; i++) {
                double m = masses[i - 2];
                double square = p[i][0] * p[i][0] - p[i][1] * p[i][1] - p[i][2] * p[i][2] - p[i][3] * p[i][3];
                assertEquals(m * m, square, 1e-13 * p[i][0] * p[i][0], "mass shell of particle " + (i + 1));
                assertTrue(p[i][0] >= m, "positive energy of particle " + (i + 1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void meanMasslessWeightIsTheAnalyticVolumeAndEveryWeightEqualsIt(int n) {
        double expected = masslessVolume(n, SQRT_S * SQRT_S);
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, new double[n]);
        Moments weights = sampleWeights(generator, 20_000, 2);
        assertEquals(expected, weights.mean(), 5 * weights.standardError() + 1e-12 * expected);
        assertEquals(expected, weights.min(), 1e-12 * expected, "RAMBO on diet's massless weight is flat");
        assertEquals(expected, weights.max(), 1e-12 * expected, "RAMBO on diet's massless weight is flat");
    }

    @ParameterizedTest
    @MethodSource("finalStates")
    void meanWeightIsThePhaseSpaceVolumeFromIndependentQuadrature(double[] masses) {
        double expected = volumeByQuadrature(SQRT_S, masses, 0);
        boolean massless = masses.length > 2 && masses[0] == 0 && masses[1] == 0;
        if (massless) {
            // the reference itself against the closed form, so that it can be trusted for masses
            assertEquals(masslessVolume(masses.length, SQRT_S * SQRT_S), expected, 1e-8 * expected);
        }
        Moments weights = sampleWeights(new PhaseSpaceGenerator(SQRT_S, masses), 100_000, 3);
        assertEquals(expected, weights.mean(), 5 * weights.standardError() + 1e-8 * expected);
    }

    /**
     * The chain treats particle 1 and particle n differently, but the phase space measure is
     * symmetric: weighted means of each energy and each pair mass must agree.
     */
    @ParameterizedTest
    @MethodSource("identicalFinalStates")
    void identicalParticlesShareEnergyAndPairMassesEqually(double[] masses) {
        int n = masses.length;
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, masses);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(4);
        int points = 100_000;
        Moments[] energy = new Moments[n];
        Moments[] pairMass = new Moments[n * n];
        for (int i = 0; i < n * n; i++) {
            if (i < n) {
                energy[i] = new Moments();
            }
            pairMass[i] = new Moments();
        }
        for (int point = 0; point < points; point++) {
            PhaseSpacePoint generated = generator.generate(sampler.next(generator.dimension()));
            double[][] p = generated.momenta();
            double w = generated.weight();
            for (int i = 0; i < n; i++) {
                energy[i].add(w * p[i + 2][0]);
                for (int j = i + 1; j < n; j++) {
                    double[] a = p[i + 2];
                    double[] b = p[j + 2];
                    double s = sq(a[0] + b[0]) - sq(a[1] + b[1]) - sq(a[2] + b[2]) - sq(a[3] + b[3]);
                    pairMass[i * n + j].add(w * s);
                }
            }
        }
        double volume = volumeByQuadrature(SQRT_S, masses, 0);
        for (int i = 0; i < n; i++) {
            double expected = volume * SQRT_S / n;
            assertEquals(expected, energy[i].mean(), 5 * energy[i].standardError() + 1e-12 * expected,
                    "⟨w E⟩ of particle " + (i + 1));
        }
        double pairSum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairSum += pairMass[i * n + j].mean();
            }
        }
        double pairMean = pairSum / (n * (n - 1) / 2);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Moments moments = pairMass[i * n + j];
                assertEquals(pairMean, moments.mean(), 5 * moments.standardError(),
                        "⟨w s⟩ of pair " + (i + 1) + "," + (j + 1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("finalStates")
    void derivativesMatchCentralFiniteDifferences(double[] masses) {
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, masses);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(5);
        double h = 1e-6;
        for (int point = 0; point < 20; point++) {
            double[] r = sampler.next(generator.dimension());
            for (int j = 0; j < r.length; j++) {
                r[j] = 0.05 + 0.9 * r[j]; // away from the boundary, where derivatives blow up
            }
            PhaseSpaceDerivatives d = generator.generateWithDerivatives(r);
            assertArrayEquals(generator.generate(r).momenta()[3], d.point().momenta()[3]);
            assertEquals(generator.generate(r).weight(), d.point().weight());
            double w = d.point().weight();
            for (int j = 0; j < r.length; j++) {
                double[] up = r.clone();
                double[] down = r.clone();
                up[j] += h;
                down[j] -= h;
                PhaseSpacePoint plus = generator.generate(up);
                PhaseSpacePoint minus = generator.generate(down);
                for (int i = 0; i < masses.length + 2; i++) {
                    for (int mu = 0; mu < 4; mu++) {
                        double fd = (plus.momenta()[i][mu] - minus.momenta()[i][mu]) / (2 * h);
                        double exact = d.momenta()[i][mu][j];
                        assertEquals(fd, exact, 1e-6 * (SQRT_S + Math.abs(exact)),
                                "∂p" + (i + 1) + "^" + mu + "/∂r" + j + " at point " + point);
                    }
                }
                double fd = (plus.weight() - minus.weight()) / (2 * h);
                assertEquals(fd, d.weight()[j], 1e-6 * (Math.abs(w) + Math.abs(fd)), "∂w/∂r" + j + " at point " + point);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("finalStates")
    void invertRecoversTheRandomNumbersAndTheMomenta(double[] masses) {
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, masses);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(6);
        for (int point = 0; point < 2000; point++) {
            double[] r = sampler.next(generator.dimension());
            double[][] p = generator.generate(r).momenta();
            double[] back = generator.invert(p);
            assertArrayEquals(r, back, 1e-10, "r → p → r at point " + point);
            double[][] again = generator.generate(back).momenta();
            for (int i = 0; i < p.length; i++) {
                assertArrayEquals(p[i], again[i], 1e-9 * SQRT_S, "p → r → p, particle " + (i + 1));
            }
        }
    }

    /** Small pair masses mean large boosts; a naive E² - |p|² in the inverse loses digits as γ². */
    @Test
    void invertStaysAccurateForNearlyCollinearPairs() {
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, 0, 0, 0, 0);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(8);
        for (int point = 0; point < 500; point++) {
            double[] r = sampler.next(generator.dimension());
            r[point % 2] = 1e-9; // M_1 or M_2 tiny: particles 2,3,4 or 3,4 nearly collinear
            assertArrayEquals(r, generator.invert(generator.generate(r).momenta()), 1e-10, "point " + point);
        }
    }

    @Test
    void invertRejectsMomentaOutsideTheCentreOfMassFrame() {
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, 0, 0, 0);
        double[][] p = generator.generate(new double[] {0.3, 0.4, 0.5, 0.6, 0.7}).momenta();
        p[2][3] += 1;
        assertThrows(IllegalArgumentException.class, () -> generator.invert(p));
        assertThrows(IllegalArgumentException.class, () -> generator.invert(new double[4][4]));
    }

    @Test
    void rejectsBadSetupsAndRandomNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new PhaseSpaceGenerator(SQRT_S, 0));
        assertThrows(IllegalArgumentException.class, () -> new PhaseSpaceGenerator(300, 173, 173));
        assertThrows(IllegalArgumentException.class, () -> new PhaseSpaceGenerator(SQRT_S, -1, 0));
        PhaseSpaceGenerator generator = new PhaseSpaceGenerator(SQRT_S, 0, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new double[4]));
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new double[] {0.5, 0.5, 1.5, 0.5, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new double[] {0.5, Double.NaN, 0.5, 0.5, 0.5}));
    }

    /** The closed form V_n = (2π)^(4-3n) (π/2)^(n-1) s^(n-2) / ((n-1)! (n-2)!). */
    private static double masslessVolume(int n, double s) {
        double factorials = 1;
        for (int k = 2; k <= n - 1; k++) {
            factorials *= k;
        }
        for (int k = 2; k <= n - 2; k++) {
            factorials *= k;
        }
        return Math.pow(2 * Math.PI, 4 - 3 * n) * Math.pow(Math.PI / 2, n - 1) * Math.pow(s, n - 2) / factorials;
    }

    /**
     * Φ_n(M; m_from …) by the textbook recursion Φ_n(M) = ∫ dx/(2π) Φ_2(M; m_from, √x) Φ_(n-1)(√x),
     * with Φ_2(M; a, b) = λ^(1/2)(M², a², b²)/(8π M²), integrated by Simpson's rule after
     * x = x_min + (x_max - x_min)(1 - cos t)/2, which smooths the square-root thresholds.
     */
    private static double volumeByQuadrature(double m, double[] masses, int from) {
        if (masses.length - from == 2) {
            return twoBody(m, masses[from], masses[from + 1]);
        }
        double threshold = 0;
        for (int i = from + 1; i < masses.length; i++) {
            threshold += masses[i];
        }
        double xMin = threshold * threshold;
        double xMax = (m - masses[from]) * (m - masses[from]);
        int intervals = 200;
        double step = Math.PI / intervals;
        double sum = 0;
        for (int k = 0; k <= intervals; k++) {
            double t = k * step;
            double x = xMin + (xMax - xMin) * (1 - Math.cos(t)) / 2;
            double jacobian = (xMax - xMin) * Math.sin(t) / 2;
            double f = jacobian / (2 * Math.PI) * twoBody(m, masses[from], Math.sqrt(x))
                    * (jacobian == 0 ? 0 : volumeByQuadrature(Math.sqrt(x), masses, from + 1));
            sum += f * (k == 0 || k == intervals ? 1 : k % 2 == 1 ? 4 : 2);
        }
        return sum * step / 3;
    }

    private static double twoBody(double m, double a, double b) {
        double lambda = (m * m - sq(a + b)) * (m * m - sq(a - b));
        return Math.sqrt(Math.max(0, lambda)) / (8 * Math.PI * m * m);
    }

    private static Moments sampleWeights(PhaseSpaceGenerator generator, int points, long seed) {
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(seed);
        double[] r = new double[generator.dimension()];
        Moments moments = new Moments();
        for (int point = 0; point < points; point++) {
            sampler.fill(r);
            moments.add(generator.generate(r).weight());
        }
        return moments;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Running mean and variance (Welford), with the extremes. */
    private static final class Moments {
        private long count;
        private double mean;
        private double sumOfSquares;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        void add(double x) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            sumOfSquares += delta * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }

        double mean() {
            return mean;
        }

        double standardError() {
            return Math.sqrt(sumOfSquares / (count - 1) / count);
        }

        double min() {
            return min;
        }

        double max() {
            return max;
        }
    }

    /** Decays at rest and scatterings with massive beams: the same outgoing chain, other incoming momenta. */
    static Stream<Arguments> otherInitialStates() {
        return Stream.of(
                Arguments.of(PhaseSpaceGenerator.decay(173, 4.7, 80.4), new double[] {173}),
                Arguments.of(PhaseSpaceGenerator.decay(125, 0, 0, 0, 0), new double[] {125}),
                Arguments.of(PhaseSpaceGenerator.scattering(SQRT_S, 0.105, 0.105, 0, 0), new double[] {0.105, 0.105}),
                Arguments.of(PhaseSpaceGenerator.scattering(SQRT_S, 173, 0, 173, 0, 0), new double[] {173, 0}));
    }

    @ParameterizedTest
    @MethodSource("otherInitialStates")
    void decaysAndMassiveBeamsConserveMomentumWithEveryParticleOnShell(PhaseSpaceGenerator generator, double[] incomingMasses) {
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(5);
        int in = incomingMasses.length;
        assertEquals(in, generator.incoming());
        double[] finals = generator.finalMasses();
        for (int point = 0; point < 300; point++) {
            double[] r = sampler.next(generator.dimension());
            double[][] p = generator.generate(r).momenta();
            assertEquals(in + finals.length, p.length);
            double[] total = new double[4];
            for (int i = 0; i < p.length; i++) {
                double m = i < in ? incomingMasses[i] : finals[i - in];
                double square = p[i][0] * p[i][0] - p[i][1] * p[i][1] - p[i][2] * p[i][2] - p[i][3] * p[i][3];
                assertEquals(m * m, square, 1e-12 * p[i][0] * p[i][0], "mass shell of particle " + (i + 1));
                for (int mu = 0; mu < 4; mu++) {
                    total[mu] += i < in ? p[i][mu] : -p[i][mu];
                }
            }
            for (int mu = 0; mu < 4; mu++) {
                assertEquals(0, total[mu], 1e-12 * generator.sqrtS(), "component " + mu);
            }
            // incoming: at rest, or back to back along z in the centre-of-mass frame
            assertEquals(generator.sqrtS(), in == 1 ? p[0][0] : p[0][0] + p[1][0], 1e-12 * generator.sqrtS());
            assertArrayEquals(r, generator.invert(p), 1e-9);
        }
    }

    /** The two-body phase space of a decay has the closed form q/(4π M) (property, independent of the chain). */
    @Test
    void twoBodyDecayWeightIsTheClosedForm() {
        double mt = 173;
        double mb = 4.7;
        double mw = 80.4;
        double q = Math.sqrt((mt * mt - (mb + mw) * (mb + mw)) * (mt * mt - (mb - mw) * (mb - mw))) / (2 * mt);
        PhaseSpaceGenerator generator = PhaseSpaceGenerator.decay(mt, mb, mw);
        double w = generator.generate(new double[] {0.3, 0.8}).weight();
        assertEquals(q / (4 * Math.PI * mt), w, 1e-14 * w);
    }

    @Test
    void rejectsBeamsAboveTheEnergy() {
        assertThrows(IllegalArgumentException.class, () -> PhaseSpaceGenerator.scattering(100, 60, 50, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PhaseSpaceGenerator.decay(80, 50, 40));
        assertThrows(IllegalArgumentException.class, () -> PhaseSpaceGenerator.scattering(100, -1, 0, 0, 0));
    }
}
