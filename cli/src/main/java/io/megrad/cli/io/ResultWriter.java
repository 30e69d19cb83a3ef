package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes |M|² and its gradient point by point, as JSON or CSV, to a file or standard output.
 *
 * <pre>{@code
 * try (ResultWriter out = ResultWriter.open("result.json", "json", "P1_gg_ttx", List.of("p3.E", "MASS:6"))) {
 *     for (...) {
 *         out.write(me, grad);
 *     }
 *     out.commit();
 * }
 * }</pre>
 *
 * <p>A file appears only on {@link #commit()}: the document goes to a hidden temporary file in the
 * target's directory, which {@code commit} renames onto the target atomically, and {@link #close()}
 * without {@code commit} deletes. A run that fails half-way thus leaves no partial result (and an
 * older file of that name untouched) that a later step could mistake for a complete one. On
 * standard output that is not possible: what was written stays written, but a document closed
 * without {@code commit} lacks its closing part, so a JSON reader rejects it.
 *
 * <p>JSON: {@code {"subprocess": NAME, "wrt": [names], "points": [{"me": v, "grad": [v, ...]}, ...]}}
 * with NaN and infinities as {@code null}; CSV: header {@code me,<names>}, one row per point.
 * Numbers are written with full round-trip precision ({@link Double#toString}).
 */
public final class ResultWriter implements Closeable {
    private final Writer out;
    private final ResultLayout layout;
    private final int width;
    private final Path temp;
    private final Path target;
    private final StringBuilder buffer = new StringBuilder(256);
    private long count;
    private boolean committed;
    private boolean closed;

    private ResultWriter(Writer out, ResultLayout layout, int width, Path temp, Path target) {
        this.out = out;
        this.layout = layout;
        this.width = width;
        this.temp = temp;
        this.target = target;
    }

    /**
     * Opens a result document on {@code outPathOrNull}, or standard output for null or {@code -}.
     *
     * @param format {@code json} or {@code csv} (any case); null means json
     * @param subprocess the subprocess name written in the JSON header
     * @param wrtNames names of the gradient columns, in the order of every {@code grad} array
     * @throws UsageException when the format is unknown or the file cannot be created
     */
    public static ResultWriter open(String outPathOrNull, String format, String subprocess, List<String> wrtNames) {
        return open(outPathOrNull, format, subprocess, wrtNames, System.out);
    }

    /** As {@link #open(String, String, String, List)}, writing to {@code stdout} (never closed) for null or {@code -}. */
    public static ResultWriter open(String outPathOrNull, String format, String subprocess, List<String> wrtNames,
            OutputStream stdout) {
        ResultLayout layout = ResultLayout.of(format == null ? PointFormat.JSON : PointFormat.named(format, "--format"));
        List<String> names = List.copyOf(wrtNames);
        ResultWriter writer;
        if (outPathOrNull == null || outPathOrNull.equals("-")) {
            writer = new ResultWriter(writerOn(new OutputStreamWriter(stdout, StandardCharsets.UTF_8) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output outlives one result document
                }
            }), layout, names.size(), null, null);
        } else {
            Path target = Path.of(outPathOrNull).toAbsolutePath();
            Path temp = createTemp(target, outPathOrNull);
            try {
                writer = new ResultWriter(writerOn(Files.newBufferedWriter(temp, StandardCharsets.UTF_8)),
                        layout, names.size(), temp, target);
            } catch (IOException e) {
                deleteQuietly(temp);
                throw cannotWrite(outPathOrNull, e);
            }
        }
        try {
            writer.layout.begin(writer.buffer, subprocess, names);
            writer.flushBuffer();
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    private static Writer writerOn(Writer writer) {
        return new BufferedWriter(writer, 1 << 16);
    }

    private static Path createTemp(Path target, String shownName) {
        if (Files.isDirectory(target)) {
            throw new UsageException("cannot write results to " + shownName + ": it is a directory");
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new UsageException("cannot write results to " + shownName + ": directory " + dir + " does not exist");
        }
        // Not Files.createTempFile: it makes the file private (0600), and the result would keep
        // that mode after the rename; createFile leaves the mode to the user's umask.
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = dir.resolve("." + target.getFileName() + "." + suffix + ".tmp");
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

    /**
     * Appends one point.
     *
     * @param grad derivatives in the order of the wrt names; length 0 when there are none
     */
    public void write(double me, double[] grad) {
        if (committed || closed) {
            throw new IllegalStateException("result document already " + (committed ? "committed" : "closed"));
        }
        if (grad.length != width) {
            throw new IllegalArgumentException("grad has " + grad.length + " values, expected " + width + " (one per wrt name)");
        }
        layout.point(buffer, count++, me, grad);
        flushBuffer();
    }

    /** Finishes the document and, for a file, moves it onto the target. */
    public void commit() {
        if (committed) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("result document closed before commit");
        }
        layout.end(buffer);
        flushBuffer();
        try {
            out.close();
            closed = true;
            if (temp != null) {
                moveOntoTarget();
            }
            committed = true;
        } catch (IOException e) {
            close();
            throw cannotWrite(target == null ? "standard output" : target.toString(), e);
        }
    }

    private void moveOntoTarget() throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // The temp file is in the same directory, so this is rare (some network file systems).
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Without a prior {@link #commit()}: abandons the document, deleting the temporary file. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // The document is being abandoned; its temp file goes next.
            }
        }
        if (!committed && temp != null) {
            deleteQuietly(temp);
        }
    }

    /** Number of points written so far. */
    public long count() {
        return count;
    }

    private void flushBuffer() {
        try {
            out.append(buffer);
        } catch (IOException e) {
            throw cannotWrite(target == null ? "standard output" : target.toString(), e);
        } finally {
            buffer.setLength(0);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing better to do; deleteOnExit gets another chance.
        }
    }

    private static UsageException cannotWrite(String name, IOException e) {
        return new UsageException("cannot write results to " + name + ": " + describe(e));
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
