package dev.al4j.spark;

import dev.al4j.strategies.BayesianUncertaintySampling;
import dev.al4j.strategies.UncertaintySampling;

/**
 * Factories for al4j's strategies over a {@link SparkPool}. Each returns an immutable, thread-safe
 * {@link SparkStrategy} whose {@code toString()} echoes how to build it. The uncertainty strategies select exactly
 * what their single-machine namesakes on {@code dev.al4j.strategies.Strategies} select on the same values.
 *
 * <pre>{@code
 * SparkSelection next = SparkStrategies.entropy().select(pool, 1000);
 * SparkSelection cover = SparkStrategies.kCenterGreedy().withMode(Mode.SCALABLE).select(pool, 1000);
 * }</pre>
 */
public final class SparkStrategies {

    private SparkStrategies() {}

    /** Entropy sampling on the probabilities column; as {@code Strategies.entropy()}. */
    public static UncertaintyOnSpark entropy() {
        return UncertaintyOnSpark.of(UncertaintySampling.Measure.ENTROPY, "entropy");
    }

    /** Margin sampling on the probabilities column; as {@code Strategies.margin()}. */
    public static UncertaintyOnSpark margin() {
        return UncertaintyOnSpark.of(UncertaintySampling.Measure.MARGIN, "margin");
    }

    /** Least-confidence sampling on the probabilities column; as {@code Strategies.leastConfidence()}. */
    public static UncertaintyOnSpark leastConfidence() {
        return UncertaintyOnSpark.of(UncertaintySampling.Measure.LEAST_CONFIDENCE, "leastConfidence");
    }

    /** Variation ratio on the probabilities column; as {@code Strategies.variationRatio()}. */
    public static UncertaintyOnSpark variationRatio() {
        return UncertaintyOnSpark.of(UncertaintySampling.Measure.VARIATION_RATIO, "variationRatio");
    }

    /** BALD on the MC probabilities column (all {@code T} passes); as {@code Strategies.bald()}. */
    public static UncertaintyOnSpark bald() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.BALD, "bald");
    }

    /** MeanSTD on the MC probabilities column; as {@code Strategies.meanStd()}. */
    public static UncertaintyOnSpark meanStd() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.MEAN_STD, "meanStd");
    }

    /** Entropy of the mean of the MC passes; as {@code Strategies.entropyMc()}. */
    public static UncertaintyOnSpark entropyMc() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.ENTROPY, "entropyMc");
    }

    /** Margin of the mean of the MC passes; as {@code Strategies.marginMc()}. */
    public static UncertaintyOnSpark marginMc() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.MARGIN, "marginMc");
    }

    /** Least confidence of the mean of the MC passes; as {@code Strategies.leastConfidenceMc()}. */
    public static UncertaintyOnSpark leastConfidenceMc() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.LEAST_CONFIDENCE, "leastConfidenceMc");
    }

    /** Variation ratio of the MC passes' votes; as {@code Strategies.variationRatioMc()}. */
    public static UncertaintyOnSpark variationRatioMc() {
        return UncertaintyOnSpark.of(BayesianUncertaintySampling.Measure.VARIATION_RATIO, "variationRatioMc");
    }

    /**
     * Greedy k-center (core set, Sener &amp; Savarese 2018) on the embeddings column, {@link Mode#EXACT} unless
     * {@link KCenterOnSpark#withMode withMode}. See {@link KCenterOnSpark}.
     */
    public static KCenterOnSpark kCenterGreedy() {
        return KCenterOnSpark.create();
    }

    /**
     * BADGE (Ash et al. 2020) on the probabilities and embeddings columns, {@link Mode#EXACT} and seed 0 unless
     * {@link BadgeOnSpark#withMode withMode} / {@link BadgeOnSpark#withSeed withSeed}. See {@link BadgeOnSpark}.
     */
    public static BadgeOnSpark badge() {
        return BadgeOnSpark.create();
    }

    /**
     * k-means sampling with Spark MLlib's {@code KMeans} (k-means‖ initialisation) on the embeddings column, seed 0
     * unless {@link KMeansOnSpark#withSeed withSeed}. See {@link KMeansOnSpark}.
     */
    public static KMeansOnSpark kMeans() {
        return KMeansOnSpark.create();
    }
}
