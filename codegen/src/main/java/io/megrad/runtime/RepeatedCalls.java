package io.megrad.runtime;

import java.util.Arrays;

/**
 * The calls of a reverse port's call sequence that repeat, within one point, a computation another
 * call of the sequence already did: MADGRAPH's MATRIX runs once per helicity combination, and a
 * current built from particles 1 and 2 only is the same for every helicity of the others. The
 * adjoint of such a call is linear in its output's adjoint and otherwise depends on its inputs only,
 * so the backward sweep adds up the output adjoints of the repetitions and runs the adjoint once,
 * at the first call (the last the sweep reaches).
 *
 * <p>Each merged call site (numbered by the generated code) keeps its keys (what tells its
 * repetitions apart, {@link #pack}) in the order the forward sweep met them, and per key the sum
 * of the output adjoints the backward sweep has reached so far. Each call records the number of its
 * key ({@link #slot}). One instance per port; {@link #reset} at the start of every point.
 */
public final class RepeatedCalls {
    /** Bits per key slot: helicities and the particles' directions fit in [-8, 7]. */
    private static final int SLOT_BITS = 4;
    /** Slots a key holds below its sign bit, which marks a value out of range. */
    public static final int MAX_SLOTS = 15;

    private final Site[] sites;

    /** One merged call site per width: the doubles of its output's adjoint, which are contiguous. */
    public RepeatedCalls(int... widths) {
        sites = new Site[widths.length];
        for (int i = 0; i < widths.length; i++) {
            sites[i] = new Site(widths[i]);
        }
    }

    /**
     * Key slot {@code slot} holding {@code value}; the keys of a call are the OR of its slots. A
     * value out of range gives a negative key, for which nothing is merged.
     */
    public static long pack(int value, int slot) {
        if (slot < 0 || slot >= MAX_SLOTS) {
            throw new IllegalArgumentException("key slot " + slot + " of " + MAX_SLOTS);
        }
        if (value < -8 || value > 7) {
            return Long.MIN_VALUE;
        }
        return (long) (value + 8) << (SLOT_BITS * slot);
    }

    /** A call the forward sweep found no key for: its adjoint runs as it is. */
    public static final int UNMERGED = Integer.MIN_VALUE;

    /** Forgets the previous point (also one a failure interrupted). */
    public void reset() {
        for (Site s : sites) {
            s.reset();
        }
    }

    /**
     * The forward sweep made a call of {@code site} with {@code key}: what the call's record keeps for
     * {@link #merge}, the number of the key's adjoint sum, complemented for the key's first call.
     */
    public int slot(int site, long key) {
        return key < 0 ? UNMERGED : sites[site].slot(key);
    }

    /**
     * The backward sweep reached a call of {@code site} that recorded {@code slot}, whose output's
     * adjoint is at {@code adj[at ...]}. For the first call of its key (the last the sweep reaches)
     * the adjoints of all the key's calls are put there and it returns true: the caller runs the
     * call's adjoint. For the others the output's adjoint is kept and cleared, as the call's adjoint
     * would have done, and it returns false.
     */
    public boolean merge(int site, int slot, double[] adj, int at) {
        return slot == UNMERGED || sites[site].merge(slot, adj, at);
    }

    private static final class Site {
        private final int width;
        private long[] keys = new long[8];
        private double[] adjoints;
        private int size;

        Site(int width) {
            this.width = width;
            this.adjoints = new double[8 * width];
        }

        void reset() {
            Arrays.fill(adjoints, 0, size * width, 0.0);
            size = 0;
        }

        int slot(long key) {
            for (int i = size - 1; i >= 0; i--) {
                if (keys[i] == key) {
                    return i;
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, 2 * size);
                adjoints = Arrays.copyOf(adjoints, 2 * size * width);
            }
            keys[size] = key;
            return ~size++;
        }

        boolean merge(int slot, double[] adj, int at) {
            if (slot < 0) {
                int o = ~slot * width;
                for (int k = 0; k < width; k++) {
                    adj[at + k] += adjoints[o + k];
                    adjoints[o + k] = 0.0;
                }
                return true;
            }
            int o = slot * width;
            for (int k = 0; k < width; k++) {
                adjoints[o + k] += adj[at + k];
                adj[at + k] = 0.0;
            }
            return false;
        }
    }
}
