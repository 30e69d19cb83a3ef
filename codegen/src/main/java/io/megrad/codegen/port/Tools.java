package io.megrad.codegen.port;

import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.InternalException;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The JDK's compiler, Javadoc and jar format, run in this JVM. */
final class Tools {
    /** The oldest Java the written library runs on, as megrad itself. */
    static final String RELEASE = "17";
    /** A fixed entry time, so that the same library gives the same jar. */
    private static final long ENTRY_TIME = 315532800000L; // 1980-01-01, the earliest a zip entry holds

    private Tools() {
    }

    /** The class path holding megrad's runtime classes, as this JVM loaded them. */
    static String megradClassPath() {
        try {
            return Path.of(GeneratedProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    static void compile(List<Path> sources, Path classes, String classPath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new InternalException("no Java compiler in this runtime: megrad needs a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", RELEASE, "-encoding", "UTF-8", "-nowarn", "-Xlint:none",
                    "-d", classes.toString(), "-classpath", classPath);
            Boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new InternalException("the generated library does not compile: " + firstError(diagnostics));
            }
        } catch (IOException e) {
            throw new InternalException("cannot compile the generated library: " + e.getMessage(), e);
        }
    }

    static void javadoc(List<Path> sources, Path doc, String classPath, String title) {
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        if (tool == null) {
            throw new InternalException("no javadoc tool in this runtime: megrad needs a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager fm = tool.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(List.of("--release", RELEASE, "-encoding", "UTF-8", "-docencoding", "UTF-8",
                    "-charset", "UTF-8", "-quiet", "-notimestamp", "-Xdoclint:none", "-d", doc.toString(),
                    "-classpath", classPath, "-windowtitle", title, "-doctitle", LibrarySources.javadocText(title)));
            Boolean ok = tool.getTask(log, fm, diagnostics, null, options, fm.getJavaFileObjectsFromPaths(sources)).call();
            if (!Boolean.TRUE.equals(ok)) {
                String first = firstError(diagnostics);
                throw new InternalException("javadoc failed on the generated library: "
                        + (first.isEmpty() ? log.toString().lines().findFirst().orElse("") : first));
            }
        } catch (IOException e) {
            throw new InternalException("cannot run javadoc: " + e.getMessage(), e);
        }
    }

    private static String firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": ";
                return where + d.getMessage(null);
            }
        }
        return "";
    }

    /**
     * Writes a jar of {@code entries} (path inside the jar → bytes, written in the map's order) with
     * {@code mainClass} as its entry point.
     */
    static void jar(Path jar, String mainClass, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        manifest.getMainAttributes().put(new Attributes.Name("Created-By"), "megrad port");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            JarEntry mf = new JarEntry("META-INF/MANIFEST.MF");
            mf.setTime(ENTRY_TIME);
            out.putNextEntry(mf);
            manifest.write(out);
            out.closeEntry();
            java.util.Set<String> directories = new java.util.HashSet<>();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String name = e.getKey();
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    String dir = name.substring(0, slash + 1);
                    if (directories.add(dir)) {
                        JarEntry d = new JarEntry(dir);
                        d.setTime(ENTRY_TIME);
                        out.putNextEntry(d);
                        out.closeEntry();
                    }
                }
                JarEntry entry = new JarEntry(name);
                entry.setTime(ENTRY_TIME);
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }
}
