package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UsageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointSourcesTest {
    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stdinDefaultsToJson() {
        try (PointSource source = PointSources.open("-", null, 1, text("{\"points\": [[[1,0,0,1]]]}"))) {
            assertEquals(PointSources.STDIN_NAME, source.sourceName());
            assertEquals(1.0, source.next().momenta()[0][3]);
        }
    }

    @Test
    void stdinReadsCsvWhenAsked() {
        try (PointSource source = PointSources.open("-", "CSV", 1, text("1,0,0,2\n"))) {
            assertEquals(2.0, source.next().momenta()[0][3]);
        }
    }

    @Test
    void closingTheSourceLeavesStdinOpen() {
        boolean[] closed = {false};
        InputStream stdin = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        PointSources.open("-", "csv", 1, stdin).close();
        assertEquals(false, closed[0]);
    }

    @Test
    void explicitFormatOverridesTheExtension(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("points.json");
        Files.writeString(file, "1,0,0,1\n");
        try (PointSource source = PointSources.open(file.toString(), "csv", 1)) {
            assertEquals(1.0, source.next().momenta()[0][0]);
        }
    }

    @Test
    void unknownExtensionAsksForPointsFormat(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("points.txt");
        Files.writeString(file, "1,0,0,1\n");
        UsageException e = assertThrows(UsageException.class, () -> PointSources.open(file.toString(), null, 1));
        assertEquals("cannot tell the format of points file '" + file
                + "' from its extension: pass --points-format json, csv or lhe", e.getMessage());
    }

    @Test
    void unknownFormatIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> PointSources.open("-", "hepmc", 1, text("")));
        assertEquals("unknown --points-format 'hepmc': expected json, csv or lhe", e.getMessage());
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        String path = dir.resolve("nope/points.csv").toString();
        InputException e = assertThrows(InputException.class, () -> PointSources.open(path, null, 1));
        assertEquals("points file not found: " + path, e.getMessage());
    }

    @Test
    void directoryIsNotAPointsFile(@TempDir Path dir) {
        Path sub = dir.resolve("d.json");
        assertTrue(sub.toFile().mkdir());
        InputException e = assertThrows(InputException.class, () -> PointSources.open(sub.toString(), null, 1));
        assertEquals("points file " + sub + " is a directory", e.getMessage());
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "E,px,py,pz\n1,0,0,x\n");
        try (PointSource source = PointSources.open(file.toString(), null, 1)) {
            InputException e = assertThrows(InputException.class, source::next);
            assertEquals(file + ":2: point index 0: particle 1 pz: 'x' is not a number", e.getMessage());
        }
    }

    @Test
    void missingPathIsAUsageError() {
        assertThrows(UsageException.class, () -> PointSources.open("", null, 1));
    }
}
