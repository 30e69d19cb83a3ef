package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.PortEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A synthetic process larger than gg→tt̄gg (800 amplitudes, 40 colour flows, JAMP statements of
 * 20 terms, a 40×40 colour matrix): the generated Java must compile, keep every method under
 * HotSpot's 8,000-byte JIT limit (forward and reverse ports), and still compute the right numbers (against the same formula
 * written in Java, and derivatives against finite differences).
 */
class LargeProcessTest {
    static final int NAMP = 800;
    static final int NCOLOR = 40;

    @TempDir
    static Path tmp;
    private static JavaPort port;
    private static Path out;

    static String matrixF() {
        StringBuilder f = new StringBuilder();
        f.append("      SUBROUTINE SMATRIX(P,ANS)\n      IMPLICIT NONE\n");
        f.append("      INTEGER NEXTERNAL,NINITIAL,NAMP,NCOLOR\n");
        f.append("      PARAMETER (NEXTERNAL=4,NINITIAL=2,NAMP=").append(NAMP).append(",NCOLOR=").append(NCOLOR).append(")\n");
        f.append("      REAL*8 P(0:3,NEXTERNAL),ANS\n      INCLUDE 'coupl.inc'\n      INCLUDE 'input.inc'\n");
        f.append("      COMPLEX*16 W(6,NAMP),AMP(NAMP),JAMP(NCOLOR),ZTEMP\n      REAL*8 CF(NCOLOR,NCOLOR)\n      INTEGER I,J\n");
        for (int i = 1; i <= NCOLOR; i++) {
            f.append("      DATA (CF(J,").append(i).append("),J=1,").append(NCOLOR).append(") /");
            for (int j = 1; j <= NCOLOR; j++) {
                f.append(j > 1 ? "," : "").append(j % 4 == 0 ? "\n     $ " : "").append(cf(i, j)).append("D0");
            }
            f.append("/\n");
        }
        for (int k = 1; k <= NAMP; k++) {
            f.append("      CALL HLP(P(0,").append(3 + k % 2).append("),GC_1*").append(k).append("D-2,W(1,").append(k).append("))\n");
            f.append("      AMP(").append(k).append(") = W(").append(1 + k % 6).append(",").append(k).append(")*DCMPLX(")
                    .append(k).append("D0,1D0)\n");
        }
        for (int c = 1; c <= NCOLOR; c++) {
            f.append("      JAMP(").append(c).append(") = ");
            int terms = 0;
            for (int k = 1; k <= NAMP; k++) {
                if (k % NCOLOR == c - 1) {
                    f.append(terms > 0 ? "\n     $ +" : "").append(coefficient(c, k)).append("D0*AMP(").append(k).append(")");
                    terms++;
                }
            }
            f.append("\n");
        }
        f.append("      ANS = 0D0\n      DO I = 1, NCOLOR\n        ZTEMP = (0D0,0D0)\n        DO J = 1, NCOLOR\n");
        f.append("          ZTEMP = ZTEMP + CF(J,I)*JAMP(J)\n        ENDDO\n        ANS = ANS + ZTEMP*DCONJG(JAMP(I))\n      ENDDO\n");
        f.append("      END\n");
        return f.toString();
    }

    static String cf(int i, int j) {
        return Double.toString(1.0 / (1 + Math.abs(i - j)));
    }

    static int coefficient(int c, int k) {
        return c + k % 3;
    }

    /** The same computation in plain Java, with (re, im) pairs. */
    static double expected(double[][] p, double mt) {
        double ee = 2 * Math.sqrt(1 / 127.9) * Math.sqrt(Math.PI);
        double gi = ee * mt / 100;
        double[][] jamp = new double[NCOLOR][2];
        for (int k = 1; k <= NAMP; k++) {
            double[] q = p[2 + k % 2];
            double g = gi * k * 1e-2;
            double[][] w = new double[6][];
            for (int i = 0; i < 4; i++) {
                w[i] = new double[]{0, g * q[i]};
            }
            w[4] = new double[]{q[0] * q[0] - q[3] * q[3], q[1] * q[2]};
            w[5] = new double[]{w[4][0], -w[4][1]};
            double[] a = w[k % 6];
            double[] amp = {a[0] * k - a[1], a[0] + a[1] * k};
            int c = k % NCOLOR;
            jamp[c][0] += coefficient(c + 1, k) * amp[0];
            jamp[c][1] += coefficient(c + 1, k) * amp[1];
        }
        double ans = 0;
        for (int i = 0; i < NCOLOR; i++) {
            double zr = 0;
            double zi = 0;
            for (int j = 0; j < NCOLOR; j++) {
                double cfv = Double.parseDouble(cf(j + 1, i + 1));
                zr += cfv * jamp[j][0];
                zi += cfv * jamp[j][1];
            }
            ans += zr * jamp[i][0] + zi * jamp[i][1];
        }
        return ans;
    }

    private static final double[][] POINT = {
            {500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};

    @BeforeAll
    static void translate() throws IOException {
        out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), matrixF());
        port = JavaPort.translate(MadGraphOutput.open(out), null);
    }

    @Test
    void valueMatchesTheSameFormulaInJava() {
        ParamCard card = ParamCard.read(out.resolve("Cards/param_card.dat"));
        PortEvaluator ev = port.evaluator(card, List.of(), tmp.resolve("cache"));
        double want = expected(POINT, 173.0);
        assertEquals(want, ev.evaluate(POINT, new double[0]), 1e-12 * Math.abs(want));
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        ParamCard card = ParamCard.read(out.resolve("Cards/param_card.dat"));
        List<Seed> seeds = List.of(new Seed.Momentum(3, 1), new Seed.Momentum(4, 3));
        // Forward mode, and reverse mode: its SMATRIX is split into chunks and keeps AMP in the tape's
        // frames (not W: HLP has a loop, so it is not recorded per call and could write W anywhere).
        String adjoint = io.megrad.codegen.emit.java.JavaEmitter.adjoint(port.program()).emit("x", "Adj");
        assertTrue(adjoint.contains("SMATRIX__AMP_f = tape.frame(") && adjoint.contains("private boolean SMATRIX$1("),
                "the reverse port's SMATRIX is split and frames AMP");
        for (JavaPort.Mode mode : JavaPort.Mode.values()) {
            io.megrad.runtime.ProcessEvaluator ev = port.evaluator(card, seeds, tmp.resolve("cache"), mode);
            double[] grad = new double[2];
            ev.evaluate(POINT, grad);
            int[][] comps = {{2, 1}, {3, 3}};
            for (int d = 0; d < 2; d++) {
                double h = 1e-3;
                double[][] up = copy(POINT);
                double[][] down = copy(POINT);
                up[comps[d][0]][comps[d][1]] += h;
                down[comps[d][0]][comps[d][1]] -= h;
                double fd = (expected(up, 173.0) - expected(down, 173.0)) / (2 * h);
                assertEquals(fd, grad[d], 1e-6 * Math.abs(fd), mode + " direction " + d);
            }
        }
    }

    @Test
    void everyGeneratedMethodStaysUnderTheJitLimit() throws IOException {
        for (int directions : new int[]{0, 20}) {
            List<Seed> seeds = new ArrayList<>();
            for (int k = 0; k < directions; k++) {
                seeds.add(new Seed.Momentum(3 + k / 4 % 2, k % 4));
            }
            port.evaluator(ParamCard.read(out.resolve("Cards/param_card.dat")), seeds, tmp.resolve("cache"));
            port.evaluator(ParamCard.read(out.resolve("Cards/param_card.dat")), seeds, tmp.resolve("cache"), JavaPort.Mode.REVERSE);
        }
        ClassFileMethods.assertJitCompilable(tmp.resolve("cache"), 3); // the primal, the 20-direction and the reverse port
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
