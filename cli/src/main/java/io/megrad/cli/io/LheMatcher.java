package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds the subprocess an LHE event belongs to and puts its momenta in that subprocess's order.
 *
 * <pre>{@code
 * LheMatcher matcher = new LheMatcher(List.of(
 *         new Subprocess("P1_uux_ttx", 2, new int[] {2, -2, 6, -6}),
 *         new Subprocess("P1_gg_ttx", 2, new int[] {21, 21, 6, -6})));
 * Point p = matcher.match(event);   // null when no subprocess matches
 * p.subprocess();                   // "P1_uux_ttx" for an event -2 2 > -6 6
 * }</pre>
 *
 * <p>An event matches a subprocess when it has as many incoming particles, the same incoming PDG
 * codes in the same order, and the same outgoing codes in any order. Failing that, with two
 * incoming particles, the incoming pair swapped: MadGraph lists one initial-state order per
 * subprocess and a generator's mirrored event {@code u~ u > t t~} is the same physics as
 * {@code u u~ > t t~} with the beams exchanged. An exact match with any subprocess is preferred to
 * a swapped one. When two subprocesses have the same particles, the first listed is taken.
 *
 * <p>The outgoing momenta are reordered into the subprocess's order; identical particles keep
 * the order they have in the event, so the result does not depend on the matcher's choice among
 * equivalent assignments.
 */
public final class LheMatcher {
    private static final int MAX_LISTED = 8;

    private final List<Subprocess> subprocesses;
    private final Map<Signature, Candidate> bySignature = new HashMap<>();

    private record Candidate(Subprocess subprocess, boolean swapped) {}

    /** The particles of an event or subprocess: incoming codes in order, then outgoing codes sorted. */
    private record Signature(int[] codes) {
        static Signature of(int nIncoming, int[] pdg, boolean swapped) {
            int[] codes = new int[pdg.length + 1];
            codes[0] = nIncoming;
            System.arraycopy(pdg, 0, codes, 1, pdg.length);
            if (swapped) {
                codes[1] = pdg[1];
                codes[2] = pdg[0];
            }
            Arrays.sort(codes, nIncoming + 1, codes.length);
            return new Signature(codes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(s.codes, codes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(codes);
        }
    }

    /** @param subprocesses the candidates, in order of preference; at least one */
    public LheMatcher(List<Subprocess> subprocesses) {
        if (subprocesses.isEmpty()) {
            throw new IllegalArgumentException("no subprocesses to match events against");
        }
        this.subprocesses = List.copyOf(subprocesses);
        for (Subprocess s : this.subprocesses) {
            bySignature.putIfAbsent(Signature.of(s.nInitial(), s.pdg(), false), new Candidate(s, false));
        }
        for (Subprocess s : this.subprocesses) {
            if (s.nInitial() == 2) {
                bySignature.putIfAbsent(Signature.of(2, s.pdg(), true), new Candidate(s, true));
            }
        }
    }

    /** The subprocesses, as given. */
    public List<Subprocess> subprocesses() {
        return subprocesses;
    }

    /**
     * The event as a point of the subprocess it matches, momenta in that subprocess's order and
     * {@link Point#subprocess()} set; null when no subprocess matches. The point shares the
     * event's momentum arrays.
     */
    public Point match(LheEvent event) {
        Candidate candidate = bySignature.get(Signature.of(event.nIncoming(), event.pdg(), false));
        if (candidate == null) {
            return null;
        }
        Subprocess s = candidate.subprocess();
        int nIn = s.nInitial();
        double[][] in = event.momenta();
        double[][] momenta = new double[in.length][];
        for (int i = 0; i < nIn; i++) {
            momenta[i] = in[candidate.swapped() ? nIn - 1 - i : i];
        }
        boolean[] used = new boolean[in.length];
        for (int slot = nIn; slot < momenta.length; slot++) {
            int code = s.pdg(slot);
            int from = nIn;
            while (used[from] || event.pdg()[from] != code) {
                from++; // the signatures agree, so a particle with this code is left
            }
            used[from] = true;
            momenta[slot] = in[from];
        }
        return new Point(event.index(), event.line(), momenta, s.name());
    }

    /**
     * As {@link #match}, but an event that matches no subprocess is an error.
     *
     * @param sourceName the file name for the message
     * @throws InputException {@code file:line: event index N: particles 2 -2 > 6 -6 21 match no
     *     subprocess (P1_gg_ttx (21 21 > 6 -6))}
     */
    public Point require(LheEvent event, String sourceName) {
        Point point = match(event);
        if (point == null) {
            String known = subprocesses.stream().limit(MAX_LISTED).map(Subprocess::describe)
                    .collect(Collectors.joining(", "));
            if (subprocesses.size() > MAX_LISTED) {
                known += ", ... " + (subprocesses.size() - MAX_LISTED) + " more";
            }
            throw new InputException(SourcePosition.of(sourceName, event.line()), "event index " + event.index()
                    + ": particles " + event.describe() + " match no subprocess (" + known + ")");
        }
        return point;
    }
}
