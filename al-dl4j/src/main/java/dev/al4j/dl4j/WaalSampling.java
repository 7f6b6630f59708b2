package dev.al4j.dl4j;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * WAAL's query (Shui, Zhou, Gagné and Wang, "Deep Active Learning: Unified and Principled Method for Query and
 * Training", AISTATS 2020; seed 003 ranks it first, Table 9, with AUBC 0.8703 on Fashion-MNIST, Table 6): the
 * {@code b} candidates with the highest
 * <pre>
 *   score(x) = λ · d(z(x)) − ½ (‖log p(x)‖₂ + ‖log p(x)‖₁)
 * </pre>
 * where {@code p(x)} are the class probabilities and {@code d(z(x)) ∈ (0, 1)} the critic's score of the sample's
 * features (high = unlike the labeled data: diversity), and {@code ½(‖log p‖₂ + ‖log p‖₁)} the paper's uncertainty
 * term, an upper bound of the unknown label's loss that is smallest for the most uncertain prediction (over the
 * simplex {@code Σ_k −log p_k ≥ K log K}, equality at the uniform distribution). The paper's query minimises
 * {@code uncertainty − λ·d}; al4j ranks by its negation so that higher is more informative. Default weight
 * {@code λ = 10} (the authors' setting for Fashion-MNIST, SVHN and CIFAR-10, which seed 003 keeps). Probabilities are
 * floored at {@value #PROBABILITY_FLOOR} before the logarithm so that a saturated softmax gives a finite score.
 *
 * <p>Needs a {@link WassersteinCriticModel}, i.e. a model from {@link WaalLearner}: the critic is trained jointly with
 * the classifier on labeled and unlabeled samples, so the query only makes sense on that model. Cost: one forward
 * pass per candidate (probabilities and embeddings), {@code O(N·d·m)} for the critic ({@code m = 50}),
 * {@code O(N·K)} for the score and {@code O(N + b log b)} to pick; ties go to the lower id. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * WaalLearner learner = WaalLearner.of(Architectures.mlp(), Training.adam(1e-3));
 * WaalModel model = learner.fit(TrainingData.of(pool, 7), pool, Progress.none());
 * Selection next = Dl4jStrategies.waal().select(pool, model, 250);
 * }</pre>
 */
public final class WaalSampling implements QueryStrategy {

    /** The default weight {@code λ} of the critic's score. */
    public static final double DEFAULT_SELECTION_WEIGHT = 10;

    /** The smallest probability the uncertainty term takes the logarithm of. */
    public static final double PROBABILITY_FLOOR = 1e-30;

    private final double selectionWeight;
    private final TopK topK;

    private WaalSampling(double selectionWeight) {
        this.selectionWeight = selectionWeight;
        this.topK = TopK.of(new Score(selectionWeight), toString());
    }

    static WaalSampling of() {
        return new WaalSampling(DEFAULT_SELECTION_WEIGHT);
    }

    /** The weight {@code λ >= 0} of the critic's score against the uncertainty term (default 10). */
    public WaalSampling withSelectionWeight(double weight) {
        Checks.checkArgument(weight >= 0 && weight < Double.POSITIVE_INFINITY,
                "weight must be finite and >= 0, found %s", weight);
        return new WaalSampling(weight);
    }

    public double selectionWeight() {
        return selectionWeight;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return topK.select(pool, model, budget);
    }

    /**
     * The scores {@code λ·d − ½(‖log p‖₂ + ‖log p‖₁)} of rows of probabilities {@code [n, K]} and critic scores
     * {@code [n]}, in double; one bulk pass over a copy of the values.
     */
    static double[] scores(INDArray probabilities, INDArray critic, double weight) {
        int n = (int) probabilities.rows();
        int k = (int) probabilities.columns();
        double[] p = probabilities.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] d = critic.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[n];
        for (int i = 0, at = 0; i < n; i++) {
            double l1 = 0;
            double l2 = 0;
            for (int c = 0; c < k; c++, at++) {
                double log = Math.log(Math.max(p[at], PROBABILITY_FLOOR));
                l1 -= log;
                l2 += log * log;
            }
            out[i] = weight * d[i] - 0.5 * (Math.sqrt(l2) + l1);
        }
        return out;
    }

    /** The acquisition function: {@link #scores} of the model's probabilities and critic scores. */
    private record Score(double weight) implements AcquisitionFunction {
        @Override
        public double[] score(Pool pool, Model model, int[] ids) {
            WassersteinCriticModel m = Capabilities.require(model, WassersteinCriticModel.class,
                    "Dl4jStrategies.waal()");
            WassersteinCriticModel.CriticOutputs out = m.criticOutputs(pool, ids);
            Checks.checkProbabilities(out.probabilities(), ids.length, model.numClasses(), "probabilities");
            Checks.checkNotNull(out.criticScores(), "criticScores");
            Checks.checkArgument(out.criticScores().length() == ids.length,
                    "criticScores must have %d entries (one per id), found %d", ids.length,
                    out.criticScores().length());
            Checks.checkFinite(out.criticScores(), "criticScores");
            return scores(out.probabilities(), out.criticScores(), weight);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaalSampling w && Double.compare(selectionWeight, w.selectionWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(selectionWeight);
    }

    @Override
    public String toString() {
        return selectionWeight == DEFAULT_SELECTION_WEIGHT ? "Dl4jStrategies.waal()"
                : "Dl4jStrategies.waal().withSelectionWeight(" + selectionWeight + ")";
    }
}
