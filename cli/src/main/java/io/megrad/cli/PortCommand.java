package io.megrad.cli;

import io.megrad.cli.io.Wrt;
import io.megrad.cli.io.WrtParser;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.port.JavaLibrary;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UsageException;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code megrad port}: a self-contained Java library for one subprocess (see {@link JavaLibrary}). */
@CommandLine.Command(name = "port", mixinStandardHelpOptions = true,
        description = "Write a self-contained Java library (jar, sources, Javadoc, example) for a subprocess.")
public final class PortCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "MadGraph output directory (output standalone).")
    Path dir;

    @CommandLine.Option(names = {"-o", "--output"}, required = true,
            description = "Directory to write (replaced if it holds an earlier library; refused if it holds anything else).")
    Path output;

    @CommandLine.Option(names = "--package", description = "Java package of the library (default: megrad.generated.<subprocess>).")
    String packageName;

    @CommandLine.Option(names = "--subprocess", description = "The SubProcesses/P* directory name (optional when there is one).")
    String subprocess;

    @CommandLine.Option(names = "--param-card", description = "Param card to embed (default: DIR/Cards/param_card.dat).")
    Path paramCard;

    @CommandLine.Option(names = "--wrt", defaultValue = "final",
            description = "Derivatives the library computes: final, pN, pN.E|x|y|z, BLOCK:ID, comma-separated, or none (default: ${DEFAULT-VALUE}).")
    String wrt;

    @CommandLine.Option(names = "--mode", defaultValue = "auto",
            description = "forward, reverse, or auto (default): reverse from "
                    + (EvalCommand.AUTO_REVERSE_ABOVE + 1) + " derivative(s) on, forward otherwise.")
    String mode;

    @Override
    public Integer call() {
        if (!List.of("forward", "reverse", "auto").contains(mode)) {
            throw new UsageException("unknown --mode '" + mode + "': use forward, reverse or auto");
        }
        MadGraphOutput out = MadGraphOutput.open(dir);
        JavaPort port = JavaPort.translate(out, subprocess);
        List<Seed> seeds = new ArrayList<>();
        if (!wrt.strip().equalsIgnoreCase("none")) {
            for (Wrt w : WrtParser.parse(wrt, port.program().nExternal(), port.program().nInitial())) {
                seeds.add(w instanceof Wrt.MomentumComponent m ? new Seed.Momentum(m.particle(), m.component())
                        : new Seed.Parameter(((Wrt.Parameter) w).key()));
            }
        }
        JavaPort.Mode chosen = switch (mode) {
            case "forward" -> JavaPort.Mode.FORWARD;
            case "reverse" -> JavaPort.Mode.REVERSE;
            default -> seeds.size() > EvalCommand.AUTO_REVERSE_ABOVE ? JavaPort.Mode.REVERSE : JavaPort.Mode.FORWARD;
        };
        JavaLibrary.Written lib = JavaLibrary.write(out, port, paramCard != null ? paramCard : out.paramCard(), output,
                new JavaLibrary.Options(packageName, chosen, seeds));
        for (String w : lib.warnings()) {
            System.err.println("megrad: warning: " + w);
        }
        System.out.println("wrote " + lib.directory() + ": package " + lib.packageName() + ", "
                + chosen.name().toLowerCase(java.util.Locale.ROOT) + " mode, " + lib.wrt().size() + " derivatives");
        System.out.println("try: java -jar " + lib.jar());
        return 0;
    }
}
