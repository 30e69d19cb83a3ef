package io.megrad.runtime.slha;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The number syntax of param cards. Reals are what a Fortran list-directed READ of a REAL*8
 * accepts in practice, including the {@code D} exponent ({@code 1.0D+02}). They are checked by
 * pattern first because {@link Double#parseDouble} also takes {@code NaN}, hex floats and a trailing
 * {@code d}/{@code f} suffix, none of which MadGraph's readers would read the same way.
 */
final class CardNumbers {
    // Possessive quantifiers: a long damaged token must fail in linear time, not backtrack quadratically.
    private static final Pattern REAL = Pattern.compile("[+-]?+(\\d++\\.?+\\d*+|\\.\\d++)([eEdD][+-]?+\\d++)?+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private CardNumbers() {}

    /** The value of {@code text}, or empty when it is not a finite number in card syntax. */
    static OptionalDouble real(String text) {
        if (!REAL.matcher(text).matches()) {
            return OptionalDouble.empty();
        }
        double value = Double.parseDouble(text.replace('d', 'e').replace('D', 'e'));
        // 1e999 matches the syntax but overflows: no card means that.
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** The value of an index such as a PDG code, or empty when it is not an int. */
    static OptionalInt index(String text) {
        if (!INTEGER.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException overflow) {
            return OptionalInt.empty();
        }
    }
}
