package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code --wrt} list: comma-separated items, each one of
 * <ul>
 *   <li>{@code final}: E, x, y, z of every outgoing particle ({@code nInitial+1 .. nExternal});
 *   <li>{@code pN}: the four components of particle N (1-based, MadGraph order);
 *   <li>{@code pN.E}, {@code pN.x}, {@code pN.y}, {@code pN.z}: one component (letters in any case);
 *   <li>{@code BLOCK:ID}, {@code BLOCK:I:J}: a param-card entry, e.g. {@code MASS:6}, {@code DECAY:6}.
 * </ul>
 * Repeated quantities are kept once, at their first position.
 *
 * <pre>{@code
 * WrtParser.parse("p3,mass:6", 4, 2)   // p3.E, p3.x, p3.y, p3.z, MASS:6
 * }</pre>
 *
 * <p>A param-card entry needs at least one index here, so that a misspelt {@code final} or
 * {@code pN} is reported instead of being taken for a block name; whether the card has the entry
 * is for the caller to check.
 */
public final class WrtParser {
    private static final Pattern MOMENTUM = Pattern.compile("[pP](\\d+)(?:\\.(.*))?");
    private static final String EXPECTED = "expected final, pN, pN.E|x|y|z, BLOCK:ID or BLOCK:I:J";

    private WrtParser() {}

    /**
     * @param spec the option value; null means nothing is differentiated (empty list)
     * @param nExternal number of external particles of the process
     * @param nInitial number of incoming particles (they come first)
     * @throws UsageException one line naming the offending item
     */
    public static List<Wrt> parse(String spec, int nExternal, int nInitial) {
        if (nInitial < 0 || nInitial > nExternal) {
            throw new IllegalArgumentException("nInitial " + nInitial + " not in 0.." + nExternal);
        }
        if (spec == null) {
            return List.of();
        }
        Set<Wrt> result = new LinkedHashSet<>();
        for (String raw : spec.split(",", -1)) {
            String item = raw.strip();
            if (item.isEmpty()) {
                throw new UsageException("empty item in --wrt '" + spec + "'");
            }
            result.addAll(parseItem(item, nExternal, nInitial));
        }
        return List.copyOf(new ArrayList<>(result));
    }

    private static List<Wrt> parseItem(String item, int nExternal, int nInitial) {
        if (item.equalsIgnoreCase("final")) {
            List<Wrt> all = new ArrayList<>();
            for (int particle = nInitial + 1; particle <= nExternal; particle++) {
                all.addAll(allComponents(particle));
            }
            return all;
        }
        Matcher momentum = MOMENTUM.matcher(item);
        if (momentum.matches()) {
            int particle = particleNumber(item, momentum.group(1), nExternal);
            String letter = momentum.group(2);
            return letter == null ? allComponents(particle) : List.of(new Wrt.MomentumComponent(particle, component(item, letter)));
        }
        if (item.contains(":")) {
            return List.of(new Wrt.Parameter(ParamKey.parse(item)));
        }
        throw new UsageException("unknown --wrt item '" + item + "': " + EXPECTED);
    }

    private static int particleNumber(String item, String digits, int nExternal) {
        // More than 9 digits would overflow an int and is out of range anyway.
        int particle = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (particle < 1 || particle > nExternal) {
            throw new UsageException("particle " + digits + " in --wrt item '" + item + "' is out of range 1.." + nExternal);
        }
        return particle;
    }

    private static int component(String item, String letter) {
        return switch (letter.toLowerCase(Locale.ROOT)) {
            case "e" -> 0;
            case "x" -> 1;
            case "y" -> 2;
            case "z" -> 3;
            default -> throw new UsageException("unknown momentum component '" + letter + "' in --wrt item '"
                    + item + "': expected E, x, y or z");
        };
    }

    private static List<Wrt> allComponents(int particle) {
        List<Wrt> components = new ArrayList<>(4);
        for (int mu = 0; mu < 4; mu++) {
            components.add(new Wrt.MomentumComponent(particle, mu));
        }
        return components;
    }
}
