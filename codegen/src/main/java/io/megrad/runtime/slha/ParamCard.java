package io.megrad.runtime.slha;

import io.megrad.runtime.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An SLHA param card as MadGraph writes and reads it: the numeric entries of its blocks and the
 * widths of its {@code DECAY} lines. Immutable; {@link #with} returns a changed copy.
 *
 * <pre>{@code
 * ParamCard card = ParamCard.read(Path.of("Cards/param_card.dat"));
 * double mt = card.value(ParamKey.parse("MASS:6")).orElseThrow();
 * ParamCard heavier = card.with(ParamKey.parse("MASS:6"), 175.0);
 * }</pre>
 *
 * <p>What is read (see {@link SlhaParser} for the details):
 * <ul>
 *   <li>{@code BLOCK NAME [Q= scale]}, any case; the scale is checked but not kept, since the
 *       matrix-element code reads only the entries.
 *   <li>Entries {@code I [J ...] VALUE}, and a bare {@code VALUE} in blocks such as {@code ALPHA}
 *       (key with no indices).
 *   <li>{@code DECAY PDG WIDTH} as key {@code DECAY:PDG}; the branching-ratio lines after it are
 *       skipped.
 *   <li>{@code Block QNUMBERS PDG}: entries get the PDG code as an extra first index,
 *       {@code QNUMBERS:PDG:I}, so the tables of different particles stay apart.
 *   <li>The text-valued blocks {@code SPINFO} and {@code DCINFO} are skipped.
 *   <li>{@code #} comments, blank lines, exponents {@code e}, {@code E}, {@code d}, {@code D}.
 * </ul>
 *
 * <p>When an entry appears twice, which value counts depends on whose code reads the card: a
 * standalone Fortran output's {@code LHA_get_real} uses the first, a standalone C++ output's
 * {@code SLHAReader} the last ({@link Duplicates}); {@link #read(Path)} takes the last. Either way
 * the key keeps the position of its first appearance and {@link #warnings()} names both lines.
 */
public final class ParamCard {
    /** Which value of a repeated entry counts, as the reader of a MadGraph output's own code decides. */
    public enum Duplicates {
        /** The standalone Fortran output's {@code LHA_get_real}: it stops at the first match. */
        FIRST_WINS("MadGraph's Fortran reader (LHA_get_real) does"),
        /** The standalone C++ output's {@code SLHAReader}: each entry overwrites the map. */
        LAST_WINS("MadGraph's C++ reader (SLHAReader) does");

        private final String reader;

        Duplicates(String reader) {
            this.reader = reader;
        }

        String reader() {
            return reader;
        }
    }

    private final String sourceName;
    private final Map<ParamKey, Double> entries;
    private final List<String> warnings;

    ParamCard(String sourceName, Map<ParamKey, Double> entries, List<String> warnings) {
        this.sourceName = sourceName;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads a card file.
     *
     * @throws InputException naming the path when the file is missing or unreadable, or naming
     *     {@code file:line} when its content is malformed
     */
    public static ParamCard read(Path file) {
        return read(file, Duplicates.LAST_WINS);
    }

    /**
     * Reads a card file, resolving repeated entries as {@code duplicates} says.
     *
     * @throws InputException as {@link #read(Path)}
     */
    public static ParamCard read(Path file, Duplicates duplicates) {
        String text;
        try {
            // Latin-1 decodes every byte: a stray non-ASCII character in a comment must not make
            // an otherwise valid card unreadable, and names and numbers are ASCII anyway.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InputException("param card not found: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read param card " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString(), duplicates);
    }

    /**
     * Parses card text; {@code sourceName} is used in error messages ({@code sourceName:line}).
     *
     * @throws InputException naming {@code sourceName:line} and the offending text
     */
    public static ParamCard parse(String text, String sourceName) {
        return parse(text, sourceName, Duplicates.LAST_WINS);
    }

    /** Parses card text, resolving repeated entries as {@code duplicates} says. */
    public static ParamCard parse(String text, String sourceName, Duplicates duplicates) {
        SlhaParser parser = new SlhaParser(sourceName, duplicates);
        Map<ParamKey, Double> entries = parser.parse(text);
        return new ParamCard(sourceName, entries, parser.warnings());
    }

    /** One line per repeated entry ({@code file:line: KEY repeats line N; using the value of line M, as ...}). */
    public List<String> warnings() {
        return warnings;
    }

    /** The entry's value, empty when the card does not have it. */
    public OptionalDouble value(ParamKey key) {
        Double value = entries.get(key);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public boolean contains(ParamKey key) {
        return entries.containsKey(key);
    }

    /**
     * A copy with one entry set, as {@code --set BLOCK:ID=VALUE} does. An entry the card lacks is
     * added at the end: whether that is acceptable depends on the caller (a model that never reads
     * it would silently ignore it).
     */
    public ParamCard with(ParamKey key, double value) {
        Map<ParamKey, Double> changed = new LinkedHashMap<>(entries);
        changed.put(key, value);
        return new ParamCard(sourceName, changed, warnings);
    }

    /** All entry keys, in the order they first appear in the card. */
    public Set<ParamKey> keys() {
        return entries.keySet();
    }

    /** The file name or label the card was read from, as used in error messages. */
    public String sourceName() {
        return sourceName;
    }

    @Override
    public String toString() {
        return "ParamCard[" + sourceName + ", " + entries.size() + " entries]";
    }
}
