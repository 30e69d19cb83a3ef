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
 * Every Fortran process of the corpus, through the CLI, against MadGraph's own numbers: |M|² within
 * 1e-12 of {@code me_fortran}, gradients within 1e-9 of the quad-precision finite differences, by
 * the comparison rule of the corpus README, in forward and in reverse mode.
 */
class FortranCorpusTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyFortranProcessMatchesMadGraph() throws Exception {
        Path corpus = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path proc : dirs.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList()) {
                JsonObject ref = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject();
                for (JsonElement se : ref.getAsJsonArray("subprocesses")) {
                    JsonObject sub = se.getAsJsonObject();
                    if (sub.get("fortran_dir").isJsonNull() || sub.get("me_fortran").isJsonNull()) {
                        continue;
                    }
                    String name = proc.getFileName() + "/" + sub.get("fortran_dir").getAsString();
                    for (String mode : new String[]{"forward", "reverse"}) {
                        tests.add(DynamicTest.dynamicTest(name + " (" + mode + ")", () -> check(proc, sub, mode)));
                    }
                }
            }
        }
        assertTrue(!tests.isEmpty(), "no Fortran process in the corpus at " + corpus);
        return tests.stream();
    }

    private void check(Path proc, JsonObject sub, String mode) throws Exception {
        String subName = Path.of(sub.get("fortran_dir").getAsString()).getFileName().toString();
        JsonObject pointsDoc = new JsonObject();
        pointsDoc.add("points", sub.get("points"));
        Path points = tmp.resolve(subName + ".json");
        Files.writeString(points, pointsDoc.toString());
        Path out = tmp.resolve(subName + "." + mode + ".out.json");
        JsonArray wrt = sub.getAsJsonObject("grad").getAsJsonArray("wrt");
        List<String> wrtNames = new ArrayList<>();
        wrt.forEach(w -> wrtNames.add(w.getAsString()));
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"eval", proc.resolve("fortran").toString(), "--subprocess", subName,
                "--points", points.toString(), "--wrt", String.join(",", wrtNames), "--mode", mode, "-o", out.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, "megrad eval failed: " + err);
        JsonObject result = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        JsonArray got = result.getAsJsonArray("points");
        JsonArray meRef = sub.getAsJsonArray("me_fortran");
        JsonArray gradRef = sub.getAsJsonObject("grad").getAsJsonArray("values");
        assertEquals(meRef.size(), got.size());
        int nPoints = got.size();
        int nWrt = wrtNames.size();
        double[][] g = new double[nPoints][nWrt];
        double[][] r = new double[nPoints][nWrt];
        double[] me = new double[nPoints];
        for (int k = 0; k < nPoints; k++) {
            JsonObject p = got.get(k).getAsJsonObject();
            me[k] = p.get("me").getAsDouble();
            double expected = meRef.get(k).getAsDouble();
            assertTrue(Math.abs(me[k] - expected) <= 1e-12 * Math.abs(expected),
                    "point " + k + ": |M|^2 " + me[k] + " vs MadGraph " + expected);
            for (int j = 0; j < nWrt; j++) {
                g[k][j] = p.getAsJsonArray("grad").get(j).getAsDouble();
                r[k][j] = gradRef.get(k).getAsJsonArray().get(j).getAsDouble();
            }
        }
        GradientRule.assertClose(wrtNames, g, r, me, 1e-9);
    }
}
