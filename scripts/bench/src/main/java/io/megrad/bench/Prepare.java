package io.megrad.bench;

import io.megrad.codegen.analysis.ZeroHelicities;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.fortran.FortranFrontend;
import io.megrad.runtime.AdjointEvaluator;
import io.megrad.runtime.GeneratedAdjointProcess;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Tape;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs before the timed benchmarks: translates each process, compiles every variant into the cache
 * the JMH forks then load from, and checks that what is about to be timed is right (primal |M|²
 * against the reference, reverse against forward gradients). Records translation and compilation
 * times, the size of the reverse-mode tape per point and how many helicity combinations the port
 * skips as proved zero. Writes one JSON object.
 *
 * <p>usage: Prepare OUT_JSON VARIANTS PROCESS...
 */
public final class Prepare {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String[] variants = args[1].split(",");
        List<String> blocks = new ArrayList<>();
        boolean ok = true;
        for (int a = 2; a < args.length; a++) {
            BenchProcess bp = BenchProcess.load(args[a]);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("d", bp.allInputs.size());
            r.put("translate_s", bp.translateNanos * 1e-9);
            r.put("helicities_proved_zero", provedZero(bp.outputDir));
            Map<String, Object> compile = new LinkedHashMap<>();
            Map<String, ProcessEvaluator> evs = new LinkedHashMap<>();
            for (String v : variants) {
                long t0 = System.nanoTime();
                evs.put(v, bp.evaluator(v));
                compile.put(v, (System.nanoTime() - t0) * 1e-9);
            }
            r.put("compile_s", compile);

            double meErr = 0;
            ProcessEvaluator primal = evs.get("primal");
            double[] none = new double[1];
            for (int k = 0; k < bp.points.length; k++) {
                double me = primal.evaluate(bp.points[k], none);
                meErr = Math.max(meErr, Math.abs(me - bp.meReference[k]) / Math.abs(bp.meReference[k]));
            }
            r.put("primal_me_max_rel_err", meErr);

            ProcessEvaluator fwd = evs.get("forward-all");
            ProcessEvaluator rev = evs.get("reverse-all");
            int d = bp.allInputs.size();
            double[] gf = new double[d];
            double[] gr = new double[d];
            double gradErr = 0;
            for (double[][] p : bp.points) {
                fwd.evaluate(p, gf);
                rev.evaluate(p, gr);
                double scale = 0;
                for (int j = 0; j < d; j++) {
                    scale = Math.max(scale, Math.abs(gf[j]));
                }
                for (int j = 0; j < d; j++) {
                    gradErr = Math.max(gradErr, Math.abs(gf[j] - gr[j]) / Math.max(scale, Double.MIN_NORMAL));
                }
            }
            r.put("reverse_vs_forward_max_err", gradErr);

            rev.evaluate(bp.points[0], gr);
            Tape tape = pointTape(rev);
            r.put("tape_records", tape == null ? -1 : tape.records());
            r.put("tape_leaves", tape == null ? -1 : tape.leaves());
            r.put("tape_values", tape == null ? -1 : tape.valueCount());

            List<String> warnings = new ArrayList<>(evs.get("forward-all").warnings());
            r.put("warnings", warnings);
            if (meErr > 1e-12 || gradErr > 1e-10) {
                System.err.printf(Locale.ROOT, "bench: %s: port disagrees with the reference (|M|^2 %.2e, reverse vs forward %.2e)%n",
                        bp.name, meErr, gradErr);
                ok = false;
            }
            blocks.add(json(bp.name) + ": " + json(r));
            System.err.printf(Locale.ROOT, "bench: %s prepared: d=%d, translate %.2f s, tape %s records%n",
                    bp.name, d, bp.translateNanos * 1e-9, r.get("tape_records"));
        }
        Files.writeString(out, "{\n" + String.join(",\n", blocks) + "\n}\n");
        if (!ok) {
            System.exit(1);
        }
    }

    /**
     * Helicity combinations the port skips (ZeroHelicities on the frontend's program, as JavaPort
     * applies it); the document states these counts instead of hard-coding them.
     */
    private static int provedZero(Path fortranOutput) {
        MadGraphOutput out = MadGraphOutput.open(fortranOutput);
        return ZeroHelicities.provedZero(new FortranFrontend(out.root(), out.subprocess(null)).translate()).stream()
                .mapToInt(ZeroHelicities.SkippedIterations::skipped).sum();
    }

    /** The reverse port's per-point tape (a diagnostic only; reached by reflection). */
    private static Tape pointTape(ProcessEvaluator ev) {
        try {
            Field f = AdjointEvaluator.class.getDeclaredField("process");
            f.setAccessible(true);
            Object process = f.get(ev);
            Field t = GeneratedAdjointProcess.class.getDeclaredField("pointTape");
            t.setAccessible(true);
            return (Tape) t.get(process);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String json(Object o) {
        if (o instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (o instanceof Double x) {
            return String.format(Locale.ROOT, "%.6g", x);
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add(json(String.valueOf(k)) + ": " + json(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(v -> parts.add(json(v)));
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(o);
    }
}
