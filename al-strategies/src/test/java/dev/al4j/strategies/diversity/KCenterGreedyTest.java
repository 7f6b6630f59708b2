package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KCenterGreedyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.kCenterGreedy();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    /**
     * The textbook greedy, O(N·b·L): at every step recompute each remaining candidate's min squared distance to the
     * labeled points and earlier picks (float sums over k ascending, as the fast path), take the largest (lower id on
     * ties). With nothing labeled, start from the candidate nearest the mean (mean in double, rounded to float).
     */
    static int[] naiveGreedy(float[] x, int n, int d, float[] labeled, int b) {
        int l = labeled.length / d;
        int[] picks = new int[b];
        boolean[] taken = new boolean[n];
        for (int p = 0; p < b; p++) {
            int best = -1;
            float bestValue = -1;
            if (p == 0 && l == 0) {
                float[] mean = new float[d];
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += x[i * d + j];
                    }
                    mean[j] = (float) (s / n);
                }
                float nearest = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = sq(x, i * d, mean, 0, d);
                    if (v < nearest) {
                        nearest = v;
                        best = i;
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    if (taken[i]) {
                        continue;
                    }
                    float m = Float.POSITIVE_INFINITY;
                    for (int j = 0; j < l; j++) {
                        m = Math.min(m, sq(x, i * d, labeled, j * d, d));
                    }
                    for (int q = 0; q < p; q++) {
                        m = Math.min(m, sq(x, i * d, x, picks[q] * d, d));
                    }
                    if (m > bestValue) {
                        bestValue = m;
                        best = i;
                    }
                }
            }
            picks[p] = best;
            taken[best] = true;
        }
        return picks;
    }

    private static float sq(float[] a, int ao, float[] b, int bo, int d) {
        float s = 0;
        for (int k = 0; k < d; k++) {
            float e = a[ao + k] - b[bo + k];
            s += e * e;
        }
        return s;
    }

    @Test
    void picksEqualTheNaiveAlgorithm() {
        // Sizes span several tiles and a partial one, d not a multiple of 4, L not a multiple of 4.
        int[][] cases = {{70, 6, 5, 20}, {2500, 13, 7, 40}, {90, 3, 0, 30}, {1100, 9, 1, 25}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int l = c[2];
            int b = c[3];
            float[] x = Fixtures.gaussian(n, d, n + d);
            float[] y = Fixtures.gaussian(l, d, 99 + l);
            int[] expected = naiveGreedy(x, n, d, y, b);
            for (int threads : new int[] {1, 3}) {
                KCenterGreedy.Picks picks = KCenterGreedy.greedy(EmbeddingTiles.ofRows(x, n, d), l == 0 ? null : y,
                        b, threads);
                assertArrayEquals(expected, picks.rows(), "case " + Arrays.toString(c) + " threads " + threads);
            }
        }
    }

    /** Small-integer coordinates: many exactly equal distances, so the tie rule decides most picks. */
    static float[] grid(int n, int d, int levels, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(levels);
        }
        return x;
    }

    @Test
    void lazyBoundsPickLikeTheNaiveAlgorithmOnTiesDuplicatesAndOddSizes() {
        // {n, d, L, b, levels}: integer grids (ties everywhere; levels 2 makes many duplicate rows), d of 1, 17 and
        // 33 (not multiples of the vector width), n below the thread count, b = n, a partial tile.
        int[][] cases = {{60, 3, 4, 60, 2}, {200, 17, 0, 50, 3}, {1, 5, 2, 1, 2}, {2, 1, 0, 2, 4}, {1500, 33, 6, 120,
            2}, {300, 2, 9, 300, 3}, {40, 4, 0, 40, 1}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int l = c[2];
            int b = c[3];
            float[] x = grid(n, d, c[4], 7 * n + d);
            float[] y = grid(l, d, c[4], 11 * l + d);
            int[] expected = naiveGreedy(x, n, d, y, b);
            for (int threads : new int[] {1, 2, 4}) {
                KCenterGreedy.Picks picks = KCenterGreedy.greedy(EmbeddingTiles.ofRows(x, n, d), l == 0 ? null : y,
                        b, threads);
                assertArrayEquals(expected, picks.rows(), "case " + Arrays.toString(c) + " threads " + threads);
            }
        }
    }

    @Test
    void labeledDistancesEqualTheTextbookMinimumBitForBit() {
        // The reference: for every candidate, the minimum of all L textbook float sums (PivotGroups skips most of
        // them). Two tiles and a partial one, d = 37; L = 1, 300 and 2 100; Gaussian rows and integer grids (ties,
        // duplicate rows); 1 and 3 threads.
        int n = 2100;
        int d = 37;
        for (boolean onGrid : new boolean[] {false, true}) {
            float[] x = onGrid ? grid(n, d, 2, 5) : Fixtures.gaussian(n, d, 5);
            EmbeddingTiles tiles = EmbeddingTiles.ofRows(x, n, d);
            for (int l : new int[] {1, 300, 2100}) {
                float[] y = onGrid ? grid(l, d, 2, 6 + l) : Fixtures.gaussian(l, d, 6 + l);
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    float m = Float.POSITIVE_INFINITY;
                    for (int j = 0; j < l; j++) {
                        m = Math.min(m, sq(x, i * d, y, j * d, d));
                    }
                    expected[i] = m;
                }
                for (int threads : new int[] {1, 3}) {
                    float[] actual = new float[n];
                    KCenterGreedy.initialDistances(tiles, y, actual, threads);
                    assertArrayEquals(expected, actual, 0f, "grid " + onGrid + ", L = " + l + ", threads " + threads);
                }
            }
        }
    }

    @Test
    void lazyHeapPopsByKeyThenLowerRow() {
        float[] key = {3, 5, 5, 1, 5, 0};
        KCenterGreedy.LazyHeap heap = new KCenterGreedy.LazyHeap(key.length, key, 4);
        int[] order = new int[heap.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = heap.pop();
        }
        assertArrayEquals(new int[] {1, 2, 0, 3, 5}, order);
    }

    @Test
    void selectThroughThePoolMatchesTheNaiveAlgorithmOnPoolIds() {
        int n = 120;
        int d = 5;
        PrecomputedModel model = Fixtures.random(n, 3, d, 21);
        Pool pool = pool(n, 3, 15, 21);
        int[] candidates = pool.candidates();
        int[] labeled = pool.labeled();
        float[] all = QueryOutputs.toFloats(model.predict(pool, range(n)).embeddings());
        float[] x = new float[candidates.length * d];
        float[] y = new float[labeled.length * d];
        for (int i = 0; i < candidates.length; i++) {
            System.arraycopy(all, candidates[i] * d, x, i * d, d);
        }
        for (int i = 0; i < labeled.length; i++) {
            System.arraycopy(all, labeled[i] * d, y, i * d, d);
        }
        int[] rows = naiveGreedy(x, candidates.length, d, y, 12);
        int[] expected = Arrays.stream(rows).map(r -> candidates[r]).toArray();
        assertArrayEquals(expected, Strategies.kCenterGreedy().select(pool, model, 12).ids());
        assertArrayEquals(expected, Strategies.kCenterGreedy().withParallelism(1).select(pool, model, 12).ids());
    }

    @Test
    void handCheckedOneDimensionalExample() {
        // Points on a line: id 0 at 0 (labeled), id 1 at 1, id 2 at 5, id 3 at 10, id 4 at 6.
        // Distances to {0}: 1, 5, 10, 6 -> pick id 3 (radius 10). Then min(d, |x-10|): id1 1, id2 5, id4 4 -> id 2
        // (radius 5). Then id1 min(1, 4) = 1, id4 min(4, 1) = 1: tie -> lower id 1 (radius 1), then id 4 (radius 1).
        double[][] p = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        double[][] z = {{0}, {1}, {5}, {10}, {6}};
        Pool pool = Pool.withoutInputs(5, 2).withLabels(new int[] {0}, new int[] {1});
        Selection s = Strategies.kCenterGreedy().select(pool, Fixtures.model(p, z), 4);
        assertArrayEquals(new int[] {3, 2, 1, 4}, s.ids());
        assertArrayEquals(new double[] {10, 5, 1, 1}, s.scores().orElseThrow(), 0.0);
    }

    @Test
    void withoutLabelsStartsNearestTheMean() {
        // Mean of {0, 1, 5, 10, 6} is 4.4: nearest is id 2 at 5 (radius infinite), then the farthest from 5 is
        // id 3 at 10 (5 away; id 0 is also 5 away but 10 - 5 = 5 = 5 - 0, tie -> lower id 0).
        double[][] p = {{1}, {1}, {1}, {1}, {1}};
        double[][] z = {{0}, {1}, {5}, {10}, {6}};
        Selection s = Strategies.kCenterGreedy().select(Pool.withoutInputs(5, 1), Fixtures.model(p, z), 2);
        assertArrayEquals(new int[] {2, 0}, s.ids());
        assertEquals(Double.POSITIVE_INFINITY, s.scores().orElseThrow()[0]);
    }

    @Test
    void pcaKeepsPicksWhenTheDataLiesInTheSubspace() {
        // Embeddings in a random 3-dimensional subspace of R^10: projecting on 3 principal components is a rotation
        // there, so distances (up to rounding) and thus picks are unchanged.
        int n = 150;
        int d = 10;
        float[] coords = Fixtures.gaussian(n, 3, 5);
        float[] mix = Fixtures.gaussian(3, d, 6);
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int c = 0; c < 3; c++) {
                    z[i][j] += coords[i * 3 + c] * mix[c * d + j];
                }
            }
        }
        double[][] p = new double[n][2];
        for (double[] row : p) {
            Arrays.fill(row, 0.5);
        }
        PrecomputedModel model = Fixtures.model(p, z);
        Pool pool = Pool.withoutInputs(n, 2).withLabels(new int[] {4, 9}, new int[] {0, 1});
        int[] plain = Strategies.kCenterGreedy().select(pool, model, 15).ids();
        assertArrayEquals(plain, Strategies.kCenterGreedy().withPcaDimensions(3).select(pool, model, 15).ids());
        assertArrayEquals(plain, Strategies.kCenterGreedy().withPcaDimensions(10).select(pool, model, 15).ids());
        // Two dimensions lose information, but the picks are still distinct candidates.
        Selection two = Strategies.kCenterGreedy().withPcaDimensions(2).select(pool, model, 15);
        assertEquals(15, two.size());
        assertDistinctCandidates(pool, two);
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.kCenterGreedy()", Strategies.kCenterGreedy().toString());
        assertEquals("Strategies.kCenterGreedy().withPcaDimensions(32).withParallelism(2)",
                Strategies.kCenterGreedy().withPcaDimensions(32).withParallelism(2).toString());
        assertEquals(Strategies.kCenterGreedy().withPcaDimensions(32), Strategies.kCenterGreedy().withPcaDimensions(32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.kCenterGreedy().withPcaDimensions(0));
        assertTrue(e.getMessage().contains("pcaDimensions") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.kCenterGreedy().withParallelism(0));
    }

    @Test
    void aModelWithoutEmbeddingsIsRejectedNamingTheCapability() {
        Pool pool = pool(20, 3, 4, 1);
        PrecomputedModel probsOnly = PrecomputedModel.of(Fixtures.random(20, 3, 2, 1).probabilities(pool, range(20)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.kCenterGreedy().select(pool, probsOnly, 3));
        assertTrue(e.getMessage().contains("EmbeddingModel") && e.getMessage().contains("kCenterGreedy"),
                e.getMessage());
    }

    static int[] range(int n) {
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        return ids;
    }
}
