package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.bindings.NativeEvaluator;
import io.megrad.bindings.NativeOptions;
import io.megrad.bindings.NativeProcess;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Time per point of |M|² (primal), of its gradient w.r.t. every final-state momentum component in
 * forward and in reverse mode, native vs Java, for every Fortran process of the corpus; also each
 * library's build time. Not a check: runs only with MEGRAD_BENCH=1 and writes a Markdown table to
 * target/native-benchmark.md (CoDiPack columns when CODIPACK_INCLUDE is set).
 *
 * <pre>MEGRAD_BENCH=1 CODIPACK_INCLUDE=... mvn test -pl physics-processes -Dtest=NativeBenchmarkTest</pre>
 */
class NativeBenchmarkTest {
    private static final long MEASURE_NANOS = 2_000_000_000L;

    @Test
    void timePerPoint() throws Exception {
        Assumptions.assumeTrue("1".equals(System.getenv("MEGRAD_BENCH")), "benchmark: set MEGRAD_BENCH=1 to run it");
        String codipack = System.getenv("CODIPACK_INCLUDE");
        boolean codi = codipack != null && !codipack.isBlank();
        Path cache = JavaPortCompiler.defaultCache();
        StringBuilder md = new StringBuilder();
        md.append("| process | wrt | Java primal | native primal | Java fwd | native builtin fwd | Java rev |")
                .append(codi ? " CoDiPack fwd | CoDiPack rev |" : "").append(" build builtin [s] |").append(codi ? " build CoDiPack rev [s] |" : "")
                .append('\n').append("|---|---|---|---|---|---|---|").append(codi ? "---|---|" : "").append("---|").append(codi ? "---|" : "").append('\n');
        try (Stream<Path> dirs = Files.list(Corpus.root())) {
            for (Path proc : dirs.filter(d -> Files.isDirectory(d.resolve("fortran"))).sorted().toList()) {
                JsonObject sub = JsonParser.parseString(Files.readString(proc.resolve("reference.json"))).getAsJsonObject()
                        .getAsJsonArray("subprocesses").get(0).getAsJsonObject();
                if (sub.get("fortran_dir").isJsonNull()) {
                    continue;
                }
                MadGraphOutput out = MadGraphOutput.open(proc.resolve("fortran"));
                JavaPort port = JavaPort.translate(out, Path.of(sub.get("fortran_dir").getAsString()).getFileName().toString());
                ParamCard card = ParamCard.read(out.paramCard());
                int nExt = port.program().nExternal();
                List<Seed> seeds = new ArrayList<>();
                for (int i = port.program().nInitial() + 1; i <= nExt; i++) {
                    for (int c = 0; c < 4; c++) {
                        seeds.add(new Seed.Momentum(i, c));
                    }
                }
                JsonArray pts = sub.getAsJsonArray("points");
                double[][][] p = new double[pts.size()][nExt][4];
                for (int k = 0; k < pts.size(); k++) {
                    for (int i = 0; i < nExt; i++) {
                        for (int mu = 0; mu < 4; mu++) {
                            p[k][i][mu] = pts.get(k).getAsJsonArray().get(i).getAsJsonArray().get(mu).getAsDouble();
                        }
                    }
                }
                long t0 = System.nanoTime();
                NativeProcess builtin = NativeProcess.build(port, NativeOptions.builtin(), cache);
                double buildBuiltin = (System.nanoTime() - t0) / 1e9;
                md.append("| ").append(proc.getFileName()).append(" | ").append(seeds.size()).append(" final |")
                        .append(cell(time(port.evaluator(card, List.of(), cache, JavaPort.Mode.FORWARD), p)))
                        .append(cell(time(builtin.evaluator(card, List.of()), p)))
                        .append(cell(time(port.evaluator(card, seeds, cache, JavaPort.Mode.FORWARD), p)))
                        .append(cell(time(builtin.evaluator(card, seeds), p)))
                        .append(cell(time(port.evaluator(card, seeds, cache, JavaPort.Mode.REVERSE), p)));
                String buildCodi = "";
                if (codi) {
                    Map<String, String> env = Map.of("CODIPACK_INCLUDE", codipack);
                    NativeProcess fwd = NativeProcess.build(port, NativeOptions.resolve("codipack", "forward", null, env, s -> { }), cache);
                    t0 = System.nanoTime();
                    NativeProcess rev = NativeProcess.build(port, NativeOptions.resolve("codipack", "reverse", null, env, s -> { }), cache);
                    buildCodi = String.format(" %.1f |", (System.nanoTime() - t0) / 1e9);
                    md.append(cell(time(fwd.evaluator(card, seeds), p))).append(cell(time(rev.evaluator(card, seeds), p)));
                }
                md.append(String.format(" %.1f |", buildBuiltin)).append(buildCodi).append('\n');
            }
        }
        Files.writeString(Path.of("target", "native-benchmark.md"), md.toString());
        System.out.println(md);
    }

    private static String cell(double us) {
        return String.format(" %.1f |", us);
    }

    /** Microseconds per point, after a warm-up, single-threaded. */
    private static double time(ProcessEvaluator ev, double[][][] p) {
        double[] g = new double[ev.directions()];
        double sink = 0;
        for (int w = 0; w < 300; w++) {
            sink += ev.evaluate(p[w % p.length], g);
        }
        long reps = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            for (double[][] pt : p) {
                sink += ev.evaluate(pt, g);
            }
            reps += p.length;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < MEASURE_NANOS);
        if (ev instanceof NativeEvaluator n) {
            n.close();
        }
        return sink == 42 ? 0 : elapsed / 1e3 / reps;
    }
}
