package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.assertClose;
import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** MC dropout on the MLP: shapes, seeding, a naive reference, and independence from batching. */
class McDropoutTest {

    static final int K = 3;
    static SyntheticData data;
    static Pool pool;
    static Dl4jModel model;

    @BeforeAll
    static void train() {
        data = SyntheticData.blobs(120, 64, K, 21);
        pool = data.pool(60);
        model = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(32, 24).withDropout(0.3),
                Training.adam(1e-3).withEpochs(3).withBatchSize(16)).withDefaultPasses(7)
                .fit(TrainingData.of(pool, 8));
    }

    @Test
    void shapeAndRows() {
        INDArray mc = model.stochasticProbabilities(pool, new int[] {5, 90, 61}, 4, 1);
        assertArrayEquals(new long[] {4, 3, K}, mc.shape());
        INDArray sums = mc.sum(2);
        assertTrue(sums.sub(1.0).amaxNumber().doubleValue() < 1e-5);
        assertEquals(7, model.defaultPasses());
    }

    @Test
    void passesDifferButTheSeedReproducesThem() {
        int[] ids = range(60, 120);
        INDArray a = model.stochasticProbabilities(pool, ids, 5, 42);
        INDArray b = model.stochasticProbabilities(pool, ids, 5, 42);
        INDArray c = model.stochasticProbabilities(pool, ids, 5, 43);
        assertEquals(a, b);
        assertNotEquals(a, c);
        for (int t = 1; t < 5; t++) {
            assertNotEquals(a.slice(0), a.slice(t), "pass " + t + " equals pass 0");
        }
    }

    @Test
    void matchesANaiveReference() {
        // softmax(W^T (m ⊙ z) + b) for every pass t and sample id, with z the (deterministic) embedding, m the
        // inverted-dropout mask of (seed, t, id), computed here one sample at a time in double precision.
        int[] ids = {7, 100, 3, 64};
        int passes = 3;
        long seed = 5;
        INDArray z = model.predict(pool, ids).embeddings();
        INDArray w = model.network().getParam(Architecture.OUTPUT + "_W"); // [d, K]
        INDArray bias = model.network().getParam(Architecture.OUTPUT + "_b"); // [K]
        int d = model.embeddingSize();
        INDArray mc = model.stochasticProbabilities(pool, ids, passes, seed);
        for (int t = 0; t < passes; t++) {
            for (int i = 0; i < ids.length; i++) {
                float[] mask = new float[d];
                model.mask(seed, t, ids[i], mask, 0);
                int dropped = 0;
                double[] logits = new double[K];
                for (int k = 0; k < K; k++) {
                    logits[k] = bias.getDouble(k);
                    for (int j = 0; j < d; j++) {
                        logits[k] += z.getDouble(i, j) * mask[j] * w.getDouble(j, k);
                    }
                }
                for (int j = 0; j < d; j++) {
                    // inverted dropout with rate 0.3: every entry is 0 or 1/0.7
                    assertTrue(mask[j] == 0f || Math.abs(mask[j] - 1 / 0.7) < 1e-6, "mask entry " + mask[j]);
                    dropped += mask[j] == 0f ? 1 : 0;
                }
                assertTrue(dropped < d, "everything dropped");
                double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
                double sum = 0;
                for (int k = 0; k < K; k++) {
                    sum += Math.exp(logits[k] - max);
                }
                for (int k = 0; k < K; k++) {
                    assertEquals(Math.exp(logits[k] - max) / sum, mc.getDouble(t, i, k), 1e-5,
                            "pass " + t + " id " + ids[i] + " class " + k);
                }
            }
        }
    }

    @Test
    void masksDropAboutTheRateOnAverage() {
        int d = model.embeddingSize();
        float[] m = new float[d * 500];
        for (int id = 0; id < 500; id++) {
            model.mask(9, 0, id, m, id * d);
        }
        int dropped = 0;
        for (float v : m) {
            dropped += v == 0f ? 1 : 0;
        }
        // Binomial(12 000, 0.3): mean 3 600, std 50; allow 5 std.
        assertEquals(3600, dropped, 250);
    }

    @Test
    void resultsDoNotDependOnBatchingOrOrder() {
        int[] ids = range(0, 120);
        INDArray whole = model.stochasticProbabilities(pool, ids, 4, 3);
        Dl4jModel batched = Dl4jLearner.of(model.architecture(), model.training()).withInferenceBatchSize(7)
                .fit(TrainingData.of(pool, 8));
        assertClose(whole, batched.stochasticProbabilities(pool, ids, 4, 3), 1e-5);
        int[] reversed = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            reversed[i] = ids[ids.length - 1 - i];
        }
        INDArray r = model.stochasticProbabilities(pool, reversed, 4, 3);
        for (int i = 0; i < ids.length; i++) {
            assertClose(whole.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()),
                    r.get(NDArrayIndex.all(), NDArrayIndex.point(ids.length - 1 - i), NDArrayIndex.all()), 1e-5);
        }
    }

    @Test
    void worksWhenTheEmbeddingIsTheFirstLayer() {
        // regression: DL4J fails when asked for the output of the first layer alone
        Dl4jModel one = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(8), Training.adam(1e-3).withEpochs(1))
                .fit(TrainingData.of(pool, 1));
        assertArrayEquals(new long[] {2, 5, K}, one.stochasticProbabilities(pool, range(0, 5), 2, 1).shape());
        assertArrayEquals(new long[] {2, 5, K}, one.stochasticProbabilities(pool, range(0, 5), 2, 1).shape());
    }

    @Test
    void mcPassesChangeNoParameter() {
        INDArray before = model.network().params();
        model.stochasticProbabilities(pool, range(0, 120), 5, 1);
        assertEquals(before, model.network().params());
    }

    @Test
    void deterministicPredictionsAreUnaffectedByMcPasses() {
        int[] ids = range(0, 30);
        INDArray before = model.probabilities(pool, ids);
        model.stochasticProbabilities(pool, ids, 3, 1);
        assertEquals(before, model.probabilities(pool, ids));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> model.stochasticProbabilities(pool, new int[] {0}, 0, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> model.stochasticProbabilities(pool, new int[] {-1}, 2, 1));
        assertArrayEquals(new long[] {2, 0, K}, model.stochasticProbabilities(pool, new int[0], 2, 1).shape());
    }
}
