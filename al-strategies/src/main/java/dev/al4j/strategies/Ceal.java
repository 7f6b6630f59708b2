package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.PseudoLabeler;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CEAL's high-confidence pseudo-labels (Wang, Zhang, Li, Zhang and Lin, "Cost-Effective Active Learning for Deep
 * Image Classification", IEEE TCSVT 2016; arXiv:1701.03551): a {@link PseudoLabeler} for
 * {@link dev.al4j.core.LoopBuilder#pseudoLabels}. Each round, besides the samples the oracle labels,
 * the unlabeled samples the current model is very sure about join that round's training with their predicted class.
 *
 * <p><b>What it selects.</b> In loop round {@code t >= 1} (the first query round is 1), an eligible candidate
 * {@code i} with class probabilities {@code p_i} is pseudo-labeled when its entropy is below the round's threshold:
 * <pre>
 *   H(p_i) = −Σ_k p_ik log p_ik  &lt;  δ_t,      pseudo-label ŷ_i = argmax_k p_ik   (ties to the lower class)
 *   δ_t    = max(0, δ_0 − r·(t − 1))
 * </pre>
 * Wang et al.'s entropy criterion for high-confidence samples with their linear threshold decay (δ = δ_0 − dr·t,
 * t counted here from the first query round, so that round 1 uses δ_0). Entropy is in nats (natural logarithm,
 * {@code 0 · log 0 = 0}), as in {@link UncertaintyScores#entropy(INDArray)}. Wang et al. let the threshold decay
 * because the network grows more confident as it sees more labels: a fixed threshold admits ever more samples,
 * and more wrong pseudo-labels with them. The default here is seed 003's constant threshold (below); a decay
 * {@code r > 0} gives Wang et al.'s schedule. Once {@code δ_t = 0} nothing is pseudo-labeled ({@link #isActive} is false and the
 * loop skips the inference pass). As in the paper, pseudo-labels are decided afresh each round and never kept: the
 * loop trains round {@code t}'s model on the oracle labels plus round {@code t}'s pseudo-labels only. Which samples
 * are eligible (the round's candidates minus its queried ids) and how the loop stores them are the loop's, see
 * {@link PseudoLabeler}.
 *
 * <p><b>Defaults, and why.</b> The defaults are the comparative survey's setting, seed 003 (Zhan et al., DeepAL+),
 * appendix D.2: "For CEAL(Entropy), we set threshold of confidence/entropy score for assigning pseudo labels as
 * 1e-5" (also section 3.2: CEAL improved Entropy by 0.5 % on average "with threshold of confidence/entropy 1e-5").
 * So {@code δ_0 = 1e-5} nats ({@link #DEFAULT_THRESHOLD}): an entropy that low needs a top-class probability above
 * {@code 1 − 5.7·10⁻⁷} for 10 classes with the rest spread evenly ({@code 1 − 6.6·10⁻⁷} for 2 classes), so only
 * samples the model is all but certain about are pseudo-labeled. The survey states no decay, and none would fit
 * its threshold: Wang et al.'s linear decay at the rate al4j used before ({@code r = 0.00033} nats per round, with
 * {@code δ_0 = 0.005}) would take {@code 1e-5} to 0 after the first round. So the default decay is
 * {@code r = 0} ({@link #DEFAULT_DECAY}): a constant threshold, the same in every round. Wang et al.'s decaying
 * schedule is {@code Strategies.ceal().withThreshold(0.005).withDecay(0.00033)}; tune both with
 * {@link #withThreshold} and {@link #withDecay}.
 *
 * <p><b>Use it</b> with any query strategy; the paper's CEAL pairs it with uncertainty sampling (least confidence,
 * margin or entropy):
 * <pre>{@code
 * ActiveLearningLoop loop = ActiveLearningLoop.builder().pool(pool).learner(learner).oracle(oracle)
 *         .strategy(Strategies.entropy()).pseudoLabels(Strategies.ceal())
 *         .batchSize(100).budget(1000).build();
 * }</pre>
 *
 * <p><b>Cost</b>, per round, for the N eligible candidates and K classes: O(N·K) time for the entropies and argmaxes
 * over the probabilities pulled once as floats, O(N·K) memory; the loop adds one forward pass over the N candidates.
 * The fit then trains on L + P samples (L oracle labels, P pseudo-labels), which is where the real cost lies.
 * Immutable and thread-safe.
 */
public final class Ceal implements PseudoLabeler {

    /** The default initial threshold δ_0 = 1e-5 nats: seed 003 (DeepAL+), appendix D.2. */
    public static final double DEFAULT_THRESHOLD = 1e-5;
    /** The default decay r = 0 nats per round: a constant threshold, as in seed 003, which states no decay. */
    public static final double DEFAULT_DECAY = 0;

    private static final Ceal DEFAULT = new Ceal(DEFAULT_THRESHOLD, DEFAULT_DECAY);

    private final double threshold;
    private final double decay;

    private Ceal(double threshold, double decay) {
        this.threshold = threshold;
        this.decay = decay;
    }

    /**
     * CEAL with the defaults of seed 003, appendix D.2: δ_0 = 1e-5 nats, constant (r = 0); {@link Strategies#ceal()}.
     */
    public static Ceal create() {
        return DEFAULT;
    }

    /**
     * A copy with initial threshold {@code δ_0}, in nats (0 pseudo-labels nothing).
     *
     * @throws IllegalArgumentException unless {@code threshold} is finite and {@code >= 0}
     */
    public Ceal withThreshold(double threshold) {
        Checks.checkArgument(threshold >= 0 && threshold < Double.POSITIVE_INFINITY,
                "threshold (δ_0, an entropy in nats) must be finite and >= 0, found %s", threshold);
        return new Ceal(threshold, decay);
    }

    /**
     * A copy whose threshold falls by {@code r} nats per round (0 keeps it constant).
     *
     * @throws IllegalArgumentException unless {@code decay} is finite and {@code >= 0}
     */
    public Ceal withDecay(double decay) {
        Checks.checkArgument(decay >= 0 && decay < Double.POSITIVE_INFINITY,
                "decay (r, nats per round) must be finite and >= 0, found %s", decay);
        return new Ceal(threshold, decay);
    }

    /** The initial threshold δ_0, in nats. */
    public double threshold() {
        return threshold;
    }

    /** The decay r, in nats per round. */
    public double decay() {
        return decay;
    }

    /**
     * The threshold of loop round {@code round}: {@code max(0, δ_0 − r·(round − 1))}.
     *
     * @throws IllegalArgumentException when {@code round < 1} (round 0 is the random initial set, with no model)
     */
    public double threshold(int round) {
        Checks.checkArgument(round >= 1, "round must be >= 1 (the first query round), found %d", round);
        return Math.max(0, threshold - decay * (round - 1));
    }

    /** Whether round {@code round}'s threshold is still above 0. */
    @Override
    public boolean isActive(int round) {
        return threshold(round) > 0;
    }

    /**
     * The ids whose entropy is below {@link #threshold(int) δ_t}, in the order of {@code ids}, each with its argmax
     * class (ties to the lower class).
     *
     * @throws IllegalArgumentException when {@code round < 1}, {@code probabilities} is not a {@code [ids.length, K]}
     *     probability matrix (NaN, infinity, entries outside [0, 1], rows not summing to 1), or {@code ids} repeats
     *     an id
     */
    @Override
    public Labels label(int round, int[] ids, INDArray probabilities) {
        double delta = threshold(round);
        Checks.checkNotNull(ids, "ids");
        Checks.checkProbabilities(probabilities, ids.length, -1, "probabilities");
        if (ids.length == 0 || !(delta > 0)) {
            return Labels.none();
        }
        int n = ids.length;
        int k = probabilities.columns();
        float[] p = QueryOutputs.toFloats(probabilities);
        double[] entropy = UncertaintyScores.entropy(p, n, k);
        int[] picked = new int[n];
        int[] classes = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (entropy[i] < delta) {
                int best = 0;
                for (int c = 1, at = i * k; c < k; c++) {
                    if (p[at + c] > p[at + best]) {
                        best = c;
                    }
                }
                picked[count] = ids[i];
                classes[count++] = best;
            }
        }
        return Labels.of(Arrays.copyOf(picked, count), Arrays.copyOf(classes, count));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ceal c && Double.compare(threshold, c.threshold) == 0
                && Double.compare(decay, c.decay) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(threshold) + Double.hashCode(decay);
    }

    /** How to build it, e.g. {@code Strategies.ceal().withThreshold(0.01)}; defaults are left out. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Strategies.ceal()");
        if (Double.compare(threshold, DEFAULT_THRESHOLD) != 0) {
            s.append(".withThreshold(").append(threshold).append(')');
        }
        if (Double.compare(decay, DEFAULT_DECAY) != 0) {
            s.append(".withDecay(").append(decay).append(')');
        }
        return s.toString();
    }
}
