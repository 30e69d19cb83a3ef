package io.megrad.codegen;

import io.megrad.codegen.build.Hashing;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.cpp.CppFrontend;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.fortran.FortranFrontend;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.AdjointEvaluator;
import io.megrad.runtime.GeneratedAdjointProcess;
import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.InternalException;
import io.megrad.runtime.PortEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole Java-port pipeline: MadGraph output → IR → Java source → compiled class → evaluator.
 *
 * <pre>{@code
 * JavaPort port = JavaPort.translate(MadGraphOutput.open(dir), null);
 * PortEvaluator ev = port.evaluator(ParamCard.read(card), seeds, JavaPortCompiler.defaultCache());
 * }</pre>
 */
public final class JavaPort {
    private final Program program;
    private final String subprocess;

    private final java.util.Map<String, Class<?>> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path directory;

    private JavaPort(Program program, Path directory) {
        this.program = program;
        this.subprocess = directory.getFileName().toString();
        this.directory = directory;
    }

    /** The subprocess's own description of itself (process, particle names, PDG codes). */
    public io.megrad.codegen.discover.ProcessHeader header() {
        Path f = directory.resolve("matrix.f");
        return io.megrad.codegen.discover.ProcessHeader.read(java.nio.file.Files.isRegularFile(f) ? f : directory.resolve("CPPProcess.cc"));
    }

    public static JavaPort translate(MadGraphOutput output, String subprocessName) {
        Path sub = output.subprocess(subprocessName);
        Program program = output.format() == MadGraphOutput.Format.CPP_STANDALONE
                ? new CppFrontend(output.root(), sub).translate()
                : new FortranFrontend(output.root(), sub).translate();
        return new JavaPort(program, sub);
    }

    public Program program() {
        return program;
    }

    public String subprocess() {
        return subprocess;
    }

    /** The Java source of the port for {@code directions} tangent directions. */
    public String source(String className, int directions) {
        return new JavaEmitter(program, directions).emit(JavaPortCompiler.PACKAGE, className);
    }

    /** How derivatives are computed. */
    public enum Mode {
        /** Forward vector mode: cost grows with the number of seeds; best for a few. */
        FORWARD,
        /** Reverse mode: one taped evaluation and one backward sweep for any number of seeds. */
        REVERSE
    }

    /** A forward-mode evaluator (see {@link #evaluator(ParamCard, List, Path, Mode)}). */
    public PortEvaluator evaluator(ParamCard card, List<Seed> seeds, Path cache) {
        return (PortEvaluator) evaluator(card, seeds, cache, Mode.FORWARD);
    }

    /**
     * Compiles (or loads from the cache) the port for the seeds and mode, runs the model setup on
     * the card, and returns an evaluator. Not thread-safe: one per thread.
     */
    public ProcessEvaluator evaluator(ParamCard card, List<Seed> seeds, Path cache, Mode mode) {
        String probe = mode == Mode.REVERSE ? JavaEmitter.adjoint(program).emit(JavaPortCompiler.PACKAGE, "Port")
                : source("Port", seeds.size());
        String className = "Port_" + Hashing.sha256(probe).substring(0, 16);
        String src = probe.replace("public final class Port extends", "public final class " + className + " extends")
                .replace("    public Port() {", "    public " + className + "() {");
        // One class per source: evaluators for several threads share it (and its JIT-compiled code).
        Class<?> cls = loaded.computeIfAbsent(className, k -> new JavaPortCompiler(cache).compile(k, src));
        Object instance;
        try {
            instance = cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new InternalException("cannot instantiate the compiled port: " + e, e);
        }
        List<ParamKey> keys = new ArrayList<>();
        double[] defaults = new double[program.inputs().size()];
        for (ExternalInput in : program.inputs()) {
            keys.add(in.block() == null ? null : new ParamKey(in.block(), in.indices()));
            defaults[in.index()] = in.defaultValue();
        }
        if (mode == Mode.REVERSE) {
            return new AdjointEvaluator((GeneratedAdjointProcess) instance, program.nExternal(), keys, defaults, card, seeds);
        }
        return new PortEvaluator((GeneratedProcess) instance, program.nExternal(), keys, defaults, card, seeds);
    }

    /**
     * Exact second derivatives of |M|² w.r.t. param-card entries, forward over forward: the
     * program's tangent along each entry ({@link io.megrad.codegen.ad.TangentProgram}) is run in
     * forward mode along all entries. One instance per thread.
     */
    public io.megrad.runtime.HessianEvaluator hessianEvaluator(ParamCard card, List<ParamKey> params, Path cache) {
        Program tangent = io.megrad.codegen.ad.TangentProgram.transform(program);
        String probe = new JavaEmitter(tangent, params.size()).emit(JavaPortCompiler.PACKAGE, "Port");
        String className = "Port_" + Hashing.sha256(probe).substring(0, 16);
        String src = probe.replace("public final class Port extends", "public final class " + className + " extends")
                .replace("    public Port() {", "    public " + className + "() {");
        Class<?> cls = loaded.computeIfAbsent(className, k -> new JavaPortCompiler(cache).compile(k, src));
        List<ParamKey> keys = new ArrayList<>();
        for (ExternalInput in : program.inputs()) {
            keys.add(in.block() == null ? null : new ParamKey(in.block(), in.indices()));
        }
        List<Seed> seeds = params.stream().map(k -> (Seed) new Seed.Parameter(k)).toList();
        List<ProcessEvaluator> columns = new ArrayList<>();
        int n = program.inputs().size();
        for (ParamKey direction : params) {
            List<ParamKey> allKeys = new ArrayList<>(keys);
            double[] defaults = new double[2 * n];
            for (ExternalInput in : program.inputs()) {
                defaults[in.index()] = in.defaultValue();
                allKeys.add(null);
                defaults[n + in.index()] = direction.equals(keys.get(in.index())) ? 1.0 : 0.0;
            }
            GeneratedProcess gp;
            try {
                gp = (GeneratedProcess) cls.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new InternalException("cannot instantiate the compiled port: " + e, e);
            }
            columns.add(new PortEvaluator(gp, program.nExternal(), allKeys, defaults, card, seeds));
        }
        return new io.megrad.runtime.HessianEvaluator(columns);
    }
}
