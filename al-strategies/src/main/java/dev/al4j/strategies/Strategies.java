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

    // --- the seed papers' methods --------------------------------------------------------------------------------

    /**
     * Feature-similarity selection, the query of SCAL (Krishnan et al. 2021, eq. 2): per predicted class, the
     * candidates least similar (cosine) to the labeled samples of that class, {@code b / K} per class. See
     * {@link FeatureSimilaritySampling}.
     */
    public static FeatureSimilaritySampling featureSimilarity() {
        return new FeatureSimilaritySampling();
    }

    /**
     * Deep feature modeling (Krishnan et al. 2021, eq. 3): the candidates worst reconstructed by the PCA of their
     * predicted class's labeled features. See {@link DeepFeatureModelingSampling}.
     */
    public static DeepFeatureModelingSampling deepFeatureModeling() {
        return DeepFeatureModelingSampling.create();
    }

    /**
     * Contrastive active learning (Margatina et al. 2021): the candidates whose predictions diverge most (KL) from
     * those of their nearest labeled neighbours in feature space. See {@link ContrastiveActiveLearning}.
     */
    public static ContrastiveActiveLearning contrastiveActiveLearning() {
        return ContrastiveActiveLearning.create();
    }
}
