package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks a reverse-mode transformation's test makes on a synthetic 2 → 2 output: its reverse
 * port against its forward port (which none of the reverse-mode transformations touch: an
 * independent derivative path) and against central finite differences of its primal port.
 */
final class ReverseChecks {
    private ReverseChecks() {
    }

    /** Every momentum component of the 4 particles, then the given param-card entries. */
    static List<Seed> seeds(String... params) {
        List<Seed> seeds = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(i, mu));
            }
        }
        for (String p : params) {
            seeds.add(new Seed.Parameter(ParamKey.parse(p)));
        }
        return seeds;
    }

    /**
     * At {@code point}: |M|² of both ports within 1e-14, every derivative within 1e-12 (momenta
     * relative to the largest momentum derivative, each parameter to itself), and the momentum
     * derivatives within 1e-6 of central differences.
     */
    static void assertReverseAgrees(JavaPort port, ParamCard card, List<Seed> seeds, Path cache, double[][] point) {
        ProcessEvaluator forward = port.evaluator(card, seeds, cache, JavaPort.Mode.FORWARD);
        ProcessEvaluator reverse = port.evaluator(card, seeds, cache, JavaPort.Mode.REVERSE);
        ProcessEvaluator plain = port.evaluator(card, List.of(), cache);
        double[] gf = new double[seeds.size()];
        double[] gr = new double[seeds.size()];
        double mf = forward.evaluate(point, gf);
        double mr = reverse.evaluate(point, gr);
        assertTrue(mf != 0, "a nonzero |M|^2");
        assertEquals(mf, mr, 1e-14 * Math.abs(mf));
        double scale = 0;
        for (int i = 0; i < 16; i++) {
            scale = Math.max(scale, Math.abs(gf[i]));
        }
        assertTrue(scale > 0, "a nonzero gradient");
        for (int i = 0; i < gf.length; i++) {
            assertTrue(i < 16 || gf[i] != 0, "a nonzero derivative w.r.t. " + seeds.get(i));
            assertEquals(gf[i], gr[i], 1e-12 * (i < 16 ? scale : Math.abs(gf[i])), seeds.get(i).toString());
        }
        for (int i = 0; i < 16; i++) {
            double h = 1e-6 * point[i / 4][0];
            double[][] up = copy(point);
            double[][] down = copy(point);
            up[i / 4][i % 4] += h;
            down[i / 4][i % 4] -= h;
            double fd = (plain.evaluate(up, new double[0]) - plain.evaluate(down, new double[0])) / (2 * h);
            assertEquals(fd, gr[i], 1e-6 * scale, seeds.get(i).toString());
        }
    }

    /** The reverse port's source for the output at {@code out}. */
    static String adjointSource(Path out) {
        return JavaEmitter.adjoint(JavaPort.translate(MadGraphOutput.open(out), null).program()).emit("x", "Adj");
    }

    /** {@link #assertReverseAgrees} for the output at {@code out}, w.r.t. every momentum, MASS:6 and SMINPUTS:1, at a generic point. */
    static void assertAgrees(Path out, Path cache) {
        assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                seeds("MASS:6", "SMINPUTS:1"), cache, CallAdjointTest.GENERIC);
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
