package io.megrad.cli;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.phasespace.PhaseSpaceGenerator;
import io.megrad.runtime.phasespace.PhaseSpaceSampler;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code megrad sample}: phase-space points of megrad's own generator, in the --points format. */
@CommandLine.Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate phase-space points (JSON, or CSV by extension) with the masses of the process.")
final class SampleCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "MadGraph output directory.")
    Path dir;

    @CommandLine.Option(names = "--n", required = true, description = "Number of points.")
    int n;

    @CommandLine.Option(names = "--sqrt-s", description = "Centre-of-mass energy in GeV (a decay is generated at rest: leave it out).")
    Double sqrtS;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--subprocess", description = "The SubProcesses/P* directory name.")
    String subprocess;

    @CommandLine.Mixin
    CardOptions card = new CardOptions();

    @CommandLine.Option(names = {"-o", "--output"}, description = "Output file: .csv for CSV, anything else JSON (default: JSON on standard output).")
    String output;

    @Override
    public Integer call() {
        if (n < 0) {
            throw new UsageException("--n must not be negative");
        }
        MadGraphOutput out = MadGraphOutput.open(dir);
        JavaPort port = JavaPort.translate(out, subprocess);
        double[] masses = port.evaluator(card.load(out), List.of(), JavaPortCompiler.defaultCache(), JavaPort.Mode.FORWARD).masses();
        PhaseSpaceGenerator gen = io.megrad.cli.eval.ProcessGenerator.of(port.program().nInitial(), masses, sqrtS);
        PhaseSpaceSampler sampler = new PhaseSpaceSampler(seed);
        boolean csv = output != null && output.toLowerCase().endsWith(".csv");
        try (TextFile file = TextFile.open(output)) {
            Writer w = file.writer();
            if (!csv) {
                w.write("{\"points\": [");
            }
            for (int k = 0; k < n; k++) {
                double[][] p = gen.generate(sampler.next(gen.dimension())).momenta();
                StringBuilder sb = new StringBuilder();
                if (csv) {
                    for (int i = 0; i < p.length; i++) {
                        for (int mu = 0; mu < 4; mu++) {
                            sb.append(i + mu > 0 ? "," : "").append(p[i][mu]);
                        }
                    }
                    sb.append('\n');
                } else {
                    sb.append(k > 0 ? ",\n" : "\n").append('[');
                    for (int i = 0; i < p.length; i++) {
                        sb.append(i > 0 ? ", [" : "[").append(p[i][0]).append(", ").append(p[i][1]).append(", ")
                                .append(p[i][2]).append(", ").append(p[i][3]).append(']');
                    }
                    sb.append(']');
                }
                w.write(sb.toString());
            }
            if (!csv) {
                w.write("\n]}\n");
            }
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }
}
