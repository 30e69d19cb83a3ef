package io.megrad.cli.io;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Number syntax of points inputs. {@link Double#parseDouble} alone is too generous (hex floats,
 * a trailing {@code d} or {@code f}, surrounding blanks), so the text is checked first. NaN and the
 * infinities count as numbers here, so that they are reported as "not finite" rather than as text.
 */
final class Numbers {
    // Possessive quantifiers: a long run of digits that is not a number (a damaged field) must fail
    // in linear time, not backtrack quadratically.
    private static final Pattern DECIMAL = Pattern.compile("[+-]?+(\\d++\\.?+\\d*+|\\.\\d++)([eE][+-]?+\\d++)?+");
    private static final Pattern NON_FINITE_WORD = Pattern.compile("[+-]?(nan|inf|infinity)");

    private Numbers() {}

    /** Whether {@code text} reads as a number, finite or not ({@code 1.5e3}, {@code NaN}, {@code -Infinity}). */
    static boolean looksNumeric(String text) {
        return DECIMAL.matcher(text).matches()
                || NON_FINITE_WORD.matcher(text.toLowerCase(Locale.ROOT)).matches();
    }

    /** The value of a text for which {@link #looksNumeric} holds; {@code 1e999} gives infinity. */
    static double parse(String text) {
        if (DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        String word = text.toLowerCase(Locale.ROOT);
        if (word.endsWith("nan")) {
            return Double.NaN;
        }
        return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
