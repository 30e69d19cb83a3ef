package io.megrad.cli;

import io.megrad.cli.eval.EvalJob;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.UsageException;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code megrad eval}: |M|² and its derivatives at given or generated phase-space points. */
@CommandLine.Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate |M|^2 and its exact derivatives at phase-space points.")
final class EvalCommand implements Callable<Integer> {
    static final int AUTO_REVERSE_ABOVE = EvalJob.AUTO_REVERSE_ABOVE;

    @CommandLine.Parameters(index = "0", description = "MadGraph output directory (output standalone or standalone_cpp).")
    Path dir;

    @CommandLine.Option(names = "--points", description = "Points file (JSON, CSV, LHE or .lhe.gz), or - for standard input.")
    String points;

    @CommandLine.Option(names = "--points-format", description = "json, csv or lhe (default: from the file extension).")
    String pointsFormat;

    @CommandLine.Option(names = "--sample", description = "Generate N phase-space points instead of reading them (with --sqrt-s for a 2 → n process; a decay is generated at rest).")
    Integer sample;

    @CommandLine.Option(names = "--sqrt-s", description = "Centre-of-mass energy in GeV for --sample (leave it out for a decay).")
    Double sqrtS;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Random seed for --sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--subprocess", description = "The SubProcesses/P* directory name (optional when there is one, or for LHE input).")
    String subprocess;

    @CommandLine.Mixin
    CardOptions card = new CardOptions();

    @CommandLine.Option(names = "--wrt", description = "Derivatives: final, pN, pN.E|x|y|z, BLOCK:ID, ps (generator random numbers), comma-separated.")
    String wrt;

    @CommandLine.Option(names = "--score", description = "Also write the score d log|M|^2 / d(parameter) for the parameters in --wrt.")
    boolean score;

    @CommandLine.Option(names = "--hessian", description = "Also write the exact second derivatives of |M|^2 w.r.t. the parameters in --wrt (forward over forward).")
    boolean hessian;

    @CommandLine.Option(names = "--format", defaultValue = "json", description = "json, jsonl, csv or npy (npy: -o DIR) (default: ${DEFAULT-VALUE}).")
    String format;

    @CommandLine.Option(names = {"-o", "--output"}, description = "Output file (directory for npy; default: standard output).")
    String output;

    @CommandLine.Option(names = "--mode", defaultValue = "auto",
            description = "forward, reverse, or auto (default): reverse from " + (AUTO_REVERSE_ABOVE + 1)
                    + " derivative(s) on, forward otherwise (with --backend native: reverse from "
                    + (EvalJob.NATIVE_AUTO_REVERSE_ABOVE + 1) + " on, when CoDiPack is available).")
    String mode;

    @CommandLine.Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @CommandLine.Option(names = "--skip-bad", description = "Skip points with bad values (not finite, wrong counts), naming each on stderr, instead of stopping.")
    boolean skipBad;

    @CommandLine.Option(names = "--backend", defaultValue = "java",
            description = "java (default) or native (the process as C++ over an AD scalar, through JNI).")
    String backend;

    @CommandLine.Option(names = "--ad", description = "With --backend native: codipack or builtin (default: CoDiPack when found, else builtin).")
    String ad;

    @CommandLine.Option(names = "--codipack", description = "With --backend native: CoDiPack's include directory (else $CODIPACK_INCLUDE).")
    Path codipack;

    @CommandLine.Option(names = "--quiet", description = "No progress output on stderr.")
    boolean quiet;

    /** After {@link #call()}: how many points were written (used by {@code megrad batch}). */
    long pointsWritten;

    @Override
    public Integer call() {
        MadGraphOutput out = MadGraphOutput.open(dir);
        JavaPort.Mode m = switch (mode) {
            case "forward" -> JavaPort.Mode.FORWARD;
            case "reverse" -> JavaPort.Mode.REVERSE;
            case "auto" -> null;
            default -> throw new UsageException("unknown --mode '" + mode + "': use forward, reverse or auto");
        };
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        boolean progress = !quiet && System.console() != null;
        EvalJob.Native nativeBackend = switch (backend) {
            case "java" -> {
                if (ad != null || codipack != null) {
                    throw new UsageException("--ad and --codipack go with --backend native");
                }
                yield null;
            }
            case "native" -> new EvalJob.Native(ad, codipack);
            default -> throw new UsageException("unknown --backend '" + backend + "': use java or native");
        };
        EvalJob.Options opt = new EvalJob.Options(subprocess, points, pointsFormat, sample, sqrtS, seed, wrt, m, m == null, n,
                format, output, score, hessian, skipBad, progress, nativeBackend);
        pointsWritten = new EvalJob(out, card.load(out), opt, JavaPortCompiler.defaultCache(), System.err).run();
        return 0;
    }
}
