package io.megrad.bench;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One benchmarked process as scripts/bench.sh describes it in
 * {@code $MEGRAD_BENCH_WORK/<name>/bench.properties}: the MadGraph output, the reference points
 * (the same text file the Fortran and C++ drivers read), the reference |M|² and the three
 * param-card entries that complete the "all inputs" gradient.
 *
 * <p>A variant names what is timed: {@code primal} (the port compiled with no directions),
 * {@code forward-K} or {@code reverse-K} with K = 4, 8 or {@code all}: the first K of the inputs
 * (every component of every final-state momentum in MadGraph's order, then the parameters).
 */
final class BenchProcess {
    final String name;
    final Path outputDir;
    final double[][][] points;
    final double[] meReference;
    final List<Seed> allInputs;
    final ParamCard card;
    final Path cache;
    final JavaPort port;
    final long translateNanos;

    private BenchProcess(String name, Properties props) {
        this.name = name;
        this.outputDir = Path.of(props.getProperty("dir"));
        this.points = readPoints(Path.of(props.getProperty("points")));
        this.meReference = readColumn(Path.of(props.getProperty("me")));
        int nExternal = points[0].length;
        List<Seed> inputs = new ArrayList<>();
        for (int particle = 3; particle <= nExternal; particle++) {
            for (int mu = 0; mu < 4; mu++) {
                inputs.add(new Seed.Momentum(particle, mu));
            }
        }
        for (String key : props.getProperty("params").split(",")) {
            inputs.add(new Seed.Parameter(ParamKey.parse(key.trim())));
        }
        this.allInputs = List.copyOf(inputs);
        this.cache = JavaPortCompiler.defaultCache();
        long t0 = System.nanoTime();
        MadGraphOutput out = MadGraphOutput.open(outputDir);
        this.port = JavaPort.translate(out, null);
        this.translateNanos = System.nanoTime() - t0;
        this.card = ParamCard.read(out.paramCard(), out.cardDuplicates());
    }

    static BenchProcess load(String name) {
        String work = System.getenv("MEGRAD_BENCH_WORK");
        if (work == null) {
            throw new IllegalStateException("MEGRAD_BENCH_WORK is not set: run scripts/bench.sh");
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(work, name, "bench.properties"))) {
            props.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BenchProcess(name, props);
    }

    /** The seeds of a variant (empty for the primal). */
    List<Seed> seeds(String variant) {
        if (variant.equals("primal")) {
            return List.of();
        }
        String count = variant.substring(variant.indexOf('-') + 1);
        int k = count.equals("all") ? allInputs.size() : Math.min(Integer.parseInt(count), allInputs.size());
        return allInputs.subList(0, k);
    }

    static JavaPort.Mode mode(String variant) {
        return variant.startsWith("reverse") ? JavaPort.Mode.REVERSE : JavaPort.Mode.FORWARD;
    }

    ProcessEvaluator evaluator(String variant) {
        return port.evaluator(card, seeds(variant), cache, mode(variant));
    }

    private static double[][][] readPoints(Path file) {
        List<String> lines = lines(file);
        String[] head = lines.get(0).trim().split("\\s+");
        int n = Integer.parseInt(head[0]);
        int next = Integer.parseInt(head[1]);
        double[][][] pts = new double[n][next][4];
        int line = 1;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < next; i++) {
                String[] f = lines.get(line++).trim().split("\\s+");
                for (int mu = 0; mu < 4; mu++) {
                    pts[k][i][mu] = Double.parseDouble(f[mu]);
                }
            }
        }
        return pts;
    }

    private static double[] readColumn(Path file) {
        return lines(file).stream().filter(s -> !s.isBlank()).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
