package io.megrad.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code .npy} file (format version 1.0) written row by row, when the number of rows is known
 * only at the end. The header is written first with room for any row count and rewritten in place,
 * padded to the same length, by {@link #finish}: the data is never copied.
 *
 * <p>Non-finite doubles are written as NaN, the one marker numpy users test for
 * ({@code np.isnan}); an infinity in a result array would read as a number.
 */
final class NpyArray {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    final String fileName;
    final Path file;
    private final String descr;
    private final int[] rowShape;
    private final int headerLength;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param file an existing empty file, written from the start
     * @param fileName the final name ({@code me.npy}), for messages
     * @param descr numpy's type string: {@code <f8}, {@code |i1}, {@code <U12}
     * @param rowShape the shape of one row: none for {@code [n]}, {@code {k}} for {@code [n, k]}
     */
    NpyArray(Path file, String fileName, String descr, int... rowShape) throws IOException {
        this.file = file;
        this.fileName = fileName;
        this.descr = descr;
        this.rowShape = rowShape.clone();
        this.headerLength = padded(headerText(Long.MAX_VALUE).length());
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        buffer.put(header(0)); // a valid empty array until finished
    }

    void putDouble(double value) throws IOException {
        room(8).putDouble(Double.isFinite(value) ? value : Double.NaN);
    }

    void putByte(byte value) throws IOException {
        room(1).put(value);
    }

    void putInt(int value) throws IOException {
        room(4).putInt(value);
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
        return buffer;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes what is buffered, the header for {@code rows} rows, and closes the file. */
    void finish(long rows) throws IOException {
        drain();
        ByteBuffer header = ByteBuffer.wrap(header(rows));
        long position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        channel.force(false);
        channel.close();
    }

    /** Where the data starts in the file. */
    int dataOffset() {
        return headerLength;
    }

    /** Closes without finishing; never throws. */
    void abandon() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The file is deleted next.
        }
    }

    private byte[] header(long rows) {
        String dict = headerText(rows);
        StringBuilder text = new StringBuilder(dict);
        while (MAGIC.length + 2 + text.length() + 1 < headerLength) {
            text.append(' ');
        }
        text.append('\n');
        byte[] dictBytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) dictBytes.length).put(dictBytes);
        return out.array();
    }

    private String headerText(long rows) {
        StringBuilder shape = new StringBuilder("(").append(rows);
        if (rowShape.length == 0) {
            shape.append(',');
        }
        for (int d : rowShape) {
            shape.append(", ").append(d);
        }
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape.append("), }");
    }

    /** The whole header (magic, version, length, text and newline) rounded up to 64 bytes. */
    private static int padded(int textLength) {
        int total = MAGIC.length + 2 + textLength + 1;
        return (total + 63) / 64 * 64;
    }
}
