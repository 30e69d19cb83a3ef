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

    /** Releases the input; never throws, as there is nothing a caller could do about it. */
    @Override
    void close();
}
