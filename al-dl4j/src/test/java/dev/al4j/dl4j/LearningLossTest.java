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

    /** The gradient of every variable after one forward/backward pass of {@code net} on {@code (x, y)}. */
    static Map<String, INDArray> gradients(ComputationGraph net, INDArray x, INDArray y, INDArray targets,
            INDArray classifierMask) {
        net.setInputs(x);
        net.setLabels(y, targets);
        net.setLayerMaskArrays(null, new INDArray[] {classifierMask, null});
        net.computeGradientAndScore();
        Map<String, INDArray> g = new java.util.HashMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> g.put(k, v.dup()));
        net.clearLayerMaskArrays();
        return g;
    }

    static double amax(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void theModuleGradientReachesTheTargetNetworkOnlyBeforeTheStopEpoch() {
        // 4 epochs, gradient stop 0.5: epochs 0 and 1 with the module's gradient in the target network, 2 and 3
        // without (Yoo and Kweon: features detached after epoch 120 of 200).
        Architecture.Built built = Architectures.mlp().withHiddenLayers(6, 5).withDropout(0).build(
                Dl4jLearner.baseConfiguration(Training.adam(1e-3), 3), new long[] {7}, 3, 1,
                new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), new Architecture.LossModule(4, 1, 0.5), 4, 1);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 7).subi(0.5);
        INDArray y = EpochLoop.oneHot(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 3);
        INDArray t = Nd4j.createFromArray(new float[] {3, 0.5f, 2, 0.1f, 1, 4, 0.2f, 2.5f}).reshape(8, 1);
        INDArray noClassifierLoss = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1);
        String[] target = {"dense0_W", "dense0_b", "dense1_W", "dense1_b", "output_W", "output_b"};
        for (int epoch : new int[] {0, 1}) {
            net.getConfiguration().setEpochCount(epoch);
            Map<String, INDArray> g = gradients(net, x, y, t, noClassifierLoss); // the module's term alone
            assertTrue(amax(g.get("dense0_W")) > 1e-6 && amax(g.get("dense1_W")) > 1e-6, "epoch " + epoch);
            assertEquals(0.0, amax(g.get("output_W")), 0.0, "the targets are labels: nothing into the classifier");
            assertTrue(amax(g.get(Architecture.LOSS_PREDICTION + "_W")) > 1e-6);
        }
        for (int epoch : new int[] {2, 3}) {
            net.getConfiguration().setEpochCount(epoch);
            Map<String, INDArray> g = gradients(net, x, y, t, noClassifierLoss);
            for (String v : target) {
                assertEquals(0.0, amax(g.get(v)), 0.0, v + " in epoch " + epoch);
            }
            // the module itself keeps learning
            assertTrue(amax(g.get(Architecture.LOSS_PREDICTION + "_W")) > 1e-6);
            assertTrue(amax(g.get("lp_fc0_W")) > 1e-6);
        }

        // Naive reference: the same target network without the module. After the stop epoch, the target network's
        // gradient with both losses equals its gradient with cross-entropy alone; before it, it does not.
        Architecture.Built plainBuilt = Architectures.mlp().withHiddenLayers(6, 5).withDropout(0).build(
                Dl4jLearner.baseConfiguration(Training.adam(1e-3), 3), new long[] {7}, 3, 1);
        ComputationGraph plain = new ComputationGraph(plainBuilt.configuration());
        plain.init();
        for (org.deeplearning4j.nn.api.Layer layer : plain.getLayers()) {
            String name = layer.getConfig().getLayerName();
            layer.paramTable().forEach((k, v) -> layer.setParam(k, net.getLayer(name).getParam(k).dup()));
        }
        plain.setInputs(x);
        plain.setLabels(y);
        plain.computeGradientAndScore();
        Map<String, INDArray> alone = plain.gradient().gradientForVariable();
        net.getConfiguration().setEpochCount(2);
        Map<String, INDArray> after = gradients(net, x, y, t, null);
        for (String v : target) {
            assertEquals(alone.get(v), after.get(v), v);
        }
        net.getConfiguration().setEpochCount(1);
        assertTrue(amax(gradients(net, x, y, t, null).get("dense0_W").sub(alone.get("dense0_W"))) > 1e-6);
        assertEquals(2, new Architecture.LossModule(4, 1, 0.5).stopEpoch(4));
        assertEquals(120, new Architecture.LossModule(128, 1, Architecture.LossModule.PAPER_GRADIENT_STOP)
                .stopEpoch(200));
        assertEquals(12, new Architecture.LossModule(128, 1, Architecture.LossModule.PAPER_GRADIENT_STOP)
                .stopEpoch(20));
    }

    @Test
    void theTargetLossesAreTheTrainingPassCrossEntropies() {
        // With dropout on the embedding, the training pass and an inference pass give different probabilities. The
        // target losses the learner hands to fit must be the cross-entropies of fit's own (training) pass: their mean
        // is then exactly the classifier's part of fit's score, score − (ranking cost of those targets).
        Architecture.Built built = Architectures.mlp().withHiddenLayers(8, 6).withDropout(0.5).build(
                Dl4jLearner.baseConfiguration(Training.adam(1e-3), 5), new long[] {5}, 3, 9,
                new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), new Architecture.LossModule(4, 1, 0.6), 10, 1);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        int b = 10;
        INDArray x = NetworkGradientCheckTest.random(7, b, 5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .muli(3);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        INDArray y = EpochLoop.oneHot(labels, 3);
        INDArray params = net.params().dup();
        INDArray[] targets = Dl4jLearner.withTrainingPassLosses(net, x, y, net.getIterationCount());
        assertEquals(params, net.params()); // the extra pass changes nothing
        assertEquals(y, targets[0]);
        double[] l = targets[1].castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup().data().asDouble();

        net.setInputs(x);
        net.setLabels(targets);
        net.computeGradientAndScore(); // the pass fit makes
        // the module reads the body below the dropout, so its predictions are the same in both modes
        double[] predicted = net.output(false, x)[1].castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup()
                .data().asDouble();
        double fitCrossEntropy = net.score() - rankingCost(l, predicted);
        assertEquals(java.util.Arrays.stream(l).sum() / b, fitCrossEntropy, 1e-5);
        // sensitivity: the inference pass's cross-entropies are another number, so the check above can fail
        double[] inference = crossEntropies(net.output(false, x)[0], labels);
        assertTrue(Math.abs(java.util.Arrays.stream(inference).sum() / b - fitCrossEntropy) > 1e-3);
    }

    /** −ln p_y per row. */
    static double[] crossEntropies(INDArray p, int[] labels) {
        double[] l = new double[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = -Math.log(Math.max(p.getDouble(i, labels[i]), 1e-10));
        }
        return l;
    }

    /** Naive eq. 2 of Yoo and Kweon: mean over the pairs (i, b−1−i) of max(0, −sign(l_i − l_j)(l̂_i − l̂_j) + 1). */
    static double rankingCost(double[] l, double[] predicted) {
        int b = l.length;
        double sum = 0;
        for (int i = 0; i < b / 2; i++) {
            int j = b - 1 - i;
            sum += Math.max(0, -Math.signum(l[i] - l[j]) * (predicted[i] - predicted[j]) + 1);
        }
        return sum / (b / 2);
    }

    @Test
    void gradientStopIsAValueOption() {
        Dl4jLearner base = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
        assertEquals(base.withLossPrediction(), base.withLossPrediction(0.6));
        assertEquals(base.withLossPrediction().hashCode(), base.withLossPrediction(0.6).hashCode());
        assertFalse(base.withLossPrediction().equals(base.withLossPrediction(1)));
        assertEquals("Dl4jLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20).withBatchSize(64))"
                + ".withLossPrediction(0.75)", base.withLossPrediction(0.75).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base.withLossPrediction(1.5));
        assertEquals("gradientStop must be in [0, 1], found 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.withLossPrediction(Double.NaN));
    }

    @Test
    void everyArchitectureTakesALossModule() {
        record Case(Architecture a, long[] sample) {}
        for (Case c : List.of(new Case(Architectures.mlp().withHiddenLayers(8, 6), new long[] {20}),
                new Case(Architectures.smallCnn().withFilters(2).withDenseSize(8), new long[] {1, 28, 28}),
                new Case(Architectures.resNet18().withWidth(2), new long[] {3, 16, 16}),
                new Case(Architectures.vgg16().withWidth(2), new long[] {3, 32, 32}))) {
            Architecture.Built built = c.a().build(Dl4jLearner.baseConfiguration(Training.defaults(), 1), c.sample(),
                    3, 2, new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), new Architecture.LossModule(16, 1, 0.6),
                    10, 1);
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
        // the gradient stop sits on every tap, at round(0.6 · 8) = 5 epochs
        long stops = model.network().getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof GradientStopVertex g && g.stopEpoch() == 5).count();
        assertEquals(2, stops); // two hidden layers, two taps
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
