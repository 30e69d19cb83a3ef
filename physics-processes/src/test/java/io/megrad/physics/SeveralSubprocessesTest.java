package io.megrad.physics;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An output with several SubProcesses/P* directories (as `p p > t t~` gives): a copy of gg_ttx
 * with a second subprocess directory whose coupl.inc is a symbolic link, and the dangling links
 * MadGraph leaves in SubProcesses/. Without --subprocess, points files are ambiguous and the
 * error names the choices; with it, each directory is evaluated on its own.
 */
class SeveralSubprocessesTest {
    @TempDir
    Path tmp;

    private Path copyWithTwoSubprocesses() throws IOException {
        Path source = Corpus.root().resolve("gg_ttx").resolve("fortran");
        Path target = tmp.resolve("out");
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path p1 = target.resolve("SubProcesses/P1_gg_ttx");
        Path p2 = Files.createDirectories(target.resolve("SubProcesses/P2_gg_ttx"));
        try (Stream<Path> s = Files.list(p1)) {
            for (Path f : s.toList()) {
                Files.copy(f, p2.resolve(f.getFileName()));
            }
        }
        // As MadGraph leaves them: include files linked from the subprocess directory, and dangling
        // links to Source/*.inc files the standalone output does not have.
        Files.delete(p2.resolve("coupl.inc"));
        Files.createSymbolicLink(p2.resolve("coupl.inc"), Path.of("../coupl.inc"));
        for (String dangling : new String[]{"run.inc", "run_config.inc", "maxparticles.inc", "lhe_event_infos.inc"}) {
            Files.createSymbolicLink(target.resolve("SubProcesses").resolve(dangling), Path.of("../Source/" + dangling));
        }
        return target;
    }

    private int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void subprocessMustBeChosenForPointFilesAndEachEvaluates() throws Exception {
        Path out = copyWithTwoSubprocesses();
        Path pts = tmp.resolve("pts.json");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "sample", out.toString(), "--subprocess", "P1_gg_ttx", "--n", "2", "--sqrt-s", "1000", "-o", pts.toString()), err.toString());
        StringWriter err2 = new StringWriter();
        int code = run(err2, "eval", out.toString(), "--points", pts.toString(), "-o", tmp.resolve("x.json").toString());
        assertEquals(3, code);
        assertTrue(err2.toString().contains("P1_gg_ttx") && err2.toString().contains("P2_gg_ttx") && err2.toString().contains("--subprocess"),
                err2.toString());
        double[] me = new double[2];
        for (int i = 0; i < 2; i++) {
            Path result = tmp.resolve("r" + i + ".json");
            assertEquals(0, run(new StringWriter(), "eval", out.toString(), "--subprocess", "P" + (i + 1) + "_gg_ttx", "--points", pts.toString(),
                    "-o", result.toString()));
            JsonObject doc = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
            assertEquals("P" + (i + 1) + "_gg_ttx", doc.get("subprocess").getAsString());
            me[i] = doc.getAsJsonArray("points").get(0).getAsJsonObject().get("me").getAsDouble();
        }
        assertEquals(me[0], me[1], 0.0, "the two copies are the same process");
    }
}
