package io.megrad.runtime;

import java.util.Arrays;

/**
 * The tape of a reverse-mode (adjoint) port. Generated code records, for every executed assignment
 * to a differentiable variable, where its result went and the preaccumulated partials w.r.t. the
 * statement's leaves. Storage is Fortran-static, so an address is reused whenever its variable is
 * overwritten; the reverse sweep reads and clears a statement's output adjoints before spreading
 * them to its leaves, which is the adjoint of an overwriting assignment.
 *
 * <p>Three kinds of statement: a real one ({@link #reserveReal}); a complex one given by its two
 * real channels ({@link #reserveChannels}); and a complex statement that is holomorphic in its
 * complex leaves ({@link #reserveHolomorphic}), which stores one complex partial per leaf instead
 * of four real ones. A reserve call returns the index of the first leaf slot; generated code then
 * writes the leaf arrays directly (they are public for that reason, and must be re-read after each
 * reserve because they grow).
 *
 * <p>A fourth kind records a whole call of a straight-line procedure ({@link #reserveCall}): the
 * values it read and the adjoint addresses of its arguments. The sweep hands such a record back to
 * the generated code ({@link Calls}), whose adjoint of that procedure recomputes it in registers and
 * propagates the adjoints in one pass: far fewer tape entries than one record per statement.
 *
 * <p>Frames ({@link #frame}) hold local arrays whose elements are each written once per call of
 * their procedure and never again (MadGraph's wavefunctions and amplitudes): every call gets fresh
 * storage that lives until the sweep, so a recorded call reads such inputs where they are instead
 * of copying them into {@link #values}.
 */
public final class Tape {
    private static final byte REAL = 1;
    private static final byte CHANNELS = 2;
    private static final byte HOLOMORPHIC = 3;
    private static final byte CALL = 4;

    /** The generated adjoints of the procedures recorded by {@link #reserveCall}. */
    public interface Calls {
        /**
         * Reverses one recorded call of procedure {@code id}: reads and clears the adjoints of what it
         * wrote, adds the adjoints of what it read.
         *
         * @param values    the tape's value store; the call's inputs start at {@code v}
         * @param addresses the tape's address store; the call's argument adjoint addresses start at {@code a}
         * @param frames    the tape's frame store, where inputs recorded by reference are
         */
        void reverseCall(int id, double[] values, int v, int[] addresses, int a, double[] adj, double[] frames);
    }

    private final Calls calls;

    private int[] out = new int[1024];
    private int[] count = new int[1024];
    private byte[] kind = new byte[1024];
    private int records;
    /**
     * Leaf addresses. In a holomorphic record a complex leaf is stored as its address (real part;
     * the imaginary part follows) and a real leaf as {@code ~address}.
     */
    public int[] address = new int[8192];
    /** Partial of each leaf (the real part of the complex partial in a holomorphic record). */
    public double[] re = new double[8192];
    /** Imaginary part of the complex partial in a holomorphic record. */
    public double[] im = new double[8192];
    private int leaves;
    /** Inputs of recorded calls (see {@link #reserveCall}). */
    public double[] values = new double[4096];
    private int valueCount;
    /** Where the values of the latest {@link #reserveCall} start. */
    public int callValues;
    /**
     * Frame storage (see {@link #frame}). It moves when it grows, which only {@link #frame} does:
     * generated code reads this field after allocating, never keeps it across a call.
     */
    public double[] frames = new double[4096];
    private int frameCount;

    /** A tape that records calls of straight-line procedures and reverses them through {@code calls}. */
    public Tape(Calls calls) {
        this.calls = calls;
    }

    /** A tape that is recorded and never swept (e.g. to evaluate the model's masses). */
    public Tape() {
        this(null);
    }

    public void clear() {
        records = 0;
        leaves = 0;
        valueCount = 0;
        frameCount = 0;
    }

    /**
     * Fresh storage for {@code n} doubles in {@link #frames}, kept until {@link #clear}; returns its
     * offset. Not zeroed: generated code frames only arrays whose every element is written before
     * it is read.
     */
    public int frame(int n) {
        if (frameCount + n > frames.length) {
            frames = Arrays.copyOf(frames, Math.max(frames.length * 2, frameCount + n));
        }
        int at = frameCount;
        frameCount += n;
        return at;
    }

    /** Doubles in frames. */
    public int frameCount() {
        return frameCount;
    }

    /**
     * A call of procedure {@code id} with {@code nAddresses} argument adjoint addresses (written by
     * generated code from the returned slot on, in {@link #address}) and {@code nValues} input
     * values (from {@link #callValues} on, in {@link #values}).
     */
    public int reserveCall(int id, int nAddresses, int nValues) {
        int first = reserve(CALL, 0, nAddresses + 1, 0, 0);
        if (valueCount + nValues > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + nValues));
        }
        out[records - 1] = valueCount;
        address[first] = id;
        callValues = valueCount;
        valueCount += nValues;
        return first + 1;
    }

    /**
     * Values of a call recorded within a sequence (see {@link #reserveCall}): the record of the
     * whole sequence, reserved first, says where its calls' values start; each call then only
     * appends its own, from the returned index (also {@link #callValues}) on.
     */
    public int reserveValues(int nValues) {
        if (valueCount + nValues > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + nValues));
        }
        int at = valueCount;
        callValues = at;
        valueCount = at + nValues;
        return at;
    }

    /**
     * Changes which adjoint the latest {@link #reserveCall} (of {@code nAddresses} addresses) is reversed by: a call site whose
     * arguments partly carry no derivative takes a variant that skips their adjoints (the record
     * itself is the same for every variant).
     */
    public void retagCall(int id, int nAddresses) {
        address[leaves - nAddresses - 1] = id; // the call's id, then its addresses, are the latest leaves
    }

    public int records() {
        return records;
    }

    public int leaves() {
        return leaves;
    }

    /** Doubles recorded by calls (their inputs and the intermediate values their adjoints read). */
    public int valueCount() {
        return valueCount;
    }

    /** A real statement writing {@code target}, with {@code n} leaves. */
    public int reserveReal(int target, int n) {
        return reserve(REAL, target, n, 0, 0);
    }

    /** A complex statement by channels: {@code n0} leaves of the real part, then {@code n1} of the imaginary part. */
    public int reserveChannels(int target0, int n0, int target1, int n1) {
        return reserve(CHANNELS, target0, n0, target1, n1);
    }

    /** A complex statement holomorphic in its complex leaves, writing {@code target} and {@code target + 1}. */
    public int reserveHolomorphic(int target, int n) {
        return reserve(HOLOMORPHIC, target, n, 0, 0);
    }

    private int reserve(byte k, int target0, int n0, int target1, int n1) {
        if (records + 2 > out.length) {
            int size = out.length * 2;
            out = Arrays.copyOf(out, size);
            count = Arrays.copyOf(count, size);
            kind = Arrays.copyOf(kind, size);
        }
        int n = n0 + n1;
        if (leaves + n > address.length) {
            int size = Math.max(address.length * 2, leaves + n);
            address = Arrays.copyOf(address, size);
            re = Arrays.copyOf(re, size);
            im = Arrays.copyOf(im, size);
        }
        out[records] = target0;
        count[records] = n0;
        kind[records] = k;
        records++;
        if (k == CHANNELS) {
            out[records] = target1;
            count[records] = n1;
            kind[records] = k;
            records++;
        }
        int first = leaves;
        leaves += n;
        return first;
    }

    /** Propagates adjoints backwards through every recorded statement. */
    public void reverse(double[] adj) {
        sweep(adj, 0, leaves);
    }

    /** Sweeps records [firstRecord, records) whose leaves end at {@code end}. */
    private void sweep(double[] adj, int firstRecord, int end) {
        int e = end;
        int r = records - 1;
        final int[] la = address;
        final double[] lr = re;
        final double[] li = im;
        while (r >= firstRecord) {
            byte k = kind[r];
            if (k == REAL) {
                int o = out[r];
                double t = adj[o];
                adj[o] = 0.0;
                int c = count[r];
                e -= c;
                if (t != 0.0) {
                    for (int i = e; i < e + c; i++) {
                        adj[la[i]] += lr[i] * t;
                    }
                }
                r--;
            } else if (k == CALL) {
                e -= count[r];
                calls.reverseCall(la[e], values, out[r], la, e + 1, adj, frames);
                r--;
            } else if (k == HOLOMORPHIC) {
                int o = out[r];
                double yr = adj[o];
                double yi = adj[o + 1];
                adj[o] = 0.0;
                adj[o + 1] = 0.0;
                int c = count[r];
                e -= c;
                if (yr != 0.0 || yi != 0.0) {
                    for (int i = e; i < e + c; i++) {
                        int a = la[i];
                        double pr = lr[i];
                        double pi = li[i];
                        if (a >= 0) {
                            adj[a] += pr * yr + pi * yi;
                            adj[a + 1] += pr * yi - pi * yr;
                        } else {
                            adj[~a] += pr * yr + pi * yi;
                        }
                    }
                }
                r--;
            } else {
                int o1 = out[r];
                int o0 = out[r - 1];
                double t1 = adj[o1];
                double t0 = adj[o0];
                adj[o1] = 0.0;
                adj[o0] = 0.0;
                int c1 = count[r];
                e -= c1;
                if (t1 != 0.0) {
                    for (int i = e; i < e + c1; i++) {
                        adj[la[i]] += lr[i] * t1;
                    }
                }
                int c0 = count[r - 1];
                e -= c0;
                if (t0 != 0.0) {
                    for (int i = e; i < e + c0; i++) {
                        adj[la[i]] += lr[i] * t0;
                    }
                }
                r -= 2;
            }
        }
    }
}
