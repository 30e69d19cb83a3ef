package io.megrad.cli.eval;

import io.megrad.cli.io.Point;
import io.megrad.cli.io.PointResult;
import io.megrad.cli.io.PointSource;
import io.megrad.cli.io.PointSources;
import io.megrad.cli.io.ResultWriter;
import io.megrad.cli.io.Subprocess;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.discover.ProcessHeader;
import io.megrad.runtime.InputException;
import io.megrad.runtime.MegradException;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.phasespace.PhaseSpaceDerivatives;
import io.megrad.runtime.phasespace.PhaseSpaceGenerator;
import io.megrad.runtime.phasespace.PhaseSpacePoint;
import io.megrad.runtime.phasespace.PhaseSpaceSampler;
import io.megrad.runtime.slha.ParamCard;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code megrad eval} does, as a library call: evaluates |M|² and the requested derivatives
 * over points read from a file or generated, on several threads, and writes the results in input
 * order as they come (memory does not grow with the number of points).
 */
public final class EvalJob {
    /**
     * {@code --mode auto} picks reverse mode above this many derivatives. Forward costs grow with
     * their number (about 7 primal evaluations plus 1.4–1.6 per derivative), reverse costs a fixed
     * multiple (about 4.4–5.8 primal evaluations on ee_mumu, gg_ttxg and uux_ttxgg, docs/PERFORMANCE.md):
     * reverse is the cheaper from the first derivative on.
     */
    public static final int AUTO_REVERSE_ABOVE = 0;

    /**
     * The native backend's {@code auto}: CoDiPack's reverse tape costs more per evaluation than the
     * built-in forward scalar, so it pays from 3 derivatives on (measured on gg_ttxg).
     */
    public static final int NATIVE_AUTO_REVERSE_ABOVE = 2;

    /** Points handed to the threads at a time: bounds memory, keeps all cores busy. */
    private static final int CHUNK = 512;

    /** Everything {@code megrad eval} takes besides the output directory. */
    public record Options(String subprocess, String points, String pointsFormat, Integer sample, Double sqrtS, long seed,
                          String wrt, JavaPort.Mode mode, boolean autoMode, int threads, String format, String output,
                          boolean score, boolean hessian, boolean skipBad, boolean progress, Native nativeBackend) {
    }

    /** {@code --backend native}: the scalar ({@code --ad}, null for the default) and CoDiPack's include directory. */
    public record Native(String ad, Path codipack) {
    }

    private final MadGraphOutput out;
    private final ParamCard card;
    private final Options opt;
    private final Path cache;
    private final PrintStream err;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    /** One subprocess: its port, columns and per-thread evaluators. */
    private record Session(JavaPort port, Columns columns, EvaluatorPool pool, Subprocess descriptor,
                           ThreadLocal<io.megrad.runtime.HessianEvaluator> hessian) {
    }

    public EvalJob(MadGraphOutput out, ParamCard card, Options opt, Path cache, PrintStream err) {
        this.out = out;
        this.card = card;
        this.opt = opt;
        this.cache = cache;
        this.err = err;
    }

    /** Runs the job; returns the number of points written. */
    public long run() {
        if ((opt.points() == null) == (opt.sample() == null)) {
            throw new UsageException("give either --points FILE or --sample N (with --sqrt-s E for a 2 → n process)");
        }
        if (opt.sample() != null && opt.sample() < 0) {
            throw new UsageException("--sample N needs N >= 0");
        }
        if (opt.threads() < 1) {
            throw new UsageException("--threads must be at least 1");
        }
        boolean lhe = opt.points() != null && isLhe(opt.points(), opt.pointsFormat());
        List<String> names = new ArrayList<>();
        if (lhe && opt.subprocess() == null) {
            out.subprocesses().forEach(p -> names.add(p.getFileName().toString()));
        } else {
            names.add(out.subprocess(opt.subprocess()).getFileName().toString());
        }
        PhaseSpaceGenerator generator = null;
        for (String name : names) {
            JavaPort port = JavaPort.open(out, name, cache);
            int nExt = port.facts().nExternal();
            int nIn = port.facts().nInitial();
            if (opt.sample() != null && generator == null) {
                generator = generator(port, nExt, nIn);
            }
            Columns cols = new Columns(opt.wrt(), nExt, nIn, generator == null ? -1 : generator.dimension());
            JavaPort.Mode mode = opt.autoMode() ? (cols.seeds().size() > AUTO_REVERSE_ABOVE ? JavaPort.Mode.REVERSE : JavaPort.Mode.FORWARD) : opt.mode();
            EvaluatorPool pool = opt.nativeBackend() == null
                    ? new EvaluatorPool(port, card, cols.seeds(), cache, mode)
                    : nativePool(port, cols);
            pool.first().warnings().forEach(w -> err.println("megrad: warning: " + w));
            Subprocess descriptor = null;
            if (lhe) {
                ProcessHeader h = port.header();
                if (h.pdg() == null) {
                    throw new UsageException("cannot match LHE events to " + name + ": megrad does not know the PDG code of every particle in '"
                            + h.process() + "'");
                }
                descriptor = new Subprocess(name, nIn, h.pdg());
            }
            ThreadLocal<io.megrad.runtime.HessianEvaluator> hessian = null;
            if (opt.hessian()) {
                List<io.megrad.runtime.slha.ParamKey> keys = cols.parameterNames().stream().map(io.megrad.runtime.slha.ParamKey::parse).toList();
                hessian = ThreadLocal.withInitial(() -> port.hessianEvaluator(card, keys, cache));
            }
            sessions.put(name, new Session(port, cols, pool, descriptor, hessian));
        }
        Session main = sessions.values().iterator().next();
        for (Session s : sessions.values()) {
            if (!s.columns().names().equals(main.columns().names())) {
                throw new UsageException("--wrt gives different columns for " + s.port().subprocess() + " and " + main.port().subprocess()
                        + " (different particle counts): choose one with --subprocess or differentiate w.r.t. parameters only");
            }
        }
        ResultWriter.Builder b = ResultWriter.to(opt.output()).format(opt.format()).subprocess(main.port().subprocess()).wrt(main.columns().names());
        if (sessions.size() > 1) {
            b.subprocessPerPoint();
        }
        if (generator != null) {
            b.momenta(main.port().facts().nExternal()).weight();
            if (main.columns().phaseSpace()) {
                b.weightGrad(main.columns().names().subList(0, generator.dimension()));
            }
        }
        if (opt.score()) {
            if (main.columns().parameterNames().isEmpty()) {
                throw new UsageException("--score needs param-card entries in --wrt (e.g. --wrt MASS:6)");
            }
            b.score(main.columns().parameterNames());
        }
        if (opt.hessian()) {
            if (main.columns().parameterNames().isEmpty()) {
                throw new UsageException("--hessian needs param-card entries in --wrt (e.g. --wrt MASS:6,SMINPUTS:3)");
            }
            b.hessian(main.columns().parameterNames());
        }
        ExecutorService pool = Executors.newFixedThreadPool(opt.threads(), r -> {
            Thread t = new Thread(r, "megrad-eval");
            t.setDaemon(true);
            return t;
        });
        long count;
        try (ResultWriter writer = b.open()) {
            if (generator != null) {
                runGenerated(generator, main, writer, pool);
            } else {
                runFile(lhe, main, writer, pool);
            }
            writer.commit();
            count = writer.count();
        } finally {
            pool.shutdownNow();
        }
        if (opt.progress()) {
            err.println();
        }
        return count;
    }

    private EvaluatorPool nativePool(JavaPort port, Columns cols) {
        String mode = opt.autoMode() ? "auto" : opt.mode().name().toLowerCase(java.util.Locale.ROOT);
        boolean[] noticed = {false};
        return new EvaluatorPool(() -> io.megrad.bindings.NativeProcess.open(port, card, cols.seeds(), opt.nativeBackend().ad(), mode,
                opt.nativeBackend().codipack(), NATIVE_AUTO_REVERSE_ABOVE, cache, notice -> {
                    synchronized (noticed) {
                        if (!noticed[0]) {
                            err.println("megrad: " + notice);
                            noticed[0] = true;
                        }
                    }
                }).threads(1));
    }

    private static boolean isLhe(String points, String format) {
        if (format != null) {
            return format.equalsIgnoreCase("lhe");
        }
        String p = points.toLowerCase();
        return p.endsWith(".lhe") || p.endsWith(".lhe.gz");
    }

    private PhaseSpaceGenerator generator(JavaPort port, int nExt, int nIn) {
        ProcessEvaluator probe = port.evaluator(card, List.of(), cache, JavaPort.Mode.FORWARD);
        return ProcessGenerator.of(nIn, probe.masses(), opt.sqrtS());
    }

    private void runGenerated(PhaseSpaceGenerator generator, Session s, ResultWriter writer, ExecutorService pool) {
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(opt.seed());
        int nIn = s.port().facts().nInitial();
        boolean ps = s.columns().phaseSpace();
        long done = 0;
        while (done < opt.sample()) {
            int n = (int) Math.min(CHUNK, opt.sample() - done);
            List<double[]> randoms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                randoms.add(sampler.next(generator.dimension()));
            }
            List<PointResult> results = parallel(pool, n, i -> {
                double[] r = randoms.get(i);
                PhaseSpacePoint point;
                double[][][] dp = null;
                double[] dw = null;
                if (ps) {
                    PhaseSpaceDerivatives d = generator.generateWithDerivatives(r);
                    point = d.point();
                    dp = d.momenta();
                    dw = d.weight();
                } else {
                    point = generator.generate(r);
                }
                PointResult res = evaluate(s, point.momenta(), dp, nIn).withMomenta(point.momenta()).withWeight(point.weight());
                return ps ? res.withWeightGrad(dw) : res;
            });
            results.forEach(writer::write);
            done += n;
            progress(done);
        }
    }

    private void runFile(boolean lhe, Session main, ResultWriter writer, ExecutorService pool) {
        List<Subprocess> descriptors = sessions.values().stream().map(Session::descriptor).toList();
        try (PointSource src = lhe ? PointSources.open(opt.points(), opt.pointsFormat(), descriptors)
                : PointSources.open(opt.points(), opt.pointsFormat(), main.port().facts().nExternal())) {
            if (opt.skipBad()) {
                src.skipBadPoints(e -> err.println("megrad: skipped " + e.getMessage()));
            }
            long done = 0;
            while (src.hasNext()) {
                List<Point> chunk = new ArrayList<>(CHUNK);
                while (chunk.size() < CHUNK && src.hasNext()) {
                    chunk.add(src.next());
                }
                List<PointResult> results = parallel(pool, chunk.size(), i -> {
                    Point p = chunk.get(i);
                    Session s = p.subprocess() != null && sessions.containsKey(p.subprocess()) ? sessions.get(p.subprocess()) : main;
                    PointResult r = evaluate(s, p.momenta(), null, s.port().facts().nInitial());
                    return sessions.size() > 1 ? r.withSubprocess(s.port().subprocess()) : r;
                });
                results.forEach(writer::write);
                done += chunk.size();
                progress(done);
            }
        }
    }

    private PointResult evaluate(Session s, double[][] momenta, double[][][] dp, int nIn) {
        ProcessEvaluator ev = s.pool().forCurrentThread();
        double[] seedGrad = new double[s.columns().seeds().size()];
        double me = ev.evaluate(momenta, seedGrad);
        double[] grad = s.columns().columns(seedGrad, dp, nIn);
        PointResult r = PointResult.of(me, grad);
        if (opt.score()) {
            int[] cols = s.columns().parameterColumns();
            double[] score = new double[cols.length];
            for (int j = 0; j < cols.length; j++) {
                score[j] = grad[cols[j]] / me;
            }
            r = r.withScore(score);
        }
        if (s.hessian() != null) {
            r = r.withHessian(s.hessian().get().hessian(momenta));
        }
        return r;
    }

    private interface Task {
        PointResult run(int i);
    }

    /** Evaluates items 0..n-1 on the pool; results in input order. */
    private List<PointResult> parallel(ExecutorService pool, int n, Task task) {
        int threads = Math.min(opt.threads(), Math.max(1, n));
        PointResult[] results = new PointResult[n];
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                results[i] = task.run(i);
            }
            return List.of(results);
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < n; i += threads) {
                    results[i] = task.run(i);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InputException("interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MegradException me) {
                    throw me;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return List.of(results);
    }

    private void progress(long done) {
        if (opt.progress()) {
            err.print("\rmegrad: " + done + " points");
            err.flush();
        }
    }
}
