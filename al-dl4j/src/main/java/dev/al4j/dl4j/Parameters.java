package dev.al4j.dl4j;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Counts a network's parameters the way PyTorch's {@code requires_grad} does. */
final class Parameters {

    private Parameters() {}

    /**
     * All parameters but BatchNorm's running mean and variance (and DL4J's log-variance variant), which DL4J stores
     * among the parameters but which are statistics, not trained by gradient descent.
     */
    static long trainable(ComputationGraph net) {
        long count = 0;
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = p.getKey();
                boolean statistic = key.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                        || key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                        || key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                if (!statistic) {
                    count += p.getValue().length();
                }
            }
        }
        return count;
    }
}
