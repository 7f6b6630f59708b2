package dev.al4j.strategies;

import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.StrategyCatalog.Reads;
import java.util.Collections;
import java.util.List;

/**
 * Factories for every query strategy in al-strategies. Each returns an immutable, thread-safe strategy whose
 * {@code toString()} echoes how to build it. {@link #catalog()} lists them by name, with what each reads and costs.
 *
 * <pre>{@code
 * Selection next = Strategies.entropy().select(pool, model, 1000);
 * }</pre>
 */
public final class Strategies {

    private Strategies() {}

    private static final StrategyCatalog CATALOG = StrategyCatalog.of(List.of(
            Entry.of("random", "random", Reads.NOTHING, "O(N log b)", s -> random().withSeed(s.seed())),
            Entry.of("entropy", "entropy", Reads.PROBABILITIES, "O(N·K + N log b)", s -> entropy()),
            Entry.of("margin", "margin", Reads.PROBABILITIES, "O(N·K + N log b)", s -> margin()),
            Entry.of("least-confidence", "leastConfidence", Reads.PROBABILITIES, "O(N·K + N log b)",
                    s -> leastConfidence()),
            Entry.of("var-ratio", "variationRatio", Reads.PROBABILITIES, "O(N·K + N log b)", s -> variationRatio()),
            Entry.of("bald", "bald", Reads.MC_PASSES, "O(T·N·K + N log b)", s -> bald().withSeed(s.seed())),
            Entry.of("mean-std", "meanStd", Reads.MC_PASSES, "O(T·N·K + N log b)", s -> meanStd().withSeed(s.seed())),
            Entry.of("entropy-mc", "entropyMc", Reads.MC_PASSES, "O(T·N·K + N log b)",
                    s -> entropyMc().withSeed(s.seed())),
            Entry.of("margin-mc", "marginMc", Reads.MC_PASSES, "O(T·N·K + N log b)",
                    s -> marginMc().withSeed(s.seed())),
            Entry.of("least-confidence-mc", "leastConfidenceMc", Reads.MC_PASSES, "O(T·N·K + N log b)",
                    s -> leastConfidenceMc().withSeed(s.seed())),
            Entry.of("var-ratio-mc", "variationRatioMc", Reads.MC_PASSES, "O(T·N·K + N log b)",
                    s -> variationRatioMc().withSeed(s.seed())),
            Entry.of("batch-bald", "batchBald", Reads.MC_PASSES, "O(b·N·K·T·C)",
                    s -> batchBald().withSeed(s.seed())),
            Entry.of("kcenter", "kCenterGreedy", Reads.EMBEDDINGS, "O((L + b)·N·d)", s -> kCenterGreedy()),
            Entry.of("kmeans", "kMeans", Reads.EMBEDDINGS, "O((1 + I)·b·N·d), I ≤ 10",
                    s -> kMeans().withSeed(s.seed())),
            Entry.of("badge", "badge", Reads.EMBEDDINGS, "O(b·N·(d + K))", s -> badge().withSeed(s.seed())),
            Entry.of("dbal", "dbal", Reads.EMBEDDINGS, "O(N·(d + K) + (1 + I)·b·ρb·d)",
                    s -> dbal().withSeed(s.seed())),
            Entry.of("cluster-margin", "clusterMargin", Reads.EMBEDDINGS,
                    "first query O(n²·d) average linkage of n ≤ 20 000 pool ids, then O(N·K)",
                    s -> clusterMargin().withSeed(s.seed())),
            Entry.of("feature-sim", "featureSimilarity", Reads.EMBEDDINGS, "O(N·L·d / K + N log N)",
                    s -> featureSimilarity()),
            Entry.of("dfm", "deepFeatureModeling", Reads.EMBEDDINGS, "O(Σ_k L_k·d·min(L_k, d) + N·d·r)",
                    s -> deepFeatureModeling()),
            Entry.of("egl", "egl", Reads.EMBEDDINGS, "O(N·(d + K) + N log b)", s -> egl()),
            Entry.of("cal", "contrastiveActiveLearning", Reads.EMBEDDINGS, "O(N·L·d + N·L log k)",
                    s -> contrastiveActiveLearning()),
            Entry.trainingItsOwn("vote-entropy", "voteEntropy", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> voteEntropy(), committeeOf("vote-entropy")),
            Entry.trainingItsOwn("consensus-entropy", "consensusEntropy", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> consensusEntropy(), committeeOf("consensus-entropy")),
            Entry.trainingItsOwn("max-disagreement", "maxDisagreement", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> maxDisagreement(), committeeOf("max-disagreement")),
            Entry.trainingItsOwn("ensemble-var-ratio", "ensembleVariationRatio", Reads.COMMITTEE,
                    "O(C·N·K + N log b)", s -> ensembleVariationRatio(), committeeOf("ensemble-var-ratio")),
            Entry.trainingItsOwn("ensemble-bald", "ensembleBald", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> ensembleBald(), committeeOf("ensemble-bald")),
            Entry.trainingItsOwn("ensemble-mean-std", "ensembleMeanStd", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> ensembleMeanStd(), committeeOf("ensemble-mean-std")),
            Entry.trainingItsOwn("ensemble-entropy", "ensembleEntropy", Reads.COMMITTEE, "O(C·N·K + N log b)",
                    s -> ensembleEntropy(), committeeOf("ensemble-entropy")),
            Entry.trainingItsOwn("suggestive-annotation", "suggestiveAnnotation", Reads.COMMITTEE_EMBEDDINGS,
                    "O(C·N·(K + d) + ρb·N·C·d + b·ρb·N)", s -> suggestiveAnnotation(), setup -> Committee
                            .bootstrapLearner(Collections.nCopies(setup.committeeSize(),
                                    setup.learner("suggestive-annotation"))))));

    /** {@code Setup.committeeSize()} copies of the setup's learner, each fitted with its own seed, as one committee. */
    private static StrategyCatalog.LearnerFactory committeeOf(String strategy) {
        return setup -> Committee.learner(Collections.nCopies(setup.committeeSize(), setup.learner(strategy)));
    }

    /**
     * Every strategy of al-strategies by its kebab-case name ({@code least-confidence}), in the order of this class:
     * how to build it from a seed, what it reads and its cost. The randomised strategies are built with the setup's
     * seed ({@code random().withSeed(seed)}), the others as their factory here returns them. The committee
     * strategies train a {@link Committee} of {@code Setup.committeeSize()} copies of the setup's learner.
     * al-dl4j's {@code Dl4jStrategies.catalog()} extends this catalog with the strategies that need its networks.
     *
     * <pre>{@code
     * QueryStrategy badge = Strategies.catalog().get("badge").create(7);   // Strategies.badge().withSeed(7)
     * }</pre>
     */
    public static StrategyCatalog catalog() {
        return CATALOG;
    }

    // --- random --------------------------------------------------------------------------------------------------

    /**
     * Random sampling, the baseline: {@code b} candidates uniformly at random, seed 0 unless
     * {@link RandomSampling#withSeed(long) withSeed}. Reads no model output. See {@link RandomSampling}.
     */
    public static RandomSampling random() {
        return RandomSampling.create();
    }

    // --- uncertainty (single model) ------------------------------------------------------------------------------

    /**
     * Entropy sampling: the candidates of highest predictive entropy {@code −Σ_k p_k log p_k} (Shannon 1948; Settles
     * 2009, sec. 3.1). See {@link UncertaintySampling}.
     */
    public static UncertaintySampling entropy() {
        return UncertaintySampling.of(UncertaintySampling.Measure.ENTROPY);
    }

    /**
     * Margin sampling: the candidates with the smallest gap between the two most likely classes, scored
     * {@code 1 − (p_(1) − p_(2))} (Scheffer, Decomain and Wrobel 2001). See {@link UncertaintySampling}.
     */
    public static UncertaintySampling margin() {
        return UncertaintySampling.of(UncertaintySampling.Measure.MARGIN);
    }

    /**
     * Least-confidence sampling: the candidates whose most likely class is least likely, scored {@code 1 − p_(1)}
     * (Culotta and McCallum 2005). See {@link UncertaintySampling}.
     */
    public static UncertaintySampling leastConfidence() {
        return UncertaintySampling.of(UncertaintySampling.Measure.LEAST_CONFIDENCE);
    }

    /**
     * Variation-ratio sampling on one model's predictive distribution, {@code 1 − p_(1)} (Freeman 1965): ranks like
     * {@link #leastConfidence()}; {@link #variationRatioMc()} counts votes over MC-dropout passes instead. See
     * {@link UncertaintySampling}.
     */
    public static UncertaintySampling variationRatio() {
        return UncertaintySampling.of(UncertaintySampling.Measure.VARIATION_RATIO);
    }

    // --- Bayesian (MC dropout) and committee ---------------------------------------------------------------------

    /**
     * BALD: the mutual information {@code H[mean_t p_t] − mean_t H[p_t]} between label and parameters over
     * {@code T} stochastic passes (Houlsby et al. 2011; Gal, Islam and Ghahramani 2017). Needs a
     * {@link dev.al4j.core.StochasticModel}. See {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling bald() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.BALD);
    }

    /**
     * MeanSTD: the mean over classes of the standard deviation of {@code p_k} across {@code T} stochastic passes
     * (Kampffmeyer, Salberg and Jenssen 2016). Needs a {@link dev.al4j.core.StochasticModel}. See
     * {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling meanStd() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.MEAN_STD);
    }

    /**
     * Entropy of the mean of {@code T} stochastic passes ("Max Entropy" in Gal et al. 2017, EntropyD in Zhan et al.
     * 2022). Needs a {@link dev.al4j.core.StochasticModel}. See {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling entropyMc() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.ENTROPY);
    }

    /**
     * Margin score of the mean of {@code T} stochastic passes (MarginD in Zhan et al. 2022). Needs a
     * {@link dev.al4j.core.StochasticModel}. See {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling marginMc() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.MARGIN);
    }

    /**
     * Least-confidence score of the mean of {@code T} stochastic passes (LeastConfD in Zhan et al. 2022). Needs a
     * {@link dev.al4j.core.StochasticModel}. See {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling leastConfidenceMc() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.LEAST_CONFIDENCE);
    }

    /**
     * Variation ratio {@code 1 − f_m / T} of the votes of {@code T} stochastic passes (Freeman 1965; Gal et al.
     * 2017). Needs a {@link dev.al4j.core.StochasticModel}. See {@link BayesianUncertaintySampling}.
     */
    public static BayesianUncertaintySampling variationRatioMc() {
        return BayesianUncertaintySampling.of(BayesianUncertaintySampling.Measure.VARIATION_RATIO);
    }

    /**
     * BatchBALD: a batch chosen greedily to maximise the joint mutual information of its labels and the parameters
     * (Kirsch, van Amersfoort and Gal 2019). Needs a {@link dev.al4j.core.StochasticModel}. See {@link BatchBald}.
     */
    public static BatchBald batchBald() {
        return BatchBald.create();
    }

    /**
     * Query by committee with vote entropy (Dagan and Engelson 1995). The model must be a {@link Committee}. See
     * {@link QueryByCommittee}.
     */
    public static QueryByCommittee voteEntropy() {
        return QueryByCommittee.of(QueryByCommittee.Disagreement.VOTE_ENTROPY);
    }

    /**
     * Query by committee with the entropy of the members' consensus (Settles 2009, sec. 3.2). The model must be a
     * {@link Committee}. See {@link QueryByCommittee}.
     */
    public static QueryByCommittee consensusEntropy() {
        return QueryByCommittee.of(QueryByCommittee.Disagreement.CONSENSUS_ENTROPY);
    }

    /**
     * Query by committee with the mean KL divergence of the members from their consensus (McCallum and Nigam
     * 1998). The model must be a {@link Committee}. See {@link QueryByCommittee}.
     */
    public static QueryByCommittee maxDisagreement() {
        return QueryByCommittee.of(QueryByCommittee.Disagreement.MAX_DISAGREEMENT);
    }

    /**
     * Ensemble variation ratio (Beluch et al. 2018, their best acquisition): {@code 1 − f_m / C} over the members of
     * a {@link Committee}. See {@link EnsembleSampling}.
     */
    public static EnsembleSampling ensembleVariationRatio() {
        return EnsembleSampling.of(BayesianUncertaintySampling.Measure.VARIATION_RATIO);
    }

    /** BALD over the members of a {@link Committee} (Beluch et al. 2018). See {@link EnsembleSampling}. */
    public static EnsembleSampling ensembleBald() {
        return EnsembleSampling.of(BayesianUncertaintySampling.Measure.BALD);
    }

    /** MeanSTD over the members of a {@link Committee} (Beluch et al. 2018). See {@link EnsembleSampling}. */
    public static EnsembleSampling ensembleMeanStd() {
        return EnsembleSampling.of(BayesianUncertaintySampling.Measure.MEAN_STD);
    }

    /**
     * The entropy of the mean prediction of a {@link Committee}'s members (Beluch et al. 2018). See
     * {@link EnsembleSampling}.
     */
    public static EnsembleSampling ensembleEntropy() {
        return EnsembleSampling.of(BayesianUncertaintySampling.Measure.ENTROPY);
    }

    /**
     * Suggestive Annotation (Yang et al. 2017; seed 001, "Hybrid"): the {@code ρb} candidates on which a bootstrap
     * ensemble disagrees most, then the greedy max-cover of cosine similarity over the unlabeled candidates. The model
     * must be a {@link Committee} of {@link dev.al4j.core.EmbeddingModel}s (trained by
     * {@link Committee#bootstrapLearner}). See {@link SuggestiveAnnotation}.
     */
    public static SuggestiveAnnotation suggestiveAnnotation() {
        return SuggestiveAnnotation.create();
    }

    // --- expected model change ------------------------------------------------------------------------------------

    /**
     * Expected gradient length, EGL (Settles, Craven and Ray 2008; seed 001): the candidates whose label would, in
     * expectation over the predictive distribution, move the last layer most, scored in closed form
     * {@code Σ_y p_y ‖p − e_y‖ √(‖h‖² + 1)}. Needs an {@code EmbeddingModel}. See {@link ExpectedGradientLength}.
     */
    public static dev.al4j.core.TopK egl() {
        return dev.al4j.core.TopK.of(ExpectedGradientLength.INSTANCE, "Strategies.egl()");
    }

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

    /**
     * Cluster-Margin (Citovsky et al. 2021; seed 003): average-linkage clustering of the pool once, then each round
     * a random round-robin over the clusters of the lowest-margin candidates. Needs an {@code EmbeddingModel} for
     * its default clustering of the first model's embeddings; see {@code ClusterMargin} for the options.
     */
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

    /**
     * Ask-n-Learn (Venkatesh &amp; Thiagarajan 2020, Algorithm 1): BADGE on gradient embeddings built from
     * pseudo-labels, voted over augmented copies when the model is unsure. The model must be an
     * {@code EmbeddingModel} and an {@code InputModel}. See {@link AskNLearnSampling}.
     *
     * @param augmenter the augmentation, e.g. {@code ImageAugmenter.of(1, 28, 28)}
     */
    public static AskNLearnSampling askNLearn(dev.al4j.core.Augmenter augmenter) {
        return AskNLearnSampling.create(augmenter);
    }

    // --- semi-supervised loop options (pseudo-labels) ------------------------------------------------------------

    /**
     * CEAL's pseudo-labels (Wang et al. 2016): each round, candidates whose predictive entropy is below a linearly
     * decaying threshold {@code δ_t = max(0, δ_0 − r·(t − 1))} join that round's training with their predicted
     * class; never oracle labels. Not a query strategy: a loop option,
     * {@code ActiveLearningLoop.builder()...pseudoLabels(Strategies.ceal())}. Defaults (al4j's) {@code δ_0 = 0.005}
     * nats and {@code r = 0.00033} nats per round. See {@link Ceal}.
     */
    public static Ceal ceal() {
        return Ceal.create();
    }
}
