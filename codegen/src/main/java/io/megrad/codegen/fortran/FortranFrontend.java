package io.megrad.codegen.fortran;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Fortran frontend: translates a MadGraph {@code output standalone} subprocess into an IR
 * {@link Program}. Only what is reachable from the two entry points is parsed and lowered: the
 * per-point {@code SMATRIX(P, ANS)} of the subprocess's {@code matrix.f}, and a setup routine that
 * does what MadGraph's {@code SETPARA} does after loading the card (the output's own
 * {@code param_read.inc}, then {@code CALL COUP()}).
 */
public final class FortranFrontend {
    public static final String SETUP_ENTRY = "MEGRAD_SETUP";
    public static final String POINT_ENTRY = "SMATRIX";

    private final Path root;
    private final Path subprocess;

    /**
     * @param root       the MadGraph output directory (holding Source/ and SubProcesses/)
     * @param subprocess the SubProcesses/P* directory to translate
     */
    public FortranFrontend(Path root, Path subprocess) {
        this.root = root;
        this.subprocess = subprocess;
    }

    public Program translate() {
        Path model = root.resolve("Source").resolve("MODEL");
        Path dhelas = root.resolve("Source").resolve("DHELAS");
        Path matrix = subprocess.resolve("matrix.f");
        if (!Files.isRegularFile(matrix)) {
            throw new InputException(SourcePosition.of(matrix.toString(), 0), "missing matrix.f");
        }
        List<Path> files = new ArrayList<>();
        files.add(matrix);
        files.addAll(fortranFiles(dhelas));
        files.addAll(fortranFiles(model));
        FixedFormReader reader = new FixedFormReader(List.of(subprocess, model, root.resolve("Source")));
        UnitIndex units = new UnitIndex(files, reader);
        units.add(setupUnit(reader, model));
        boolean masses = Files.isRegularFile(subprocess.resolve("pmass.inc")) && Files.isRegularFile(subprocess.resolve("nexternal.inc"));
        if (masses) {
            units.add(massesUnit(reader));
        }

        Map<String, String> identBlock = new HashMap<>();
        Map<String, List<Integer>> identIndex = new HashMap<>();
        readIdentCard(root.resolve("Cards").resolve("ident_card.dat"), identBlock, identIndex);

        LoweringContext ctx = new LoweringContext(units, identBlock, identIndex);
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        ctx.require(SETUP_ENTRY);
        ctx.require(POINT_ENTRY);
        if (masses) {
            ctx.require(Program.MASSES_ENTRY);
        }
        while (!ctx.pending().isEmpty()) {
            String name = ctx.pending().poll();
            if (procedures.containsKey(name)) {
                continue;
            }
            SourceUnit u = units.get(name);
            if (u == null) {
                throw new InputException(SourcePosition.of(subprocess.toString(), 0), "no routine " + name + " found in the output's sources");
            }
            procedures.put(name, new UnitLowering(u, ctx).lower());
        }
        int nExternal = externalCount(procedures.get(POINT_ENTRY));
        return new Program(procedures, ctx.commons(), ctx.inputs(), SETUP_ENTRY, POINT_ENTRY, nExternal, initialCount(matrix));
    }

    /** NEXTERNAL from the point routine's {@code P(0:3,NEXTERNAL)}; anything else would index out of P. */
    private static int externalCount(Procedure point) {
        List<Dim> dims = point.params().isEmpty() ? List.of() : point.params().get(0).dims();
        if (dims.size() != 2 || dims.get(0).lower() != 0 || !Integer.valueOf(3).equals(dims.get(0).upper())
                || dims.get(1).lower() != 1 || dims.get(1).upper() == null || dims.get(1).upper() < 1) {
            throw new UnsupportedConstructException(point.pos(), POINT_ENTRY + " whose first argument is not P(0:3,NEXTERNAL)"
                    + " with a constant NEXTERNAL");
        }
        return dims.get(1).upper();
    }

    /** NINITIAL from matrix.f (1 for a decay, 2 for scattering). */
    private static int initialCount(Path matrix) {
        String text;
        try {
            text = Files.readString(matrix, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return 2;
        }
        Matcher m = Pattern.compile("NINITIAL\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE).matcher(text);
        if (!m.find()) {
            return 2;
        }
        if (!m.group(1).equals("1") && !m.group(1).equals("2")) {
            int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            throw new InputException(SourcePosition.of(matrix.toString(), line), "NINITIAL = " + m.group(1) + ": expected 1 or 2");
        }
        return Integer.parseInt(m.group(1));
    }

    private SourceUnit setupUnit(FixedFormReader reader, Path model) {
        if (!Files.isRegularFile(model.resolve("param_read.inc"))) {
            throw new InputException(SourcePosition.of(model.resolve("param_read.inc").toString(), 0), "missing param_read.inc (is this a MadGraph standalone output?)");
        }
        String text = String.join("\n",
                "      SUBROUTINE " + SETUP_ENTRY + "()",
                "      IMPLICIT NONE",
                "      INCLUDE 'coupl.inc'",
                "      INCLUDE 'input.inc'",
                "      INTEGER NPARA",
                "      CHARACTER*20 PARAM(1),VALUE(1)",
                "      INCLUDE 'param_read.inc'",
                "      CALL COUP()",
                "      END");
        List<LogicalLine> lines = reader.readText(text, "megrad setup (MadGraph SETPARA without card loading)", model);
        return UnitSplitter.split(lines).get(0);
    }

    /** The external masses exactly as the output states them (its own pmass.inc). */
    private SourceUnit massesUnit(FixedFormReader reader) {
        String text = String.join("\n",
                "      SUBROUTINE " + Program.MASSES_ENTRY + "(PMASS)",
                "      IMPLICIT NONE",
                "      INCLUDE 'nexternal.inc'",
                "      INCLUDE 'coupl.inc'",
                "      REAL*8 ZERO",
                "      PARAMETER (ZERO=0D0)",
                "      REAL*8 PMASS(NEXTERNAL)",
                "      INCLUDE 'pmass.inc'",
                "      END");
        return UnitSplitter.split(reader.readText(text, "megrad masses (the output's pmass.inc)", subprocess)).get(0);
    }

    private static List<Path> fortranFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(SourcePosition.of(dir.toString(), 0), "missing directory (is this a MadGraph standalone output?)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".f") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(dir.toString(), 0), "cannot list directory: " + e.getMessage());
        }
    }

    private static void readIdentCard(Path file, Map<String, String> block, Map<String, List<Integer>> index) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(SourcePosition.of(file.toString(), 0), "missing ident_card.dat (needed to map parameters to the param card)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(file.toString(), 0), "cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith("c") && s.length() > 1 && s.charAt(1) == 'c' || s.startsWith("C")) {
                continue;
            }
            String[] parts = s.split("\\s+");
            if (parts.length < 3) {
                continue;
            }
            List<Integer> idx = new ArrayList<>();
            boolean ok = true;
            for (int i = 1; i < parts.length - 1; i++) {
                try {
                    idx.add(Integer.parseInt(parts[i]));
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (ok) {
                String name = parts[parts.length - 1].toLowerCase();
                block.put(name, parts[0].toUpperCase());
                index.put(name, idx);
            }
        }
    }
}
