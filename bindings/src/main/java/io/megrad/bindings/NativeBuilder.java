package io.megrad.bindings;

import io.megrad.codegen.build.Hashing;
import io.megrad.codegen.emit.cpp.CppEmitter;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.InternalException;
import io.megrad.runtime.UsageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles a process library: C++ from {@link CppEmitter}, the runtime headers of {@code native/}
 * (shipped in this jar), g++ into {@code <cache>/native/<key>/libmegrad_process.so}, where the key
 * hashes the sources, the headers, the flags and the compiler's version. Translation units (one per
 * engine: primal, momentum derivatives, parameter derivatives, plus the C ABI) compile in parallel;
 * the entry is built in a temporary directory and renamed into place, so concurrent builds never see
 * a half-written one. The generated sources stay next to the library for reading.
 *
 * <pre>{@code
 * Path so = new NativeBuilder(JavaPortCompiler.defaultCache()).build(program, "P1_gg_ttx", NativeOptions.builtin());
 * }</pre>
 */
public final class NativeBuilder {
    /** The library's file name inside a cache entry. */
    public static final String LIBRARY = "libmegrad_process.so";
    private static final List<String> HEADERS = List.of("abi.h", "abi_impl.hpp", "codipack.hpp", "dual.hpp", "engines.hpp",
            "loader.h", "math.hpp", "ops.hpp", "runtime.hpp", "scalar.hpp");
    private static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        // The two derivative engines are the heavy units: they go first so two cores start on them.
        for (String kind : List.of("Parameters", "Momenta", "Primal")) {
            UNITS.put("engine_" + kind.toLowerCase() + ".cpp", "#include \"process.hpp\"\n#include \"megrad/engines.hpp\"\n\n"
                    + "megrad::Engine* megrad_engine_" + kind.toLowerCase() + "() {\n"
                    + "    return megrad::makeEngine<megrad_gen::Process, megrad_gen::Info, megrad::EngineKind::" + kind + ">();\n}\n");
        }
        UNITS.put("abi.cpp", "#include \"process.hpp\"\n#include \"megrad/abi_impl.hpp\"\n\nMEGRAD_DEFINE_ABI(megrad_gen::Info)\n");
    }

    private static final String REVERSE_UNIT_OPT = "-O1";
    private final Path cacheRoot;
    private final String compiler;

    public NativeBuilder(Path cacheRoot) {
        this(cacheRoot, compilerFromEnvironment());
    }

    public NativeBuilder(Path cacheRoot, String compiler) {
        this.cacheRoot = cacheRoot;
        this.compiler = compiler;
    }

    private static String compilerFromEnvironment() {
        String cxx = System.getenv("MEGRAD_CXX");
        return cxx != null && !cxx.isBlank() ? cxx : "g++";
    }

    /** The generated process header for {@code program} (what {@link #build} compiles). */
    public static String source(Program program, String name) {
        return CppEmitter.emitProcess(program, name);
    }

    /** Builds (or finds in the cache) the library and returns its path. */
    public Path build(Program program, String name, NativeOptions options) {
        String process = source(program, name);
        Map<String, String> headers = headers();
        List<String> flags = flags(options);
        String version = compilerVersion();
        StringBuilder keyText = new StringBuilder(process);
        headers.forEach((n, t) -> keyText.append("\n#header ").append(n).append('\n').append(t));
        UNITS.forEach((n, t) -> keyText.append("\n#unit ").append(n).append('\n').append(t));
        keyText.append("\n#flags ").append(String.join(" ", flags)).append(" reverse-units ").append(REVERSE_UNIT_OPT)
                .append("\n#compiler ").append(version);
        String key = name.replaceAll("[^A-Za-z0-9_]", "_") + "-" + options.label() + "-" + Hashing.sha256(keyText.toString()).substring(0, 24);
        Path entry = cacheRoot.resolve("native").resolve(key);
        Path library = entry.resolve(LIBRARY);
        if (Files.isRegularFile(library)) {
            return library;
        }
        compile(entry, process, headers, flags, options.mode() == NativeOptions.Mode.REVERSE);
        return library;
    }

    private static Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : HEADERS) {
            try (InputStream in = NativeBuilder.class.getResourceAsStream("include/megrad/" + h)) {
                if (in == null) {
                    throw new InternalException("the megrad jar lacks the native runtime header megrad/" + h);
                }
                out.put(h, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InternalException("cannot read the native runtime header megrad/" + h + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private List<String> flags(NativeOptions options) {
        // -march=native vectorises the tangent loops; -ffp-contract=off keeps every operation rounded
        // as written (no fused multiply-add), so the numbers stay those of the Java port. The cache key
        // includes the architecture g++ resolves "native" to.
        List<String> f = new ArrayList<>(List.of("-std=c++17", "-O2", "-march=native", "-ffp-contract=off", "-fno-math-errno",
                "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden",
                "-DMEGRAD_AD=" + options.adMacro(), "-DMEGRAD_WIDTH=" + options.width()));
        if (options.codipackInclude() != null) {
            f.add("-I" + options.codipackInclude());
        }
        return f;
    }

    private String compilerVersion() {
        try {
            Process p = new ProcessBuilder(compiler, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new UsageException(compiler + " --version failed: the native backend needs a working C++17 compiler (g++)");
            }
            String version = out.lines().findFirst().orElse("");
            Process arch = new ProcessBuilder(compiler, "-march=native", "-Q", "--help=target").redirectErrorStream(true).start();
            String target = new String(arch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            arch.waitFor();
            return version + " " + target.lines().filter(l -> l.strip().startsWith("-march=")).findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new UsageException("no C++ compiler: '" + compiler + "' was not found on PATH; the native backend needs g++ "
                    + "(install it, or set MEGRAD_CXX to a g++-compatible compiler)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while running " + compiler);
        }
    }

    private void compile(Path entry, String process, Map<String, String> headers, List<String> flags, boolean reverse) {
        Path tmp;
        try {
            Files.createDirectories(entry.getParent());
            tmp = Files.createTempDirectory(entry.getParent(), "build-");
            Path include = tmp.resolve("include").resolve("megrad");
            Files.createDirectories(include);
            for (Map.Entry<String, String> h : headers.entrySet()) {
                Files.writeString(include.resolve(h.getKey()), h.getValue());
            }
            Files.writeString(tmp.resolve("process.hpp"), process);
            for (Map.Entry<String, String> u : UNITS.entrySet()) {
                Files.writeString(tmp.resolve(u.getKey()), u.getValue());
            }
        } catch (IOException e) {
            throw new InternalException("cannot write the native build directory under " + cacheRoot + ": " + e.getMessage(), e);
        }
        List<String> common = new ArrayList<>(flags);
        common.add("-I" + tmp.resolve("include"));
        common.add("-I" + tmp);
        int threads = Math.max(1, Math.min(UNITS.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (String unit : UNITS.keySet()) {
                List<String> cmd = new ArrayList<>();
                cmd.add(compiler);
                cmd.addAll(common);
                if (reverse && unit.startsWith("engine_") && !unit.equals("engine_primal.cpp")) {
                    // Taping is memory-bound: -O1 costs ~5% at run time and halves the compile time.
                    // (Forward tangent loops need -O2's vectorisation and keep it.)
                    cmd.add(REVERSE_UNIT_OPT);
                }
                cmd.addAll(List.of("-c", unit, "-o", unit.replace(".cpp", ".o")));
                jobs.add(pool.submit(() -> run(cmd, tmp)));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new InternalException("native build failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while compiling the native library");
        } finally {
            pool.shutdownNow();
        }
        List<String> link = new ArrayList<>(List.of(compiler, "-shared", "-fPIC", "-o", LIBRARY));
        for (String unit : UNITS.keySet()) {
            link.add(unit.replace(".cpp", ".o"));
        }
        link.add("-pthread");
        run(link, tmp);
        try {
            for (String unit : UNITS.keySet()) {
                Files.deleteIfExists(tmp.resolve(unit.replace(".cpp", ".o")));
            }
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another process finished the same entry first; its library is identical.
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new InternalException("cannot store the native library in " + entry + ": " + e.getMessage(), e);
        }
    }

    private void run(List<String> cmd, Path dir) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String first = out.lines().filter(l -> l.contains("error")).limit(3).reduce((a, b) -> a + "\n" + b).orElse(out);
                throw new InternalException("generated C++ does not compile (sources kept in " + dir + "):\n" + first);
            }
        } catch (IOException e) {
            throw new UsageException("cannot run " + cmd.get(0) + ": " + e.getMessage() + "; the native backend needs g++");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while compiling the native library");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
