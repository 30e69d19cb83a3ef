package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reverse mode records loop-free procedures as one tape record per call and reverses them with
 * generated adjoint code (io.megrad.codegen.emit.java.CallAdjoint). The routines here exercise what
 * HELAS and ALOHA do: INTEGER arguments, nested IF/ELSE on momenta, reads with computed subscripts
 * ({@code SQM(IP)}, {@code CHI(IM)}), an output element read back and one updated in place, and a routine large enough that
 * its adjoint is split into parts. Checked against forward mode (an independent derivative code
 * path: statement partials and tangent loops) and against central finite differences.
 */
class CallAdjointTest {
    @TempDir
    static Path tmp;
    private static JavaPort port;
    private static Path out;
    private static List<Seed> seeds;

    static final String WAVE_F = String.join("\n",
            "      SUBROUTINE WAVE(P, M, NHEL, NSF, FI)",
            "      IMPLICIT NONE",
            "      REAL*8 P(0:3), M, PP, SQM(0:1)",
            "      INTEGER NHEL, NSF, IP, IM, NH",
            "      COMPLEX*16 FI(6), CHI(2)",
            "      FI(1) = DCMPLX(P(0),P(3))*NSF",
            "      FI(2) = DCMPLX(P(1),P(2))*NSF",
            "      NH = NHEL*NSF",
            "      IF (M.NE.0D0) THEN",
            "        PP = MIN(P(0), DSQRT(P(1)**2+P(2)**2+P(3)**2))",
            "        SQM(0) = DSQRT(ABS(M))",
            "        SQM(1) = SIGN(SQM(0), M)*PP/P(0)",
            "        IP = (1+NH)/2",
            "        IM = (1-NH)/2",
            "        FI(3) = IP*SQM(IP)",
            "        FI(4) = IM*NSF*SQM(IP)",
            "        FI(5) = IP*NSF*SQM(IM) + PP*DBLE(FI(1))",
            "        FI(6) = IM*SQM(IM)",
            "      ELSE",
            "        CHI(1) = DCMPLX(DSQRT(P(0)+P(3)))",
            "        IF (P(0)+P(3).EQ.0D0) THEN",
            "          CHI(2) = DCMPLX(-NHEL)",
            "        ELSE",
            "          CHI(2) = DCMPLX(NH*P(1),P(2))/DSQRT(P(0)+P(3))",
            "        ENDIF",
            "        IP = (3+NH)/2",
            "        IM = (3-NH)/2",
            "        FI(3) = CHI(IM)",
            "        FI(4) = CHI(IP)",
            "        FI(5) = CHI(IM)*CHI(IP)",
            "      ENDIF",
            "      FI(2) = FI(2) + DCMPLX(0D0, P(0))*FI(5)",
            "      RETURN",
            "      END", "");

    /** A current with long statements (an adjoint of several parts), intermediate values, and an output read back. */
    static String bigF() {
        StringBuilder f = new StringBuilder();
        f.append("      SUBROUTINE BIG(F1, F2, COUP, V)\n      IMPLICIT NONE\n");
        f.append("      COMPLEX*16 F1(*), F2(*), COUP, V(6), T(8)\n      REAL*8 Q(0:3)\n");
        f.append("      V(1) = F1(1) + F2(1)\n      V(2) = F1(2) + F2(2)\n");
        f.append("      Q(0) = -DBLE(V(1))\n      Q(1) = -DBLE(V(2))\n      Q(2) = -DIMAG(V(2))\n      Q(3) = -DIMAG(V(1))\n");
        for (int t = 1; t <= 8; t++) {
            f.append("      T(").append(t).append(") = ");
            for (int k = 0; k < 12; k++) {
                int a = 3 + (t + k) % 4;
                int b = 3 + (t * k + 1) % 4;
                f.append(k > 0 ? "\n     $ + " : "").append("F1(").append(a).append(")*(F2(").append(b).append(")*Q(").append(k % 4)
                        .append(")-F2(").append(3 + (b + 1) % 4).append(")*").append(k + 1).append("D-1)");
            }
            f.append("\n");
        }
        for (int v = 3; v <= 6; v++) {
            f.append("      V(").append(v).append(") = COUP*(T(").append(v - 2).append(")*T(").append(v + 2).append(")");
            f.append(" - T(").append(v - 1).append(")*Q(").append(v - 3).append("))/(Q(0)**2-Q(1)**2-Q(2)**2-Q(3)**2-1D4)\n");
        }
        f.append("      END\n");
        return f.toString();
    }

    /**
     * SMATRIX of a 2 → 2 toy process: four WAVE wavefunctions per helicity, then {@code body}
     * (currents into V and U, and AMP), summed as |AMP|².
     */
    static String smatrix(String... body) {
        List<String> lines = new ArrayList<>(List.of(
                "      SUBROUTINE SMATRIX(P,ANS)",
                "      IMPLICIT NONE",
                "      REAL*8 P(0:3,4),ANS",
                "      INCLUDE 'coupl.inc'",
                "      INCLUDE 'input.inc'",
                "      COMPLEX*16 W1(6),W2(6),W3(6),W4(6),V(6),U(6),AMP",
                "      INTEGER H",
                "      ANS = 0D0",
                "      DO H = -1, 1, 2",
                "        CALL WAVE(P(0,1), 0D0, H, 1, W1)",
                "        CALL WAVE(P(0,2), 0D0, -H, -1, W2)",
                "        CALL WAVE(P(0,3), MDL_MT, H, 1, W3)",
                "        CALL WAVE(P(0,4), MDL_MT, -H, -1, W4)"));
        for (String line : body) {
            lines.add("        " + line);
        }
        lines.addAll(List.of("        ANS = ANS + DBLE(AMP*DCONJG(AMP))", "      ENDDO", "      END", ""));
        return String.join("\n", lines);
    }

    static final String MATRIX_F = smatrix(
            "CALL BIG(W1, W3, GC_1, V)",
            "CALL BIG(W2, W4, GC_1*DCMPLX(0D0,1D0), U)",
            "AMP = V(3)*U(4) + V(5)*U(6) + V(6)*W2(5) + U(3)*W1(4)");

    /** Generic momenta: no particle near the z axis, so every branch is smooth here (not physical: not on shell). */
    static final double[][] GENERIC = {
            {500, 120, 160, 300}, {500, -120, -160, -300}, {480, 110, -220, 310}, {520, -110, 220, -310}};
    /** Beams along ±z: the massless wavefunction of the second beam takes its P(0)+P(3) = 0 branch. */
    static final double[][] ON_AXIS = {
            {500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};

    @BeforeAll
    static void translate() throws IOException {
        out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), MATRIX_F);
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), WAVE_F);
        Files.writeString(out.resolve("Source/DHELAS/big.f"), bigF());
        port = JavaPort.translate(MadGraphOutput.open(out), null);
        seeds = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(i, mu));
            }
        }
        seeds.add(new Seed.Parameter(ParamKey.parse("MASS:6")));
        seeds.add(new Seed.Parameter(ParamKey.parse("SMINPUTS:1")));
    }

    private static ProcessEvaluator evaluator(JavaPort.Mode mode) {
        return port.evaluator(ParamCard.read(out.resolve("Cards/param_card.dat")), seeds, tmp.resolve("cache"), mode);
    }

    @Test
    void theRoutinesAreRecordedPerCallAndTheLargeOneIsSplit() {
        String src = JavaEmitter.adjoint(port.program()).emit("x", "Adj");
        assertTrue(src.contains("void WAVE$rev("), "WAVE is reversed by generated code");
        assertTrue(src.contains("void BIG$rev$1("), "BIG's adjoint has several parts");
        assertTrue(src.contains("tape.reserveCall("), "calls are recorded");
    }

    @Test
    void reverseAgreesWithForwardAtEveryPoint() {
        ProcessEvaluator forward = evaluator(JavaPort.Mode.FORWARD);
        ProcessEvaluator reverse = evaluator(JavaPort.Mode.REVERSE);
        for (double[][] p : new double[][][]{GENERIC, ON_AXIS}) {
            double[] gf = new double[seeds.size()];
            double[] gr = new double[seeds.size()];
            double mf = forward.evaluate(p, gf);
            double mr = reverse.evaluate(p, gr);
            assertEquals(mf, mr, 1e-14 * Math.abs(mf));
            double scale = 0;
            for (double g : gf) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(scale > 0, "a nonzero gradient");
            for (int i = 0; i < gf.length; i++) {
                assertEquals(gf[i], gr[i], 1e-12 * scale, seeds.get(i).toString());
            }
        }
    }

    @Test
    void reverseMatchesFiniteDifferences() {
        ProcessEvaluator reverse = evaluator(JavaPort.Mode.REVERSE);
        ProcessEvaluator plain = port.evaluator(ParamCard.read(out.resolve("Cards/param_card.dat")), List.of(), tmp.resolve("cache"));
        double[] g = new double[seeds.size()];
        reverse.evaluate(GENERIC, g);
        double scale = 0;
        for (int i = 0; i < 16; i++) {
            scale = Math.max(scale, Math.abs(g[i]));
        }
        for (int i = 0; i < 16; i++) {
            int particle = i / 4;
            int mu = i % 4;
            double h = 1e-6 * Math.abs(GENERIC[particle][0]);
            double[][] up = copy(GENERIC);
            double[][] down = copy(GENERIC);
            up[particle][mu] += h;
            down[particle][mu] -= h;
            double fd = (plain.evaluate(up, new double[0]) - plain.evaluate(down, new double[0])) / (2 * h);
            assertEquals(fd, g[i], 1e-6 * scale, seeds.get(i).toString());
        }
    }

    @Test
    void everyAdjointMethodStaysUnderTheJitLimit() throws IOException {
        Path cache = tmp.resolve("cache");
        evaluator(JavaPort.Mode.REVERSE);
        ClassFileMethods.assertJitCompilable(cache, 1);
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
