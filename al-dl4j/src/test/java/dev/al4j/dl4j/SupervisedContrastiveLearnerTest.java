package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.assertClose;
import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.al4j.core.Seeds;

import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        // Batches of 30 samples in two (here identical) views, about 20 views per class: perfectly separated classes
        // give ℓ_i ≈ log 19 = 2.944 (19 positives, and negatives contribute nothing).
        assertTrue(losses[3] < 3.3, "contrastive loss should approach log 19: " + losses[3]);
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
    void identicalViewsWithoutAnAugmenterByHand() {
        // Samples (1, 0) of class 0 and (0, 1) of class 1, τ = 1, no augmenter: two identical views each.
        // Anchor (1, a): positive (1, b) with z·z = 1; others (2, a), (2, b) with 0 →
        // ℓ = −log(e / (e + 2)) = log(1 + 2/e) = 0.5514447, and the same for all four anchors: Σ = 2.2057789.
        // A single-view batch has no positive at all (loss 0).
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        INDArray y = SupervisedContrastiveLossTest.oneHot(new int[] {0, 1}, 2);
        EpochLoop.Batch batch = SupervisedContrastiveLearner.twoViews(x, y, new int[] {0, 1}, 0, null, new long[] {2},
                5);
        assertEquals(Nd4j.concat(0, x, x), batch.inputs());
        assertEquals(Nd4j.concat(0, y, y), batch.oneHot());
        SupervisedContrastiveLoss loss = new SupervisedContrastiveLoss(1.0);
        assertEquals(2.2057789, loss.computeScore(batch.oneHot(), batch.inputs(), new ActivationIdentity(), null,
                false), 1e-6);
        assertEquals(0.0, loss.computeScore(y, x, new ActivationIdentity(), null, false), 0);
    }

    /**
     * Seed 000 eq. 1 written out over an augmented batch: views[i][v] are the projections of view v of sample i;
     * the anchors are all (i, v); A = all other (j, w); P = the other (j, w) with y_j = y_i.
     */
    static double naiveEquationOne(double[][][] views, int[] y, double tau) {
        int n = views.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < 2; v++) {
                double[] zi = normalised(views[i][v]);
                double denominator = 0;
                for (int j = 0; j < n; j++) {
                    for (int w = 0; w < 2; w++) {
                        if (j != i || w != v) {
                            denominator += Math.exp(SupervisedContrastiveLossTest.dot(zi, normalised(views[j][w]))
                                    / tau);
                        }
                    }
                }
                double sum = 0;
                int positives = 0;
                for (int j = 0; j < n; j++) {
                    for (int w = 0; w < 2; w++) {
                        if ((j != i || w != v) && y[j] == y[i]) {
                            positives++;
                            sum += Math.log(Math.exp(SupervisedContrastiveLossTest.dot(zi, normalised(views[j][w]))
                                    / tau) / denominator);
                        }
                    }
                }
                assertTrue(positives >= 1, "every anchor of an augmented batch has a positive");
                total += -sum / positives;
            }
        }
        return total;
    }

    static double[] normalised(double[] a) {
        double n = Math.sqrt(SupervisedContrastiveLossTest.dot(a, a));
        double[] z = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            z[i] = a[i] / n;
        }
        return z;
    }

    @Property(tries = 20)
    void augmentedBatchLossEqualsEquationOne(@ForAll @IntRange(min = 1, max = 6) int b,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 0, max = 5) int epoch,
            @ForAll long seed) {
        // b images 1×4×4 (some classes with a single sample), views from a flip-and-crop augmenter; the projections
        // are the views themselves. The naive side augments each sample alone with the documented seeds.
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        ImageAugmenter augmenter = ImageAugmenter.of(1, 4, 4).withMaxShift(1);
        int[] y = r.ints(b, 0, k).toArray();
        int[] rows = r.ints(b, 0, 100).toArray();
        double[][] pixels = new double[b][16];
        for (double[] image : pixels) {
            for (int p = 0; p < 16; p++) {
                image[p] = 0.1 + r.nextDouble();
            }
        }
        INDArray x = Nd4j.createFromArray(pixels); // network inputs of an MLP: flattened
        double tau = 0.07 + r.nextDouble();
        long viewSeed = r.nextLong();
        EpochLoop.Batch batch = SupervisedContrastiveLearner.twoViews(x, SupervisedContrastiveLossTest.oneHot(y, k),
                rows, epoch, augmenter, new long[] {1, 4, 4}, viewSeed);
        double[][][] views = new double[b][2][];
        for (int i = 0; i < b; i++) {
            for (int v = 0; v < 2; v++) {
                INDArray one = Nd4j.createFromArray(pixels[i]).reshape(1, 1, 4, 4);
                views[i][v] = augmenter.augment(one, new long[] {Seeds.mix(viewSeed, epoch, rows[i], v)})
                        .reshape(16).toDoubleVector();
                assertArrayEquals(views[i][v], batch.inputs().getRow(v * b + i).toDoubleVector(), 0);
            }
        }
        double expected = naiveEquationOne(views, y, tau);
        double actual = new SupervisedContrastiveLoss(tau).computeScore(batch.oneHot(), batch.inputs(),
                new ActivationIdentity(), null, false);
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void augmentedTrainingIsReproducibleAndUsesTheAugmenter() {
        INDArray images = data.asImages(8);
        Pool imagePool = data.pool(images, 60);
        SupervisedContrastiveLearner plain = SupervisedContrastiveLearner.of(Architectures.mlp().withHiddenLayers(8),
                Training.adam(1e-3).withEpochs(2).withBatchSize(20)).withProjection(8, 4)
                .withClassifierTraining(Training.adam(1e-2).withEpochs(1));
        SupervisedContrastiveLearner augmented = plain.withAugmenter(ImageAugmenter.of(1, 8, 8));
        assertEquals(plain + ".withAugmenter(ImageAugmenter.of(1, 8, 8))", augmented.toString());
        INDArray a = augmented.fit(TrainingData.of(imagePool, 3)).network().params();
        assertEquals(a, augmented.fit(TrainingData.of(imagePool, 3)).network().params());
        assertNotEquals(a, plain.fit(TrainingData.of(imagePool, 3)).network().params());
        assertEquals(augmented, plain.withAugmenter(ImageAugmenter.of(1, 8, 8)));
        assertNotEquals(augmented, plain);
        assertThrows(NullPointerException.class, () -> plain.withAugmenter(null));
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
