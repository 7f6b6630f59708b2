package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.LoopListener;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Model;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Progress;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import dev.al4j.strategies.StrategyCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * WAAL's training ({@link WaalLearner}) on a tiny biased pool: the labeled samples come from 2 of 4 classes only, so
 * labeled and unlabeled features differ and the critic has something to find.
 */
class WaalLearnerTest {

    static SyntheticData data;
    static Pool pool;
    static int[] labeled;
    static WaalLearner learner;
    static WaalModel model;

    @BeforeAll
    static void setUp() {
        data = SyntheticData.blobs(96, 16, 4, 11);
        // labeled: the first 16 samples of classes 0 and 1 (labels cycle 0, 1, 2, 3)
        labeled = java.util.stream.IntStream.range(0, 32).filter(i -> data.labels[i] < 2).toArray();
        pool = Pool.of(PoolInputs.of(data.inputs), 4).withLabels(labeled,
                Arrays.stream(labeled).map(i -> data.labels[i]).toArray());
        learner = WaalLearner.of(Architectures.mlp().withHiddenLayers(32, 16),
                Training.adam(3e-3).withEpochs(10).withBatchSize(16));
        model = learner.fit(TrainingData.of(pool, 5), pool, Progress.none());
    }

    @Test
    void classificationLossDecreases() {
        double[] ce = model.classificationLosses();
        assertEquals(10, ce.length);
        assertTrue(ce[ce.length - 1] < 0.5 * ce[0], Arrays.toString(ce));
        assertEquals(ce.length, model.wassersteinEstimates().length);
        assertArrayEquals(ce, model.classifier().trainingLosses());
    }

    @Test
    void criticStepsSeparateLabeledFromUnlabeledFeatures() {
        // Fixed 4-d features: labeled around (−1, −1, −1, −1), unlabeled around (1, 1, 1, 1), std 0.8, 32 each,
        // γ = 0.25. Before training the critic's AUROC (unlabeled above labeled) is near chance; after 300 of WAAL’s
        // critic steps it is well above it (0.91 measured), and the estimate mean_u d − γ·mean_l d has grown.
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        float[] z = new float[64 * 4];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 4; j++) {
                z[i * 4 + j] = (float) ((i < 32 ? -1 : 1) + 0.8 * SyntheticData.gaussian(r));
            }
        }
        INDArray features = org.nd4j.linalg.factory.Nd4j.create(z, new long[] {64, 4}, 'c');
        WassersteinCritic critic = WassersteinCritic.initial(4, WassersteinCritic.WIDTH, 9,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        double before = auroc(critic.scores(features).toDoubleVector());
        double estimateBefore = estimate(critic.scores(features).toDoubleVector(), 0.25);
        Training training = Training.adam(1e-3);
        var updater = WaalLearner.criticUpdater(training, critic.parameters().length());
        java.util.SplittableRandom interpolation = new java.util.SplittableRandom(4);
        for (int step = 0; step < 300; step++) {
            WaalLearner.criticStep(critic, updater, features, 0.25, WaalLearner.DEFAULT_ALPHA,
                    WaalLearner.DEFAULT_GRADIENT_PENALTY, interpolation, step, 0);
        }
        double after = auroc(critic.scores(features).toDoubleVector());
        assertTrue(after > 0.85 && after > before + 0.2, "critic AUROC " + before + " -> " + after);
        assertTrue(estimate(critic.scores(features).toDoubleVector(), 0.25) > estimateBefore + 0.05);
        // the penalty keeps the critic's slope near 1: far from a saturated (flat) or exploding critic
        double penalty = critic.penalty(features, false).value();
        assertTrue(penalty < 1, "penalty " + penalty);
    }

    /** AUROC of scores for "unlabeled" (rows 32–63) against "labeled" (rows 0–31), by pairwise counting. */
    private static double auroc(double[] d) {
        double wins = 0;
        for (int u = 32; u < 64; u++) {
            for (int l = 0; l < 32; l++) {
                wins += d[u] > d[l] ? 1 : d[u] == d[l] ? 0.5 : 0;
            }
        }
        return wins / (32 * 32);
    }

    /** mean_u d − γ·mean_l d with rows 0–31 labeled and 32–63 unlabeled. */
    private static double estimate(double[] d, double gamma) {
        double l = 0;
        double u = 0;
        for (int i = 0; i < 32; i++) {
            l += d[i];
            u += d[32 + i];
        }
        return u / 32 - gamma * l / 32;
    }

    @Test
    void theCriticTermIsEstimatedEveryEpoch() {
        // mean_u d − γ·mean_l d with d ∈ (0, 1) and γ = 16/80 lies in (−0.2, 1)
        for (double w : model.wassersteinEstimates()) {
            assertTrue(w > -0.2 && w < 1, Arrays.toString(model.wassersteinEstimates()));
        }
    }

    @Test
    void theModelIsTheWaalTrainedClassifierAndSameSeedGivesTheSameModel() {
        WaalModel again = learner.fit(TrainingData.of(pool, 5), pool, Progress.none());
        int[] all = java.util.stream.IntStream.range(0, pool.size()).toArray();
        assertEquals(model.probabilities(pool, all), again.probabilities(pool, all));
        assertEquals(model.criticOutputs(pool, all).criticScores(), again.criticOutputs(pool, all).criticScores());
        // one forward pass: criticOutputs' probabilities are the model's, and the critic reads predict's embeddings
        assertEquals(model.probabilities(pool, all), model.criticOutputs(pool, all).probabilities());
        assertEquals(model.criticScores(model.predict(pool, all).embeddings()),
                model.criticOutputs(pool, all).criticScores());
        // the MLP's dropout makes it a StochasticModel, through the classifier
        assertTrue(model.supports(StochasticModel.class));
        assertEquals(List.of(3L, 5L, 4L), Arrays.stream(model.stochasticProbabilities(pool, new int[] {1, 2, 3, 4, 5},
                3, 1).shape()).boxed().toList());
    }

    @Test
    void queryRunsOnTheTrainedModel() {
        Selection s = Dl4jStrategies.waal().select(pool, model, 10);
        assertEquals(10, s.size());
        for (int id : s.ids()) {
            assertTrue(!pool.isLabeled(id));
        }
        assertArrayEquals(s.ids(), Dl4jStrategies.waal().select(pool, model, 10).ids());
        assertEquals(0, Dl4jStrategies.waal().select(pool, model, 0).size());
        assertEquals(pool.unlabeled().length, Dl4jStrategies.waal().select(pool, model, 1000).size());
    }

    @Test
    void badInputIsRejected() {
        TrainingData training = TrainingData.of(pool, 1);
        UnsupportedOperationException noPool = assertThrows(UnsupportedOperationException.class,
                () -> learner.fit(training));
        assertTrue(noPool.getMessage().contains("fit(data, pool, progress)"), noPool.getMessage());
        assertThrows(NullPointerException.class, () -> learner.fit(training, null, Progress.none()));
        Pool otherClasses = Pool.of(PoolInputs.of(data.inputs), 5);
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> learner.fit(training, otherClasses, Progress.none()));
        assertTrue(classes.getMessage().contains("5 classes"), classes.getMessage());
        assertThrows(IllegalStateException.class,
                () -> learner.fit(training, Pool.withoutInputs(96, 4), Progress.none()));
        Pool small = Pool.of(PoolInputs.of(data.inputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 20),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup()), 4);
        assertThrows(IndexOutOfBoundsException.class, () -> learner.fit(training, small, Progress.none()));
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class, () -> learner.withAlpha(-1));
        assertTrue(alpha.getMessage().contains("alpha") && alpha.getMessage().contains("-1"), alpha.getMessage());
        assertThrows(IllegalArgumentException.class, () -> learner.withAlpha(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> learner.withGradientPenalty(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> WaalLearner.of(Architectures.mlp(), Training.adam(1e-3).withWarmStart(true)));
        assertThrows(IllegalArgumentException.class,
                () -> WaalLearner.of(Architectures.mlp(), Training.adam(1e-3).withEarlyStopping(0.2, 2)));
    }

    @Test
    void valueSemantics() {
        WaalLearner a = WaalLearner.of(Architectures.mlp(), Training.adam(1e-3));
        assertEquals("WaalLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20).withBatchSize(64))",
                a.toString());
        assertEquals(a.toString() + ".withAlpha(0.01).withGradientPenalty(5.0)",
                a.withAlpha(0.01).withGradientPenalty(5).toString());
        assertEquals(a, WaalLearner.of(Architectures.mlp(), Training.adam(1e-3)).withAlpha(2e-3));
        assertEquals(a.hashCode(), WaalLearner.of(Architectures.mlp(), Training.adam(1e-3)).hashCode());
        assertNotEquals(a, a.withGradientPenalty(1));
        assertEquals(WaalLearner.DEFAULT_ALPHA, a.alpha());
        assertEquals(WaalLearner.DEFAULT_GRADIENT_PENALTY, a.gradientPenalty());
    }

    @Test
    void complementOfTheLabeledIds() {
        assertArrayEquals(new int[] {0, 2, 4}, WaalLearner.complement(new int[] {3, 1}, 5));
        assertArrayEquals(new int[0], WaalLearner.complement(new int[] {0, 1}, 2));
    }

    @Test
    void theLoopTrainsWaalOnItsPoolAndEvaluatesThatClassifier() {
        SyntheticData small = SyntheticData.blobs(60, 9, 3, 4);
        Pool start = Pool.of(PoolInputs.of(small.inputs), 3);
        List<Model> fitted = new ArrayList<>();
        LoopListener capture = new LoopListener() {
            @Override
            public void onFitDone(int round, Model m, long nanos) {
                fitted.add(m);
            }
        };
        StrategyCatalog.Entry entry = Dl4jStrategies.catalog().get("waal");
        assertEquals(StrategyCatalog.Reads.CRITIC_SCORES, entry.reads());
        assertTrue(entry.trainsOwnLearner());
        StrategyCatalog.Setup setup = StrategyCatalog.Setup.ofSeed(3).withLearner(Dl4jLearner.of(
                Architectures.mlp().withHiddenLayers(8), Training.adam(1e-3).withEpochs(1).withBatchSize(10)));
        assertEquals(WaalLearner.of(Architectures.mlp().withHiddenLayers(8),
                Training.adam(1e-3).withEpochs(1).withBatchSize(10)), entry.learner(setup));
        assertEquals(Dl4jStrategies.waal(), entry.create(setup));
        LoopResult result = ActiveLearningLoop.builder().pool(start).learner(entry.learner(setup))
                .strategy(entry.create(setup)).oracle(Oracles.simulated(small.labels)).initialSize(12).batchSize(6)
                .budget(24).seed(5).listener(capture).build().run();
        assertEquals(24, result.finalPool().labeledCount());
        assertEquals(3, fitted.size());
        for (Model m : fitted) {
            assertInstanceOf(WaalModel.class, m);
        }
    }
}
