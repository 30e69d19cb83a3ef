package io.megrad.codegen.build;

import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.InternalException;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Compiles generated Java with the JDK's in-process compiler into an on-disk cache keyed by the
 * source's hash, so a second run loads the classes at once.
 *
 * <pre>{@code
 * Class<?> port = new JavaPortCompiler(JavaPortCompiler.defaultCache()).compile("Port_1a2b", source);
 * }</pre>
 *
 * <p>The cache is safe for concurrent and interrupted runs:
 * <ul>
 *   <li>An entry is compiled in a private temporary directory, gets a manifest (size and SHA-256 of
 *   every class file, and a closing line), and is renamed into place in one step. Two processes
 *   building the same entry at once both succeed; the first rename wins and both use its classes.
 *   <li>Loading reads the class files into memory and checks them against the manifest first; a
 *   missing, truncated or altered file, or a cut manifest, is moved aside and the entry rebuilt.
 *   Classes are defined from the checked bytes, so a concurrent {@link #clean()} or repair cannot
 *   change them under a running port.
 * </ul>
 * Layout: {@code ROOT/java/KEY/} holds the package directories and {@value #MANIFEST}; temporary
 * {@code ROOT/java/build-*} and {@code ROOT/java/discard-*} directories are what interrupted runs
 * leave, removed by {@link #clean()}.
 */
public final class JavaPortCompiler {
    public static final String PACKAGE = "io.megrad.generated";
    /** The manifest of an entry, written last, inside the directory that is renamed into place. */
    static final String MANIFEST = "megrad-manifest.txt";
    private static final String MANIFEST_HEADER = "megrad compile cache 1";
    /** The subdirectories of the cache root that megrad writes (native: the bindings' shared libraries). */
    private static final List<String> OWNED = List.of("java", "native", "meta");

    private final Path cacheRoot;

    public JavaPortCompiler(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
    }

    /** The default cache: {@code $MEGRAD_CACHE}, else {@code ~/.cache/megrad}. */
    public static Path defaultCache() {
        String env = System.getenv("MEGRAD_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "megrad");
    }

    /** The cache root this compiler uses. */
    public Path root() {
        return cacheRoot;
    }

    /**
     * The class {@code PACKAGE.className} compiled from {@code source}: loaded from a verified cache
     * entry, or compiled (again, for a damaged entry) and cached first.
     *
     * @throws InternalException when the source does not compile or the cache cannot be written
     */
    public Class<?> compile(String className, String source) {
        String key = keyOf(source);
        Path entry = cacheRoot.resolve("java").resolve(key);
        String binaryName = PACKAGE + "." + className;
        Map<String, byte[]> classes = readVerified(entry, binaryName);
        // Another process may replace or repair the entry between our steps; a few rounds settle it.
        for (int attempt = 0; classes == null && attempt < 3; attempt++) {
            if (Files.exists(entry)) {
                discard(entry);
            }
            build(entry, className, source);
            classes = readVerified(entry, binaryName);
        }
        if (classes == null) {
            throw new InternalException("the compile cache entry " + entry + " is damaged again right after it was"
                    + " written: is another program changing " + cacheRoot + "?");
        }
        return new BytesClassLoader(classes).load(binaryName);
    }

    /** The cache key of a generated source. */
    public static String keyOf(String source) {
        return Hashing.sha256(source + "\n#megrad-runtime=" + GeneratedProcess.class.getPackage().getImplementationVersion()).substring(0, 32);
    }

    /** The class of a verified cache entry {@code key}, or null when there is no such entry. */
    public Class<?> loadIfCached(String key, String className) {
        String binaryName = PACKAGE + "." + className;
        Map<String, byte[]> classes = readVerified(cacheRoot.resolve("java").resolve(key), binaryName);
        return classes == null ? null : new BytesClassLoader(classes).load(binaryName);
    }

    /**
     * Deletes every entry megrad wrote under the cache root (compiled ports, native libraries,
     * leftovers of interrupted builds); other files in the root are left alone.
     *
     * @return the number of cache entries (and leftover directories) removed
     * @throws InternalException when a file cannot be deleted
     */
    public int clean() {
        int removed = 0;
        for (String owned : OWNED) {
            Path dir = cacheRoot.resolve(owned);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path entry : s.toList()) {
                    deleteTree(entry);
                    removed++;
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new InternalException("cannot clean the compile cache " + cacheRoot + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    /**
     * The class files of a complete, undamaged entry by binary name, or null when the entry is
     * missing, lacks {@code binaryName}, or does not match its manifest.
     */
    static Map<String, byte[]> readVerified(Path entry, String binaryName) {
        List<String> manifest;
        try {
            manifest = Files.readAllLines(entry.resolve(MANIFEST), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // missing (not built, or from before manifests) or unreadable
        }
        if (manifest.size() < 2 || !manifest.get(0).equals(MANIFEST_HEADER)
                || !manifest.get(manifest.size() - 1).equals("end " + (manifest.size() - 2))) {
            return null; // cut short, or not ours
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String line : manifest.subList(1, manifest.size() - 1)) {
            String[] f = line.split(" ", 3);
            if (f.length != 3 || !f[2].endsWith(".class") || f[2].contains("..")) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(entry.resolve(f[2]));
            } catch (IOException e) {
                return null;
            }
            if (!Long.toString(bytes.length).equals(f[1]) || !sha256(bytes).equals(f[0])) {
                return null;
            }
            String name = f[2].substring(0, f[2].length() - ".class".length()).replace('/', '.');
            classes.put(name, bytes);
        }
        return classes.containsKey(binaryName) ? classes : null;
    }

    /** Moves a damaged entry out of the way (one rename, so no reader sees it half deleted), then deletes it. */
    private static void discard(Path entry) {
        Path aside = entry.resolveSibling("discard-" + entry.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // another process discarded it first
        } catch (IOException e) {
            aside = entry; // cannot rename: delete in place; the next build renames onto what is left
        }
        deleteTree(aside);
    }

    private void build(Path entry, String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new InternalException("no Java compiler in this runtime: megrad needs a JDK, not a JRE");
        }
        Path tmp;
        try {
            Files.createDirectories(entry.getParent());
            tagCacheDirectory();
            tmp = Files.createTempDirectory(entry.getParent(), "build-");
            Path srcDir = tmp.resolve("src");
            Path srcFile = srcDir.resolve(className + ".java");
            Files.createDirectories(srcDir);
            Files.writeString(srcFile, source, StandardCharsets.UTF_8);
            Path classes = tmp.resolve("classes");
            Files.createDirectories(classes);
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "-nowarn", "-g:none",
                        "-classpath", runtimeClassPath()));
                Iterable<? extends JavaFileObject> units = fm.getJavaFileObjects(srcFile.toFile());
                Boolean ok = javac.getTask(null, fm, diagnostics, options, null, units).call();
                if (!Boolean.TRUE.equals(ok)) {
                    StringBuilder sb = new StringBuilder();
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        if (d.getKind() == Diagnostic.Kind.ERROR) {
                            sb.append(" line ").append(d.getLineNumber()).append(": ").append(d.getMessage(null));
                            break;
                        }
                    }
                    throw new InternalException("generated Java does not compile (kept in " + srcFile + "):" + sb);
                }
            }
            writeManifest(classes);
            try {
                Files.move(classes, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another process finished the same entry first; the caller verifies and uses it.
            } catch (IOException e) {
                if (!Files.isDirectory(entry)) {
                    throw e;
                }
            }
            deleteTree(tmp);
        } catch (IOException e) {
            throw new InternalException("cannot write the compile cache under " + cacheRoot + ": " + e.getMessage(), e);
        }
    }

    /** Lists every class file under {@code classes} with its size and hash; the closing line counts them. */
    private static void writeManifest(Path classes) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        StringBuilder m = new StringBuilder(MANIFEST_HEADER).append('\n');
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            m.append(sha256(bytes)).append(' ').append(bytes.length).append(' ')
                    .append(classes.relativize(f).toString().replace(File.separatorChar, '/')).append('\n');
        }
        m.append("end ").append(files.size()).append('\n');
        Files.writeString(classes.resolve(MANIFEST), m.toString(), StandardCharsets.UTF_8);
    }

    /** Marks the root as a cache (https://bford.info/cachedir/), so backup tools skip it. */
    private void tagCacheDirectory() {
        Path tag = cacheRoot.resolve("CACHEDIR.TAG");
        if (Files.exists(tag)) {
            return;
        }
        try {
            Files.writeString(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                    + "# This file marks megrad's compile cache; `megrad cache clean` empties it.\n", StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // Only a courtesy to backup tools.
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runtimeClassPath() {
        try {
            Path p = Path.of(GeneratedProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString() + File.pathSeparator + System.getProperty("java.class.path");
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // A leftover directory is harmless; clean() removes it.
        }
    }

    /** Defines a port's classes from verified bytes; the runtime classes come from megrad's own loader. */
    private static final class BytesClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        BytesClassLoader(Map<String, byte[]> classes) {
            super("megrad-port", GeneratedProcess.class.getClassLoader());
            this.classes = classes;
        }

        Class<?> load(String binaryName) {
            try {
                return loadClass(binaryName);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new InternalException("cannot load the compiled port " + binaryName + ": " + e, e);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
