package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.bindings.NativeEvaluator;
import io.megrad.bindings.NativeOptions;
import io.megrad.bindings.NativeProcess;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every process of the corpus, both formats, through the native backend with megrad's built-in
 * forward scalar (runs wherever g++ is): |M|² within 1e-12 of MadGraph's own double result
 * ({@code me_fortran}, or {@code me_cpp} for the C++ output), gradients within 1e-9 of the reference
 * by the corpus README's rule, and |M|² and every derivative within 1e-12 of the Java port (same
 * rule). Each library is compiled once (cached under MEGRAD_CACHE) and evaluates all reference
 * points in one JNI call.
 */
class NativeCorpusTest {
    @TestFactory
    Stream<DynamicTest> everyProcessNativeBuiltin() throws Exception {
        return tests(() -> NativeOptions.builtin(), "builtin forward");
    }

    /** One dynamic test per subprocess and format with a reference, for the options the supplier gives. */
    static Stream<DynamicTest> tests(Supplier<NativeOptions> options, String label) throws Exception {
        Path corpus = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path proc : dirs.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList()) {
                JsonObject ref = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject();
                for (JsonElement se : ref.getAsJsonArray("subprocesses")) {
                    JsonObject sub = se.getAsJsonObject();
                    for (String format : new String[]{"fortran", "cpp"}) {
                        if (sub.get(format + "_dir").isJsonNull() || sub.get("me_" + format).isJsonNull()) {
                            continue;
                        }
                        String name = proc.getFileName() + "/" + format + "/" + sub.get(format + "_dir").getAsString() + " (" + label + ")";
                        tests.add(DynamicTest.dynamicTest(name, () -> check(proc, format, sub, options.get())));
                    }
                }
            }
        }
        assertTrue(!tests.isEmpty(), "no process in the corpus at " + corpus);
        return tests.stream();
    }

    static void check(Path proc, String format, JsonObject sub, NativeOptions options) {
        MadGraphOutput out = MadGraphOutput.open(proc.resolve(format));
        String subName = Path.of(sub.get(format + "_dir").getAsString()).getFileName().toString();
        JavaPort port = JavaPort.translate(out, subName);
        List<String> wrt = new ArrayList<>();
        sub.getAsJsonObject("grad").getAsJsonArray("wrt").forEach(w -> wrt.add(w.getAsString()));
        List<Seed> seeds = ModeAgreementTest.seeds(wrt);
        ParamCard card = ParamCard.read(out.paramCard());
        Path cache = JavaPortCompiler.defaultCache();

        JsonArray points = sub.getAsJsonArray("points");
        int n = points.size();
        int nExt = port.program().nExternal();
        double[] momenta = new double[n * 4 * nExt];
        double[][][] p = new double[n][nExt][4];
        for (int k = 0; k < n; k++) {
            JsonArray pt = points.get(k).getAsJsonArray();
            for (int i = 0; i < nExt; i++) {
                for (int mu = 0; mu < 4; mu++) {
                    p[k][i][mu] = pt.get(i).getAsJsonArray().get(mu).getAsDouble();
                    momenta[(k * nExt + i) * 4 + mu] = p[k][i][mu];
                }
            }
        }
        NativeProcess np = NativeProcess.build(port, options, cache);
        double[] me = new double[n];
        double[] flat = new double[n * wrt.size()];
        try (NativeEvaluator ev = np.evaluator(card, seeds)) {
            ev.evaluateBatch(n, momenta, me, flat);
        }
        ProcessEvaluator java = port.evaluator(card, seeds, cache, JavaPort.Mode.FORWARD);
        double[][] g = new double[n][wrt.size()];
        double[][] gJava = new double[n][wrt.size()];
        double[][] gRef = new double[n][wrt.size()];
        double[] meJava = new double[n];
        JsonArray meRef = sub.getAsJsonArray("me_" + format);
        JsonArray values = sub.getAsJsonObject("grad").getAsJsonArray("values");
        for (int k = 0; k < n; k++) {
            System.arraycopy(flat, k * wrt.size(), g[k], 0, wrt.size());
            meJava[k] = java.evaluate(p[k], gJava[k]);
            for (int j = 0; j < wrt.size(); j++) {
                gRef[k][j] = values.get(k).getAsJsonArray().get(j).getAsDouble();
            }
            double expected = meRef.get(k).getAsDouble();
            assertTrue(Math.abs(me[k] - expected) <= 1e-12 * Math.abs(expected),
                    "point " + k + ": native |M|^2 " + me[k] + " vs MadGraph (" + format + ") " + expected);
            assertEquals(meJava[k], me[k], 1e-12 * Math.abs(meJava[k]), "point " + k + ": native vs Java |M|^2");
        }
        GradientRule.assertClose(wrt, g, gRef, me, 1e-9);
        GradientRule.assertClose(wrt, g, gJava, meJava, 1e-12);
    }
}
