package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward and reverse mode are two implementations of the same derivative: at every reference
 * point of every process, Fortran and C++ outputs, they agree within 1e-12 (|M|² and, by the
 * corpus README's rule, every derivative), independently of the reference values. The
 * references' gradients leave out the incoming momenta, so the Fortran reverse ports checked here
 * are the ones that skip the adjoints reaching only those (checked too: their vertex calls taking
 * an incoming wavefunction are reversed by adjoint variants); every port records its wavefunction
 * and vertex calls as one call sequence (checked too), and the Fortran ones merge the adjoints of
 * vertex calls repeated across helicities (checked too: forward mode computes every call itself).
 */
class ModeAgreementTest {
    @TempDir
    Path cache;

    @TestFactory
    Stream<DynamicTest> forwardAndReverseAgree() throws Exception {
        Path corpus = Corpus.root();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path proc : dirs.filter(d -> Files.isRegularFile(d.resolve("reference.json"))).sorted().toList()) {
                JsonObject ref = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject();
                for (JsonElement se : ref.getAsJsonArray("subprocesses")) {
                    JsonObject sub = se.getAsJsonObject();
                    for (String flavour : new String[]{"fortran", "cpp"}) {
                        if (Files.isDirectory(proc.resolve(flavour)) && !sub.get(flavour + "_dir").isJsonNull()) {
                            tests.add(DynamicTest.dynamicTest(proc.getFileName() + " (" + flavour + ")", () -> check(proc, sub, flavour)));
                        }
                    }
                }
            }
        }
        return tests.stream();
    }

    static List<Seed> seeds(List<String> wrt) {
        List<Seed> seeds = new ArrayList<>();
        for (String w : wrt) {
            if (w.startsWith("p")) {
                int dot = w.indexOf('.');
                seeds.add(new Seed.Momentum(Integer.parseInt(w.substring(1, dot)), "Exyz".indexOf(w.charAt(dot + 1))));
            } else {
                seeds.add(new Seed.Parameter(ParamKey.parse(w)));
            }
        }
        return seeds;
    }

    /** A reference point as momenta[particle] = {E, px, py, pz}. */
    static double[][] momenta(JsonArray pt) {
        double[][] p = new double[pt.size()][4];
        for (int i = 0; i < pt.size(); i++) {
            for (int mu = 0; mu < 4; mu++) {
                p[i][mu] = pt.get(i).getAsJsonArray().get(mu).getAsDouble();
            }
        }
        return p;
    }

    private void check(Path proc, JsonObject sub, String flavour) {
        MadGraphOutput out = MadGraphOutput.open(proc.resolve(flavour));
        String subName = Path.of(sub.get(flavour + "_dir").getAsString()).getFileName().toString();
        JavaPort port = JavaPort.translate(out, subName);
        List<String> wrt = new ArrayList<>();
        sub.getAsJsonObject("grad").getAsJsonArray("wrt").forEach(w -> wrt.add(w.getAsString()));
        ParamCard card = ParamCard.read(out.paramCard());
        ProcessEvaluator forward = port.evaluator(card, seeds(wrt), cache, JavaPort.Mode.FORWARD);
        ProcessEvaluator reverse = port.evaluator(card, seeds(wrt), cache, JavaPort.Mode.REVERSE);
        JsonArray points = sub.getAsJsonArray("points");
        double[][] gf = new double[points.size()][wrt.size()];
        double[][] gr = new double[points.size()][wrt.size()];
        double[] me = new double[points.size()];
        for (int k = 0; k < points.size(); k++) {
            double[][] p = momenta(points.get(k).getAsJsonArray());
            me[k] = forward.evaluate(p, gf[k]);
            double meReverse = reverse.evaluate(p, gr[k]);
            assertEquals(me[k], meReverse, 1e-12 * Math.abs(me[k]), "point " + k + " |M|^2");
        }
        GradientRule.assertClose(wrt, gr, gf, me, 1e-12);
        Set<Integer> passive = JavaPort.unseededIncoming(port.program(), seeds(wrt));
        assertEquals(Set.of(1, 2), passive, "the reference gradients leave out the incoming momenta");
        String adjoint = JavaEmitter.adjoint(port.program(), passive).emit("x", "Adj");
        assertTrue(adjoint.contains("$seq$rev("), "the wavefunctions and vertices are recorded as one call sequence");
        if (flavour.equals("cpp")) {
            return; // their wavefunctions are class members: no arguments are found passive there
        }
        boolean sequence = adjoint.contains("MATRIX$seq$rev");
        assertTrue(sequence ? java.util.regex.Pattern.compile("\\$rev\\$v\\d+\\(tv, v \\+ ").matcher(adjoint).find() : adjoint.contains("tape.retagCall("),
                "calls taking an incoming wavefunction are reversed by an adjoint variant");
        assertTrue(adjoint.contains("MATRIX$rep.merge("), "vertex calls repeated across helicities have one adjoint");
    }
}
