package io.megrad.physics;

import io.megrad.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code megrad eval} killed mid-run leaves no output file: it writes a hidden temporary file and
 * renames it only when every point is done. The run reads an endless stream of points on standard
 * input, so it is certainly still running (and has written results to its temporary file) when it
 * is killed.
 */
class InterruptedEvalTest {
    private static final String POINT = "[[250,0,0,250],[250,0,0,-250],[250,100,50,220.4540768],[250,-100,-50,-220.4540768]]";

    @TempDir
    Path tmp;

    /** SIGTERM (as Ctrl-C, a batch system's time limit): shutdown hooks delete the temporary file too. */
    @Test
    void terminatedRunLeavesNoFile() throws Exception {
        Path dir = killMidRun(false, "json");
        assertEquals(List.of(), list(dir), "neither out.json nor a temporary file");
    }

    @Test
    void terminatedCsvRunLeavesNoFile() throws Exception {
        Path dir = killMidRun(false, "csv");
        assertEquals(List.of(), list(dir), "neither out.csv nor a temporary file");
    }

    /**
     * SIGKILL (kill -9, the out-of-memory killer): nothing runs in the process any more, so the
     * hidden temporary file stays; the output file itself never appears, and the next run writing
     * the same output removes what the dead process left.
     */
    @Test
    void killedRunLeavesNoOutputFileAndTheNextRunCleansUp() throws Exception {
        Path dir = killMidRun(true, "json");
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            assertTrue(name.startsWith(".out.json.") && name.endsWith(".tmp"), "only the hidden temporary file: " + name);
        }
        Path points = tmp.resolve("one.json");
        Files.writeString(points, "{\"points\": [" + POINT + "]}");
        int code = Main.run(new String[]{"eval", Corpus.root().resolve("ee_mumu").resolve("fortran").toString(), "--points",
                points.toString(), "-o", dir.resolve("out.json").toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(0, code);
        assertEquals(List.of(dir.resolve("out.json")), list(dir), "the dead run's temporary file is gone");
    }

    /** Starts eval with output {@code out.FORMAT} in an empty directory, kills it once results are being written. */
    private Path killMidRun(boolean forcibly, String format) throws Exception {
        Path eeMumu = Corpus.root().resolve("ee_mumu").resolve("fortran");
        Path dir = Files.createDirectories(tmp.resolve("results"));
        Path out = dir.resolve("out." + format);
        Process p = new ProcessBuilder(ExitCodeTest.java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "eval", eeMumu.toString(), "--points", "-", "--points-format", "json", "--wrt", "final", "--format", format,
                "-o", out.toString(), "--quiet", "--threads", "2")
                .redirectError(tmp.resolve("stderr.txt").toFile())
                .start();
        Thread feeder = new Thread(() -> feed(p.getOutputStream()), "points-feeder");
        feeder.setDaemon(true);
        feeder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // Mid-run: the temporary result file exists and holds results.
            while (!writingResults(dir)) {
                assertTrue(p.isAlive(), "eval ended early: " + Files.readString(tmp.resolve("stderr.txt")));
                assertTrue(System.nanoTime() < deadline, "no results written within 120 s");
                Thread.sleep(50);
            }
            assertFalse(Files.exists(out), "no output file before the end of the input");
        } finally {
            if (forcibly) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "eval stops when killed");
        }
        assertFalse(Files.exists(out), "no output file after the kill");
        return dir;
    }

    /** An endless JSON points document, until the process stops reading. */
    private static void feed(OutputStream stdin) {
        byte[] point = (",\n" + POINT).getBytes(StandardCharsets.US_ASCII);
        try (stdin) {
            stdin.write(("{\"points\": [" + POINT).getBytes(StandardCharsets.US_ASCII));
            while (true) {
                stdin.write(point);
            }
        } catch (IOException stopped) {
            // The process was killed: the pipe is closed.
        }
    }

    private static boolean writingResults(Path dir) throws IOException {
        for (Path p : list(dir)) {
            if (p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p) && Files.size(p) > 0) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
