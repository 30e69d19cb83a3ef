package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.PortEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UnsupportedConstructException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline (Fortran → IR → Java → compiled evaluator) on a tiny synthetic MadGraph-like
 * output, so no corpus is needed.
 */
class JavaPortEndToEndTest {
    private static final ParamKey MT = ParamKey.parse("MASS:6");
    private static final ParamKey AEWM1 = ParamKey.parse("SMINPUTS:1");

    @TempDir
    static Path shared;
    private static Path out;
    private static Path cache;
    private static JavaPort port;

    static final String MATRIX_F = String.join("\n",
            "      SUBROUTINE SMATRIX(P,ANS)",
            "      IMPLICIT NONE",
            "      INTEGER NEXTERNAL",
            "      PARAMETER (NEXTERNAL=4)",
            "      INTEGER NINITIAL",
            "      PARAMETER (NINITIAL=2)",
            "      REAL*8 P(0:3,NEXTERNAL),ANS",
            "      INCLUDE 'coupl.inc'",
            "      INCLUDE 'input.inc'",
            "      COMPLEX*16 W(6),AMP",
            "      REAL*8 DOT,S",
            "      INTEGER I",
            "C     the helper sees particle 3's momentum through sequence association",
            "      CALL HLP(P(0,3),GC_1,W)",
            "      S = DOT(P(0,1),P(0,2))",
            "      AMP = (0D0,0D0)",
            "      DO I=1,6",
            "        AMP = AMP + W(I)*DCMPLX(DBLE(I),MDL_MT2/1D4)",
            "      ENDDO",
            "      IF (S .GT. 0D0) THEN",
            "        AMP = AMP*SQRT(S)",
            "      ELSE",
            "        AMP = AMP*(0D0,1D0)*2D0",
            "      ENDIF",
            "      ANS = DBLE(AMP*DCONJG(AMP))/MDL_MT2 + S*MDL_EE",
            "      END",
            "",
            "      REAL*8 FUNCTION DOT(A,B)",
            "      IMPLICIT NONE",
            "      REAL*8 A(0:3),B(0:3)",
            "      DOT = A(0)*B(0)-A(1)*B(1)-A(2)*B(2)-A(3)*B(3)",
            "      END",
            "");

    /** Writes the synthetic output; {@code matrix} is the text of SubProcesses/P1_test/matrix.f. */
    static Path writeOutput(Path root, String matrix) throws IOException {
        Path cards = Files.createDirectories(root.resolve("Cards"));
        Files.writeString(cards.resolve("param_card.dat"), String.join("\n",
                "BLOCK MASS",
                "    6 1.730000e+02 # MT",
                "BLOCK SMINPUTS",
                "    1 1.279000e+02 # aEWM1",
                ""));
        Files.writeString(cards.resolve("ident_card.dat"), "mass 6 mdl_MT\nsminputs 1 aEWM1\n");
        Path model = Files.createDirectories(root.resolve("Source/MODEL"));
        Files.writeString(model.resolve("input.inc"), String.join("\n",
                "      DOUBLE PRECISION MDL_MT,AEWM1",
                "      COMMON/PARAMS_R/ MDL_MT,AEWM1", ""));
        Files.writeString(model.resolve("coupl.inc"), String.join("\n",
                "      DOUBLE PRECISION MDL_MT2,MDL_EE",
                "      COMMON/COUPL_R/ MDL_MT2,MDL_EE",
                "      DOUBLE COMPLEX GC_1",
                "      COMMON/COUPL_C/ GC_1", ""));
        Files.writeString(model.resolve("param_read.inc"), String.join("\n",
                "      CALL LHA_GET_REAL(NPARA,PARAM,VALUE,'mdl_MT',MDL_MT,1.730000D+02)",
                "      CALL LHA_GET_REAL(NPARA,PARAM,VALUE,'aEWM1',AEWM1,1.279000D+02)", ""));
        Files.writeString(model.resolve("couplings.f"), String.join("\n",
                "      SUBROUTINE COUP()",
                "      IMPLICIT NONE",
                "      INCLUDE 'input.inc'",
                "      INCLUDE 'coupl.inc'",
                "      DOUBLE PRECISION PI",
                "      PARAMETER (PI=3.141592653589793D0)",
                "      MDL_MT2 = MDL_MT**2",
                "      MDL_EE = 2D0*SQRT(1D0/AEWM1)*SQRT(PI)",
                "      GC_1 = (0D0,1D0)*MDL_EE*MDL_MT/1D2",
                "      END", ""));
        Path dhelas = Files.createDirectories(root.resolve("Source/DHELAS"));
        Files.writeString(dhelas.resolve("hlp.f"), String.join("\n",
                "      SUBROUTINE HLP(Q,G,W)",
                "      IMPLICIT NONE",
                "      REAL*8 Q(0:3)",
                "      COMPLEX*16 G,W(6)",
                "      INTEGER I",
                "      DO I=1,4",
                "        W(I) = G*DCMPLX(Q(I-1),0D0)",
                "      ENDDO",
                "      W(5) = DCMPLX(Q(0)**2-Q(3)**2,Q(1)*Q(2))",
                "      W(6) = DCONJG(W(5))",
                "      END", ""));
        Path p1 = Files.createDirectories(root.resolve("SubProcesses/P1_test"));
        Files.writeString(p1.resolve("matrix.f"), matrix);
        return root;
    }

    @BeforeAll
    static void translate() throws IOException {
        out = writeOutput(shared.resolve("out"), MATRIX_F);
        cache = shared.resolve("cache");
        port = JavaPort.translate(MadGraphOutput.open(out), null);
    }

    private static final double[][] FORWARD = {
            {500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};
    /** p1·p2 < 0 here, so SMATRIX takes its ELSE branch. */
    private static final double[][] NEGATIVE_S = {
            {500, 0, 0, 500}, {10, 3, 0, 50}, {480, 110, -220, 310}, {30, -110, 220, -310}};

    // ------------------------------------------------------------------ independent Java computation

    /** SMATRIX of the synthetic output, written again in plain Java with (re, im) pairs. */
    private static double expected(double[][] p, double mt, double aewm1) {
        double mt2 = mt * mt;
        double ee = 2 * Math.sqrt(1 / aewm1) * Math.sqrt(Math.PI);
        double[] g = {0, ee * mt / 100};
        double[][] w = new double[6][];
        double[] q = p[2];
        for (int i = 0; i < 4; i++) {
            w[i] = new double[]{g[0] * q[i], g[1] * q[i]};
        }
        w[4] = new double[]{q[0] * q[0] - q[3] * q[3], q[1] * q[2]};
        w[5] = new double[]{w[4][0], -w[4][1]};
        double s = p[0][0] * p[1][0] - p[0][1] * p[1][1] - p[0][2] * p[1][2] - p[0][3] * p[1][3];
        double[] amp = {0, 0};
        for (int i = 1; i <= 6; i++) {
            amp = add(amp, mul(w[i - 1], new double[]{i, mt2 / 1e4}));
        }
        amp = s > 0 ? mul(amp, new double[]{Math.sqrt(s), 0}) : mul(amp, new double[]{0, 2});
        return (amp[0] * amp[0] + amp[1] * amp[1]) / mt2 + s * ee;
    }

    private static double[] add(double[] a, double[] b) {
        return new double[]{a[0] + b[0], a[1] + b[1]};
    }

    private static double[] mul(double[] a, double[] b) {
        return new double[]{a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]};
    }

    private static ParamCard card() {
        return ParamCard.read(out.resolve("Cards/param_card.dat"));
    }

    private static double value(ParamCard card, double[][] p) {
        return port.evaluator(card, List.of(), cache).evaluate(p, new double[0]);
    }

    @Test
    void valueMatchesIndependentJavaComputationOnBothIfBranches() {
        // Compared against expected(): the same formula written directly in Java.
        for (double[][] p : List.of(FORWARD, NEGATIVE_S)) {
            double want = expected(p, 173.0, 127.9);
            assertEquals(want, value(card(), p), 1e-12 * Math.abs(want));
        }
    }

    @Test
    void derivativesMatchCentralFiniteDifferencesOfThePort() {
        // Property: forward-mode derivatives equal central finite differences of the port itself.
        List<Seed> seeds = new ArrayList<>();
        for (int particle = 1; particle <= 4; particle++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(particle, mu));
            }
        }
        seeds.add(new Seed.Parameter(MT));
        seeds.add(new Seed.Parameter(AEWM1));
        for (double[][] p : List.of(FORWARD, NEGATIVE_S)) {
            PortEvaluator ev = port.evaluator(card(), seeds, cache);
            double[] grad = new double[seeds.size()];
            double me = ev.evaluate(p, grad);
            for (int k = 0; k < 16; k++) {
                int i = k / 4;
                int mu = k % 4;
                double h = 1e-5 * Math.max(1, Math.abs(p[i][mu]));
                double[][] plus = copy(p);
                double[][] minus = copy(p);
                plus[i][mu] += h;
                minus[i][mu] -= h;
                double fd = (value(card(), plus) - value(card(), minus)) / (2 * h);
                assertClose(fd, grad[k], me, "d/dp" + (i + 1) + "[" + mu + "]");
            }
            int k = 16;
            for (ParamKey key : List.of(MT, AEWM1)) {
                double v = card().value(key).getAsDouble();
                double h = 1e-5 * v;
                double fd = (value(card().with(key, v + h), p) - value(card().with(key, v - h), p)) / (2 * h);
                assertClose(fd, grad[k++], me, "d/d" + key);
            }
        }
    }

    private static void assertClose(double fd, double ad, double scale, String what) {
        // Relative 1e-6, with a floor for derivatives that are (nearly) zero.
        double tol = 1e-6 * Math.max(Math.abs(fd), Math.abs(ad)) + 1e-10 * Math.abs(scale);
        assertTrue(Math.abs(fd - ad) <= tol, what + ": AD " + ad + " vs FD " + fd);
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void writeStatementInSmatrixIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "      WRITE(*,*) S", "statement 'WRITE");
    }

    @Test
    void gotoInSmatrixIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "      GOTO 10", "GOTO");
    }

    /** Inserts {@code bad} right after {@code S = DOT(...)} (line 16 of matrix.f) and translates. */
    private static void assertUnsupportedAt(Path dir, String bad, String what) throws IOException {
        String matrix = MATRIX_F.replace("      S = DOT(P(0,1),P(0,2))\n", "      S = DOT(P(0,1),P(0,2))\n" + bad + "\n");
        Path root = writeOutput(dir, matrix);
        Path matrixFile = root.resolve("SubProcesses/P1_test/matrix.f");
        assertEquals(bad, Files.readAllLines(matrixFile).get(15));
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class,
                () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().startsWith(matrixFile + ":16: unsupported " + what), e.getMessage());
    }
}
