package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.cli.Main;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every C++ ({@code standalone_cpp}) process of the corpus, through the CLI, against MadGraph's own
 * numbers: |M|² within 1e-12 of {@code me_cpp} (MadGraph's C++ compiled with -Ofast), gradients
 * within 1e-9 of the quad-precision finite differences, by the comparison rule of the corpus README.
 */
class CppCorpusTest {
    @TempDir
    Path tmp;

    /** |M|² and gradients of one subprocess at the reference points, as {@code megrad eval} writes them. */
    record Result(List<String> wrt, double[] me, double[][] grad) {
    }

    /**
     * Runs {@code megrad eval <proc>/<format> --subprocess <dir> --points … --wrt …} on the reference
     * points and derivative list of {@code sub}.
     */
    static Result evaluate(Path proc, String format, JsonObject sub, Path tmp, String... options) throws Exception {
        String subName = Path.of(sub.get(format + "_dir").getAsString()).getFileName().toString();
        JsonObject pointsDoc = new JsonObject();
        pointsDoc.add("points", sub.get("points"));
        Path points = tmp.resolve(format + "_" + subName + ".json");
        Files.writeString(points, pointsDoc.toString());
        Path out = tmp.resolve(format + "_" + subName + ".out.json");
        List<String> wrt = new ArrayList<>();
        sub.getAsJsonObject("grad").getAsJsonArray("wrt").forEach(w -> wrt.add(w.getAsString()));
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("eval", proc.resolve(format).toString(), "--subprocess", subName,
                "--points", points.toString(), "--wrt", String.join(",", wrt), "-o", out.toString()));
        args.addAll(List.of(options));
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, "megrad eval failed: " + err);
        JsonArray got = JsonParser.parseString(Files.readString(out)).getAsJsonObject().getAsJsonArray("points");
        double[] me = new double[got.size()];
        double[][] grad = new double[got.size()][wrt.size()];
        for (int k = 0; k < got.size(); k++) {
            JsonObject p = got.get(k).getAsJsonObject();
            me[k] = p.get("me").getAsDouble();
            for (int j = 0; j < wrt.size(); j++) {
                grad[k][j] = p.getAsJsonArray("grad").get(j).getAsDouble();
            }
        }
        return new Result(wrt, me, grad);
    }

    /** Every (process directory, subprocess entry) of the corpus with both {@code dirKeys} set. */
    static List<DynamicTest> forEachSubprocess(List<String> dirKeys, String label, Check check) throws Exception {
        Path corpus = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path proc : dirs.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList()) {
                JsonObject ref = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject();
                for (JsonElement se : ref.getAsJsonArray("subprocesses")) {
                    JsonObject sub = se.getAsJsonObject();
                    if (dirKeys.stream().anyMatch(k -> !sub.has(k) || sub.get(k).isJsonNull())) {
                        continue;
                    }
                    String name = proc.getFileName() + "/" + sub.get(dirKeys.get(0)).getAsString();
                    tests.add(DynamicTest.dynamicTest(name, () -> check.run(proc, sub)));
                }
            }
        }
        assertTrue(!tests.isEmpty(), "no " + label + " process in the corpus at " + corpus);
        return tests;
    }

    interface Check {
        void run(Path proc, JsonObject sub) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> everyCppProcessMatchesMadGraph() throws Exception {
        return forEachSubprocess(List.of("cpp_dir", "me_cpp"), "C++", this::check).stream();
    }

    private void check(Path proc, JsonObject sub) throws Exception {
        Result r = evaluate(proc, "cpp", sub, tmp);
        JsonArray meRef = sub.getAsJsonArray("me_cpp");
        JsonArray gradRef = sub.getAsJsonObject("grad").getAsJsonArray("values");
        assertEquals(meRef.size(), r.me().length);
        double[][] ref = new double[r.me().length][r.wrt().size()];
        for (int k = 0; k < r.me().length; k++) {
            double expected = meRef.get(k).getAsDouble();
            assertTrue(Math.abs(r.me()[k] - expected) <= 1e-12 * Math.abs(expected),
                    "point " + k + ": |M|^2 " + r.me()[k] + " vs MadGraph " + expected);
            for (int j = 0; j < r.wrt().size(); j++) {
                ref[k][j] = gradRef.get(k).getAsJsonArray().get(j).getAsDouble();
            }
        }
        GradientRule.assertClose(r.wrt(), r.grad(), ref, r.me(), 1e-9);
    }
}
