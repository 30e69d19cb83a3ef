package io.megrad.runtime.slha;

import io.megrad.runtime.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of one param-card entry: an SLHA block and the integer indices of the entry inside it.
 * Widths are entries of the pseudo-block {@code DECAY}, indexed by PDG code, as MadGraph names them.
 *
 * <pre>{@code
 * ParamKey mt = ParamKey.parse("mass:6");      // MASS:6
 * ParamKey n12 = ParamKey.parse("NMIX:1:2");   // NMIX:1:2
 * ParamKey wt = ParamKey.of("DECAY", 6);        // DECAY:6
 * }</pre>
 *
 * <p>The block is stored upper-case because SLHA block names are case-insensitive and one spelling
 * makes keys from a card, a command line and a reference file compare equal.
 *
 * @param block upper-case block name, e.g. {@code MASS}
 * @param indices the entry's indices in card order; empty for a block holding a single bare value
 *     (e.g. {@code BLOCK ALPHA})
 */
public record ParamKey(String block, List<Integer> indices) {
    // Anything that cannot be confused with the separators of a spec or of a card line.
    private static final Pattern BLOCK_NAME = Pattern.compile("[^\\s:=,#]+");

    public ParamKey {
        if (block == null || !BLOCK_NAME.matcher(block).matches()) {
            throw new IllegalArgumentException("bad block name '" + block + "'");
        }
        block = block.toUpperCase(Locale.ROOT);
        indices = List.copyOf(indices);
    }

    /** Whether {@code name} can be a block name (no blanks, {@code :}, {@code =}, {@code ,} or {@code #}). */
    static boolean isBlockName(String name) {
        return BLOCK_NAME.matcher(name).matches();
    }

    /** A key from a block name in any case and its indices. */
    public static ParamKey of(String block, int... indices) {
        return new ParamKey(block, Arrays.stream(indices).boxed().toList());
    }

    /**
     * Parses {@code BLOCK:ID}, {@code BLOCK:I:J} (any number of indices) or a bare {@code BLOCK} for
     * a value-only block; the block name in any case.
     *
     * @throws UsageException naming the spec when it is not of that form
     */
    public static ParamKey parse(String spec) {
        if (spec == null) {
            throw new UsageException("missing parameter name: expected BLOCK:ID or BLOCK:I:J");
        }
        String[] parts = spec.trim().split(":", -1);
        if (!BLOCK_NAME.matcher(parts[0]).matches()) {
            throw bad(spec);
        }
        Integer[] indices = new Integer[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            indices[i - 1] = CardNumbers.index(parts[i]).orElseThrow(() -> bad(spec));
        }
        return new ParamKey(parts[0], List.of(indices));
    }

    private static UsageException bad(String spec) {
        return new UsageException(
                "bad parameter name '" + spec + "': expected BLOCK:ID or BLOCK:I:J");
    }

    /** {@code MASS:6}, {@code NMIX:1:2}, or just {@code ALPHA} for a value-only block. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(block);
        for (int index : indices) {
            text.append(':').append(index);
        }
        return text.toString();
    }
}
