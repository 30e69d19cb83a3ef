package io.megrad.cli;

import io.megrad.runtime.MegradException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Option handling of {@code megrad port}; the libraries themselves are tested in codegen and physics-processes. */
class PortCommandTest {
    /** The exit code and the one-line error, as {@link Main#run} reports them. */
    private record Outcome(int exitCode, String error) {
    }

    private static Outcome port(String... args) {
        String[] error = {""};
        CommandLine cl = new CommandLine(new PortCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof MegradException me) {
                error[0] = me.getMessage();
                return me.exitCode();
            }
            throw ex;
        });
        int code = cl.execute(args);
        return new Outcome(code, error[0]);
    }

    @Test
    void unknownModeIsAUsageErrorBeforeAnythingIsRead(@TempDir Path dir) {
        Outcome o = port(dir.resolve("nowhere").toString(), "-o", dir.resolve("lib").toString(), "--mode", "sideways");
        assertEquals(new Outcome(2, "unknown --mode 'sideways': use forward, reverse or auto"), o);
        assertFalse(Files.exists(dir.resolve("lib")));
    }

    @Test
    void missingOutputDirectoryOptionIsAUsageError(@TempDir Path dir) {
        assertEquals(2, port(dir.toString()).exitCode());
    }

    @Test
    void missingMadGraphOutputIsAnInputError(@TempDir Path dir) {
        Outcome o = port(dir.resolve("nowhere").toString(), "-o", dir.resolve("lib").toString());
        assertEquals(3, o.exitCode());
        assertTrue(o.error().endsWith("no such directory"), o.error());
    }
}
