package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
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

class ResultWriterTest {
    private static final List<String> WRT = List.of("p3.E", "MASS:6");

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void jsonFileRoundTripsEveryDoubleExactly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.json");
        double[][] grads = {{0.1 + 0.2, -1.0e-300}, {Double.MIN_VALUE, Double.MAX_VALUE}, {-0.0, 123456789.0123456789}};
        double[] mes = {1.2345678901234567e-7, 3.0, 5e-324};
        try (ResultWriter out = ResultWriter.open(file.toString(), "json", "P1_gg_ttx", WRT)) {
            for (int i = 0; i < mes.length; i++) {
                out.write(mes[i], grads[i]);
            }
            assertEquals(3, out.count());
            out.commit();
        }
        JsonObject doc = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals("P1_gg_ttx", doc.get("subprocess").getAsString());
        assertEquals(List.of("p3.E", "MASS:6"), doc.getAsJsonArray("wrt").asList().stream().map(e -> e.getAsString()).toList());
        JsonArray points = doc.getAsJsonArray("points");
        assertEquals(3, points.size());
        for (int i = 0; i < mes.length; i++) {
            JsonObject point = points.get(i).getAsJsonObject();
            assertEquals(mes[i], point.get("me").getAsDouble());
            JsonArray grad = point.getAsJsonArray("grad");
            for (int j = 0; j < 2; j++) {
                assertEquals(Double.doubleToLongBits(grads[i][j]), Double.doubleToLongBits(grad.get(j).getAsDouble()));
            }
        }
        assertEquals(List.of("out.json"), listing(dir));
    }

    @Test
    void jsonLayoutIsOnePointPerLine() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open(null, "json", "P1_ee_mumu", WRT, stdout)) {
            out.write(1.5, new double[] {2.0, -3.0});
            out.write(0.25, new double[] {0.0, 1e-20});
            out.commit();
        }
        assertEquals("""
                {"subprocess": "P1_ee_mumu", "wrt": ["p3.E", "MASS:6"], "points": [
                {"me": 1.5, "grad": [2.0, -3.0]},
                {"me": 0.25, "grad": [0.0, 1.0E-20]}
                ]}
                """, stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nonFiniteNumbersAreJsonNull() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open("-", "JSON", "P", WRT, stdout)) {
            out.write(Double.NaN, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
            out.commit();
        }
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("{\"me\": null, \"grad\": [null, null]}"), text);
        JsonObject point = JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("points").get(0).getAsJsonObject();
        assertTrue(point.get("me").isJsonNull());
    }

    @Test
    void noPointsAndNoWrtIsStillValidJson() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open(null, null, "P", List.of(), stdout)) {
            out.commit();
        }
        JsonObject doc = JsonParser.parseString(stdout.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(0, doc.getAsJsonArray("points").size());
        assertEquals(0, doc.getAsJsonArray("wrt").size());
    }

    @Test
    void emptyGradientIsAnEmptyArray() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open(null, "json", "P", List.of(), stdout)) {
            out.write(2.0, new double[0]);
            out.commit();
        }
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("{\"me\": 2.0, \"grad\": []}"));
    }

    @Test
    void subprocessNameIsEscaped() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open(null, "json", "a\"b\\c\n\u0001", List.of(), stdout)) {
            out.commit();
        }
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals("a\"b\\c\n\u0001", JsonParser.parseString(text).getAsJsonObject().get("subprocess").getAsString());
    }

    @Test
    void csvHasHeaderAndFullPrecisionRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.csv");
        try (ResultWriter out = ResultWriter.open(file.toString(), "csv", "P1_gg_ttx", WRT)) {
            out.write(0.1 + 0.2, new double[] {-1.0e-300, Double.NaN});
            out.write(3.0, new double[] {Double.MIN_VALUE, Double.NEGATIVE_INFINITY});
            out.commit();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("me,p3.E,MASS:6", "0.30000000000000004,-1.0E-300,NaN", "3.0,4.9E-324,-Infinity"), lines);
        assertEquals(0.1 + 0.2, Double.parseDouble(lines.get(1).split(",")[0]));
    }

    @Test
    void csvWithoutWrtHasOnlyMe() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultWriter out = ResultWriter.open("-", "csv", "P", List.of(), stdout)) {
            out.write(1.0, new double[0]);
            out.commit();
        }
        assertEquals("me\n1.0\n", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closeWithoutCommitLeavesNoFileAtAll(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.json");
        try (ResultWriter out = ResultWriter.open(file.toString(), "json", "P", WRT)) {
            out.write(1.0, new double[] {2.0, 3.0});
            assertEquals(1, listing(dir).size(), "the temporary file is in the target's directory");
            assertTrue(listing(dir).get(0).startsWith(".out.json."));
            // no commit: the run "fails"
        }
        assertFalse(Files.exists(file));
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void failedRunLeavesAnOlderResultUntouched(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.csv");
        Files.writeString(file, "old\n");
        assertThrows(IllegalStateException.class, () -> {
            try (ResultWriter out = ResultWriter.open(file.toString(), "csv", "P", WRT)) {
                out.write(1.0, new double[] {2.0, 3.0});
                throw new IllegalStateException("evaluation failed");
            }
        });
        assertEquals("old\n", Files.readString(file));
        assertEquals(List.of("out.csv"), listing(dir));
    }

    @Test
    void commitReplacesAnOlderResult(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.csv");
        Files.writeString(file, "old\n");
        try (ResultWriter out = ResultWriter.open(file.toString(), "csv", "P", List.of())) {
            out.write(1.0, new double[0]);
            out.commit();
        }
        assertEquals("me\n1.0\n", Files.readString(file));
        assertEquals(List.of("out.csv"), listing(dir));
    }

    @Test
    void stdoutIsNotClosedAndUncommittedJsonIsIncomplete() {
        boolean[] closed = {false};
        ByteArrayOutputStream stdout = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (ResultWriter out = ResultWriter.open(null, "json", "P", List.of(), stdout)) {
            out.write(1.0, new double[0]);
        }
        assertFalse(closed[0]);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n{\"me\": 1.0, \"grad\": []}"), text);
    }

    @Test
    void gradientLengthMustMatchWrtNames() {
        try (ResultWriter out = ResultWriter.open(null, "csv", "P", WRT, new ByteArrayOutputStream())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> out.write(1.0, new double[1]));
            assertEquals("grad has 1 values, expected 2 (one per wrt name)", e.getMessage());
        }
    }

    @Test
    void writeAfterCommitIsAnError() {
        try (ResultWriter out = ResultWriter.open(null, "csv", "P", List.of(), new ByteArrayOutputStream())) {
            out.commit();
            out.commit(); // a second commit is harmless
            assertThrows(IllegalStateException.class, () -> out.write(1.0, new double[0]));
        }
    }

    @Test
    void missingDirectoryIsReportedAtOpen(@TempDir Path dir) {
        String path = dir.resolve("no/such/out.json").toString();
        UsageException e = assertThrows(UsageException.class, () -> ResultWriter.open(path, "json", "P", WRT));
        assertEquals("cannot write results to " + path + ": directory " + dir.resolve("no/such") + " does not exist",
                e.getMessage());
    }

    @Test
    void directoryAsTargetIsReportedAtOpen(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> ResultWriter.open(dir.toString(), "json", "P", WRT));
        assertEquals("cannot write results to " + dir + ": it is a directory", e.getMessage());
    }

    @Test
    void unknownFormatIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> ResultWriter.open(null, "xml", "P", WRT, new ByteArrayOutputStream()));
        assertEquals("unknown --format 'xml': expected json, jsonl, csv or npy", e.getMessage());
    }
}
