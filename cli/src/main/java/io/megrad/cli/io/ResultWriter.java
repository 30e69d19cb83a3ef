package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes |M|² and its gradient point by point, as JSON, JSONL, CSV or NPY, to a file (a directory
 * for NPY) or standard output.
 *
 * <pre>{@code
 * try (ResultWriter out = ResultWriter.open("result.json", "json", "P1_gg_ttx", List.of("p3.E", "MASS:6"))) {
 *     for (...) {
 *         out.write(me, grad);
 *     }
 *     out.commit();
 * }
 *
 * try (ResultWriter out = ResultWriter.to("events.jsonl").format("jsonl").wrt(names)
 *         .subprocessPerPoint().score(parameterNames).open()) {
 *     for (...) {
 *         out.write(PointResult.of(me, grad).withSubprocess(point.subprocess()).withScore(score));
 *     }
 *     out.commit();
 * }
 * }</pre>
 *
 * <p>An output appears only on {@link #commit()}: it is written under a hidden temporary name in the
 * target's directory and renamed onto the target by {@code commit}; {@link #close()} without
 * {@code commit} deletes it. A run that fails half-way thus leaves no partial result (and an older
 * result of that name untouched) that a later step could mistake for a complete one. On standard
 * output that is not possible: what was written stays written, but a JSON document closed without
 * {@code commit} lacks its closing part, so a JSON reader rejects it.
 *
 * <h2>Formats</h2>
 * <ul>
 * <li>{@code json}: {@code {"subprocess": NAME, "wrt": [names], "points": [{"me": v, "grad": [v, ...]}, ...]}},
 *     one point a line; the document's {@code "subprocess"} is left out when points name theirs.
 * <li>{@code jsonl}: one point object a line, each with {@code "subprocess"} and {@code "wrt"}:
 *     {@code {"subprocess": NAME, "wrt": [names], "status": "ok", "me": v, "grad": [...]}}.
 * <li>{@code csv}: header {@code me,<wrt names>,<optional columns>}, one row per point. The
 *     optional columns are named {@code status}, {@code subprocess}, {@code momenta[p1.E]},
 *     {@code weight}, {@code weight_grad[r1]}, {@code score[MASS:6]} and
 *     {@code hessian[MASS:6][WIDTH:6]} (row-major).
 * <li>{@code npy} ({@code -o DIR} only): {@code me.npy} float64 [n], {@code grad.npy} [n, len(wrt)],
 *     {@code wrt.json} (the wrt names), {@code status.npy} int8 [n] (0 ok, 1 nonfinite), and as
 *     declared {@code subprocess.npy} (unicode [n]), {@code momenta.npy} [n, particles, 4],
 *     {@code weight.npy} [n], {@code weight_grad.npy} [n, k] with {@code weight_grad_wrt.json},
 *     {@code score.npy} [n, s] with {@code score_wrt.json}, {@code hessian.npy} [n, h, h] with
 *     {@code hessian_wrt.json}. Format version 1.0, little endian, headers padded to 64 bytes, so
 *     {@code numpy.load} reads them, also with {@code mmap_mode}.
 * </ul>
 * In JSON and JSONL the optional values are members of the point object, in the order
 * {@code subprocess, status, me, grad, momenta, weight, weight_grad, score, hessian}. Numbers are
 * written with full round-trip precision ({@link Double#toString}).
 *
 * <h2>Non-finite results</h2>
 * A NaN or infinity is never written as if it were a result. A point with any non-finite number
 * ({@link PointResult#isFinite()}) has status {@code nonfinite} ({@code ok} otherwise) and each of its
 * non-finite numbers is written as the format's marker: {@code null} in JSON and JSONL (so
 * {@code "me": null} when |M|² itself is not finite), {@code nan} in CSV, NaN in NPY. The finite
 * numbers of such a point are written as they are.
 *
 * <p>Writers from {@link #to} always have the status ({@code "status"} member, {@code status}
 * column, {@code status.npy}). Writers from {@link #open(String, String, String, List)} keep
 * megrad 0.1's JSON and CSV layouts, without status: JSON writes {@code null}, CSV writes
 * {@code NaN}, {@code Infinity}, {@code -Infinity}; their JSONL and NPY have the status too.
 */
public final class ResultWriter implements Closeable {
    private final ResultShape shape;
    private final ResultOutput output;
    private long count;
    private boolean committed;
    private boolean closed;

    private ResultWriter(ResultShape shape, ResultOutput output) {
        this.shape = shape;
        this.output = output;
    }

    /**
     * Opens a result document on {@code outPathOrNull}, or standard output for null or {@code -}.
     *
     * @param format {@code json}, {@code jsonl}, {@code csv} or {@code npy} (any case); null means json
     * @param subprocess the subprocess name written in the JSON header and on every JSONL line
     * @param wrtNames names of the gradient columns, in the order of every {@code grad} array
     * @throws UsageException when the format is unknown or the file cannot be created
     */
    public static ResultWriter open(String outPathOrNull, String format, String subprocess, List<String> wrtNames) {
        return open(outPathOrNull, format, subprocess, wrtNames, System.out);
    }

    /** As {@link #open(String, String, String, List)}, writing to {@code stdout} (never closed) for null or {@code -}. */
    public static ResultWriter open(String outPathOrNull, String format, String subprocess, List<String> wrtNames,
            OutputStream stdout) {
        Builder builder = to(outPathOrNull).format(format).subprocess(subprocess).wrt(wrtNames).stdout(stdout);
        ResultFormat f = builder.resultFormat();
        builder.status = f != ResultFormat.JSON && f != ResultFormat.CSV;
        return builder.open();
    }

    /**
     * Starts describing a result output on {@code outPathOrNull}: a file, a directory for NPY, or
     * standard output for null or {@code -}. Its points have a status.
     */
    public static Builder to(String outPathOrNull) {
        return new Builder(outPathOrNull);
    }

    /** What every point of a result output has; {@link #open()} opens it. */
    public static final class Builder {
        private final String out;
        private String format;
        private OutputStream stdout = System.out;
        private String subprocess;
        private List<String> wrt = List.of();
        private boolean status = true;
        private boolean subprocessPerPoint;
        private int nMomenta;
        private boolean weight;
        private List<String> weightGrad;
        private List<String> score;
        private List<String> hessian;

        private Builder(String out) {
            this.out = out;
        }

        /** {@code json} (the default, also for null), {@code jsonl}, {@code csv} or {@code npy}, any case. */
        public Builder format(String formatOrNull) {
            this.format = formatOrNull;
            return this;
        }

        /** Where {@code -} writes; it is never closed. Default {@link System#out}. */
        public Builder stdout(OutputStream stream) {
            this.stdout = stream;
            return this;
        }

        /** The one subprocess of all points: the JSON header's, and every JSONL line's unless a point names its own. */
        public Builder subprocess(String name) {
            this.subprocess = name;
            return this;
        }

        /** Names of the gradient entries, in the order of every {@code grad}. Default none. */
        public Builder wrt(List<String> names) {
            this.wrt = List.copyOf(names);
            return this;
        }

        /** Every point names its subprocess ({@link PointResult#subprocess()}), for inputs spanning several. */
        public Builder subprocessPerPoint() {
            this.subprocessPerPoint = true;
            return this;
        }

        /** Every point has the momenta it was evaluated at, {@code nExternal} particles. */
        public Builder momenta(int nExternal) {
            if (nExternal < 1) {
                throw new IllegalArgumentException("nExternal must be at least 1, was " + nExternal);
            }
            this.nMomenta = nExternal;
            return this;
        }

        /** Every point has a phase-space weight. */
        public Builder weight() {
            this.weight = true;
            return this;
        }

        /** Every point has the weight's derivatives w.r.t. {@code names} (the random numbers, {@code r1}...). */
        public Builder weightGrad(List<String> names) {
            this.weightGrad = List.copyOf(names);
            return this;
        }

        /** Every point has the score, ∇ log|M|² w.r.t. {@code names}. */
        public Builder score(List<String> names) {
            this.score = List.copyOf(names);
            return this;
        }

        /** Every point has the Hessian of |M|² w.r.t. {@code names}. */
        public Builder hessian(List<String> names) {
            this.hessian = List.copyOf(names);
            return this;
        }

        private ResultFormat resultFormat() {
            return format == null ? ResultFormat.JSON : ResultFormat.named(format, "--format");
        }

        /**
         * Opens the output; for a file or directory, a hidden temporary one until {@link #commit()}.
         *
         * @throws UsageException when the format is unknown, NPY is asked on standard output, or the
         *     output cannot be created
         */
        public ResultWriter open() {
            ResultFormat f = resultFormat();
            if (f == ResultFormat.JSONL && subprocess == null && !subprocessPerPoint) {
                throw new IllegalArgumentException("JSONL names the subprocess on every line: give subprocess(name)"
                        + " or subprocessPerPoint()");
            }
            ResultShape shape = new ResultShape(subprocess, wrt, status, subprocessPerPoint, nMomenta, weight,
                    weightGrad, score, hessian);
            ResultOutput output = f == ResultFormat.NPY
                    ? NpyOutput.open(out, shape)
                    : TextOutput.open(out, ResultLayout.of(f, shape), stdout);
            return new ResultWriter(shape, output);
        }
    }

    /**
     * Appends one point of |M|² and its gradient only.
     *
     * @param grad derivatives in the order of the wrt names; length 0 when there are none
     */
    public void write(double me, double[] grad) {
        write(PointResult.of(me, grad));
    }

    /**
     * Appends one point.
     *
     * @throws IllegalArgumentException when the point lacks a value the writer was opened for, has
     *     one it was not, or an array of the wrong length
     */
    public void write(PointResult point) {
        if (committed || closed) {
            throw new IllegalStateException("result document already " + (committed ? "committed" : "closed"));
        }
        shape.check(point);
        output.point(count, point, point.isFinite());
        count++;
    }

    /** Finishes the document and, for a file or directory, moves it onto the target. */
    public void commit() {
        if (committed) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("result document closed before commit");
        }
        try {
            output.commit();
            closed = true;
            committed = true;
        } catch (IOException e) {
            close();
            throw AtomicFiles.cannotWrite(output.shownName(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Without a prior {@link #commit()}: abandons the document, deleting its temporary files. */
    @Override
    public void close() {
        if (!committed) {
            closed = true;
            output.abandon();
        }
    }

    /** Number of points written so far. */
    public long count() {
        return count;
    }
}
