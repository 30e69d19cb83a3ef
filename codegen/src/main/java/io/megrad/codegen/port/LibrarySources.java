package io.megrad.codegen.port;

import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.InternalException;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hand-written part of a generated library (the API, the example, its README), filled in from
 * templates kept as resources beside this class so that they read as the Java they become.
 */
final class LibrarySources {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private final Map<String, String> values = new HashMap<>();

    LibrarySources(String packageName, String jarName, String process, String subprocess, String output, Program program,
                   List<Seed> seeds, List<String> wrt, boolean reverse, String megradVersion,
                   io.megrad.runtime.slha.ParamCard.Duplicates cardDuplicates) {
        values.put("CARD_DUPLICATES", cardDuplicates.name());
        values.put("PACKAGE", packageName);
        values.put("INTERNAL_PACKAGE", packageName + ".internal");
        values.put("JAR_NAME", jarName);
        values.put("SUBPROCESS", javaString(subprocess));
        values.put("PROCESS", javaString(process));
        values.put("PROCESS_DOC", javadocText(process));
        values.put("OUTPUT", output);
        values.put("EXTERNALS", Integer.toString(program.nExternal()));
        values.put("INCOMING", Integer.toString(program.nInitial()));
        values.put("POINT_WIDTH", Integer.toString(4 * program.nExternal()));
        values.put("MODE", reverse ? "reverse" : "forward");
        values.put("EVALUATOR", reverse ? "AdjointEvaluator" : "PortEvaluator");
        values.put("MEGRAD_VERSION", megradVersion);

        List<String> keys = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        for (ExternalInput in : program.inputs()) {
            keys.add(in.block() == null ? "NONE" : key(new ParamKey(in.block(), in.indices())));
            defaults.add(literal(in.defaultValue()));
        }
        values.put("INPUT_KEYS", list(keys));
        values.put("DEFAULTS", String.join(", ", defaults));
        List<String> seedCode = new ArrayList<>();
        for (Seed s : seeds) {
            seedCode.add(s instanceof Seed.Momentum m ? "new Seed.Momentum(" + m.particle() + ", " + m.component() + ")"
                    : "new Seed.Parameter(" + key(((Seed.Parameter) s).key()) + ")");
        }
        values.put("SEEDS", list(seedCode));
        values.put("WRT", list(wrt.stream().map(w -> '"' + javaString(w) + '"').toList()));
        values.put("WRT_LIST", wrt.isEmpty() ? "none" : String.join(", ", wrt.stream().map(w -> "`" + w + "`").toList()));
        values.put("FIRST_WRT", wrt.isEmpty() ? "p3.E" : wrt.get(0));
        ExternalInput example = program.inputs().stream().filter(in -> in.block() != null).findFirst().orElse(null);
        String setKey = example == null ? "MASS:6" : new ParamKey(example.block(), example.indices()).toString();
        double setValue = example == null ? 173.0 : example.defaultValue();
        values.put("SET_KEY", setKey);
        values.put("SET_VALUE", literal(setValue));
        values.put("SET_EXAMPLE", setKey + "=" + literal(setValue));
    }

    String matrixElement() {
        return fill("MatrixElement.java.template");
    }

    String evaluation() {
        return fill("Evaluation.java.template");
    }

    String example() {
        return fill("Example.java.template");
    }

    String readme() {
        return fill("README.md.template");
    }

    private String fill(String template) {
        String text;
        try (InputStream in = LibrarySources.class.getResourceAsStream(template)) {
            if (in == null) {
                throw new InternalException("the template " + template + " is missing from megrad's jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InternalException("cannot read the template " + template + ": " + e.getMessage(), e);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new InternalException("no value for ${" + m.group(1) + "} in " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Many items one per line, few on one. */
    private static String list(List<String> items) {
        String oneLine = String.join(", ", items);
        return oneLine.length() <= 60 ? oneLine : "\n            " + String.join(",\n            ", items);
    }

    private static String key(ParamKey key) {
        return "ParamKey.parse(\"" + javaString(key.toString()) + "\")";
    }

    static String literal(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(v);
    }

    /** Text inside a Java string literal. */
    static String javaString(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Text inside a Javadoc {@code {@code …}}: HTML-escaped, braces and comment ends defused. */
    static String javadocText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '@' -> b.append("&#64;");
                case '{' -> b.append("&#123;");
                case '}' -> b.append("&#125;");
                case '*' -> b.append("&#42;");
                case '\\' -> b.append("&#92;");
                default -> b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.toString();
    }
}
