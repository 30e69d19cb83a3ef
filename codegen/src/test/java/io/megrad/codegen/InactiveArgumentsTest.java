package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reverse port for a gradient w.r.t. the final state and parameters skips the adjoints that
 * could only reach the incoming particles' momenta: the vertices taking an incoming wavefunction
 * are reversed by a variant treating it as passive (InactiveArguments, CallAdjoint.variant).
 * Checked: which calls take a variant in the generated source (in MATRIX's call sequence, or
 * retagged on the tape when MATRIX is not all calls), and the final-state gradient
 * against forward mode (which has no variants: an independent path), against the reverse port
 * that sweeps back to every momentum, and against central finite differences; with an incoming
 * column overwritten by a value that does carry a derivative, and vertices whose inputs are all
 * passive.
 */
class InactiveArgumentsTest {
    @TempDir
    Path tmp;

    private Path output(String name, String... body) throws IOException {
        return FramedArraysTest.vertexOutput(tmp.resolve(name), TailOutlinerTest.SMATRIX_F, List.of(body));
    }

    private static Program program(Path out) {
        return JavaPort.translate(MadGraphOutput.open(out), null).program();
    }

    /** Column 2 (incoming) is overwritten by a vertex of column 3 (outgoing), then read. */
    static final String[] RECYCLED_INCOMING = {
            "CALL VERT(W(1,1), W(1,2), GC_1, W(1,3))",
            "CALL AMPL(W(1,3), W(1,4), GC_1, AMP(1))",
            "CALL VERT(W(1,3), W(1,1), GC_1, W(1,2))",
            "CALL AMPL(W(1,2), W(1,4), GC_1, AMP(2))",
            "CALL AMPL(W(1,1), W(1,3), GC_1, AMP(3))"};

    @Test
    void callsTakingIncomingWavefunctionsTakeAVariant() throws IOException {
        Program program = program(output("variants", RECYCLED_INCOMING));
        String full = JavaEmitter.adjoint(program).emit("x", "Adj");
        assertFalse(full.contains("$rev$v"), "sweeping back to every momentum needs no variant");
        String src = JavaEmitter.adjoint(program, Set.of(1, 2)).emit("x", "Adj");
        // MATRIX is all calls: its call sequence's adjoint calls each call's adjoint (CallSequences).
        List<String> calls = sequenceAdjointCalls(src);
        assertEquals(10, calls.size(), "four wavefunctions, five vertices and the colour sum: " + calls);
        // WAVE for particles 1 and 2 (all inputs passive); VERT(W1, W2) (both wavefunctions);
        // VERT(W3, W1) and AMPL(W1, W3) (their second and first); AMPL(W2, W4) reads column 2's
        // second generation, which carries a derivative; AMPL(W3, W4) has none passive.
        boolean[] variant = {true, true, false, false, true, false, true, false, true, false};
        for (int k = 0; k < calls.size(); k++) {
            assertEquals(variant[k], calls.get(k).contains("$rev$v"), "call " + k + ": " + calls.get(k));
        }
        assertTrue(src.contains("private void VERT$rev$v"), "a variant of VERT");
        assertTrue(src.contains("private void AMPL$rev$v"), "a variant of AMPL");
    }

    /** The adjoint calls in MATRIX's call sequence adjoint, in the order of the calls they reverse. */
    static List<String> sequenceAdjointCalls(String src) {
        List<String> calls = new ArrayList<>();
        for (String line : src.split("\n")) {
            if (line.contains("(tv, v + ") && line.contains("// ")) {
                calls.add(line.trim());
            }
        }
        java.util.Collections.reverse(calls);
        return calls;
    }

    /** The code of MATRIX's calls, in order (the first, [0], is what precedes them; WAVE is [1] to [4]). */
    private static String[] matrixCalls(String src) {
        String matrix = src.substring(src.indexOf("private void MATRIX("), src.indexOf("private void MATRIX$tail"));
        return matrix.split("\\{ // CALL ");
    }

    @Test
    void theFinalStateGradientIsUnchanged() throws IOException {
        assertFinalStateGradientAgrees(output("agree", RECYCLED_INCOMING));
    }

    @Test
    void verticesWithOnlyPassiveInputsAndAssignmentsFromThem() throws IOException {
        Path out = output("passive",
                "CALL VERT(W(1,1), W(1,2), DCMPLX(1D0, 0D0), W(1,3))",
                "CALL AMPL(W(1,3), W(1,4), GC_1, AMP(1))",
                "W(4,2) = W(3,1)*W(4,4)",
                "CALL AMPL(W(1,2), W(1,1), GC_1, AMP(2))",
                "AMP(3) = W(4,2)*W(3,4) + W(5,1)");
        String src = JavaEmitter.adjoint(program(out), Set.of(1, 2)).emit("x", "Adj");
        assertFalse(src.contains("$seq$rev"), "an assignment among the calls: each call is its own record, retagged");
        String[] calls = matrixCalls(src);
        // WAVE 1 and 2 and VERT (a constant coupling): nothing they compute reaches the final state.
        // AMPL(W3, W4) skips W3; AMPL(W2, W1) skips W1 but not W2, one of whose elements was
        // assigned from W(4,4), an outgoing wavefunction.
        assertTrue(calls[1].contains("retagCall") && calls[2].contains("retagCall") && !calls[3].contains("retagCall"), "WAVE 1 and 2");
        assertTrue(calls[5].startsWith("VERT") && calls[5].contains("retagCall"), "VERT of incoming wavefunctions: " + calls[5]);
        assertTrue(calls[6].startsWith("AMPL") && calls[6].contains("retagCall"), "AMPL of a passive current: " + calls[6]);
        assertTrue(calls[7].startsWith("AMPL") && calls[7].contains("retagCall"), "AMPL(W2, W1) still skips W1: " + calls[7]);
        assertEquals(5, count(src, "tape.retagCall("), "five calls take a variant");
        assertFinalStateGradientAgrees(out);
    }

    @Test
    void onlyUnseededIncomingParticlesArePassive() throws IOException {
        Program program = program(output("seeds", RECYCLED_INCOMING));
        assertEquals(Set.of(1, 2), JavaPort.unseededIncoming(program, List.of(new Seed.Momentum(3, 0), new Seed.Parameter(ParamKey.parse("MASS:6")))));
        assertEquals(Set.of(2), JavaPort.unseededIncoming(program, List.of(new Seed.Momentum(1, 2), new Seed.Momentum(4, 0))));
        assertEquals(Set.of(), JavaPort.unseededIncoming(program, List.of(new Seed.Momentum(1, 0), new Seed.Momentum(2, 3))));
    }

    /**
     * A property, on random MATRIX bodies (seeded, so reproducible): vertices and amplitudes over
     * random columns, recycled columns, constant couplings, and elements assigned from products of
     * others. Whatever the analysis decides, the final-state gradient of the port with variants
     * agrees with forward mode and with the port sweeping back to every momentum. Dropping the
     * update of an overwritten column, or taking a call's outputs as passive when one input is not,
     * fails it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void randomBodiesKeepTheFinalStateGradient(int seed) throws IOException {
        java.util.Random rnd = new java.util.Random(seed);
        List<String> body = new ArrayList<>();
        String[] couplings = {"GC_1", "DCMPLX(1D0, 0D0)", "GC_1*DCMPLX(0D0, 1D0)"};
        for (int k = 0; k < 5; k++) {
            int a = 1 + rnd.nextInt(4);
            int b = 1 + (a + rnd.nextInt(3)) % 4;
            int c = 1 + rnd.nextInt(4);
            while (c == a || c == b) {
                c = 1 + rnd.nextInt(4);
            }
            String coupling = couplings[rnd.nextInt(couplings.length)];
            switch (rnd.nextInt(3)) {
                case 0 -> body.add("CALL VERT(W(1," + a + "), W(1," + b + "), " + coupling + ", W(1," + c + "))");
                case 1 -> body.add("W(" + (3 + rnd.nextInt(4)) + "," + c + ") = W(" + (3 + rnd.nextInt(4)) + "," + a + ")*W("
                        + (3 + rnd.nextInt(4)) + "," + b + ")");
                default -> body.add("CALL AMPL(W(1," + a + "), W(1," + b + "), " + coupling + ", AMP(" + (1 + rnd.nextInt(3)) + "))");
            }
        }
        for (int amp = 1; amp <= 3; amp++) {
            int a = 1 + rnd.nextInt(4);
            body.add("CALL AMPL(W(1," + a + "), W(1," + (1 + a % 4) + "), " + couplings[rnd.nextInt(couplings.length)] + ", AMP(" + amp + "))");
        }
        assertFinalStateGradientAgrees(output("random" + seed, body.toArray(String[]::new)), false);
    }

    /**
     * The final-state momenta and two parameters: the reverse port (passive incoming particles)
     * against forward mode and the reverse port seeded with every momentum, within 1e-12 (momenta
     * relative to the largest momentum derivative, parameters each to itself), and the momenta
     * against five-point central differences within 1e-6.
     */
    private void assertFinalStateGradientAgrees(Path out) {
        assertFinalStateGradientAgrees(out, true);
    }

    /** {@code everyParameter}: each parameter derivative must be nonzero (a random body may not use a parameter). */
    private void assertFinalStateGradientAgrees(Path out, boolean everyParameter) {
        JavaPort port = JavaPort.translate(MadGraphOutput.open(out), null);
        ParamCard card = ParamCard.read(out.resolve("Cards/param_card.dat"));
        List<Seed> seeds = new ArrayList<>();
        for (int i = 3; i <= 4; i++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(i, mu));
            }
        }
        seeds.add(new Seed.Parameter(ParamKey.parse("MASS:6")));
        seeds.add(new Seed.Parameter(ParamKey.parse("SMINPUTS:1")));
        Path cache = tmp.resolve("cache");
        double[][] point = CallAdjointTest.GENERIC;
        double[] gf = new double[seeds.size()];
        double[] gr = new double[seeds.size()];
        double mf = port.evaluator(card, seeds, cache, JavaPort.Mode.FORWARD).evaluate(point, gf);
        double mr = port.evaluator(card, seeds, cache, JavaPort.Mode.REVERSE).evaluate(point, gr);
        List<Seed> all = ReverseChecks.seeds("MASS:6", "SMINPUTS:1");
        double[] ga = new double[all.size()];
        port.evaluator(card, all, cache, JavaPort.Mode.REVERSE).evaluate(point, ga);
        assertTrue(mf != 0, "a nonzero |M|^2");
        assertEquals(mf, mr, 1e-14 * Math.abs(mf));
        double scale = 0;
        for (int i = 0; i < 8; i++) {
            scale = Math.max(scale, Math.abs(gf[i]));
        }
        assertTrue(scale > 0, "a nonzero gradient");
        for (int i = 0; i < seeds.size(); i++) {
            double tol = 1e-12 * (i < 8 ? scale : Math.abs(gf[i]));
            assertTrue(i < 8 || !everyParameter || gf[i] != 0, "a nonzero derivative w.r.t. " + seeds.get(i));
            assertEquals(gf[i], gr[i], tol, "forward vs reverse, " + seeds.get(i));
            assertEquals(ga[i + 8], gr[i], tol, "every momentum vs final state, " + seeds.get(i));
        }
        ProcessEvaluator plain = port.evaluator(card, List.of(), cache);
        for (int i = 0; i < 8; i++) {
            int particle = 2 + i / 4;
            double h = 1e-4 * point[particle][0];
            // Five-point central differences: an error of order h^4.
            double fd = (8 * (shifted(plain, point, particle, i % 4, h) - shifted(plain, point, particle, i % 4, -h))
                    - (shifted(plain, point, particle, i % 4, 2 * h) - shifted(plain, point, particle, i % 4, -2 * h))) / (12 * h);
            assertEquals(fd, gr[i], 1e-6 * scale, seeds.get(i).toString());
        }
    }

    private static double shifted(ProcessEvaluator plain, double[][] point, int particle, int component, double h) {
        double[][] p = copy(point);
        p[particle][component] += h;
        return plain.evaluate(p, new double[0]);
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
