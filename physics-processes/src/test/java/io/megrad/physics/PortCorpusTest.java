package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.cli.PortCommand;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.port.JdkOnly;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code megrad port} on corpus processes: the written jar, run with nothing but the JDK, gives
 * MadGraph's |M|² at the reference points and megrad's own derivatives, and a user program
 * compiled against it changes a parameter and evaluates.
 */
class PortCorpusTest {
    @TempDir
    Path tmp;

    private static void port(String... args) {
        StringBuilder error = new StringBuilder();
        CommandLine cl = new CommandLine(new PortCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            error.append(ex);
            return 5;
        });
        assertEquals(0, cl.execute(args), "megrad port " + String.join(" ", args) + ": " + error);
    }

    private static ProcessEvaluator megrad(Path dir, ParamCard card, List<String> wrt, Path cache) {
        return JavaPort.translate(MadGraphOutput.open(dir), null).evaluator(card, ModeAgreementTest.seeds(wrt), cache, JavaPort.Mode.FORWARD);
    }

    /** The printed derivatives equal megrad's (forward mode) within 1e-12 of the largest. */
    private static void assertGradient(JdkOnly.PrintedPoint printed, ProcessEvaluator ev, List<String> wrt) {
        double[] grad = new double[wrt.size()];
        double me = ev.evaluate(printed.momenta(), grad);
        assertEquals(me, printed.me(), 1e-12 * Math.abs(me), "|M|^2 against megrad");
        assertEquals(wrt, List.copyOf(printed.gradient().keySet()));
        double scale = 0;
        for (double g : grad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int k = 0; k < wrt.size(); k++) {
            assertEquals(grad[k], printed.gradient().get(wrt.get(k)), 1e-12 * scale, wrt.get(k));
        }
    }

    @Test
    void eeMumuJarGivesMadGraphsValuesAtTheReferencePoints() throws Exception {
        Path proc = Corpus.root().resolve("ee_mumu");
        Path dir = proc.resolve("fortran");
        JsonObject sub = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject()
                .getAsJsonArray("subprocesses").get(0).getAsJsonObject();
        Path lib = tmp.resolve("ee_mumu_lib");
        // 9 derivatives: the default mode is reverse.
        port(dir.toString(), "-o", lib.toString(), "--wrt", "final,MASS:23");
        Path jar = lib.resolve("P1_epem_mupmum.jar");

        StringBuilder csv = new StringBuilder("# the reference points of ee_mumu\n");
        JsonArray points = sub.getAsJsonArray("points");
        for (int k = 0; k < points.size(); k++) {
            List<String> cells = new ArrayList<>();
            points.get(k).getAsJsonArray().forEach(p -> p.getAsJsonArray().forEach(c -> cells.add(Double.toString(c.getAsDouble()))));
            csv.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(tmp.resolve("points.csv"), csv);
        JdkOnly.Result run = JdkOnly.java(tmp, "-jar", jar.toString(), "points.csv");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("e+ e- > mu+ mu- (P1_epem_mupmum), reverse mode"), run.out());
        List<JdkOnly.PrintedPoint> printed = JdkOnly.points(run.out());
        JsonArray meRef = sub.getAsJsonArray("me_fortran");
        assertEquals(meRef.size(), printed.size());
        List<String> wrt = List.of("p3.E", "p3.x", "p3.y", "p3.z", "p4.E", "p4.x", "p4.y", "p4.z", "MASS:23");
        ProcessEvaluator ev = megrad(dir, ParamCard.read(dir.resolve("Cards/param_card.dat")), wrt, tmp.resolve("cache"));
        for (int k = 0; k < printed.size(); k++) {
            double ref = meRef.get(k).getAsDouble();
            assertEquals(ref, printed.get(k).me(), 1e-12 * Math.abs(ref), "|M|^2 at reference point " + (k + 1));
            assertGradient(printed.get(k), ev, wrt);
        }
    }

    @Test
    void ggTtxSamplePointIsOnShellAndAUserProgramChangesTheTopMass() throws Exception {
        Path dir = Corpus.root().resolve("gg_ttx/fortran");
        Path lib = tmp.resolve("ttbar");
        port(dir.toString(), "-o", lib.toString(), "--wrt", "p3,MASS:6", "--mode", "forward", "--package", "org.example.ttbar");
        Path jar = lib.resolve("P1_gg_ttx.jar");
        List<String> wrt = List.of("p3.E", "p3.x", "p3.y", "p3.z", "MASS:6");
        ParamCard card = ParamCard.read(dir.resolve("Cards/param_card.dat"));
        double mt = card.value(ParamKey.parse("MASS:6")).getAsDouble();

        JdkOnly.Result run = JdkOnly.java(tmp, "-jar", jar.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("forward mode"), run.out());
        JdkOnly.PrintedPoint sample = JdkOnly.points(run.out()).get(0);
        for (int i : new int[]{2, 3}) {
            double[] p = sample.momenta()[i];
            assertEquals(mt * mt, p[0] * p[0] - p[1] * p[1] - p[2] * p[2] - p[3] * p[3], 1e-9 * mt * mt, "p" + (i + 1) + " on shell");
        }
        assertGradient(sample, megrad(dir, card, wrt, tmp.resolve("cache")), wrt);

        Files.writeString(tmp.resolve("Heavier.java"), String.join("\n",
                "import org.example.ttbar.Evaluation;",
                "import org.example.ttbar.MatrixElement;",
                "public class Heavier {",
                "    public static void main(String[] args) {",
                "        MatrixElement m = MatrixElement.withDefaultCard().set(\"MASS:6\", 175.0);",
                "        double[][] p = m.samplePoint(1000);",
                "        Evaluation e = m.evaluate(p);",
                "        System.out.println(\"point 1:\");",
                "        for (int i = 0; i < p.length; i++) {",
                "            System.out.println(\"  p\" + (i + 1) + \" = \" + p[i][0] + \" \" + p[i][1] + \" \" + p[i][2] + \" \" + p[i][3]);",
                "        }",
                "        System.out.println(\"  |M|^2 = \" + e.me());",
                "        for (String name : m.wrt()) {",
                "            System.out.println(\"  d|M|^2/d(\" + name + \") = \" + e.derivative(name));",
                "        }",
                "    }",
                "}", ""));
        JdkOnly.Result compiled = JdkOnly.javac(tmp, "-cp", jar.toString(), "-d", ".", "Heavier.java");
        assertEquals(0, compiled.exitCode(), compiled.toString());
        JdkOnly.Result user = JdkOnly.java(tmp, "-cp", jar + File.pathSeparator + ".", "Heavier");
        assertEquals(0, user.exitCode(), user.toString());
        JdkOnly.PrintedPoint heavier = JdkOnly.points(user.out()).get(0);
        double[] p3 = heavier.momenta()[2];
        assertEquals(175.0 * 175.0, p3[0] * p3[0] - p3[1] * p3[1] - p3[2] * p3[2] - p3[3] * p3[3], 1e-9 * 175 * 175);
        assertGradient(heavier, megrad(dir, card.with(ParamKey.parse("MASS:6"), 175.0), wrt, tmp.resolve("cache")), wrt);
    }
}
