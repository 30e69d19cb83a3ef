package io.megrad.bench;

import io.megrad.runtime.ProcessEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Time of one evaluation (|M|² and, except for the primal, its gradient) of a megrad Java port at
 * one point, cycling through the process's reference points as the Fortran and C++ drivers do.
 * The port is compiled (or loaded from the cache scripts/bench.sh filled) in the trial setup, which
 * is not timed. Each iteration also records how busy the rest of the machine was ({@link Contention}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EvaluateBenchmark {
    @Param({"gg_ttxg"})
    public String process;

    @Param({"primal", "forward-4", "forward-8", "forward-all", "reverse-4", "reverse-8", "reverse-all"})
    public String variant;

    private ProcessEvaluator evaluator;
    private double[][][] points;
    private double[] grad;
    private int next;
    private final Contention contention = new Contention();

    @Setup(Level.Trial)
    public void setUp() {
        BenchProcess bp = BenchProcess.load(process);
        evaluator = bp.evaluator(variant);
        points = bp.points;
        grad = new double[Math.max(1, evaluator.directions())];
    }

    @Setup(Level.Iteration)
    public void iterationStart() {
        contention.start();
    }

    /** Records, per iteration (warm-up ones included), how much CPU other processes took meanwhile. */
    @TearDown(Level.Iteration)
    public void iterationEnd() {
        Contention.record(process, variant, contention.otherShare());
    }

    @Benchmark
    public double evaluate() {
        double[][] p = points[next];
        next = next + 1 == points.length ? 0 : next + 1;
        return evaluator.evaluate(p, grad) + grad[0];
    }
}
