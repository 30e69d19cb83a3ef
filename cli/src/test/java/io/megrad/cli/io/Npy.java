package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small reader of {@code .npy} files (format 1.0, C order), strict about what numpy needs. */
record Npy(String descr, long[] shape, ByteBuffer data) {
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([^']+)', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\} *\n");

    static Npy read(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        all.get(magic);
        assertEquals("\u0093NUMPY", new String(magic, StandardCharsets.ISO_8859_1), file + " magic");
        assertEquals(1, all.get(), "major version");
        assertEquals(0, all.get(), "minor version");
        int headerLength = Short.toUnsignedInt(all.getShort());
        assertEquals(0, (10 + headerLength) % 64, "header padded to 64 bytes");
        byte[] header = new byte[headerLength];
        all.get(header);
        String text = new String(header, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(text);
        assertTrue(m.matches(), "header: " + text);
        long[] shape = Arrays.stream(m.group(2).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        if (shape.length == 1) {
            assertTrue(m.group(2).endsWith(","), "a 1-d shape is written (n,)");
        }
        Npy npy = new Npy(m.group(1), shape, all.slice().order(ByteOrder.LITTLE_ENDIAN));
        assertEquals(npy.elements() * npy.itemSize(), npy.data.remaining(), file + ": data size");
        return npy;
    }

    long elements() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    int itemSize() {
        return switch (descr.charAt(1)) {
            case 'f' -> Integer.parseInt(descr.substring(2));
            case 'i' -> Integer.parseInt(descr.substring(2));
            case 'U' -> 4 * Integer.parseInt(descr.substring(2));
            default -> throw new AssertionError("descr " + descr);
        };
    }

    double[] doubles() {
        assertEquals("<f8", descr);
        double[] values = new double[(int) elements()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    byte[] bytes() {
        assertEquals("|i1", descr);
        byte[] values = new byte[(int) elements()];
        data.duplicate().get(values);
        return values;
    }

    String[] strings() {
        assertTrue(descr.startsWith("<U"), descr);
        int width = Integer.parseInt(descr.substring(2));
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        String[] values = new String[(int) elements()];
        for (int i = 0; i < values.length; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < width; k++) {
                int cp = b.getInt();
                if (cp != 0) {
                    s.appendCodePoint(cp);
                }
            }
            values[i] = s.toString();
        }
        return values;
    }
}
