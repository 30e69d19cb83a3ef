package io.megrad.runtime;

/**
 * The base class of every generated Java port. An instance is single-threaded state (Fortran's
 * static storage: COMMON blocks, SAVEd locals, work arrays); make one per thread.
 *
 * <p>Directions: the port carries {@link #directions()} tangent directions through every real and
 * complex value in one pass. The caller seeds them: a unit vector per momentum component in
 * {@code pD}, and per param-card input through {@link #setInputs}.
 */
public abstract class GeneratedProcess {
    /** Values of the external inputs (param-card entries), by input index. */
    protected final double[] inputs;
    /** Tangents of the inputs: {@code inputSeeds[i * directions + k]}. */
    protected final double[] inputSeeds;

    protected GeneratedProcess(int inputCount, int directions) {
        this.inputs = new double[inputCount];
        this.inputSeeds = new double[inputCount * directions];
    }

    public abstract int directions();

    /** Sets every input value and its tangent seeds; call {@link #setup()} afterwards. */
    public final void setInputs(double[] values, double[] seeds) {
        System.arraycopy(values, 0, inputs, 0, inputs.length);
        System.arraycopy(seeds, 0, inputSeeds, 0, inputSeeds.length);
    }

    /** Runs the model's parameter and coupling code on the current inputs. */
    public abstract void setup();

    /**
     * Evaluates |M|² at one point.
     *
     * @param p   momenta in MadGraph's layout {@code P(0:3, NEXTERNAL)}: {@code p[4*i + mu]}
     * @param pD  tangents of p: {@code pD[(4*i + mu) * directions + k]}
     * @param meD receives the {@code directions} derivatives of |M|²
     * @return |M|²
     */
    public abstract double evaluate(double[] p, double[] pD, double[] meD);

    /** Thrown by a translated STOP statement. */
    public static final class StopException extends RuntimeException {
        public StopException(String where) {
            super("the translated code executed STOP at " + where);
        }
    }

    /** The external particles' masses from the model's parameters (after {@link #setup()}), or null when the output does not state them. */
    public double[] masses() {
        return null;
    }
}
