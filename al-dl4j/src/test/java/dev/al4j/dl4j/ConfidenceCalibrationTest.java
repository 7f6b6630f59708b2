package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.TrainingData;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ConfidenceCalibrationTest {

    @Test
    void varianceWeightsByHand() {
        // Passes (1, 0) and (0, 1): mean (0.5, 0.5); BC of each pass with the mean = √0.5 → α = 1 − √0.5 = 0.2928932.
        // Sample 2: both passes (0.3, 0.7) → BC = 0.3 + 0.7 = 1 → α = 0.
        INDArray mc = Nd4j.createFromArray(new double[][][] {{{1, 0}, {0.3, 0.7}}, {{0, 1}, {0.3, 0.7}}});
        INDArray alpha = ConfidenceCalibration.varianceWeights(mc);
        assertEquals(0.2928932, alpha.getDouble(0), 1e-7);
        assertEquals(0.0, alpha.getDouble(1), 1e-12);
    }

    @Property(tries = 50)
    void varianceWeightsAreInTheUnitIntervalAndMatchTheNaiveFormula(@ForAll @IntRange(min = 2, max = 6) int t,
            @ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 2, max = 5) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][][] p = new double[t][n][k];
        for (int a = 0; a < t; a++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[a][i][c] = r.nextDouble() < 0.2 ? 0 : r.nextDouble();
                    sum += p[a][i][c];
                }
                for (int c = 0; c < k; c++) {
                    p[a][i][c] = sum == 0 ? 1.0 / k : p[a][i][c] / sum;
                }
            }
        }
        INDArray alpha = ConfidenceCalibration.varianceWeights(Nd4j.createFromArray(p));
        for (int i = 0; i < n; i++) {
            double expected = 0;
            for (int a = 0; a < t; a++) {
                double bc = 0;
                for (int c = 0; c < k; c++) {
                    double mean = 0;
                    for (int b = 0; b < t; b++) {
                        mean += p[b][i][c] / t;
                    }
                    bc += Math.sqrt(mean * p[a][i][c]);
                }
                expected += (1 - bc) / t;
            }
            assertEquals(Math.max(0, expected), alpha.getDouble(i), 1e-9);
            assertTrue(alpha.getDouble(i) >= 0 && alpha.getDouble(i) <= 1);
        }
    }

    static INDArray oneHot(int[] y, int k) {
        return NetworkGradientCheckTest.oneHot(y, k);
    }

    /** log softmax of one row, in double precision. */
    static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double[] out = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = z[c] - max - Math.log(sum);
        }
        return out;
    }

    /** KL(U ‖ p) = Σ_k (1/K) log((1/K) / p_k). */
    static double klFromUniform(double[] logP) {
        double kl = 0;
        for (double l : logP) {
            kl += (1.0 / logP.length) * (Math.log(1.0 / logP.length) - l);
        }
        return kl;
    }

    /**
     * Seed 002 eq. 2 written out: logits {@code [T·b][K]} (row t·b + i is prediction t of sample i), α_i from the
     * Bhattacharyya coefficients of the T predictions with their mean, (1/M) Σ_i Σ_t [(1 − α_i) CE + α_i KL(U ‖ p)].
     */
    static double naiveVwcc(double[][] logits, int[] y) {
        int b = y.length;
        int t = logits.length / b;
        int k = logits[0].length;
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[][] p = new double[t][k];
            double[] mean = new double[k];
            for (int s = 0; s < t; s++) {
                double[] logP = logSoftmax(logits[s * b + i]);
                for (int c = 0; c < k; c++) {
                    p[s][c] = Math.exp(logP[c]);
                    mean[c] += p[s][c] / t;
                }
            }
            double alpha = 1;
            for (int s = 0; s < t; s++) {
                double bc = 0;
                for (int c = 0; c < k; c++) {
                    bc += Math.sqrt(mean[c] * p[s][c]);
                }
                alpha -= bc / t;
            }
            alpha = Math.max(0, alpha);
            for (int s = 0; s < t; s++) {
                double[] logP = logSoftmax(logits[s * b + i]);
                total += -(1 - alpha) * logP[y[i]] + alpha * klFromUniform(logP);
            }
        }
        return total / b;
    }

    /** Seed 002 eq. 3 written out: Σ_i CE_i + λ β_i KL(U ‖ p_i), β_i = 1 − max p_i if argmax p_i = y_i, else 1. */
    static double naiveLwcc(double[][] logits, int[] y, double lambda) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double[] logP = logSoftmax(logits[i]);
            int argmax = 0;
            for (int c = 1; c < logP.length; c++) {
                argmax = logP[c] > logP[argmax] ? c : argmax;
            }
            double beta = argmax == y[i] ? 1 - Math.exp(logP[argmax]) : 1;
            total += -logP[y[i]] + lambda * beta * klFromUniform(logP);
        }
        return total;
    }

    static double[][] randomLogits(SplittableRandom r, int rows, int k, double scale) {
        double[][] z = new double[rows][k];
        for (double[] row : z) {
            for (int c = 0; c < k; c++) {
                row[c] = scale * (2 * r.nextDouble() - 1);
            }
        }
        return z;
    }

    @Test
    void vwccByHand() {
        // One sample (y = 0), T = 2 predictions: logits (0, 0) → p¹ = (0.5, 0.5); (log 3, 0) → p² = (0.75, 0.25).
        // p̄ = (0.625, 0.375); BC(p̄, p¹) = √0.3125 + √0.1875 = 0.9920297,
        // BC(p̄, p²) = √0.46875 + √0.09375 = 0.9908394;
        // α = 1 − (0.9920297 + 0.9908394)/2 = 0.0085654. KL(U ‖ p¹) = 0, KL(U ‖ p²) = −log 2 − (log 0.75 + log 0.25)/2
        // = 0.1438410. Eq. 2 (M = 1, Σ over both predictions):
        // (1 − α)(log 2 + log(4/3)) + α·0.1438410 = 0.9736601.
        INDArray logits = Nd4j.createFromArray(new double[][] {{0, 0}, {Math.log(3), 0}});
        ConfidenceCalibrationLoss loss = ConfidenceCalibrationLoss.varianceWeighted();
        INDArray y = oneHot(new int[] {0}, 2);
        assertEquals(0.9736601, loss.computeScore(y, logits, new ActivationSoftmax(), null, true), 1e-7);
        ConfidenceCalibrationLoss.Weights w = loss.weights(y, Transforms.softmax(logits));
        assertEquals(0.0085654, w.kl().getDouble(0), 1e-7);
        assertEquals(1 - 0.0085654, w.ce().getDouble(0), 1e-7);
    }

    @Test
    void lwccByHand() {
        // Both samples predict p = (0.75, 0.25) (logits (log 3, 0)); KL(U ‖ p) = 0.1438410; λ = 2.
        // Sample 1, y = 0, right: β = 1 − 0.75 = 0.25 → −log 0.75 + 2·0.25·0.1438410 = 0.3596026.
        // Sample 2, y = 1, wrong: β = (1 − 0.75)^0 = 1 → −log 0.25 + 2·0.1438410 = 1.6739764. Sum 2.0335790.
        INDArray logits = Nd4j.createFromArray(new double[][] {{Math.log(3), 0}, {Math.log(3), 0}});
        ConfidenceCalibrationLoss loss = ConfidenceCalibrationLoss.likelihoodWeighted(2);
        INDArray y = oneHot(new int[] {0, 1}, 2);
        INDArray perSample = loss.computeScoreArray(y, logits, new ActivationSoftmax(), null);
        assertEquals(0.3596026, perSample.getDouble(0, 0), 1e-7);
        assertEquals(1.6739764, perSample.getDouble(1, 0), 1e-7);
        assertEquals(2.0335790, loss.computeScore(y, logits, new ActivationSoftmax(), null, false), 1e-7);
        assertEquals(2.0335790 / 2, loss.computeScore(y, logits, new ActivationSoftmax(), null, true), 1e-7);
    }

    @Property(tries = 30)
    void vwccEqualsEquationTwo(@ForAll @IntRange(min = 1, max = 5) int b, @ForAll @IntRange(min = 1, max = 4) int t,
            @ForAll @IntRange(min = 2, max = 5) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = r.ints(b, 0, k).toArray();
        double[][] logits = randomLogits(r, t * b, k, 3);
        // average = true: DL4J's mean over the T·b rows, which the loss scales to eq. 2's mean over the b samples
        double actual = ConfidenceCalibrationLoss.varianceWeighted().computeScore(oneHot(y, k),
                Nd4j.createFromArray(logits), new ActivationSoftmax(), null, true);
        double expected = naiveVwcc(logits, y);
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }

    @Property(tries = 30)
    void lwccEqualsEquationThree(@ForAll @IntRange(min = 1, max = 6) int b, @ForAll @IntRange(min = 2, max = 5) int k,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = r.ints(b, 0, k).toArray();
        double[][] logits = randomLogits(r, b, k, 3);
        double lambda = 3 * r.nextDouble();
        double actual = ConfidenceCalibrationLoss.likelihoodWeighted(lambda).computeScore(oneHot(y, k),
                Nd4j.createFromArray(logits), new ActivationSoftmax(), null, false);
        double expected = naiveLwcc(logits, y, lambda);
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void onePredictionPerSampleMakesVwccPlainCrossEntropy() {
        // α of a single prediction is 1 − BC(p, p) = 0: the inference-mode (validation) score is cross-entropy.
        INDArray logits = Nd4j.createFromArray(new double[][] {{1, 2, 0.5}, {0, -1, 3}});
        INDArray y = oneHot(new int[] {1, 2}, 3);
        double expected = new org.nd4j.linalg.lossfunctions.impl.LossMCXENT().computeScore(y, logits,
                new ActivationSoftmax(), null, true);
        assertEquals(expected, ConfidenceCalibrationLoss.varianceWeighted().computeScore(y, logits,
                new ActivationSoftmax(), null, true), 1e-9);
        assertEquals(expected, ConfidenceCalibrationLoss.likelihoodWeighted(0).computeScore(y, logits,
                new ActivationSoftmax(), null, true), 1e-9);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Central differences in double precision of Σ ℓ_it with the weights α_i / β_i held at their values at the
        // point (they are constants in the objective), relative error < 1e-3, through softmax (the (a + c)p − q fast
        // path) and through a sigmoid (the general chain rule); VWCC with T = 3 predictions of 4 samples, LWCC with
        // both right and wrong predictions.
        SplittableRandom r = new SplittableRandom(4);
        int k = 4;
        int[] y = {0, 3, 1, 2};
        for (ConfidenceCalibrationLoss loss : new ConfidenceCalibrationLoss[] {
                ConfidenceCalibrationLoss.varianceWeighted(), ConfidenceCalibrationLoss.likelihoodWeighted(1.5)}) {
            int copies = loss.weighting() == ConfidenceCalibrationLoss.Weighting.VARIANCE ? 3 : 1;
            double[][] logits = randomLogits(r, copies * y.length, k, 2);
            for (IActivation activation : new IActivation[] {new ActivationSoftmax(), new ActivationSigmoid()}) {
                INDArray pre = Nd4j.createFromArray(logits);
                INDArray labels = oneHot(y, k);
                // weights from the softmax probabilities (a sigmoid's outputs are no distribution to weigh)
                ConfidenceCalibrationLoss.Weights w = loss.weights(labels, Transforms.softmax(pre));
                assertTrue(w.kl().maxNumber().doubleValue() > 0.05, "weights too small to test: " + w);
                INDArray analytic = loss.compute(labels, pre, activation, activation.getActivation(pre.dup(), false),
                        w, true).getSecond();
                if (activation instanceof ActivationSoftmax) {
                    assertEquals(analytic, loss.computeGradient(labels, pre, activation, null)); // the public path
                }
                double eps = 1e-6;
                double worst = 0;
                for (int row = 0; row < logits.length; row++) {
                    for (int c = 0; c < k; c++) {
                        double[] f = new double[2];
                        for (int side = 0; side < 2; side++) {
                            INDArray moved = pre.dup();
                            moved.putScalar(row, c, logits[row][c] + (side == 0 ? eps : -eps));
                            INDArray pm = activation.getActivation(moved.dup(), false);
                            f[side] = loss.compute(labels, moved, activation, pm, w, false).getFirst().sumNumber()
                                    .doubleValue() / copies; // rows score T·ℓ_it
                        }
                        double numeric = (f[0] - f[1]) / (2 * eps);
                        double a = analytic.getDouble(row, c);
                        double diff = Math.abs(a - numeric);
                        worst = Math.max(worst, diff < 1e-8 ? 0 : diff / (Math.abs(a) + Math.abs(numeric)));
                    }
                }
                assertTrue(worst < 1e-3, loss + ", " + activation + ": relative error " + worst);
            }
        }
    }

    @Test
    void lwccWeightsFollowTheIndicator() {
        // p = (0.7, 0.2, 0.1): right (y = 0) → β = 0.3; wrong (y = 2) → β = 1; λ = 0.5 scales both.
        INDArray p = Nd4j.createFromArray(new double[][] {{0.7, 0.2, 0.1}, {0.7, 0.2, 0.1}});
        ConfidenceCalibrationLoss.Weights w = ConfidenceCalibrationLoss.likelihoodWeighted(0.5)
                .weights(oneHot(new int[] {0, 2}, 3), p);
        assertEquals(0.15, w.kl().getDouble(0), 1e-12);
        assertEquals(0.5, w.kl().getDouble(1), 1e-12);
        assertEquals(1.0, w.ce().getDouble(0), 0);
        assertEquals(1.0, w.ce().getDouble(1), 0);
    }

    @Test
    void stochasticCopiesGiveTheClassifierTDifferentPredictionsInTrainingOnly() {
        Architecture.Built built = Architectures.mlp().withHiddenLayers(6).withDropout(0.5).build(
                Dl4jLearner.baseConfiguration(Training.adam(1e-3), 3), new long[] {5}, 3, 9,
                ConfidenceCalibrationLoss.varianceWeighted(), null, 1, 4);
        org.deeplearning4j.nn.graph.ComputationGraph net = new org.deeplearning4j.nn.graph.ComputationGraph(
                built.configuration());
        net.init();
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 5);
        INDArray train = net.feedForward(new INDArray[] {x}, true).get(Architecture.OUTPUT);
        assertArrayEquals(new long[] {8, 3}, train.shape());
        // copies 0 and 1 of sample 0 are rows 0 and 2, with different dropout masks
        assertTrue(train.getRow(0).sub(train.getRow(2)).amaxNumber().doubleValue() > 1e-4, train.toString());
        assertArrayEquals(new long[] {2, 3}, net.outputSingle(false, x).shape());
        // The network's score is eq. 2 of the training-mode predictions (the same seeded dropout masks).
        INDArray logits = Transforms.log(train.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), true);
        double[][] z = logits.toDoubleMatrix();
        int[] y = {2, 0};
        net.setInputs(x);
        net.setLabels(oneHot(y, 3).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        net.computeGradientAndScore();
        assertEquals(naiveVwcc(z, y), net.score(), 1e-4);
    }

    @Test
    void learnerWithCalibrationTrainsReproduciblyAndIsLessConfident() {
        SyntheticData data = SyntheticData.blobs(150, 32, 3, 8);
        Pool pool = data.pool(100);
        Training t = Training.adam(1e-3).withEpochs(4).withBatchSize(20);
        Dl4jLearner plain = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16), t);
        Dl4jLearner calibrated = plain.withCalibration(ConfidenceCalibration.varianceWeighted(5));
        assertEquals("Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16), " + t
                + ").withCalibration(ConfidenceCalibration.varianceWeighted(5))", calibrated.toString());
        TrainingData d = TrainingData.of(pool, 2);
        Dl4jModel a = calibrated.fit(d);
        assertEquals(a.network().params(), calibrated.fit(d).network().params());
        double[] losses = a.trainingLosses();
        assertTrue(losses[3] < losses[0], java.util.Arrays.toString(losses));
        // Same seed, same initial weights: the calibrated targets pull towards the uniform prediction.
        int[] ids = MlpLearnerTest.range(0, 150);
        double plainConfidence = plain.fit(d).probabilities(pool, ids).max(1).meanNumber().doubleValue();
        double calibratedConfidence = a.probabilities(pool, ids).max(1).meanNumber().doubleValue();
        assertTrue(calibratedConfidence < plainConfidence, calibratedConfidence + " vs " + plainConfidence);
    }

    @Test
    void learnerWithLikelihoodWeightingTrainsReproduciblyWithoutDropoutAndIsLessConfident() {
        SyntheticData data = SyntheticData.blobs(150, 32, 3, 8);
        Pool pool = data.pool(100);
        Training t = Training.adam(1e-3).withEpochs(4).withBatchSize(20);
        Dl4jLearner plain = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16).withDropout(0), t);
        Dl4jLearner calibrated = plain.withCalibration(ConfidenceCalibration.likelihoodWeighted());
        assertEquals("Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16).withDropout(0.0), " + t
                + ").withCalibration(ConfidenceCalibration.likelihoodWeighted(1.0))", calibrated.toString());
        TrainingData d = TrainingData.of(pool, 2);
        Dl4jModel a = calibrated.fit(d);
        assertEquals(a.network().params(), calibrated.fit(d).network().params());
        double[] losses = a.trainingLosses();
        assertTrue(losses[3] < losses[0], java.util.Arrays.toString(losses));
        int[] ids = MlpLearnerTest.range(0, 150);
        double plainConfidence = plain.fit(d).probabilities(pool, ids).max(1).meanNumber().doubleValue();
        double calibratedConfidence = a.probabilities(pool, ids).max(1).meanNumber().doubleValue();
        assertTrue(calibratedConfidence < plainConfidence, calibratedConfidence + " vs " + plainConfidence);
    }

    @Test
    void calibratedNetworkConfigurationsSurviveJson() {
        // DL4J saves networks as JSON configurations: the copies vertex and both losses must round-trip.
        for (ConfidenceCalibration c : new ConfidenceCalibration[] {ConfidenceCalibration.varianceWeighted(3),
                ConfidenceCalibration.likelihoodWeighted(0.5)}) {
            org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = Architectures.mlp().withHiddenLayers(4)
                    .build(Dl4jLearner.baseConfiguration(Training.adam(1e-3), 1), new long[] {3}, 2, 1, c.loss(),
                            null, 1, c.passes()).configuration();
            assertEquals(conf, org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson()), c
                    .toString());
        }
    }

    @Test
    void errors() {
        assertThrows(IllegalArgumentException.class, () -> ConfidenceCalibration.varianceWeighted(1));
        assertThrows(IllegalArgumentException.class, () -> ConfidenceCalibration.likelihoodWeighted(-0.1));
        assertThrows(IllegalArgumentException.class, () -> ConfidenceCalibration.likelihoodWeighted(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ConfidenceCalibrationLoss.likelihoodWeighted(1)
                .computeScore(oneHot(new int[] {0, 1}, 2), Nd4j.zeros(DataType.DOUBLE, 4, 2), new ActivationSoftmax(),
                        null, true));
        IllegalArgumentException notOneHot = assertThrows(IllegalArgumentException.class,
                () -> ConfidenceCalibrationLoss.varianceWeighted().computeScore(
                        Nd4j.createFromArray(new double[][] {{0.5, 0.5}}), Nd4j.zeros(DataType.DOUBLE, 2, 2),
                        new ActivationSoftmax(), null, true));
        assertTrue(notOneHot.getMessage().contains("one-hot"), notOneHot.getMessage());
        assertEquals("ConfidenceCalibration.likelihoodWeighted(0.5)",
                ConfidenceCalibration.likelihoodWeighted(0.5).toString());
        assertEquals(ConfidenceCalibration.likelihoodWeighted(), ConfidenceCalibration.likelihoodWeighted(1.0));
        assertTrue(!ConfidenceCalibration.likelihoodWeighted().equals(ConfidenceCalibration.varianceWeighted(2)));
        // LWCC needs no dropout; VWCC does
        Dl4jLearner.of(Architectures.resNet18()).withCalibration(ConfidenceCalibration.likelihoodWeighted());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jLearner.of(Architectures.resNet18()).withCalibration(ConfidenceCalibration.varianceWeighted(
                        5)));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        assertEquals(ConfidenceCalibration.varianceWeighted(3), ConfidenceCalibration.varianceWeighted(3));
    }
}
