package io.megrad.codegen;

import io.megrad.codegen.build.Hashing;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.fortran.FortranFrontend;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.InternalException;
import io.megrad.runtime.PortEvaluator;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;
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

    private JavaPort(Program program, String subprocess) {
        this.program = program;
        this.subprocess = subprocess;
    }

    public static JavaPort translate(MadGraphOutput output, String subprocessName) {
        Path sub = output.subprocess(subprocessName);
        if (output.format() != MadGraphOutput.Format.FORTRAN_STANDALONE) {
            throw new UnsupportedConstructException(SourcePosition.of(sub.toString(), 0), "C++ standalone_cpp output (not yet translated; see issue 3)");
        }
        Program program = new FortranFrontend(output.root(), sub).translate();
        return new JavaPort(program, sub.getFileName().toString());
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

    public PortEvaluator evaluator(ParamCard card, List<Seed> seeds, Path cache) {
        String probe = source("Port", seeds.size());
        String className = "Port_" + Hashing.sha256(probe).substring(0, 16);
        String src = probe.replace("public final class Port extends", "public final class " + className + " extends")
                .replace("    public Port() {", "    public " + className + "() {");
        Class<? extends GeneratedProcess> cls = new JavaPortCompiler(cache).compile(className, src);
        GeneratedProcess gp;
        try {
            gp = cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new InternalException("cannot instantiate the compiled port: " + e, e);
        }
        List<ParamKey> keys = new ArrayList<>();
        double[] defaults = new double[program.inputs().size()];
        for (ExternalInput in : program.inputs()) {
            keys.add(in.block() == null ? null : new ParamKey(in.block(), in.indices()));
            defaults[in.index()] = in.defaultValue();
        }
        return new PortEvaluator(gp, program.nExternal(), keys, defaults, card, seeds);
    }
}
