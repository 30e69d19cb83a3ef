package io.megrad.cli;

import com.google.gson.GsonBuilder;
import io.megrad.codegen.JavaPort;
import io.megrad.codegen.build.JavaPortCompiler;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.discover.ProcessHeader;
import io.megrad.codegen.discover.SubprocessCounts;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.slha.ParamCard;
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

    /**
     * The entries |M|² depends on: those with a nonzero derivative (reverse mode, all at once) at a
     * generated point well above threshold; null when no point can be generated.
     */
    private static List<String> dependencies(JavaPort port, ParamCard card, double[] masses) {
        Program prog = port.program();
        if (masses == null || prog.nInitial() < 1 || prog.nInitial() > 2) {
            return null;
        }
        List<io.megrad.runtime.Seed> seeds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ExternalInput in : prog.inputs()) {
            if (in.block() != null) {
                io.megrad.runtime.slha.ParamKey key = new io.megrad.runtime.slha.ParamKey(in.block(), in.indices());
                if (card.contains(key) && !names.contains(key.toString())) {
                    names.add(key.toString());
                    seeds.add(new io.megrad.runtime.Seed.Parameter(key));
                }
            }
        }
        int in = prog.nInitial();
        double[] fin = java.util.Arrays.copyOfRange(masses, in, masses.length);
        double above = java.util.Arrays.stream(fin).sum();
        if (in == 1 && !(masses[0] > above)) {
            return null; // a decay that is closed at these masses
        }
        io.megrad.runtime.phasespace.PhaseSpaceGenerator gen = in == 1
                ? io.megrad.runtime.phasespace.PhaseSpaceGenerator.decay(masses[0], fin)
                : io.megrad.runtime.phasespace.PhaseSpaceGenerator.scattering(
                        2 * (Math.max(above, masses[0] + masses[1]) + 100), masses[0], masses[1], fin);
        double[] r = new io.megrad.runtime.phasespace.PhaseSpaceSampler(1).next(gen.dimension());
        double[] grad = new double[seeds.size()];
        port.evaluator(card, seeds, JavaPortCompiler.defaultCache(), JavaPort.Mode.REVERSE).evaluate(gen.generate(r).momenta(), grad);
        List<String> deps = new ArrayList<>();
        for (int j = 0; j < grad.length; j++) {
            if (grad[j] != 0.0) {
                deps.add(names.get(j));
            }
        }
        return deps;
    }

    @Override
    public Integer call() {
        MadGraphOutput out = MadGraphOutput.open(dir);
        ParamCard card = ParamCard.read(out.paramCard(), out.cardDuplicates());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", out.format() == MadGraphOutput.Format.FORTRAN_STANDALONE ? "fortran-standalone" : "cpp-standalone");
        List<Map<String, Object>> subs = new ArrayList<>();
        for (Path p : out.subprocesses()) {
            JavaPort port = JavaPort.translate(out, p.getFileName().toString());
            Program prog = port.program();
            ProcessHeader header = port.header();
            SubprocessCounts counts = SubprocessCounts.read(p);
            double[] masses = port.evaluator(card, List.of(), JavaPortCompiler.defaultCache(), JavaPort.Mode.FORWARD).masses();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", port.subprocess());
            s.put("process", header.process());
            List<Map<String, Object>> particles = new ArrayList<>();
            for (int i = 0; i < prog.nExternal(); i++) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("index", i + 1);
                part.put("name", i < header.names().size() ? header.names().get(i) : null);
                part.put("pdg", header.pdg() == null ? null : header.pdg()[i]);
                part.put("incoming", i < prog.nInitial());
                part.put("mass", masses == null ? null : masses[i]);
                particles.add(part);
            }
            s.put("particles", particles);
            s.put("helicities", counts.helicities());
            s.put("diagrams", counts.diagrams());
            s.put("colour_flows", counts.colours());
            s.put("translated_routines", prog.procedures().size());
            List<String> params = new ArrayList<>();
            for (ExternalInput in : prog.inputs()) {
                params.add(in.block() == null ? in.cardName() + " (not in the ident card; default " + in.defaultValue() + ")"
                        : in.block() + ":" + String.join(":", in.indices().stream().map(String::valueOf).toList()));
            }
            s.put("parameters", params);
            s.put("result_depends_on", dependencies(port, card, masses));
            subs.add(s);
        }
        doc.put("subprocesses", subs);
        if (json) {
            System.out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(doc));
            return 0;
        }
        System.out.println("format: " + doc.get("format"));
        for (Map<String, Object> s : subs) {
            System.out.println("subprocess " + s.get("name") + ": " + s.get("process"));
            for (Object o : (List<?>) s.get("particles")) {
                Map<?, ?> part = (Map<?, ?>) o;
                System.out.printf("  %d  %-6s pdg %-8s %s mass %s%n", part.get("index"), part.get("name"), part.get("pdg"),
                        Boolean.TRUE.equals(part.get("incoming")) ? "in " : "out", part.get("mass"));
            }
            System.out.println("  helicity combinations " + s.get("helicities") + ", diagrams " + s.get("diagrams")
                    + ", colour flows " + s.get("colour_flows") + ", translated routines " + s.get("translated_routines"));
            System.out.println("  param-card entries read by the model: " + String.join(", ", (List<String>) s.get("parameters")));
            Object deps = s.get("result_depends_on");
            System.out.println("  |M|^2 depends on: " + (deps == null ? "(not determined: no masses or not 2 -> n)" : String.join(", ", (List<String>) deps)));
        }
        return 0;
    }
}
