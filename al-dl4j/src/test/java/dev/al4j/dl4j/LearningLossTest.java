package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.core.TrainingData;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Learning Loss: the ranking loss, the module on every architecture, the learner option and the strategy. */
class LearningLossTest {

    static INDArray column(double... v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1);
    }

    @Test
    void rankingLossByHand() {
        // Pairs (0, 3) and (1, 2). l = (3, 1, 2, 0), l̂ = (0.5, 0.2, 0.1, 0):
        // pair (0, 3): sign(3 − 0) = +1, cost max(0, 1 − (0.5 − 0)) = 0.5;
        // pair (1, 2): sign(1 − 2) = −1, cost max(0, 1 + (0.2 − 0.1)) = 1.1. Mean over pairs: 0.8.
        MarginRankingLoss loss = new MarginRankingLoss(1.0);
        INDArray l = column(3, 1, 2, 0);
        INDArray p = column(0.5, 0.2, 0.1, 0);
        assertEquals(0.8, loss.computeScore(l, p, new ActivationIdentity(), null, true), 1e-12);
        assertEquals(3.2, loss.computeScore(l, p, new ActivationIdentity(), null, false), 1e-12);
        // An ordered pair beyond the margin costs nothing: l̂_0 − l̂_3 = 2 > 1.
        assertEquals(1.1 * 2, loss.computeScore(l, column(2, 0.2, 0.1, 0), new ActivationIdentity(), null, false),
                1e-12);
        // Odd batch: the middle sample is unpaired and costs nothing.
        assertEquals(0.0, loss.computeScoreArray(column(1, 5, 0), column(0, 0, 0), new ActivationIdentity(), null)
                .getDouble(1, 0), 0);
    }

    @Test
    void rankingLossGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        int b = 9;
        double[] l = new double[b];
        double[] p = new double[b];
        for (int i = 0; i < b; i++) {
            l[i] = r.nextDouble() * 3;
            p[i] = r.nextDouble() * 0.6; // differences below the margin: every pair is active, away from kinks
        }
        MarginRankingLoss loss = new MarginRankingLoss(1.0);
        INDArray pre = column(p);
        INDArray analytic = loss.computeGradient(column(l), pre, new ActivationIdentity(), null);
        double eps = 1e-6;
        for (int i = 0; i < b; i++) {
            INDArray plus = pre.dup();
            plus.putScalar(i, 0, p[i] + eps);
            INDArray minus = pre.dup();
            minus.putScalar(i, 0, p[i] - eps);
            double numeric = (loss.computeScore(column(l), plus, new ActivationIdentity(), null, false)
                    - loss.computeScore(column(l), minus, new ActivationIdentity(), null, false)) / (2 * eps);
            double a = analytic.getDouble(i, 0);
            assertTrue(Math.abs(a - numeric) <= 1e-3 * Math.max(1e-8, Math.abs(a) + Math.abs(numeric)),
                    "sample " + i + ": " + a + " vs " + numeric);
        }
    }

    @Test
    void everyArchitectureTakesALossModule() {
        record Case(Architecture a, long[] sample) {}
        for (Case c : List.of(new Case(Architectures.mlp().withHiddenLayers(8, 6), new long[] {20}),
                new Case(Architectures.smallCnn().withFilters(2).withDenseSize(8), new long[] {1, 28, 28}),
                new Case(Architectures.resNet18().withWidth(2), new long[] {3, 16, 16}),
                new Case(Architectures.vgg16().withWidth(2), new long[] {3, 32, 32}))) {
            Architecture.Built built = c.a().build(Dl4jLearner.baseConfiguration(Training.defaults(), 1), c.sample(),
                    3, 2, new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), new Architecture.LossModule(16, 1), 1);
            ComputationGraph net = new ComputationGraph(built.configuration());
            net.init();
            long[] shape = new long[c.sample().length + 1];
            shape[0] = 2;
            System.arraycopy(c.sample(), 0, shape, 1, c.sample().length);
            INDArray[] out = net.output(Nd4j.rand(shape));
            assertArrayEquals(new long[] {2, 3}, out[0].shape(), c.a().toString());
            assertArrayEquals(new long[] {2, 1}, out[1].shape(), c.a().toString());
            // one branch per tap, each 16 wide, into a 1-output linear layer
            Map<String, INDArray> table = net.getLayer(Architecture.LOSS_PREDICTION).paramTable();
            assertEquals(16L * c.a().taps().size(), table.get("W").size(0), c.a().toString());
        }
    }

    @Test
    void learnerTrainsTheModuleAndTheStrategyPicksTheHighestPredictedLosses() {
        SyntheticData data = SyntheticData.blobs(200, 30, 3, 12);
        Pool pool = data.pool(120);
        Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(24, 12),
                Training.adam(3e-3).withEpochs(8).withBatchSize(20)).withLossPrediction();
        assertTrue(learner.toString().endsWith(".withLossPrediction()"), learner.toString());
        Dl4jModel model = learner.fit(TrainingData.of(pool, 3));
        assertTrue(model.supports(LossPredictionModel.class));
        assertEquals(model.network().params(), learner.fit(TrainingData.of(pool, 3)).network().params());
        double[] losses = model.trainingLosses();
        assertTrue(losses[7] < losses[0], java.util.Arrays.toString(losses));

        int[] candidates = pool.candidates();
        double[] predicted = model.predictedLosses(pool, candidates).toDoubleVector();
        assertEquals(candidates.length, predicted.length);
        Selection s = Dl4jStrategies.learningLoss().select(pool, model, 5);
        // naive reference: sort candidates by predicted loss, descending, ties to the lower id
        Integer[] order = new Integer[candidates.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> predicted[a] != predicted[b] ? Double.compare(predicted[b],
                predicted[a]) : Integer.compare(candidates[a], candidates[b]));
        int[] expected = new int[5];
        for (int i = 0; i < 5; i++) {
            expected[i] = candidates[order[i]];
        }
        assertArrayEquals(expected, s.ids());
        assertEquals("Dl4jStrategies.learningLoss()", Dl4jStrategies.learningLoss().toString());
    }

    @Test
    void missingModuleFailsFast() {
        SyntheticData data = SyntheticData.blobs(40, 10, 2, 1);
        Pool pool = data.pool(20);
        Dl4jModel plain = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(4), Training.adam(1e-3).withEpochs(1))
                .fit(TrainingData.of(pool, 1));
        assertFalse(plain.supports(LossPredictionModel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.learningLoss().select(pool, plain, 3));
        assertTrue(e.getMessage().contains("learningLoss") && e.getMessage().contains("LossPredictionModel"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> plain.predictedLosses(pool, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Dl4jLearner.of(Architectures.mlp(),
                Training.defaults().withEarlyStopping(0.2, 2)).withLossPrediction().fit(TrainingData.of(pool, 1)));
        assertThrows(IllegalArgumentException.class, () -> Dl4jLearner.of(Architectures.mlp()).withLossPrediction()
                .withCalibration(ConfidenceCalibration.varianceWeighted(3)));
        assertThrows(IllegalArgumentException.class, () -> Dl4jStrategies.learningLoss().select(pool,
                TestModels.random(40, 2, 3, 2, 1), 3));
    }
}
