package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BadgeSamplingTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.badge().withSeed(11);
    }

    /**
     * BADGE as in the paper: materialise g_i = (p_i − onehot(argmax p_i)) ⊗ z_i (K·d values, double), first pick the
     * largest ‖g‖ (lower id on ties), then D² sampling with D² computed directly as Σ (g_i − g_c)². The draw: one
     * u = nextDouble()·ΣD², then the first id whose running sum of positive D² exceeds u; all zero → lowest unpicked.
     */
    static int[] naiveBadge(float[] p, float[] z, int n, int k, int d, int b, long seed) {
        double[][] g = new double[n][k * d];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + best]) {
                    best = c;
                }
            }
            for (int c = 0; c < k; c++) {
                float a = p[i * k + c] - (c == best ? 1f : 0f);
                for (int j = 0; j < d; j++) {
                    g[i][c * d + j] = (double) a * z[i * d + j];
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] picks = new int[b];
        boolean[] taken = new boolean[n];
        int first = 0;
        for (int i = 1; i < n; i++) {
            if (dot(g[i], g[i]) > dot(g[first], g[first])) {
                first = i;
            }
        }
        picks[0] = first;
        taken[first] = true;
        for (int p2 = 1; p2 < b; p2++) {
            double[] d2 = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double m = Double.POSITIVE_INFINITY;
                for (int q = 0; q < p2; q++) {
                    double s = 0;
                    for (int j = 0; j < k * d; j++) {
                        double e = g[i][j] - g[picks[q]][j];
                        s += e * e;
                    }
                    m = Math.min(m, s);
                }
                d2[i] = m;
                total += m;
            }
            double u = random.nextDouble() * total;
            int chosen = -1;
            if (total > 0) {
                double running = 0;
                for (int i = 0; i < n && chosen < 0; i++) {
                    if (d2[i] > 0) {
                        running += d2[i];
                        if (running > u) {
                            chosen = i;
                        }
                    }
                }
            } else {
                for (int i = 0; i < n && chosen < 0; i++) {
                    if (!taken[i]) {
                        chosen = i;
                    }
                }
            }
            picks[p2] = chosen;
            taken[chosen] = true;
        }
        return picks;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void factoredEqualsMaterialised() {
        int[][] cases = {{60, 4, 5, 20}, {1500, 10, 7, 30}, {200, 2, 16, 50}};
        for (int[] c : cases) {
            int n = c[0];
            int k = c[1];
            int d = c[2];
            int b = c[3];
            float[] p = Fixtures.floats(dev.al4j.core.TestModels.softmaxRows(n, k, 2.0, new SplittableRandom(n)));
            float[] z = Fixtures.gaussian(n, d, n * 7L);
            for (long seed = 0; seed < 3; seed++) {
                int[] expected = naiveBadge(p, z, n, k, d, b, seed);
                for (int threads : new int[] {1, 2}) {
                    int[] actual = BadgeSampling.kMeansPlusPlus(EmbeddingTiles.ofRows(z, n, d), p, k, b,
                            new SplittableRandom(seed), threads).rows();
                    assertArrayEquals(expected, actual, "n=" + n + " seed=" + seed + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void selectThroughThePoolMatchesTheMaterialisedAlgorithm() {
        int n = 90;
        Pool pool = pool(n, 4, 10, 3);
        PrecomputedModel model = Fixtures.random(n, 4, 6, 3);
        int[] candidates = pool.candidates();
        float[] p = QueryOutputs.toFloats(model.probabilities(pool, candidates));
        float[] z = QueryOutputs.toFloats(model.predict(pool, candidates).embeddings());
        int[] rows = naiveBadge(p, z, candidates.length, 4, 6, 15, 5);
        int[] expected = java.util.Arrays.stream(rows).map(r -> candidates[r]).toArray();
        assertArrayEquals(expected, Strategies.badge().withSeed(5).select(pool, model, 15).ids());
    }

    @Test
    void handCheckedFirstPickAndSecondPickProbabilities() {
        // id 0: p = (.25, .75), z = (1, 1): a = (.25, -.25), ‖a‖² = .125, ‖z‖² = 2, ‖g‖² = .25
        // id 1: p = (.75, .25), z = (4, 0): a = (-.25, .25), ‖a‖² = .125, ‖z‖² = 16, ‖g‖² = 2
        // id 2: p = (.5, .5),  z = (0, 2): ŷ = 0 (tie -> lower class), a = (-.5, .5), ‖a‖² = .5, ‖z‖² = 4, ‖g‖² = 2
        // First pick: largest ‖g‖ = √2, tie between ids 1 and 2 -> id 1.
        // D² to g_1: id 2: 2 + 2 - 2 (a2·a1 = .25)(z2·z1 = 0) = 4; id 0: .25 + 2 - 2 (-.125)(4) = 3.25.
        // So the second pick is id 2 with probability 4 / 7.25 = 0.5517.
        double[][] p = {{.25, .75}, {.75, .25}, {.5, .5}};
        double[][] z = {{1, 1}, {4, 0}, {0, 2}};
        PrecomputedModel model = Fixtures.model(p, z);
        Pool pool = Pool.withoutInputs(3, 2);
        Selection s = Strategies.badge().withSeed(3).select(pool, model, 2);
        assertEquals(1, s.ids()[0]);
        assertEquals(Math.sqrt(2), s.scores().orElseThrow()[0], 1e-6);
        assertEquals(s.ids()[1] == 2 ? 2.0 : Math.sqrt(3.25), s.scores().orElseThrow()[1], 1e-5); // √4 or √3.25
        // The draw itself, on the kernel (a select call per seed would spend its time in ND4J start-up work).
        EmbeddingTiles tiles = EmbeddingTiles.ofRows(new float[] {1, 1, 4, 0, 0, 2}, 3, 2);
        float[] probs = Fixtures.floats(p);
        int twos = 0;
        int trials = 4000;
        for (long seed = 0; seed < trials; seed++) {
            int[] rows = BadgeSampling.kMeansPlusPlus(tiles, probs, 2, 2, new SplittableRandom(seed), 1).rows();
            assertEquals(1, rows[0]);
            twos += rows[1] == 2 ? 1 : 0;
        }
        double expected = 4 / 7.25;
        double sigma = Math.sqrt(expected * (1 - expected) / trials); // about 0.008
        assertEquals(expected, (double) twos / trials, 4 * sigma);
    }

    @Test
    void oneClassModelHasZeroGradientsAndTakesTheLowestIds() {
        // K = 1: p = (1), a = p - onehot = 0, so every g is 0 and every D² is 0: lowest ids in order.
        double[][] p = {{1}, {1}, {1}, {1}, {1}};
        double[][] z = {{3}, {1}, {4}, {1}, {5}};
        Pool pool = Pool.withoutInputs(5, 1).withLabels(new int[] {1}, new int[] {0});
        assertArrayEquals(new int[] {0, 2, 3}, Strategies.badge().select(pool, Fixtures.model(p, z), 3).ids());
    }

    @Test
    void optionsAreEchoed() {
        assertEquals("Strategies.badge().withSeed(0)", Strategies.badge().toString());
        assertEquals("Strategies.badge().withSeed(7).withParallelism(1)",
                Strategies.badge().withSeed(7).withParallelism(1).toString());
        assertEquals(Strategies.badge().withSeed(7), Strategies.badge().withSeed(7));
        assertTrue(!Strategies.badge().withSeed(7).equals(Strategies.badge().withSeed(8)));
    }
}
