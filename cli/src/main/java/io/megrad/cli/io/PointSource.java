package io.megrad.cli.io;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A stream of points read one at a time, so inputs of any size run in constant memory.
 * {@link #hasNext()} and {@link #next()} throw {@link io.megrad.runtime.InputException} (one line
 * naming the input, the point index, the line where known and the bad value) when the input is
 * malformed.
 *
 * <pre>{@code
 * try (PointSource points = PointSources.open("points.csv", null, 4)) {
 *     while (points.hasNext()) {
 *         Point p = points.next();
 *         ...
 *     }
 * }
 * }</pre>
 */
public interface PointSource extends Iterator<Point>, Closeable {
    /** The file name (or {@code <stdin>}) used in error messages. */
    String sourceName();

    /**
     * From now on, a point whose values are bad (not finite, not a number, wrong counts) is not an
     * error: it is reported to {@code onSkip} (its one-line message names the point index and line)
     * and skipped, and reading goes on. A broken file structure is still an error. Sources that
     * cannot resume after a bad point keep throwing.
     */
    default void skipBadPoints(java.util.function.Consumer<io.megrad.runtime.InputException> onSkip) {
    }

    /** Releases the input; never throws, as there is nothing a caller could do about it. */
    @Override
    void close();
}
