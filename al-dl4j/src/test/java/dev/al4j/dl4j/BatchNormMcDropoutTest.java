package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.assertClose;
import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.TrainingData;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MC dropout on a network with BatchNorm (a narrow ResNet-18): BatchNorm stays in inference mode, i.e. its running
 * statistics are neither updated nor replaced by the batch's statistics.
 */
class BatchNormMcDropoutTest {

    static final int N = 12;
    static Pool pool;
    static Dl4jModel model;

    @BeforeAll
    static void train() {
        INDArray x = ArchitecturesTest.images(N, 3, 16, 31);
        int[] labels = new int[N];
        int[] ids = range(0, N);
        for (int i = 0; i < N; i++) {
            labels[i] = i % 3;
        }
        pool = Pool.of(PoolInputs.of(x), 3).withLabels(range(0, 8), java.util.Arrays.copyOf(labels, 8));
        model = Dl4jLearner.of(Architectures.resNet18().withWidth(4).withDropout(0.5),
                Training.adam(1e-2).withEpochs(2).withBatchSize(4)).fit(TrainingData.of(pool, 2));
    }

    /** Every BatchNorm layer's running mean and variance (or log-std), by layer name. */
    static Map<String, INDArray> runningStatistics(ComputationGraph net) {
        Map<String, INDArray> stats = new HashMap<>();
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = p.getKey();
                if (key.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                        || key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                        || key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                    stats.put(layer.getConfig().getLayerName() + "/" + key, p.getValue().dup());
                }
            }
        }
        return stats;
    }

    @Test
    void trainingMovedTheRunningStatisticsAwayFromTheirInitialValues() {
        // Guards the tests below: if training never touched the statistics, "unchanged" would prove nothing.
        Map<String, INDArray> stats = runningStatistics(model.network());
        assertEquals(2 * 20, stats.size()); // 20 BatchNorm layers in ResNet-18 (stem, 16 in blocks, 3 projections)
        INDArray stemMean = stats.get("stem_bn/" + BatchNormalizationParamInitializer.GLOBAL_MEAN);
        assertTrue(stemMean.amaxNumber().doubleValue() > 1e-4, "stem running mean still zero: " + stemMean);
    }

    @Test
    void sameSeedGivesTheSameResNetWeightsAndStatistics() {
        Dl4jModel again = Dl4jLearner.of(model.architecture(), model.training()).fit(TrainingData.of(pool, 2));
        assertEquals(model.network().params(), again.network().params()); // includes the running statistics
    }

    @Test
    void mcPassesNeitherUpdateNorReplaceTheRunningStatistics() {
        Map<String, INDArray> before = runningStatistics(model.network());
        INDArray params = model.network().params();
        INDArray mc = model.stochasticProbabilities(pool, range(0, N), 6, 3);
        model.predict(pool, range(0, N));
        assertEquals(before, runningStatistics(model.network()));
        assertEquals(params, model.network().params());
        for (int t = 1; t < 6; t++) {
            assertNotEquals(mc.slice(0), mc.slice(t));
        }
    }

    @Test
    void batchNormUsesRunningStatisticsDuringMcPasses() {
        // With batch statistics a sample's output would depend on the other samples in its batch; with running
        // statistics it does not. Compare each sample alone with the same sample in the batch of all 12.
        INDArray all = model.stochasticProbabilities(pool, range(0, N), 4, 11);
        for (int id : new int[] {0, 5, 11}) {
            INDArray alone = model.stochasticProbabilities(pool, new int[] {id}, 4, 11);
            assertClose(all.get(NDArrayIndex.all(), NDArrayIndex.interval(id, id + 1), NDArrayIndex.all()), alone,
                    1e-5);
        }
        // Sensitivity check: DL4J's training-mode forward (batch statistics) does depend on the batch, so the
        // comparison above would have caught it.
        ComputationGraph net = model.network();
        INDArray x = pool.requireInputs("test").rows(range(0, N));
        INDArray batchMode = net.feedForward(x, true).get("pool");
        INDArray inference = model.predict(pool, range(0, N)).embeddings();
        assertTrue(batchMode.sub(inference).amaxNumber().doubleValue() > 1e-3);
    }

    @Test
    void mcPassesAreTheClassifierOnMaskedInferenceModeEmbeddings() {
        // mean over T passes of the head's input equals the inference-mode embedding in expectation; exactly,
        // a pass with the all-ones mask scaled back is the deterministic output. Here: the pass's probabilities
        // equal softmax(W^T (m ⊙ z) + b) with z from the inference-mode forward pass (running statistics).
        int[] ids = {2, 9};
        INDArray z = model.predict(pool, ids).embeddings();
        INDArray w = model.network().getParam(Architecture.OUTPUT + "_W");
        INDArray b = model.network().getParam(Architecture.OUTPUT + "_b");
        INDArray mc = model.stochasticProbabilities(pool, ids, 2, 8);
        for (int t = 0; t < 2; t++) {
            INDArray masked = z.mul(model.masks(ids, 2, 8).get(NDArrayIndex.interval(t * 2, t * 2 + 2),
                    NDArrayIndex.all()));
            INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.softmax(masked.mmul(w).addRowVector(b));
            assertClose(expected, mc.slice(t), 1e-5);
        }
    }
}
