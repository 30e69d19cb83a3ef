package io.megrad.fuzz;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The MadGraph corpus as fuzzing seeds, found as {@code physics-processes}' {@code Corpus} finds it:
 * {@code $MEGRAD_CORPUS}, else {@code ../shared/madgraph} next to the repository. Without a corpus
 * the seeds are empty and corpus-based properties are skipped with a message, except under
 * {@code CI=true}, where that is a failure. Files are read in place, never written.
 */
public final class FuzzCorpus {
    private FuzzCorpus() {
    }

    /** The corpus root, or null when there is none (see {@link #require()}). */
    public static Path find() {
        String env = System.getenv("MEGRAD_CORPUS");
        Path[] candidates = env != null && !env.isBlank()
                ? new Path[]{Path.of(env)}
                : new Path[]{Path.of("..", "..", "shared", "madgraph"), Path.of("..", "shared", "madgraph")};
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("README.md"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The corpus root; skips the calling test without a corpus (fails it under {@code CI=true}). */
    public static Path require() {
        Path root = find();
        if (root == null) {
            String msg = "MadGraph corpus not found (set MEGRAD_CORPUS or put it in ../shared/madgraph)";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return root;
    }

    /** The corpus's files whose path (relative to the root, '/'-separated) matches; empty without a corpus. */
    public static List<Path> files(Predicate<String> relativePath) {
        Path root = find();
        if (root == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> relativePath.test(root.relativize(p).toString().replace('\\', '/')))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The texts of {@link #files}, read as Latin-1 (every byte is a character), with their names. */
    public static List<Seed> texts(Predicate<String> relativePath) {
        List<Seed> out = new ArrayList<>();
        for (Path p : files(relativePath)) {
            try {
                out.add(new Seed(find().relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A seed input: where it came from, and its text. */
    public record Seed(String name, String text) {
        @Override
        public String toString() {
            return name + " (" + text.length() + " chars)";
        }
    }

    /** Copies a directory tree (the corpus is never written: mutations go to the copy). */
    public static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
