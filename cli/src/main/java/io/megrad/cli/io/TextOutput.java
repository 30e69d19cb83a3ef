package io.megrad.cli.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JSON, JSONL or CSV document on a file (through a temporary file) or standard output. */
final class TextOutput implements ResultOutput {
    private final Writer out;
    private final ResultLayout layout;
    private final Path temp;
    private final Path target;
    private final StringBuilder buffer = new StringBuilder(256);
    private boolean closed;

    private TextOutput(Writer out, ResultLayout layout, Path temp, Path target) {
        this.out = out;
        this.layout = layout;
        this.temp = temp;
        this.target = target;
    }

    /** Opens on {@code outPathOrNull}, or {@code stdout} (never closed) for null or {@code -}; writes the beginning. */
    static TextOutput open(String outPathOrNull, ResultLayout layout, OutputStream stdout) {
        TextOutput output;
        if (outPathOrNull == null || outPathOrNull.equals("-")) {
            output = new TextOutput(buffered(new OutputStreamWriter(stdout, StandardCharsets.UTF_8) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output outlives one result document
                }
            }), layout, null, null);
        } else {
            Path target = Path.of(outPathOrNull).toAbsolutePath();
            if (Files.isDirectory(target)) {
                throw new io.megrad.runtime.UsageException("cannot write results to " + outPathOrNull + ": it is a directory");
            }
            AtomicFiles.checkParent(target, outPathOrNull);
            Path temp = AtomicFiles.createTemp(target.getParent(), target.getFileName().toString(), outPathOrNull);
            try {
                output = new TextOutput(buffered(Files.newBufferedWriter(temp, StandardCharsets.UTF_8)), layout, temp, target);
            } catch (IOException e) {
                AtomicFiles.deleteQuietly(temp);
                throw AtomicFiles.cannotWrite(outPathOrNull, e);
            }
        }
        try {
            layout.begin(output.buffer);
            output.flushBuffer();
        } catch (RuntimeException e) {
            output.abandon();
            throw e;
        }
        return output;
    }

    private static Writer buffered(Writer writer) {
        return new BufferedWriter(writer, 1 << 16);
    }

    @Override
    public void point(long index, PointResult p, boolean finite) {
        try {
            layout.point(buffer, index, p, finite);
        } catch (RuntimeException e) {
            buffer.setLength(0); // nothing of a refused point is written
            throw e;
        }
        flushBuffer();
    }

    @Override
    public void commit() throws IOException {
        layout.end(buffer);
        flushBuffer();
        closed = true;
        out.close();
        if (temp != null) {
            AtomicFiles.moveOntoTarget(temp, target);
        }
    }

    @Override
    public void abandon() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // The document is being abandoned; its temp file goes next.
            }
        }
        if (temp != null) {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    @Override
    public String shownName() {
        return target == null ? "standard output" : target.toString();
    }

    private void flushBuffer() {
        try {
            out.append(buffer);
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(shownName(), e);
        } finally {
            buffer.setLength(0);
        }
    }
}
