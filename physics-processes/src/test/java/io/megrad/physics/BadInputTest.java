package io.megrad.physics;

import io.megrad.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input through the CLI: one clear line naming the problem, a non-zero exit code, no output file. */
class BadInputTest {
    @TempDir
    Path tmp;

    private record Run(int code, String err) {
    }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        return new Run(code, err.toString().strip());
    }

    private Path eeMumu() {
        return Corpus.root().resolve("ee_mumu").resolve("fortran");
    }

    private Path points(String json) throws Exception {
        Path p = tmp.resolve("points.json");
        Files.writeString(p, json);
        return p;
    }

    private static final String GOOD_POINT = "[[250,0,0,250],[250,0,0,-250],[250,100,50,220.4540768],[250,-100,-50,-220.4540768]]";

    @Test
    void missingDirectoryIsAnInputError() throws Exception {
        Path out = tmp.resolve("out.json");
        Run r = run("eval", tmp.resolve("nope").toString(), "--points", points("{\"points\": []}").toString(), "-o", out.toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("nope") && r.err().lines().count() == 1, r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownWrtNameIsAUsageError() throws Exception {
        Path out = tmp.resolve("out.json");
        Run r = run("eval", eeMumu().toString(), "--points", points("{\"points\": [" + GOOD_POINT + "]}").toString(),
                "--wrt", "p3.q", "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("p3.q"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void wrongNumberOfMomentaNamesThePoint() throws Exception {
        Path out = tmp.resolve("out.json");
        Run r = run("eval", eeMumu().toString(), "--points",
                points("{\"points\": [" + GOOD_POINT + ", [[250,0,0,250],[250,0,0,-250],[250,100,50,220]]]}").toString(), "-o", out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("point index 1"), r.err());
        assertFalse(Files.exists(out), "no partial output file");
    }

    @Test
    void nanMomentumIsRejected() throws Exception {
        Path out = tmp.resolve("out.json");
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "250,0,0,250,250,0,0,-250,250,100,50,nan,250,-100,-50,-220\n");
        Run r = run("eval", eeMumu().toString(), "--points", csv.toString(), "-o", out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().toLowerCase().contains("nan"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void malformedParamCardNamesFileAndLine() throws Exception {
        Path card = tmp.resolve("card.dat");
        Files.writeString(card, "BLOCK MASS\n  6 1.73e+02\n  23 not-a-number\n");
        Path out = tmp.resolve("out.json");
        Run r = run("eval", eeMumu().toString(), "--param-card", card.toString(), "--points",
                points("{\"points\": [" + GOOD_POINT + "]}").toString(), "-o", out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("card.dat:3"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void parameterAbsentFromTheCardIsAnError() throws Exception {
        Path out = tmp.resolve("out.json");
        Run r = run("eval", eeMumu().toString(), "--points", points("{\"points\": [" + GOOD_POINT + "]}").toString(),
                "--wrt", "MASS:999", "-o", out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("MASS:999"), r.err());
        assertFalse(Files.exists(out));
    }
}
