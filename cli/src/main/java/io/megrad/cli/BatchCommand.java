package io.megrad.cli;

import io.megrad.runtime.InputException;
import io.megrad.runtime.MegradException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UsageException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code megrad batch LIST}: {@code megrad eval} over a list of MadGraph outputs, one output file
 * per entry, continuing past failures, with a summary table.
 */
@CommandLine.Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Evaluate every MadGraph output named in LIST (one per line: DIR [eval options]; # comments).",
                "Options after LIST are eval options for every entry; an entry's own options come after them and win."})
final class BatchCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "The process list.")
    Path list;

    @CommandLine.Option(names = {"-o", "--output-dir"}, defaultValue = ".", description = "Directory for the result files (default: current).")
    Path outDir;

    @CommandLine.Option(names = "--format", defaultValue = "json", description = "json, jsonl, csv or npy (default: ${DEFAULT-VALUE}).")
    String format;

    @CommandLine.Unmatched
    List<String> evalOptions = new ArrayList<>();

    private record Entry(int line, List<String> words) {
    }

    private record Outcome(String name, long points, double seconds, String status) {
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(outDir)) {
            throw new UsageException("output directory " + outDir + " does not exist");
        }
        List<Entry> entries = read();
        List<Outcome> outcomes = new ArrayList<>();
        for (Entry e : entries) {
            String dir = e.words().get(0);
            String name = resultName(dir);
            Path result = outDir.resolve(name + (format.equals("npy") ? "" : "." + format));
            List<String> args = new ArrayList<>();
            args.add(dir);
            args.addAll(evalOptions);
            args.addAll(e.words().subList(1, e.words().size()));
            args.addAll(List.of("--format", format, "-o", result.toString(), "--quiet"));
            EvalCommand eval = new EvalCommand();
            CommandLine cl = new CommandLine(eval);
            // An entry's own options come after the common ones and replace them.
            cl.setOverwrittenOptionsAllowed(true);
            long t0 = System.nanoTime();
            String status;
            try {
                cl.parseArgs(args.toArray(new String[0]));
                eval.call();
                status = "ok";
            } catch (CommandLine.ParameterException ex) {
                status = "failed: " + ex.getMessage();
            } catch (MegradException ex) {
                status = "failed: " + ex.getMessage();
            } catch (RuntimeException ex) {
                status = "failed: internal error: " + ex;
            }
            outcomes.add(new Outcome(list + ":" + e.line() + " " + dir, eval.pointsWritten, (System.nanoTime() - t0) / 1e9, status));
            System.err.println("megrad batch: " + dir + ": " + status);
        }
        System.out.printf("%-60s %10s %9s  %s%n", "process", "points", "time [s]", "status");
        for (Outcome o : outcomes) {
            System.out.printf("%-60s %10d %9.2f  %s%n", o.name(), o.points(), o.seconds(), o.status());
        }
        long failed = outcomes.stream().filter(o -> !o.status().equals("ok")).count();
        System.out.println(outcomes.size() + " processes, " + failed + " failed");
        return failed == 0 ? 0 : 6;
    }

    private List<Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(list.toString(), 0), "cannot read the process list: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            if (l.isBlank()) {
                continue;
            }
            entries.add(new Entry(i + 1, Arrays.asList(l.strip().split("\\s+"))));
        }
        if (entries.isEmpty()) {
            throw new InputException(SourcePosition.of(list.toString(), 0), "the process list names no MadGraph output");
        }
        return entries;
    }

    /** A file name from the output's path: its last components, e.g. gg_ttx_fortran. */
    private static String resultName(String dir) {
        Path p = Path.of(dir).normalize();
        int n = p.getNameCount();
        String base = n >= 2 ? p.getName(n - 2) + "_" + p.getName(n - 1) : p.getFileName().toString();
        return base.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
