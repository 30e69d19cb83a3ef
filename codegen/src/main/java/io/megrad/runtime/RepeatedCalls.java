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
 * <p>Each call of the sequence has a key ({@link #pack}: the values of its integer arguments, the
 * helicities), and each merged call site takes the bits of the key it depends on ({@code masks}):
 * its keys are numbered in the order the forward sweep meets them. The sequence is called the
 * same way at every point, so the numbers of a point's calls are those of the previous point's
 * as long as its keys are, and the search is made only when they differ (the first point, or a
 * point whose helicities run differently). Per number, a site keeps the sum of the output
 * adjoints the backward sweep has reached so far. One instance per port; {@link #reset} at the
 * start of every point.
 */
public final class RepeatedCalls {
    /** Bits per key slot: helicities and the particles' directions fit in [-8, 7]. */
    private static final int SLOT_BITS = 4;
    /** Slots a key holds below its sign bit, which marks a value out of range. */
    public static final int MAX_SLOTS = 15;
    /** A call the forward sweep found no key for: its adjoint runs as it is. */
    public static final int UNMERGED = Integer.MIN_VALUE;

    private final Site[] sites;
    /** The keys of the calls so far (this point's, then the previous point's beyond {@link #calls}). */
    private long[] keys = new long[64];
    /** Per call, the number of each site's key, complemented for the first call of that key. */
    private int[][] numbers = new int[64][];
    /** Calls with a valid entry in {@link #keys} and {@link #numbers}. */
    private int known;
    /** Calls of this point so far. */
    private int calls;
    /** Calls the sites' key lists reflect. */
    private int listed;

    /** One merged call site per mask (the key bits it depends on) and width (the doubles of its output's adjoint, which are contiguous). */
    public RepeatedCalls(long[] masks, int[] widths) {
        sites = new Site[masks.length];
        for (int i = 0; i < masks.length; i++) {
            sites[i] = new Site(masks[i], widths[i]);
        }
    }

    /**
     * Key slot {@code slot} holding {@code value}; a call's key is the OR of its slots. A value out
     * of range gives a negative key, for which nothing is merged.
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

    /** The bits of key slot {@code slot}: a call site's mask is the OR of the slots it depends on. */
    public static long mask(int slot) {
        return pack(7, slot);
    }

    /** Starts a point (also after one a failure interrupted). */
    public void reset() {
        calls = 0;
        for (Site s : sites) {
            s.clearAdjoints();
        }
    }

    /**
     * The forward sweep made a call of the sequence with {@code key}: returns its number, which the
     * call's record keeps for {@link #merge}.
     */
    public int call(long key) {
        int c = calls++;
        if (c < known && keys[c] == key) {
            return c;
        }
        // The keys differ from the previous point's from here on: number them again.
        if (listed != c) {
            for (Site s : sites) {
                s.clearKeys();
            }
            for (int k = 0; k < c; k++) {
                list(keys[k]);
            }
        }
        if (c == keys.length) {
            keys = Arrays.copyOf(keys, 2 * c);
            numbers = Arrays.copyOf(numbers, 2 * c);
        }
        keys[c] = key;
        numbers[c] = list(key);
        known = c + 1;
        listed = c + 1;
        return c;
    }

    private int[] list(long key) {
        int[] n = new int[sites.length];
        for (int i = 0; i < sites.length; i++) {
            n[i] = key < 0 ? UNMERGED : sites[i].number(key & sites[i].mask);
        }
        return n;
    }

    /**
     * The backward sweep reached the call of {@code site} made by call {@code call} of the sequence,
     * whose output's adjoint is at {@code adj[at ...]}. For the first call of its key (the last the
     * sweep reaches) the adjoints of all the key's calls are put there and it returns true: the
     * caller runs the call's adjoint. For the others the output's adjoint is kept and cleared, as
     * the call's adjoint would have done, and it returns false.
     */
    public boolean merge(int call, int site, double[] adj, int at) {
        int number = numbers[call][site];
        return number == UNMERGED || sites[site].merge(number, adj, at);
    }

    private static final class Site {
        private final long mask;
        private final int width;
        private long[] keys = new long[8];
        private double[] adjoints;
        private int size;

        Site(long mask, int width) {
            this.mask = mask;
            this.width = width;
            this.adjoints = new double[8 * width];
        }

        void clearAdjoints() {
            Arrays.fill(adjoints, 0, size * width, 0.0);
        }

        void clearKeys() {
            clearAdjoints();
            size = 0;
        }

        /** The key's number, complemented when it is new. */
        int number(long key) {
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

        boolean merge(int number, double[] adj, int at) {
            if (number < 0) {
                int o = ~number * width;
                for (int k = 0; k < width; k++) {
                    adj[at + k] += adjoints[o + k];
                    adjoints[o + k] = 0.0;
                }
                return true;
            }
            int o = number * width;
            for (int k = 0; k < width; k++) {
                adjoints[o + k] += adj[at + k];
                adj[at + k] = 0.0;
            }
            return false;
        }
    }
}
