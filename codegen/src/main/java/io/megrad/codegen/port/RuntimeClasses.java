package io.megrad.codegen.port;

import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.InternalException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled megrad runtime classes a generated library needs, found as the transitive closure
 * of the {@code io.megrad.runtime} classes its own class files name. Copying class files (read
 * back from this JVM's class loader) rather than recompiling sources ships exactly the runtime
 * megrad itself ran, and needs no sources in megrad's jar.
 */
final class RuntimeClasses {
    private static final String PREFIX = "io/megrad/runtime/";
    private static final Pattern NAME = Pattern.compile("io/megrad/runtime/[A-Za-z0-9_$/]+");

    private RuntimeClasses() {
    }

    /**
     * @param classFiles the library's own class files (binary name with slashes → bytes)
     * @return every runtime class they need, directly or indirectly (binary name with slashes → bytes)
     */
    static Map<String, byte[]> closure(Map<String, byte[]> classFiles) {
        Map<String, byte[]> found = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        for (byte[] bytes : classFiles.values()) {
            pending.addAll(referencedRuntimeNames(bytes));
        }
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (found.containsKey(name)) {
                continue;
            }
            byte[] bytes = load(name);
            if (bytes == null) {
                // A name such as a package prefix inside a string constant: not a class.
                continue;
            }
            found.put(name, bytes);
            pending.addAll(referencedRuntimeNames(bytes));
        }
        return found;
    }

    private static byte[] load(String name) {
        ClassLoader loader = GeneratedProcess.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new InternalException("cannot read the runtime class " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runtime class names in the constant pool: class entries and the descriptors and signatures
     * that mention a class only by name (a parameter type is loaded when a method is verified).
     */
    static java.util.Set<String> referencedRuntimeNames(byte[] classFile) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new InternalException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = NAME.matcher(in.readUTF());
                        while (m.find()) {
                            names.add(m.group());
                        }
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // longs and doubles take two constant-pool slots
                    }
                    default -> throw new InternalException("unknown constant-pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new InternalException("malformed class file: " + e.getMessage(), e);
        }
        names.removeIf(n -> !n.startsWith(PREFIX) || n.endsWith("/"));
        return names;
    }
}
