package dev.al4j.dl4j;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.TopK;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Query strategies that need models trained by this module (the general strategies are in
 * {@code dev.al4j.strategies.Strategies}).
 */
public final class Dl4jStrategies {

    private Dl4jStrategies() {}

    /**
     * Learning Loss (Yoo and Kweon 2019, "Learning Loss for Active Learning"): the candidates with the highest loss
     * predicted by the model's loss-prediction module. Needs a {@link LossPredictionModel}, e.g. from
     * {@code Dl4jLearner.of(...).withLossPrediction()}. Cost: one forward pass per candidate, {@code O(N log b)} to
     * pick; ties go to the lower id. Immutable and thread-safe.
     *
     * <pre>{@code
     * Dl4jLearner learner = Dl4jLearner.of(Architectures.resNet18(), training).withLossPrediction();
     * Selection next = Dl4jStrategies.learningLoss().select(pool, learner.fit(TrainingData.of(pool, 1)), 1000);
     * }</pre>
     */
    public static TopK learningLoss() {
        return TopK.of(PredictedLoss.INSTANCE, "Dl4jStrategies.learningLoss()");
    }

    /** The acquisition function of Learning Loss: the predicted loss itself. */
    private enum PredictedLoss implements AcquisitionFunction {
        INSTANCE;

        @Override
        public double[] score(Pool pool, Model model, int[] ids) {
            LossPredictionModel m = Capabilities.require(model, LossPredictionModel.class,
                    "Dl4jStrategies.learningLoss()");
            return m.predictedLosses(pool, ids).castTo(DataType.DOUBLE).toDoubleVector();
        }

        @Override
        public String toString() {
            return "PredictedLoss";
        }
    }

    /**
     * PAL (Bhatnagar et al. 2021): a scoring network with rotation-prediction and classification heads, trained with
     * {@code training} on the labeled samples at every query, and sub-queries with a fine-tuned diversity score; see
     * {@link PretextActiveLearning}. Defaults: {@code λ₁ = λ₂ = 1}, 5 sub-queries, seed 0.
     */
    public static PretextActiveLearning pal(Architecture architecture, Training training) {
        dev.al4j.core.Checks.checkNotNull(architecture, "architecture");
        dev.al4j.core.Checks.checkNotNull(training, "training");
        return new PretextActiveLearning(architecture, training, 1, 1, 5, 0);
    }
}
