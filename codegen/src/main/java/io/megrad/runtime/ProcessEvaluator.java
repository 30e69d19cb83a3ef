package io.megrad.runtime;

/**
 * Evaluates |M|² and its derivatives along the seeds it was created with. Not thread-safe: create
 * one per thread.
 *
 * <pre>{@code
 * ProcessEvaluator ev = JavaPort.load(dir, null, card, List.of(new Seed.Momentum(3, 0)));
 * double[] grad = new double[ev.directions()];
 * double me = ev.evaluate(momenta, grad);
 * }</pre>
 */
public interface ProcessEvaluator {
    int externals();

    int directions();

    /**
     * @param momenta {@code momenta[i] = {E, px, py, pz}} for each external particle in MadGraph's order
     * @param grad    receives one derivative per seed (length at least {@link #directions()})
     * @return |M|²
     */
    double evaluate(double[][] momenta, double[] grad);

    /** The external masses the code uses (derived ones computed), or null when unknown. */
    default double[] masses() {
        return null;
    }

    /** One-line warnings from setting up the seeds (e.g. an entry the model does not read). */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }
}
