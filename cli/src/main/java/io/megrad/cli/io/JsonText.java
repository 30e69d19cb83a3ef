package io.megrad.cli.io;

import java.util.List;

/** JSON text pieces for the result writers. JSON has no NaN or infinity: those become {@code null}. */
final class JsonText {
    private JsonText() {}

    static void number(StringBuilder out, double value) {
        // Double.toString is the shortest text that reads back to the same double.
        out.append(Double.isFinite(value) ? Double.toString(value) : "null");
    }

    static void numbers(StringBuilder out, double[] values) {
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ");
            number(out, values[i]);
        }
        out.append(']');
    }

    static void matrix(StringBuilder out, double[][] rows) {
        out.append('[');
        for (int i = 0; i < rows.length; i++) {
            out.append(i == 0 ? "" : ", ");
            numbers(out, rows[i]);
        }
        out.append(']');
    }

    static void strings(StringBuilder out, List<String> texts) {
        out.append('[');
        for (int i = 0; i < texts.size(); i++) {
            out.append(i == 0 ? "" : ", ");
            string(out, texts.get(i));
        }
        out.append(']');
    }

    static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
