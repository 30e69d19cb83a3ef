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
import java.util.Set;

/**
 * The whole Java-port pipeline: MadGraph output → IR → Java source → compiled class → evaluator.
 *
 * <pre>{@code
 * JavaPort port = JavaPort.translate(MadGraphOutput.open(dir), null);
 * PortEvaluator ev = port.evaluator(ParamCard.read(card), seeds, JavaPortCompiler.defaultCache());
 * }</pre>
 */
public final class JavaPort {
    private Program program;
    private final String subprocess;
    private final MadGraphOutput output;
    /** For a port opened lazily: what earlier runs recorded, so a warm run need not translate. */
    private final io.megrad.codegen.build.PortMetadata meta;

    private final java.util.Map<String, Class<?>> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path directory;

    private JavaPort(Program program, MadGraphOutput output, Path directory, io.megrad.codegen.build.PortMetadata meta) {
        this.program = program;
        this.output = output;
        this.subprocess = directory.getFileName().toString();
        this.directory = directory;
        this.meta = meta;
    }

    /**
     * A port that translates only when it must: evaluators whose compiled class and program facts
     * an earlier run recorded under {@code cache} are built without parsing the output again
     * (start-up of a warm run). Errors in the output then surface when a translation is needed.
     */
    public static JavaPort open(MadGraphOutput output, String subprocessName, Path cache) {
        Path sub = output.subprocess(subprocessName);
        return new JavaPort(null, output, sub, io.megrad.codegen.build.PortMetadata.of(cache, output.root(), sub));
    }

    /** Particle counts and inputs: recorded ones for a warm port, else from the translation. */
    public io.megrad.codegen.build.PortMetadata.Facts facts() {
        io.megrad.codegen.build.PortMetadata.Facts f = program == null && meta != null ? meta.facts() : null;
        return f != null ? f : io.megrad.codegen.build.PortMetadata.Facts.of(program());
    }

    /** The subprocess's own description of itself (process, particle names, PDG codes). */
    public io.megrad.codegen.discover.ProcessHeader header() {
        Path f = directory.resolve("matrix.f");
        return io.megrad.codegen.discover.ProcessHeader.read(java.nio.file.Files.isRegularFile(f) ? f : directory.resolve("CPPProcess.cc"));
    }

    public static JavaPort translate(MadGraphOutput output, String subprocessName) {
        Path sub = output.subprocess(subprocessName);
        return new JavaPort(translate(output, sub), output, sub, null);
    }

    /** The frontend's program, with the helicity combinations proved zero skipped ({@link io.megrad.codegen.analysis.ZeroHelicities}). */
    private static Program translate(MadGraphOutput output, Path sub) {
        Program program = output.format() == MadGraphOutput.Format.CPP_STANDALONE
                ? new CppFrontend(output.root(), sub).translate()
                : new FortranFrontend(output.root(), sub).translate();
        return io.megrad.codegen.analysis.ZeroHelicities.transform(program);
    }

    public synchronized Program program() {
        if (program == null) {
            program = translate(output, directory);
        }
        return program;
    }

    public String subprocess() {
        return subprocess;
    }

    /** The Java source of the port for {@code directions} tangent directions. */
    public String source(String className, int directions) {
        return new JavaEmitter(program(), directions).emit(JavaPortCompiler.PACKAGE, className);
    }

    /** How derivatives are computed. */
    public enum Mode {
        /** Forward vector mode: cost grows with the number of seeds; best for a few. */
        FORWARD,
        /** Reverse mode: one taped evaluation and one backward sweep for any number of seeds. */
        REVERSE
    }

    /**
     * The incoming particles none of whose momentum components is among {@code seeds}: a reverse
     * port for those seeds need not sweep adjoints back to their momenta (on gg→tt̄g about 12% of
     * the work). Only incoming ones, so that one port serves every choice of final-state momenta
     * and parameters, and its cost does not depend on how many of them are asked for.
     */
    public static Set<Integer> unseededIncoming(Program program, List<Seed> seeds) {
        Set<Integer> passive = new java.util.TreeSet<>();
        for (int i = 1; i <= program.nInitial(); i++) {
            passive.add(i);
        }
        for (Seed s : seeds) {
            if (s instanceof Seed.Momentum m) {
                passive.remove(m.particle());
            }
        }
        return passive;
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
        Set<Integer> passive = mode == Mode.REVERSE ? unseededIncoming(program(), seeds) : Set.of();
        String variant = mode == Mode.REVERSE ? mode + "-" + passive : mode + "-" + seeds.size();
        if (meta != null) {
            String[] entry = meta.entry(variant);
            io.megrad.codegen.build.PortMetadata.Facts facts = meta.facts();
            if (entry != null && facts != null) {
                Class<?> cls = loaded.get(entry[1]);
                if (cls == null) {
                    cls = new JavaPortCompiler(cache).loadIfCached(entry[0], entry[1]);
                }
                if (cls != null) {
                    loaded.putIfAbsent(entry[1], cls);
                    return instantiate(cls, facts, card, seeds, mode);
                }
            }
        }
        String probe = mode == Mode.REVERSE ? JavaEmitter.adjoint(program(), passive).emit(JavaPortCompiler.PACKAGE, "Port")
                : source("Port", seeds.size());
        String className = "Port_" + Hashing.sha256(probe).substring(0, 16);
        String src = probe.replace("public final class Port extends", "public final class " + className + " extends")
                .replace("    public Port() {", "    public " + className + "() {");
        // One class per source: evaluators for several threads share it (and its JIT-compiled code).
        Class<?> cls = loaded.computeIfAbsent(className, k -> new JavaPortCompiler(cache).compile(k, src));
        io.megrad.codegen.build.PortMetadata.Facts facts = io.megrad.codegen.build.PortMetadata.Facts.of(program());
        if (meta != null) {
            meta.store(facts, variant, JavaPortCompiler.keyOf(src), className);
        }
        return instantiate(cls, facts, card, seeds, mode);
    }

    private static ProcessEvaluator instantiate(Class<?> cls, io.megrad.codegen.build.PortMetadata.Facts facts, ParamCard card,
                                                List<Seed> seeds, Mode mode) {
        Object instance;
        try {
            instance = cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new InternalException("cannot instantiate the compiled port: " + e, e);
        }
        if (mode == Mode.REVERSE) {
            return new AdjointEvaluator((GeneratedAdjointProcess) instance, facts.nExternal(), facts.inputKeys(), facts.defaults(), card, seeds);
        }
        return new PortEvaluator((GeneratedProcess) instance, facts.nExternal(), facts.inputKeys(), facts.defaults(), card, seeds);
    }

    /**
     * Exact second derivatives of |M|² w.r.t. param-card entries, forward over forward: the
     * program's tangent along each entry ({@link io.megrad.codegen.ad.TangentProgram}) is run in
     * forward mode along all entries. One instance per thread.
     */
    public io.megrad.runtime.HessianEvaluator hessianEvaluator(ParamCard card, List<ParamKey> params, Path cache) {
        Program program = program();
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
