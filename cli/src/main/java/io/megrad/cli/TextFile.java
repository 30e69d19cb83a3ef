package io.megrad.cli;

import io.megrad.runtime.UsageException;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A text output that appears only when complete: written to a temporary file beside the target and
 * renamed on {@link #commit()}; closing without commit deletes it. Null or {@code -} is stdout.
 */
final class TextFile implements Closeable {
    private final Path target;
    private final Path temp;
    private final Writer writer;
    private boolean committed;

    private TextFile(Path target, Path temp, Writer writer) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
    }

    static TextFile open(String path) throws IOException {
        if (path == null || path.equals("-")) {
            return new TextFile(null, null, new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        }
        Path target = Path.of(path).toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("cannot write " + path + ": no such directory " + dir);
        }
        // Not createTempFile: its file is private (0600) and would stay so after the rename.
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        Files.createFile(temp);
        temp.toFile().deleteOnExit();
        return new TextFile(target, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8));
    }

    Writer writer() {
        return writer;
    }

    void commit() throws IOException {
        writer.flush();
        if (target != null) {
            writer.close();
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (target == null) {
            writer.flush();
            return;
        }
        writer.close();
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
