package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files that appear only when complete: written under a hidden temporary name in the
 * target's directory, then renamed onto the target.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    /** {@code .NAME.PID-RANDOM.tmp}: the process id lets a later run recognise what a killed run left. */
    private static String tempName(String name) {
        return "." + name + "." + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /**
     * Deletes temporary files for {@code name} left by megrad processes that no longer run (a run
     * killed with SIGKILL cannot clean up after itself). Files of live processes are left alone.
     */
    private static void removeOrphans(Path dir, String name) {
        String prefix = "." + name + ".";
        try (var files = Files.newDirectoryStream(dir, entry -> {
            String f = entry.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path f : files) {
                String middle = f.getFileName().toString().substring(prefix.length());
                int dash = middle.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(middle.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(f);
                    }
                } catch (NumberFormatException e) {
                    // Not one of ours.
                }
            }
        } catch (IOException e) {
            // Clean-up is best effort; the run itself does not depend on it.
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Checks that {@code target}'s directory exists; {@code shownName} is the name the user gave. */
    static void checkParent(Path target, String shownName) {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new UsageException("cannot write results to " + shownName + ": directory " + dir + " does not exist");
        }
    }

    /**
     * A new empty file {@code .NAME.RANDOM.tmp} in {@code dir}, deleted at JVM exit unless renamed
     * before. Not {@link Files#createTempFile}: it makes the file private (0600), and the result
     * would keep that mode after the rename; createFile leaves the mode to the user's umask.
     */
    static Path createTemp(Path dir, String name, String shownName) {
        removeOrphans(dir, name);
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(tempName(name));
            try {
                Files.createFile(temp);
                // Also gone if the JVM is stopped (Ctrl-C) before close(): shutdown hooks still run.
                temp.toFile().deleteOnExit();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw cannotWrite(shownName, e);
                }
            } catch (IOException e) {
                throw cannotWrite(shownName, e);
            }
        }
    }

    /** As {@link #createTemp}, a directory. */
    static Path createTempDirectory(Path dir, String name, String shownName) {
        removeOrphans(dir, name);
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(tempName(name));
            try {
                Files.createDirectory(temp);
                temp.toFile().deleteOnExit(); // registered first, so deleted after the files in it
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw cannotWrite(shownName, e);
                }
            } catch (IOException e) {
                throw cannotWrite(shownName, e);
            }
        }
    }

    static void moveOntoTarget(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // The temp file is in the same directory, so this is rare (some network file systems).
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing better to do; deleteOnExit gets another chance.
        }
    }

    static UsageException cannotWrite(String name, IOException e) {
        return new UsageException("cannot write results to " + name + ": " + describe(e));
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
