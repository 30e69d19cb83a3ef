package io.megrad.physics;

import io.megrad.bindings.NativeLibrary;
import io.megrad.cli.NativeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code megrad native DIR -o OUTDIR} writes a loadable library, its C ABI header and the generated C++. */
class NativeCommandTest {
    @TempDir
    Path out;

    @Test
    void buildsALoadableLibraryWithItsSources() throws Exception {
        Path dir = Corpus.root().resolve("ee_mumu").resolve("fortran");
        CommandLine cl = new CommandLine(new NativeCommand());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(dir.toString(), "-o", out.toString(), "--ad", "builtin");
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(out.resolve("process.hpp")));
        assertTrue(Files.isRegularFile(out.resolve("include").resolve("megrad").resolve("abi.h")));
        String description = NativeLibrary.load(out.resolve("libmegrad_process.so")).description();
        assertTrue(description.contains("\"externals\":4") && description.contains("\"scalar\":\"builtin\""), description);
    }

    @Test
    void reverseWithoutCodiPackIsAUsageError() {
        CommandLine cl = new CommandLine(new NativeCommand());
        cl.setExecutionExceptionHandler((ex, c, p) -> ex instanceof io.megrad.runtime.MegradException me ? me.exitCode() : 5);
        int code = cl.execute(Corpus.root().resolve("ee_mumu").resolve("fortran").toString(), "-o", out.toString(),
                "--ad", "builtin", "--mode", "reverse");
        assertEquals(2, code);
    }
}
