package dev.al4j.dl4j;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} trained with a critic that tells labeled from unlabeled samples, as WAAL's (Shui et al. 2020) is:
 * class probabilities and the critic's score of each sample from one forward pass. A higher score means the critic
 * finds the sample more like the unlabeled data than like the labeled data. {@link Dl4jStrategies#waal()} needs it;
 * {@link WaalLearner} trains one ({@link WaalModel}).
 */
public interface WassersteinCriticModel extends Model {

    /**
     * Class probabilities and critic scores of the given pool samples, from one forward pass.
     *
     * @return {@code [ids.length, K]} probabilities and {@code [ids.length]} scores, in the order of {@code ids}
     */
    CriticOutputs criticOutputs(Pool pool, int[] ids);

    /**
     * Class probabilities {@code [n, K]} and critic scores {@code [n]} of the same samples, in the same order.
     *
     * @param probabilities {@code [n, K]}
     * @param criticScores {@code [n]}
     */
    record CriticOutputs(INDArray probabilities, INDArray criticScores) {}
}
