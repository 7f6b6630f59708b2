package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;

/**
 * The top-{@code b} candidates by an exact score that is expensive (a {@link Math#log} per value), computed exactly
 * only for the candidates that a cheap approximate score cannot rule out; the selection (ids, order and scores) is
 * the one that {@link TopK} makes from the exact scores of every candidate.
 *
 * <p>Why it is the same selection: let every approximate score be within {@code δ} of its exact score, and
 * {@code τ} the {@code b}-th largest approximate score. At least {@code b} candidates have an approximate score
 * {@code ≥ τ}, so an exact score {@code ≥ τ − δ}: the {@code b}-th largest exact score is {@code ≥ τ − δ}. A
 * candidate whose approximate score is below {@code τ − 2δ} has an exact score below {@code τ − δ}, strictly below
 * the {@code b}-th exact score, so it is not in the exact top {@code b}, whatever the ties. The candidates kept
 * (approximate score {@code ≥ τ − 3δ}: one more {@code δ} covers the rounding of {@code τ − 3δ} itself) therefore
 * hold the whole exact top {@code b}; ranking them by their exact scores, ties toward the lower id, gives the same
 * ids in the same order with the same scores. {@code UncertaintySelectionTest} checks it against the exact path on
 * random and adversarial inputs (ties, duplicate rows, one-hot and uniform rows).
 *
 * <p>Cost: the approximate pass, {@code O(n)} to find {@code τ}, the exact score of the kept candidates (about
 * {@code b}, more only when many scores lie within {@code 3δ} of {@code τ}) and {@code O(b log b)} to rank them.
 */
final class ScreenedTopK {

    /** Exact scores of some candidates, by their positions in the candidate array. */
    @FunctionalInterface
    interface ExactScores {
        /**
         * Writes the exact score of candidate {@code positions[j]} to {@code out[j]} for {@code j} in
         * {@code [from, to)}; called from several threads at once on disjoint ranges.
         */
        void score(int[] positions, int from, int to, double[] out);
    }

    /**
     * The work of one {@link Math#log} in units of {@link UncertaintyScores#forRowRanges}' values (a value summed
     * and scaled): about eight, measured on this project's machine, so that the exact scores of about {@code b}
     * candidates go to both cores when they hold enough logarithms.
     */
    static final long LOG_WORK = 8;

    private ScreenedTopK() {}

    /** The top {@code budget} of {@code scores} (one per candidate, exact), as {@link TopK#select} picks them. */
    static Selection select(int[] candidates, double[] scores, int budget, Object function, long start) {
        checkFinite(scores, candidates, candidates.length, function);
        return TopK.selection(candidates, scores, budget, start);
    }

    /**
     * The top {@code budget} candidates by their exact scores, given approximate scores each within {@code bound} of
     * the exact one; {@code exact} is called for the candidates the screen keeps, split over the processors when
     * their {@code workPerRow} adds up to enough (see {@link UncertaintyScores#forRowRanges}).
     */
    static Selection select(int[] candidates, double[] approximate, double bound, ExactScores exact,
            long workPerRow, int budget, Object function, long start) {
        int n = candidates.length;
        int m = Math.min(budget, n);
        int[] kept;
        if (m == n) {
            kept = new int[n];
            for (int i = 0; i < n; i++) {
                kept[i] = i;
            }
        } else {
            double limit = TopK.kthLargest(approximate, m) - 3 * bound;
            int count = 0;
            for (double a : approximate) {
                if (a >= limit) {
                    count++;
                }
            }
            kept = new int[count];
            for (int i = 0, j = 0; i < n; i++) {
                if (approximate[i] >= limit) {
                    kept[j++] = i;
                }
            }
        }
        double[] scores = new double[kept.length];
        int[] rows = kept;
        UncertaintyScores.forRowRanges(kept.length, workPerRow, (from, to) -> exact.score(rows, from, to, scores));
        int[] keptIds = new int[kept.length];
        for (int j = 0; j < kept.length; j++) {
            keptIds[j] = candidates[kept[j]];
        }
        checkFinite(scores, keptIds, kept.length, function);
        int[] order = TopK.top(scores, keptIds, m);
        int[] ids = new int[order.length];
        double[] picked = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = keptIds[order[i]];
            picked[i] = scores[order[i]];
        }
        return Selection.of(ids, picked, System.nanoTime() - start);
    }

    private static void checkFinite(double[] scores, int[] ids, int n, Object function) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) { // test first: the message's arguments are boxed only on failure
                Checks.checkArgument(false, "%s returned a non-finite score %s for id %d", function, scores[i],
                        ids[i]);
            }
        }
    }
}
