package io.megrad.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inputs for fuzzing a reader: real inputs with a few random edits, and random text built from the
 * reader's own vocabulary. Generated with jqwik, so a failing input shrinks to few, small edits.
 *
 * <pre>{@code
 * @Property
 * void cardsNeverCrash(@ForAll("cards") Mutations.Input card) { ... card.text() ... }
 *
 * @Provide
 * Arbitrary<Mutations.Input> cards() {
 *     return Mutations.mutated(seeds, List.of("BLOCK", "DECAY", "Q=", "#", "\n"));
 * }
 * }</pre>
 */
public final class Mutations {
    /** Numbers that readers get wrong: non-finite, overflowing, not quite numbers, other alphabets. */
    public static final List<String> ODD_NUMBERS = List.of("NaN", "nan", "Infinity", "-inf", "1e999", "-1e999",
            "1d999", "1D+999", "0", "-0", "-0.0", "1e-320", "4.9e-324", "1.7976931348623157e308", "99999999999999999999",
            "2147483648", "-2147483649", "9223372036854775808", "1.", ".", "1e", "1.0D+", "+", "-", "--1", "0x1p3",
            "1_000", "1,5", "\uFF11", "\u0661", "1f", "1d", "", " ", "1e+", "e5", "+.e1");

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eEdD][+-]?\\d+)?");
    private static final int MAX_LENGTH = 4 << 20;

    private Mutations() {
    }

    /** What a mutation does at its position. */
    public enum Kind {
        DELETE, INSERT, REPLACE, DUPLICATE_RANGE, DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, TRUNCATE, REPEAT,
        CHANGE_NUMBER, FLIP_CASE
    }

    /**
     * One edit. Positions are fractions of the text's length, so a mutation applies to any text
     * and shrinks towards the start.
     */
    public record Mutation(Kind kind, double at, double span, String payload, int repeat) {
        String apply(String text) {
            int n = text.length();
            int i = Math.min(n, (int) (at * n));
            int len = Math.min(n - i, (int) (span * Math.min(n, 400)) + 1);
            return switch (kind) {
                case DELETE -> text.substring(0, i) + text.substring(i + len);
                case INSERT -> text.substring(0, i) + payload + text.substring(i);
                case REPLACE -> text.substring(0, i) + payload + text.substring(i + Math.min(len, payload.length() + 1));
                case DUPLICATE_RANGE -> text.substring(0, i + len) + text.substring(i, i + len) + text.substring(i + len);
                case TRUNCATE -> text.substring(0, i);
                case REPEAT -> text.substring(0, i) + payload.repeat(repeat) + text.substring(i);
                case FLIP_CASE -> text.substring(0, i) + flipCase(text.substring(i, i + len)) + text.substring(i + len);
                case CHANGE_NUMBER -> changeNumber(text, i);
                case DELETE_LINE, DUPLICATE_LINE, SWAP_LINES -> lines(text);
            };
        }

        private String changeNumber(String text, int from) {
            Matcher m = NUMBER.matcher(text);
            if (m.find(from) || m.find(0)) {
                return text.substring(0, m.start()) + payload + text.substring(m.end());
            }
            return text + payload;
        }

        private String lines(String text) {
            List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)", -1)));
            int a = Math.min(lines.size() - 1, (int) (at * lines.size()));
            int b = Math.min(lines.size() - 1, (int) (span * lines.size()));
            switch (kind) {
                case DELETE_LINE -> lines.remove(a);
                case DUPLICATE_LINE -> lines.add(a, lines.get(a));
                default -> {
                    String t = lines.get(a);
                    lines.set(a, lines.get(b));
                    lines.set(b, t);
                }
            }
            return String.join("", lines);
        }

        @Override
        public String toString() {
            String p = kind == Kind.INSERT || kind == Kind.REPLACE || kind == Kind.REPEAT || kind == Kind.CHANGE_NUMBER
                    ? " " + quote(payload) + (kind == Kind.REPEAT ? "x" + repeat : "") : "";
            return kind + "@" + String.format("%.4f", at) + (p.isEmpty() ? "+" + String.format("%.4f", span) : p);
        }
    }

    private static String flipCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }

    /** A seed, the mutations applied to it, and the resulting text. */
    public record Input(String seed, List<Mutation> mutations, String text) {
        @Override
        public String toString() {
            return seed + " " + mutations + " -> " + excerpt(text);
        }
    }

    /** One mutation, its payloads drawn from {@code vocabulary}, random characters and {@link #ODD_NUMBERS}. */
    public static Arbitrary<Mutation> mutation(List<String> vocabulary) {
        Arbitrary<String> payload = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(vocabulary)),
                Tuple.of(2, Arbitraries.of(ODD_NUMBERS)),
                Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)));
        Arbitrary<Double> fraction = Arbitraries.doubles().between(0, 1).ofScale(6).filter(d -> d < 1);
        return Combinators.combine(Arbitraries.of(Kind.class), fraction, fraction, payload,
                Arbitraries.integers().between(1, 5000)).as(Mutation::new);
    }

    /** 1 to {@code maxMutations} mutations of one of {@code seeds}. */
    public static Arbitrary<Input> mutated(List<FuzzCorpus.Seed> seeds, List<String> vocabulary, int maxMutations) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds");
        }
        return Combinators.combine(Arbitraries.of(seeds), mutation(vocabulary).list().ofMinSize(1).ofMaxSize(maxMutations))
                .as((seed, ms) -> new Input(seed.name(), ms, apply(seed.text(), ms)));
    }

    /** Random text: up to {@code maxPieces} words of {@code vocabulary}, odd numbers, blanks and random characters. */
    public static Arbitrary<Input> random(List<String> vocabulary, int maxPieces) {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(vocabulary)),
                Tuple.of(2, Arbitraries.of(ODD_NUMBERS)),
                Tuple.of(3, Arbitraries.of(" ", "\n", "\t", ",", "\r\n")),
                Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(6)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(3)));
        return piece.list().ofMaxSize(maxPieces).map(ps -> new Input("random", List.of(), String.join("", ps)));
    }

    /** {@code text} with the mutations applied in order. */
    public static String apply(String text, List<Mutation> mutations) {
        String t = text;
        for (Mutation m : mutations) {
            String next = m.apply(t);
            t = next.length() > MAX_LENGTH ? t : next;
        }
        return t;
    }

    /** The first and last characters of a long text, escaped, for messages. */
    public static String excerpt(String text) {
        String s = text.length() <= 300 ? text : text.substring(0, 150) + " […" + (text.length() - 300) + " chars…] "
                + text.substring(text.length() - 150);
        return quote(s);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }
}
