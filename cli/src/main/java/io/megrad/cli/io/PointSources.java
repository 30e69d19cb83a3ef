package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UsageException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a points input by name, as {@code --points FILE --points-format json|csv} names it.
 *
 * <pre>{@code
 * try (PointSource points = PointSources.open("points.json", null, 4)) { ... }   // format from .json
 * try (PointSource points = PointSources.open("-", "csv", 5)) { ... }            // CSV on stdin
 * }</pre>
 *
 * <p>The format is {@code formatOrNull} when given; otherwise the file extension ({@code .json},
 * {@code .csv}, any case). For {@code -} (standard input) there is no extension, so the format
 * defaults to JSON, the format megrad's own outputs and Python's {@code json.dump} share.
 * Files are read as UTF-8.
 */
public final class PointSources {
    /** The name standard input has in error messages. */
    public static final String STDIN_NAME = "<stdin>";

    private PointSources() {}

    /**
     * Opens {@code pathOrDash} ({@code -} = {@link System#in}) for points of {@code nExternal}
     * particles.
     *
     * @throws UsageException when the format is unknown or cannot be told from the file name
     * @throws InputException naming the path when the file is missing or unreadable
     */
    public static PointSource open(String pathOrDash, String formatOrNull, int nExternal) {
        return open(pathOrDash, formatOrNull, nExternal, System.in);
    }

    /**
     * As {@link #open(String, String, int)}, reading {@code stdin} for {@code -}. The stream is not
     * closed with the source: it belongs to the caller.
     */
    public static PointSource open(String pathOrDash, String formatOrNull, int nExternal, InputStream stdin) {
        if (nExternal < 1) {
            throw new IllegalArgumentException("nExternal must be at least 1, was " + nExternal);
        }
        if (pathOrDash == null || pathOrDash.isBlank()) {
            throw new UsageException("no points file given: pass a file name or - for standard input");
        }
        if (pathOrDash.equals("-")) {
            PointFormat format = formatOrNull == null ? PointFormat.JSON : PointFormat.named(formatOrNull, "--points-format");
            return create(format, STDIN_NAME, new FilterInputStream(stdin) {
                @Override
                public void close() {
                    // Standard input outlives one points source.
                }
            }, nExternal);
        }
        PointFormat format = formatOrNull != null
                ? PointFormat.named(formatOrNull, "--points-format")
                : PointFormat.ofFileName(pathOrDash);
        if (format == null) {
            throw new UsageException("cannot tell the format of points file '" + pathOrDash
                    + "' from its extension: pass --points-format json or --points-format csv");
        }
        return create(format, pathOrDash, openFile(Path.of(pathOrDash)), nExternal);
    }

    private static InputStream openFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new InputException("points file " + path + " is a directory");
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new InputException("points file not found: " + path);
        } catch (AccessDeniedException e) {
            throw new InputException("points file " + path + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new InputException("cannot open points file " + path + ": " + e.getMessage());
        }
    }

    private static PointSource create(PointFormat format, String name, InputStream in, int nExternal) {
        // 64 KiB: lines of a many-particle CSV are long, and reading is the hot loop of a run.
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        return switch (format) {
            case JSON -> new JsonPointSource(name, reader, nExternal);
            case CSV -> new CsvPointSource(name, reader, nExternal);
        };
    }
}
