package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.cli.Main;
import io.megrad.runtime.phasespace.PhaseSpaceGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The physicist's workflows through the CLI on corpus processes: sample, generated points, LHE, score, threads. */
class WorkflowTest {
    @TempDir
    Path tmp;

    private JsonObject run(String... args) throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o")) {
                return JsonParser.parseString(Files.readString(Path.of(args[i + 1]))).getAsJsonObject();
            }
        }
        return null;
    }

    private Path ggTtx() {
        return Corpus.root().resolve("gg_ttx").resolve("fortran");
    }

    @Test
    void sampledPointsEvaluateLikeGeneratedOnes() throws Exception {
        // Property: `sample` then `eval --points` gives the same |M|^2 as `eval --sample` with the same seed.
        Path pts = tmp.resolve("pts.json");
        run("sample", ggTtx().toString(), "--n", "5", "--sqrt-s", "1000", "--seed", "7", "-o", pts.toString());
        JsonObject a = run("eval", ggTtx().toString(), "--points", pts.toString(), "-o", tmp.resolve("a.json").toString());
        JsonObject b = run("eval", ggTtx().toString(), "--sample", "5", "--sqrt-s", "1000", "--seed", "7", "-o", tmp.resolve("b.json").toString());
        for (int k = 0; k < 5; k++) {
            assertEquals(me(a, k), me(b, k), 0.0);
        }
        JsonObject p0 = b.getAsJsonArray("points").get(0).getAsJsonObject();
        assertTrue(p0.has("momenta") && p0.has("weight"));
    }

    private static double me(JsonObject doc, int k) {
        return doc.getAsJsonArray("points").get(k).getAsJsonObject().get("me").getAsDouble();
    }

    private static double grad(JsonObject doc, int k, int j) {
        return doc.getAsJsonArray("points").get(k).getAsJsonObject().getAsJsonArray("grad").get(j).getAsDouble();
    }

    @Test
    void derivativesWithRespectToRandomNumbersMatchFiniteDifferences() throws Exception {
        // Finite differences of |M|^2(p(r)) in r, with p(r) from megrad's own generator, against --wrt ps.
        Path proc = Corpus.root().resolve("gg_ttxg").resolve("fortran");
        JsonObject doc = run("eval", proc.toString(), "--sample", "2", "--sqrt-s", "1500", "--seed", "3", "--wrt", "ps", "-o",
                tmp.resolve("ps.json").toString());
        PhaseSpaceGenerator gen = new PhaseSpaceGenerator(1500, 173, 173, 0);
        io.megrad.runtime.phasespace.PhaseSpaceSampler sampler = new io.megrad.runtime.phasespace.PhaseSpaceSampler(3);
        for (int k = 0; k < 2; k++) {
            double[] r = sampler.next(gen.dimension());
            JsonArray m = doc.getAsJsonArray("points").get(k).getAsJsonObject().getAsJsonArray("momenta");
            assertEquals(gen.generate(r).momenta()[2][1], m.get(2).getAsJsonArray().get(1).getAsDouble(), 1e-9);
            for (int j = 0; j < gen.dimension(); j++) {
                double h = 1e-6;
                double[] up = r.clone();
                double[] down = r.clone();
                up[j] += h;
                down[j] -= h;
                double fd = (meAt(proc, gen.generate(up).momenta()) - meAt(proc, gen.generate(down).momenta())) / (2 * h);
                double scale = Math.abs(me(doc, k)) * 1e-5 + Math.abs(fd) * 1e-5;
                assertEquals(fd, grad(doc, k, j), scale, "point " + k + " d|M|^2/dr" + (j + 1));
            }
        }
    }

    private double meAt(Path proc, double[][] p) throws Exception {
        JsonArray pts = new JsonArray();
        JsonArray pt = new JsonArray();
        for (double[] q : p) {
            JsonArray a = new JsonArray();
            for (double v : q) {
                a.add(v);
            }
            pt.add(a);
        }
        pts.add(pt);
        JsonObject doc = new JsonObject();
        doc.add("points", pts);
        Path f = tmp.resolve("fd.json");
        Files.writeString(f, doc.toString());
        return me(run("eval", proc.toString(), "--points", f.toString(), "-o", tmp.resolve("fd.out.json").toString()), 0);
    }

    @Test
    void lheEventsAreMatchedReorderedAndEvaluated() throws Exception {
        // An LHE file written here (final state in the other order, gzipped and plain) gives the same |M|^2 as JSON.
        Path pts = tmp.resolve("pts.json");
        run("sample", ggTtx().toString(), "--n", "3", "--sqrt-s", "1000", "-o", pts.toString());
        JsonArray points = JsonParser.parseString(Files.readString(pts)).getAsJsonObject().getAsJsonArray("points");
        StringBuilder lhe = new StringBuilder("<LesHouchesEvents version=\"3.0\">\n<init>\n2212 2212 6500 6500 0 0 0 0 3 1\n1 0 1 1\n</init>\n");
        int[] pdg = {21, 21, -6, 6};
        int[] order = {0, 1, 3, 2};
        for (int k = 0; k < points.size(); k++) {
            lhe.append("<event>\n4 1 1 1000 0.0078 0.118\n");
            for (int i : order) {
                JsonArray q = points.get(k).getAsJsonArray().get(i).getAsJsonArray();
                int status = i < 2 ? -1 : 1;
                lhe.append(pdg[List.of(0, 1, 3, 2).indexOf(i)]).append(' ').append(status).append(" 0 0 0 0 ")
                        .append(q.get(1)).append(' ').append(q.get(2)).append(' ').append(q.get(3)).append(' ').append(q.get(0))
                        .append(" 173.0 0 9\n");
            }
            lhe.append("</event>\n");
        }
        lhe.append("</LesHouchesEvents>\n");
        Path file = tmp.resolve("events.lhe");
        Files.writeString(file, lhe.toString());
        Path gz = tmp.resolve("events.lhe.gz");
        try (var os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write(lhe.toString().getBytes());
        }
        JsonObject ref = run("eval", ggTtx().toString(), "--points", pts.toString(), "-o", tmp.resolve("ref.json").toString());
        for (Path in : List.of(file, gz)) {
            JsonObject got = run("eval", ggTtx().toString(), "--points", in.toString(), "-o", tmp.resolve("lhe.json").toString());
            for (int k = 0; k < 3; k++) {
                assertEquals(me(ref, k), me(got, k), 1e-14 * me(ref, k));
            }
        }
    }

    @Test
    void scoreIsTheGradientOverTheMatrixElement() throws Exception {
        JsonObject doc = run("eval", ggTtx().toString(), "--sample", "3", "--sqrt-s", "1000", "--wrt", "MASS:6,SMINPUTS:3", "--score",
                "-o", tmp.resolve("score.json").toString());
        for (int k = 0; k < 3; k++) {
            JsonArray score = doc.getAsJsonArray("points").get(k).getAsJsonObject().getAsJsonArray("score");
            for (int j = 0; j < 2; j++) {
                assertEquals(grad(doc, k, j) / me(doc, k), score.get(j).getAsDouble(), 1e-15 * Math.abs(score.get(j).getAsDouble()));
            }
        }
    }

    @Test
    void twoThreadsGiveTheSameResultsInInputOrder() throws Exception {
        List<JsonObject> docs = new ArrayList<>();
        for (String threads : new String[]{"1", "2"}) {
            docs.add(run("eval", ggTtx().toString(), "--sample", "1200", "--sqrt-s", "1000", "--wrt", "final,MASS:6", "--threads", threads,
                    "-o", tmp.resolve("t" + threads + ".json").toString()));
        }
        assertEquals(docs.get(0), docs.get(1));
    }

    @Test
    void batchContinuesPastABrokenEntryAndFailsOverall() throws Exception {
        Path list = tmp.resolve("list.txt");
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(list, "# two good entries and a broken one\n" + ggTtx() + "\n" + tmp.resolve("missing") + "\n"
                + Corpus.root().resolve("ee_mumu").resolve("fortran") + " --wrt final\n");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"batch", list.toString(), "-o", outDir.toString(), "--sample", "4", "--sqrt-s", "900"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(6, code, "exit code when an entry failed");
        JsonObject good = JsonParser.parseString(Files.readString(outDir.resolve("gg_ttx_fortran.json"))).getAsJsonObject();
        assertEquals(4, good.getAsJsonArray("points").size());
        JsonObject second = JsonParser.parseString(Files.readString(outDir.resolve("ee_mumu_fortran.json"))).getAsJsonObject();
        assertEquals(8, second.getAsJsonArray("wrt").size(), "the entry's own --wrt applies");
        try (var files = Files.list(outDir)) {
            assertEquals(2, files.count(), "no file for the broken entry");
        }
    }

    @Test
    void hessianMatchesFiniteDifferencesOfTheGradient() throws Exception {
        // Exact second derivatives (forward over forward) against central differences of the exact gradient.
        Path proc = Corpus.root().resolve("gg_ttxg").resolve("fortran");
        Path pts = tmp.resolve("h.json");
        run("sample", proc.toString(), "--n", "2", "--sqrt-s", "1500", "-o", pts.toString());
        String[] keys = {"MASS:6", "SMINPUTS:3"};
        double[] values = {173.0, 0.118};
        JsonObject doc = run("eval", proc.toString(), "--points", pts.toString(), "--wrt", String.join(",", keys), "--hessian",
                "-o", tmp.resolve("h.out.json").toString());
        for (int j = 0; j < keys.length; j++) {
            double h = 1e-4 * values[j];
            JsonObject up = run("eval", proc.toString(), "--points", pts.toString(), "--wrt", String.join(",", keys),
                    "--set", keys[j] + "=" + (values[j] + h), "-o", tmp.resolve("up.json").toString());
            JsonObject down = run("eval", proc.toString(), "--points", pts.toString(), "--wrt", String.join(",", keys),
                    "--set", keys[j] + "=" + (values[j] - h), "-o", tmp.resolve("down.json").toString());
            for (int k = 0; k < 2; k++) {
                JsonArray hess = doc.getAsJsonArray("points").get(k).getAsJsonObject().getAsJsonArray("hessian");
                for (int i = 0; i < keys.length; i++) {
                    double fd = (grad(up, k, i) - grad(down, k, i)) / (2 * h);
                    double exact = hess.get(i).getAsJsonArray().get(j).getAsDouble();
                    assertEquals(fd, exact, 1e-6 * Math.abs(exact) + 1e-12, "point " + k + " d2/d" + keys[i] + "d" + keys[j]);
                }
            }
        }
    }

    @Test
    void aRepeatedCardEntryResolvesAsTheOutputsOwnReader() throws Exception {
        // MadGraph's Fortran LHA_get_real takes the first of two MASS 23 lines, its C++ SLHAReader the last:
        // each port must give its own output's |M|^2 (compared with the card without the repeat, and with --set).
        Path ee = Corpus.root().resolve("ee_mumu");
        Path card = tmp.resolve("dup_card.dat");
        Files.writeString(card, Files.readString(ee.resolve("fortran/Cards/param_card.dat")) + "\nBLOCK MASS\n   23 1.000000e+02\n");
        Path pts = tmp.resolve("pts.json");
        run("sample", ee.resolve("fortran").toString(), "--n", "2", "--sqrt-s", "500", "--seed", "3", "-o", pts.toString());
        for (String format : new String[]{"fortran", "cpp"}) {
            String dir = ee.resolve(format).toString();
            JsonObject dup = run("eval", dir, "--points", pts.toString(), "--param-card", card.toString(), "-o", tmp.resolve(format + "-dup.json").toString());
            JsonObject first = run("eval", dir, "--points", pts.toString(), "-o", tmp.resolve(format + "-first.json").toString());
            JsonObject last = run("eval", dir, "--points", pts.toString(), "--set", "MASS:23=100", "-o", tmp.resolve(format + "-last.json").toString());
            JsonObject expected = format.equals("fortran") ? first : last;
            for (int k = 0; k < 2; k++) {
                assertEquals(me(expected, k), me(dup, k), 0.0, format + " point " + k);
                assertTrue(me(first, k) != me(last, k), "the two values of MASS:23 give different |M|^2");
            }
        }
    }
}
