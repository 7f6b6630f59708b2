package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Label dispersion (Bengar et al. 2021, seed 001): the score on hand-made label histories, the learner's epoch
 * recording, the query and the refusal of models without recorded epochs.
 */
class LabelDispersionTest {

    /** A model whose epoch probabilities are given rows {@code [T, N, K]} for the pool ids {@code 0..N-1}. */
    record HistoryModel(double[][][] byEpoch, int numClasses) implements EpochPredictionModel {

        /** One-hot rows of the given label histories, {@code histories[id][t]}. */
        static HistoryModel ofLabels(int[][] histories, int k) {
            int t = histories[0].length;
            double[][][] p = new double[t][histories.length][k];
            for (int id = 0; id < histories.length; id++) {
                for (int e = 0; e < t; e++) {
                    p[e][id][histories[id][e]] = 1;
                }
            }
            return new HistoryModel(p, k);
        }

        @Override
        public int[] recordedEpochs() {
            int[] epochs = new int[byEpoch.length];
            Arrays.setAll(epochs, e -> e + 1);
            return epochs;
        }

        @Override
        public INDArray epochProbabilities(Pool pool, int[] ids) {
            double[][][] picked = new double[byEpoch.length][ids.length][];
            for (int e = 0; e < byEpoch.length; e++) {
                for (int i = 0; i < ids.length; i++) {
                    picked[e][i] = byEpoch[e][ids[i]];
                }
            }
            return Nd4j.createFromArray(picked);
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return epochProbabilities(pool, ids).get(NDArrayIndex.point(byEpoch.length - 1), NDArrayIndex.all(),
                    NDArrayIndex.all());
        }
    }

    /** The naive definition: {@code 1 − f/T}, {@code f} the count of the most frequent label of the history. */
    static double naiveDispersion(int[] history, int k) {
        int[] counts = new int[k];
        for (int label : history) {
            counts[label]++;
        }
        return 1.0 - (double) Arrays.stream(counts).max().getAsInt() / history.length;
    }

    /** The scores the strategy reports, by pool id, for a pool of {@code n} unlabeled samples. */
    static double[] scoresById(EpochPredictionModel model, int n, int k) {
        Selection s = Dl4jStrategies.labelDispersion().select(Pool.withoutInputs(n, k), model, n);
        double[] scores = s.scores().orElseThrow();
        double[] byId = new double[n];
        for (int i = 0; i < n; i++) {
            byId[s.ids()[i]] = scores[i];
        }
        return byId;
    }

    @Test
    void dispersionOfHandMadeHistories() {
        int[][] histories = {
            {0, 0, 0, 0, 0}, // id 0: never changes: 1 − 5/5 = 0
            {0, 1, 0, 1, 2}, // id 1: counts (2, 2, 1): f = 2, 1 − 2/5 = 0.6
            {2, 2, 1, 2, 2}, // id 2: f = 4, 1 − 4/5 = 0.2
            {0, 1, 2, 3, 4}, // id 3: all different: f = 1, 1 − 1/5 = 0.8
            {1, 1, 0, 0, 0}, // id 4: f = 3, 1 − 3/5 = 0.4
            {3, 3, 3, 4, 4}, // id 5: f = 3, 0.4 again: ties with id 4, which comes first
        };
        Pool pool = Pool.withoutInputs(6, 5);
        Selection s = Dl4jStrategies.labelDispersion().select(pool, HistoryModel.ofLabels(histories, 5), 6);
        assertArrayEquals(new int[] {3, 1, 4, 5, 2, 0}, s.ids());
        assertArrayEquals(new double[] {0.8, 0.6, 0.4, 0.4, 0.2, 0.0}, s.scores().orElseThrow(), 1e-12);
        assertArrayEquals(new int[] {3, 1}, Dl4jStrategies.labelDispersion().select(pool,
                HistoryModel.ofLabels(histories, 5), 2).ids());
    }

    @Test
    void thePredictedLabelIsTheArgmaxTiesToTheLowerClass() {
        // One sample, T = 4 soft rows: argmaxes 1, 0 (the tie 0.45/0.45 goes to class 0), 2, 1: f = 2, 1 − 2/4 = 0.5.
        double[][][] p = {{{0.2, 0.7, 0.1}}, {{0.45, 0.45, 0.1}}, {{0.3, 0.3, 0.4}}, {{0.1, 0.5, 0.4}}};
        assertEquals(0.5, scoresById(new HistoryModel(p, 3), 1, 3)[0], 1e-12);
        // With the tie read as class 1 instead, f would be 3 and the score 0.25: the rule matters.
    }

    @Property(tries = 60)
    void matchesTheNaiveDefinitionIsBoundedAndIgnoresEpochOrder(@ForAll @IntRange(min = 1, max = 9) int t,
            @ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 1, max = 5) int k,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] histories = new int[n][t];
        for (int[] h : histories) {
            int stable = r.nextInt(k);
            for (int e = 0; e < t; e++) {
                h[e] = r.nextDouble() < 0.5 ? stable : r.nextInt(k); // some agreement, some noise
            }
        }
        double[] scores = scoresById(HistoryModel.ofLabels(histories, k), n, k);
        int[][] reversed = new int[n][t];
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < t; e++) {
                reversed[i][e] = histories[i][t - 1 - e];
            }
        }
        double[] reversedScores = scoresById(HistoryModel.ofLabels(reversed, k), n, k);
        for (int i = 0; i < n; i++) {
            assertEquals(naiveDispersion(histories[i], k), scores[i], 1e-12, Arrays.toString(histories[i]));
            assertTrue(scores[i] >= 0 && scores[i] <= 1 - 1.0 / Math.min(k, t) + 1e-12, scores[i] + "");
            assertEquals(scores[i], reversedScores[i], 1e-12);
        }
    }

    @Test
    void aTinyTrainingRunRecordsEveryEpochAndTheQueryReadsThem() {
        SyntheticData data = SyntheticData.blobs(90, 12, 3, 4);
        Pool pool = data.pool(45);
        Training training = Training.adam(3e-3).withEpochs(4).withBatchSize(16);
        Dl4jLearner plain = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(10), training);
        Dl4jLearner learner = plain.withEpochPredictions();
        Dl4jModel model = learner.fit(TrainingData.of(pool, 8));
        assertTrue(model.supports(EpochPredictionModel.class));
        assertArrayEquals(new int[] {1, 2, 3, 4}, model.recordedEpochs());
        double[] losses = model.trainingLosses();
        assertTrue(losses[3] < losses[0], Arrays.toString(losses));
        // Recording changes nothing in training.
        assertEquals(plain.fit(TrainingData.of(pool, 8)).network().params(), model.network().params());

        int[] candidates = pool.candidates();
        INDArray byEpoch = model.epochProbabilities(pool, candidates);
        assertArrayEquals(new long[] {4, candidates.length, 3}, byEpoch.shape());
        // The last recorded epoch is the trained network itself.
        assertEquals(model.probabilities(pool, candidates),
                byEpoch.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all()));
        // Epoch 2 is the network a 2-epoch fit with the same seed ends with (same shuffles, same Adam steps).
        Dl4jModel twoEpochs = plain.withTraining(training.withEpochs(2)).fit(TrainingData.of(pool, 8));
        assertEquals(twoEpochs.probabilities(pool, candidates),
                byEpoch.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()));

        // The query: dispersion of the argmax histories, naive reference, ties to the lower id.
        float[][][] p = new float[4][][];
        for (int e = 0; e < 4; e++) {
            p[e] = byEpoch.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all()).toFloatMatrix();
        }
        double[] expected = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            int[] history = new int[4];
            for (int e = 0; e < 4; e++) {
                float[] row = p[e][i];
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[history[e]]) {
                        history[e] = c;
                    }
                }
            }
            expected[i] = naiveDispersion(history, 3);
        }
        Integer[] order = new Integer[candidates.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> expected[a] != expected[b] ? Double.compare(expected[b], expected[a])
                : Integer.compare(candidates[a], candidates[b]));
        int budget = 10;
        int[] expectedIds = new int[budget];
        for (int i = 0; i < budget; i++) {
            expectedIds[i] = candidates[order[i]];
        }
        assertArrayEquals(expectedIds, Dl4jStrategies.labelDispersion().select(pool, model, budget).ids());
    }

    @Test
    void everyFewEpochsRecordsThoseAndTheLast() {
        SyntheticData data = SyntheticData.blobs(40, 8, 2, 5);
        Pool pool = data.pool(20);
        Training training = Training.adam(1e-3).withEpochs(5).withBatchSize(10);
        Dl4jModel model = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(6), training).withEpochPredictions(2)
                .fit(TrainingData.of(pool, 2));
        assertArrayEquals(new int[] {2, 4, 5}, model.recordedEpochs());
        assertArrayEquals(new long[] {3, 20, 2}, model.epochProbabilities(pool, pool.candidates()).shape());
        Dl4jModel early = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(6),
                training.withEpochs(30).withEarlyStopping(0.25, 1)).withEpochPredictions(50)
                .fit(TrainingData.of(pool, 2));
        int run = early.trainingLosses().length;
        assertArrayEquals(new int[] {run}, early.recordedEpochs(), "the last epoch run, however it ended");
    }

    @Test
    void batchNormRunningStatisticsAreRecordedWithTheWeights() {
        // ResNet-18's BatchNorm running means and variances change every epoch: epoch 1 of a 2-epoch fit must be
        // the 1-epoch fit exactly, statistics included.
        SplittableRandom r = new SplittableRandom(3);
        int n = 16;
        float[] x = new float[n * 3 * 16 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] ids = new int[n];
        int[] labels = new int[n];
        Arrays.setAll(ids, i -> i);
        Arrays.setAll(labels, i -> i % 2);
        Pool pool = Pool.of(dev.al4j.core.PoolInputs.of(Nd4j.create(x, new long[] {n, 3, 16, 16}, 'c')), 2)
                .withLabels(Arrays.copyOf(ids, 10), Arrays.copyOf(labels, 10));
        Training training = Training.adam(1e-2).withEpochs(2).withBatchSize(5);
        Dl4jLearner learner = Dl4jLearner.of(Architectures.resNet18().withWidth(2), training);
        Dl4jModel two = learner.withEpochPredictions().fit(TrainingData.of(pool, 6));
        Dl4jModel one = learner.withTraining(training.withEpochs(1)).fit(TrainingData.of(pool, 6));
        INDArray byEpoch = two.epochProbabilities(pool, ids);
        assertEquals(one.probabilities(pool, ids),
                byEpoch.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()));
        assertNotEquals(byEpoch.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()),
                byEpoch.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()));
    }

    @Test
    void aModelWithoutRecordedEpochsIsRefusedByName() {
        SyntheticData data = SyntheticData.blobs(30, 6, 2, 1);
        Pool pool = data.pool(10);
        Dl4jModel plain = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(4), Training.adam(1e-3).withEpochs(1))
                .fit(TrainingData.of(pool, 1));
        assertFalse(plain.supports(EpochPredictionModel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.labelDispersion().select(pool, plain, 3));
        assertEquals("Dl4jStrategies.labelDispersion() needs a model with capability EpochPredictionModel, but the "
                + "model given (Dl4jModel) does not offer it", e.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class,
                () -> plain.epochProbabilities(pool, new int[] {0}));
        assertTrue(direct.getMessage().contains("Dl4jLearner.withEpochPredictions()"), direct.getMessage());
        assertThrows(IllegalStateException.class, plain::recordedEpochs);
        IllegalArgumentException precomputed = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.labelDispersion().select(pool, TestModels.random(30, 2, 3, 2, 1), 3));
        assertTrue(precomputed.getMessage().contains("EpochPredictionModel"), precomputed.getMessage());
    }

    @Test
    void theLearnerOptionIsAValue() {
        Dl4jLearner base = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
        assertEquals(base.withEpochPredictions(), base.withEpochPredictions(1));
        assertEquals(base.withEpochPredictions().hashCode(), base.withEpochPredictions(1).hashCode());
        assertNotEquals(base, base.withEpochPredictions());
        assertNotEquals(base.withEpochPredictions(), base.withEpochPredictions(3));
        assertEquals("Dl4jLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20).withBatchSize(64))"
                + ".withEpochPredictions()", base.withEpochPredictions().toString());
        assertTrue(base.withEpochPredictions(3).withLossPrediction().toString()
                .endsWith(".withLossPrediction().withEpochPredictions(3)"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.withEpochPredictions(0));
        assertTrue(e.getMessage().contains("every") && e.getMessage().contains("0"), e.getMessage());
        assertEquals("Dl4jStrategies.labelDispersion()", Dl4jStrategies.labelDispersion().toString());
    }
}
