package dev.al4j.dl4j;

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

    static INDArray targets(int[] y, double[] alpha, int k) {
        INDArray q = Nd4j.zeros(DataType.DOUBLE, y.length, k);
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < k; c++) {
                q.putScalar(i, c, (c == y[i] ? 1 - alpha[i] : 0) + alpha[i] / k);
            }
        }
        return q;
    }

    @Test
    void lossByHand() {
        // K = 2, logits (0, 0) → p = (0.5, 0.5); α = 0.5, y = 0: 0.5·CE + 0.5·KL(U‖U) = 0.5·log 2 = 0.3465736.
        INDArray q = targets(new int[] {0}, new double[] {0.5}, 2);
        double loss = new ConfidenceCalibrationLoss().computeScore(q, Nd4j.zeros(DataType.DOUBLE, 1, 2),
                new ActivationSoftmax(), null, false);
        assertEquals(0.3465736, loss, 1e-7);
    }

    @Property(tries = 30)
    void lossEqualsSeoEtAlFormula(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 2, max = 6) int k,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        double[] alpha = new double[n];
        double[][] logits = new double[n][k];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
            alpha[i] = r.nextDouble();
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                logits[i][c] = 4 * r.nextDouble() - 2;
                max = Math.max(max, logits[i][c]);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(logits[i][c] - max);
            }
            double ce = -(logits[i][y[i]] - max - Math.log(z));
            double kl = 0; // KL(U ‖ p) = Σ (1/K) log((1/K) / p_k)
            for (int c = 0; c < k; c++) {
                kl += (1.0 / k) * Math.log((1.0 / k) / Math.exp(logits[i][c] - max - Math.log(z)));
            }
            expected += (1 - alpha[i]) * ce + alpha[i] * kl;
        }
        double actual = new ConfidenceCalibrationLoss().computeScore(targets(y, alpha, k),
                Nd4j.createFromArray(logits), new ActivationSoftmax(), null, false);
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // Central differences in double precision, relative error < 1e-3, through softmax (the p − q fast path) and
        // through a sigmoid (the general chain rule).
        SplittableRandom r = new SplittableRandom(4);
        int n = 5;
        int k = 4;
        double[][] logits = new double[n][k];
        for (double[] row : logits) {
            for (int c = 0; c < k; c++) {
                row[c] = 3 * r.nextDouble() - 1.5;
            }
        }
        INDArray q = targets(new int[] {0, 3, 1, 1, 2}, new double[] {0, 0.2, 0.9, 0.5, 1}, k);
        for (IActivation activation : new IActivation[] {new ActivationSoftmax(), new ActivationSigmoid()}) {
            ConfidenceCalibrationLoss loss = new ConfidenceCalibrationLoss();
            INDArray pre = Nd4j.createFromArray(logits);
            INDArray analytic = loss.computeGradient(q, pre, activation, null);
            double eps = 1e-6;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    INDArray plus = pre.dup();
                    plus.putScalar(i, c, logits[i][c] + eps);
                    INDArray minus = pre.dup();
                    minus.putScalar(i, c, logits[i][c] - eps);
                    double numeric = (loss.computeScore(q, plus, activation, null, false)
                            - loss.computeScore(q, minus, activation, null, false)) / (2 * eps);
                    double a = analytic.getDouble(i, c);
                    double diff = Math.abs(a - numeric);
                    worst = Math.max(worst, diff < 1e-8 ? 0 : diff / (Math.abs(a) + Math.abs(numeric)));
                }
            }
            assertTrue(worst < 1e-3, activation + ": relative error " + worst);
        }
    }

    @Test
    void oneHotLabelsGivePlainCrossEntropy() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{1, 2, 0.5}, {0, -1, 3}});
        INDArray y = targets(new int[] {1, 2}, new double[] {0, 0}, 3);
        double expected = new org.nd4j.linalg.lossfunctions.impl.LossMCXENT().computeScore(y, logits,
                new ActivationSoftmax(), null, true);
        assertEquals(expected, new ConfidenceCalibrationLoss().computeScore(y, logits, new ActivationSoftmax(), null,
                true), 1e-9);
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
    void errors() {
        assertThrows(IllegalArgumentException.class, () -> ConfidenceCalibration.varianceWeighted(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jLearner.of(Architectures.resNet18()).withCalibration(ConfidenceCalibration.varianceWeighted(
                        5)));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        assertEquals(ConfidenceCalibration.varianceWeighted(3), ConfidenceCalibration.varianceWeighted(3));
    }
}
