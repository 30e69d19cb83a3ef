package io.megrad.codegen.cpp;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.runtime.InputException;
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
 * The whole C++ route (standalone_cpp files → IR → Java → compiled evaluator) on a small synthetic
 * output shaped like MadGraph's (Parameters singleton read through SLHAReader, HelAmps namespace,
 * CPPProcess with the helicity loop, a mirror process, the colour sum), so no corpus is needed.
 */
class CppEndToEndTest {
    private static final ParamKey MT = ParamKey.parse("MASS:6");
    private static final ParamKey AEWM1 = ParamKey.parse("SMINPUTS:1");
    private static final ParamKey AS = ParamKey.parse("SMINPUTS:3");
    private static final ParamKey YUK = ParamKey.parse("YUKAWA:1:2");

    @TempDir
    static Path shared;
    private static Path out;
    private static Path cache;
    private static JavaPort port;

    static final String PARAMETERS_H = String.join("\n",
            "#ifndef Parameters_toy_H",
            "#define Parameters_toy_H",
            "#include <complex> ",
            "#include \"read_slha.h\"",
            "using namespace std; ",
            "class Parameters_toy",
            "{",
            "  public:",
            "    static Parameters_toy * getInstance(); ",
            "    // Model parameters",
            "    double ZERO, mdl_MT, aEWM1, mdl_yuk, aS, mdl_MT2, mdl_ee, G; ",
            "    std::complex<double> mdl_complexi, GC_1, GC_2; ",
            "    void setIndependentParameters(SLHAReader& slha); ",
            "    void setIndependentCouplings(); ",
            "    void setDependentParameters(); ",
            "    void setDependentCouplings(); ",
            "    void printIndependentParameters(); ",
            "  private:",
            "    static Parameters_toy * instance; ",
            "}; ",
            "#endif  // Parameters_toy_H",
            "");

    static final String PARAMETERS_CC = String.join("\n",
            "#include <iostream> ",
            "#include <iomanip> ",
            "#include \"Parameters_toy.h\"",
            "Parameters_toy * Parameters_toy::instance = 0; ",
            "Parameters_toy * Parameters_toy::getInstance()",
            "{",
            "  if (instance == 0)",
            "    instance = new Parameters_toy(); ",
            "  return instance; ",
            "}",
            "void Parameters_toy::setIndependentParameters(SLHAReader& slha)",
            "{",
            "  ZERO = 0; ",
            "  vector<int> indices(2, 0); ",
            "  mdl_MT = slha.get_block_entry(\"mass\", 6, 1.730000e+02); ",
            "  aEWM1 = slha.get_block_entry(\"sminputs\", 1, 1.325070e+02); ",
            "  indices[0] = 1; ",
            "  indices[1] = 2; ",
            "  mdl_yuk = slha.get_block_entry(\"yukawa\", indices, 2.500000e+00); ",
            "  aS = slha.get_block_entry(\"sminputs\", 3, 1.180000e-01); ",
            "  mdl_complexi = std::complex<double> (0., 1.); ",
            "  mdl_MT2 = pow(mdl_MT, 2); ",
            "  mdl_ee = 2. * sqrt(1./aEWM1) * sqrt(M_PI); ",
            "}",
            "void Parameters_toy::setIndependentCouplings()",
            "{",
            "  GC_1 = mdl_complexi * mdl_ee * mdl_MT/100.; ",
            "}",
            "void Parameters_toy::setDependentParameters()",
            "{",
            "  G = 2. * sqrt(aS) * sqrt(M_PI); ",
            "}",
            "void Parameters_toy::setDependentCouplings()",
            "{",
            "  GC_2 = -G * mdl_yuk; ",
            "}",
            "void Parameters_toy::printIndependentParameters()",
            "{",
            "  cout << setw(20) <<  \"mdl_MT \" <<  \"= \" << setiosflags(ios::scientific) <<",
            "      setw(10) << mdl_MT << endl;",
            "}",
            "");

    static final String HELAMPS_H = String.join("\n",
            "#ifndef HelAmps_toy_H",
            "#define HelAmps_toy_H",
            "#include <cmath> ",
            "#include <complex> ",
            "using namespace std; ",
            "namespace MG5_toy ",
            "{",
            "double Sgn(double e, double f); ",
            "void hlp(double p[4], std::complex<double> COUP, int nhel, std::complex<double> w[6]);",
            "void amp0(std::complex<double> W1[], std::complex<double> W2[], std::complex<double> COUP,",
            "    std::complex<double> & vertex);",
            "}  // end namespace MG5_toy",
            "#endif  // HelAmps_toy_H",
            "");

    static final String HELAMPS_CC = String.join("\n",
            "#include \"HelAmps_toy.h\"",
            "#include <complex> ",
            "#include <cmath> ",
            "#include <iostream> ",
            "#include <cstdlib> ",
            "using namespace std; ",
            "namespace MG5_toy ",
            "{",
            "double Sgn(double a, double b)",
            "{",
            "  return (b < 0)? - abs(a):abs(a); ",
            "}",
            "void hlp(double p[4], std::complex<double> COUP, int nhel, std::complex<double> w[6])",
            "{",
            "  static std::complex<double> cI = std::complex<double> (0., 1.); ",
            "  double pt2 = p[1] * p[1] + p[2] * p[2]; ",
            "  int i; ",
            "  for(i = 0; i < 4; i++ )",
            "    w[i] = COUP * p[i] * double(nhel); ",
            "  w[4] = complex<double> (p[0] * p[0] - p[3] * p[3], p[1] * p[2]); ",
            "  w[5] = conj(w[4]) + cI * Sgn(sqrt(pt2), p[3]); ",
            "  i = 0; ",
            "  while (i < 2)",
            "  {",
            "    w[i] = w[i] + w[i + 4] * 0.5; ",
            "    i++; ",
            "  }",
            "  if (nhel > 5)",
            "  {",
            "    std::cerr <<  \"Invalid helicity in hlp.\\n\"; ",
            "    std::exit(1); ",
            "  }",
            "}",
            "void amp0(std::complex<double> W1[], std::complex<double> W2[], std::complex<double> COUP,",
            "    std::complex<double> & vertex)",
            "{",
            "  std::complex<double> TMP0; ",
            "  TMP0 = (W1[0] * W2[0] - W1[1] * W2[1] - W1[2] * W2[2] - W1[3] * W2[3]); ",
            "  vertex = COUP * TMP0/(W1[4].real() + 1.); ",
            "}",
            "}  // end namespace $(namespace)s_toy",
            "");

    static final String PROCESS_H = String.join("\n",
            "#ifndef MG5_Sigma_toy_xx_H",
            "#define MG5_Sigma_toy_xx_H",
            "#include <complex> ",
            "#include <vector> ",
            "#include \"Parameters_toy.h\"",
            "using namespace std; ",
            "class CPPProcess",
            "{",
            "  public:",
            "    CPPProcess() {}",
            "    virtual void initProc(string param_card_name); ",
            "    virtual void sigmaKin(); ",
            "    virtual string name() const {return \"x x > y y (toy)\";}",
            "    const vector<double> & getMasses() const {return mME;}",
            "    vector < double * > getMomenta(){return p;}",
            "    void setMomenta(vector < double * > & momenta){p = momenta;}",
            "    void setInitial(int inid1, int inid2){id1 = inid1; id2 = inid2;}",
            "    const double * getMatrixElements() const {return matrix_element;}",
            "    static const int ninitial = 2; ",
            "    static const int nexternal = 4; ",
            "    static const int nprocesses = 2; ",
            "  private:",
            "    void calculate_wavefunctions(const int perm[], const int hel[]); ",
            "    static const int nwavefuncs = 3; ",
            "    std::complex<double> w[nwavefuncs][6]; ",
            "    static const int namplitudes = 2; ",
            "    std::complex<double> amp[namplitudes]; ",
            "    double matrix_1_xx_yy(); ",
            "    double matrix_element[nprocesses]; ",
            "    double * jamp2[nprocesses]; ",
            "    Parameters_toy * pars; ",
            "    vector<double> mME; ",
            "    vector < double * > p; ",
            "    int id1, id2; ",
            "}; ",
            "#endif  // MG5_Sigma_toy_xx_H",
            "");

    static final String PROCESS_CC = String.join("\n",
            "#include \"CPPProcess.h\"",
            "#include \"HelAmps_toy.h\"",
            "using namespace MG5_toy; ",
            "void CPPProcess::initProc(string param_card_name) ",
            "{",
            "  pars = Parameters_toy::getInstance(); ",
            "  SLHAReader slha(param_card_name); ",
            "  pars->setIndependentParameters(slha); ",
            "  pars->setIndependentCouplings(); ",
            "  pars->printIndependentParameters(); ",
            "  mME.push_back(pars->ZERO); ",
            "  mME.push_back(pars->ZERO); ",
            "  mME.push_back(pars->mdl_MT); ",
            "  mME.push_back(pars->mdl_MT); ",
            "  jamp2[0] = new double[2]; ",
            "  jamp2[1] = new double[2]; ",
            "}",
            "void CPPProcess::sigmaKin() ",
            "{",
            "  pars->setDependentParameters(); ",
            "  pars->setDependentCouplings(); ",
            "  for(int i = 0; i < 2; i++ )",
            "    jamp2[0][i] = 0.; ",
            "  const int ncomb = 4; ",
            "  static bool goodhel[ncomb] = {ncomb * false}; ",
            "  static int ntry = 0, sum_hel = 0, ngood = 0; ",
            "  static int igood[ncomb]; ",
            "  static int jhel; ",
            "  std::complex<double> * * wfs; ",
            "  double t[nprocesses]; ",
            "  static const int helicities[ncomb][nexternal] = {{-1, -1, -1, -1}, {-1, -1,",
            "      -1, 1}, {1, -1, 1, -1}, {1, 1, 1, 1}};",
            "  const int denominators[nprocesses] = {4, 4}; ",
            "  ntry = ntry + 1; ",
            "  for(int i = 0; i < nprocesses; i++ )",
            "  {",
            "    matrix_element[i] = 0.; ",
            "  }",
            "  int perm[nexternal]; ",
            "  for(int i = 0; i < nexternal; i++ )",
            "  {",
            "    perm[i] = i; ",
            "  }",
            "  if (sum_hel == 0 || ntry < 10)",
            "  {",
            "    for(int ihel = 0; ihel < ncomb; ihel++ )",
            "    {",
            "      if (goodhel[ihel] || ntry < 2)",
            "      {",
            "        calculate_wavefunctions(perm, helicities[ihel]); ",
            "        t[0] = matrix_1_xx_yy(); ",
            "        perm[0] = 1; ",
            "        perm[1] = 0; ",
            "        calculate_wavefunctions(perm, helicities[ihel]); ",
            "        perm[0] = 0; ",
            "        perm[1] = 1; ",
            "        t[1] = matrix_1_xx_yy(); ",
            "        double tsum = 0; ",
            "        for(int iproc = 0; iproc < nprocesses; iproc++ )",
            "        {",
            "          matrix_element[iproc] += t[iproc]; ",
            "          tsum += t[iproc]; ",
            "        }",
            "        if (tsum != 0. && !goodhel[ihel])",
            "        {",
            "          goodhel[ihel] = true; ",
            "          ngood++; ",
            "          igood[ngood] = ihel; ",
            "        }",
            "      }",
            "    }",
            "    jhel = 0; ",
            "    sum_hel = min(sum_hel, ngood); ",
            "  }",
            "  else",
            "  {",
            "    for(int j = 0; j < sum_hel; j++ )",
            "    {",
            "      jhel++; ",
            "      if (jhel >= ngood)",
            "        jhel = 0; ",
            "      double hwgt = double(ngood)/double(sum_hel); ",
            "      int ihel = igood[jhel]; ",
            "      calculate_wavefunctions(perm, helicities[ihel]); ",
            "      t[0] = matrix_1_xx_yy(); ",
            "      for(int iproc = 0; iproc < nprocesses; iproc++ )",
            "      {",
            "        matrix_element[iproc] += t[iproc] * hwgt; ",
            "      }",
            "    }",
            "  }",
            "  for (int i = 0; i < nprocesses; i++ )",
            "    matrix_element[i] /= denominators[i]; ",
            "}",
            "void CPPProcess::calculate_wavefunctions(const int perm[], const int hel[])",
            "{",
            "  hlp(p[perm[2]], pars->GC_1, hel[2], w[0]); ",
            "  hlp(p[perm[3]], pars->GC_2, hel[3], w[1]); ",
            "  hlp(p[perm[0]], pars->GC_1, hel[0], w[2]); ",
            "  amp0(w[0], w[1], pars->GC_1, amp[0]); ",
            "  amp0(&w[1][0], w[2], pars->GC_2, amp[1]); ",
            "}",
            "double CPPProcess::matrix_1_xx_yy() ",
            "{",
            "  int i, j; ",
            "  const int ncolor = 2; ",
            "  std::complex<double> ztemp; ",
            "  std::complex<double> jamp[ncolor]; ",
            "  static const double denom[ncolor] = {1, 3}; ",
            "  static const double cf[ncolor][ncolor] = {{2, -1}, {-1, 4}}; ",
            "  jamp[0] = +amp[0] - std::complex<double> (0, 1) * amp[1]; ",
            "  jamp[1] = -amp[1]; ",
            "  double matrix = 0; ",
            "  for(i = 0; i < ncolor; i++ )",
            "  {",
            "    ztemp = 0.; ",
            "    for(j = 0; j < ncolor; j++ )",
            "      ztemp = ztemp + cf[i][j] * jamp[j]; ",
            "    matrix = matrix + real(ztemp * conj(jamp[i]))/denom[i]; ",
            "  }",
            "  for(i = 0; i < ncolor; i++ )",
            "    jamp2[0][i] += real(jamp[i] * conj(jamp[i])); ",
            "  return matrix; ",
            "}",
            "");

    static final String SUBPROCESS = "SubProcesses/P1_Sigma_toy_xx_yy";

    /** Writes the synthetic output; {@code processCc} is the text of CPPProcess.cc. */
    static Path writeOutput(Path root, String processCc) throws IOException {
        Path cards = Files.createDirectories(root.resolve("Cards"));
        Files.writeString(cards.resolve("param_card.dat"), String.join("\n",
                "BLOCK MASS",
                "    6 1.730000e+02 # MT",
                "BLOCK SMINPUTS",
                "    1 1.279000e+02 # aEWM1",
                "    3 1.300000e-01 # aS",
                "BLOCK YUKAWA",
                "    1 2 3.000000e+00 # yuk",
                ""));
        Path src = Files.createDirectories(root.resolve("src"));
        Files.writeString(src.resolve("Parameters_toy.h"), PARAMETERS_H);
        Files.writeString(src.resolve("Parameters_toy.cc"), PARAMETERS_CC);
        Files.writeString(src.resolve("HelAmps_toy.h"), HELAMPS_H);
        Files.writeString(src.resolve("HelAmps_toy.cc"), HELAMPS_CC);
        Files.writeString(src.resolve("read_slha.h"), "#include <map>\nclass SLHAReader { std::map<int, double> m; };\n");
        Path p1 = Files.createDirectories(root.resolve(SUBPROCESS));
        Files.writeString(p1.resolve("CPPProcess.h"), PROCESS_H);
        Files.writeString(p1.resolve("CPPProcess.cc"), processCc);
        return root;
    }

    @BeforeAll
    static void translate() throws IOException {
        out = writeOutput(shared.resolve("out"), PROCESS_CC);
        cache = shared.resolve("cache");
        port = JavaPort.translate(MadGraphOutput.open(out), null);
    }

    private static final double[][] POINT = {
            {500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};
    /** Particle 3 with p_z < 0, so Sgn takes its other branch. */
    private static final double[][] OTHER = {
            {400, 0, 0, 400}, {600, 0, 0, -600}, {480, 110, 220, -310}, {520, -110, -220, 110}};

    // ------------------------------------------------------------------ independent Java computation

    private record C(double re, double im) {
        C plus(C o) {
            return new C(re + o.re, im + o.im);
        }

        C minus(C o) {
            return new C(re - o.re, im - o.im);
        }

        C times(C o) {
            return new C(re * o.re - im * o.im, re * o.im + im * o.re);
        }

        C times(double x) {
            return new C(re * x, im * x);
        }

        C conj() {
            return new C(re, -im);
        }
    }

    private static C[] hlp(double[] q, C coup, int nhel) {
        C[] w = new C[6];
        for (int i = 0; i < 4; i++) {
            w[i] = coup.times(q[i] * nhel);
        }
        w[4] = new C(q[0] * q[0] - q[3] * q[3], q[1] * q[2]);
        double pt = Math.sqrt(q[1] * q[1] + q[2] * q[2]);
        w[5] = w[4].conj().plus(new C(0, q[3] < 0 ? -pt : pt));
        w[0] = w[0].plus(w[4].times(0.5));
        w[1] = w[1].plus(w[5].times(0.5));
        return w;
    }

    private static C amp0(C[] a, C[] b, C coup) {
        C t = a[0].times(b[0]).minus(a[1].times(b[1])).minus(a[2].times(b[2])).minus(a[3].times(b[3]));
        return coup.times(t).times(1 / (a[4].re() + 1));
    }

    /** |M|^2 of the synthetic process (listed initial-state order), written again in plain Java. */
    static double expected(double[][] p, double mt, double aewm1, double as, double yuk) {
        double ee = 2 * Math.sqrt(1 / aewm1) * Math.sqrt(Math.PI);
        C gc1 = new C(0, ee * mt / 100);
        C gc2 = new C(-2 * Math.sqrt(as) * Math.sqrt(Math.PI) * yuk, 0);
        int[][] hel = {{-1, -1, -1, -1}, {-1, -1, -1, 1}, {1, -1, 1, -1}, {1, 1, 1, 1}};
        double[] denom = {1, 3};
        double[][] cf = {{2, -1}, {-1, 4}};
        double sum = 0;
        for (int[] h : hel) {
            C[] w0 = hlp(p[2], gc1, h[2]);
            C[] w1 = hlp(p[3], gc2, h[3]);
            C[] w2 = hlp(p[0], gc1, h[0]);
            C a0 = amp0(w0, w1, gc1);
            C a1 = amp0(w1, w2, gc2);
            C[] jamp = {a0.minus(new C(0, 1).times(a1)), new C(-a1.re(), -a1.im())};
            for (int i = 0; i < 2; i++) {
                C z = new C(0, 0);
                for (int j = 0; j < 2; j++) {
                    z = z.plus(jamp[j].times(cf[i][j]));
                }
                sum += z.times(jamp[i].conj()).re() / denom[i];
            }
        }
        return sum / 4;
    }

    private static ParamCard card() {
        return ParamCard.read(out.resolve("Cards/param_card.dat"));
    }

    private static double value(ParamCard card, double[][] p) {
        return port.evaluator(card, List.of(), cache).evaluate(p, new double[0]);
    }

    @Test
    void cardReadsBecomeInputsWithTheirBlocksIndicesAndDefaults() {
        List<ExternalInput> in = port.program().inputs();
        assertEquals(List.of("mdl_MT", "aEWM1", "mdl_yuk", "aS"), in.stream().map(ExternalInput::cardName).toList());
        assertEquals("YUKAWA", in.get(2).block());
        assertEquals(List.of(1, 2), in.get(2).indices());
        assertEquals(2.5, in.get(2).defaultValue());
        assertEquals(4, port.program().nExternal());
        assertEquals(2, port.program().nInitial());
    }

    @Test
    void valueMatchesIndependentJavaComputation() {
        for (double[][] p : List.of(POINT, OTHER)) {
            double want = expected(p, 173.0, 127.9, 0.13, 3.0);
            assertEquals(want, value(card(), p), 1e-12 * Math.abs(want));
        }
    }

    @Test
    void massesAreWhatInitProcPushed() {
        double[] m = port.evaluator(card().with(MT, 172.5), List.of(), cache).masses();
        assertEquals(List.of(0.0, 0.0, 172.5, 172.5), java.util.Arrays.stream(m).boxed().toList());
    }

    @Test
    void everyPointIsAFullHelicitySum() {
        // MadGraph's helicity filtering state restarts at each point: repeated evaluations agree.
        PortEvaluator ev = port.evaluator(card(), List.of(), cache);
        double first = ev.evaluate(POINT, new double[0]);
        for (int k = 0; k < 12; k++) {
            ev.evaluate(OTHER, new double[0]);
        }
        assertEquals(first, ev.evaluate(POINT, new double[0]));
    }

    @Test
    void derivativesMatchCentralFiniteDifferencesOfThePort() {
        List<Seed> seeds = new ArrayList<>();
        for (int particle = 1; particle <= 4; particle++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(particle, mu));
            }
        }
        List<ParamKey> params = List.of(MT, AEWM1, AS, YUK);
        params.forEach(k -> seeds.add(new Seed.Parameter(k)));
        for (double[][] p : List.of(POINT, OTHER)) {
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
            for (ParamKey key : params) {
                double v = card().value(key).getAsDouble();
                double h = 1e-5 * v;
                double fd = (value(card().with(key, v + h), p) - value(card().with(key, v - h), p)) / (2 * h);
                assertClose(fd, grad[k++], me, "d/d" + key);
            }
        }
    }

    private static void assertClose(double fd, double ad, double scale, String what) {
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

    /** The line {@code ntry = ntry + 1;} of sigmaKin; bad lines are inserted right after it. */
    private static final String ANCHOR = "  ntry = ntry + 1; ";

    private static Path withLine(Path dir, String bad) throws IOException {
        Path root = writeOutput(dir, PROCESS_CC.replace(ANCHOR + "\n", ANCHOR + "\n" + bad + "\n"));
        assertEquals(bad, Files.readAllLines(root.resolve(SUBPROCESS).resolve("CPPProcess.cc")).get(badLine(root) - 1));
        return root;
    }

    /** The 1-based line of the inserted bad line. */
    private static int badLine(Path root) throws IOException {
        return Files.readAllLines(root.resolve(SUBPROCESS).resolve("CPPProcess.cc")).indexOf(ANCHOR) + 2;
    }

    private static void assertUnsupportedAt(Path dir, String bad, String what) throws IOException {
        Path root = withLine(dir, bad);
        Path cc = root.resolve(SUBPROCESS).resolve("CPPProcess.cc");
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class,
                () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().startsWith(cc + ":" + badLine(root) + ": unsupported " + what), e.getMessage());
    }

    @Test
    void gotoIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "  goto done; ", "'goto' statement");
    }

    @Test
    void switchIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "  switch (ntry) { case 1: break; } ", "'switch' statement");
    }

    @Test
    void pointerVariableIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "  int * q = &ntry; ", "pointer or reference variable q");
    }

    @Test
    void incrementInsideAnExpressionIsReported(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "  jhel = ntry++; ", "increment inside an expression");
    }

    @Test
    void bitwiseOperatorIsReported(@TempDir Path dir) throws IOException {
        assertUnsupportedAt(dir, "  jhel = ntry & 1; ", "operator &");
    }

    @Test
    void unknownFunctionIsAnInputErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        Path root = withLine(dir, "  jhel = frobnicate(ntry); ");
        Path cc = root.resolve(SUBPROCESS).resolve("CPPProcess.cc");
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().startsWith(cc + ":" + badLine(root) + ": unknown function frobnicate"), e.getMessage());
    }

    @Test
    void aCardDefaultThatIsNotANumberIsAnInputErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        // As a fuzzed Parameters_sm.cc had it: a stray '<' made the default a comparison.
        Path root = writeOutput(dir, PROCESS_CC);
        Path cc = root.resolve("src/Parameters_toy.cc");
        String text = Files.readString(cc);
        String bad = text.replace("get_block_entry(\"mass\", 6, 1.730000e+02)", "get_block_entry(\"mass\", 6, 1<.730000e+02)");
        assertTrue(!bad.equals(text), "the default is changed");
        Files.writeString(cc, bad);
        int line = java.util.Arrays.asList(bad.split("\n")).indexOf("  mdl_MT = slha.get_block_entry(\"mass\", 6, 1<.730000e+02); ") + 1;
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().startsWith(cc + ":" + line + ": the default value of a param-card read is not a number"), e.getMessage());
    }

    @Test
    void syntaxErrorIsAnInputErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        Path root = withLine(dir, "  jhel = (ntry + 1; ");
        Path cc = root.resolve(SUBPROCESS).resolve("CPPProcess.cc");
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().startsWith(cc + ":" + badLine(root) + ": syntax error"), e.getMessage());
    }

    @Test
    void missingHelAmpsFileIsAnInputError(@TempDir Path dir) throws IOException {
        Path root = writeOutput(dir, PROCESS_CC);
        Files.delete(root.resolve("src/HelAmps_toy.h"));
        InputException e = assertThrows(InputException.class, () -> JavaPort.translate(MadGraphOutput.open(root), null));
        assertTrue(e.getMessage().contains("\"HelAmps_toy.h\" not found"), e.getMessage());
    }
}
