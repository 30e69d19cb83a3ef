package io.megrad.cli.io;

import static io.megrad.cli.io.Lhe.event;
import static io.megrad.cli.io.Lhe.particle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UsageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LhePointSourceTest {
    private static final Subprocess UUX_TTX = new Subprocess("P1_uux_ttx", 2, new int[] {2, -2, 6, -6});
    private static final Subprocess GG_TTX = new Subprocess("P1_gg_ttx", 2, new int[] {21, 21, 6, -6});

    /** u u~ > t t~ written mirrored (u~ first) and with t~ before t, so matching must swap and reorder. */
    private static final String MIRRORED = event(
            particle(-2, -1, 0, 0, 500, 500),
            particle(2, -1, 0, 0, -500, 500),
            particle(-6, 1, -1, -2, -3, 510),
            particle(6, 1, 1, 2, 3, 490));
    private static final String GLUONS = event(
            particle(21, -1, 0, 0, 400, 400),
            particle(21, -1, 0, 0, -400, 400),
            particle(6, 1, 5, 6, 7, 400),
            particle(-6, 1, -5, -6, -7, 400));

    private static void checkMirrored(Point p) {
        assertEquals("P1_uux_ttx", p.subprocess());
        assertArrayEquals(new double[] {500, 0, 0, -500}, p.momenta()[0], "the u");
        assertArrayEquals(new double[] {500, 0, 0, 500}, p.momenta()[1], "the u~");
        assertArrayEquals(new double[] {490, 1, 2, 3}, p.momenta()[2], "the t");
        assertArrayEquals(new double[] {510, -1, -2, -3}, p.momenta()[3], "the t~");
    }

    @Test
    void lheFileByExtensionPlainAndGzipped(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("events.lhe");
        Files.writeString(plain, Lhe.file(MIRRORED, GLUONS));
        Path gzipped = dir.resolve("events.LHE.gz");
        Files.write(gzipped, Lhe.gzip(Lhe.file(MIRRORED, GLUONS)));
        for (Path file : List.of(plain, gzipped)) {
            try (PointSource points = PointSources.open(file.toString(), null, List.of(GG_TTX, UUX_TTX))) {
                assertEquals(file.toString(), points.sourceName());
                Point first = points.next();
                checkMirrored(first);
                assertEquals(0, first.index());
                assertEquals(18, first.line());
                Point second = points.next();
                assertEquals("P1_gg_ttx", second.subprocess());
                assertArrayEquals(new double[] {400, 5, 6, 7}, second.momenta()[2]);
                assertFalse(points.hasNext());
            }
        }
    }

    @Test
    void lheFormatByOptionAndGzipOnStdin() {
        InputStream stdin = new ByteArrayInputStream(Lhe.gzip(Lhe.file(MIRRORED)));
        try (PointSource points = PointSources.open("-", "lhe", List.of(UUX_TTX), stdin)) {
            assertEquals(PointSources.STDIN_NAME, points.sourceName());
            checkMirrored(points.next());
            assertFalse(points.hasNext());
        }
    }

    @Test
    void singleSubprocessOverloadMatchesAgainstItsCodes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.dat");
        Files.writeString(file, Lhe.file(MIRRORED, GLUONS));
        try (PointSource points = PointSources.open(file.toString(), "LHE", UUX_TTX)) {
            checkMirrored(points.next());
            InputException e = assertThrows(InputException.class, points::next);
            assertEquals(file + ":28: event index 1: particles 21 21 > 6 -6 match no subprocess (P1_uux_ttx (2 -2 > 6 -6))",
                    e.getMessage());
        }
    }

    @Test
    void lheNeedsTheSubprocessCodes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.lhe.gz");
        Files.write(file, Lhe.gzip(Lhe.file(GLUONS)));
        UsageException e = assertThrows(UsageException.class, () -> PointSources.open(file.toString(), null, 4));
        assertEquals("cannot read points from LHE file " + file + " here: matching its events needs the subprocesses'"
                + " PDG codes", e.getMessage());
    }

    @Test
    void jsonAndCsvPointsCarryTheOneSubprocessName(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("points.csv.gz");
        Files.write(csv, Lhe.gzip("1,0,0,1,1,0,0,-1,1,1,0,0,1,-1,0,0\n"));
        try (PointSource points = PointSources.open(csv.toString(), null, GG_TTX)) {
            Point p = points.next();
            assertEquals("P1_gg_ttx", p.subprocess());
            assertEquals(-1.0, p.momenta()[3][1]);
        }
        InputStream stdin = new ByteArrayInputStream("{\"points\": [[[1,0,0,1],[1,0,0,-1],[1,1,0,0],[1,-1,0,0]]]}"
                .getBytes(StandardCharsets.UTF_8));
        try (PointSource points = PointSources.open("-", null, List.of(GG_TTX), stdin)) {
            assertEquals("P1_gg_ttx", points.next().subprocess());
        }
        try (PointSource points = PointSources.open(csv.toString(), null, 4)) {
            assertEquals(null, points.next().subprocess());
        }
    }

    @Test
    void jsonWithSeveralSubprocessesCannotSayWhichPointIsWhich() {
        UsageException e = assertThrows(UsageException.class, () -> PointSources.open("-", "json",
                List.of(GG_TTX, UUX_TTX), new ByteArrayInputStream(new byte[0])));
        assertEquals("the points in <stdin> (json) do not say which of 2 subprocesses they belong to: choose one with"
                + " --subprocess", e.getMessage());
    }

    /**
     * An LHE file of {@code events} u u~ > t t~ events (event k has the top's px = k), produced only as
     * it is read, counting the bytes handed out.
     */
    private static final class GeneratedLhe extends InputStream {
        private static final String EVENT_START = "<event>\n 4 1 1.0 91.0 0.0078 0.118\n"
                + particle(2, -1, 0, 0, 500, 500) + particle(-2, -1, 0, 0, -500, 500);
        private static final String EVENT_END = "<mgrwt>\n<rscale>  0 0.91E+02</rscale>\n</mgrwt>\n</event>\n";
        private final long events;
        private long next;
        private byte[] chunk = Lhe.HEAD.getBytes(StandardCharsets.UTF_8);
        private int position;
        private boolean done;
        long produced;

        GeneratedLhe(long events) {
            this.events = events;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (position == chunk.length) {
                if (done) {
                    return -1;
                }
                if (next < events) {
                    // Concatenated, not formatted: the generator must not be what the test times.
                    chunk = (EVENT_START + " -6 1 1 2 0 501 " + -next + " 0 0 500 0 0 9\n"
                            + " 6 1 1 2 501 0 " + next + " 0 0 500 0 0 9\n" + EVENT_END).getBytes(StandardCharsets.UTF_8);
                    next++;
                } else {
                    chunk = Lhe.TAIL.getBytes(StandardCharsets.UTF_8);
                    done = true;
                }
                position = 0;
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            produced += n;
            return n;
        }
    }

    private static final int EVENTS = 100_000;

    private static void readAll(PointSource points, GeneratedLhe source, long maxAhead) {
        Point first = points.next();
        assertEquals(0.0, first.momenta()[2][1]);
        assertTrue(source.produced < maxAhead, "only " + source.produced + " bytes read for the first event");
        long count = 1;
        while (points.hasNext()) {
            Point p = points.next();
            if (p.index() != count || p.momenta()[2][1] != count) { // not assertEquals: no message built per event
                assertEquals(count + " " + count, p.index() + " " + p.momenta()[2][1], "index and the top's px");
            }
            count++;
            if (count == EVENTS / 2) {
                assertTrue(source.produced < (long) (0.6 * EVENTS) * 500, source.produced + " bytes read half-way");
            }
        }
        assertEquals(EVENTS, count);
    }

    @Test
    void aLargeFileIsStreamedNotHeld() {
        GeneratedLhe source = new GeneratedLhe(EVENTS);
        try (PointSource points = PointSources.open("-", "lhe", List.of(UUX_TTX), source)) {
            readAll(points, source, 1 << 20);
        }
        assertTrue(source.produced > 40_000_000L, "the whole file went through: " + source.produced);
    }

    @Test
    void aLargeGzippedStreamIsDecompressedAsItIsRead() throws Exception {
        GeneratedLhe source = new GeneratedLhe(EVENTS);
        PipedInputStream compressed = new PipedInputStream(8 << 10);
        PipedOutputStream sink = new PipedOutputStream(compressed);
        Thread producer = new Thread(() -> {
            try (OutputStream gz = new GZIPOutputStream(sink, 8 << 10)) {
                source.transferTo(gz);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        producer.start();
        try (PointSource points = PointSources.open("-", "lhe", List.of(UUX_TTX), compressed)) {
            readAll(points, source, 16 << 20);
        }
        producer.join(10_000);
        assertFalse(producer.isAlive());
    }
}
