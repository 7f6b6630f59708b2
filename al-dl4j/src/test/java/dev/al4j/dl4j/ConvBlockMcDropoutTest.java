package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.assertClose;
import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MC dropout with the dropout after the convolutional blocks (seed 000, appendix A.3: dropout 0.3 after the
 * convolutional layers of the ResNet blocks, 50 passes): the graph, value semantics, BatchNorm in inference mode
 * during the passes, passes that differ, and independence from batching.
 */
class ConvBlockMcDropoutTest {

    static final int N = 12;
    static final Architecture SEED_000 = Architectures.resNet18().withWidth(4).withDropout(0.3)
            .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS);
    static Pool pool;
    static Dl4jLearner learner;
    static Dl4jModel model;

    @BeforeAll
    static void train() {
        INDArray x = ArchitecturesTest.images(N, 3, 16, 31);
        int[] labels = new int[8];
        for (int i = 0; i < 8; i++) {
            labels[i] = i % 3;
        }
        pool = Pool.of(PoolInputs.of(x), 3).withLabels(range(0, 8), labels);
        learner = Dl4jLearner.of(SEED_000, Training.adam(1e-2).withEpochs(2).withBatchSize(4)).withDefaultPasses(50);
        model = learner.fit(TrainingData.of(pool, 2));
    }

    /** The dropout vertices of a configuration, by name. */
    static Map<String, McDropoutVertex> dropoutVertices(ComputationGraphConfiguration conf) {
        Map<String, McDropoutVertex> found = new java.util.TreeMap<>();
        conf.getVertices().forEach((name, v) -> {
            if (v instanceof McDropoutVertex d) {
                found.put(name, d);
            }
        });
        return found;
    }

    static org.deeplearning4j.nn.conf.dropout.IDropout classifierDropout(ComputationGraphConfiguration conf) {
        return ((LayerVertex) conf.getVertices().get(Architecture.OUTPUT)).getLayerConf().getLayer().getIDropout();
    }

    @Test
    void theDropoutSitsAfterEveryConvolutionalBlockAndNotOnTheEmbedding() {
        record Case(Architecture a, long[] sample, List<String> expected) {}
        for (Case c : List.of(
                new Case(SEED_000, new long[] {3, 16, 16}, List.of("s1b1_relu_dropout", "s1b2_relu_dropout",
                        "s2b1_relu_dropout", "s2b2_relu_dropout", "s3b1_relu_dropout", "s3b2_relu_dropout",
                        "s4b1_relu_dropout", "s4b2_relu_dropout")),
                new Case(Architectures.vgg16().withWidth(2).withDropout(0.3)
                        .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS), new long[] {3, 32, 32},
                        List.of("pool1_dropout", "pool2_dropout", "pool3_dropout", "pool4_dropout", "pool5_dropout")),
                new Case(Architectures.smallCnn().withFilters(2).withDenseSize(4)
                        .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS), new long[] {1, 28, 28},
                        List.of("pool_dropout")))) {
            ComputationGraphConfiguration conf = c.a().build(Dl4jLearner.baseConfiguration(Training.defaults(), 1),
                    c.sample(), 3, 2).configuration();
            Map<String, McDropoutVertex> d = dropoutVertices(conf);
            assertEquals(new java.util.TreeSet<>(c.expected()), d.keySet(), c.a().toString());
            assertEquals(c.expected().size(), d.values().stream().mapToInt(McDropoutVertex::index).distinct().count());
            for (McDropoutVertex v : d.values()) {
                assertEquals(c.a().dropout(), v.rate(), 0);
            }
            assertNull(classifierDropout(conf), c.a().toString()); // no dropout on the embedding then
            // the default placement: dropout on the embedding only
            ComputationGraphConfiguration embedding = c.a().withDropoutPlacement(DropoutPlacement.EMBEDDING)
                    .build(Dl4jLearner.baseConfiguration(Training.defaults(), 1), c.sample(), 3, 2).configuration();
            assertTrue(dropoutVertices(embedding).isEmpty());
            assertEquals(new SeededDropout(c.a().dropout(), 2), classifierDropout(embedding));
        }
        // block outputs feed the next block through the dropout: s1b2's first conv reads s1b1's dropout
        ComputationGraphConfiguration conf = SEED_000.build(Dl4jLearner.baseConfiguration(Training.defaults(), 1),
                new long[] {3, 16, 16}, 3, 2).configuration();
        assertEquals(List.of("s1b1_relu_dropout"), conf.getVertexInputs().get("s1b2_a_conv"));
        assertEquals(List.of("s4b2_relu_dropout"), conf.getVertexInputs().get("pool"));
    }

    @Test
    void ratePlacementAndPassesAreValueOptions() {
        assertEquals("Architectures.resNet18().withWidth(4).withDropout(0.3)"
                + ".withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS)", SEED_000.toString());
        assertEquals(SEED_000, Architectures.resNet18().withWidth(4).withDropoutPlacement(
                DropoutPlacement.AFTER_CONV_BLOCKS).withDropout(0.3));
        assertEquals(SEED_000.hashCode(), Architectures.resNet18().withWidth(4).withDropoutPlacement(
                DropoutPlacement.AFTER_CONV_BLOCKS).withDropout(0.3).hashCode());
        assertNotEquals(SEED_000, SEED_000.withDropoutPlacement(DropoutPlacement.EMBEDDING));
        assertNotEquals(SEED_000, SEED_000.withDropout(0.5));
        assertEquals("Architectures.resNet18().withWidth(4).withDropout(0.3)",
                SEED_000.withDropoutPlacement(DropoutPlacement.EMBEDDING).toString());
        assertEquals("Architectures.vgg16().withDropout(0.3).withDropoutPlacement(DropoutPlacement"
                + ".AFTER_CONV_BLOCKS)", Architectures.vgg16().withDropout(0.3)
                .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS).toString());
        assertEquals("Architectures.smallCnn().withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS)",
                Architectures.smallCnn().withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS).toString());
        assertNotEquals(Architectures.vgg16().withDropout(0.3), Architectures.vgg16().withDropout(0.3)
                .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS));
        assertNotEquals(Architectures.smallCnn(), Architectures.smallCnn()
                .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS));
        // through the abstract type, as a command line would
        Architecture a = Architectures.smallCnn();
        assertEquals(DropoutPlacement.AFTER_CONV_BLOCKS,
                a.withDropout(0.3).withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS).dropoutPlacement());
        assertEquals(DropoutPlacement.EMBEDDING, Architectures.mlp().dropoutPlacement());
        assertEquals(Architectures.mlp(), Architectures.mlp().withDropoutPlacement(DropoutPlacement.EMBEDDING));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.mlp().withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS));
        assertEquals("Architectures.mlp() has no convolutional blocks: its dropout can only sit on the embedding "
                + "(DropoutPlacement.EMBEDDING), found AFTER_CONV_BLOCKS", e.getMessage());
        assertThrows(NullPointerException.class, () -> SEED_000.withDropoutPlacement(null));
        // the learner echoes the architecture (rate, placement) and the passes
        assertEquals("Dl4jLearner.of(" + SEED_000 + ", Training.adam(0.01).withEpochs(2).withBatchSize(4))"
                + ".withDefaultPasses(50)", learner.toString());
        assertNotEquals(learner, learner.withDefaultPasses(10));
        assertEquals(learner, Dl4jLearner.of(SEED_000, learner.training()).withDefaultPasses(50));
        assertEquals(50, model.defaultPasses());
        // calibration needs its dropout on the embedding
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> learner.withCalibration(ConfidenceCalibration.varianceWeighted(3)));
        assertTrue(c.getMessage().contains("EMBEDDING"), c.getMessage());
    }

    @Test
    void passesDifferAndTheSeedReproducesThem() {
        assertTrue(model.supports(StochasticModel.class));
        INDArray a = model.stochasticProbabilities(pool, range(0, N), 5, 42);
        assertArrayEquals(new long[] {5, N, 3}, a.shape());
        assertTrue(a.sum(2).sub(1.0).amaxNumber().doubleValue() < 1e-5);
        assertEquals(a, model.stochasticProbabilities(pool, range(0, N), 5, 42));
        assertNotEquals(a, model.stochasticProbabilities(pool, range(0, N), 5, 43));
        for (int t = 1; t < 5; t++) {
            assertNotEquals(a.slice(0), a.slice(t), "pass " + t + " equals pass 0");
        }
    }

    @Test
    void mcPassesKeepBatchNormInInferenceModeAndChangeNothing() {
        Map<String, INDArray> before = BatchNormMcDropoutTest.runningStatistics(model.network());
        INDArray stemMean = before.get("stem_bn/" + org.deeplearning4j.nn.params.BatchNormalizationParamInitializer
                .GLOBAL_MEAN);
        assertTrue(stemMean.amaxNumber().doubleValue() > 1e-4, "training never moved the running statistics");
        INDArray params = model.network().params();
        INDArray deterministic = model.probabilities(pool, range(0, N));
        INDArray all = model.stochasticProbabilities(pool, range(0, N), 4, 11);
        assertEquals(before, BatchNormMcDropoutTest.runningStatistics(model.network()));
        assertEquals(params, model.network().params());
        assertEquals(deterministic, model.probabilities(pool, range(0, N))); // the passes leave dropout off after
        // With batch statistics a sample's output would depend on its batch; with running statistics and masks of
        // (seed, t, id) it does not: each sample alone gives its rows of the whole batch.
        for (int id : new int[] {0, 5, 11}) {
            INDArray alone = model.stochasticProbabilities(pool, new int[] {id}, 4, 11);
            assertClose(all.get(NDArrayIndex.all(), NDArrayIndex.interval(id, id + 1), NDArrayIndex.all()), alone,
                    1e-5);
        }
        // and in batches of 5, reversed
        Dl4jModel batched = Dl4jLearner.of(SEED_000, learner.training()).withInferenceBatchSize(5)
                .fit(TrainingData.of(pool, 2));
        int[] reversed = new int[N];
        for (int i = 0; i < N; i++) {
            reversed[i] = N - 1 - i;
        }
        INDArray r = batched.stochasticProbabilities(pool, reversed, 4, 11);
        for (int i = 0; i < N; i++) {
            assertClose(all.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()),
                    r.get(NDArrayIndex.all(), NDArrayIndex.point(N - 1 - i), NDArrayIndex.all()), 1e-5);
        }
    }

    @Test
    void withAlmostNoDropoutAPassIsTheInferenceNetwork() {
        // Naive reference: a mask of all 1/(1 − r) with r → 0 is the identity, so each pass must equal the
        // deterministic inference-mode output (running statistics), which a pass with BatchNorm on batch statistics
        // or with a different network would not.
        Architecture tiny = SEED_000.withDropout(1e-9);
        Dl4jModel m = Dl4jLearner.of(tiny, learner.training()).fit(TrainingData.of(pool, 2));
        INDArray mc = m.stochasticProbabilities(pool, range(0, N), 2, 1);
        INDArray p = m.probabilities(pool, range(0, N));
        assertClose(p, mc.slice(0), 1e-5);
        assertClose(p, mc.slice(1), 1e-5);
        ComputationGraph net = m.network();
        INDArray batchMode = net.feedForward(pool.requireInputs("test").rows(range(0, N)), true)
                .get(Architecture.OUTPUT);
        assertTrue(batchMode.sub(p).amaxNumber().doubleValue() > 1e-3, "batch statistics would not be noticed");
    }

    @Test
    void trainingIsReproducibleAndUsesTheDropout() {
        assertEquals(model.network().params(), learner.fit(TrainingData.of(pool, 2)).network().params());
        assertNotEquals(model.network().params(), learner.fit(TrainingData.of(pool, 3)).network().params());
        // training-mode forward passes drop: different iterations, different masks (no BatchNorm in this network)
        Architecture cnn = Architectures.smallCnn().withFilters(2).withDenseSize(4).withDropout(0.5)
                .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS);
        ComputationGraph net = new ComputationGraph(cnn.build(Dl4jLearner.baseConfiguration(Training.defaults(), 1),
                new long[] {1, 28, 28}, 3, 2).configuration());
        net.init();
        INDArray x = ArchitecturesTest.images(3, 1, 28, 5);
        INDArray first = net.feedForward(x, true).get("pool_dropout");
        assertEquals(first, net.feedForward(x, true).get("pool_dropout"));
        INDArray pooled = net.feedForward(x, false).get("pool");
        assertEquals(pooled, net.feedForward(x, false).get("pool_dropout")); // inference: the identity
        // every entry is dropped (0) or scaled by 1/(1 − 0.5) = 2
        INDArray ratio = first.div(pooled.add(1e-30));
        for (double v : ratio.dup().data().asDouble()) {
            assertTrue(Math.abs(v) < 1e-6 || Math.abs(v - 2) < 1e-4, "ratio " + v);
        }
        net.getConfiguration().setIterationCount(1);
        assertNotEquals(first, net.feedForward(x, true).get("pool_dropout"));
    }
}
