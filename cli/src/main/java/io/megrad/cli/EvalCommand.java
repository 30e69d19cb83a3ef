package io.megrad.cli;

import io.megrad.cli.io.Point;
import io.megrad.cli.io.PointSource;
import io.megrad.cli.io.PointSources;
import io.megrad.cli.io.ResultWriter;
import io.megrad.cli.io.Wrt;
import io.megrad.cli.io.WrtParser;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.InputException;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code megrad eval}: |M|² and its derivatives at given phase-space points. */
@CommandLine.Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate |M|^2 and its exact derivatives at phase-space points.")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "MadGraph output directory (output standalone).")
    Path dir;

    @CommandLine.Option(names = "--points", required = true, description = "Points file (JSON or CSV), or - for standard input.")
    String points;

    @CommandLine.Option(names = "--points-format", description = "json or csv (default: from the file extension).")
    String pointsFormat;

    @CommandLine.Option(names = "--subprocess", description = "The SubProcesses/P* directory name (optional when there is one).")
    String subprocess;

    @CommandLine.Option(names = "--param-card", description = "Param card (default: DIR/Cards/param_card.dat).")
    Path paramCard;

    @CommandLine.Option(names = "--set", description = "Override a param-card entry: BLOCK:ID=VALUE (repeatable).")
    List<String> sets = new ArrayList<>();

    @CommandLine.Option(names = "--wrt", description = "Derivatives: final, pN, pN.E|x|y|z, BLOCK:ID, comma-separated.")
    String wrt;

    @CommandLine.Option(names = "--format", defaultValue = "json", description = "Output format: json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @CommandLine.Option(names = {"-o", "--output"}, description = "Output file (default: standard output).")
    String output;

    @CommandLine.Option(names = "--mode", defaultValue = "auto",
            description = "forward, reverse, or auto (default): reverse when there are more than "
                    + AUTO_REVERSE_ABOVE + " derivatives, forward otherwise.")
    String mode;

    /** Forward mode costs about one evaluation per few directions; reverse a fixed multiple. */
    static final int AUTO_REVERSE_ABOVE = 4;

    private JavaPort.Mode mode(int derivatives) {
        return switch (mode) {
            case "forward" -> JavaPort.Mode.FORWARD;
            case "reverse" -> JavaPort.Mode.REVERSE;
            case "auto" -> derivatives > AUTO_REVERSE_ABOVE ? JavaPort.Mode.REVERSE : JavaPort.Mode.FORWARD;
            default -> throw new UsageException("unknown --mode '" + mode + "': use forward, reverse or auto");
        };
    }

    @Override
    public Integer call() {
        if (!format.equals("json") && !format.equals("csv")) {
            throw new UsageException("unknown --format '" + format + "': use json or csv");
        }
        MadGraphOutput out = MadGraphOutput.open(dir);
        Path cardPath = paramCard != null ? paramCard : out.paramCard();
        ParamCard card = ParamCard.read(cardPath);
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new UsageException("bad --set '" + s + "': expected BLOCK:ID=VALUE");
            }
            ParamKey key = ParamKey.parse(s.substring(0, eq).strip());
            double value;
            try {
                value = Double.parseDouble(s.substring(eq + 1).strip().replace('d', 'e').replace('D', 'e'));
            } catch (NumberFormatException e) {
                throw new UsageException("bad value in --set '" + s + "'");
            }
            if (!card.contains(key)) {
                throw new InputException(cardPath + ": no entry " + key + " to --set");
            }
            card = card.with(key, value);
        }
        JavaPort port = JavaPort.translate(out, subprocess);
        int nExt = port.program().nExternal();
        List<Wrt> wrts = WrtParser.parse(wrt, nExt, port.program().nInitial());
        List<Seed> seeds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Wrt w : wrts) {
            names.add(w.name());
            if (w instanceof Wrt.MomentumComponent m) {
                seeds.add(new Seed.Momentum(m.particle(), m.component()));
            } else {
                ParamKey key = ((Wrt.Parameter) w).key();
                if (!card.contains(key)) {
                    throw new InputException(cardPath + ": --wrt " + key + ": no such entry in the param card");
                }
                seeds.add(new Seed.Parameter(key));
            }
        }
        ProcessEvaluator ev = port.evaluator(card, seeds, JavaPortCompiler.defaultCache(), mode(seeds.size()));
        for (String w : ev.warnings()) {
            System.err.println("megrad: warning: " + w);
        }
        double[] grad = new double[seeds.size()];
        try (PointSource src = PointSources.open(points, pointsFormat, nExt);
             ResultWriter writer = ResultWriter.open(output, format, port.subprocess(), names)) {
            while (src.hasNext()) {
                Point pt = src.next();
                double me = ev.evaluate(pt.momenta(), grad);
                writer.write(me, grad);
            }
            writer.commit();
        }
        return 0;
    }
}
