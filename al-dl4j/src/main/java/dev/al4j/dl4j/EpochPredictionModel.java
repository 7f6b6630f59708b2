package dev.al4j.dl4j;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} that remembers its own training: the class probabilities of pool samples as the network stood at
 * the end of each of {@code T} recorded training epochs (in inference mode). Label dispersion
 * ({@link Dl4jStrategies#labelDispersion()}) needs it; {@link Dl4jLearner#withEpochPredictions()} makes models that
 * offer it.
 */
public interface EpochPredictionModel extends Model {

    /**
     * The training epochs, counted from 1, at whose end the network was recorded, ascending: {@code T} of them, at
     * least one.
     */
    int[] recordedEpochs();

    /**
     * The class probabilities of the given pool samples after each recorded epoch.
     *
     * @return {@code [T, ids.length, K]}: slice {@code t} is the network after epoch {@code recordedEpochs()[t]},
     *     rows in the order of {@code ids}
     */
    INDArray epochProbabilities(Pool pool, int[] ids);
}
