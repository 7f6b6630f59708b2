package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SupervisedContrastiveLossTest {

    static INDArray oneHot(int[] y, int k) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, y.length, k);
        for (int i = 0; i < y.length; i++) {
            a.putScalar(i, y[i], 1.0);
        }
        return a;
    }

    /** Khosla et al. eq. 2, one anchor and one positive at a time, in double precision. */
    static double[] naive(double[][] p, int[] y, double tau) {
        int b = p.length;
        double[][] z = new double[b][];
        for (int i = 0; i < b; i++) {
            double n = 0;
            for (double v : p[i]) {
                n += v * v;
            }
            n = Math.sqrt(n);
            z[i] = new double[p[i].length];
            for (int j = 0; j < p[i].length; j++) {
                z[i][j] = p[i][j] / n;
            }
        }
        double[] loss = new double[b];
        for (int i = 0; i < b; i++) {
            double denominator = 0;
            for (int a = 0; a < b; a++) {
                if (a != i) {
                    denominator += Math.exp(dot(z[i], z[a]) / tau);
                }
            }
            int positives = 0;
            double sum = 0;
            for (int q = 0; q < b; q++) {
                if (q != i && y[q] == y[i]) {
                    positives++;
                    sum += Math.log(Math.exp(dot(z[i], z[q]) / tau) / denominator);
                }
            }
            loss[i] = positives == 0 ? 0 : -sum / positives;
        }
        return loss;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[][] random(int b, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = new double[b][d];
        for (double[] row : p) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextDouble() * 2 - 1;
            }
        }
        return p;
    }

    @Test
    void handComputedValue() {
        // z1 = z2 = (1, 0) in class 0, z3 = (0, 1) in class 1, τ = 1: s12 = 1, s13 = s23 = 0.
        // ℓ1 = ℓ2 = −log(e / (e + 1)) = log(1 + 1/e) = 0.3132617; ℓ3 has no positive: 0. Sum 0.6265234.
        INDArray p = Nd4j.createFromArray(new double[][] {{2, 0}, {0.5, 0}, {0, 3}});
        INDArray y = oneHot(new int[] {0, 0, 1}, 2);
        SupervisedContrastiveLoss loss = new SupervisedContrastiveLoss(1.0);
        assertEquals(0.6265234, loss.computeScore(y, p, new ActivationIdentity(), null, false), 1e-6);
        assertEquals(0.6265234 / 3, loss.computeScore(y, p, new ActivationIdentity(), null, true), 1e-6);
        INDArray perAnchor = loss.computeScoreArray(y, p, new ActivationIdentity(), null);
        assertEquals(0.3132617, perAnchor.getDouble(0, 0), 1e-6);
        assertEquals(0.0, perAnchor.getDouble(2, 0), 0);
    }

    @Property(tries = 30)
    void equalsTheNaiveFormula(@ForAll @IntRange(min = 2, max = 9) int b, @ForAll @IntRange(min = 1, max = 5) int d,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll long seed) {
        double[][] p = random(b, d, seed);
        int[] y = new int[b];
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < b; i++) {
            y[i] = r.nextInt(k);
        }
        double tau = 0.07 + r.nextDouble();
        double[] expected = naive(p, y, tau);
        INDArray actual = new SupervisedContrastiveLoss(tau).computeScoreArray(oneHot(y, k),
                Nd4j.createFromArray(p), new ActivationIdentity(), null);
        for (int i = 0; i < b; i++) {
            assertEquals(expected[i], actual.getDouble(i, 0), 1e-9 * Math.max(1, Math.abs(expected[i])));
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // Central differences of the summed loss in double precision, relative error < 1e-3 on every entry,
        // with the paper's temperature and through a non-identity activation too.
        int[] y = {0, 1, 0, 2, 1, 0, 2};
        for (boolean tanh : new boolean[] {false, true}) {
            var activation = tanh ? new ActivationTanH() : new ActivationIdentity();
            SupervisedContrastiveLoss loss = new SupervisedContrastiveLoss(0.07);
            INDArray pre = Nd4j.createFromArray(random(7, 4, 3));
            INDArray labels = oneHot(y, 3);
            INDArray analytic = loss.computeGradient(labels, pre, activation, null);
            double eps = 1e-6;
            double worst = 0;
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 4; j++) {
                    INDArray plus = pre.dup();
                    plus.putScalar(i, j, pre.getDouble(i, j) + eps);
                    INDArray minus = pre.dup();
                    minus.putScalar(i, j, pre.getDouble(i, j) - eps);
                    double numeric = (loss.computeScore(labels, plus, activation, null, false)
                            - loss.computeScore(labels, minus, activation, null, false)) / (2 * eps);
                    double a = analytic.getDouble(i, j);
                    double rel = Math.abs(a - numeric) / Math.max(1e-8, Math.abs(a) + Math.abs(numeric));
                    worst = Math.max(worst, Math.abs(a - numeric) < 1e-8 ? 0 : rel);
                }
            }
            assertTrue(worst < 1e-3, "relative error " + worst + (tanh ? " (tanh)" : ""));
        }
    }

    @Test
    void gradientAndScoreAgree() {
        INDArray pre = Nd4j.createFromArray(random(5, 3, 8));
        INDArray labels = oneHot(new int[] {0, 0, 1, 1, 1}, 2);
        SupervisedContrastiveLoss loss = new SupervisedContrastiveLoss(0.5);
        var both = loss.computeGradientAndScore(labels, pre, new ActivationIdentity(), null, true);
        assertEquals(loss.computeScore(labels, pre, new ActivationIdentity(), null, true), both.getFirst(), 1e-12);
        assertEquals(loss.computeGradient(labels, pre, new ActivationIdentity(), null), both.getSecond());
    }

    @Test
    void invariantToTheScaleOfProjections() {
        INDArray pre = Nd4j.createFromArray(random(6, 3, 2));
        INDArray labels = oneHot(new int[] {0, 1, 0, 1, 2, 2}, 3);
        SupervisedContrastiveLoss loss = new SupervisedContrastiveLoss(0.07);
        assertEquals(loss.computeScore(labels, pre, new ActivationIdentity(), null, false),
                loss.computeScore(labels, pre.mul(7.5), new ActivationIdentity(), null, false), 1e-9);
    }

    @Test
    void valueSemanticsAndErrors() {
        assertEquals(new SupervisedContrastiveLoss(0.07), new SupervisedContrastiveLoss(0.07));
        assertEquals("SupervisedContrastiveLoss(0.07)", new SupervisedContrastiveLoss(0.07).toString());
        assertThrows(IllegalArgumentException.class, () -> new SupervisedContrastiveLoss(0));
        assertThrows(IllegalArgumentException.class, () -> new SupervisedContrastiveLoss(0.1).computeScore(
                oneHot(new int[] {0, 1}, 2), Nd4j.rand(3, 2), new ActivationIdentity(), null, true));
    }
}
