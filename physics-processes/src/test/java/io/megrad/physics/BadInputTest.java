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

    /**
     * Runs {@code megrad eval} with {@code -o out.json} appended and checks the contract for bad
     * input: the exit code, a single error line naming {@code fragment}, and no output file.
     */
    private void assertRejected(int exitCode, String fragment, String... evalArgs) {
        Path out = tmp.resolve("out.json");
        String[] args = new String[evalArgs.length + 3];
        args[0] = "eval";
        System.arraycopy(evalArgs, 0, args, 1, evalArgs.length);
        args[args.length - 2] = "-o";
        args[args.length - 1] = out.toString();
        Run r = run(args);
        assertEquals(exitCode, r.code(), r.err());
        assertTrue(r.err().toLowerCase().contains(fragment.toLowerCase()), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(out), "no partial output file");
    }

    private String onePoint() throws Exception {
        return points("{\"points\": [" + GOOD_POINT + "]}").toString();
    }

    @Test
    void missingDirectoryIsAnInputError() throws Exception {
        assertRejected(3, "nope", tmp.resolve("nope").toString(), "--points", points("{\"points\": []}").toString());
    }

    @Test
    void unknownWrtNameIsAUsageError() throws Exception {
        assertRejected(2, "p3.q", eeMumu().toString(), "--points", onePoint(), "--wrt", "p3.q");
    }

    @Test
    void wrongNumberOfMomentaNamesThePoint() throws Exception {
        assertRejected(3, "point index 1", eeMumu().toString(), "--points",
                points("{\"points\": [" + GOOD_POINT + ", [[250,0,0,250],[250,0,0,-250],[250,100,50,220]]]}").toString());
    }

    @Test
    void nanMomentumIsRejected() throws Exception {
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "250,0,0,250,250,0,0,-250,250,100,50,nan,250,-100,-50,-220\n");
        assertRejected(3, "nan", eeMumu().toString(), "--points", csv.toString());
    }

    @Test
    void malformedParamCardNamesFileAndLine() throws Exception {
        Path card = tmp.resolve("card.dat");
        Files.writeString(card, "BLOCK MASS\n  6 1.73e+02\n  23 not-a-number\n");
        assertRejected(3, "card.dat:3", eeMumu().toString(), "--param-card", card.toString(), "--points", onePoint());
    }

    @Test
    void parameterAbsentFromTheCardIsAnError() throws Exception {
        assertRejected(3, "MASS:999", eeMumu().toString(), "--points", onePoint(), "--wrt", "MASS:999");
    }

    @Test
    void skipBadSkipsAndNamesBadPointsAndEvaluatesTheRest() throws Exception {
        // Rows 1 and 3 (0-based) are bad: a NaN and a row with too few values; 0 and 2 are good.
        Path csv = tmp.resolve("mixed.csv");
        String good = "250,0,0,250,250,0,0,-250,250,100,50,220.4540768,250,-100,-50,-220.4540768";
        Files.writeString(csv, good + "\n250,0,0,250,250,0,0,-250,250,100,50,nan,250,-100,-50,-220\n" + good + "\n1,2,3\n");
        Path out = tmp.resolve("skip.json");
        StringWriter err = new StringWriter();
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = Main.run(new String[]{"eval", eeMumu().toString(), "--points", csv.toString(), "--skip-bad", "-o", out.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(0, code, err.toString());
        String messages = captured.toString();
        assertTrue(messages.contains("point index 1") && messages.contains("mixed.csv:2"), messages);
        assertTrue(messages.contains("point index 3") && messages.contains("mixed.csv:4"), messages);
        String json = Files.readString(out);
        assertEquals(2, json.split("\"me\"", -1).length - 1, json);
    }
}
