package io.megrad.bindings;

import io.megrad.runtime.InputException;
import io.megrad.runtime.InternalException;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.bytedeco.javacpp.Pointer;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Evaluates |M|² and its derivatives in a native process library: one JNI crossing per batch. The
 * seeds become rows of a seed matrix over the momentum components and the library's inputs, so the
 * same library serves any {@code --wrt}. Not thread-safe (one per thread, like the Java port); a
 * batch may itself run on {@link #threads(int)} native threads.
 *
 * <pre>{@code
 * NativeEvaluator ev = NativeProcess.build(port, NativeOptions.builtin(), cache).evaluator(card, seeds);
 * double[] me = new double[n];
 * double[] grad = new double[n * ev.directions()];
 * ev.evaluateBatch(n, momenta, me, grad);   // momenta[(point * externals + particle) * 4 + mu]
 * }</pre>
 */
public final class NativeEvaluator implements ProcessEvaluator, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final NativeLibrary library;
    private final Pointer proc;
    private final Cleaner.Cleanable cleanable;
    private final int externals;
    private final int directions;
    private final List<String> warnings = new ArrayList<>();
    private int threads = 1;
    private final double[] one;
    private final double[] oneMe = new double[1];

    /**
     * @param inputKeys the param-card entry each library input reads (null: the input's default is used)
     * @param defaults  each input's default value from the output's reading code
     */
    NativeEvaluator(NativeLibrary library, int externals, List<ParamKey> inputKeys, double[] defaults, ParamCard card,
                    List<Seed> seeds) {
        this.library = library;
        this.externals = externals;
        this.directions = seeds.size();
        this.one = new double[4 * externals];
        int nIn = inputKeys.size();
        double[] values = new double[nIn];
        for (int i = 0; i < nIn; i++) {
            ParamKey key = inputKeys.get(i);
            values[i] = key != null && card.contains(key) ? card.value(key).getAsDouble() : defaults[i];
        }
        int stride = 4 * externals + nIn;
        double[] seedMatrix = new double[directions * stride];
        for (int k = 0; k < directions; k++) {
            Seed s = seeds.get(k);
            if (s instanceof Seed.Momentum m) {
                if (m.particle() < 1 || m.particle() > externals) {
                    throw new UsageException("particle p" + m.particle() + " does not exist: the process has " + externals
                            + " external particles");
                }
                seedMatrix[k * stride + 4 * (m.particle() - 1) + m.component()] = 1.0;
            } else {
                ParamKey key = ((Seed.Parameter) s).key();
                if (!card.contains(key)) {
                    throw new InputException(SourcePosition.of(card.sourceName(), 0), "no entry " + key + " in the param card");
                }
                int[] reading = IntStream.range(0, nIn).filter(i -> key.equals(inputKeys.get(i))).toArray();
                for (int i : reading) {
                    seedMatrix[k * stride + 4 * externals + i] = 1.0;
                }
                if (reading.length == 0) {
                    warnings.add(key + " is in the param card but the model does not read it (e.g. a derived quantity): "
                            + "its derivatives are exactly zero");
                }
            }
        }
        Pointer h = NativeApi.mgl_create(library.handle);
        this.proc = h;
        Pointer lib = library.handle;
        this.cleanable = CLEANER.register(this, () -> NativeApi.mgl_destroy(lib, h));
        check(NativeApi.mgl_set_inputs(lib, proc, values));
        check(NativeApi.mgl_set_directions(lib, proc, directions, seedMatrix));
    }

    private void check(int status) {
        if (status != 0) {
            throw new InternalException("native process library " + library.path() + ": " + NativeApi.mgl_error(library.handle, proc));
        }
    }

    /** Native worker threads per batch (each with its own process state and, in reverse mode, its own tape). */
    public NativeEvaluator threads(int n) {
        if (n < 1) {
            throw new UsageException("threads must be at least 1");
        }
        this.threads = n;
        return this;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public int externals() {
        return externals;
    }

    @Override
    public int directions() {
        return directions;
    }

    @Override
    public double evaluate(double[][] momenta, double[] grad) {
        flatten(momenta, one, 0);
        double[] g = grad.length == directions ? grad : new double[directions];
        evaluateBatch(1, one, oneMe, g);
        if (g != grad) {
            System.arraycopy(g, 0, grad, 0, directions);
        }
        return oneMe[0];
    }

    /**
     * Evaluates {@code n} points in one call.
     *
     * @param momenta {@code momenta[(point * externals + particle) * 4 + mu]}
     * @param me      receives |M|² per point
     * @param grad    receives {@code grad[point * directions() + k]}
     */
    public void evaluateBatch(int n, double[] momenta, double[] me, double[] grad) {
        if (momenta.length < n * 4 * externals || me.length < n || grad.length < n * directions) {
            throw new IllegalArgumentException("arrays too short for " + n + " points");
        }
        for (int i = 0; i < n * 4 * externals; i++) {
            if (!Double.isFinite(momenta[i])) {
                int point = i / (4 * externals);
                int particle = (i % (4 * externals)) / 4 + 1;
                throw new InputException("point " + point + ": momentum component " + (i % 4) + " of particle " + particle
                        + " is " + momenta[i]);
            }
        }
        check(NativeApi.mgl_evaluate(library.handle, proc, n, momenta, me, grad, threads));
    }

    /** Evaluates points given as {@code points[point][particle] = {E, px, py, pz}}; fills {@code grads[point]}. */
    public double[] evaluateBatch(double[][][] points, double[][] grads) {
        int n = points.length;
        double[] flat = new double[n * 4 * externals];
        for (int k = 0; k < n; k++) {
            flatten(points[k], flat, k * 4 * externals);
        }
        double[] me = new double[n];
        double[] grad = new double[n * directions];
        evaluateBatch(n, flat, me, grad);
        for (int k = 0; k < n; k++) {
            System.arraycopy(grad, k * directions, grads[k], 0, directions);
        }
        return me;
    }

    private void flatten(double[][] momenta, double[] out, int offset) {
        if (momenta.length != externals) {
            throw new InputException("expected " + externals + " momenta, got " + momenta.length);
        }
        for (int i = 0; i < externals; i++) {
            if (momenta[i].length != 4) {
                throw new InputException("momentum of particle " + (i + 1) + " has " + momenta[i].length + " components, not 4");
            }
            System.arraycopy(momenta[i], 0, out, offset + 4 * i, 4);
        }
    }

    /** Frees the native process state (also done when this evaluator becomes unreachable). */
    @Override
    public void close() {
        cleanable.clean();
    }
}
