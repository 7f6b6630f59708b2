package dev.al4j.strategies;

import dev.al4j.core.Augmenter;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.InputModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.diversity.BadgeSampling;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Objects;

/**
 * Ask-n-Learn: Venkatesh and Thiagarajan, "Ask-n-Learn: Active Learning via Reliable Gradient Representations for
 * Image Classification", 2020, Algorithm 1 (the query; its calibrated training, VWCC or LWCC of seed 002 eq. 2–3,
 * is al-dl4j's {@code ConfidenceCalibration}).
 *
 * <p>BADGE's k-means++ seeding on the gradient embeddings {@code g = (p - onehot(y)) ⊗ z}, where {@code y} is a
 * pseudo-label more reliable than BADGE's argmax: the argmax when the model is confident
 * ({@code max p >= threshold}), otherwise the argmax of the model's mean prediction over {@code A} augmented copies
 * of the input (copy {@code a} of pool id {@code id} is augmented with a seed mixed from this strategy's seed, {@code a} and
 * {@code id}, so labels do not depend on the candidates' order). {@code p} and
 * {@code z} are the model's outputs on the original input. The k-means++ seeding is BADGE's own code
 * ({@link BadgeSampling#selectWithLabels}) with this strategy's seed, so Ask-n-Learn with a threshold of 0 (every
 * prediction trusted) selects exactly what {@code Strategies.badge()} with the same seed selects.
 *
 * <p>The model must offer both {@link EmbeddingModel} (probabilities and features of pool samples) and
 * {@link InputModel} (probabilities of augmented inputs, which are not pool samples), and the pool must carry its
 * inputs whenever some prediction falls below the threshold. The defaults, threshold {@value #DEFAULT_THRESHOLD} and {@value #DEFAULT_AUGMENTATIONS} copies, are
 * al4j's choices, not values from the paper.
 *
 * <p><b>Cost</b>: one forward pass over the {@code N} candidates plus {@code A} passes over the {@code U}
 * unconfident ones (their inputs read and augmented in batches), then BADGE's O(b N (d + K)) seeding; memory
 * O(N (d + K)) plus one batch of inputs. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy ask = Strategies.askNLearn(ImageAugmenter.of(1, 28, 28)).withThreshold(0.9).withSeed(7);
 * Selection next = ask.select(pool, model, 1000);   // model: EmbeddingModel and InputModel
 * int[] ids = next.ids();
 * }</pre>
 */
public final class AskNLearnSampling implements QueryStrategy {

    /** The default confidence threshold. */
    public static final double DEFAULT_THRESHOLD = 0.9;

    /** The default number of augmented copies. */
    public static final int DEFAULT_AUGMENTATIONS = 5;

    private final Augmenter augmenter;
    private final double threshold;
    private final int augmentations;
    private final long seed;

    private AskNLearnSampling(Augmenter augmenter, double threshold, int augmentations, long seed) {
        this.augmenter = augmenter;
        this.threshold = threshold;
        this.augmentations = augmentations;
        this.seed = seed;
    }

    static AskNLearnSampling create(Augmenter augmenter) {
        Checks.checkNotNull(augmenter, "augmenter");
        return new AskNLearnSampling(augmenter, DEFAULT_THRESHOLD, DEFAULT_AUGMENTATIONS, 0);
    }

    /**
     * Predictions with {@code max p >= threshold} keep their argmax; the others are voted over augmented copies.
     *
     * @throws IllegalArgumentException unless {@code 0 <= threshold <= 1}
     */
    public AskNLearnSampling withThreshold(double threshold) {
        Checks.checkInRange(threshold, 0, 1, "threshold");
        return new AskNLearnSampling(augmenter, threshold, augmentations, seed);
    }

    /**
     * The number of augmented copies per unconfident candidate.
     *
     * @throws IllegalArgumentException unless {@code copies >= 1}
     */
    public AskNLearnSampling withAugmentations(int copies) {
        Checks.checkPositive(copies, "augmentations");
        return new AskNLearnSampling(augmenter, threshold, copies, seed);
    }

    /** The seed of the augmentations and of the k-means++ sampling. */
    public AskNLearnSampling withSeed(long seed) {
        return new AskNLearnSampling(augmenter, threshold, augmentations, seed);
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        QueryOutputs.begin(pool, model, budget, EmbeddingModel.class, this);
        InputModel inputs = Capabilities.require(model, InputModel.class, this);
        AugmentedPseudoLabels rule = new AugmentedPseudoLabels(augmenter, threshold, augmentations, seed);
        Selection s = BadgeSampling.create().withSeed(seed).selectWithLabels(pool, model, budget,
                (ids, probabilities) -> rule.labels(pool, inputs, ids, probabilities, this));
        return s.withQueryNanos(System.nanoTime() - start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AskNLearnSampling a && augmenter.equals(a.augmenter)
                && Double.compare(threshold, a.threshold) == 0 && augmentations == a.augmentations && seed == a.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(augmenter, threshold, augmentations, seed);
    }

    @Override
    public String toString() {
        return "Strategies.askNLearn(" + augmenter + ")"
                + (threshold == DEFAULT_THRESHOLD ? "" : ".withThreshold(" + threshold + ")")
                + (augmentations == DEFAULT_AUGMENTATIONS ? "" : ".withAugmentations(" + augmentations + ")")
                + ".withSeed(" + seed + ")";
    }
}
