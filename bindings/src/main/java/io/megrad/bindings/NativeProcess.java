package io.megrad.bindings;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The native pipeline: MadGraph output → IR → C++ → g++ (cached) → loaded library → evaluators.
 *
 * <pre>{@code
 * JavaPort port = JavaPort.translate(MadGraphOutput.open(dir), null);
 * NativeProcess np = NativeProcess.build(port, NativeOptions.builtin(), JavaPortCompiler.defaultCache());
 * try (NativeEvaluator ev = np.evaluator(ParamCard.read(card), seeds)) { ... }
 * }</pre>
 */
public final class NativeProcess {
    private final Program program;
    private final NativeOptions options;
    private final NativeLibrary library;

    NativeProcess(Program program, NativeOptions options, NativeLibrary library) {
        this.program = program;
        this.options = options;
        this.library = library;
    }

    /** Builds (or reuses from {@code cache}) and loads the library of a translated subprocess. */
    public static NativeProcess build(JavaPort port, NativeOptions options, Path cache) {
        Path so = new NativeBuilder(cache).build(port.program(), port.subprocess(), options);
        return new NativeProcess(port.program(), options, NativeLibrary.load(so));
    }

    /**
     * The one call behind {@code megrad eval --backend native}: resolves the scalar and mode (see
     * {@link NativeOptions#resolve}; {@code mode} "auto" means reverse when CoDiPack is available and
     * there are more than {@code autoReverseAbove} derivatives, forward otherwise), builds or reuses
     * the library, and returns an evaluator for the card and seeds.
     */
    public static NativeEvaluator open(JavaPort port, ParamCard card, List<Seed> seeds, String ad, String mode, Path codipack,
                                       int autoReverseAbove, Path cache, Consumer<String> notices) {
        String m = mode;
        if (m == null || m.equals("auto")) {
            NativeOptions probe = NativeOptions.resolve(ad, "forward", codipack, System.getenv(), s -> { });
            m = probe.ad() == NativeOptions.Ad.CODIPACK && seeds.size() > autoReverseAbove ? "reverse" : "forward";
        }
        NativeOptions options = NativeOptions.resolve(ad, m, codipack, System.getenv(), notices);
        return build(port, options, cache).evaluator(card, seeds);
    }

    public NativeOptions options() {
        return options;
    }

    public NativeLibrary library() {
        return library;
    }

    /** An evaluator with its own native state, set up for the card and seeds. */
    public NativeEvaluator evaluator(ParamCard card, List<Seed> seeds) {
        List<ParamKey> keys = new ArrayList<>();
        double[] defaults = new double[program.inputs().size()];
        for (ExternalInput in : program.inputs()) {
            keys.add(in.block() == null ? null : new ParamKey(in.block(), in.indices()));
            defaults[in.index()] = in.defaultValue();
        }
        return new NativeEvaluator(library, program.nExternal(), keys, defaults, card, seeds);
    }
}
