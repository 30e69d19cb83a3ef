package io.megrad.runtime;

/**
 * The base class of a generated reverse-mode (adjoint) port: one evaluation records a tape, one
 * backward sweep gives the derivative of |M|² w.r.t. every momentum component and every input at
 * once. One instance per thread.
 */
public abstract class GeneratedAdjointProcess implements Tape.Calls {
    protected final double[] inputs;
    /** The tape of the model setup, recorded once per parameter set and swept for every point. */
    protected final Tape setupTape = new Tape(this);
    protected final Tape pointTape = new Tape(this);
    /** Where generated code records; switched between the two tapes by the entry points. */
    protected Tape tape = setupTape;

    protected GeneratedAdjointProcess(int inputCount) {
        this.inputs = new double[inputCount];
    }

    public final void setInputs(double[] values) {
        System.arraycopy(values, 0, inputs, 0, inputs.length);
    }

    /** Runs the model's parameter and coupling code, recording its tape. */
    public abstract void setup();

    /**
     * Evaluates |M|² at one point and its full gradient.
     *
     * @param p        momenta, {@code p[4*i + mu]}
     * @param pBar     receives ∂|M|²/∂p, same layout
     * @param inputBar receives ∂|M|²/∂input for every external input
     * @return |M|²
     */
    public abstract double evaluate(double[] p, double[] pBar, double[] inputBar);

    /** Generated ports with call records override this; a tape without them never calls it. */
    @Override
    public void reverseCall(int id, double[] values, int v, int[] addresses, int a, double[] adj, double[] frames) {
        throw new IllegalStateException("no adjoint for recorded call " + id);
    }

    /** The external particles' masses from the model's parameters (after {@link #setup()}), or null when the output does not state them. */
    public double[] masses() {
        return null;
    }
}
