package io.megrad.physics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.codegen.analysis.ZeroHelicities;
import io.megrad.codegen.analysis.ZeroHelicities.SkippedIterations;
import io.megrad.codegen.cpp.CppFrontend;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.build.Hashing;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.build.PortMetadata;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.fortran.FortranFrontend;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.AdjointEvaluator;
import io.megrad.runtime.GeneratedAdjointProcess;
import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.PortEvaluator;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The helicity combinations megrad proves zero are exactly those MadGraph's own run-time filter
 * finds zero at the reference points (ee_mumu: 4 of 16 contribute, uux_ttxgg: 32 of 64, gg_ttxg:
 * all 32): massless fermion lines conserve helicity. The same loop analysis finds them in both
 * frontends' code — Fortran's SMATRIX, where each helicity's |M|² is a function result, and C++'s
 * sigmaKin, where {@code calculate_wavefunctions} leaves the amplitudes in member storage. That the
 * skipped ones really vanish is checked by the corpus tests, which compare |M|² and its gradient
 * with MadGraph's at every point.
 */
class ZeroHelicitiesTest {
    private static Program program(String process, String format) {
        MadGraphOutput out = MadGraphOutput.open(Corpus.root().resolve(process).resolve(format));
        Path sub = out.subprocess(null);
        return out.format() == MadGraphOutput.Format.CPP_STANDALONE ? new CppFrontend(out.root(), sub).translate()
                : new FortranFrontend(out.root(), sub).translate();
    }

    private static List<SkippedIterations> proved(String process, String format) {
        return ZeroHelicities.provedZero(program(process, format));
    }

    @Test
    void helicityConservingZerosAreProvedInFortranSmatrix() {
        assertEquals(List.of(new SkippedIterations("SMATRIX", "IHEL", 12, 16)), proved("ee_mumu", "fortran"));
        assertEquals(List.of(new SkippedIterations("SMATRIX", "IHEL", 32, 64)), proved("uux_ttxgg", "fortran"));
        assertEquals(List.of(new SkippedIterations("SMATRIX", "IHEL", 6, 12)), proved("ee_zh", "fortran"));
    }

    @Test
    void helicityConservingZerosAreProvedInCppSigmaKin() {
        assertEquals(List.of(new SkippedIterations("CPPProcess_sigmaKin", "ihel", 12, 16)), proved("ee_mumu", "cpp"));
        assertEquals(List.of(new SkippedIterations("CPPProcess_sigmaKin", "ihel", 32, 64)), proved("uux_ttxgg", "cpp"));
        // u d~ > e+ ve through a W: one helicity combination of 16.
        assertEquals(List.of(new SkippedIterations("CPPProcess_sigmaKin", "ihel", 15, 16)), proved("udx_epve", "cpp"));
    }

    @Test
    void nothingIsSkippedWhenEveryHelicityContributes() {
        assertEquals(List.of(), proved("gg_ttxg", "fortran"));
        assertEquals(List.of(), proved("gg_ttxg", "cpp"));
        assertEquals(List.of(), proved("gg_ttx", "cpp"));
    }

    /**
     * Skipping changes no value the program reads, so |M|², the forward gradient and the reverse
     * gradient of the guarded port are the unguarded port's, bit for bit, at every reference point.
     */
    @ParameterizedTest
    @CsvSource({"ee_mumu, cpp", "ee_mumu, fortran", "udx_epve, cpp"})
    void skippingChangesNoBitOfValueOrGradient(String process, String format, @TempDir Path cache) throws Exception {
        Program raw = program(process, format);
        Program guarded = ZeroHelicities.transform(raw);
        assertNotSame(raw, guarded);
        JsonObject sub = JsonParser.parseString(Files.readString(Corpus.root().resolve(process).resolve("reference.json")))
                .getAsJsonObject().getAsJsonArray("subprocesses").get(0).getAsJsonObject();
        List<String> wrt = new ArrayList<>();
        sub.getAsJsonObject("grad").getAsJsonArray("wrt").forEach(w -> wrt.add(w.getAsString()));
        List<Seed> seeds = ModeAgreementTest.seeds(wrt);
        ParamCard card = ParamCard.read(MadGraphOutput.open(Corpus.root().resolve(process).resolve(format)).paramCard());
        JavaPortCompiler compiler = new JavaPortCompiler(cache);
        for (boolean reverse : new boolean[]{false, true}) {
            ProcessEvaluator before = evaluator(raw, reverse, seeds, card, compiler);
            ProcessEvaluator after = evaluator(guarded, reverse, seeds, card, compiler);
            for (JsonElement pt : sub.getAsJsonArray("points")) {
                double[][] p = ModeAgreementTest.momenta(pt.getAsJsonArray());
                double[] g0 = new double[seeds.size()];
                double[] g1 = new double[seeds.size()];
                assertEquals(Double.doubleToRawLongBits(before.evaluate(p, g0)), Double.doubleToRawLongBits(after.evaluate(p, g1)));
                for (int k = 0; k < g0.length; k++) {
                    assertEquals(Double.doubleToRawLongBits(g0[k]), Double.doubleToRawLongBits(g1[k]),
                            (reverse ? "reverse " : "forward ") + wrt.get(k));
                }
            }
        }
    }

    private static ProcessEvaluator evaluator(Program program, boolean reverse, List<Seed> seeds, ParamCard card,
                                              JavaPortCompiler compiler) throws ReflectiveOperationException {
        String src = reverse ? JavaEmitter.adjoint(program).emit(JavaPortCompiler.PACKAGE, "Port")
                : new JavaEmitter(program, seeds.size()).emit(JavaPortCompiler.PACKAGE, "Port");
        String name = "Port_" + Hashing.sha256(src).substring(0, 16);
        Object instance = compiler.compile(name, src.replace("public final class Port extends", "public final class " + name + " extends")
                .replace("    public Port() {", "    public " + name + "() {")).getDeclaredConstructor().newInstance();
        PortMetadata.Facts f = PortMetadata.Facts.of(program);
        return reverse
                ? new AdjointEvaluator((GeneratedAdjointProcess) instance, f.nExternal(), f.inputKeys(), f.defaults(), card, seeds)
                : new PortEvaluator((GeneratedProcess) instance, f.nExternal(), f.inputKeys(), f.defaults(), card, seeds);
    }
}
