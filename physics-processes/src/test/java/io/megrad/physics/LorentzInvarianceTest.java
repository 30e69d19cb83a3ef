package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: the helicity-summed |M|² is Lorentz invariant. Every reference point of every corpus
 * process (both formats) is rotated and boosted by random Lorentz transformations; the port must
 * give the same value (to 1e-10 relative: the wave functions differ, only the sum is invariant).
 * Widths are set to zero: a width in a t-channel propagator breaks gauge invariance, and then the
 * sum over the physical polarisations of external gluons depends on the frame (by ~1e-6 here).
 */
class LorentzInvarianceTest {
    @TempDir
    Path cache;

    @TestFactory
    Stream<DynamicTest> matrixElementsAreLorentzInvariant() throws Exception {
        Path corpus = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path proc : dirs.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList()) {
                JsonObject ref = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject();
                for (String format : new String[]{"fortran", "cpp"}) {
                    if (!Files.isDirectory(proc.resolve(format))) {
                        continue;
                    }
                    for (JsonElement se : ref.getAsJsonArray("subprocesses")) {
                        JsonObject sub = se.getAsJsonObject();
                        String dirKey = format + "_dir";
                        if (sub.get(dirKey).isJsonNull()) {
                            continue;
                        }
                        String subName = Path.of(sub.get(dirKey).getAsString()).getFileName().toString();
                        tests.add(DynamicTest.dynamicTest(proc.getFileName() + "/" + format,
                                () -> check(proc.resolve(format), subName, sub.getAsJsonArray("points"))));
                    }
                }
            }
        }
        return tests.stream();
    }

    private void check(Path dir, String subprocess, JsonArray points) {
        MadGraphOutput out = MadGraphOutput.open(dir);
        ParamCard card = ParamCard.read(out.paramCard());
        for (var key : card.keys()) {
            if (key.block().equals("DECAY")) {
                card = card.with(key, 0.0);
            }
        }
        ProcessEvaluator ev = JavaPort.translate(out, subprocess).evaluator(card, List.of(), cache, JavaPort.Mode.FORWARD);
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < points.size(); k++) {
            double[][] p = ModeAgreementTest.momenta(points.get(k).getAsJsonArray());
            double me = ev.evaluate(p, new double[0]);
            for (int trial = 0; trial < 3; trial++) {
                double[][] q = transform(p, random);
                double moved = ev.evaluate(q, new double[0]);
                assertEquals(me, moved, 1e-10 * Math.abs(me), "point " + k + " after transformation " + trial);
            }
        }
    }

    /** A random rotation followed by a random boost (rapidity up to 1). */
    static double[][] transform(double[][] p, SplittableRandom random) {
        double[] axis = unit(random);
        double angle = random.nextDouble(0, Math.PI);
        double[] beta = unit(random);
        double rapidity = random.nextDouble(0, 1);
        double b = Math.tanh(rapidity);
        double gamma = Math.cosh(rapidity);
        double[][] q = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            double[] v = rotate(new double[]{p[i][1], p[i][2], p[i][3]}, axis, angle);
            double e = p[i][0];
            double bp = b * (beta[0] * v[0] + beta[1] * v[1] + beta[2] * v[2]);
            double e2 = gamma * (e + bp);
            double f = (gamma - 1) * (bp / b) + gamma * b * e;
            q[i] = new double[]{e2, v[0] + f * beta[0], v[1] + f * beta[1], v[2] + f * beta[2]};
        }
        return q;
    }

    private static double[] unit(SplittableRandom random) {
        double z = random.nextDouble(-1, 1);
        double phi = random.nextDouble(0, 2 * Math.PI);
        double r = Math.sqrt(1 - z * z);
        return new double[]{r * Math.cos(phi), r * Math.sin(phi), z};
    }

    /** Rodrigues' rotation of v about the unit axis n. */
    private static double[] rotate(double[] v, double[] n, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double dot = n[0] * v[0] + n[1] * v[1] + n[2] * v[2];
        double[] cross = {n[1] * v[2] - n[2] * v[1], n[2] * v[0] - n[0] * v[2], n[0] * v[1] - n[1] * v[0]};
        double[] out = new double[3];
        for (int j = 0; j < 3; j++) {
            out[j] = v[j] * c + cross[j] * s + n[j] * dot * (1 - c);
        }
        return out;
    }
}
