package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * WAAL's critic ({@link WassersteinCritic}): its score, input gradient, Wasserstein-term gradient and gradient
 * penalty by hand on a 2-input, 2-unit critic, and every gradient against central finite differences in double.
 */
class WassersteinCriticTest {

    /** W₁ = [[1, −1], [2, 0.5]] (D = 2 rows, m = 2 columns), b₁ = (0.5, 0.25), w₂ = (1, −2), b₂ = 0.1. */
    private static WassersteinCritic tiny() {
        return WassersteinCritic.of(2, 2, Nd4j.createFromArray(1, -1, 2, 0.5, 0.5, 0.25, 1, -2, 0.1));
    }

    private static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    @Test
    void scoreAndInputGradientByHand() {
        // z = (1, 1): a = W₁ᵀz + b₁ = (1 + 2 + 0.5, −1 + 0.5 + 0.25) = (3.5, −0.25); h = (3.5, 0); s = 3.5 + 0.1 = 3.6.
        // ∇_z d = σ'(3.6)·W₁(w₂ ⊙ μ) = σ'(3.6)·W₁(1, 0) = σ'(3.6)·(1, 2).
        // z = (0, 0): a = (0.5, 0.25), h = a, s = 0.5 − 0.5 + 0.1 = 0.1; ∇_z d = σ'(0.1)·W₁(1, −2) = σ'(0.1)·(3, 1).
        WassersteinCritic c = tiny();
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 1}, {0, 0}});
        double d0 = sigmoid(3.6);
        double d1 = sigmoid(0.1);
        assertArrayEquals(new double[] {d0, d1}, c.scores(z).toDoubleVector(), 1e-12);
        double s0 = d0 * (1 - d0);
        double s1 = d1 * (1 - d1);
        assertArrayEquals(new double[] {s0, 2 * s0, 3 * s1, s1}, c.inputGradients(z).dup('c').data().asDouble(),
                1e-12);
        // penalty = mean((‖∇d‖ − 1)²) = ((√5·σ'(3.6) − 1)² + (√10·σ'(0.1) − 1)²) / 2
        double expected = (Math.pow(Math.sqrt(5) * s0 - 1, 2) + Math.pow(Math.sqrt(10) * s1 - 1, 2)) / 2;
        assertEquals(expected, c.penalty(z, false).value(), 1e-12);
    }

    /** A random double critic on D = 5 inputs with m = 4 units, and 7 random points. */
    private static WassersteinCritic randomCritic(long seed) {
        return WassersteinCritic.initial(5, 4, seed, DataType.DOUBLE);
    }

    private static INDArray randomPoints(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = 2 * r.nextDouble() - 1;
            }
        }
        return Nd4j.createFromArray(x);
    }

    /** Central differences of {@code f} with respect to each parameter of {@code critic}. */
    private static double[] numericalParameterGradient(WassersteinCritic critic,
            java.util.function.ToDoubleFunction<WassersteinCritic> f) {
        INDArray p = critic.parameters();
        double[] g = new double[(int) p.length()];
        double h = 1e-6;
        for (int i = 0; i < g.length; i++) {
            INDArray plus = p.dup();
            plus.putScalar(i, p.getDouble(i) + h);
            INDArray minus = p.dup();
            minus.putScalar(i, p.getDouble(i) - h);
            g[i] = (f.applyAsDouble(WassersteinCritic.of(5, 4, plus))
                    - f.applyAsDouble(WassersteinCritic.of(5, 4, minus))) / (2 * h);
        }
        return g;
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-6 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, "entry " + i);
        }
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        for (long seed = 1; seed <= 3; seed++) {
            WassersteinCritic c = randomCritic(seed);
            INDArray z = randomPoints(7, 5, seed + 10);
            double[] analytic = c.inputGradients(z).dup('c').data().asDouble();
            double[] numeric = new double[analytic.length];
            double h = 1e-6;
            for (int i = 0; i < numeric.length; i++) {
                INDArray plus = z.dup('c');
                plus.data().put(i, plus.data().getDouble(i) + h);
                INDArray minus = z.dup('c');
                minus.data().put(i, minus.data().getDouble(i) - h);
                // only row i / 5 moves, so the sum of scores changes by that row's score alone
                numeric[i] = (c.scores(plus).sumNumber().doubleValue() - c.scores(minus).sumNumber().doubleValue())
                        / (2 * h);
            }
            assertClose(numeric, analytic);
        }
    }

    @Test
    void wassersteinTermGradientMatchesFiniteDifferences() {
        for (long seed = 1; seed <= 3; seed++) {
            WassersteinCritic c = randomCritic(seed);
            INDArray z = randomPoints(7, 5, seed + 20);
            // the estimate mean_u d − γ·mean_l d with rows 0–2 labeled, 3–6 unlabeled and γ = 0.3
            INDArray weights = Nd4j.createFromArray(-0.1, -0.1, -0.1, 0.25, 0.25, 0.25, 0.25);
            double[] analytic = c.weightedScoreGradient(z, weights).toDoubleVector();
            double[] numeric = numericalParameterGradient(c,
                    k -> k.scores(z).mul(weights).sumNumber().doubleValue());
            assertClose(numeric, analytic);
        }
    }

    @Test
    void gradientPenaltyGradientMatchesFiniteDifferences() {
        for (long seed = 1; seed <= 3; seed++) {
            // larger weights, so that the norms sit on both sides of 1
            WassersteinCritic c = WassersteinCritic.of(5, 4, randomCritic(seed).parameters().mul(4));
            INDArray points = randomPoints(9, 5, seed + 30);
            double[] analytic = c.penalty(points, true).gradient().toDoubleVector();
            double[] numeric = numericalParameterGradient(c, k -> k.penalty(points, false).value());
            assertClose(numeric, analytic);
            assertTrue(java.util.Arrays.stream(analytic).anyMatch(v -> Math.abs(v) > 1e-3), "a non-trivial gradient");
        }
    }

    /**
     * The critic step's one-pass gradient equals its two terms computed apart (the naive reference: the score term's
     * gradient plus λ times the penalty's, each checked against finite differences above), with the score weights 0
     * on some points as in WAAL's step; and against finite differences of the whole objective.
     */
    @Test
    void oneObjectiveGradientEqualsItsTermsComputedApart() {
        for (long seed = 1; seed <= 3; seed++) {
            WassersteinCritic c = WassersteinCritic.of(5, 4, randomCritic(seed).parameters().mul(4));
            INDArray points = randomPoints(9, 5, seed + 40);
            // rows 0–2: interpolates (weight 0), 3–5 labeled (γ/3 with γ = 0.4), 6–8 unlabeled (−1/3), times α = 0.7
            INDArray weights = Nd4j.createFromArray(0, 0, 0, 0.7 * 0.4 / 3, 0.7 * 0.4 / 3, 0.7 * 0.4 / 3, -0.7 / 3,
                    -0.7 / 3, -0.7 / 3);
            double lambda = 1.4;
            WassersteinCritic.Penalty one = c.objective(points, weights, lambda, true);
            double[] apart = c.weightedScoreGradient(points, weights)
                    .add(c.penalty(points, true).gradient().mul(lambda)).toDoubleVector();
            double[] together = one.gradient().toDoubleVector();
            for (int i = 0; i < apart.length; i++) {
                assertEquals(apart[i], together[i], 1e-12 + 1e-12 * Math.abs(apart[i]), "parameter " + i);
            }
            assertEquals(c.penalty(points, false).value(), one.value(), 1e-15);
            double[] numeric = numericalParameterGradient(c, k -> k.scores(points).mul(weights).sumNumber()
                    .doubleValue() + lambda * k.penalty(points, false).value());
            assertClose(numeric, together);
        }
    }

    @Test
    void penaltyIsZeroForAUnitGradientAndHandlesDeadUnits() {
        // every hidden unit off (b₁ very negative): ∇d = 0, penalty (0 − 1)² = 1, gradient finite
        WassersteinCritic dead = WassersteinCritic.of(2, 2, Nd4j.createFromArray(1, 1, 1, 1, -100, -100, 1, 1, 0.0));
        WassersteinCritic.Penalty p = dead.penalty(Nd4j.createFromArray(new double[][] {{0.5, 0.5}}), true);
        assertEquals(1, p.value(), 1e-12);
        for (double g : p.gradient().toDoubleVector()) {
            assertTrue(Double.isFinite(g));
        }
    }

    @Test
    void initialisationIsSeededAndWithinPyTorchBounds() {
        INDArray a = WassersteinCritic.initial(16, 50, 7, DataType.FLOAT).parameters();
        assertEquals(a, WassersteinCritic.initial(16, 50, 7, DataType.FLOAT).parameters());
        assertTrue(!a.equals(WassersteinCritic.initial(16, 50, 8, DataType.FLOAT).parameters()));
        assertEquals(16 * 50 + 2 * 50 + 1, a.length());
        // W₁, b₁ within ±1/√16 = ±0.25; w₂, b₂ within ±1/√50
        assertTrue(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 850)).amaxNumber().doubleValue() <= 0.25);
        assertTrue(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(850, 901)).amaxNumber().doubleValue()
                <= 1 / Math.sqrt(50) + 1e-7);
        assertThrows(IllegalArgumentException.class, () -> WassersteinCritic.of(2, 2, Nd4j.zeros(5)));
        assertThrows(IllegalArgumentException.class, () -> tiny().scores(Nd4j.zeros(DataType.DOUBLE, 3, 4)));
    }

    @Test
    void injectedGradientLossPassesItsLabelsAsTheGradient() {
        // L = Σᵢ <eᵢ, zᵢ>: per example (1·2 + 3·(−1)) = −1 and (0.5·4 + 0·1) = 2; gradient = e; a mask zeroes row 1.
        InjectedGradientLoss loss = new InjectedGradientLoss();
        INDArray z = Nd4j.createFromArray(new double[][] {{2, -1}, {4, 1}});
        INDArray e = Nd4j.createFromArray(new double[][] {{1, 3}, {0.5, 0}});
        assertArrayEquals(new double[] {-1, 2}, loss.computeScoreArray(e, z, new ActivationIdentity(), null)
                .toDoubleVector(), 1e-12);
        assertEquals(e, loss.computeGradient(e, z, new ActivationIdentity(), null));
        Pair<Double, INDArray> masked = loss.computeGradientAndScore(e, z, new ActivationIdentity(),
                Nd4j.createFromArray(new double[][] {{1}, {0}}), false);
        assertEquals(-1, masked.getFirst(), 1e-12);
        assertArrayEquals(new double[] {1, 3, 0, 0}, masked.getSecond().dup('c').data().asDouble(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> loss.computeGradient(Nd4j.zeros(2, 3), z, new ActivationIdentity(), null));
    }
}
