package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ExpectedGradientLength}: hand-computed scores, the materialised gradient, the query contract. */
class ExpectedGradientLengthTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.egl();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    private static INDArray matrix(double[][] rows) {
        return Nd4j.create(rows).castTo(DataType.FLOAT);
    }

    @Test
    void handComputedScores() {
        // Row 0: p = (0.5, 0.5), h = (1, 1, 1): ‖p‖² = 0.5; ‖p − e_0‖² = ‖p − e_1‖² = 0.5 − 1 + 1 = 0.5,
        //   so Σ_y p_y ‖p − e_y‖ = √0.5; √(‖h‖² + 1) = √4 = 2; EGL = 2√0.5 = √2 = 1.41421356...
        // Row 1: p = (1, 0), h = (0, 0, 0): ‖p − e_0‖ = 0 with weight 1, ‖p − e_1‖ = √2 with weight 0: EGL = 0.
        // Row 2: p = (0.8, 0.2), h = (3, 0, 0): ‖p‖² = 0.68; ‖p − e_0‖² = 0.68 − 1.6 + 1 = 0.08,
        //   ‖p − e_1‖² = 0.68 − 0.4 + 1 = 1.28; Σ = 0.8·√0.08 + 0.2·√1.28 = 0.8·0.28284271 + 0.2·1.13137085
        //   = 0.45254834; √(9 + 1) = 3.16227766; EGL = 1.43108351.
        // Row 3: p = (0.25, 0.75), h = (0, 0, 1): ‖p‖² = 0.625; ‖p − e_0‖² = 0.625 − 0.5 + 1 = 1.125,
        //   ‖p − e_1‖² = 0.625 − 1.5 + 1 = 0.125; Σ = 0.25·1.06066017 + 0.75·0.35355339 = 0.53033009;
        //   √(1 + 1) = 1.41421356; EGL = 0.75.
        double[] s = ExpectedGradientLength.scores(
                matrix(new double[][] {{0.5, 0.5}, {1, 0}, {0.8, 0.2}, {0.25, 0.75}}),
                matrix(new double[][] {{1, 1, 1}, {0, 0, 0}, {3, 0, 0}, {0, 0, 1}}));
        assertArrayEquals(new double[] {1.41421356, 0, 1.43108351, 0.75}, s, 1e-6);
    }

    @Test
    void selectionTakesTheLargestScoresWithTiesToTheLowerId() {
        // Scores from handComputedScores; ids 4 and 5 repeat row 0 (√2), ids 3 and 1 score 0.75 and 0.
        INDArray p = matrix(new double[][] {{0.5, 0.5}, {1, 0}, {0.8, 0.2}, {0.25, 0.75}, {0.5, 0.5}, {0.5, 0.5}});
        INDArray h = matrix(new double[][] {{1, 1, 1}, {0, 0, 0}, {3, 0, 0}, {0, 0, 1}, {1, 1, 1}, {1, 1, 1}});
        Pool pool = Pool.withoutInputs(6, 2);
        Model model = PrecomputedModel.builder(p).embeddings(h).build();
        Selection s = Strategies.egl().select(pool, model, 3);
        assertArrayEquals(new int[] {2, 0, 4}, s.ids()); // 1.431 > √2 = √2 (ids 0, 4, 5: the lower first)
        assertArrayEquals(new double[] {1.43108351, Math.sqrt(2), Math.sqrt(2)}, s.scores().orElseThrow(), 1e-6);
    }

    /**
     * The textbook definition: materialise the last-layer gradient {@code G_y = (p − e_y) ⊗ [h, 1]} (K·(d + 1)
     * entries, weights and bias) for every label, take its Frobenius norm, average over {@code y ~ p}.
     */
    private static double naiveEgl(double[] p, double[] h) {
        int k = p.length;
        double expected = 0;
        for (int y = 0; y < k; y++) {
            double sq = 0;
            for (int c = 0; c < k; c++) {
                double a = p[c] - (c == y ? 1 : 0);
                for (int j = 0; j <= h.length; j++) {
                    double g = a * (j < h.length ? h[j] : 1.0); // the last column is the bias
                    sq += g * g;
                }
            }
            expected += p[y] * Math.sqrt(sq);
        }
        return expected;
    }

    @Test
    void closedFormEqualsTheMaterialisedGradient() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 40;
        int k = 5;
        int d = 7;
        double[][] p = new double[n][k];
        double[][] h = new double[n][d];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[i][c] = Math.pow(random.nextDouble(), 3); // some peaked rows
                sum += p[i][c];
            }
            for (int c = 0; c < k; c++) {
                p[i][c] /= sum;
            }
            for (int j = 0; j < d; j++) {
                h[i][j] = random.nextDouble() * 4 - 2;
            }
        }
        INDArray pf = matrix(p);
        INDArray hf = matrix(h);
        double[] fast = ExpectedGradientLength.scores(pf, hf);
        double[][] pRounded = pf.castTo(DataType.DOUBLE).toDoubleMatrix(); // the float32 values the kernel reads
        double[][] hRounded = hf.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < n; i++) {
            assertEquals(naiveEgl(pRounded[i], hRounded[i]), fast[i], 1e-9 * (1 + fast[i]), "row " + i);
        }
        // The acquisition function over a model gives the same numbers.
        Pool pool = Pool.withoutInputs(n, k);
        int[] ids = new int[n];
        java.util.Arrays.setAll(ids, i -> i);
        assertArrayEquals(fast, ExpectedGradientLength.INSTANCE.score(pool,
                PrecomputedModel.builder(pf).embeddings(hf).build(), ids), 0);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        INDArray p = matrix(new double[][] {{0.5, 0.5}, {0.9, 0.3}});
        INDArray h = matrix(new double[][] {{1}, {2}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExpectedGradientLength.scores(p, h));
        assertTrue(e.getMessage().contains("probabilities"), e.getMessage());
        INDArray good = matrix(new double[][] {{0.5, 0.5}, {0.7, 0.3}});
        e = assertThrows(IllegalArgumentException.class,
                () -> ExpectedGradientLength.scores(good, matrix(new double[][] {{1}, {2}, {3}})));
        assertTrue(e.getMessage().contains("embeddings") && e.getMessage().contains("[3, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ExpectedGradientLength.scores(good, matrix(new double[][] {{1}, {Double.NaN}})));
        assertTrue(e.getMessage().contains("embeddings"), e.getMessage());
        // A model without embeddings: the message names the strategy and the capability.
        Pool pool = Pool.withoutInputs(2, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.egl().select(pool, PrecomputedModel.builder(good).build(), 1));
        assertTrue(e.getMessage().contains("egl") && e.getMessage().contains("EmbeddingModel"), e.getMessage());
    }

    @Test
    void toStringEchoesTheFactory() {
        assertEquals("Strategies.egl()", Strategies.egl().toString());
        assertEquals(Strategies.egl(), Strategies.egl());
        assertEquals(Strategies.egl(), Strategies.catalog().get("egl").create(7));
    }
}
