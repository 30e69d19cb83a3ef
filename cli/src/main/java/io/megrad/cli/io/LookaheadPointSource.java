package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.io.IOException;
import java.io.Reader;
import java.util.NoSuchElementException;
import java.util.function.IntSupplier;

/**
 * The iterator protocol over a reader that can only tell whether another point exists by trying to
 * read it: {@link #readNext()} is called once per point, from {@code hasNext()}.
 */
abstract class LookaheadPointSource implements PointSource {
    static final String[] COMPONENTS = {"E", "px", "py", "pz"};

    private final String sourceName;
    private final Reader input;
    private Point pending;
    private boolean exhausted;
    private java.util.function.Consumer<InputException> onSkip;
    /** With skipping on: the first problem of the point being read, reported once it is read whole. */
    private InputException problem;

    LookaheadPointSource(String sourceName, Reader input) {
        this.sourceName = sourceName;
        this.input = input;
    }

    static int checkedExternal(int nExternal) {
        if (nExternal < 1) {
            throw new IllegalArgumentException("nExternal must be at least 1, was " + nExternal);
        }
        return nExternal;
    }

    /** The next point, or null at the end of the input. */
    abstract Point readNext() throws IOException;

    /** The line reading has reached, for messages; 0 when not known. */
    int currentLine() {
        return 0;
    }

    @Override
    public final void skipBadPoints(java.util.function.Consumer<InputException> onSkip) {
        this.onSkip = onSkip;
    }

    @Override
    public final boolean hasNext() {
        while (pending == null && !exhausted) {
            try {
                pending = readNext();
            } catch (IOException e) {
                // Mostly a gzip stream cut short: say how far the text got, as for a syntax error.
                throw new InputException(SourcePosition.of(sourceName, currentLine()), "cannot read: " + e.getMessage()
                        + " (a truncated or damaged file?)");
            }
            exhausted = pending == null;
            if (problem != null) {
                onSkip.accept(problem);
                problem = null;
                pending = null;
            }
        }
        return pending != null;
    }

    /**
     * A bad value in the point being read: thrown, or with skipping on noted (the first one) so
     * that the reader finishes the point and {@link #hasNext()} drops it.
     */
    final void fail(InputException e) {
        if (onSkip == null) {
            throw e;
        }
        if (problem == null) {
            problem = e;
        }
    }

    @Override
    public final Point next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more points in " + sourceName);
        }
        Point point = pending;
        pending = null;
        return point;
    }

    @Override
    public final String sourceName() {
        return sourceName;
    }

    @Override
    public final void close() {
        exhausted = true;
        pending = null;
        try {
            input.close();
        } catch (IOException ignored) {
            // Reading is over; a failing close of an input cannot lose data.
        }
    }

    /** A one-line error about point {@code index}: {@code file:line: point index N: detail}. */
    final InputException error(int line, long index, String detail) {
        return new InputException(SourcePosition.of(sourceName, line), "point index " + index + ": " + detail);
    }

    /**
     * The checked value of one momentum component; {@code particle} 0-based. The line is asked for
     * only when there is an error, as finding it can cost more than reading the number.
     */
    final double component(IntSupplier line, long index, int particle, int mu, String text) {
        if (!Numbers.looksNumeric(text)) {
            fail(error(line.getAsInt(), index, componentName(particle, mu) + ": '" + text + "' is not a number"));
            return Double.NaN;
        }
        double value = Numbers.parse(text);
        if (!Double.isFinite(value)) {
            fail(error(line.getAsInt(), index, componentName(particle, mu) + ": value " + text + " is not finite"));
        }
        return value;
    }

    /** {@code particle 2 px}, for messages; {@code particle} 0-based. */
    static String componentName(int particle, int mu) {
        return "particle " + (particle + 1) + " " + COMPONENTS[mu];
    }
}
