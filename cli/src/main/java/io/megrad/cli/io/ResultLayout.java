package io.megrad.cli.io;

import java.util.List;

/**
 * The text of a result document, piece by piece, so that points are written as they come.
 * One implementation per output format.
 */
sealed interface ResultLayout permits ResultLayout.Json, ResultLayout.Csv {
    void begin(StringBuilder out, String subprocess, List<String> wrtNames);

    void point(StringBuilder out, long index, double me, double[] grad);

    void end(StringBuilder out);

    static ResultLayout of(PointFormat format) {
        return switch (format) {
            case JSON -> new Json();
            case CSV -> new Csv();
        };
    }

    /**
     * {@code {"subprocess": ..., "wrt": [...], "points": [{"me": ..., "grad": [...]}, ...]}}, one
     * point per line so that line tools and diffs work on it. JSON has no NaN or infinity: those are
     * written as {@code null}.
     */
    record Json() implements ResultLayout {
        @Override
        public void begin(StringBuilder out, String subprocess, List<String> wrtNames) {
            out.append("{\"subprocess\": ");
            string(out, subprocess);
            out.append(", \"wrt\": [");
            for (int i = 0; i < wrtNames.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                string(out, wrtNames.get(i));
            }
            out.append("], \"points\": [\n");
        }

        @Override
        public void point(StringBuilder out, long index, double me, double[] grad) {
            out.append(index == 0 ? "" : ",\n").append("{\"me\": ");
            number(out, me);
            out.append(", \"grad\": [");
            for (int i = 0; i < grad.length; i++) {
                out.append(i == 0 ? "" : ", ");
                number(out, grad[i]);
            }
            out.append("]}");
        }

        @Override
        public void end(StringBuilder out) {
            out.append("\n]}\n");
        }

        private static void number(StringBuilder out, double value) {
            // Double.toString is the shortest text that reads back to the same double.
            out.append(Double.isFinite(value) ? Double.toString(value) : "null");
        }

        private static void string(StringBuilder out, String text) {
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

    /**
     * A header {@code me,<wrt names>} and one row per point. Non-finite values are written as
     * {@code NaN}, {@code Infinity}, {@code -Infinity}, which Python, numpy and pandas read back.
     */
    record Csv() implements ResultLayout {
        @Override
        public void begin(StringBuilder out, String subprocess, List<String> wrtNames) {
            out.append("me");
            for (String name : wrtNames) {
                out.append(',').append(field(name));
            }
            out.append('\n');
        }

        @Override
        public void point(StringBuilder out, long index, double me, double[] grad) {
            out.append(me);
            for (double g : grad) {
                out.append(',').append(g);
            }
            out.append('\n');
        }

        @Override
        public void end(StringBuilder out) {
            // CSV has no closing part.
        }

        private static String field(String name) {
            if (name.indexOf(',') < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0) {
                return name;
            }
            return '"' + name.replace("\"", "\"\"") + '"';
        }
    }
}
