package io.megrad.runtime.slha;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the lines of one SLHA card into entries, line by line. One instance per card: it holds the
 * state of the block being read.
 */
final class SlhaParser {
    /** Blocks whose entries are text (program names, versions), not parameters. */
    private static final Set<String> TEXT_BLOCKS = Set.of("SPINFO", "DCINFO");

    /** What the lines after the latest header are. */
    private enum Section { NONE, BLOCK, SKIPPED, DECAY_TABLE }

    private final String sourceName;
    private final ParamCard.Duplicates duplicates;
    private final Map<ParamKey, Double> entries = new LinkedHashMap<>();
    private final Map<ParamKey, Integer> lineOf = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Section section = Section.NONE;
    private String block;
    private List<Integer> indexPrefix = List.of();
    private int line;

    SlhaParser(String sourceName, ParamCard.Duplicates duplicates) {
        this.sourceName = sourceName;
        this.duplicates = duplicates;
    }

    /** One line per repeated entry, saying which value is used. */
    List<String> warnings() {
        return warnings;
    }

    Map<ParamKey, Double> parse(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String content = withoutComment(lines[i]).strip();
            if (!content.isEmpty()) {
                readLine(content.split("\\s+"));
            }
        }
        return entries;
    }

    private static String withoutComment(String text) {
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }

    private void readLine(String[] tokens) {
        String head = tokens[0].toUpperCase(Locale.ROOT);
        if (head.equals("BLOCK")) {
            readBlockHeader(tokens);
        } else if (head.equals("DECAY")) {
            readDecay(tokens);
        } else if (section == Section.BLOCK) {
            readEntry(tokens);
        } else if (section == Section.NONE) {
            throw error("entry '" + String.join(" ", tokens) + "' before any BLOCK or DECAY line");
        }
        // SKIPPED and DECAY_TABLE: branching ratios and text entries are not parameters.
    }

    private void readBlockHeader(String[] tokens) {
        if (tokens.length < 2) {
            throw error("BLOCK line without a block name");
        }
        if (!ParamKey.isBlockName(tokens[1])) {
            // "BLOCK MASSQ=91": ParamKey would reject the name later, without the line.
            throw error("malformed block name '" + tokens[1] + "'");
        }
        block = tokens[1].toUpperCase(Locale.ROOT);
        indexPrefix = List.of();
        section = TEXT_BLOCKS.contains(block) ? Section.SKIPPED : Section.BLOCK;
        String rest = String.join("", List.of(tokens).subList(2, tokens.length));
        if (rest.isEmpty()) {
            return;
        }
        if (rest.regionMatches(true, 0, "Q=", 0, 2)) {
            String scale = rest.substring(2);
            if (CardNumbers.real(scale).isEmpty()) {
                throw error("malformed scale '" + scale + "' in BLOCK " + block + " Q= ...");
            }
        } else if (block.equals("QNUMBERS") && tokens.length == 3) {
            int pdg = CardNumbers.index(tokens[2]).orElseThrow(
                    () -> error("malformed PDG code '" + tokens[2] + "' in BLOCK QNUMBERS"));
            indexPrefix = List.of(pdg);
        } else {
            throw error("unexpected '" + rest + "' after BLOCK " + block + " (expected Q= scale or nothing)");
        }
    }

    private void readDecay(String[] tokens) {
        if (tokens.length != 3) {
            throw error("expected 'DECAY PDG WIDTH', found '" + String.join(" ", tokens) + "'");
        }
        int pdg = CardNumbers.index(tokens[1]).orElseThrow(
                () -> error("malformed PDG code '" + tokens[1] + "' in DECAY line"));
        put(ParamKey.of("DECAY", pdg), number(tokens[2], "width of DECAY " + pdg));
        section = Section.DECAY_TABLE;
    }

    private void readEntry(String[] tokens) {
        List<Integer> indices = new ArrayList<>(indexPrefix);
        for (int i = 0; i < tokens.length - 1; i++) {
            String token = tokens[i];
            indices.add(CardNumbers.index(token).orElseThrow(() -> error("malformed index '" + token
                    + "' in BLOCK " + block + " (entries read: INDEX... VALUE)")));
        }
        ParamKey key = new ParamKey(block, indices);
        put(key, number(tokens[tokens.length - 1], key.toString()));
    }

    private double number(String text, String what) {
        return CardNumbers.real(text).orElseThrow(() -> text.equalsIgnoreCase("auto")
                ? error("'Auto' for " + what + " is not a number: write the computed width in the card")
                : error("malformed number '" + text + "' for " + what));
    }

    /** A repeated entry keeps the first position (LinkedHashMap); which value it keeps is the policy's. */
    private void put(ParamKey key, double value) {
        Integer first = lineOf.putIfAbsent(key, line);
        if (first == null) {
            entries.put(key, value);
            return;
        }
        boolean keepFirst = duplicates == ParamCard.Duplicates.FIRST_WINS;
        if (!keepFirst) {
            entries.put(key, value);
        }
        warnings.add(SourcePosition.of(sourceName, line) + ": " + key + " repeats line " + first + "; using the value of line "
                + (keepFirst ? first : line) + ", as " + duplicates.reader());
    }

    private InputException error(String message) {
        return new InputException(SourcePosition.of(sourceName, line), message);
    }
}
