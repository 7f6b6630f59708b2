package dev.al4j.strategies.diversity;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import dev.al4j.strategies.UncertaintySampling;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Diverse mini-batch active learning, DBAL (Zhdanov, "Diverse mini-batch Active Learning", arXiv:1901.05954, 2019,
 * Algorithm 1; seed 003 in {@code shared/seeds/} describes it as a two-stage combined strategy): keep the
 * {@code ρ·b} most informative candidates (default {@code ρ = 10}, informativeness the margin
 * uncertainty {@code 1 − (p₍₁₎ − p₍₂₎)} or any {@link AcquisitionFunction}), cluster them with k-means into {@code b}
 * clusters weighted by informativeness (weighted k-means++ seeding, then weighted Lloyd), and take the candidate
 * nearest each centre. The weights are the scores; if the lowest kept score is negative every weight is shifted by
 * it, so weights are non-negative. With {@code b >= N} every candidate is returned, ascending. Scores of the
 * selection are the acquisition scores of the picked ids.
 *
 * <p>The k-means++ seeds are {@link D2Sampler}'s D² draws (the textbook distribution; since 2026-12-07 a seed selects
 * other ids than before, as for {@link KMeansSampling}).
 *
 * <p>The model runs once: probabilities and embeddings of all candidates come from one pass, and a custom
 * acquisition function reads them from that pass.
 *
 * <p>Cost: O(N·(d + K)) to read and score, O((1 + I)·b·ρb·d) for k-means with I Lloyd iterations (at most
 * {@link #withMaxIterations}, default 10), on {@link #withParallelism} threads; memory O(N·(d + K) + b·d). Seeded at
 * construction; immutable and thread-safe when the acquisition function is.
 *
 * <pre>{@code
 * QueryStrategy dbal = Strategies.dbal().withPrefilterFactor(10).withSeed(1);
 * Selection next = dbal.select(pool, model, 100);   // model: an EmbeddingModel
 * }</pre>
 */
public final class DiverseMiniBatch implements QueryStrategy {

    static final double DEFAULT_FACTOR = 10;

    /** The default informativeness, margin uncertainty ({@code Strategies.margin()}). */
    static final AcquisitionFunction MARGIN = UncertaintySampling.of(UncertaintySampling.Measure.MARGIN);

    private final AcquisitionFunction acquisition;
    private final double factor;
    private final long seed;
    private final int maxIterations;
    private final int parallelism;

    private DiverseMiniBatch(AcquisitionFunction acquisition, double factor, long seed, int maxIterations,
            int parallelism) {
        this.acquisition = acquisition;
        this.factor = factor;
        this.seed = seed;
        this.maxIterations = maxIterations;
        this.parallelism = parallelism;
    }

    /** DBAL with margin uncertainty, {@code ρ = 10}, seed 0, at most 10 Lloyd iterations, every processor. */
    public static DiverseMiniBatch create() {
        return new DiverseMiniBatch(MARGIN, DEFAULT_FACTOR, 0,
                KMeansSampling.DEFAULT_MAX_ITERATIONS, 0);
    }

    /** A copy that pre-filters and weights by {@code acquisition} instead of margin uncertainty. */
    public DiverseMiniBatch withAcquisition(AcquisitionFunction acquisition) {
        Checks.checkNotNull(acquisition, "acquisition");
        return new DiverseMiniBatch(acquisition, factor, seed, maxIterations, parallelism);
    }

    /** A copy that keeps the top {@code ceil(ρ·b)} candidates, {@code ρ >= 1}. */
    public DiverseMiniBatch withPrefilterFactor(double rho) {
        Checks.checkArgument(rho >= 1 && rho < Double.POSITIVE_INFINITY, "prefilterFactor must be finite and >= 1, found %s",
                rho);
        return new DiverseMiniBatch(acquisition, rho, seed, maxIterations, parallelism);
    }

    /** A copy with another seed for the k-means++ seeding. */
    public DiverseMiniBatch withSeed(long seed) {
        return new DiverseMiniBatch(acquisition, factor, seed, maxIterations, parallelism);
    }

    /** A copy that runs at most {@code iterations >= 0} Lloyd updates. */
    public DiverseMiniBatch withMaxIterations(int iterations) {
        return new DiverseMiniBatch(acquisition, factor, seed, Checks.checkNonNegative(iterations, "maxIterations"),
                parallelism);
    }

    /**
     * A copy whose Java passes use at most {@code threads} threads (ND4J's gemm keeps its own BLAS threads); the
     * selection does not depend on it.
     */
    public DiverseMiniBatch withParallelism(int threads) {
        return new DiverseMiniBatch(acquisition, factor, seed, maxIterations, Parallelism.check(threads));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget, EmbeddingModel.class, this,
                (m, candidates, start) -> select(pool, m, budget, candidates, start));
    }

    private Selection select(Pool pool, EmbeddingModel m, int budget, int[] candidates, long start) {
        ModelOutputs out = ModelOutputs.read(m, pool, candidates, true);
        double[] scores = score(acquisition, pool, m, out);
        int n = candidates.length;
        if (budget >= n) {
            return Selection.of(candidates, scores, System.nanoTime() - start);
        }
        int keep = (int) Math.min(n, Math.ceil(factor * budget));
        int[] kept = TopK.top(scores, candidates, keep);
        Arrays.sort(kept); // row order = id order
        EmbeddingTiles sub = subset(out.embeddings, kept);
        double[] weights = new double[keep];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < keep; i++) {
            weights[i] = scores[kept[i]];
            min = Math.min(min, weights[i]);
        }
        if (min < 0) {
            for (int i = 0; i < keep; i++) {
                weights[i] -= min;
            }
        }
        LloydKMeans.Clustering clustering = LloydKMeans.run(sub, weights, budget, maxIterations,
                new SplittableRandom(seed), Parallelism.threads(parallelism));
        int[] rows = LloydKMeans.representatives(clustering, budget);
        int[] ids = new int[rows.length];
        double[] picked = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids[i] = candidates[kept[rows[i]]];
            picked[i] = scores[kept[rows[i]]];
        }
        return Selection.of(ids, picked, System.nanoTime() - start);
    }

    /** Scores every read id with {@code acquisition}, reading model outputs from {@code out}; checks the result. */
    static double[] score(AcquisitionFunction acquisition, Pool pool, EmbeddingModel model, ModelOutputs out) {
        double[] scores = acquisition.score(pool, new OutputCache(model, pool, out), out.ids.clone());
        checkScores(acquisition, scores, out.ids);
        return scores;
    }

    /** Checks one finite score per id. */
    static void checkScores(AcquisitionFunction acquisition, double[] scores, int[] ids) {
        Checks.checkArgument(scores != null && scores.length == ids.length,
                "%s must return one score per candidate (%d), found %s", acquisition, ids.length,
                scores == null ? "null" : String.valueOf(scores.length));
        for (int i = 0; i < scores.length; i++) {
            Checks.checkArgument(Double.isFinite(scores[i]), "%s returned a non-finite score %s for id %d",
                    acquisition, scores[i], ids[i]);
        }
    }

    /** The rows {@code rows} (ascending) of {@code x} as new tiles. */
    static EmbeddingTiles subset(EmbeddingTiles x, int[] rows) {
        int d = x.dimension();
        EmbeddingTiles sub = EmbeddingTiles.allocate(rows.length, d);
        float[] buffer = new float[d];
        for (int i = 0; i < rows.length; i++) {
            x.copyRow(rows[i], buffer, 0);
            sub.setRows(i, buffer, 0, 1);
        }
        return sub;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiverseMiniBatch s && s.acquisition.equals(acquisition) && s.factor == factor
                && s.seed == seed && s.maxIterations == maxIterations && s.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(acquisition, factor, seed, maxIterations, parallelism);
    }

    @Override
    public String toString() {
        return "Strategies.dbal()"
                + (!acquisition.equals(MARGIN) ? ".withAcquisition(" + acquisition + ")" : "")
                + (factor != DEFAULT_FACTOR ? ".withPrefilterFactor(" + factor + ")" : "")
                + ".withSeed(" + seed + ")"
                + (maxIterations != KMeansSampling.DEFAULT_MAX_ITERATIONS ? ".withMaxIterations(" + maxIterations + ")"
                        : "")
                + (parallelism > 0 ? ".withParallelism(" + parallelism + ")" : "");
    }
}
