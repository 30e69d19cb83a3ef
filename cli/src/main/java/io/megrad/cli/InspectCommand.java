package io.megrad.cli;

import com.google.gson.GsonBuilder;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code megrad inspect}: what megrad sees in a MadGraph output. */
@CommandLine.Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the format, subprocesses, particles and parameters of a MadGraph output.")
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", description = "MadGraph output directory.")
    Path dir;

    @CommandLine.Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        MadGraphOutput out = MadGraphOutput.open(dir);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", out.format() == MadGraphOutput.Format.FORTRAN_STANDALONE ? "fortran-standalone" : "cpp-standalone");
        List<Map<String, Object>> subs = new ArrayList<>();
        for (Path p : out.subprocesses()) {
            JavaPort port = JavaPort.translate(out, p.getFileName().toString());
            Program prog = port.program();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", port.subprocess());
            s.put("externals", prog.nExternal());
            s.put("initial", prog.nInitial());
            s.put("procedures", prog.procedures().size());
            List<String> params = new ArrayList<>();
            for (ExternalInput in : prog.inputs()) {
                params.add(in.block() == null ? in.cardName() + " (default " + in.defaultValue() + ")"
                        : in.block() + ":" + String.join(":", in.indices().stream().map(String::valueOf).toList()));
            }
            s.put("parameters", params);
            subs.add(s);
        }
        doc.put("subprocesses", subs);
        if (json) {
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(doc));
        } else {
            System.out.println("format: " + doc.get("format"));
            for (Map<String, Object> s : subs) {
                System.out.println("subprocess " + s.get("name") + ": " + s.get("externals") + " external particles ("
                        + s.get("initial") + " incoming), " + s.get("procedures") + " translated routines");
                System.out.println("  depends on param-card entries: " + String.join(", ", (List<String>) s.get("parameters")));
            }
        }
        return 0;
    }
}
