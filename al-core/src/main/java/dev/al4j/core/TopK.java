package dev.al4j.core;

import java.util.Objects;

/**
 * Turns an {@link AcquisitionFunction} into a {@link QueryStrategy} that picks the {@code b} highest-scoring
 * candidates, highest first, ties toward the lower id.
 *
 * <p>Cost: one scoring call over the N candidates, then O(N log b) time and O(b) extra memory for the selection (a
 * bounded heap over primitive arrays). Immutable and thread-safe when the function is.
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
        Checks.checkArgument(model.numClasses() == pool.numClasses(),
                "model has %d classes but the pool has %d", model.numClasses(), pool.numClasses());
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        double[] scores = function.score(pool, model, candidates);
        Checks.checkArgument(scores != null && scores.length == candidates.length,
                "%s must return one score per candidate (%d), found %s", function, candidates.length,
                scores == null ? "null" : String.valueOf(scores.length));
        for (int i = 0; i < scores.length; i++) {
            Checks.checkArgument(Double.isFinite(scores[i]), "%s returned a non-finite score %s for id %d", function,
                    scores[i], candidates[i]);
        }
        int[] order = top(scores, candidates, budget);
        int[] ids = new int[order.length];
        double[] picked = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = candidates[order[i]];
            picked[i] = scores[order[i]];
        }
        return Selection.of(ids, picked, System.nanoTime() - start);
    }

    /**
     * The positions of the {@code k} best entries, best first: higher score first, then lower id. Positions index
     * {@code scores} and {@code ids}, which have equal length; scores must not be NaN.
     *
     * <p>O(n log k) time with a bounded min-heap of positions whose root is the worst kept entry.
     */
    public static int[] top(double[] scores, int[] ids, int k) {
        Checks.checkArgument(scores.length == ids.length, "scores and ids must have equal length, found %d and %d",
                scores.length, ids.length);
        Checks.checkNonNegative(k, "k");
        int m = Math.min(k, scores.length);
        int[] heap = new int[m];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            if (size < m) {
                heap[size] = i;
                siftUp(heap, size++, scores, ids);
            } else if (m > 0 && better(i, heap[0], scores, ids)) {
                heap[0] = i;
                siftDown(heap, size, scores, ids);
            }
        }
        // Pop worst-first into the tail so the result is best-first.
        int[] out = new int[size];
        for (int end = size - 1; end >= 0; end--) {
            out[end] = heap[0];
            heap[0] = heap[end];
            siftDown(heap, end, scores, ids);
        }
        return out;
    }

    private static boolean better(int a, int b, double[] scores, int[] ids) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && ids[a] < ids[b]);
    }

    private static void siftUp(int[] heap, int i, double[] scores, int[] ids) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(heap[parent], heap[i], scores, ids)) {
                break;
            }
            int t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, double[] scores, int[] ids) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int worst = i;
            if (l < size && better(heap[worst], heap[l], scores, ids)) {
                worst = l;
            }
            if (r < size && better(heap[worst], heap[r], scores, ids)) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            int t = heap[worst];
            heap[worst] = heap[i];
            heap[i] = t;
            i = worst;
        }
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
