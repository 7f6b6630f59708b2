package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Capabilities;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Predictions;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MlpLearnerTest {

    static final int N = 400;
    static final int LABELED = 200;
    static final int K = 4;
    static SyntheticData data;
    static Pool pool;
    static Dl4jLearner learner;
    static Dl4jModel model;
    static List<long[]> fitProgress = new ArrayList<>();

    @BeforeAll
    static void train() {
        data = SyntheticData.blobs(N, 784, K, 11);
        pool = data.pool(LABELED);
        learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(4).withBatchSize(32));
        model = learner.fit(TrainingData.of(pool, 5), (task, done, total) -> {
            if (task.equals("fit")) {
                fitProgress.add(new long[] {done, total});
            }
        });
    }

    @Test
    void lossDecreasesAndAccuracyIsFarAboveChance() {
        double[] losses = model.trainingLosses();
        assertEquals(4, losses.length);
        assertTrue(losses[3] < losses[0], "loss should decrease: " + java.util.Arrays.toString(losses));
        int[] test = range(LABELED, N);
        INDArray predicted = model.probabilities(pool, test).argMax(1);
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            correct += predicted.getInt(i) == data.labels[test[i]] ? 1 : 0;
        }
        // Chance is 1/K = 0.25; the blobs are far apart, so a trained MLP should be nearly perfect.
        assertTrue(correct / (double) test.length > 0.9, "accuracy " + correct / (double) test.length);
    }

    @Test
    void reportsEveryEpochToProgress() {
        assertEquals(4, fitProgress.size());
        for (int e = 0; e < 4; e++) {
            assertArrayEquals(new long[] {e + 1, 4}, fitProgress.get(e));
        }
    }

    @Test
    void shapesAndProbabilityRows() {
        int[] ids = {399, 0, 17, 250};
        Predictions p = model.predict(pool, ids);
        assertArrayEquals(new long[] {4, K}, p.probabilities().shape());
        assertArrayEquals(new long[] {4, 256}, p.embeddings().shape());
        assertEquals(256, model.embeddingSize());
        assertEquals(K, model.numClasses());
        INDArray sums = p.probabilities().sum(1);
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, sums.getDouble(i), 1e-5);
        }
        assertArrayEquals(new long[] {0, K}, model.probabilities(pool, new int[0]).shape());
    }

    @Test
    void embeddingsAreThePenultimateActivationsOfTheSameForwardPass() {
        int[] ids = range(0, 50);
        Predictions p = model.predict(pool, ids);
        ComputationGraph net = model.network();
        var activations = net.feedForward(data.inputs.get(NDArrayIndex.interval(0, 50), NDArrayIndex.all()), false);
        assertTrue(p.embeddings().equalsWithEps(activations.get("dense2"), 1e-6));
        assertTrue(p.probabilities().equalsWithEps(activations.get("output"), 1e-6));
        assertTrue(p.probabilities().equalsWithEps(model.probabilities(pool, ids), 1e-6));
    }

    @Test
    void batchedInferenceEqualsOnePass() {
        int[] ids = range(0, N);
        Dl4jModel small = Dl4jLearner.of(Architectures.mlp(), learner.training()).withInferenceBatchSize(7)
                .fit(TrainingData.of(pool, 5));
        assertEquals(model.network().params(), small.network().params());
        Predictions whole = model.predict(pool, ids);
        Predictions batched = small.predict(pool, ids);
        // BLAS kernels differ with the row count, so float results agree to rounding, not bit for bit.
        assertClose(whole.probabilities(), batched.probabilities(), 1e-5);
        assertClose(whole.embeddings(), batched.embeddings(), 1e-5);
    }

    @Test
    void inferenceReportsBatches() {
        List<long[]> batches = new ArrayList<>();
        Dl4jModel m = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(8), Training.adam(1e-3).withEpochs(1))
                .withInferenceBatchSize(100)
                .fit(TrainingData.of(pool, 1), (task, done, total) -> {
                    if (task.equals("inference")) {
                        batches.add(new long[] {done, total});
                    }
                });
        m.probabilities(pool, range(0, 250)); // 3 batches: 100, 100, 50
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {3, 3}, batches.get(2));
    }

    @Test
    void sameDataAndSeedGiveTheSameWeights() {
        TrainingData d = TrainingData.of(pool, 99);
        Learner2 l = new Learner2();
        INDArray a = l.fit(d).network().params();
        INDArray b = l.fit(d).network().params();
        assertEquals(a, b);
        INDArray c = l.fit(TrainingData.of(pool, 100)).network().params();
        assertNotEquals(a, c);
    }

    /** A small MLP with dropout, two epochs. */
    static final class Learner2 {
        final Dl4jLearner l = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(32, 16),
                Training.adam(1e-3).withEpochs(2).withBatchSize(16));

        Dl4jModel fit(TrainingData d) {
            return l.fit(d);
        }
    }

    @Test
    void imageShapedInputsAreFlattened() {
        Pool images = data.pool(data.asImages(28), LABELED);
        Dl4jModel fromImages = learner.fit(TrainingData.of(images, 5));
        assertEquals(model.network().params(), fromImages.network().params());
        int[] ids = range(0, 20);
        assertTrue(model.probabilities(pool, ids).equalsWithEps(fromImages.probabilities(images, ids), 1e-6));
        // a model trained on flat inputs reads an image pool of the same size, too
        assertTrue(model.probabilities(pool, ids).equalsWithEps(model.probabilities(images, ids), 1e-6));
    }

    @Test
    void probabilitiesOfArraysOutsideThePool() {
        int[] ids = range(0, 30);
        INDArray rows = pool.requireInputs("test").rows(ids);
        assertClose(model.probabilities(pool, ids), model.probabilities(rows), 1e-5);
        assertClose(model.probabilities(pool, ids), model.probabilities(rows.reshape('c', 30, 1, 28, 28)), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> model.probabilities(Nd4j.rand(3, 10)));
    }

    @Test
    void concurrentCallersGetTheSameAnswers() throws Exception {
        int[] ids = range(0, N);
        INDArray expected = model.predict(pool, ids).embeddings();
        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            List<Future<INDArray>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(executor.submit(() -> model.predict(pool, ids).embeddings()));
            }
            for (Future<INDArray> f : futures) {
                assertTrue(expected.equalsWithEps(f.get(), 1e-6));
            }
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void warmStartContinuesFromThePreviousModel() {
        Training t = Training.adam(1e-3).withEpochs(1).withBatchSize(32);
        Dl4jLearner warm = Dl4jLearner.of(Architectures.mlp(), t.withWarmStart(true));
        Dl4jLearner cold = Dl4jLearner.of(Architectures.mlp(), t);
        TrainingData d = TrainingData.of(pool, 3);
        Dl4jModel first = warm.fit(d);
        Dl4jModel second = warm.fit(d);
        Dl4jModel fresh = cold.fit(d);
        assertEquals(first.network().params(), fresh.network().params()); // the first warm fit starts fresh
        // The second warm fit starts where the first ended, so its first epoch's loss is already lower.
        assertTrue(second.trainingLosses()[0] < fresh.trainingLosses()[0],
                second.trainingLosses()[0] + " vs " + fresh.trainingLosses()[0]);
    }

    @Test
    void warmStartIsReproducibleWhateverTheGlobalRandomGeneratorDid() {
        Training t = Training.adam(1e-3).withEpochs(1).withBatchSize(32).withWarmStart(true);
        TrainingData d = TrainingData.of(pool, 3);
        INDArray[] weights = new INDArray[2];
        for (int run = 0; run < 2; run++) {
            Dl4jLearner warm = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16), t);
            warm.fit(d);
            Nd4j.getRandom().nextDouble(); // disturb ND4J's thread RNG: dropout masks must not depend on it
            Nd4j.rand(run + 3, 5);
            weights[run] = warm.fit(d).network().params();
        }
        assertEquals(weights[0], weights[1]);
    }

    @Test
    void networkConfigurationSurvivesJson() {
        var conf = model.network().getConfiguration();
        var back = org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf.toJson(), back.toJson());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        Dl4jModel m = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16),
                Training.adam(1e-3).withEpochs(6).withEarlyStopping(0.25, 2)).fit(TrainingData.of(pool, 4));
        double[] v = m.validationLosses();
        assertEquals(m.trainingLosses().length, v.length);
        assertTrue(v.length >= 1 && v.length <= 6);
    }

    @Test
    void capabilities() {
        assertTrue(model.supports(EmbeddingModel.class));
        assertTrue(model.supports(StochasticModel.class));
        Dl4jModel noDropout = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(8).withDropout(0),
                Training.adam(1e-3).withEpochs(1)).fit(TrainingData.of(pool, 1));
        assertFalse(noDropout.supports(StochasticModel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capabilities.require(noDropout, StochasticModel.class, "BALD"));
        assertTrue(e.getMessage().contains("StochasticModel"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> noDropout.stochasticProbabilities(pool, new int[] {0}, 3, 1));
        assertTrue(s.getMessage().contains("dropout"), s.getMessage());
    }

    @Test
    void badInputsFailClearly() {
        TrainingData noInputs = new TrainingData(new int[] {0}, null, new int[] {0}, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> learner.fit(noInputs));
        assertTrue(e.getMessage().contains("inputs"), e.getMessage());
        Pool other = Pool.of(PoolInputs.of(Nd4j.rand(5, 10)), K);
        e = assertThrows(IllegalArgumentException.class, () -> model.probabilities(other, new int[] {0}));
        assertTrue(e.getMessage().contains("[10]"), e.getMessage());
        Pool otherClasses = Pool.of(PoolInputs.of(data.inputs), K + 1);
        assertThrows(IllegalArgumentException.class, () -> model.probabilities(otherClasses, new int[] {0}));
        assertThrows(IndexOutOfBoundsException.class, () -> model.probabilities(pool, new int[] {N}));
        assertThrows(IllegalStateException.class,
                () -> model.probabilities(Pool.withoutInputs(3, K), new int[] {0}));
    }

    @Test
    void trainableParameterCountOfTheAskNLearnMlp() {
        // 784·256+256 + 2·(256·256+256) + 256·4+4 = 200 960 + 131 584 + 1 028 = 333 572
        assertEquals(333_572, model.trainableParameters());
    }

    /** Max absolute difference relative to the largest magnitude (at least 1). */
    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, "max difference " + diff + " (scale " + scale + ")");
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
