package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;

/**
 * Uncertainty sampling with one model: selects the {@code b} candidates whose predicted class distribution is the
 * most uncertain under one of four {@link Measure measures} (Lewis and Gale 1994; Settles 2009, "Active Learning
 * Literature Survey", sec. 3.1):
 * <ul>
 *   <li>{@link Measure#ENTROPY entropy} {@code −Σ_k p_k log p_k} (Shannon 1948);</li>
 *   <li>{@link Measure#MARGIN margin} {@code 1 − (p_(1) − p_(2))}, the smaller the gap between the two most likely
 *       classes the higher (Scheffer, Decomain and Wrobel 2001);</li>
 *   <li>{@link Measure#LEAST_CONFIDENCE least confidence} {@code 1 − p_(1)} (Culotta and McCallum 2005);</li>
 *   <li>{@link Measure#VARIATION_RATIO variation ratio} {@code 1 − p_(1)} (Freeman 1965), which for one model ranks
 *       exactly like least confidence; the form that counts votes over MC-dropout passes is
 *       {@link Strategies#variationRatioMc()}.</li>
 * </ul>
 * The scores are those of {@link UncertaintyScores}; higher = more informative.
 *
 * <p>It is both an {@link AcquisitionFunction} ({@link #score}: one model call over the ids, outputs validated) and
 * a {@link QueryStrategy} ({@link #select}: the top-{@code b} scores as {@link TopK} picks them, ties toward the lower
 * id).
 *
 * <p>Cost: one forward pass over the N candidates; O(N·K) time to score, O(N + b log b) to select (entropy: one
 * log-free pass over the values, an approximate logarithm only for the rows it cannot rule out, {@code Math.log}
 * only for the about {@code b} candidates that decide the selection); O(N·K) memory for the probabilities pulled
 * as floats (entropy: none when a {@code PrecomputedModel} lends its rows, 21 bytes per candidate for the bound).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy strategy = Strategies.margin();
 * Selection next = strategy.select(pool, model, 100);
 * double[] scores = Strategies.margin().score(pool, model, pool.candidates());
 * }</pre>
 */
public final class UncertaintySampling implements QueryStrategy, AcquisitionFunction {

    /** How uncertainty is measured on a row of class probabilities. */
    public enum Measure {
        /** Entropy {@code −Σ_k p_k log p_k}, in {@code [0, log K]}. */
        ENTROPY("entropy", UncertaintyScores::entropy),
        /** Margin score {@code 1 − (p_(1) − p_(2))}, in {@code [0, 1]}. */
        MARGIN("margin", UncertaintyScores::margin),
        /** Least-confidence score {@code 1 − p_(1)}, in {@code [0, 1 − 1/K]}. */
        LEAST_CONFIDENCE("leastConfidence", UncertaintyScores::leastConfidence),
        /** Variation ratio {@code 1 − p_(1)} of the predictive distribution, in {@code [0, 1 − 1/K]}. */
        VARIATION_RATIO("variationRatio", UncertaintyScores::variationRatio);

        /** Scores {@code n} rows of {@code k} probabilities, row-major. */
        private interface RowScores {
            double[] score(float[] p, int n, int k);
        }

        private final String factory;
        private final RowScores scores;

        Measure(String factory, RowScores scores) {
            this.factory = factory;
            this.scores = scores;
        }

        /**
         * Scores {@code n} rows of {@code k} probabilities, row-major in {@code p}, with exactly the kernel that
         * {@link UncertaintySampling#select} ranks by (the same bits): the entry point for callers that hold the rows
         * as Java arrays, e.g. al-spark scoring one partition. The rows are not validated here: check them first
         * ({@link UncertaintyScores#isProbabilityRow}); a row that fails those tests scores NaN or an unspecified
         * value. O(n·K) time; thread-safe.
         *
         * @throws IllegalArgumentException when {@code p.length != n·k} or {@code k < 1}
         */
        public double[] scoreRows(float[] p, int n, int k) {
            Checks.checkNotNull(p, "p");
            Checks.checkArgument(k >= 1 && n >= 0 && p.length == (long) n * k,
                    "p must hold n = %d rows of k = %d values, found %d values", n, k, p.length);
            return score(p, n, k);
        }

        double[] score(float[] p, int n, int k) {
            return scores.score(p, n, k);
        }
    }

    private static final String OUTPUTS = "model probabilities";

    private final Measure measure;

    private UncertaintySampling(Measure measure) {
        this.measure = measure;
    }

    /** The strategy for {@code measure}; {@link Strategies#entropy()} and its siblings are the usual entry. */
    public static UncertaintySampling of(Measure measure) {
        return new UncertaintySampling(Checks.checkNotNull(measure, "measure"));
    }

    /** The uncertainty measure. */
    public Measure measure() {
        return measure;
    }

    /**
     * Scores {@code ids} with one call to {@code model.probabilities}.
     *
     * @throws IllegalArgumentException when the model's class count differs from the pool's, or its probabilities
     *     have the wrong shape, hold NaN or infinity, or have rows that do not sum to 1
     */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        QueryOutputs.beginScores(pool, model, ids);
        if (ids.length == 0) {
            return new double[0];
        }
        float[] p = QueryOutputs.probabilities(pool, model, ids, OUTPUTS);
        return measure.score(p, ids.length, pool.numClasses());
    }

    /**
     * {@inheritDoc}
     *
     * <p>The selection is {@code TopK.of(this).select(pool, model, budget)}'s, bit for bit (ids, order, scores), made
     * faster: entropy first rules out, with an exact log-free bound ({@link UncertaintyBounds}: the grouped entropy
     * bound, seed 001's entropy), the candidates whose entropy is certainly below the {@code b}-th, reading a
     * {@code PrecomputedModel}'s rows in place; then it screens the rest with an approximate logarithm and computes
     * {@link Math#log} only for those that can still be in the top {@code b} ({@link ScreenedTopK}); below
     * {@link #SCREEN_EVERY_ROW_BELOW} candidates whose rows the model vouches for, once the Vector API kernel is warm,
     * the screen of every row by {@link EntropyScreenSimd} replaces the bound and its probe. The other measures score
     * every candidate exactly and need no logarithm.
     */
    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget,
                (candidates, start) -> select(pool, model, budget, candidates, start));
    }

    private Selection select(Pool pool, Model model, int budget, int[] candidates, long start) {
        int n = candidates.length;
        int k = pool.numClasses();
        if (measure == Measure.ENTROPY && budget < n) {
            // The log-free bound of UncertaintyBounds on the rows in place (a PrecomputedModel's own, no copy); only
            // the rows it cannot rule out are copied, screened with FastLog and rescored exactly.
            QueryOutputs.InPlaceRows rows = QueryOutputs.probabilitiesInPlace(pool, model, candidates, OUTPUTS);
            if (screensEveryRow(rows, n, k)) {
                return screenedEntropyInPlace(candidates, rows, k, budget, this, start);
            }
            int[] kept = UncertaintyBounds.entropyCandidates(rows, n, k, budget,
                    () -> QueryOutputs.probabilities(pool, model, candidates, OUTPUTS));
            if (kept != null) {
                return screenedEntropy(UncertaintyBounds.at(candidates, kept),
                        rows.gather(k, kept)[0], k, budget, start);
            }
            return screenedEntropy(candidates, rows.owned(n, k)[0], k, budget, start);
        }
        // Every kernel below checks the values as it sums the rows (a bad row scores NaN): the rows are read once.
        float[] p = QueryOutputs.probabilitiesForCheckingKernel(pool, model, candidates, OUTPUTS);
        if (measure != Measure.ENTROPY) {
            double[] scores = measure.score(p, n, k);
            QueryOutputs.checkScored(scores, p, k, candidates, OUTPUTS);
            return ScreenedTopK.select(candidates, scores, budget, this, start);
        }
        return screenedEntropy(candidates, p, k, budget, start);
    }

    /**
     * Rows below which {@link EntropyScreenSimd}'s screen of every row replaces the grouped bound and its probe
     * ({@link UncertaintyBounds#entropyCandidates}), which read 6 bytes per row but then screen the probe's and the
     * survivors' rows with {@link FastLog}. At the SCAL setting's 10⁴ rows the screen of every row is the cheaper
     * (0.19–0.21 ms, and 0.56 against 1.19 ms per warm query, benchmarks/README.md); at 10⁶ the bound, which skips most
     * rows' logarithms, is. The crossover between them was not measured: 2¹⁶ is a chosen value between the two.
     */
    static final int SCREEN_EVERY_ROW_BELOW = 1 << 16;

    /**
     * {@link EntropyScreenSimd}'s gate ({@link dev.al4j.strategies.internal.Simd.Gate}): two queries at 10⁴ × 10, then
     * the kernel's warm-up on a daemon thread (a lambda, so that this class never links the kernel without the module).
     */
    private static final dev.al4j.strategies.internal.Simd.Gate SCREEN_GATE =
            new dev.al4j.strategies.internal.Simd.Gate(1L << 21, () -> EntropyScreenSimd.warmUp());

    /** Whether the entropy of these rows goes through {@link EntropyScreenSimd} (checked rows, SIMD on, few rows). */
    private static boolean screensEveryRow(QueryOutputs.InPlaceRows rows, int n, int k) {
        return rows.checked() && rows.values().length == 1 && n < SCREEN_EVERY_ROW_BELOW
                && dev.al4j.strategies.internal.Simd.ENABLED && EntropyScreenSimd.fits(k)
                && SCREEN_GATE.simd((long) n * k);
    }

    /**
     * The top {@code budget} of {@code candidates} by entropy, read in place from checked rows: {@link
     * EntropyScreenSimd}'s approximate entropy of every row, then {@link ScreenedTopK} with the exact entropy of the
     * rows it keeps, the bits of {@link UncertaintyScores#entropyRow}.
     */
    static Selection screenedEntropyInPlace(int[] candidates, QueryOutputs.InPlaceRows rows, int k, int budget,
            Object function, long start) {
        int n = candidates.length;
        float[] p = rows.values()[0];
        int base = rows.offsets()[0];
        int[] ids = rows.rows(); // null: row i is at base + i·k
        double[] approximate = new double[n];
        UncertaintyScores.forRowRanges(n, k * ScreenedTopK.LOG_WORK,
                (from, to) -> EntropyScreenSimd.entropy(p, base, ids, k, from, to, approximate));
        ScreenedTopK.ExactScores exact = (positions, from, to, out) -> {
            double[] row = new double[k];
            for (int j = from; j < to; j++) {
                int i = positions[j];
                UncertaintyScores.loadNormalised(p, base + (ids == null ? i : ids[i]) * k, k, row, 0);
                out[j] = UncertaintyScores.rowEntropy(row, 0, k);
            }
        };
        return ScreenedTopK.select(candidates, approximate, EntropyScreenSimd.bound(k), exact,
                k * ScreenedTopK.LOG_WORK, budget, function, start);
    }

    /** The top {@code budget} of {@code candidates} by entropy, row {@code j} of {@code p} being candidate j's. */
    private Selection screenedEntropy(int[] candidates, float[] p, int k, int budget, long start) {
        int n = candidates.length;
        double[] approximate = UncertaintyScreens.entropy(p, n, k);
        QueryOutputs.checkScored(approximate, p, k, candidates, OUTPUTS);
        ScreenedTopK.ExactScores exact = (positions, from, to, out) -> {
            double[] row = new double[k];
            for (int j = from; j < to; j++) {
                out[j] = UncertaintyScores.entropyRow(p, positions[j], k, row);
            }
        };
        return ScreenedTopK.select(candidates, approximate, UncertaintyScreens.entropyBound(k), exact,
                k * ScreenedTopK.LOG_WORK, budget, this, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UncertaintySampling u && measure == u.measure;
    }

    @Override
    public int hashCode() {
        return measure.name().hashCode();
    }

    @Override
    public String toString() {
        return "Strategies." + measure.factory + "()";
    }
}
