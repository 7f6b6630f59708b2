package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.internal.Simd;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KMeansSamplingTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.kMeans().withSeed(4);
    }

    /**
     * Textbook weighted Lloyd from the given seeds: the assignment argmin_c ‖x − c‖² computed directly in double
     * (lower centroid on ties), centroids the weighted means in double rounded to float, empty clusters kept; stop
     * when nothing changes or after {@code maxIterations} updates. Then the member nearest each centroid, clusters in
     * order. (The seeds are k-means++'s, whose distribution {@link #seedingFollowsTheTextbookD2Distribution} checks.)
     */
    static int[] naiveKMeans(float[] x, int n, int d, double[] w, int k, int maxIterations, float[] seeds) {
        float[] centroids = seeds.clone();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = w == null ? 1 : w[i];
        }
        int[] assignment = assign(x, n, d, centroids, k);
        for (int it = 0; it < maxIterations; it++) {
            double[] sums = new double[k * d];
            double[] mass = new double[k];
            for (int i = 0; i < n; i++) {
                mass[assignment[i]] += weights[i];
                for (int j = 0; j < d; j++) {
                    sums[assignment[i] * d + j] += weights[i] * x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (mass[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centroids[c * d + j] = (float) (sums[c * d + j] / mass[c]);
                    }
                }
            }
            int[] next = assign(x, n, d, centroids, k);
            boolean same = Arrays.equals(next, assignment);
            assignment = next;
            if (same) {
                break;
            }
        }
        int[] nearest = new int[k];
        Arrays.fill(nearest, -1);
        double[] best = new double[k];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            double s = distance(x, i, d, centroids, c);
            if (nearest[c] < 0 || s < best[c]) {
                nearest[c] = i;
                best[c] = s;
            }
        }
        return Arrays.stream(nearest).filter(i -> i >= 0).toArray();
    }

    static int[] assign(float[] x, int n, int d, float[] centroids, int k) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = distance(x, i, d, centroids, c);
                if (s < best) {
                    best = s;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    private static double distance(float[] x, int i, int d, float[] centroids, int c) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double e = (double) x[i * d + j] - centroids[c * d + j];
            s += e * e;
        }
        return s;
    }

    /** The textbook probability of k-means++ drawing {@code picks} in order: w/Σw, then w·D²/Σ w·D² (float D²). */
    static double textbookSeedProbability(float[] x, int d, double[] w, int[] picks) {
        int n = x.length / d;
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
        }
        return w[picks[0]] / total * D2SamplerTest.textbookProbability(n, w, picks, (i, c) -> {
            float s = 0;
            for (int j = 0; j < d; j++) {
                float e = x[i * d + j] - x[c * d + j];
                s += e * e;
            }
            return s;
        });
    }

    @Test
    void distanceWarmUpRunsThrough() {
        assertTrue(Simd.ENABLED, "surefire runs with --add-modules jdk.incubator.vector");
        FloatDistanceSimd.warmUp(); // a warm-up that throws would leave the SIMD distances off for good
    }

    @Test
    void seedingFollowsTheTextbookD2Distribution() {
        // Seven rows of d = 3, rows 0-2 identical (stale bounds refreshed to 0: rejections), weights 1-3 and one 0
        // weight; every ordered triple of seeds is a cell whose textbook probability is computed exactly. 40 000
        // seeds, chi-square (shared with BADGE's test), with the default full-refresh share and with a full refresh at
        // every rejection.
        int n = 7;
        int d = 3;
        float[] x = Fixtures.gaussian(n, d, 13);
        System.arraycopy(x, 0, x, d, d);
        System.arraycopy(x, 0, x, 2 * d, d);
        double[] w = {1, 2, 3, 1, 0, 2, 1};
        EmbeddingTiles tiles = EmbeddingTiles.ofRows(x, n, d);
        int trials = 40_000;
        for (double share : new double[] {D2Sampler.FULL_REFRESH_SHARE, 0}) {
            int[] observed = new int[n * n * n];
            for (long seed = 0; seed < trials; seed++) {
                float[] c = LloydKMeans.seed(tiles, w, 3, new SplittableRandom(seed), 1, share);
                observed[(rowOf(x, d, c, 0) * n + rowOf(x, d, c, 1)) * n + rowOf(x, d, c, 2)]++;
            }
            // The three copies are one point: count a triple by the lowest copy's index it could be told from.
            double[] probabilities = new double[n * n * n];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < n; c++) {
                        if (a != b && b != c && a != c) {
                            probabilities[(rowOf(x, d, x, a) * n + rowOf(x, d, x, b)) * n + rowOf(x, d, x, c)]
                                    += textbookSeedProbability(x, d, w, new int[] {a, b, c});
                        }
                    }
                }
            }
            D2SamplerTest.assertFitsChiSquare(observed, probabilities, trials, "full refresh share " + share);
        }
    }

    /** The lowest row of {@code x} equal to centre {@code c} (copies of a row cannot be told apart by their seeds). */
    private static int rowOf(float[] x, int d, float[] centres, int c) {
        for (int i = 0; ; i++) {
            if (Arrays.equals(x, i * d, (i + 1) * d, centres, c * d, (c + 1) * d)) {
                return i;
            }
        }
    }

    @Test
    void seedingIsFixedBySeedWhateverTheThreadsAndPicksRows() {
        // {n, d, k, levels}: Gaussian blobs and integer grids (ties, duplicate rows), d of 1, 7, 17, 33 (not multiples
        // of the vector width), n below the thread count, k = n, several tiles.
        int[][] cases = {{3000, 17, 60, 0}, {500, 33, 40, 2}, {300, 7, 300, 3}, {1, 5, 1, 0}, {2, 1, 2, 4},
            {800, 7, 50, 0}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 0 ? blobs(n, d, 12, n + d) : KCenterGreedyTest.grid(n, d, c[3], n * 31L + d);
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 + (i % 3);
            }
            EmbeddingTiles tiles = EmbeddingTiles.ofRows(x, n, d);
            for (double[] weights : new double[][] {null, w}) {
                float[] expected = LloydKMeans.seed(tiles, weights, k, new SplittableRandom(5), 1);
                for (int threads : new int[] {2, 3}) {
                    assertArrayEquals(expected, LloydKMeans.seed(tiles, weights, k, new SplittableRandom(5), threads),
                            "case " + Arrays.toString(c) + " threads " + threads);
                }
                // Every seed is a row, and distinct rows are drawn while some row is not yet a seed's copy.
                int distinctRows = (int) java.util.stream.IntStream.range(0, n)
                        .mapToObj(i -> Arrays.toString(Arrays.copyOfRange(x, i * d, (i + 1) * d))).distinct().count();
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int q = 0; q < k; q++) {
                    seen.add(Arrays.toString(Arrays.copyOfRange(expected, q * d, (q + 1) * d)));
                    rowOf(x, d, expected, q);
                }
                assertEquals(Math.min(k, distinctRows), seen.size(), "case " + Arrays.toString(c));
            }
        }
    }

    /** Gaussian blobs: {@code centres} centres N(0, 4²), unit spread; clustered like embeddings, so seeding skips. */
    static float[] blobs(int n, int d, int centres, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] c = new float[centres * d];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (4 * gaussian(r));
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int b = r.nextInt(centres);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[b * d + j] + (float) gaussian(r);
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void assignmentEqualsTheNaiveNearestCentroid() {
        for (int[] c : new int[][] {{300, 7, 13}, {1500, 20, 9}, {50, 3, 50}}) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = Fixtures.gaussian(n, d, n);
            float[] centroids = Fixtures.gaussian(k, d, k + 1000L);
            int[] actual = new int[n];
            Arrays.fill(actual, -1);
            int changed = LloydKMeans.assign(EmbeddingTiles.ofRows(x, n, d), centroids, k, actual,
                    new LloydKMeans.Bounds(n, LloydKMeans.Groups.of(centroids, k, d)));
            assertEquals(n, changed);
            assertArrayEquals(assign(x, n, d, centroids, k), actual, Arrays.toString(c));
        }
    }

    /**
     * Checks Yinyang's bounds against the textbook distances: upper ≥ own distance, each group's lower bound ≤ the
     * distance to every other centroid of the group.
     */
    private static void assertBoundsHold(float[] x, int n, int d, float[] centroids, int k, int[] assignment,
            LloydKMeans.Bounds bounds, String where) {
        int t = bounds.groups.count();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double dist = Math.sqrt(distance(x, i, d, centroids, c));
                if (c == assignment[i]) {
                    assertTrue(bounds.upper[i] >= dist, where + ": upper bound of row " + i);
                } else {
                    assertTrue(bounds.lower[i * t + bounds.groups.groupOf[c]] <= dist,
                            where + ": lower bound of row " + i + " against centroid " + c);
                }
            }
        }
    }

    /** Centroids that tie: pairs of equal centroids, and pairs one float ulp apart in one coordinate. */
    static float[] nearTies(float[] centroids, int k, int d) {
        float[] c = centroids.clone();
        for (int q = 0; q + 1 < k; q += 4) {
            System.arraycopy(c, q * d, c, (q + 1) * d, d); // an exact duplicate: the lower index must win
            if (q + 3 < k) {
                System.arraycopy(c, (q + 2) * d, c, (q + 3) * d, d);
                c[(q + 3) * d] = Math.nextUp(c[(q + 3) * d]); // one ulp: float32 scores cannot order these
            }
        }
        return c;
    }

    @Test
    void screenedAssignmentEqualsTheDoubleDefinitionOnTiesAndGrids() {
        // {n, d, k, levels}: levels 0 = Gaussian rows, else an integer grid (exact ties and duplicate rows); d of 1,
        // 7, 13 and 33 (not multiples of the vector width); n of 1 and 3 (below the thread count); centroids with
        // exact duplicates and one-ulp neighbours; several tiles; k above the gemm block.
        int[][] cases = {{300, 7, 13, 0}, {2500, 13, 40, 0}, {50, 3, 50, 0}, {1, 5, 4, 0}, {3, 1, 6, 3},
            {800, 33, 17, 2}, {400, 4, 2100, 0}, {1200, 9, 12, 3}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 0 ? Fixtures.gaussian(n, d, n + k) : KCenterGreedyTest.grid(n, d, c[3], n + d);
            float[] centroids = c[3] == 0 ? Fixtures.gaussian(k, d, k + 7L) : KCenterGreedyTest.grid(k, d, c[3], k);
            centroids = nearTies(centroids, k, d);
            if (c[3] == 0) { // rows right on some centroids, and centroids copied from rows
                System.arraycopy(centroids, 0, x, 0, Math.min(n, k) / 2 * d);
                System.arraycopy(x, (n - 1) * d, centroids, (k - 1) * d, d);
            }
            int[] actual = new int[n];
            Arrays.fill(actual, -1);
            LloydKMeans.Bounds bounds = new LloydKMeans.Bounds(n, LloydKMeans.Groups.of(centroids, k, d));
            int changed = LloydKMeans.assign(EmbeddingTiles.ofRows(x, n, d), centroids, k, actual, bounds);
            String where = Arrays.toString(c);
            assertEquals(n, changed, where);
            assertArrayEquals(assign(x, n, d, centroids, k), actual, where);
            assertBoundsHold(x, n, d, centroids, k, actual, bounds, where);
        }
    }

    /** A gate always open (the SIMD distances, the module being present in the tests) and one never open (scalar). */
    static final Simd.Gate SIMD = new Simd.Gate(0);
    static final Simd.Gate SCALAR = new Simd.Gate(Long.MAX_VALUE);

    @Test
    void simdFloatDistanceIsWithinTheRoundingBound() {
        // FloatDistanceSimd and the scalar twin against the sum in double (each difference and square exact in
        // double, the sum within d·2⁻⁵³, far inside the float bound) for d = 1..70 (multiples of the vector width and
        // not), uniform values, large and tiny magnitudes (float squares that underflow), small integers (every float
        // partial sum exact), a duplicate of the row (exactly 0) and a centroid one ulp away in every coordinate.
        assertTrue(Simd.ENABLED, "surefire runs with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(11);
        for (int d = 1; d <= 70; d++) {
            double eps = PivotGroups.roundingBound(d);
            double abs = PivotGroups.underflowSlack(d);
            for (int kind = 0; kind < 6; kind++) {
                float[] row = new float[d];
                float[] centroids = new float[3 * d];
                double scale = new double[] {1, 1e15, 1e-20, 1, 1, 1}[kind];
                for (int j = 0; j < d; j++) {
                    row[j] = kind == 3 ? r.nextInt(5) : (float) (scale * (r.nextDouble() - 0.5));
                    for (int c = 0; c < 3; c++) {
                        centroids[c * d + j] = kind == 3 ? r.nextInt(5) : (float) (scale * (r.nextDouble() - 0.5));
                    }
                }
                if (kind == 4) { // a duplicate of the row
                    System.arraycopy(row, 0, centroids, d, d);
                }
                if (kind == 5) { // one ulp away in every coordinate
                    for (int j = 0; j < d; j++) {
                        centroids[d + j] = Math.nextUp(row[j]);
                    }
                }
                for (int c = 0; c < 3; c++) {
                    double exact = 0;
                    for (int j = 0; j < d; j++) {
                        double e = (double) row[j] - centroids[c * d + j];
                        exact += e * e;
                    }
                    float simd = FloatDistanceSimd.squaredDistance(row, centroids, c * d, d,
                            new float[FloatDistanceSimd.MAX_LANES]);
                    float scalar = LloydKMeans.floatSquaredDistance(row, centroids, c * d, d);
                    String where = "d " + d + " kind " + kind + " centroid " + c + ": exact " + exact;
                    for (float v : new float[] {simd, scalar}) {
                        assertTrue(PivotGroups.lower(v, eps, abs) <= exact * (1 + 1e-12), where + ", float " + v);
                        assertTrue(PivotGroups.upper(v, eps, abs) >= exact * (1 - 1e-12), where + ", float " + v);
                    }
                    if (kind == 4 && c == 1) {
                        assertEquals(0f, simd, where);
                    }
                    if (kind == 3) { // small integers: every partial sum is exact
                        assertEquals(exact, simd, 0.0, where);
                    }
                }
            }
        }
    }

    @Test
    void updateEqualsTheTextbookMeans() {
        // The weighted means in double, rows ascending, rounded to float (the naive loop of naiveKMeans), against
        // update on 1, 2 and 3 threads: several tiles, d of 5 (one range), 33 and 40 (not multiples of 16),
        // weights with zeros, an empty cluster (keeps its centroid), duplicate rows, integer grids.
        for (int[] c : new int[][] {{2500, 33, 17, 0}, {700, 5, 9, 3}, {3000, 40, 30, 2}, {2, 33, 3, 0}}) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 0 ? Fixtures.gaussian(n, d, 7L * n) : KCenterGreedyTest.grid(n, d, c[3], n);
            SplittableRandom r = new SplittableRandom(n + d);
            double[] w = new double[n];
            Arrays.setAll(w, i -> i % 7 == 0 ? 0 : r.nextDouble());
            int[] assignment = new int[n];
            Arrays.setAll(assignment, i -> r.nextInt(k - 1)); // cluster k − 1 stays empty
            float[] start = Fixtures.gaussian(k, d, k);
            for (double[] weights : new double[][] {null, w}) {
                float[] expected = start.clone();
                double[] sums = new double[k * d];
                double[] mass = new double[k];
                for (int i = 0; i < n; i++) {
                    double wi = weights == null ? 1 : weights[i];
                    mass[assignment[i]] += wi;
                    for (int j = 0; j < d; j++) {
                        sums[assignment[i] * d + j] += wi * x[i * d + j];
                    }
                }
                for (int q = 0; q < k; q++) {
                    for (int j = 0; mass[q] > 0 && j < d; j++) {
                        expected[q * d + j] = (float) (sums[q * d + j] / mass[q]);
                    }
                }
                for (int threads = 1; threads <= 3; threads++) {
                    float[] actual = start.clone();
                    LloydKMeans.update(EmbeddingTiles.ofRows(x, n, d), weights, k, assignment, actual,
                            new double[k * d], new double[k], threads);
                    assertArrayEquals(expected, actual, 0f,
                            Arrays.toString(c) + " weighted " + (weights != null) + " threads " + threads);
                }
            }
        }
    }

    @Test
    void boundsStoredAsFloatsStayBounds() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double v = i % 10 == 0 ? -r.nextDouble() : i % 10 == 1 ? r.nextDouble() * 1e-40 : r.nextDouble() * 1e3;
            if (i == 2) {
                v = Double.POSITIVE_INFINITY;
            }
            if (i == 3) {
                v = 1e300; // beyond Float.MAX_VALUE
            }
            float low = LloydKMeans.floorNonNegative(v);
            assertTrue(low <= Math.max(v, 0) && low >= 0, "floor of " + v + ": " + low);
            assertTrue(Math.nextUp(low) > Math.max(v, 0) || low == Float.POSITIVE_INFINITY, "largest, " + v);
            if (v >= 0) {
                float up = LloydKMeans.ceilNonNegative(v);
                assertTrue(up >= v, "ceil of " + v + ": " + up);
                assertTrue(up == 0 || Math.nextDown(up) < v, "smallest, " + v);
            }
        }
    }

    @Test
    void firstAssignmentThroughGroupsEqualsTheNaiveNearestCentroid() {
        // {n, d, k, kind}: kind 5 = Gaussian blobs with k-means++ seeds (the bounds skip: checked), 0 = Gaussian rows
        // and centroids with duplicates and one-ulp neighbours (the gemm fallback), 2/3 = integer grids (exact ties,
        // duplicate rows). d of 3, 7, 13, 33 (not multiples of the vector width), n = 1 and 3 (below the thread
        // count), k = 1, several tiles; rows copied onto centroids.
        int[][] cases = {{3000, 33, 240, 5}, {2500, 13, 200, 5}, {300, 7, 13, 0}, {1200, 9, 120, 3}, {1, 5, 1, 5},
            {3, 3, 1, 0}, {800, 7, 60, 2}, {2100, 6, 700, 5}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 5 ? blobs(n, d, 12, n + k) : c[3] == 0 ? Fixtures.gaussian(n, d, n + k)
                    : KCenterGreedyTest.grid(n, d, c[3], n + d);
            float[] centroids = c[3] == 5 ? LloydKMeans.seed(EmbeddingTiles.ofRows(x, n, d), null, k,
                    new SplittableRandom(3), 1)
                    : c[3] == 0 ? nearTies(Fixtures.gaussian(k, d, k + 7L), k, d) : KCenterGreedyTest.grid(k, d, c[3], k);
            if (c[3] == 0 && n > 1) {
                System.arraycopy(x, (n - 1) * d, centroids, (k - 1) * d, d);
            }
            for (int threads : new int[] {1, 3, -1, -3}) { // negative: the same count, the scalar distances
                int[] actual = new int[n];
                Arrays.fill(actual, -1);
                LloydKMeans.Bounds bounds = new LloydKMeans.Bounds(n, LloydKMeans.Groups.of(centroids, k, d));
                long computed = LloydKMeans.assignThroughGroups(EmbeddingTiles.ofRows(x, n, d), centroids, k, actual,
                        bounds, Math.abs(threads), threads > 0 ? SIMD : SCALAR);
                String where = Arrays.toString(c) + " threads " + threads;
                assertArrayEquals(assign(x, n, d, centroids, k), actual, where);
                assertBoundsHold(x, n, d, centroids, k, actual, bounds, where);
                if (c[3] == 5 && n > 1000) {
                    assertTrue(computed < (long) n * k / 2, where + ": " + computed + " distances");
                }
            }
        }
    }

    @Test
    void yinyangReassignmentEqualsTheNaiveLloydStep() {
        // Centroids moved by steps of five sizes, ten moves in a chain, so that every path of reassign runs: rows kept
        // by the global filter, rows whose own distance settles them, rows searching a few groups or all of them, and
        // near-ties decided in double (duplicate centroids, one-ulp neighbours, integer grids with exact ties). After
        // each move the assignment equals the textbook argmin in double, the count of changes is right, the bounds
        // hold, and 1 and 3 threads agree bit for bit. Cases: Gaussian blobs (groups that skip), Gaussian rows, grids;
        // d of 3, 6, 11 and 33 (not multiples of the vector width), n = 2 (below the thread count), one centroid, k
        // above 640 (the 64-group cap), several tiles.
        int[][] cases = {{1500, 11, 30, 0}, {600, 6, 9, 3}, {2, 3, 5, 0}, {3000, 33, 80, 5}, {50, 4, 1, 0},
            {2100, 6, 700, 5}, {400, 3, 40, 2}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 0 ? Fixtures.gaussian(n, d, 5L * n)
                    : c[3] == 5 ? blobs(n, d, 12, n) : KCenterGreedyTest.grid(n, d, c[3], n);
            float[] centroids = c[3] == 5 ? LloydKMeans.seed(EmbeddingTiles.ofRows(x, n, d), null, k,
                    new SplittableRandom(k), 1)
                    : c[3] == 0 ? nearTies(Fixtures.gaussian(k, d, 9L * k), k, d) : KCenterGreedyTest.grid(k, d, c[3], 2L * k);
            EmbeddingTiles tiles = EmbeddingTiles.ofRows(x, n, d);
            int[] assignment = new int[n];
            Arrays.fill(assignment, -1);
            LloydKMeans.Groups groups = LloydKMeans.Groups.of(centroids, k, d);
            LloydKMeans.Bounds bounds = new LloydKMeans.Bounds(n, groups);
            LloydKMeans.assign(tiles, centroids, k, assignment, bounds);
            SplittableRandom r = new SplittableRandom(n + k);
            LloydKMeans.Bounds scalarBounds = copy(bounds, n);
            int[] scalarAssignment = assignment.clone();
            for (int step = 0; step < 10; step++) {
                double size = new double[] {0.01, 0.5, 0.1, 0.2, 0}[step % 5];
                float[] moved = centroids.clone();
                for (int j = 0; j < moved.length; j++) {
                    moved[j] += c[3] == 0 || c[3] == 5 ? (float) (size * (r.nextDouble() - 0.5))
                            : (r.nextInt(4 << step % 4) == 0 && size > 0 ? 1 : 0);
                }
                if (c[3] == 0) {
                    moved = nearTies(moved, k, d);
                }
                int[] before = assignment.clone();
                LloydKMeans.Bounds other = copy(bounds, n);
                int[] otherAssignment = assignment.clone();
                int changed = LloydKMeans.reassign(tiles, centroids, moved, k, assignment, bounds, 1, SIMD);
                int changedOther = LloydKMeans.reassign(tiles, centroids, moved, k, otherAssignment, other, 3, SIMD);
                int changedScalar = LloydKMeans.reassign(tiles, centroids, moved, k, scalarAssignment, scalarBounds, 2,
                        SCALAR);
                centroids = moved;
                String where = Arrays.toString(c) + " step " + step;
                int[] expected = assign(x, n, d, centroids, k);
                assertArrayEquals(expected, assignment, where);
                assertArrayEquals(assignment, otherAssignment, where + ": 3 threads");
                assertArrayEquals(bounds.upper, other.upper, 0f, where + ": 3 threads");
                assertArrayEquals(bounds.lower, other.lower, 0f, where + ": 3 threads");
                int differing = 0;
                for (int i = 0; i < n; i++) {
                    differing += before[i] != expected[i] ? 1 : 0;
                }
                assertEquals(differing, changed, where);
                assertEquals(changed, changedOther, where);
                assertArrayEquals(expected, scalarAssignment, where + ": scalar distances");
                assertEquals(changed, changedScalar, where + ": scalar distances");
                assertBoundsHold(x, n, d, centroids, k, assignment, bounds, where);
                assertBoundsHold(x, n, d, centroids, k, scalarAssignment, scalarBounds, where + ": scalar distances");
            }
            if (c[3] == 5) { // clustered rows, small moves: the filters skip most distances
                assertTrue(bounds.distances.get() < 10L * n * k / 4, Arrays.toString(c) + ": " + bounds.distances);
            }
        }
    }

    private static LloydKMeans.Bounds copy(LloydKMeans.Bounds b, int n) {
        LloydKMeans.Bounds out = new LloydKMeans.Bounds(n, b.groups);
        System.arraycopy(b.upper, 0, out.upper, 0, n);
        System.arraycopy(b.lower, 0, out.lower, 0, b.lower.length);
        return out;
    }

    @Test
    void clusteringEqualsTheNaiveAlgorithm() {
        // {n, d, k, levels}: Gaussian rows, and integer grids (ties, duplicate rows) with d not a multiple of 8.
        for (int[] c : new int[][] {{200, 5, 12, 0}, {1300, 8, 40, 0}, {500, 3, 20, 3}, {2, 7, 2, 0}}) {
            int n = c[0];
            int d = c[1];
            int k = c[2];
            float[] x = c[3] == 0 ? Fixtures.gaussian(n, d, 3L * n) : KCenterGreedyTest.grid(n, d, c[3], n);
            double[] w = new double[n];
            SplittableRandom r = new SplittableRandom(n);
            Arrays.setAll(w, i -> r.nextDouble());
            for (double[] weights : new double[][] {null, w}) {
                for (int iterations : new int[] {0, 3, 10}) {
                    float[] seeds = LloydKMeans.seed(EmbeddingTiles.ofRows(x, n, d), weights, k,
                            new SplittableRandom(17), 1);
                    int[] expected = naiveKMeans(x, n, d, weights, k, iterations, seeds);
                    LloydKMeans.Clustering clustering = LloydKMeans.run(EmbeddingTiles.ofRows(x, n, d), weights, k,
                            iterations, new SplittableRandom(17), 2);
                    assertArrayEquals(expected, LloydKMeans.representatives(clustering, k),
                            Arrays.toString(c) + " weighted " + (weights != null) + " iterations " + iterations);
                }
            }
        }
    }

    @Test
    void handCheckedTwoBlobs() {
        // 1-D blobs {0, 1, 2} (ids 0-2, mean 1) and {100, 101, 103} (ids 3-5, mean 101.33): whichever seeds k-means++
        // draws, Lloyd converges to the blob means, and the nearest members are id 1 (at 1) and id 4 (at 101).
        double[][] p = new double[6][2];
        for (double[] row : p) {
            Arrays.fill(row, 0.5);
        }
        double[][] z = {{0}, {1}, {2}, {100}, {101}, {103}};
        PrecomputedModel model = Fixtures.model(p, z);
        for (long seed = 0; seed < 5; seed++) {
            int[] ids = Strategies.kMeans().withSeed(seed).select(Pool.withoutInputs(6, 2), model, 2).ids();
            Arrays.sort(ids);
            assertArrayEquals(new int[] {1, 4}, ids, "seed " + seed);
        }
    }

    @Test
    void duplicatesLeaveEmptyClustersThatAreFilledFarthestFirst() {
        // Four copies of 0 and one point at 10, b = 3. k-means++ draws the two distinct points, then every D² is 0
        // and the lowest unpicked row is the third seed: a copy of 0. Ties in assignment go to the lower centroid, so
        // one of the two 0-centroids stays empty; its slot goes to the remaining row farthest from its centroid
        // (all 0 away: lowest id). Three distinct ids in any case.
        double[][] p = new double[5][1];
        for (double[] row : p) {
            row[0] = 1;
        }
        double[][] z = {{0}, {0}, {10}, {0}, {0}};
        int[] ids = Strategies.kMeans().select(Pool.withoutInputs(5, 1), Fixtures.model(p, z), 3).ids();
        assertEquals(3, Arrays.stream(ids).distinct().count());
        assertEquals(1, Arrays.stream(ids).filter(i -> i == 2).count());
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.kMeans().withSeed(0)", Strategies.kMeans().toString());
        assertEquals("Strategies.kMeans().withSeed(2).withMaxIterations(3).withParallelism(1)",
                Strategies.kMeans().withSeed(2).withMaxIterations(3).withParallelism(1).toString());
        assertEquals(Strategies.kMeans().withSeed(2), Strategies.kMeans().withSeed(2));
        assertThrows(IllegalArgumentException.class, () -> Strategies.kMeans().withMaxIterations(-1));
    }
}
