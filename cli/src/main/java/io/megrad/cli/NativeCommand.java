package io.megrad.cli;

import io.megrad.bindings.NativeBuilder;
import io.megrad.bindings.NativeLibrary;
import io.megrad.bindings.NativeOptions;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.InputException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code megrad native}: builds the C++ process library of a subprocess (see {@link NativeBuilder})
 * into the cache and copies it, with its generated sources, into OUTDIR.
 */
@CommandLine.Command(name = "native", mixinStandardHelpOptions = true,
        description = "Build a native (C++) process library with derivatives: the built-in forward scalar or CoDiPack.")
public final class NativeCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "MadGraph output directory.")
    Path dir;

    @CommandLine.Option(names = {"-o", "--output"}, required = true, description = "Directory to write the library and its sources to.")
    Path output;

    @CommandLine.Option(names = "--subprocess", description = "The SubProcesses/P* directory name (optional when there is one).")
    String subprocess;

    @CommandLine.Option(names = "--ad", description = "codipack or builtin (default: codipack when found, else builtin).")
    String ad;

    @CommandLine.Option(names = "--mode", defaultValue = "forward",
            description = "forward or reverse (reverse needs CoDiPack; default: ${DEFAULT-VALUE}).")
    String mode;

    @CommandLine.Option(names = "--codipack", description = "CoDiPack's include directory (default: $CODIPACK_INCLUDE).")
    Path codipack;

    @CommandLine.Option(names = "--width", defaultValue = "" + NativeOptions.DEFAULT_WIDTH,
            description = "Forward mode: directions carried per pass (default: ${DEFAULT-VALUE}).")
    int width;

    @Override
    public Integer call() {
        NativeOptions options = NativeOptions.resolve(ad, mode, codipack, System.getenv(),
                notice -> System.err.println("megrad: " + notice)).withWidth(width);
        MadGraphOutput out = MadGraphOutput.open(dir);
        JavaPort port = JavaPort.translate(out, subprocess);
        Path built = new NativeBuilder(JavaPortCompiler.defaultCache()).build(port.program(), port.subprocess(), options);
        String description = NativeLibrary.load(built).description();
        try {
            Files.createDirectories(output);
            try (Stream<Path> files = Files.list(built.getParent())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, output.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path include = output.resolve("include").resolve("megrad");
            Files.createDirectories(include);
            try (Stream<Path> files = Files.list(built.getParent().resolve("include").resolve("megrad"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, include.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot write " + output + ": " + e.getMessage());
        }
        System.out.println("wrote " + output.resolve(NativeBuilder.LIBRARY) + " (" + options.label() + "): " + description);
        System.out.println("C ABI: " + output.resolve("include/megrad/abi.h") + "; generated C++: " + output.resolve("process.hpp"));
        if (options.ad() == NativeOptions.Ad.CODIPACK) {
            System.err.println("megrad: note: this library is built with CoDiPack (GPL-3.0); distributing it puts it under that licence");
        }
        return 0;
    }
}
