package io.megrad.codegen.discover;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a subprocess's own header comment says: {@code Process: g g > t t~ g WEIGHTED<=3 @1} in
 * {@code matrix.f} or {@code CPPProcess.cc}, read as the external particles in MadGraph's order.
 * For a decay chain ({@code e+ e- > t t~, (t > w+ b, w+ > e+ ve)}) each decaying particle is
 * replaced by its decay products, recursively, which is the order MadGraph numbers them in.
 *
 * @param pdg PDG codes in MadGraph order, or null when a name is not in megrad's table
 */
public record ProcessHeader(String process, int nInitial, List<String> names, int[] pdg) {
    // Blanks only within the line, possessively: \s* spanning lines, or a lazy group before
    // trailing blanks, backtracks quadratically on long runs of blanks.
    private static final Pattern LINE = Pattern.compile("^[ \\t]*+(?:[Cc*!]|//)[ \\t]*+Process:(.*)$", Pattern.MULTILINE);

    /** Reads the first {@code Process:} comment of {@code file}. */
    public static ProcessHeader read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(file.toString(), 0), "cannot read: " + e.getMessage());
        }
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            String process = m.group(1).strip();
            if (!process.isEmpty()) {
                return parse(process);
            }
        }
        throw new InputException(SourcePosition.of(file.toString(), 0), "no 'Process:' comment naming the process");
    }

    /** Parses the process text after {@code Process:}. */
    public static ProcessHeader parse(String process) {
        String core = process;
        List<String> decays = new ArrayList<>();
        int comma = topLevelComma(process);
        if (comma >= 0) {
            core = process.substring(0, comma);
            decays = splitDecays(process.substring(comma + 1));
        }
        String[] sides = core.split(">", 2);
        if (sides.length != 2) {
            throw new InputException("cannot read the process '" + process + "'");
        }
        List<String> initial = particles(sides[0]);
        List<String> fin = particles(sides[1]);
        for (String decay : decays) {
            fin = substitute(fin, decay);
        }
        List<String> names = new ArrayList<>(initial);
        names.addAll(fin);
        int[] pdg = new int[names.size()];
        for (int i = 0; i < pdg.length; i++) {
            Integer code = ParticleNames.pdg(names.get(i));
            if (code == null) {
                return new ProcessHeader(process, initial.size(), List.copyOf(names), null);
            }
            pdg[i] = code;
        }
        return new ProcessHeader(process, initial.size(), List.copyOf(names), pdg);
    }

    /** Particle names of one side, dropping coupling orders (WEIGHTED<=3), tags (@1) and $/ filters. */
    private static List<String> particles(String side) {
        List<String> out = new ArrayList<>();
        for (String tok : side.trim().split("\\s+")) {
            if (tok.isEmpty() || tok.startsWith("@") || tok.contains("=") || tok.contains("<") || tok.startsWith("$") || tok.startsWith("/")) {
                break;
            }
            out.add(tok);
        }
        return out;
    }

    private static int topLevelComma(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** "(t > w+ b, w+ > e+ ve), t~ > w- b~" → the decay strings in order, parentheses removed. */
    private static List<String> splitDecays(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.replace("(", ",").replace(")", ",").split(",")) {
            if (part.contains(">")) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static List<String> substitute(List<String> fin, String decay) {
        String[] sides = decay.split(">", 2);
        String parent = sides[0].trim();
        List<String> products = particles(sides[1]);
        List<String> out = new ArrayList<>();
        boolean done = false;
        for (String p : fin) {
            if (!done && p.equals(parent)) {
                out.addAll(products);
                done = true;
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
