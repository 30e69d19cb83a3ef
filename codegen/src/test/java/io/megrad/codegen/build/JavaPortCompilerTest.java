package io.megrad.codegen.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compile cache under concurrent builds, damaged entries and cleaning. */
class JavaPortCompilerTest {
    @TempDir
    Path tmp;

    /** A small class with a nested class, so an entry has more than one class file. */
    private static String source(String className, int value) {
        return "package " + JavaPortCompiler.PACKAGE + ";\n"
                + "public final class " + className + " implements java.util.function.IntSupplier {\n"
                + "    private static final class Half { static int of(int x) { return x / 2; } }\n"
                + "    public int getAsInt() { return Half.of(" + 2 * value + "); }\n"
                + "}\n";
    }

    private static int run(Class<?> c) throws Exception {
        return ((IntSupplier) c.getDeclaredConstructor().newInstance()).getAsInt();
    }

    private static List<Path> entries(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache.resolve("java"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void concurrentBuildsInOneJvmShareOneEntry() throws Exception {
        Path cache = tmp.resolve("cache");
        int n = 4;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Class<?>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // A compiler each, as separate runs would have; each loads into its own class loader.
                Callable<Class<?>> build = () -> {
                    start.await();
                    return new JavaPortCompiler(cache).compile("Shared", source("Shared", 7));
                };
                results.add(pool.submit(build));
            }
            List<Class<?>> classes = new ArrayList<>();
            for (Future<Class<?>> f : results) {
                Class<?> c = f.get(120, TimeUnit.SECONDS);
                assertEquals(7, run(c));
                classes.add(c);
            }
            assertNotSame(classes.get(0).getClassLoader(), classes.get(1).getClassLoader());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, entries(cache).size(), "one entry, no leftover build directories: " + entries(cache));
    }

    @Test
    void twoProcessesBuildingTheSameEntryBothSucceedAndShareIt() throws Exception {
        Path cache = tmp.resolve("cache");
        Path src = tmp.resolve("Both.java");
        Files.writeString(src, source("Both", 21), StandardCharsets.UTF_8);
        Path go = tmp.resolve("go");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CompileOnce.class.getName(), cache.toString(), "Both", src.toString(), go.toString())
                    .redirectErrorStream(true).start());
        }
        Thread.sleep(1500); // both JVMs up and polling
        Files.createFile(go);
        for (Process p : processes) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.exitValue(), output);
            assertEquals("21", output);
        }
        assertEquals(1, entries(cache).size(), "one shared entry: " + entries(cache));
        assertEquals(21, run(new JavaPortCompiler(cache).compile("Both", source("Both", 21))));
    }

    /** Ways a cache entry gets damaged: a disk filling up, a killed copy, a stray edit. */
    enum Damage {
        TRUNCATED_CLASS_FILE, ALTERED_BYTE, MISSING_NESTED_CLASS, MISSING_MANIFEST, MANIFEST_CUT_AT_A_LINE, EMPTY_ENTRY
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedEntryIsDetectedAndRebuilt(Damage damage) throws Exception {
        Path cache = tmp.resolve("cache");
        assertEquals(3, run(new JavaPortCompiler(cache).compile("Hurt", source("Hurt", 3))));
        Path entry = entries(cache).get(0);
        Path dir = entry.resolve(JavaPortCompiler.PACKAGE.replace('.', '/'));
        Path main = dir.resolve("Hurt.class");
        Path manifest = entry.resolve(JavaPortCompiler.MANIFEST);
        byte[] good = Files.readAllBytes(main);
        switch (damage) {
            case TRUNCATED_CLASS_FILE -> Files.write(main, java.util.Arrays.copyOf(good, good.length / 2));
            case ALTERED_BYTE -> {
                byte[] bad = good.clone();
                bad[bad.length - 3] ^= 0x10;
                Files.write(main, bad);
            }
            case MISSING_NESTED_CLASS -> Files.delete(dir.resolve("Hurt$Half.class"));
            case MISSING_MANIFEST -> Files.delete(manifest);
            case MANIFEST_CUT_AT_A_LINE -> {
                List<String> lines = Files.readAllLines(manifest);
                Files.write(manifest, lines.subList(0, lines.size() - 2));
            }
            case EMPTY_ENTRY -> {
                try (Stream<Path> s = Files.walk(entry)) {
                    s.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(entry)).forEach(p -> p.toFile().delete());
                }
            }
        }
        assertEquals(3, run(new JavaPortCompiler(cache).compile("Hurt", source("Hurt", 3))), "rebuilt after " + damage);
        assertEquals(List.of(entry), entries(cache), "the entry is replaced, nothing is left beside it");
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(main)), "the class file is whole again");
        assertTrue(JavaPortCompiler.readVerified(entry, JavaPortCompiler.PACKAGE + ".Hurt") != null);
    }

    @Test
    void cleanRemovesWhatMegradWroteAndNothingElse() throws Exception {
        Path cache = tmp.resolve("cache");
        JavaPortCompiler compiler = new JavaPortCompiler(cache);
        compiler.compile("A", source("A", 1));
        compiler.compile("B", source("B", 2));
        Files.createDirectories(cache.resolve("java").resolve("build-123")); // left by a killed run
        Files.createDirectories(cache.resolve("native").resolve("abc"));
        Path mine = Files.writeString(cache.resolve("notes.txt"), "not megrad's");
        assertEquals(4, compiler.clean());
        assertFalse(Files.exists(cache.resolve("java")));
        assertFalse(Files.exists(cache.resolve("native")));
        assertTrue(Files.exists(mine));
        assertEquals(0, compiler.clean(), "cleaning an empty cache is fine");
        assertEquals(1, run(compiler.compile("A", source("A", 1))), "and it fills again");
    }
}
