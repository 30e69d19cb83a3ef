package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UsageException;
import java.io.BufferedInputStream;
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
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Opens a points input by name, as {@code --points FILE --points-format json|csv|lhe} names it.
 *
 * <pre>{@code
 * try (PointSource points = PointSources.open("points.json", null, 4)) { ... }   // format from .json
 * try (PointSource points = PointSources.open("-", "csv", 5)) { ... }            // CSV on stdin
 * Subprocess gg = new Subprocess("P1_gg_ttx", 2, new int[] {21, 21, 6, -6});
 * try (PointSource points = PointSources.open("events.lhe.gz", null, gg)) { ... } // LHE, matched to gg
 * try (PointSource points = PointSources.open("events.lhe", null, allSubprocesses)) {
 *     Point p = points.next();   // p.subprocess() names the subprocess the event matched
 * }
 * }</pre>
 *
 * <p>The format is {@code formatOrNull} when given; otherwise the file extension ({@code .json},
 * {@code .csv}, {@code .lhe}, any case, also followed by {@code .gz}). For {@code -} (standard
 * input) there is no extension, so the format defaults to JSON, the format megrad's own outputs
 * and Python's {@code json.dump} share. Gzipped input, file or standard input, is recognised by its
 * first two bytes and decompressed as it is read. Files are read as UTF-8.
 *
 * <p>LHE events are matched to subprocesses by their particles ({@link LheMatcher}), so reading
 * them needs the {@link Subprocess} overloads. Those also set {@link Point#subprocess()} on the
 * points of JSON and CSV inputs, which must then be opened for a single subprocess: their points
 * do not say which one they belong to.
 */
public final class PointSources {
    /** The name standard input has in error messages. */
    public static final String STDIN_NAME = "<stdin>";

    private PointSources() {}

    /**
     * Opens {@code pathOrDash} ({@code -} = {@link System#in}) for JSON or CSV points of
     * {@code nExternal} particles.
     *
     * @throws UsageException when the format is unknown, cannot be told from the file name, or is
     *     LHE (which needs the subprocesses' PDG codes)
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
        return open(pathOrDash, formatOrNull, nExternal, null, stdin);
    }

    /**
     * Opens points of one subprocess: JSON or CSV points of its particle count, or LHE events
     * matched against its PDG codes (an event with other particles is an {@link InputException}).
     * Every point carries the subprocess's name.
     */
    public static PointSource open(String pathOrDash, String formatOrNull, Subprocess subprocess) {
        return open(pathOrDash, formatOrNull, List.of(subprocess), System.in);
    }

    /**
     * Opens points that may belong to any of {@code subprocesses}: LHE events are matched to them
     * ({@link LheMatcher}); JSON and CSV need exactly one subprocess. Every point carries the name of
     * its subprocess.
     *
     * @throws UsageException as {@link #open(String, String, int)}, and for JSON or CSV with more
     *     than one subprocess
     */
    public static PointSource open(String pathOrDash, String formatOrNull, List<Subprocess> subprocesses) {
        return open(pathOrDash, formatOrNull, subprocesses, System.in);
    }

    /** As {@link #open(String, String, List)}, reading {@code stdin} (not closed) for {@code -}. */
    public static PointSource open(String pathOrDash, String formatOrNull, List<Subprocess> subprocesses,
            InputStream stdin) {
        if (subprocesses.isEmpty()) {
            throw new IllegalArgumentException("no subprocesses given");
        }
        return open(pathOrDash, formatOrNull, 0, List.copyOf(subprocesses), stdin);
    }

    /** {@code subprocesses} null: points of {@code nExternal} particles without a subprocess name. */
    private static PointSource open(String pathOrDash, String formatOrNull, int nExternal,
            List<Subprocess> subprocesses, InputStream stdin) {
        if (pathOrDash == null || pathOrDash.isBlank()) {
            throw new UsageException("no points file given: pass a file name or - for standard input");
        }
        boolean isStdin = pathOrDash.equals("-");
        PointFormat format = formatOrNull != null
                ? PointFormat.named(formatOrNull, "--points-format")
                : isStdin ? PointFormat.JSON : PointFormat.ofFileName(pathOrDash);
        if (format == null) {
            throw new UsageException("cannot tell the format of points file '" + pathOrDash
                    + "' from its extension: pass --points-format json, csv or lhe");
        }
        String name = isStdin ? STDIN_NAME : pathOrDash;
        if (subprocesses == null && format == PointFormat.LHE) {
            throw new UsageException("cannot read points from LHE file " + name
                    + " here: matching its events needs the subprocesses' PDG codes");
        }
        if (subprocesses != null && format != PointFormat.LHE && subprocesses.size() > 1) {
            throw new UsageException("the points in " + name + " (" + format.name().toLowerCase(java.util.Locale.ROOT)
                    + ") do not say which of " + subprocesses.size()
                    + " subprocesses they belong to: choose one with --subprocess");
        }
        InputStream in = isStdin
                ? new FilterInputStream(stdin) {
                    @Override
                    public void close() {
                        // Standard input outlives one points source.
                    }
                }
                : openFile(Path.of(pathOrDash), "points file");
        // 64 KiB: lines of a many-particle CSV are long, and reading is the hot loop of a run.
        BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(in, name),
                StandardCharsets.UTF_8), 1 << 16);
        return switch (format) {
            case LHE -> new LhePointSource(name, reader, new LheMatcher(subprocesses));
            case JSON -> named(new JsonPointSource(name, reader, external(nExternal, subprocesses)), subprocesses);
            case CSV -> named(new CsvPointSource(name, reader, external(nExternal, subprocesses)), subprocesses);
        };
    }

    private static int external(int nExternal, List<Subprocess> subprocesses) {
        return subprocesses == null ? nExternal : subprocesses.get(0).nExternal();
    }

    private static PointSource named(PointSource source, List<Subprocess> subprocesses) {
        return subprocesses == null ? source : new Named(source, subprocesses.get(0).name());
    }

    /** Opens a file for reading; {@code what} names it in messages ("points file"). */
    static InputStream openFile(Path path, String what) {
        if (Files.isDirectory(path)) {
            throw new InputException(what + " " + path + " is a directory");
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new InputException(what + " not found: " + path);
        } catch (AccessDeniedException e) {
            throw new InputException(what + " " + path + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new InputException("cannot open " + what + " " + path + ": " + e.getMessage());
        }
    }

    /**
     * {@code in}, decompressed when it starts with gzip's magic bytes {@code 1f 8b}, which no JSON,
     * CSV or LHE text starts with. Concatenated gzip members (as {@code cat a.gz b.gz}) are read on.
     */
    static InputStream decompressed(InputStream in, String name) {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        try {
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            if (first != 0x1f || second != 0x8b) {
                return buffered;
            }
            return new GZIPInputStream(buffered, 1 << 16);
        } catch (IOException e) {
            try {
                buffered.close();
            } catch (IOException ignored) {
                // Already failing.
            }
            throw new InputException("cannot read " + name + ": " + e.getMessage());
        }
    }

    /** Sets the one subprocess's name on points that do not carry one. */
    private static final class Named implements PointSource {
        private final PointSource source;
        private final String subprocess;

        Named(PointSource source, String subprocess) {
            this.source = source;
            this.subprocess = subprocess;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public Point next() {
            Point p = source.next();
            return new Point(p.index(), p.line(), p.momenta(), subprocess);
        }

        @Override
        public String sourceName() {
            return source.sourceName();
        }

        @Override
        public void skipBadPoints(java.util.function.Consumer<InputException> onSkip) {
            source.skipBadPoints(onSkip);
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
