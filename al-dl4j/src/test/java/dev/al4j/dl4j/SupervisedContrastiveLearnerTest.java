package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.assertClose;
import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SupervisedContrastiveLearnerTest {

    static SyntheticData data;
    static Pool pool;
    static SupervisedContrastiveLearner learner;
    static Dl4jModel model;
    static List<long[]> progress = new ArrayList<>();

    @BeforeAll
    static void train() {
        data = SyntheticData.blobs(240, 64, 3, 17);
        pool = data.pool(120);
        learner = SupervisedContrastiveLearner.of(Architectures.mlp().withHiddenLayers(32, 16),
                Training.adam(1e-2).withEpochs(4).withBatchSize(30)).withProjection(16, 8)
                .withClassifierTraining(Training.adam(1e-2).withEpochs(20).withBatchSize(30));
        model = learner.fit(TrainingData.of(pool, 6), (task, done, total) -> {
            if (task.equals("fit")) {
                progress.add(new long[] {done, total});
            }
        });
    }

    @Test
    void bothStagesTrainAndTheClassifierIsAccurate() {
        double[] losses = model.trainingLosses(); // 4 encoder epochs, then 20 classifier epochs
        assertEquals(24, losses.length);
        assertTrue(losses[3] < losses[0], "contrastive loss should fall: " + java.util.Arrays.toString(losses));
        // Batches of 30 with about 10 samples per class: perfectly separated classes give ℓ_i ≈ log 9 = 2.197.
        assertTrue(losses[3] < 2.5, "contrastive loss should approach log 9: " + losses[3]);
        assertTrue(losses[23] < losses[4], "classifier loss should fall: " + java.util.Arrays.toString(losses));
        int[] test = range(120, 240);
        INDArray predicted = model.probabilities(pool, test).argMax(1);
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            correct += predicted.getInt(i) == data.labels[test[i]] ? 1 : 0;
        }
        assertTrue(correct > 0.8 * test.length, "accuracy " + correct + "/120, chance 40/120");
        assertEquals(24, progress.size());
        assertArrayEquals(new long[] {4, 24}, progress.get(3));
        assertArrayEquals(new long[] {24, 24}, progress.get(23));
    }

    @Test
    void theModelIsAnOrdinaryModelWithEmbeddingsAndMcDropout() {
        int[] ids = range(0, 10);
        assertArrayEquals(new long[] {10, 16}, model.predict(pool, ids).embeddings().shape());
        assertTrue(model.supports(StochasticModel.class));
        assertArrayEquals(new long[] {3, 10, 3}, model.stochasticProbabilities(pool, ids, 3, 1).shape());
        // The classifier is linear on the embedding: probabilities = softmax(z W + b).
        INDArray z = model.predict(pool, ids).embeddings();
        INDArray w = model.network().getParam(Architecture.OUTPUT + "_W");
        INDArray b = model.network().getParam(Architecture.OUTPUT + "_b");
        assertClose(org.nd4j.linalg.ops.transforms.Transforms.softmax(z.mmul(w).addRowVector(b)),
                model.probabilities(pool, ids), 1e-5);
    }

    @Test
    void sameSeedSameModel() {
        SupervisedContrastiveLearner small = SupervisedContrastiveLearner.of(Architectures.mlp().withHiddenLayers(8),
                Training.adam(1e-3).withEpochs(1).withBatchSize(40)).withProjection(8, 4)
                .withClassifierTraining(Training.adam(1e-2).withEpochs(1));
        assertEquals(small.fit(TrainingData.of(pool, 3)).network().params(),
                small.fit(TrainingData.of(pool, 3)).network().params());
    }

    @Test
    void worksWithBatchNormNetworks() {
        // A narrow ResNet: the encoder's BatchNorm statistics travel into the final model with its weights.
        INDArray x = ArchitecturesTest.images(12, 3, 8, 5);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
        Pool images = Pool.of(dev.al4j.core.PoolInputs.of(x), 3).withLabels(range(0, 12), y);
        Dl4jModel m = SupervisedContrastiveLearner.of(Architectures.resNet18().withWidth(2),
                Training.adam(1e-3).withEpochs(1).withBatchSize(6)).withProjection(8, 4)
                .withClassifierTraining(Training.adam(1e-2).withEpochs(2).withBatchSize(6))
                .fit(TrainingData.of(images, 1));
        assertArrayEquals(new long[] {12, 16}, m.predict(images, range(0, 12)).embeddings().shape());
        java.util.Map<String, INDArray> stats = BatchNormMcDropoutTest.runningStatistics(m.network());
        INDArray stemMean = stats.get("stem_bn/" + org.deeplearning4j.nn.params.BatchNormalizationParamInitializer
                .GLOBAL_MEAN);
        assertTrue(stemMean.amaxNumber().doubleValue() > 0, "running mean not copied from the encoder");
    }

    @Test
    void valueSemantics() {
        SupervisedContrastiveLearner a = SupervisedContrastiveLearner.of(Architectures.mlp(), Training.defaults());
        assertEquals("SupervisedContrastiveLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20)"
                + ".withBatchSize(64))", a.toString());
        assertEquals("SupervisedContrastiveLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20)"
                + ".withBatchSize(64)).withTemperature(0.5).withProjection(64, 32)",
                a.withTemperature(0.5).withProjection(64, 32).toString());
        assertEquals(a, SupervisedContrastiveLearner.of(Architectures.mlp(), Training.adam(1e-3)));
        assertEquals(a.hashCode(), SupervisedContrastiveLearner.of(Architectures.mlp(), Training.adam(1e-3))
                .hashCode());
        assertThrows(IllegalArgumentException.class, () -> a.withTemperature(0));
        assertThrows(IllegalArgumentException.class,
                () -> SupervisedContrastiveLearner.of(Architectures.mlp(), Training.defaults().withWarmStart(true)));
    }
}
