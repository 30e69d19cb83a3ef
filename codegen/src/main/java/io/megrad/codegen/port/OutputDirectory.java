package io.megrad.codegen.port;

import io.megrad.runtime.UsageException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An output directory that appears only when complete: it is built under a hidden temporary name
 * beside the target, then renamed onto it. A target that already holds an earlier library (it has
 * the {@value #MARKER} file) or is empty is replaced; anything else is left alone, so a mistyped
 * {@code -o} never deletes a user's directory.
 */
final class OutputDirectory implements AutoCloseable {
    /** The file that marks a directory written by {@code megrad port}. */
    static final String MARKER = ".megrad-port";

    private final Path target;
    private final Path temp;
    private boolean committed;

    private OutputDirectory(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    static OutputDirectory create(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(absolute);
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
        for (int attempt = 0; ; attempt++) {
            Path temp = parent.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.createDirectory(temp);
                return new OutputDirectory(absolute, temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw cannotWrite(target, e);
                }
            } catch (IOException e) {
                throw cannotWrite(target, e);
            }
        }
    }

    private static void checkReplaceable(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new UsageException("cannot write the library to " + target + ": it is a file");
        }
        if (Files.isRegularFile(target.resolve(MARKER))) {
            return;
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) {
                throw new UsageException("cannot write the library to " + target
                        + ": the directory is not empty and was not written by megrad port (remove it or choose another -o)");
            }
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** Where the library is being built. */
    Path path() {
        return temp;
    }

    /** Renames the finished directory onto the target, replacing an earlier library there. */
    void commit() {
        checkReplaceable(target);
        Path old = null;
        try {
            if (Files.exists(target)) {
                old = temp.resolveSibling(temp.getFileName() + ".old");
                move(target, old);
            }
            move(temp, target);
            committed = true;
        } catch (IOException e) {
            if (old != null && !Files.exists(target)) {
                try {
                    move(old, target);
                    old = null;
                } catch (IOException ignored) {
                    // The earlier library stays under its temporary name; the message says where.
                }
            }
            throw cannotWrite(target, e);
        } finally {
            if (old != null) {
                deleteTree(old);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes the temporary directory unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteTree(temp);
        }
    }

    static UsageException cannotWrite(Path target, IOException e) {
        String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UsageException("cannot write the library to " + target + ": " + why);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
