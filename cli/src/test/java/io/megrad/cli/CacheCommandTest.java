package io.megrad.cli;

import io.megrad.codegen.build.JavaPortCompiler;
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

class CacheCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CacheCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString().strip(), err.toString().strip());
    }

    @Test
    void pathPrintsTheCacheDirectory() {
        Run r = run("path", "--dir", tmp.resolve("c").toString());
        assertEquals(0, r.code());
        assertEquals(tmp.resolve("c").toAbsolutePath().toString(), r.out());
        assertEquals(JavaPortCompiler.defaultCache().toAbsolutePath().toString(), run("path").out());
    }

    @Test
    void cleanEmptiesTheCacheAndKeepsOtherFiles() throws Exception {
        Path cache = tmp.resolve("c");
        new JavaPortCompiler(cache).compile("Tiny", "package " + JavaPortCompiler.PACKAGE + "; public final class Tiny {}");
        Path other = Files.writeString(Files.createDirectories(cache).resolve("keep.txt"), "x");
        Run r = run("clean", "--dir", cache.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("removed 1 cache entry from " + cache.toAbsolutePath(), r.out());
        assertFalse(Files.exists(cache.resolve("java")));
        assertTrue(Files.exists(other));
        assertEquals("removed 0 cache entries from " + cache.toAbsolutePath(), run("clean", "--dir", cache.toString()).out());
    }

    @Test
    void aSubcommandIsRequired() {
        Run r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing subcommand"), r.err());
    }
}
