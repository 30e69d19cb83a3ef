package io.megrad.cli.io;

/**
 * The text of a result document, piece by piece, so that points are written as they come.
 * One implementation per text output format; NPY is binary and has its own {@link NpyOutput}.
 */
sealed interface ResultLayout permits ResultLayout.Json, ResultLayout.Jsonl, ResultLayout.Csv {
    void begin(StringBuilder out);

    /** {@code finite}: {@link PointResult#isFinite()}, computed once by the caller. */
    void point(StringBuilder out, long index, PointResult p, boolean finite);

    void end(StringBuilder out);

    static ResultLayout of(ResultFormat format, ResultShape shape) {
        return switch (format) {
            case JSON -> new Json(shape);
            case JSONL -> new Jsonl(shape);
            case CSV -> new Csv(shape);
            case NPY -> throw new IllegalArgumentException("NPY is not a text format");
        };
    }

    /**
     * The members of a point object after its subprocess: {@code "status"}, {@code "me"},
     * {@code "grad"}, then the optional values in a fixed order. Non-finite numbers are {@code null}.
     */
    private static void members(StringBuilder out, ResultShape shape, PointResult p, boolean finite) {
        if (shape.status()) {
            out.append("\"status\": ").append(finite ? "\"ok\", " : "\"nonfinite\", ");
        }
        out.append("\"me\": ");
        JsonText.number(out, p.me());
        out.append(", \"grad\": ");
        JsonText.numbers(out, p.grad());
        if (p.momenta() != null) {
            out.append(", \"momenta\": ");
            JsonText.matrix(out, p.momenta());
        }
        if (p.weight() != null) {
            out.append(", \"weight\": ");
            JsonText.number(out, p.weight());
        }
        if (p.weightGrad() != null) {
            out.append(", \"weight_grad\": ");
            JsonText.numbers(out, p.weightGrad());
        }
        if (p.score() != null) {
            out.append(", \"score\": ");
            JsonText.numbers(out, p.score());
        }
        if (p.hessian() != null) {
            out.append(", \"hessian\": ");
            JsonText.matrix(out, p.hessian());
        }
    }

    /**
     * {@code {"subprocess": ..., "wrt": [...], "points": [{"me": ..., "grad": [...]}, ...]}}, one
     * point per line so that line tools and diffs work on it. The document's {@code subprocess} is
     * left out when points name theirs.
     */
    record Json(ResultShape shape) implements ResultLayout {
        @Override
        public void begin(StringBuilder out) {
            out.append('{');
            if (shape.subprocess() != null) {
                out.append("\"subprocess\": ");
                JsonText.string(out, shape.subprocess());
                out.append(", ");
            }
            out.append("\"wrt\": ");
            JsonText.strings(out, shape.wrt());
            out.append(", \"points\": [\n");
        }

        @Override
        public void point(StringBuilder out, long index, PointResult p, boolean finite) {
            out.append(index == 0 ? "{" : ",\n{");
            if (shape.subprocessPerPoint()) {
                out.append("\"subprocess\": ");
                JsonText.string(out, shape.subprocessOf(p));
                out.append(", ");
            }
            members(out, shape, p, finite);
            out.append('}');
        }

        @Override
        public void end(StringBuilder out) {
            out.append("\n]}\n");
        }
    }

    /**
     * One JSON object a line, each whole in itself:
     * {@code {"subprocess": ..., "wrt": [...], "status": ..., "me": ..., "grad": [...], ...}}.
     * No points, no lines.
     */
    record Jsonl(ResultShape shape, String wrtMember) implements ResultLayout {
        Jsonl(ResultShape shape) {
            this(shape, wrtMember(shape));
        }

        private static String wrtMember(ResultShape shape) {
            StringBuilder text = new StringBuilder(", \"wrt\": ");
            JsonText.strings(text, shape.wrt());
            return text.append(", ").toString();
        }

        @Override
        public void begin(StringBuilder out) {
            // Every line stands alone.
        }

        @Override
        public void point(StringBuilder out, long index, PointResult p, boolean finite) {
            String subprocess = shape.subprocessOf(p);
            if (subprocess == null) {
                throw new IllegalArgumentException("JSONL names the subprocess on every line: point without one");
            }
            out.append("{\"subprocess\": ");
            JsonText.string(out, subprocess);
            out.append(wrtMember);
            members(out, shape, p, finite);
            out.append("}\n");
        }

        @Override
        public void end(StringBuilder out) {
            // Nothing closes a JSONL stream.
        }
    }

    /**
     * A header {@code me,<wrt names>} and one row per point, then the optional columns. Without a
     * status column (megrad 0.1's layout) non-finite values are written as {@code NaN},
     * {@code Infinity}, {@code -Infinity}; with one, every non-finite value is written {@code nan}
     * and the row's status is {@code nonfinite}. Python, numpy and pandas read all of these back.
     */
    record Csv(ResultShape shape) implements ResultLayout {
        @Override
        public void begin(StringBuilder out) {
            out.append("me");
            for (String name : shape.wrt()) {
                out.append(',').append(field(name));
            }
            for (String name : shape.extraColumns()) {
                out.append(',').append(field(name));
            }
            out.append('\n');
        }

        @Override
        public void point(StringBuilder out, long index, PointResult p, boolean finite) {
            number(out, p.me());
            numbers(out, p.grad());
            if (shape.status()) {
                out.append(finite ? ",ok" : ",nonfinite");
            }
            if (shape.subprocessPerPoint()) {
                out.append(',').append(field(shape.subprocessOf(p)));
            }
            if (p.momenta() != null) {
                for (double[] m : p.momenta()) {
                    numbers(out, m);
                }
            }
            if (p.weight() != null) {
                out.append(',');
                number(out, p.weight());
            }
            numbers(out, p.weightGrad());
            numbers(out, p.score());
            if (p.hessian() != null) {
                for (double[] row : p.hessian()) {
                    numbers(out, row);
                }
            }
            out.append('\n');
        }

        @Override
        public void end(StringBuilder out) {
            // CSV has no closing part.
        }

        private void numbers(StringBuilder out, double[] values) {
            if (values != null) {
                for (double v : values) {
                    out.append(',');
                    number(out, v);
                }
            }
        }

        private void number(StringBuilder out, double value) {
            if (shape.status() && !Double.isFinite(value)) {
                out.append("nan");
            } else {
                out.append(value);
            }
        }

        private static String field(String name) {
            if (name.indexOf(',') < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
                return name;
            }
            return '"' + name.replace("\"", "\"\"") + '"';
        }
    }
}
