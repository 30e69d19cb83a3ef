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
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiles generated Java with the JDK's in-process compiler into a cache directory keyed by the
 * source's hash, so a second run loads the classes at once. Entries are written to a temporary
 * directory and renamed into place, so concurrent runs never see a half-written entry.
 */
public final class JavaPortCompiler {
    public static final String PACKAGE = "io.megrad.generated";
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

    public Class<?> compile(String className, String source) {
        String key = Hashing.sha256(source + "\n#megrad-runtime=" + GeneratedProcess.class.getPackage().getImplementationVersion()).substring(0, 32);
        Path entry = cacheRoot.resolve("java").resolve(key);
        Path classFile = entry.resolve(PACKAGE.replace('.', '/')).resolve(className + ".class");
        if (!Files.isRegularFile(classFile)) {
            build(entry, className, source);
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[]{entry.toUri().toURL()}, GeneratedProcess.class.getClassLoader());
            return loader.loadClass(PACKAGE + "." + className);
        } catch (MalformedURLException | ClassNotFoundException e) {
            throw new InternalException("cannot load the compiled port from " + entry + ": " + e, e);
        }
    }

    private void build(Path entry, String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new InternalException("no Java compiler in this runtime: megrad needs a JDK, not a JRE");
        }
        Path tmp;
        try {
            Files.createDirectories(entry.getParent());
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
            try {
                Files.move(classes, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another process finished the same entry first; its result is identical.
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
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
