package io.megrad.cli.io;

import java.io.IOException;

/** Where a {@link ResultWriter} puts its points: a text document, or a directory of NPY files. */
sealed interface ResultOutput permits TextOutput, NpyOutput {
    /** Appends a point checked against the shape; I/O failures are {@link io.megrad.runtime.UsageException}s. */
    void point(long index, PointResult p, boolean finite);

    /** Finishes the output and makes it appear under its name. */
    void commit() throws IOException;

    /** Gives the output up: nothing written so far remains. Never throws. */
    void abandon();

    /** The name of the output in messages. */
    String shownName();
}
