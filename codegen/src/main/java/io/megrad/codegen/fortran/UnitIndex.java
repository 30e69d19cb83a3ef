package io.megrad.codegen.fortran;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each program unit of an output is defined. Files are only scanned for unit headers up
 * front (without expanding includes, since unused files may not even compile); a file is read and
 * split for real the first time one of its units is asked for.
 */
final class UnitIndex {
    private static final Pattern HEADER = Pattern.compile(
            "^[ \\t]+(?:[A-Za-z0-9*() ]+\\s)?(SUBROUTINE|FUNCTION)\\s+([A-Za-z_][A-Za-z0-9_]*)", Pattern.CASE_INSENSITIVE);

    private final Map<String, Path> unitFiles = new LinkedHashMap<>();
    private final Map<String, SourceUnit> units = new HashMap<>();
    private final Map<Path, Map<String, SourceUnit>> parsedFiles = new HashMap<>();
    private final FixedFormReader reader;

    /** Indexes {@code files} in order; the first definition of a name wins, as in MadGraph's link order. */
    UnitIndex(List<Path> files, FixedFormReader reader) {
        this.reader = reader;
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines) {
                if (FixedFormReader.isComment(line)) {
                    continue;
                }
                Matcher m = HEADER.matcher(line);
                if (m.find()) {
                    unitFiles.putIfAbsent(m.group(2).toUpperCase(), f);
                }
            }
        }
    }

    /** Adds a unit that does not come from a file (the synthesized setup routine). */
    void add(SourceUnit unit) {
        units.put(unit.name(), unit);
    }

    boolean has(String name) {
        return units.containsKey(name) || unitFiles.containsKey(name);
    }

    /** The unit called {@code name}, or null. */
    SourceUnit get(String name) {
        SourceUnit u = units.get(name);
        if (u != null) {
            return u;
        }
        Path f = unitFiles.get(name);
        if (f == null) {
            return null;
        }
        Map<String, SourceUnit> inFile = parsedFiles.computeIfAbsent(f, p -> {
            Map<String, SourceUnit> m = new LinkedHashMap<>();
            for (SourceUnit su : UnitSplitter.split(reader.read(p))) {
                m.putIfAbsent(su.name(), su);
            }
            return m;
        });
        u = inFile.get(name);
        if (u != null) {
            units.put(name, u);
        }
        return u;
    }
}
