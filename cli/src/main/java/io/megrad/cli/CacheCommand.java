package io.megrad.cli;

import io.megrad.codegen.build.JavaPortCompiler;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code megrad cache path} and {@code megrad cache clean}: where compiled ports are cached, and
 * emptying that cache ({@link JavaPortCompiler#clean()}). Clean removes only what megrad wrote, so
 * a mistaken {@code MEGRAD_CACHE=$HOME} loses nothing else.
 */
@CommandLine.Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Show or empty the compile cache ($MEGRAD_CACHE, default ~/.cache/megrad).",
        subcommands = {CacheCommand.PathCommand.class, CacheCommand.CleanCommand.class})
final class CacheCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: path or clean");
    }

    /** The cache directory: {@code --dir}, else the default. */
    static final class DirOption {
        @CommandLine.Option(names = "--dir", description = "The cache directory (default: $MEGRAD_CACHE, else ~/.cache/megrad).")
        Path dir;

        JavaPortCompiler compiler() {
            return new JavaPortCompiler(dir != null ? dir : JavaPortCompiler.defaultCache());
        }
    }

    @CommandLine.Command(name = "path", mixinStandardHelpOptions = true, description = "Print the cache directory.")
    static final class PathCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(dir.compiler().root().toAbsolutePath());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @CommandLine.Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Delete the compiled ports and native libraries megrad cached; the next run compiles again.")
    static final class CleanCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() {
            JavaPortCompiler compiler = dir.compiler();
            int removed = compiler.clean();
            spec.commandLine().getOut().println("removed " + removed + " cache entr" + (removed == 1 ? "y" : "ies")
                    + " from " + compiler.root().toAbsolutePath());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
