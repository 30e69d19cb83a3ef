package io.megrad.bench;

import io.megrad.bindings.NativeEvaluator;
import io.megrad.bindings.NativeOptions;
import io.megrad.bindings.NativeProcess;
import io.megrad.codegen.JavaPort;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The native backend (issue 4) against the Java port, per point: |M|² alone, and with the gradient
 * w.r.t. every final-state momentum component in forward and reverse mode; the native side with
 * megrad's built-in forward scalar and, when {@code CODIPACK_INCLUDE} names CoDiPack's include
 * directory, with CoDiPack forward and reverse. Also each native library's build time (the cache
 * is empty for native libraries when scripts/bench.sh calls this, so the time includes g++).
 *
 * <p>The same quantities the former NativeBenchmarkTest measured, but
 * on bench.sh's processes and work directory, with the statistic of the other tables (fastest
 * undisturbed repetition, median of all) and a check that both sides agree before timing.
 *
 * <p>usage: NativeCompare OUT_TXT SECONDS PROCESS... — writes lines
 * {@code PROCESS name}, {@code DIRECTIONS n}, {@code BUILD label seconds},
 * {@code CHECK label max_rel_err}, {@code TIME label us_per_point other_share} (one per repetition).
 */
public final class NativeCompare {
    private static final int REPETITIONS = 5;
    /** Warm-up before the repetitions: long enough for C2 to compile the Java ports' hot methods. */
    private static final long WARMUP_NANOS = 2_000_000_000L;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        String codipack = System.getenv("CODIPACK_INCLUDE");
        boolean codi = codipack != null && !codipack.isBlank();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int a = 2; a < args.length; a++) {
                BenchProcess bp = BenchProcess.load(args[a]);
                JavaPort port = bp.port;
                int nMomenta = 4 * (bp.points[0].length - 2);
                List<Seed> seeds = bp.allInputs.subList(0, nMomenta);
                w.printf(Locale.ROOT, "PROCESS %s%nDIRECTIONS %d%n", bp.name, nMomenta);

                // Build first (timed), then evaluators in a fixed column order.
                long t0 = System.nanoTime();
                NativeProcess builtin = NativeProcess.build(port, NativeOptions.builtin(), bp.cache);
                w.printf(Locale.ROOT, "BUILD builtin %.2f%n", (System.nanoTime() - t0) * 1e-9);
                NativeProcess codiFwd = null;
                NativeProcess codiRev = null;
                if (codi) {
                    Map<String, String> env = Map.of("CODIPACK_INCLUDE", codipack);
                    t0 = System.nanoTime();
                    codiFwd = NativeProcess.build(port, NativeOptions.resolve("codipack", "forward", null, env, s -> { }), bp.cache);
                    w.printf(Locale.ROOT, "BUILD codipack-forward %.2f%n", (System.nanoTime() - t0) * 1e-9);
                    t0 = System.nanoTime();
                    codiRev = NativeProcess.build(port, NativeOptions.resolve("codipack", "reverse", null, env, s -> { }), bp.cache);
                    w.printf(Locale.ROOT, "BUILD codipack-reverse %.2f%n", (System.nanoTime() - t0) * 1e-9);
                }
                w.flush();

                List<String> labels = new ArrayList<>();
                List<ProcessEvaluator> evs = new ArrayList<>();
                labels.add("java-primal");
                evs.add(port.evaluator(bp.card, List.of(), bp.cache, JavaPort.Mode.FORWARD));
                labels.add("native-primal");
                evs.add(builtin.evaluator(bp.card, List.of()));
                labels.add("java-forward");
                evs.add(port.evaluator(bp.card, seeds, bp.cache, JavaPort.Mode.FORWARD));
                labels.add("native-builtin-forward");
                evs.add(builtin.evaluator(bp.card, seeds));
                labels.add("java-reverse");
                evs.add(port.evaluator(bp.card, seeds, bp.cache, JavaPort.Mode.REVERSE));
                if (codi) {
                    labels.add("codipack-forward");
                    evs.add(codiFwd.evaluator(bp.card, seeds));
                    labels.add("codipack-reverse");
                    evs.add(codiRev.evaluator(bp.card, seeds));
                }

                // What is timed must agree: every evaluator against the Java forward port, |M|²
                // relative to itself, gradients relative to the row's largest entry.
                ProcessEvaluator ref = evs.get(labels.indexOf("java-forward"));
                double[] gRef = new double[nMomenta];
                for (int i = 0; i < evs.size(); i++) {
                    ProcessEvaluator ev = evs.get(i);
                    double[] g = new double[Math.max(1, ev.directions())];
                    double err = 0;
                    for (double[][] p : bp.points) {
                        double me = ref.evaluate(p, gRef);
                        double mine = ev.evaluate(p, g);
                        err = Math.max(err, Math.abs(mine - me) / Math.abs(me));
                        if (ev.directions() == nMomenta) {
                            double scale = Double.MIN_NORMAL;
                            for (double x : gRef) {
                                scale = Math.max(scale, Math.abs(x));
                            }
                            for (int j = 0; j < nMomenta; j++) {
                                err = Math.max(err, Math.abs(g[j] - gRef[j]) / scale);
                            }
                        }
                    }
                    w.printf(Locale.ROOT, "CHECK %s %.3e%n", labels.get(i), err);
                }
                w.flush();

                for (int i = 0; i < evs.size(); i++) {
                    for (double[] rep : time(evs.get(i), bp.points, (long) (seconds * 1e9 / REPETITIONS))) {
                        w.printf(Locale.ROOT, "TIME %s %.4f %.4f%n", labels.get(i), rep[0], rep[1]);
                    }
                    w.flush();
                    if (evs.get(i) instanceof NativeEvaluator n) {
                        n.close();
                    }
                    System.err.printf(Locale.ROOT, "bench: native vs Java: %s %s timed%n", bp.name, labels.get(i));
                }
            }
        }
    }

    /** Per repetition: microseconds per point (single-threaded, cycling the points) and others' share of the machine. */
    private static List<double[]> time(ProcessEvaluator ev, double[][][] p, long repNanos) {
        double[] g = new double[Math.max(1, ev.directions())];
        double sink = 0;
        long t0 = System.nanoTime();
        for (int k = 0; System.nanoTime() - t0 < WARMUP_NANOS; k++) {
            sink += ev.evaluate(p[k % p.length], g);
        }
        List<double[]> reps = new ArrayList<>();
        Contention c = new Contention();
        for (int r = 0; r < REPETITIONS; r++) {
            c.start();
            long n = 0;
            long elapsed;
            t0 = System.nanoTime();
            do {
                for (double[][] pt : p) {
                    sink += ev.evaluate(pt, g);
                }
                n += p.length;
                elapsed = System.nanoTime() - t0;
            } while (elapsed < repNanos);
            reps.add(new double[] {elapsed / 1e3 / n, c.otherShare()});
        }
        if (sink == 42) {   // keeps the results live, so the JIT cannot drop the calls
            System.err.println();
        }
        return reps;
    }
}
