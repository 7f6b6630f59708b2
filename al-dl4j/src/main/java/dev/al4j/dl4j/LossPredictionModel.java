package dev.al4j.dl4j;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} with a loss-prediction module (Yoo and Kweon 2019): for each sample, a predicted value of the
 * target model's loss on it, without its label. Only the order of predictions is meaningful (the module is trained
 * with a ranking loss). The Learning Loss strategy ({@link Dl4jStrategies#learningLoss()}) needs it.
 */
public interface LossPredictionModel extends Model {

    /**
     * Predicted losses of the given pool samples.
     *
     * @return {@code [ids.length]}, in the order of {@code ids}
     */
    INDArray predictedLosses(Pool pool, int[] ids);
}
