package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Bayesian uncertainty sampling over {@code T} stochastic forward passes (MC dropout, Gal and Ghahramani 2016; the
 * survey, seed 003 appendix D.2, uses {@code T = 10}, SCAL, seed 000 appendix A, {@code T = 50}):
 * selects the {@code b} candidates with the highest score of one {@link Measure} computed from the
 * {@code [T, N, K]} probabilities of a {@link StochasticModel}. The acquisition functions are those of Gal, Islam
 * and Ghahramani 2017, "Deep Bayesian Active Learning with Image Data" (ICML):
 * <ul>
 *   <li>{@link Measure#BALD BALD} (Houlsby, Huszár, Ghahramani and Lengyel 2011): the mutual information between
 *       the label and the model parameters, estimated as {@code H[mean_t p_t] − mean_t H[p_t]};</li>
 *   <li>{@link Measure#MEAN_STD MeanSTD} (Kampffmeyer, Salberg and Jenssen 2016):
 *       {@code (1/K) Σ_k sqrt(E_t[p_tk²] − E_t[p_tk]²)};</li>
 *   <li>{@link Measure#VARIATION_RATIO variation ratio} (Freeman 1965): {@code 1 − f_m / T}, {@code f_m} the
 *       number of passes whose predicted class is the modal one;</li>
 *   <li>{@link Measure#ENTROPY entropy}, {@link Measure#MARGIN margin} and
 *       {@link Measure#LEAST_CONFIDENCE least confidence} of the mean prediction {@code mean_t p_t}: "Max Entropy"
 *       in Gal et al. 2017, and EntropyD, MarginD, LeastConfD in Zhan et al. 2022, "A Comparative Survey of Deep
 *       Active Learning".</li>
 * </ul>
 * The scores are those of {@link UncertaintyScores}; higher = more informative.
 *
 * <p>The model must be a {@link StochasticModel}; any other model fails at once with an
 * {@link IllegalArgumentException} naming this strategy and the capability. The number of passes is
 * {@link #withPasses(int)} or, by default, the model's {@link StochasticModel#defaultPasses()}; the
 * {@link #withSeed(long) seed} (default 0) is handed to the model, so the same seed gives the same passes and the
 * same selection.
 *
 * <p>Cost: {@code T} stochastic forward passes over the N candidates; O(T·N·K) time to score ({@code T·N·K}
 * logarithms for BALD, none for MeanSTD), O(N + b log b) to select (BALD: a log-free bound over every value, then
 * an approximate logarithm only for the rows it cannot rule out; the entropy of the mean: an approximate logarithm
 * for every value; both {@code Math.log} only for the about {@code b} candidates that decide the selection);
 * O(T·N·K) memory for the passes pulled as floats (BALD: none when a {@code PrecomputedModel} lends its passes, 8
 * bytes per candidate for the bound). Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy strategy = Strategies.bald().withPasses(20).withSeed(7);
 * Selection next = strategy.select(pool, mcDropoutModel, 100);
 * double[] mi = Strategies.bald().score(pool, mcDropoutModel, pool.candidates());
 * }</pre>
 */
public final class BayesianUncertaintySampling implements QueryStrategy, AcquisitionFunction {

    /** How uncertainty is measured from {@code T} passes. */
    public enum Measure {
        /** Mutual information {@code H[mean_t p_t] − mean_t H[p_t]}, in {@code [0, log K]}. */
        BALD("bald", UncertaintyScores::bald),
        /** Mean over classes of the standard deviation of {@code p_k} across passes, in {@code [0, 1/2]}. */
        MEAN_STD("meanStd", UncertaintyScores::meanStd),
        /** Entropy of the mean prediction, in {@code [0, log K]}. */
        ENTROPY("entropyMc", UncertaintyScores::entropyMc),
        /** Margin score {@code 1 − (p_(1) − p_(2))} of the mean prediction, in {@code [0, 1]}. */
        MARGIN("marginMc", UncertaintyScores::marginMc),
        /** Least-confidence score {@code 1 − p_(1)} of the mean prediction, in {@code [0, 1 − 1/K]}. */
        LEAST_CONFIDENCE("leastConfidenceMc", UncertaintyScores::leastConfidenceMc),
        /** Variation ratio {@code 1 − f_m / T} of the passes' votes, in {@code [0, 1 − 1/K]}. */
        VARIATION_RATIO("variationRatioMc", UncertaintyScores::variationRatioMc);

        /** Scores {@code n} candidates from their {@code T} passes of {@code k} probabilities. */
        private interface PassScores {
            double[] score(float[][] passes, int n, int k);
        }

        private final String factory;
        private final PassScores scores;

        Measure(String factory, PassScores scores) {
            this.factory = factory;
            this.scores = scores;
        }

        /**
         * Scores {@code n} rows over {@code T = passes.length} passes, each pass {@code n} rows of {@code k}
         * probabilities row-major, with exactly the kernel whose scores {@link BayesianUncertaintySampling#select}
         * ranks by (the same bits): the entry point for callers that hold the rows as Java arrays, e.g. al-spark
         * scoring one partition. The rows are not validated here: check them first
         * ({@link UncertaintyScores#isProbabilityRow}). O(T·n·K) time; thread-safe.
         *
         * @throws IllegalArgumentException when a pass does not hold {@code n·k} values, or {@code T < 1} or
         *     {@code k < 1}
         */
        public double[] scoreRows(float[][] passes, int n, int k) {
            Checks.checkNotNull(passes, "passes");
            Checks.checkArgument(passes.length >= 1 && k >= 1 && n >= 0, "passes must hold T >= 1 passes of n = %d"
                    + " rows of k = %d >= 1 values, found %d passes", n, k, passes.length);
            for (int t = 0; t < passes.length; t++) {
                Checks.checkArgument(passes[t] != null && passes[t].length == (long) n * k,
                        "passes[%d] must hold n = %d rows of k = %d values", t, n, k);
            }
            return score(passes, n, k);
        }

        double[] score(float[][] passes, int n, int k) {
            return scores.score(passes, n, k);
        }
    }

    private static final int MODEL_DEFAULT = QueryOutputs.MODEL_DEFAULT_PASSES;
    private static final String OUTPUTS = "model stochastic probabilities";

    private final Measure measure;
    private final int passes; // MODEL_DEFAULT: the model's defaultPasses()
    private final long seed;

    private BayesianUncertaintySampling(Measure measure, int passes, long seed) {
        this.measure = measure;
        this.passes = passes;
        this.seed = seed;
    }

    /** The strategy for {@code measure}, with the model's default passes and seed 0. */
    public static BayesianUncertaintySampling of(Measure measure) {
        return new BayesianUncertaintySampling(Checks.checkNotNull(measure, "measure"), MODEL_DEFAULT, 0L);
    }

    /** A copy that asks the model for {@code passes >= 1} stochastic passes. */
    public BayesianUncertaintySampling withPasses(int passes) {
        Checks.checkArgument(passes >= 1, "passes must be >= 1, found %d", passes);
        return new BayesianUncertaintySampling(measure, passes, seed);
    }

    /** A copy that hands {@code seed} to the model's stochastic passes. */
    public BayesianUncertaintySampling withSeed(long seed) {
        return new BayesianUncertaintySampling(measure, passes, seed);
    }

    /** The uncertainty measure. */
    public Measure measure() {
        return measure;
    }

    /** The number of passes, or empty when the model's default is used. */
    public OptionalInt passes() {
        return passes == MODEL_DEFAULT ? OptionalInt.empty() : OptionalInt.of(passes);
    }

    /** The seed handed to the model. */
    public long seed() {
        return seed;
    }

    /**
     * Scores {@code ids} with one call to {@code stochasticProbabilities}.
     *
     * @throws IllegalArgumentException when the model is not a {@link StochasticModel}, its class count differs from
     *     the pool's, or its passes have the wrong shape, hold NaN or infinity, or have rows that do not sum to 1
     */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        StochasticModel stochastic = Capabilities.require(model, StochasticModel.class, this);
        Checks.checkClasses(pool, model);
        Checks.checkNotNull(ids, "ids");
        if (ids.length == 0) {
            return new double[0];
        }
        int t = QueryOutputs.passes(stochastic, passes);
        float[][] samples = QueryOutputs.passes(pool, stochastic, ids, t, seed, OUTPUTS);
        return measure.score(samples, ids.length, pool.numClasses());
    }

    /**
     * {@inheritDoc}
     *
     * <p>The selection is {@code TopK.of(this).select(pool, model, budget)}'s, bit for bit (ids, order, scores), made
     * faster: BALD first rules out, with an exact log-free bound ({@link UncertaintyBounds}: a weighted χ² above
     * the mean Kullback–Leibler divergence of the passes from their mean, which BALD is), the candidates whose BALD is
     * certainly below the {@code b}-th, reading a {@code PrecomputedModel}'s passes in place; BALD (on the rest) and
     * the entropy of the mean screen the candidates with an approximate logarithm and compute {@link Math#log} only
     * for those that can still be in the top {@code b} ({@link ScreenedTopK}); the other measures score every
     * candidate exactly and need no logarithm.
     */
    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        StochasticModel stochastic = Capabilities.require(model, StochasticModel.class, this); // even for budget 0
        int[] candidates = QueryOutputs.candidates(pool, model, budget);
        if (candidates == null) {
            return QueryOutputs.empty(start);
        }
        int n = candidates.length;
        int k = pool.numClasses();
        int t = QueryOutputs.passes(stochastic, passes);
        if (measure != Measure.BALD && measure != Measure.ENTROPY && measure != Measure.MEAN_STD) {
            float[][] samples = QueryOutputs.passes(pool, stochastic, candidates, t, seed, OUTPUTS);
            return ScreenedTopK.select(candidates, measure.score(samples, n, k), budget, this, start);
        }
        if (measure == Measure.BALD && budget < n) {
            // The log-free bound of UncertaintyBounds on the passes in place (a PrecomputedModel's own, no copy); only
            // the rows it cannot rule out are copied, screened with FastLog and rescored exactly.
            QueryOutputs.InPlaceRows rows = QueryOutputs.passesInPlace(pool, stochastic, candidates, t, seed, OUTPUTS);
            int[] kept = UncertaintyBounds.baldCandidates(rows, n, k, budget,
                    () -> QueryOutputs.passes(pool, stochastic, candidates, t, seed, OUTPUTS));
            if (kept != null) {
                return screenedBald(UncertaintyBounds.at(candidates, kept),
                        rows.gather(k, kept), k, budget, start);
            }
            return screenedBald(candidates, rows.owned(n, k), k, budget, start);
        }
        // These kernels check the values as they sum the rows (a bad row scores NaN): the passes are read once.
        float[][] samples = QueryOutputs.passesForCheckingKernel(pool, stochastic, candidates, t, seed, OUTPUTS);
        switch (measure) {
            case BALD:
                return screenedBald(candidates, samples, k, budget, start);
            case ENTROPY: {
                double[] approximate = UncertaintyScreens.entropyMc(samples, n, k);
                QueryOutputs.checkScored(approximate, samples, k, OUTPUTS);
                return ScreenedTopK.select(candidates, approximate, UncertaintyScreens.entropyBound(k),
                        (positions, from, to, out) -> {
                            double[] mean = new double[k];
                            double[] row = new double[k];
                            for (int j = from; j < to; j++) {
                                out[j] = UncertaintyScores.entropyMcRow(samples, positions[j], k, mean, row);
                            }
                        }, (long) t * k + k * ScreenedTopK.LOG_WORK, budget, this, start);
            }
            default: {
                double[] scores = UncertaintyScores.meanStd(samples, n, k);
                QueryOutputs.checkScored(scores, samples, k, OUTPUTS);
                return ScreenedTopK.select(candidates, scores, budget, this, start);
            }
        }
    }

    /** The top {@code budget} of {@code candidates} by BALD, row {@code j} of each pass being candidate j's. */
    private Selection screenedBald(int[] candidates, float[][] samples, int k, int budget, long start) {
        int n = candidates.length;
        int t = samples.length;
        double[] approximate = UncertaintyScreens.bald(samples, n, k);
        QueryOutputs.checkScored(approximate, samples, k, OUTPUTS);
        return ScreenedTopK.select(candidates, approximate, UncertaintyScreens.baldBound(k, t),
                (positions, from, to, out) -> {
                    double[] mean = new double[k];
                    double[] entropySum = new double[1];
                    double[] row = new double[k];
                    for (int j = from; j < to; j++) {
                        out[j] = UncertaintyScores.baldRow(samples, positions[j], k, mean, entropySum, row);
                    }
                }, (t + 1L) * k * ScreenedTopK.LOG_WORK, budget, this, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BayesianUncertaintySampling b && measure == b.measure && passes == b.passes
                && seed == b.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(measure.name(), passes, seed);
    }

    @Override
    public String toString() {
        return "Strategies." + measure.factory + "()" + (passes == MODEL_DEFAULT ? "" : ".withPasses(" + passes + ")")
                + (seed == 0 ? "" : ".withSeed(" + JavaLiterals.ofLong(seed) + ")");
    }
}
