package io.megrad.codegen;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads the bytecode length of each method of a class file (JVM spec §4), for size tests. */
final class ClassFileMethods {
    record Method(String name, int codeLength) {
    }

    private ClassFileMethods() {
    }

    /**
     * Asserts that every class file below {@code dir} (at least {@code expected} of them) keeps each
     * method under HotSpot's 8,000-byte JIT limit; constructors run once, so only the JVM's hard
     * 64 KB limit matters for them.
     */
    static void assertJitCompilable(java.nio.file.Path dir, int expected) throws IOException {
        List<java.nio.file.Path> classes;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        org.junit.jupiter.api.Assertions.assertTrue(classes.size() >= expected, classes.size() + " class files, expected " + expected);
        for (java.nio.file.Path c : classes) {
            try (InputStream in = java.nio.file.Files.newInputStream(c)) {
                for (Method m : read(in)) {
                    int limit = m.name().startsWith("<") ? 65535 : 8000;
                    org.junit.jupiter.api.Assertions.assertTrue(m.codeLength() < limit,
                            c.getFileName() + ": " + m.name() + " has " + m.codeLength() + " bytes of bytecode");
                }
            }
        }
    }

    static List<Method> read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int cpCount = in.readUnsignedShort();
        String[] utf8 = new String[cpCount];
        for (int i = 1; i < cpCount; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            skipAttributes(in);
        }
        List<Method> methods = new ArrayList<>();
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort();
            int attrs = in.readUnsignedShort();
            int code = 0;
            for (int a = 0; a < attrs; a++) {
                String attr = utf8[in.readUnsignedShort()];
                int len = in.readInt();
                byte[] body = in.readNBytes(len);
                if ("Code".equals(attr)) {
                    code = ((body[4] & 0xff) << 24) | ((body[5] & 0xff) << 16) | ((body[6] & 0xff) << 8) | (body[7] & 0xff);
                }
            }
            methods.add(new Method(name, code));
        }
        return methods;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attrs = in.readUnsignedShort();
        for (int a = 0; a < attrs; a++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt());
        }
    }
}
