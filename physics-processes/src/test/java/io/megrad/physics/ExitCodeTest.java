package io.megrad.physics;

import io.megrad.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented exit codes, each through {@link Main#run}: 0 success, 2 usage error, 3 input
 * error, 4 unsupported source construct, 5 internal error; every error is one line on stderr
 * without a stack trace, and leaves no output file.
 */
class ExitCodeTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString().strip());
    }

    private Path eeMumu() {
        return Corpus.root().resolve("ee_mumu").resolve("fortran");
    }

    private Path points() throws Exception {
        return Files.writeString(tmp.resolve("points.json"),
                "{\"points\": [[[250,0,0,250],[250,0,0,-250],[250,100,50,220.4540768],[250,-100,-50,-220.4540768]]]}");
    }

    /** An error's contract: the code, one line naming the problem, no stack trace, no output file. */
    private void assertFails(int code, String fragment, String... args) {
        Path out = tmp.resolve("out.json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", out.toString()));
        Run r = run(all.toArray(String[]::new));
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out), "no output file");
    }

    @Test
    void successIs0() throws Exception {
        Path out = tmp.resolve("out.json");
        Run r = run("eval", eeMumu().toString(), "--points", points().toString(), "-o", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out).contains("\"status\": \"ok\""));
    }

    @Test
    void usageErrorsAre2() throws Exception {
        assertFails(2, "--no-such-option", "eval", eeMumu().toString(), "--points", points().toString(), "--no-such-option");
        assertFails(2, "--format", "eval", eeMumu().toString(), "--points", points().toString(), "--format", "xml");
        assertEquals(2, run("no-such-command").code());
    }

    @Test
    void inputErrorsAre3() throws Exception {
        assertFails(3, "missing.json", "eval", eeMumu().toString(), "--points", tmp.resolve("missing.json").toString());
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "250,0,0,250,250,0,0,-250,250,100,50,x,250,-100,-50,-220\n");
        assertFails(3, "bad.csv:1: point index 0", "eval", eeMumu().toString(), "--points", bad.toString());
    }

    /** SMATRIX's T in quadruple precision: megrad stops at a line of matrix.f. */
    @Test
    void unsupportedConstructsAre4() throws Exception {
        Path copy = tmp.resolve("ee_mumu");
        copyTree(eeMumu(), copy);
        Path matrix = copy.resolve("SubProcesses/P1_epem_mupmum/matrix.f");
        String text = Files.readString(matrix, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("      REAL*8 T\n", text.indexOf("SUBROUTINE SMATRIX(P,ANS)"));
        assertTrue(at > 0, "the corpus's matrix.f has changed");
        Files.writeString(matrix, text.substring(0, at) + "      REAL*16 T\n" + text.substring(at + "      REAL*8 T\n".length()),
                StandardCharsets.ISO_8859_1);
        assertFails(4, "matrix.f:", "eval", copy.toString(), "--points", points().toString());
        assertFails(4, ": unsupported REAL of kind 16", "eval", copy.toString(), "--points", points().toString());
    }

    /**
     * An internal error (here: the compile cache cannot be written, as MEGRAD_CACHE names a file) is
     * 5, in a separate JVM since the cache comes from the environment; Main.main exits with
     * Main.run's code.
     */
    @Test
    void internalErrorsAre5() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("cache-is-a-file"), "");
        Path out = tmp.resolve("out.json");
        ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "eval", eeMumu().toString(), "--points", points().toString(), "-o", out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MEGRAD_CACHE", notADirectory.resolve("sub").toString());
        pb.environment().remove("MEGRAD_DEBUG");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(5, p.exitValue(), err);
        assertTrue(err.startsWith("megrad: ") && err.contains("compile cache"), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertFalse(Files.exists(out));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
