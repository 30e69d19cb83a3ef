package io.megrad.cli;

import io.megrad.runtime.MegradException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code megrad} command: one subcommand class each; errors become one line and an exit code. */
@CommandLine.Command(name = "megrad", mixinStandardHelpOptions = true, version = "megrad 0.1.0",
        description = "Differentiable MadGraph matrix elements from standalone outputs.",
        subcommands = {EvalCommand.class, SampleCommand.class, BatchCommand.class, PortCommand.class, NativeCommand.class, InspectCommand.class, CacheCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI; exit codes: 0 ok, 2 usage, 3 input, 4 unsupported construct, 5 internal, 6 some batch entries failed. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof MegradException me) {
                err.println("megrad: " + me.getMessage());
                return me.exitCode();
            }
            err.println("megrad: internal error: " + ex);
            if (System.getenv("MEGRAD_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return 5;
        });
        return cl.execute(args);
    }
}
