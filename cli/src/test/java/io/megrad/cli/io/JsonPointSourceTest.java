package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megrad.runtime.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonPointSourceTest {
    private static final String TWO_POINTS = """
            {"comment": {"nested": [1, 2, {"x": null}]},
             "points": [
              [[500.0, 0, 0, 500], [500, 0, 0, -500], [500, 1.5e2, -3.25E-1, 476.9], [500, -150, 0.325, -476.9]],
              [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 1.0000000000000002]]
             ],
             "after": "ignored"}
            """;

    private static PointSource json(String text, int n) {
        return PointSources.open("-", "json", n, stream(text));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Point> readAll(PointSource source) {
        List<Point> points = new ArrayList<>();
        try (source) {
            source.forEachRemaining(points::add);
        }
        return points;
    }

    private static InputException failure(String text, int n) {
        return assertThrows(InputException.class, () -> readAll(json(text, n)));
    }

    @Test
    void readsEveryPointWithIndexLineAndExactValues() {
        List<Point> points = readAll(json(TWO_POINTS, 4));
        assertEquals(2, points.size());
        Point first = points.get(0);
        assertEquals(0, first.index());
        assertEquals(3, first.line());
        assertArrayEquals(new double[] {500, 150, -0.325, 476.9}, first.momenta()[2]);
        Point second = points.get(1);
        assertEquals(1, second.index());
        assertEquals(4, second.line());
        assertEquals(1.0000000000000002, second.momenta()[3][3]);
        assertEquals(4, second.momenta().length);
    }

    @Test
    void readsAFileChosenByExtension(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("points.JSON");
        Files.writeString(file, TWO_POINTS);
        try (PointSource source = PointSources.open(file.toString(), null, 4)) {
            assertEquals(file.toString(), source.sourceName());
            assertEquals(2, readAll(source).size());
        }
    }

    @Test
    void emptyPointsArrayHasNoPoints() {
        try (PointSource source = json("{\"points\": []}", 3)) {
            assertFalse(source.hasNext());
            assertThrows(NoSuchElementException.class, source::next);
        }
    }

    @Test
    void hasNextIsIdempotent() {
        try (PointSource source = json(TWO_POINTS, 4)) {
            assertTrue(source.hasNext());
            assertTrue(source.hasNext());
            assertEquals(0, source.next().index());
            assertEquals(1, source.next().index());
            assertFalse(source.hasNext());
        }
    }

    /** An endless input: reading must not try to take it all in. */
    @Test
    void streamsWithoutReadingTheWholeInput() {
        byte[] head = "{\"points\": [".getBytes(StandardCharsets.US_ASCII);
        byte[] point = "[[1,0,0,1],[1,0,0,-1]],\n".getBytes(StandardCharsets.US_ASCII);
        InputStream endless = new InputStream() {
            private long pos;

            @Override
            public int read() {
                long p = pos++;
                return p < head.length ? head[(int) p] : point[(int) ((p - head.length) % point.length)];
            }
        };
        try (PointSource source = PointSources.open("-", null, 2, endless)) {
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i, source.next().index());
            }
            assertEquals(10_001, source.next().line());
        }
    }

    @Test
    void wrongNumberOfParticlesNamesPointLineAndCount() {
        InputException e = failure("{\"points\": [\n[[1,0,0,1],[1,0,0,-1]],\n[[1,0,0,1],[1,0,0,-1],[1,0,0,1]]\n]}", 2);
        assertEquals("<stdin>:3: point index 1: has 3 momenta, expected 2 (one per external particle)", e.getMessage());
    }

    @Test
    void momentumWithThreeComponentsNamesParticle() {
        InputException e = failure("{\"points\": [[[1,0,0,1],\n [1,0,0]]]}", 2);
        assertEquals("<stdin>:2: point index 0: particle 2: momentum has 3 components, expected 4 (E,px,py,pz)",
                e.getMessage());
        e = failure("{\"points\": [[[1,0,0,1,7,8],[1,0,0,1]]]}", 2);
        assertTrue(e.getMessage().endsWith("particle 1: momentum has 6 components, expected 4 (E,px,py,pz)"));
    }

    @Test
    void nonFiniteTokensAreRejectedWithTheValue() {
        assertEquals("<stdin>:1: point index 0: particle 1 py: value NaN is not finite",
                failure("{\"points\": [[[1,0,NaN,1],[1,0,0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:2: point index 1: particle 2 E: value -Infinity is not finite",
                failure("{\"points\": [[[1,0,0,1],[1,0,0,1]],\n[[1,0,0,1],[-Infinity,0,0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1 pz: value 1e400 is not finite",
                failure("{\"points\": [[[1,0,0,1e400],[1,0,0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1 E: value Infinity is not finite",
                failure("{\"points\": [[[\"Infinity\",0,0,1],[1,0,0,1]]]}", 2).getMessage());
    }

    @Test
    void nonNumericValuesAreRejectedWithTheValue() {
        assertEquals("<stdin>:1: point index 0: particle 2 px: '\"abc\"' is not a number",
                failure("{\"points\": [[[1,0,0,1],[1,\"abc\",0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1 E: '\"1.5\"' is not a number",
                failure("{\"points\": [[[\"1.5\",0,0,1],[1,0,0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1 px: expected a number, found null",
                failure("{\"points\": [[[1,null,0,1],[1,0,0,1]]]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1 E: expected a number, found a boolean",
                failure("{\"points\": [[[true,0,0,1],[1,0,0,1]]]}", 2).getMessage());
    }

    @Test
    void wrongShapesNameWhatWasFound() {
        assertEquals("<stdin>:1: point index 0: expected an array of momenta, found a number",
                failure("{\"points\": [1, 2]}", 2).getMessage());
        assertEquals("<stdin>:1: point index 0: particle 1: expected [E,px,py,pz], found a number",
                failure("{\"points\": [[1,0,0,1]]}", 2).getMessage());
        assertEquals("<stdin>:1: expected a JSON object {\"points\": [...]}, found an array",
                failure("[[[1,0,0,1]]]", 1).getMessage());
        assertEquals("<stdin>:1: \"points\" must be an array of points, found an object",
                failure("{\"points\": {}}", 1).getMessage());
    }

    @Test
    void missingPointsArrayIsReported() {
        assertEquals("<stdin>:1: no \"points\" array in the JSON object",
                failure("{\"subprocesses\": [1, 2]}", 1).getMessage());
    }

    @Test
    void syntaxErrorsAreOneLineWithPosition() {
        InputException e = failure("{\"points\": [[[1,0,0,1]],\n[[1,0,0,1]],\n}", 1);
        assertTrue(e.getMessage().startsWith("<stdin>:3: malformed JSON: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        InputException truncated = failure("{\"points\": [[[1,0,0,1]],\n[[1,0", 1);
        assertTrue(truncated.getMessage().startsWith("<stdin>:2: malformed JSON: End of input"), truncated.getMessage());
        assertTrue(failure("{\"points\": []} {\"points\": []}", 1).getMessage()
                .endsWith("unexpected content after the JSON object"));
        assertTrue(failure("{\"points\": [], \"points\": []}", 1).getMessage().endsWith("a second \"points\" array"));
    }

    @Test
    void pointsAfterAnErrorAreNotReadSilently() {
        // The first point is fine and is returned before the second one is looked at.
        try (PointSource source = json("{\"points\": [[[1,0,0,1]],\n[[1,0,0]]]}", 1)) {
            assertEquals(0, source.next().index());
            InputException e = assertThrows(InputException.class, source::hasNext);
            assertTrue(e.getMessage().startsWith("<stdin>:2: point index 1:"));
        }
    }
}
