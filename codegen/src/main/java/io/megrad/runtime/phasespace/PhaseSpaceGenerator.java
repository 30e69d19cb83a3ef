package io.megrad.runtime.phasespace;

/**
 * An invertible, differentiable map from the unit cube {@code [0,1]^(3n-4)} onto the phase space of
 * a 2 → n process in its centre-of-mass frame, with the beams along ±z ({@code p1 = (E,0,0,E)},
 * {@code p2 = (E,0,0,-E)}, {@code E = sqrtS/2} when massless; {@code p1 = (E1,0,0,k)},
 * {@code p2 = (E2,0,0,-k)} with {@code E1 + E2 = sqrtS} on their mass shells otherwise), or of a
 * 1 → n decay at rest ({@code p1 = (M,0,0,0)}, {@code sqrtS = M}): see {@link #scattering} and
 * {@link #decay}. The outgoing momenta are generated the same way in both cases.
 *
 * <p><b>Algorithm.</b> A chain of two-body decays {@code Q_0 → p_1 Q_1}, {@code Q_1 → p_2 Q_2}, …,
 * {@code Q_(n-2) → p_(n-1) p_n} with {@code Q_0 = (sqrtS,0,0,0)}, where {@code Q_i} is the sum of the
 * outgoing momenta {@code p_(i+1) … p_n} and {@code M_i} its invariant mass. The intermediate masses
 * are drawn as in RAMBO on diet (S. Plätzer, arXiv:1308.2922), extended to massive particles by
 * shifting the masses by the thresholds: {@code M_i = K_i + m_(i+1) + … + m_n}, where the "kinetic"
 * masses {@code K_i} follow {@code K_i² = v_i K_(i-1)²} with {@code K_0 = sqrtS - Σm} and {@code v_i}
 * drawn by inverting the cumulative distribution {@code (a+2) v^(a+1) - (a+1) v^(a+2)}, {@code a = n-2-i}.
 * For massless particles this is exactly RAMBO on diet and the weight is the constant phase-space
 * volume; with masses the weight varies smoothly. A decay chain was chosen over massless RAMBO plus
 * the usual rescaling because every step is explicit: the inverse is closed-form (up to one
 * polynomial inversion) and no implicitly defined rescaling parameter enters the derivatives.
 *
 * <p><b>Random numbers.</b> {@code r[i-1]} ({@code i = 1 … n-2}) sets {@code v_i}, hence {@code M_i};
 * {@code r[n-2+2i]} and {@code r[n-1+2i]} ({@code i = 0 … n-2}) set the direction of outgoing particle
 * {@code i+1} in the rest frame of {@code Q_i}, reached from the lab frame by a pure boost:
 * {@code cosθ = 2r - 1}, {@code φ = 2π r}.
 *
 * <p><b>Normalisation.</b> The weight {@code w(r)} satisfies
 * {@code ∫ dΦ_n f = ∫_{[0,1]^(3n-4)} dr w(r) f(p(r))} with the standard Lorentz-invariant measure
 * {@code dΦ_n = (2π)^4 δ^4(P - Σp_i) Π_i d³p_i / ((2π)³ 2E_i)}, so the mean of {@code w} over uniform
 * {@code r} is the phase-space volume; for massless particles {@code w} is constant,
 * {@code (2π)^(4-3n) (π/2)^(n-1) s^(n-2) / ((n-1)! (n-2)!)}. No flux factor, symmetry factor or
 * {@code 1/(2π)} per intermediate mass beyond those of {@code dΦ_n} is included. Explicitly,
 * {@code w = (2π)^(4-3n) π^(n-1) Π_(i=0)^(n-2) (q_i/M_i) Π_(i=1)^(n-2) (M_i/K_i) K_(i-1)² / ρ_i(v_i)},
 * with {@code q_i} the decay momentum in the rest frame of {@code Q_i} and {@code ρ_i} the density of
 * {@code v_i}.
 *
 * <p><b>Derivatives</b> {@code ∂p/∂r} and {@code ∂w/∂r} are exact (forward-mode dual numbers through
 * the same code; the polynomial inversion is differentiated implicitly). The map degenerates on the
 * boundary of the cube (e.g. {@code r = 0} for a mass), where derivatives may be infinite.
 *
 * <pre>{@code
 * PhaseSpaceGenerator generator = new PhaseSpaceGenerator(1000, 173, 173, 0); // t t~ g at 1 TeV
 * double[] r = new PhaseSpaceSampler(7).next(generator.dimension());          // 5 numbers
 * PhaseSpacePoint point = generator.generate(r);
 * PhaseSpaceDerivatives d = generator.generateWithDerivatives(r);  // d.momenta()[i][mu][j]
 * double[] back = generator.invert(point.momenta());              // equals r to rounding
 * }</pre>
 */
public final class PhaseSpaceGenerator {
    private static final double TWO_PI = 2 * Math.PI;
    /** Relative tolerance on momentum conservation for {@link #invert}. */
    private static final double FRAME_TOLERANCE = 1e-6;

    private final double sqrtS;
    /** The incoming momenta (one for a decay, two for a scattering), in MadGraph order. */
    private final double[][] incoming;
    private final double[] masses;
    /** {@code massesFrom[i] = m_i + … + m_(n-1)} (0-based), the threshold of {@code Q_i}. */
    private final double[] massesFrom;

    /**
     * @param sqrtS the centre-of-mass energy
     * @param finalMasses the masses of the {@code n >= 2} outgoing particles, in MadGraph order
     */
    public PhaseSpaceGenerator(double sqrtS, double... finalMasses) {
        this(beams(sqrtS, 0, 0), sqrtS, finalMasses);
    }

    /**
     * A 2 → n scattering in the centre-of-mass frame, with beams of masses {@code m1} (along +z)
     * and {@code m2} (along -z).
     *
     * @throws IllegalArgumentException when {@code sqrtS} is not above both the beams' and the
     *     outgoing particles' thresholds, or a mass is negative or not finite
     */
    public static PhaseSpaceGenerator scattering(double sqrtS, double m1, double m2, double... finalMasses) {
        return new PhaseSpaceGenerator(beams(sqrtS, m1, m2), sqrtS, finalMasses);
    }

    /**
     * A 1 → n decay of a particle of mass {@code mass} at rest ({@code sqrtS = mass}).
     *
     * @throws IllegalArgumentException when {@code mass} is not above the outgoing threshold
     */
    public static PhaseSpaceGenerator decay(double mass, double... finalMasses) {
        return new PhaseSpaceGenerator(new double[][] {{mass, 0, 0, 0}}, mass, finalMasses);
    }

    /** The two beams in the centre-of-mass frame, on their mass shells. */
    private static double[][] beams(double sqrtS, double m1, double m2) {
        for (double m : new double[] {m1, m2}) {
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("incoming mass " + m + " is not a mass");
            }
        }
        if (m1 == 0 && m2 == 0) {
            // sqrt(s) itself is checked against the outgoing threshold by the constructor.
            double e = 0.5 * sqrtS;
            return new double[][] {{e, 0, 0, e}, {e, 0, 0, -e}};
        }
        if (!(sqrtS > m1 + m2) || Double.isInfinite(sqrtS)) {
            throw new IllegalArgumentException("sqrt(s) = " + sqrtS + " is not above the incoming masses' sum " + (m1 + m2));
        }
        double s = sqrtS * sqrtS;
        double k = Math.sqrt((s - (m1 + m2) * (m1 + m2)) * (s - (m1 - m2) * (m1 - m2))) / (2 * sqrtS);
        double e1 = (s + m1 * m1 - m2 * m2) / (2 * sqrtS);
        return new double[][] {{e1, 0, 0, k}, {sqrtS - e1, 0, 0, -k}};
    }

    private PhaseSpaceGenerator(double[][] incoming, double sqrtS, double[] finalMasses) {
        this.incoming = incoming;
        if (finalMasses.length < 2) {
            throw new IllegalArgumentException(
                    "a phase space needs n ≥ 2 outgoing particles, got " + finalMasses.length);
        }
        int n = finalMasses.length;
        masses = finalMasses.clone();
        massesFrom = new double[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            if (!(masses[i] >= 0) || Double.isInfinite(masses[i])) {
                throw new IllegalArgumentException("mass of outgoing particle " + (i + 1) + " is " + masses[i]);
            }
            massesFrom[i] = massesFrom[i + 1] + masses[i];
        }
        if (!(sqrtS > massesFrom[0]) || Double.isInfinite(sqrtS)) {
            throw new IllegalArgumentException(
                    "sqrt(s) = " + sqrtS + " is not above the threshold Σm = " + massesFrom[0]);
        }
        this.sqrtS = sqrtS;
    }

    /** The number of random numbers, {@code 3n-4}. */
    public int dimension() {
        return 3 * masses.length - 4;
    }

    /** The number {@code n} of outgoing particles. */
    public int outgoing() {
        return masses.length;
    }

    public double sqrtS() {
        return sqrtS;
    }

    public double[] finalMasses() {
        return masses.clone();
    }

    /** The number of incoming particles: 1 for a decay, 2 for a scattering. */
    public int incoming() {
        return incoming.length;
    }

    public PhaseSpacePoint generate(double[] r) {
        Kinematics k = map(r, false);
        double[][] p = incomingPlus(k.outgoing.length);
        for (int i = 0; i < k.outgoing.length; i++) {
            for (int mu = 0; mu < 4; mu++) {
                p[i + incoming.length][mu] = k.outgoing[i][mu].value;
            }
        }
        return new PhaseSpacePoint(p, k.weight.value);
    }

    public PhaseSpaceDerivatives generateWithDerivatives(double[] r) {
        Kinematics k = map(r, true);
        int n = k.outgoing.length;
        double[][] p = incomingPlus(n);
        int in = incoming.length;
        double[][][] dp = new double[n + in][4][];
        for (int b = 0; b < in; b++) {
            for (int mu = 0; mu < 4; mu++) {
                dp[b][mu] = new double[r.length];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int mu = 0; mu < 4; mu++) {
                p[i + in][mu] = k.outgoing[i][mu].value;
                dp[i + in][mu] = k.outgoing[i][mu].tangent.clone();
            }
        }
        return new PhaseSpaceDerivatives(new PhaseSpacePoint(p, k.weight.value), dp, k.weight.tangent.clone());
    }

    /**
     * The random numbers that {@link #generate} maps to {@code momenta} (all of them, incoming
     * first, in MadGraph order; the incoming ones are not read). The outgoing momenta must sum to {@code (sqrtS,0,0,0)}
     * (to a relative 1e-6) and are taken to be on their mass shells. Accurate to rounding even for
     * nearly collinear light particles, where the intermediate masses are tiny.
     */
    public double[] invert(double[][] momenta) {
        int n = masses.length;
        int in = incoming.length;
        if (momenta.length != n + in) {
            throw new IllegalArgumentException("expected " + (n + in) + " momenta, got " + momenta.length);
        }
        double[][] q = new double[n][];
        q[n - 1] = fourVector(momenta[n + in - 1], n + in - 1);
        for (int i = n - 2; i >= 0; i--) {
            double[] p = fourVector(momenta[i + in], i + in);
            q[i] = new double[] {q[i + 1][0] + p[0], q[i + 1][1] + p[1], q[i + 1][2] + p[2], q[i + 1][3] + p[3]};
        }
        double off = Math.max(Math.abs(q[0][0] - sqrtS), Math.max(Math.abs(q[0][1]), Math.max(Math.abs(q[0][2]), Math.abs(q[0][3]))));
        if (!(off <= FRAME_TOLERANCE * sqrtS)) {
            throw new IllegalArgumentException("outgoing momenta sum to (" + q[0][0] + ", " + q[0][1] + ", " + q[0][2]
                    + ", " + q[0][3] + "), not to (" + sqrtS + ", 0, 0, 0)");
        }
        // Invariants from pairwise dot products in a cancellation-free form: collinear, light
        // particles give small masses and large boosts, where E² - |p|² would lose all digits.
        double[][] dot = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                dot[i][j] = i == j ? masses[i] * masses[i] : stableDot(momenta[i + in], masses[i], momenta[j + in], masses[j]);
                dot[j][i] = dot[i][j];
            }
        }
        double[] mass = new double[n];
        for (int i = 0; i < n; i++) {
            double square = 0;
            for (int j = i; j < n; j++) {
                for (int l = i; l < n; l++) {
                    square += dot[j][l];
                }
            }
            mass[i] = Math.sqrt(Math.max(0, square));
        }
        double[] r = new double[dimension()];
        double kineticBefore = sqrtS - massesFrom[0];
        for (int i = 1; i <= n - 2; i++) {
            double kinetic = Math.max(0, mass[i] - massesFrom[i]);
            double v = kineticBefore > 0 ? Math.min(1, (kinetic / kineticBefore) * (kinetic / kineticBefore)) : 0;
            r[i - 1] = MassRatio.cumulative(n - 2 - i, v);
            kineticBefore = kinetic;
        }
        for (int i = 0; i <= n - 2; i++) {
            double parentDotP = 0;
            for (int l = i; l < n; l++) {
                parentDotP += dot[i][l];
            }
            double[] rest = boostToRest(q[i], mass[i], momenta[i + in], parentDotP / mass[i]);
            double length = Math.sqrt(rest[1] * rest[1] + rest[2] * rest[2] + rest[3] * rest[3]);
            double cos = length > 0 ? Math.max(-1, Math.min(1, rest[3] / length)) : 0;
            double phi = Math.atan2(rest[2], rest[1]);
            if (phi < 0) {
                phi += TWO_PI;
            }
            r[n - 2 + 2 * i] = 0.5 * (1 + cos);
            r[n - 1 + 2 * i] = Math.min(1, phi / TWO_PI);
        }
        return r;
    }

    private record Kinematics(Dual[][] outgoing, Dual weight) {
    }

    private Kinematics map(double[] r, boolean differentiate) {
        if (r.length != dimension()) {
            throw new IllegalArgumentException("expected " + dimension() + " random numbers, got " + r.length);
        }
        int k = differentiate ? r.length : 0;
        Dual[] x = new Dual[r.length];
        for (int j = 0; j < r.length; j++) {
            if (!(r[j] >= 0 && r[j] <= 1)) {
                throw new IllegalArgumentException("random number r[" + j + "] = " + r[j] + " is outside [0,1]");
            }
            x[j] = differentiate ? Dual.variable(r[j], k, j) : Dual.constant(r[j], 0);
        }
        int n = masses.length;
        Dual[] kinetic = new Dual[n];
        Dual[] mass = new Dual[n];
        kinetic[0] = Dual.constant(sqrtS - massesFrom[0], k);
        mass[0] = Dual.constant(sqrtS, k);
        Dual weight = Dual.constant(Math.pow(TWO_PI, 4 - 3 * n) * Math.pow(Math.PI, n - 1), k);
        for (int i = 1; i <= n - 2; i++) {
            int a = n - 2 - i;
            Dual v = MassRatio.quantile(a, x[i - 1]);
            kinetic[i] = kinetic[i - 1].times(v.sqrt());
            mass[i] = kinetic[i].plus(massesFrom[i]);
            // dM_i² = (M_i/K_i) dK_i² and dK_i² = K_(i-1)² dv_i = K_(i-1)² dr / ρ(v_i)
            weight = weight.times(mass[i].div(kinetic[i]).times(kinetic[i - 1].square()).div(MassRatio.density(a, v)));
        }
        kinetic[n - 1] = Dual.constant(0, k);
        mass[n - 1] = Dual.constant(masses[n - 1], k);

        Dual[][] outgoing = new Dual[n][];
        Dual[] parent = {mass[0], Dual.constant(0, k), Dual.constant(0, k), Dual.constant(0, k)};
        for (int i = 0; i <= n - 2; i++) {
            Dual q = decayMomentum(mass[i], masses[i], mass[i + 1]);
            // dΦ_2 = (2π)^-2 q/(4M) dcosθ dφ, and dcosθ dφ = 4π dr dr'
            weight = weight.times(q.div(mass[i]));
            Dual rCos = x[n - 2 + 2 * i];
            Dual cos = rCos.times(2).plus(-1);
            Dual sin = rCos.times(rCos.negate().plus(1)).sqrt().times(2);
            Dual phi = x[n - 1 + 2 * i].times(TWO_PI);
            Dual px = q.times(sin).times(phi.cos());
            Dual py = q.times(sin).times(phi.sin());
            Dual pz = q.times(cos);
            Dual[] daughter = {q.square().plus(masses[i] * masses[i]).sqrt(), px, py, pz};
            Dual[] recoil = {q.square().plus(mass[i + 1].square()).sqrt(), px.negate(), py.negate(), pz.negate()};
            outgoing[i] = boostFromRest(parent, mass[i], daughter);
            parent = boostFromRest(parent, mass[i], recoil);
        }
        outgoing[n - 1] = parent;
        return new Kinematics(outgoing, weight);
    }

    /** The momentum of either daughter in the rest frame of a parent of mass {@code m} decaying to masses a, b. */
    private static Dual decayMomentum(Dual m, double a, Dual b) {
        Dual m2 = m.square();
        Dual sum = b.plus(a);
        Dual difference = b.plus(-a);
        return m2.minus(sum.square()).times(m2.minus(difference.square())).sqrt().div(m.times(2));
    }

    /** {@code p}, given in the rest frame of {@code parent} (of mass {@code m}), in the frame where the parent is {@code parent}. */
    private static Dual[] boostFromRest(Dual[] parent, Dual m, Dual[] p) {
        Dual dot = parent[1].times(p[1]).plus(parent[2].times(p[2])).plus(parent[3].times(p[3]));
        Dual energy = parent[0].times(p[0]).plus(dot).div(m);
        Dual f = dot.div(parent[0].plus(m)).plus(p[0]).div(m);
        return new Dual[] {energy, p[1].plus(f.times(parent[1])), p[2].plus(f.times(parent[2])), p[3].plus(f.times(parent[3]))};
    }

    /**
     * The inverse of {@link #boostFromRest}, given the energy {@code restEnergy = parent·p/m} of
     * {@code p} in the rest frame; with it, no step cancels more digits than the data carry.
     */
    private static double[] boostToRest(double[] parent, double m, double[] p, double restEnergy) {
        double f = (p[0] + restEnergy) / (parent[0] + m);
        return new double[] {restEnergy, p[1] - f * parent[1], p[2] - f * parent[2], p[3] - f * parent[3]};
    }

    /**
     * {@code p·k} for on-shell momenta of masses {@code mp}, {@code mk}, as
     * {@code (E_p E_k - |p||k|) + |p||k| (1 - cos θ)}, both terms written without cancellation.
     */
    private static double stableDot(double[] p, double mp, double[] k, double mk) {
        double pLength = Math.sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]);
        double kLength = Math.sqrt(k[1] * k[1] + k[2] * k[2] + k[3] * k[3]);
        double energies = (mp * mp * k[0] * k[0] + mk * mk * pLength * pLength) / (p[0] * k[0] + pLength * kLength);
        if (pLength == 0 || kLength == 0) {
            return energies;
        }
        double separation = 0;
        for (int mu = 1; mu < 4; mu++) {
            double d = p[mu] / pLength - k[mu] / kLength;
            separation += d * d;
        }
        return energies + pLength * kLength * separation / 2;
    }

    private static double[] fourVector(double[] p, int index) {
        if (p == null || p.length != 4) {
            throw new IllegalArgumentException("momentum " + (index + 1) + " is not a four-vector {E, px, py, pz}");
        }
        return p;
    }

    private double[][] incomingPlus(int n) {
        double[][] p = new double[n + incoming.length][4];
        for (int b = 0; b < incoming.length; b++) {
            p[b] = incoming[b].clone();
        }
        return p;
    }
}
