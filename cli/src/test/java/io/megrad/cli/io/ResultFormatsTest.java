package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.runtime.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL and NPY formats, the per-point status and the optional per-point values. */
class ResultFormatsTest {
    private static final List<String> WRT = List.of("p3.E", "MASS:6");
    private static final double[][] P = {{500, 0, 0, 500}, {500, 0, 0, -500}, {500, 1, 2, 3}, {500, -1, -2, -3}};

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String stdout(ResultWriter.Builder builder, PointResult... points) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter writer = builder.stdout(out).open()) {
            for (PointResult p : points) {
                writer.write(p);
            }
            writer.commit();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonlIsOneSelfContainedObjectALine() {
        String text = stdout(ResultWriter.to(null).format("jsonl").subprocess("P1_gg_ttx").wrt(WRT),
                PointResult.of(1.5, new double[] {2.0, -3.0}),
                PointResult.of(Double.NaN, new double[] {1.0, Double.POSITIVE_INFINITY}));
        assertEquals("""
                {"subprocess": "P1_gg_ttx", "wrt": ["p3.E", "MASS:6"], "status": "ok", "me": 1.5, "grad": [2.0, -3.0]}
                {"subprocess": "P1_gg_ttx", "wrt": ["p3.E", "MASS:6"], "status": "nonfinite", "me": null, "grad": [1.0, null]}
                """, text);
        for (String line : text.split("\n")) {
            assertEquals(2, JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("wrt").size());
        }
    }

    @Test
    void jsonlLinesNameEachPointsSubprocess() {
        String text = stdout(ResultWriter.to("-").format("JSONL").subprocessPerPoint(),
                PointResult.of(1, new double[0]).withSubprocess("P1_uux_ttx"),
                PointResult.of(2, new double[0]).withSubprocess("P1_gg_ttx"));
        List<String> names = text.lines().map(l -> JsonParser.parseString(l).getAsJsonObject().get("subprocess").getAsString())
                .toList();
        assertEquals(List.of("P1_uux_ttx", "P1_gg_ttx"), names);
    }

    @Test
    void jsonlWithoutAnySubprocessIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ResultWriter.to(null).format("jsonl").open());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter writer = ResultWriter.to(null).format("jsonl").subprocessPerPoint().stdout(out).open()) {
            assertThrows(IllegalArgumentException.class, () -> writer.write(PointResult.of(1, new double[0])));
            assertEquals(0, writer.count());
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonPointObjectsCarryTheDeclaredOptionalValues() {
        ResultWriter.Builder builder = ResultWriter.to(null).wrt(List.of("r1", "MASS:6")).subprocessPerPoint().momenta(4)
                .weight().weightGrad(List.of("r1")).score(List.of("MASS:6")).hessian(List.of("MASS:6"));
        PointResult p = PointResult.of(0.5, new double[] {1, 2}).withSubprocess("P1_gg_ttx").withMomenta(P)
                .withWeight(0.25).withWeightGrad(new double[] {0.125}).withScore(new double[] {4})
                .withHessian(new double[][] {{8}});
        String text = stdout(builder, p, p.withHessian(new double[][] {{Double.NaN}}));
        assertEquals("""
                {"wrt": ["r1", "MASS:6"], "points": [
                {"subprocess": "P1_gg_ttx", "status": "ok", "me": 0.5, "grad": [1.0, 2.0], \
                "momenta": [[500.0, 0.0, 0.0, 500.0], [500.0, 0.0, 0.0, -500.0], [500.0, 1.0, 2.0, 3.0], [500.0, -1.0, -2.0, -3.0]], \
                "weight": 0.25, "weight_grad": [0.125], "score": [4.0], "hessian": [[8.0]]},
                {"subprocess": "P1_gg_ttx", "status": "nonfinite", "me": 0.5, "grad": [1.0, 2.0], \
                "momenta": [[500.0, 0.0, 0.0, 500.0], [500.0, 0.0, 0.0, -500.0], [500.0, 1.0, 2.0, 3.0], [500.0, -1.0, -2.0, -3.0]], \
                "weight": 0.25, "weight_grad": [0.125], "score": [4.0], "hessian": [[null]]}
                ]}
                """, text);
        JsonObject doc = JsonParser.parseString(text).getAsJsonObject();
        assertFalse(doc.has("subprocess"), "points name theirs");
    }

    @Test
    void builderJsonHasAStatusAndNullForNonFiniteMe() {
        String text = stdout(ResultWriter.to(null).subprocess("P").wrt(WRT),
                PointResult.of(Double.NEGATIVE_INFINITY, new double[] {1, 2}), PointResult.of(1, new double[] {1, 2}));
        assertTrue(text.contains("{\"status\": \"nonfinite\", \"me\": null, \"grad\": [1.0, 2.0]},\n"), text);
        assertTrue(text.contains("{\"status\": \"ok\", \"me\": 1.0, \"grad\": [1.0, 2.0]}\n"), text);
    }

    @Test
    void pointsMustHaveExactlyTheDeclaredValues() {
        try (ResultWriter writer = ResultWriter.to(null).subprocess("P").score(List.of("MASS:6")).momenta(4)
                .stdout(new ByteArrayOutputStream()).open()) {
            PointResult p = PointResult.of(1, new double[0]).withMomenta(P);
            assertEquals("point without score, which the result document has for every point",
                    assertThrows(IllegalArgumentException.class, () -> writer.write(p)).getMessage());
            assertEquals("score has 2 values, expected 1",
                    assertThrows(IllegalArgumentException.class, () -> writer.write(p.withScore(new double[2]))).getMessage());
            assertEquals("point with weight, which the result writer was not opened for", assertThrows(
                    IllegalArgumentException.class, () -> writer.write(p.withScore(new double[1]).withWeight(1))).getMessage());
            assertEquals("momenta has 3 particles, expected 4", assertThrows(IllegalArgumentException.class,
                    () -> writer.write(p.withScore(new double[1]).withMomenta(new double[3][4]))).getMessage());
            assertEquals("point of subprocess Q in a result document for P: open the writer with subprocessPerPoint()",
                    assertThrows(IllegalArgumentException.class,
                            () -> writer.write(p.withScore(new double[1]).withSubprocess("Q"))).getMessage());
            writer.write(p.withScore(new double[1]).withSubprocess("P"));
            assertEquals(1, writer.count());
        }
    }

    @Test
    void csvWithStatusWritesNanAndTheOptionalColumns() {
        String text = stdout(ResultWriter.to(null).format("csv").subprocess("P").wrt(List.of("p3.E", "r1"))
                        .subprocessPerPoint().weight().weightGrad(List.of("r1")).hessian(List.of("MASS:6", "WIDTH:6")),
                PointResult.of(0.5, new double[] {1, Double.POSITIVE_INFINITY}).withWeight(2)
                        .withWeightGrad(new double[] {3}).withHessian(new double[][] {{1, 2}, {3, Double.NaN}}),
                PointResult.of(0.25, new double[] {1, 2}).withSubprocess("P2,b").withWeight(2)
                        .withWeightGrad(new double[] {3}).withHessian(new double[][] {{1, 2}, {3, 4}}));
        assertEquals("""
                me,p3.E,r1,status,subprocess,weight,weight_grad[r1],hessian[MASS:6][MASS:6],\
                hessian[MASS:6][WIDTH:6],hessian[WIDTH:6][MASS:6],hessian[WIDTH:6][WIDTH:6]
                0.5,1.0,nan,nonfinite,P,2.0,3.0,1.0,2.0,3.0,nan
                0.25,1.0,2.0,ok,"P2,b",2.0,3.0,1.0,2.0,3.0,4.0
                """, text);
    }

    @Test
    void csvMomentaColumnsAreNamedLikeWrtItems() {
        String text = stdout(ResultWriter.to(null).format("csv").subprocess("P").momenta(1),
                PointResult.of(1, new double[0]).withMomenta(new double[][] {{1, 2, 3, 4}}));
        assertEquals("me,status,momenta[p1.E],momenta[p1.x],momenta[p1.y],momenta[p1.z]\n1.0,ok,1.0,2.0,3.0,4.0\n", text);
    }

    @Test
    void legacyOpenKeepsJsonAndCsvWithoutStatus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter writer = ResultWriter.open(null, "csv", "P", List.of("a"), out)) {
            writer.write(Double.NaN, new double[] {Double.NEGATIVE_INFINITY});
            writer.commit();
        }
        assertEquals("me,a\nNaN,-Infinity\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        try (ResultWriter writer = ResultWriter.open(null, "jsonl", "P", List.of(), out)) {
            writer.write(1, new double[0]);
            writer.commit();
        }
        assertEquals("{\"subprocess\": \"P\", \"wrt\": [], \"status\": \"ok\", \"me\": 1.0, \"grad\": []}\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void npyWritesArraysNumpyReads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("result");
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocess("P1_gg_ttx").wrt(WRT).open()) {
            writer.write(1.5, new double[] {2.0, -3.0});
            writer.write(PointResult.of(Double.POSITIVE_INFINITY, new double[] {Double.MIN_VALUE, Double.NaN}));
            writer.write(0.1 + 0.2, new double[] {Double.MAX_VALUE, -0.0});
            writer.commit();
        }
        assertEquals(List.of("grad.npy", "me.npy", "status.npy", "wrt.json"), listing(out));
        Npy me = Npy.read(out.resolve("me.npy"));
        assertArrayEquals(new long[] {3}, me.shape());
        assertArrayEquals(new double[] {1.5, Double.NaN, 0.1 + 0.2}, me.doubles());
        Npy grad = Npy.read(out.resolve("grad.npy"));
        assertArrayEquals(new long[] {3, 2}, grad.shape());
        double[] g = grad.doubles();
        assertArrayEquals(new double[] {2.0, -3.0, Double.MIN_VALUE, Double.NaN, Double.MAX_VALUE, -0.0}, g);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(g[5]));
        Npy status = Npy.read(out.resolve("status.npy"));
        assertArrayEquals(new long[] {3}, status.shape());
        assertArrayEquals(new byte[] {0, 1, 0}, status.bytes());
        assertEquals("[\"p3.E\", \"MASS:6\"]\n", Files.readString(out.resolve("wrt.json")));
        assertEquals(List.of("result"), listing(dir), "no temporary left beside it");
    }

    @Test
    void npyOptionalArraysHaveTheirShapes(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("npy");
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").wrt(List.of("r1", "r2"))
                .subprocessPerPoint().momenta(4).weight().weightGrad(List.of("r1", "r2")).score(List.of("MASS:6"))
                .hessian(List.of("MASS:6", "WIDTH:6")).open()) {
            for (int i = 0; i < 3; i++) {
                writer.write(PointResult.of(i, new double[] {i, -i}).withSubprocess(i == 1 ? "P1_gg_ttx" : "P1_uux_ttx")
                        .withMomenta(P).withWeight(10 + i).withWeightGrad(new double[] {i, 2 * i})
                        .withScore(new double[] {100 + i}).withHessian(new double[][] {{i, 1}, {1, i}}));
            }
            writer.commit();
        }
        assertEquals(List.of("grad.npy", "hessian.npy", "hessian_wrt.json", "me.npy", "momenta.npy", "score.npy",
                "score_wrt.json", "status.npy", "subprocess.npy", "weight.npy", "weight_grad.npy", "weight_grad_wrt.json",
                "wrt.json"), listing(out));
        Npy momenta = Npy.read(out.resolve("momenta.npy"));
        assertArrayEquals(new long[] {3, 4, 4}, momenta.shape());
        assertEquals(-3.0, momenta.doubles()[16 * 2 + 4 * 3 + 3]);
        Npy hessian = Npy.read(out.resolve("hessian.npy"));
        assertArrayEquals(new long[] {3, 2, 2}, hessian.shape());
        assertArrayEquals(new double[] {0, 1, 1, 0, 1, 1, 1, 1, 2, 1, 1, 2}, hessian.doubles());
        assertArrayEquals(new double[] {10, 11, 12}, Npy.read(out.resolve("weight.npy")).doubles());
        Npy weightGrad = Npy.read(out.resolve("weight_grad.npy"));
        assertArrayEquals(new long[] {3, 2}, weightGrad.shape());
        assertArrayEquals(new double[] {100, 101, 102}, Npy.read(out.resolve("score.npy")).doubles());
        Npy names = Npy.read(out.resolve("subprocess.npy"));
        assertEquals("<U10", names.descr());
        assertArrayEquals(new String[] {"P1_uux_ttx", "P1_gg_ttx", "P1_uux_ttx"}, names.strings());
        assertEquals("[\"MASS:6\", \"WIDTH:6\"]\n", Files.readString(out.resolve("hessian_wrt.json")));
    }

    @Test
    void npyWithNoPointsIsEmptyArrays(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("empty");
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocess("P").wrt(WRT).open()) {
            writer.commit();
        }
        assertArrayEquals(new long[] {0, 2}, Npy.read(out.resolve("grad.npy")).shape());
        assertArrayEquals(new long[] {0}, Npy.read(out.resolve("me.npy")).shape());
    }

    @Test
    void npyManyPointsCrossBufferBoundaries(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("many");
        int n = 50_000;
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocessPerPoint().wrt(WRT).open()) {
            for (int i = 0; i < n; i++) {
                writer.write(PointResult.of(i, new double[] {i, -i}).withSubprocess(i % 3 == 0 ? "a" : "bb"));
            }
            writer.commit();
        }
        double[] me = Npy.read(out.resolve("me.npy")).doubles();
        double[] grad = Npy.read(out.resolve("grad.npy")).doubles();
        String[] names = Npy.read(out.resolve("subprocess.npy")).strings();
        for (int i = 0; i < n; i++) {
            assertEquals(i, me[i]);
            assertEquals(-i, grad[2 * i + 1]);
            assertEquals(i % 3 == 0 ? "a" : "bb", names[i]);
        }
    }

    @Test
    void npyClosedWithoutCommitLeavesNothing(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("result");
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocess("P").wrt(WRT).open()) {
            writer.write(1, new double[] {2, 3});
            assertEquals(1, listing(dir).size());
            assertTrue(listing(dir).get(0).startsWith(".result."), "a hidden directory beside the target");
            // no commit: the run "fails"
        }
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void npyIntoAnExistingDirectoryReplacesOnlyMegradFilesAndOnlyOnCommit(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("result");
        Files.createDirectory(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve("me.npy"), "old");
        Files.writeString(out.resolve("score.npy"), "old run's");
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocess("P").wrt(WRT).open()) {
            writer.write(1, new double[] {2, 3});
        }
        assertEquals(List.of("me.npy", "notes.txt", "score.npy"), listing(out), "a failed run changes nothing");
        assertEquals("old", Files.readString(out.resolve("me.npy")));
        try (ResultWriter writer = ResultWriter.to(out.toString()).format("npy").subprocess("P").wrt(WRT).open()) {
            writer.write(1, new double[] {2, 3});
            writer.commit();
        }
        assertEquals(List.of("grad.npy", "me.npy", "notes.txt", "status.npy", "wrt.json"), listing(out),
                "the older run's score.npy would not match the new me.npy");
        assertArrayEquals(new double[] {1}, Npy.read(out.resolve("me.npy")).doubles());
    }

    @Test
    void npyNeedsADirectory(@TempDir Path dir) throws IOException {
        assertEquals("--format npy writes a directory of .npy files: pass -o DIR", assertThrows(UsageException.class,
                () -> ResultWriter.to("-").format("npy").open()).getMessage());
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertEquals("cannot write results to " + file + ": it is not a directory (--format npy writes a directory of"
                + " .npy files)", assertThrows(UsageException.class,
                        () -> ResultWriter.to(file.toString()).format("npy").open()).getMessage());
        String nested = dir.resolve("no/such").toString();
        assertEquals("cannot write results to " + nested + ": directory " + dir.resolve("no") + " does not exist",
                assertThrows(UsageException.class, () -> ResultWriter.to(nested).format("npy").open()).getMessage());
    }

    @Test
    void jsonlFileAppearsOnlyOnCommit(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultWriter writer = ResultWriter.to(file.toString()).format("jsonl").subprocess("P").open()) {
            writer.write(1, new double[0]);
            assertFalse(Files.exists(file));
        }
        assertEquals(List.of(), listing(dir));
        try (ResultWriter writer = ResultWriter.to(file.toString()).format("jsonl").subprocess("P").open()) {
            writer.write(1, new double[0]);
            writer.commit();
        }
        assertEquals(1, Files.readAllLines(file).size());
        assertEquals(List.of("out.jsonl"), listing(dir));
    }
}
