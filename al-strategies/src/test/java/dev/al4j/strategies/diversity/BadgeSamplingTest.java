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

    /** The gradient embeddings materialised as in the paper: g_i = (p_i − onehot(argmax p_i)) ⊗ z_i, in double. */
    static double[][] materialise(float[] p, float[] z, int n, int k, int d) {
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
        return g;
    }

    /** The textbook first pick: the largest ‖g‖ (lower id on ties). */
    static int firstPick(double[][] g) {
        int first = 0;
        for (int i = 1; i < g.length; i++) {
            if (dot(g[i], g[i]) > dot(g[first], g[first])) {
                first = i;
            }
        }
        return first;
    }

    /** The textbook D²(i): Σ (g_i − g_c)² to the nearest of the picks {@code picks[0..count)}, directly. */
    static double d2(double[][] g, int i, int[] picks, int count) {
        double m = Double.POSITIVE_INFINITY;
        for (int q = 0; q < count; q++) {
            double s = 0;
            for (int j = 0; j < g[i].length; j++) {
                double e = g[i][j] - g[picks[q]][j];
                s += e * e;
            }
            m = Math.min(m, s);
        }
        return m;
    }

    /**
     * The textbook probability of the picks {@code picks[1..b)} given {@code picks[0]}: the product over the picks of
     * D²(pick)/Σ_unpicked D² (with every D² zero, the lowest unpicked id with probability 1).
     */
    static double textbookProbability(double[][] g, int[] picks) {
        return D2SamplerTest.textbookProbability(g.length, null, picks, (i, c) -> d2(g, i, new int[] {c}, 1));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Rows that are exact copies of one another (ties and zero D²) next to distinct rows. */
    static float[] withDuplicates(int n, int d, int copies, long seed) {
        float[] z = Fixtures.gaussian(n, d, seed);
        for (int i = 1; i < copies; i++) {
            System.arraycopy(z, 0, z, i * d, d);
        }
        return z;
    }

    @Test
    void distancesEqualTheMaterialisedOnes() {
        // {n, K, d, b, copies}: several tiles and a partial one, d of 5, 7 and 16 (not all multiples of the vector
        // width), n below the thread count, b = n, and blocks of duplicate rows (D² = 0 once one copy is picked).
        int[][] cases = {{60, 4, 5, 20, 1}, {1500, 10, 7, 40, 1}, {200, 2, 16, 50, 30}, {2, 3, 3, 2, 1},
            {40, 3, 5, 40, 12}, {2500, 4, 9, 60, 400}};
        for (int[] c : cases) {
            int n = c[0];
            int k = c[1];
            int d = c[2];
            int b = c[3];
            float[] p = Fixtures.floats(dev.al4j.core.TestModels.softmaxRows(n, k, 2.0, new SplittableRandom(n)));
            float[] z = withDuplicates(n, d, c[4], n * 7L);
            double[][] g = materialise(p, z, n, k, d);
            float[] a = BadgeSampling.residuals(p, k);
            // seeds 0-2 with the default full-refresh share, seeds 3-5 refreshing every row at each rejection
            for (long seed = 0; seed < 6; seed++) {
                double after = seed < 3 ? D2Sampler.FULL_REFRESH_SHARE : 0;
                BadgeSampling.Picks one = BadgeSampling.kMeansPlusPlusOnResiduals(EmbeddingTiles.ofRows(z, n, d), a,
                        k, b, new SplittableRandom(seed), 1, after);
                BadgeSampling.Picks three = BadgeSampling.kMeansPlusPlusOnResiduals(EmbeddingTiles.ofRows(z, n, d),
                        a, k, b, new SplittableRandom(seed), 3, after);
                String where = java.util.Arrays.toString(c) + " seed=" + seed;
                assertArrayEquals(one.rows(), three.rows(), where + ": the thread count changed the picks");
                assertArrayEquals(one.distances(), three.distances(), 0.0, where);
                int[] rows = one.rows();
                assertEquals(firstPick(g), rows[0], where);
                assertEquals(Math.sqrt(dot(g[rows[0]], g[rows[0]])), one.distances()[0], 1e-5, where);
                boolean[] taken = new boolean[n];
                taken[rows[0]] = true;
                for (int q = 1; q < b; q++) {
                    assertTrue(!taken[rows[q]], where + ": row " + rows[q] + " picked twice");
                    double expected = d2(g, rows[q], rows, q);
                    double actual = one.distances()[q] * one.distances()[q];
                    // float dot products against double: relative 1e-4 of the terms of ‖g_i‖² + ‖g_c‖² − 2<g_i, g_c>
                    double scale = dot(g[rows[q]], g[rows[q]]) + 2 * maxNorm(g);
                    assertEquals(expected, actual, 1e-4 * scale, where + " pick " + q);
                    if (actual == 0) { // only when every D² is 0; then the lowest unpicked row
                        int lowest = 0;
                        while (taken[lowest]) {
                            lowest++;
                        }
                        double total = 0;
                        for (int i = 0; i < n; i++) {
                            total += taken[i] ? 0 : d2(g, i, rows, q);
                        }
                        if (total <= 1e-9 * scale) {
                            assertEquals(lowest, rows[q], where + " pick " + q);
                        }
                    }
                    taken[rows[q]] = true;
                }
            }
        }
    }

    private static double maxNorm(double[][] g) {
        double m = 0;
        for (double[] row : g) {
            m = Math.max(m, dot(row, row));
        }
        return m;
    }

    @Test
    void drawsFollowTheTextbookD2Distribution() {
        // Ten rows of d = 5, rows 0-3 identical (stale bounds that the refresh drops to 0, so proposals are rejected,
        // up to the full refresh), the first pick fixed (largest ‖g‖): each pair (second, third pick) is a cell whose
        // textbook probability is computed exactly from the materialised D². 40 000 seeds, chi-square goodness of fit,
        // with the default full-refresh share and with a full refresh at every rejection
        // (cells with expected count < 5 merged); the seeds are fixed, so the test is deterministic, and it fails for
        // a sampler that ignores the refresh (proposals accepted in proportion to the stale bounds: statistic > 1000).
        int n = 10;
        int k = 3;
        int d = 5;
        float[] p = Fixtures.floats(dev.al4j.core.TestModels.softmaxRows(n, k, 1.0, new SplittableRandom(4)));
        float[] z = withDuplicates(n, d, 4, 21);
        double[][] g = materialise(p, z, n, k, d);
        int first = firstPick(g);
        EmbeddingTiles tiles = EmbeddingTiles.ofRows(z, n, d);
        int trials = 40_000;
        float[] a = BadgeSampling.residuals(p, k);
        for (double after : new double[] {D2Sampler.FULL_REFRESH_SHARE, 0}) { // 0: full refresh at every rejection
            int[][] counts = new int[n][n];
            for (long seed = 0; seed < trials; seed++) {
                int[] rows = BadgeSampling.kMeansPlusPlusOnResiduals(tiles, a, k, 4, new SplittableRandom(seed), 1,
                        after).rows();
                assertEquals(first, rows[0]);
                counts[rows[1]][rows[2]]++;
            }
            assertFitsTheTextbook(counts, g, first, trials, "full refresh after " + after);
        }
    }

    /** Chi-square goodness of fit of the (second, third pick) counts against the exact textbook probabilities. */
    private static void assertFitsTheTextbook(int[][] counts, double[][] g, int first, int trials, String what) {
        int n = g.length;
        int[] observed = new int[n * n];
        double[] probabilities = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                observed[i * n + j] = counts[i][j];
                probabilities[i * n + j] = i == first || j == first || i == j ? 0
                        : textbookProbability(g, new int[] {first, i, j});
            }
        }
        D2SamplerTest.assertFitsChiSquare(observed, probabilities, trials, what);
    }

    @Test
    void selectThroughThePoolMatchesTheKernelOnPoolIds() {
        int n = 90;
        Pool pool = pool(n, 4, 10, 3);
        PrecomputedModel model = Fixtures.random(n, 4, 6, 3);
        int[] candidates = pool.candidates();
        float[] p = QueryOutputs.toFloats(model.probabilities(pool, candidates));
        float[] z = QueryOutputs.toFloats(model.predict(pool, candidates).embeddings());
        int[] rows = BadgeSampling.kMeansPlusPlus(EmbeddingTiles.ofRows(z, candidates.length, 6), p, 4, 15,
                new SplittableRandom(5), 1).rows();
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
