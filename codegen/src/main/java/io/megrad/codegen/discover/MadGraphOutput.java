package io.megrad.codegen.discover;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A MadGraph output directory as found on disk: its format and its subprocess directories.
 *
 * <pre>{@code
 * MadGraphOutput out = MadGraphOutput.open(Path.of("ee_mumu/fortran"));
 * Path p1 = out.subprocess(null);   // the only P* directory
 * }</pre>
 */
public record MadGraphOutput(Path root, Format format, List<Path> subprocesses) {
    public enum Format { FORTRAN_STANDALONE, CPP_STANDALONE }

    /** How this output's own code resolves a repeated param-card entry (its Fortran and C++ readers differ). */
    public io.megrad.runtime.slha.ParamCard.Duplicates cardDuplicates() {
        return format == Format.FORTRAN_STANDALONE ? io.megrad.runtime.slha.ParamCard.Duplicates.FIRST_WINS
                : io.megrad.runtime.slha.ParamCard.Duplicates.LAST_WINS;
    }

    public static MadGraphOutput open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(SourcePosition.of(dir.toString(), 0), Files.exists(dir) ? "not a directory" : "no such directory");
        }
        Path sub = dir.resolve("SubProcesses");
        if (!Files.isDirectory(sub)) {
            throw new InputException(SourcePosition.of(dir.toString(), 0), "not a MadGraph output: no SubProcesses directory");
        }
        List<Path> pdirs;
        try (Stream<Path> s = Files.list(sub)) {
            pdirs = s.filter(p -> p.getFileName().toString().startsWith("P") && Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(sub.toString(), 0), "cannot list: " + e.getMessage());
        }
        List<Path> fortran = pdirs.stream().filter(p -> Files.isRegularFile(p.resolve("matrix.f"))).toList();
        if (!fortran.isEmpty()) {
            return new MadGraphOutput(dir, Format.FORTRAN_STANDALONE, fortran);
        }
        List<Path> cpp = pdirs.stream().filter(p -> Files.isRegularFile(p.resolve("CPPProcess.cc"))).toList();
        if (!cpp.isEmpty()) {
            return new MadGraphOutput(dir, Format.CPP_STANDALONE, cpp);
        }
        throw new InputException(SourcePosition.of(sub.toString(), 0), "no subprocess directory (P*/matrix.f or P*/CPPProcess.cc) found");
    }

    /** The subprocess directory called {@code name}, or the only one when name is null. */
    public Path subprocess(String name) {
        if (name == null) {
            if (subprocesses.size() != 1) {
                throw new InputException(SourcePosition.of(root.resolve("SubProcesses").toString(), 0),
                        "several subprocesses (" + names() + "): choose one with --subprocess");
            }
            return subprocesses.get(0);
        }
        for (Path p : subprocesses) {
            if (p.getFileName().toString().equals(name)) {
                return p;
            }
        }
        throw new InputException(SourcePosition.of(root.resolve("SubProcesses").toString(), 0),
                "no subprocess '" + name + "' (have: " + names() + ")");
    }

    public String names() {
        return String.join(", ", subprocesses.stream().map(p -> p.getFileName().toString()).toList());
    }

    public Path paramCard() {
        return root.resolve("Cards").resolve("param_card.dat");
    }
}
