package io.megrad.bindings;

import io.megrad.codegen.ir.Program;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole native path on a program differentiated by hand: emit, g++, cache, JNI, seeds, batches, threads. */
class NativeProcessTest {
    @TempDir
    static Path cache;

    private static final List<Seed> SEEDS = List.of(new Seed.Momentum(1, 0), new Seed.Momentum(2, 1),
            new Seed.Parameter(ParamKey.parse("MASS:6")));

    private static ParamCard card(Path dir) throws Exception {
        Path file = dir.resolve("param_card.dat");
        Files.writeString(file, "BLOCK MASS\n    6 1.7300000e+02 # MT\n");
        return ParamCard.read(file);
    }

    private static double[] point(int k) {
        return new double[]{100 + 10 * k, 0, 0, 100 + 10 * k, 100, 30 - 7 * k, 0, -100};
    }

    private void checkAgainstHandDerivatives(NativeOptions options) throws Exception {
        Program program = SyntheticProcess.program();
        Path so = new NativeBuilder(cache).build(program, "synthetic", options);
        NativeLibrary lib = NativeLibrary.load(so);
        assertTrue(lib.description().contains("\"externals\":2"), lib.description());
        Path first = so;
        assertEquals(first, new NativeBuilder(cache).build(program, "synthetic", options), "a second build reuses the cache entry");
        ParamCard card = card(cache);
        int n = 5;
        double[] momenta = new double[n * 8];
        for (int k = 0; k < n; k++) {
            System.arraycopy(point(k), 0, momenta, 8 * k, 8);
        }
        for (int threads : new int[]{1, 2}) {
            try (NativeEvaluator ev = new NativeProcess(program, options, lib).evaluator(card, SEEDS).threads(threads)) {
                double[] me = new double[n];
                double[] grad = new double[n * 3];
                ev.evaluateBatch(n, momenta, me, grad);
                for (int k = 0; k < n; k++) {
                    double[] exact = SyntheticProcess.exact(point(k)[0], point(k)[5], 173.0);
                    assertEquals(exact[0], me[k], 1e-13 * Math.abs(exact[0]), "|M|^2 at point " + k);
                    for (int j = 0; j < 3; j++) {
                        assertEquals(exact[j + 1], grad[3 * k + j], 1e-12 * Math.abs(exact[j + 1]), "derivative " + j + " at point " + k
                                + " (" + options.label() + ", " + threads + " threads)");
                    }
                }
            }
        }
        try (NativeEvaluator primal = new NativeProcess(program, options, lib).evaluator(card, List.of())) {
            double[][] p = {{100, 0, 0, 100}, {100, 30, 0, -100}};
            assertEquals(SyntheticProcess.exact(100, 30, 173)[0], primal.evaluate(p, new double[0]), 1e-10);
        }
    }

    @Test
    void builtinForwardMatchesTheHandDerivatives() throws Exception {
        checkAgainstHandDerivatives(NativeOptions.builtin());
        checkAgainstHandDerivatives(NativeOptions.builtin().withWidth(2));
    }

    @Test
    void codiPackForwardAndReverseMatchTheHandDerivatives() throws Exception {
        String include = System.getenv("CODIPACK_INCLUDE");
        Assumptions.assumeTrue(include != null && !include.isBlank(),
                "CODIPACK_INCLUDE is not set: CoDiPack tests skipped (set it to a CoDiPack 3 include directory)");
        for (String mode : new String[]{"forward", "reverse"}) {
            checkAgainstHandDerivatives(NativeOptions.resolve("codipack", mode, null, Map.of("CODIPACK_INCLUDE", include), s -> { }));
        }
    }

    @Test
    void generatedCodeIsTemplatedAndNamedAsTheSource() {
        String src = NativeBuilder.source(SyntheticProcess.program(), "synthetic");
        assertTrue(src.contains("template<class T, class TP>\nstruct Process"), src);
        assertTrue(src.contains("void SQ(T* X, T* Y)") || src.contains("void SQ(const T& X, T* Y)"), src);
        assertTrue(src.contains("void SMATRIX(T* P, T* ANS)"), src);
        assertTrue(src.contains("TP MDL_MT{};"), "parameters are TP (double unless differentiated)\n" + src);
        assertTrue(src.contains("matrix.f:1"), "source positions in comments\n" + src);
    }

    @Test
    void aMissingCompilerIsAClearUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> new NativeBuilder(cache, "/nonexistent/g++").build(SyntheticProcess.program(), "synthetic", NativeOptions.builtin()));
        assertTrue(e.getMessage().contains("g++"), e.getMessage());
    }

    @Test
    void badPointsAndParticlesAreRejectedBeforeNativeCode() throws Exception {
        Program program = SyntheticProcess.program();
        NativeLibrary lib = NativeLibrary.load(new NativeBuilder(cache).build(program, "synthetic", NativeOptions.builtin()));
        ParamCard card = card(cache);
        assertThrows(UsageException.class, () -> new NativeProcess(program, NativeOptions.builtin(), lib)
                .evaluator(card, List.of(new Seed.Momentum(3, 0))));
        try (NativeEvaluator ev = new NativeProcess(program, NativeOptions.builtin(), lib).evaluator(card, List.of())) {
            double[] bad = point(0);
            bad[2] = Double.NaN;
            assertThrows(io.megrad.runtime.InputException.class, () -> ev.evaluateBatch(1, bad, new double[1], new double[0]));
            assertArrayEquals(new double[0], new double[0]);
        }
    }
}
