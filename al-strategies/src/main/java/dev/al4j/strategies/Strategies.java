package dev.al4j.strategies;

/**
 * Factories for every query strategy in al-strategies. Each returns an immutable, thread-safe strategy whose
 * {@code toString()} echoes how to build it.
 *
 * <pre>{@code
 * Selection next = Strategies.entropy().select(pool, model, 1000);
 * }</pre>
 */
public final class Strategies {

    private Strategies() {}

    // --- random --------------------------------------------------------------------------------------------------

    // --- uncertainty (single model) ------------------------------------------------------------------------------

    // --- Bayesian (MC dropout) and committee ---------------------------------------------------------------------

    // --- diversity and hybrids -----------------------------------------------------------------------------------

    /** Greedy k-center / core-set (Sener &amp; Savarese 2018); needs an {@code EmbeddingModel}. */
    public static dev.al4j.strategies.diversity.KCenterGreedy kCenterGreedy() {
        return dev.al4j.strategies.diversity.KCenterGreedy.create();
    }

    /** BADGE (Ash et al. 2020), seed 0; needs an {@code EmbeddingModel}. */
    public static dev.al4j.strategies.diversity.BadgeSampling badge() {
        return dev.al4j.strategies.diversity.BadgeSampling.create();
    }

    /** k-means sampling (k = b, candidate nearest each centroid), seed 0; needs an {@code EmbeddingModel}. */
    public static dev.al4j.strategies.diversity.KMeansSampling kMeans() {
        return dev.al4j.strategies.diversity.KMeansSampling.create();
    }

    /** DBAL, diverse mini-batch AL (Zhdanov 2019), seed 0; needs an {@code EmbeddingModel}. */
    public static dev.al4j.strategies.diversity.DiverseMiniBatch dbal() {
        return dev.al4j.strategies.diversity.DiverseMiniBatch.create();
    }

    /** Cluster-Margin (Citovsky et al. 2021); needs an {@code EmbeddingModel}. */
    public static dev.al4j.strategies.diversity.ClusterMargin clusterMargin() {
        return dev.al4j.strategies.diversity.ClusterMargin.create();
    }

    /** A weighted sum of min-max-normalised acquisition functions; add terms with {@code plus}. */
    public static dev.al4j.strategies.diversity.WeightedSum weightedSum(dev.al4j.core.AcquisitionFunction term,
            double weight) {
        return dev.al4j.strategies.diversity.WeightedSum.of(term, weight);
    }

    /** The first stage of a hybrid: {@code prefilter(acquisition, factor).then(batchStrategy)}. */
    public static dev.al4j.strategies.diversity.Prefilter prefilter(dev.al4j.core.AcquisitionFunction acquisition,
            double factor) {
        return dev.al4j.strategies.diversity.Prefilter.of(acquisition, factor);
    }

    // --- the seed papers' methods --------------------------------------------------------------------------------
}
