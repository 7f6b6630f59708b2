package dev.al4j.core;

import java.util.Objects;

/**
 * Turns an {@link AcquisitionFunction} into a {@link QueryStrategy} that picks the {@code b} highest-scoring
 * candidates, highest first, ties toward the lower id.
 *
 * <p>Cost: one scoring call over the N candidates, then O(N + b log b) time and O(N) extra memory for the selection
 * ({@link #top}: a radix select for the b-th score, then a sort of the b kept). Immutable and thread-safe when the
 * function is.
 *
 * <pre>{@code
 * QueryStrategy s = TopK.of((pool, model, ids) -> myScores(model.probabilities(pool, ids)));
 * Selection next = s.select(pool, model, 100);
 * }</pre>
 */
public final class TopK implements QueryStrategy {

    private final AcquisitionFunction function;
    private final String name;

    private TopK(AcquisitionFunction function, String name) {
        this.function = function;
        this.name = name;
    }

    /** The strategy that takes the top-{@code b} scores of {@code function}. */
    public static TopK of(AcquisitionFunction function) {
        Checks.checkNotNull(function, "function");
        return new TopK(function, "TopK.of(" + function + ")");
    }

    /** Like {@link #of} with the name that {@link #toString()} reports, e.g. {@code "Strategies.entropy()"}. */
    public static TopK of(AcquisitionFunction function, String name) {
        Checks.checkNotNull(function, "function");
        Checks.checkNotNull(name, "name");
        return new TopK(function, name);
    }

    /** The acquisition function. */
    public AcquisitionFunction function() {
        return function;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNonNegative(budget, "budget");
        Checks.checkClasses(pool, model);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        double[] scores = function.score(pool, model, candidates);
        Checks.checkArgument(scores != null && scores.length == candidates.length,
                "%s must return one score per candidate (%d), found %s", function, candidates.length,
                scores == null ? "null" : String.valueOf(scores.length));
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) { // test first: the message's arguments are boxed only on failure
                Checks.checkArgument(false, "%s returned a non-finite score %s for id %d", function, scores[i],
                        candidates[i]);
            }
        }
        return selection(candidates, scores, budget, start);
    }

    /**
     * The selection of the {@code budget} best candidates by {@code scores} (one per candidate, none NaN), in the
     * order of {@link #top}, timed from {@code start} ({@link System#nanoTime}): the last step of every top-b query.
     */
    public static Selection selection(int[] candidates, double[] scores, int budget, long start) {
        return Selection.atPositions(top(scores, candidates, budget), candidates, scores, start);
    }

    /**
     * The positions of the {@code k} best entries, best first: higher score first, then lower id (then lower
     * position, which matters only when ids repeat). Positions index {@code scores} and {@code ids}, which have
     * equal length; scores must not be NaN.
     *
     * <p>O(n + k log k) time, O(n) extra memory at most: the {@code k}-th largest score by {@link #kthLargest}, one pass
     * keeping the entries above it and the lowest-id entries equal to it, then a merge sort of those {@code k}.
     * {@code TopKTest} checks it against a full sort on random and adversarial inputs.
     */
    public static int[] top(double[] scores, int[] ids, int k) {
        if (scores.length != ids.length || k < 0) { // test first: the message's arguments are boxed only then
            Checks.checkArgument(scores.length == ids.length,
                    "scores and ids must have equal length, found %d and %d", scores.length, ids.length);
            Checks.checkNonNegative(k, "k");
        }
        int n = scores.length;
        int m = Math.min(k, n);
        if (m == 0) {
            return new int[0];
        }
        double threshold = kthLargest(scores, m);
        int[] kept = new int[m];
        int above = 0;
        int equal = 0;
        for (int i = 0; i < n; i++) {
            if (scores[i] > threshold) {
                kept[above++] = i;
            } else if (scores[i] == threshold) {
                equal++;
            }
        }
        // The threshold is the m-th largest, so fewer than m entries are above it and at least m - above equal it.
        int[] ties = new int[equal];
        for (int i = 0, j = 0; i < n; i++) {
            if (scores[i] == threshold) {
                ties[j++] = i;
            }
        }
        if (ties.length > m - above) {
            // Keep the tied entries with the lowest ids: sort them by (id, position).
            long[] keys = new long[ties.length];
            for (int j = 0; j < ties.length; j++) {
                keys[j] = (long) ids[ties[j]] << 32 | ties[j]; // signed id above, position (>= 0) below
            }
            java.util.Arrays.sort(keys);
            for (int j = 0; j < ties.length; j++) {
                ties[j] = (int) keys[j];
            }
        }
        System.arraycopy(ties, 0, kept, above, m - above);
        sortBestFirst(kept, scores, ids);
        return kept;
    }

    /**
     * The {@code k}-th largest of {@code values} ({@code 1 <= k <= values.length}, no NaN): O(n) time, a radix select
     * on the doubles' bits. Each double maps to a {@code long} in the same order; the bits that all of them share
     * are skipped (scores in {@code [0, 2.3]} share their sign and most of their exponent); then 11 bits at a time:
     * count the values per digit, keep the digit that holds the {@code k}-th largest, repeat on its values only. No
     * branch on the data in the counting passes. {@code 0.0} and {@code -0.0} count as equal, as {@code ==} has them
     * (the result is then {@code 0.0}).
     */
    public static double kthLargest(double[] values, int k) {
        Checks.checkNotNull(values, "values");
        if (!(k >= 1 && k <= values.length)) {
            Checks.checkArgument(false, "k must be in [1, %d], found %d", values.length, k);
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (double v : values) {
            long u = sortable(v);
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
        }
        // Bits above 'shift + bits' are the same in every value: the first digit is the highest bits that differ.
        int shift = Long.SIZE - Long.numberOfLeadingZeros(lo ^ hi);
        int[] counts = new int[1 << RADIX_BITS];
        long[] rest = null;
        while (shift > 0 && (rest == null || rest.length > 1)) {
            int bits = Math.min(RADIX_BITS, shift);
            shift -= bits;
            int mask = (1 << bits) - 1;
            java.util.Arrays.fill(counts, 0);
            if (rest == null) {
                for (double v : values) {
                    counts[(int) (sortable(v) >>> shift) & mask]++;
                }
            } else {
                for (long u : rest) {
                    counts[(int) (u >>> shift) & mask]++;
                }
            }
            int digit = mask;
            while (digit > 0 && k > counts[digit]) { // walk down from the top digit to the one holding the k-th
                k -= counts[digit--];
            }
            long[] next = new long[counts[digit]];
            int j = 0;
            if (rest == null) {
                for (double v : values) {
                    long u = sortable(v);
                    if (((int) (u >>> shift) & mask) == digit) {
                        next[j++] = u;
                    }
                }
            } else {
                for (long u : rest) {
                    if (((int) (u >>> shift) & mask) == digit) {
                        next[j++] = u;
                    }
                }
            }
            rest = next;
        }
        // One value left, or the rest equal in every bit (lo == hi: all equal): map it back to its double.
        long key = (rest == null ? lo : rest[0]) ^ Long.MIN_VALUE;
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    private static final int RADIX_BITS = 11;

    /**
     * The bits of {@code v} as a {@code long} whose order, signed, is the order of the doubles, with the sign bit
     * flipped so that the unsigned order is it too (the digits read it unsigned); {@code -0.0} is first made
     * {@code 0.0}.
     */
    private static long sortable(double v) {
        long b = Double.doubleToRawLongBits(v + 0.0); // -0.0 + 0.0 == +0.0
        return (b ^ ((b >> 63) & Long.MAX_VALUE)) ^ Long.MIN_VALUE;
    }

    /** Sorts positions best first (higher score, then lower id, then lower position): a merge sort on ints. */
    private static void sortBestFirst(int[] positions, double[] scores, int[] ids) {
        int[] buffer = new int[positions.length];
        for (int width = 1; width < positions.length; width *= 2) {
            for (int lo = 0; lo < positions.length - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, positions.length);
                if (!before(positions[mid], positions[mid - 1], scores, ids)) {
                    continue; // already in order
                }
                System.arraycopy(positions, lo, buffer, lo, hi - lo);
                for (int a = lo, b = mid, out = lo; out < hi; out++) {
                    positions[out] = b >= hi || (a < mid && !before(buffer[b], buffer[a], scores, ids))
                            ? buffer[a++] : buffer[b++];
                }
            }
        }
    }

    /** Whether position {@code a} ranks strictly before position {@code b}. */
    private static boolean before(int a, int b, double[] scores, int[] ids) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && (ids[a] < ids[b] || (ids[a] == ids[b] && a < b)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopK t && function.equals(t.function) && name.equals(t.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
