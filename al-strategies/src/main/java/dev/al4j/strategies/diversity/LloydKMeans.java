package dev.al4j.strategies.diversity;

import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Weighted k-means on {@link EmbeddingTiles}: k-means++ seeding (Arthur &amp; Vassilvitskii 2007; a row is drawn
 * with probability proportional to {@code w_i · D²(i)}, the first with probability proportional to {@code w_i}), then
 * Lloyd iterations until no assignment changes or {@code maxIterations} centroid updates were made. A centroid whose
 * cluster has zero total weight keeps its position. A row's cluster is the centroid nearest by the squared distance
 * summed in double ({@link #squaredDistance}), ties to the lower centroid index: near-ties are ordered as float64
 * orders them (before 2026-12-07 they followed the float32 scores of an ND4J gemm, which could differ in the last
 * bits).
 *
 * <p>Cost: the seeding computes O(R·d + k²·d) for the R ≤ k·n row-centre distances the triangle-inequality test
 * cannot skip (see {@link #seed}; the first centres, and the worst case, are vectorised Java passes over
 * {@code threads} threads); the first assignment is one screened gemm pass, O(k·n·d) (ND4J's BLAS threads); each
 * Lloyd iteration then costs O(k·d + n) plus O(d) for each row whose Hamerly bounds fail and O(k·d) for each row
 * whose own distance does not settle it ({@link #reassign}; at worst, or when many rows move, a screened gemm pass
 * over those rows). Memory O((n + k)·d). The result does not depend on the thread counts.
 */
final class LloydKMeans {

    private LloydKMeans() {}

    /** The final centroids (row-major {@code [k, d]}), each row's cluster and its squared distance to it. */
    record Clustering(float[] centroids, int[] assignment, double[] squaredDistances, int iterations) {}

    /**
     * Clusters the rows of {@code x}.
     *
     * @param weights one non-negative weight per row, or {@code null} for all 1
     */
    static Clustering run(EmbeddingTiles x, double[] weights, int k, int maxIterations, SplittableRandom random,
            int threads) {
        int n = x.size();
        int d = x.dimension();
        float[] centroids = seed(x, weights, k, random, threads);
        Groups groups = Groups.of(centroids, k, d);
        Bounds bounds = new Bounds(n, groups);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        assign(x, centroids, k, assignment, bounds);
        int iterations = 0;
        float[] previous = new float[centroids.length];
        while (iterations < maxIterations) {
            System.arraycopy(centroids, 0, previous, 0, centroids.length);
            update(x, weights, k, assignment, centroids);
            iterations++;
            if (reassign(x, previous, centroids, k, assignment, bounds, threads) == 0) {
                break;
            }
        }
        double[] distances = new double[n];
        x.forEachTile(threads, (t, scratch) -> {
            float[][] columns = x.tileColumns(t);
            int base = EmbeddingTiles.tileStart(t);
            for (int r = 0; r < x.rowsIn(t); r++) {
                distances[base + r] = squaredDistance(columns, r, centroids, assignment[base + r] * d, d);
            }
        });
        return new Clustering(centroids, assignment, distances, iterations);
    }

    /**
     * The definition of the assignment's distance: {@code Σ_j ((double) x_j − c_j)²}, summed in double over {@code j}
     * ascending. Every assignment is the argmin of exactly these values (ties to the lower centroid); the fast paths
     * below only decide which of them need computing.
     */
    static double squaredDistance(float[] row, float[] centroids, int offset, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double e = (double) row[j] - centroids[offset + j];
            s += e * e;
        }
        return s;
    }

    /**
     * Weighted k-means++ seeding; returns row-major {@code [k, d]} centroids (copies of picked rows). The first row is
     * drawn with probability proportional to {@code w_i} ({@link D2Sampler#sample}), the others by
     * {@link D2Sampler}'s D² draws: proposals from stale upper bounds of {@code D²}, refreshed for the proposed row
     * only and accepted with probability {@code D²/bound}, so each centre follows the textbook distribution
     * {@code w_i·D²(i)/Σ w·D²} exactly, with one full pass instead of one per centre. {@code D²} is the float sum
     * {@code Σ_j (x_j − c_j)²} over {@code j} ascending, the same bits in the single-row refreshes and the full passes.
     * The random stream is used differently from the textbook's draw (since 2026-12-07), so a seed fixes the
     * centres, whatever the thread count, but they are not the textbook's centres for that seed
     * ({@code KMeansSamplingTest.seedingFollowsTheTextbookD2Distribution} checks the distribution).
     */
    static float[] seed(EmbeddingTiles x, double[] weights, int k, SplittableRandom random, int threads) {
        return seed(x, weights, k, random, threads, D2Sampler.FULL_REFRESH_SHARE);
    }

    /** The same, with {@link D2Sampler}'s full-refresh share given (0: a full refresh at every rejection; tests). */
    static float[] seed(EmbeddingTiles x, double[] weights, int k, SplittableRandom random, int threads,
            double fullRefreshShare) {
        int n = x.size();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weights == null ? 1.0 : weights[i];
        }
        int first = D2Sampler.sample(w, new boolean[n], random);
        EuclideanDistances metric = new EuclideanDistances(x, k, threads);
        D2Sampler.draw(n, weights, first, k, metric, random, fullRefreshShare);
        return metric.centroids;
    }

    /** Float squared Euclidean distances to the centres picked so far, for {@link D2Sampler}. */
    private static final class EuclideanDistances implements D2Sampler.Metric {
        private final EmbeddingTiles x;
        private final int threads;
        private final float[] centroids; // row-major [k, d]
        private final float[][] centreColumns; // coordinate j of centre c at [j][c]: refreshes vectorise over c
        private final float[] row;
        private final float[] acc;

        EuclideanDistances(EmbeddingTiles x, int k, int threads) {
            this.x = x;
            this.threads = threads;
            this.centroids = new float[k * x.dimension()];
            this.centreColumns = new float[x.dimension()][k];
            this.row = new float[x.dimension()];
            this.acc = new float[k];
        }

        @Override
        public void addCentre(int c, int i) {
            int d = x.dimension();
            x.copyRow(i, centroids, c * d);
            for (int j = 0; j < d; j++) {
                centreColumns[j][c] = centroids[c * d + j];
            }
        }

        @Override
        public double nearest(int i, int from, int to) {
            return x.minSquaredDistance(i, centreColumns, from, to, row, acc);
        }

        @Override
        public void lowerAll(int from, int to, double[] bound, int[] stamp, boolean[] picked) {
            int d = x.dimension();
            for (int c = from; c < to; c++) {
                float[] centre = Arrays.copyOfRange(centroids, c * d, (c + 1) * d);
                int centreIndex = c;
                x.forEachTile(threads, (t, scratch) -> {
                    x.squaredDistances(t, centre, scratch);
                    int base = EmbeddingTiles.tileStart(t);
                    int count = x.rowsIn(t);
                    for (int r = 0; r < count; r++) {
                        int i = base + r;
                        if (!picked[i] && stamp[i] <= centreIndex && scratch[r] < bound[i]) {
                            bound[i] = scratch[r];
                        }
                    }
                });
            }
        }
    }

    /** {@link #squaredDistance} of row {@code r} of a tile, read from its columns (the same sum, the same order). */
    static double squaredDistance(float[][] columns, int r, float[] centroids, int offset, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double e = (double) columns[j][r] - centroids[offset + j];
            s += e * e;
        }
        return s;
    }

    /** Relative slack on the bounds, far above double rounding ({@code d·2⁻⁵³}) and far below any real gap. */
    private static final double SLACK = 1e-9;

    /** At most this many centroid groups (Yinyang's {@code t = k/10}, capped so that the bounds take N·64 floats). */
    static final int MAX_GROUPS = 64;

    /**
     * The centroids grouped once, after the seeding, for Yinyang's group bounds (Ding, Zhao, Shen, Musuvathi &amp;
     * Mytkowicz, "Yinyang K-Means: A Drop-In Replacement of the Classic K-Means with Consistent Speedup", ICML 2015,
     * §3.1): {@code t = min(⌈k/10⌉, 64)} groups from five Lloyd iterations on the seeds themselves (float distances,
     * group {@code g} starting at seed {@code ⌊g·k/t⌋}), empty groups dropped. The grouping only decides which
     * distances are skipped, never an assignment.
     */
    static final class Groups {
        final int[] groupOf;
        final int[][] members; // ascending centroid indices

        private Groups(int[] groupOf, int[][] members) {
            this.groupOf = groupOf;
            this.members = members;
        }

        int count() {
            return members.length;
        }

        static Groups of(float[] centroids, int k, int d) {
            int t = Math.max(1, Math.min(MAX_GROUPS, (k + 9) / 10));
            int[] groupOf = new int[k];
            if (t > 1) {
                EmbeddingTiles seeds = EmbeddingTiles.ofRows(centroids, k, d);
                float[][] centres = new float[t][];
                for (int g = 0; g < t; g++) {
                    int c = (int) ((long) g * k / t);
                    centres[g] = Arrays.copyOfRange(centroids, c * d, (c + 1) * d);
                }
                float[] best = new float[k];
                float[] scratch = new float[EmbeddingTiles.TILE];
                for (int iteration = 0; iteration < 5; iteration++) {
                    Arrays.fill(best, Float.POSITIVE_INFINITY);
                    for (int g = 0; g < t; g++) {
                        for (int tile = 0; tile < seeds.tileCount(); tile++) {
                            seeds.squaredDistances(tile, centres[g], scratch);
                            int base = EmbeddingTiles.tileStart(tile);
                            for (int r = 0; r < seeds.rowsIn(tile); r++) {
                                if (scratch[r] < best[base + r]) {
                                    best[base + r] = scratch[r];
                                    groupOf[base + r] = g;
                                }
                            }
                        }
                    }
                    double[] sums = new double[t * d];
                    int[] sizes = new int[t];
                    for (int c = 0; c < k; c++) {
                        int g = groupOf[c];
                        sizes[g]++;
                        for (int j = 0; j < d; j++) {
                            sums[g * d + j] += centroids[c * d + j];
                        }
                    }
                    for (int g = 0; g < t; g++) {
                        if (sizes[g] > 0) {
                            for (int j = 0; j < d; j++) {
                                centres[g][j] = (float) (sums[g * d + j] / sizes[g]);
                            }
                        }
                    }
                }
            }
            int[] size = new int[t];
            for (int c = 0; c < k; c++) {
                size[groupOf[c]]++;
            }
            int[] renumber = new int[t];
            int used = 0;
            for (int g = 0; g < t; g++) {
                renumber[g] = size[g] > 0 ? used++ : -1;
            }
            int[][] members = new int[used][];
            for (int g = 0; g < t; g++) {
                if (size[g] > 0) {
                    members[renumber[g]] = new int[size[g]];
                }
            }
            int[] fill = new int[used];
            for (int c = 0; c < k; c++) {
                int g = renumber[groupOf[c]];
                groupOf[c] = g;
                members[g][fill[g]++] = c;
            }
            return new Groups(groupOf, members);
        }
    }

    /**
     * Yinyang's bounds of each row: {@code upper[i] ≥ ‖x_i − c_{a_i}‖} and, for each group {@code g},
     * {@code lower[i·t + g] ≤ ‖x_i − c‖} for every centroid {@code c ≠ a_i} of the group (Euclidean, not squared;
     * floats rounded down). {@code distances} counts the row-centroid distances the reassignments computed.
     */
    static final class Bounds {
        final Groups groups;
        final double[] upper;
        final float[] lower;
        final java.util.concurrent.atomic.AtomicLong distances = new java.util.concurrent.atomic.AtomicLong();

        Bounds(int n, Groups groups) {
            this.groups = groups;
            this.upper = new double[n];
            this.lower = new float[Math.multiplyExact(n, groups.count())];
        }
    }

    /** The largest float not above {@code v} (a lower bound stored as float stays a lower bound). */
    private static float floorFloat(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    /**
     * Assigns every row of {@code x} to its nearest centroid by {@link #squaredDistance} (lower centroid on ties) and
     * returns how many assignments changed; also sets the rows' {@link Bounds}.
     *
     * <p>Screened, then exact. The screen is one ND4J gemm per tile and block of centroids,
     * {@code D̃² = ‖x‖² + (‖c‖² − 2 x·c)} in float, whose error is at most {@code (d + 2)·2⁻²⁴·(‖x‖ + ‖c‖)²} (a float
     * dot product of length {@code d}, two roundings); with {@code E} four times that for the largest {@code ‖c‖}, a
     * centroid with {@code D̃² − E} above the smallest {@code D̃² + E} cannot be the nearest or tie with it, and only the
     * others get the exact distance (usually one or two). {@code KMeansSamplingTest.assignmentEqualsTheNaiveNearestCentroid}
     * checks it against the textbook argmin in double, near-ties included.
     */
    static int assign(EmbeddingTiles x, float[] centroids, int k, int[] assignment, Bounds bounds) {
        int d = x.dimension();
        Groups groups = bounds.groups;
        int t = groups.count();
        float[] norms = new float[k];
        double maxNorm = 0;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = centroids[c * d + j];
                s += v * v;
            }
            norms[c] = (float) s;
            maxNorm = Math.max(maxNorm, Math.sqrt(s));
        }
        double[] xNorms = x.squaredNorms();
        double gamma = 4.0 * (d + 2) * 0x1p-24;
        INDArray all = Nd4j.create(centroids, new long[] {k, d}, 'c');
        float[] scores = new float[k * EmbeddingTiles.TILE]; // row-major [k, width]: ‖c‖² − 2 x·c
        double[] margin = new double[EmbeddingTiles.TILE];
        double[] smallest = new double[EmbeddingTiles.TILE];
        int[] best = new int[EmbeddingTiles.TILE];
        double[] bestValue = new double[EmbeddingTiles.TILE];
        float[] groupLow = new float[t * EmbeddingTiles.TILE]; // row-major [t, width]: squared lower bounds
        int changed = 0;
        for (int tile = 0; tile < x.tileCount(); tile++) {
            int width = x.rowsIn(tile);
            int base = EmbeddingTiles.tileStart(tile);
            INDArray matrix = x.tileMatrix(tile);
            for (int from = 0; from < k; from += EmbeddingTiles.GEMM_BLOCK) {
                int to = Math.min(k, from + EmbeddingTiles.GEMM_BLOCK);
                INDArray block = k <= EmbeddingTiles.GEMM_BLOCK ? all
                        : all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                float[] dots = QueryOutputs.toFloats(block.mmul(matrix)); // row-major [to - from, width]
                for (int c = from, at = 0; c < to; c++) {
                    float norm = norms[c];
                    int offset = c * width;
                    for (int r = 0; r < width; r++, at++) {
                        scores[offset + r] = norm - 2f * dots[at];
                    }
                }
            }
            // Centroid-major passes over the scores (sequential reads, vectorised): the smallest screened value and
            // the cut of each row, then the exact distances of the centroids under the cut, in ascending centroid
            // order so that a strict comparison keeps the lower centroid on ties. Each score is then replaced by a
            // lower bound of its squared distance (the exact value, or the screened one less the margin).
            for (int r = 0; r < width; r++) {
                double root = Math.sqrt(xNorms[base + r]) + maxNorm;
                margin[r] = gamma * root * root;
                smallest[r] = Double.POSITIVE_INFINITY;
                best[r] = -1;
                bestValue[r] = Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < k; c++) {
                int offset = c * width;
                for (int r = 0; r < width; r++) {
                    smallest[r] = Math.min(smallest[r], xNorms[base + r] + scores[offset + r]);
                }
            }
            float[][] columns = x.tileColumns(tile);
            for (int c = 0; c < k; c++) {
                int offset = c * width;
                for (int r = 0; r < width; r++) {
                    double screened = xNorms[base + r] + scores[offset + r];
                    if (screened <= smallest[r] + 2 * margin[r]) {
                        double value = squaredDistance(columns, r, centroids, c * d, d);
                        if (value < bestValue[r]) { // strict: ties keep the lower centroid
                            best[r] = c;
                            bestValue[r] = value;
                        }
                        scores[offset + r] = floorFloat(value * (1 - SLACK));
                    } else {
                        scores[offset + r] = floorFloat(Math.max(0.0, screened - margin[r]));
                    }
                }
            }
            Arrays.fill(groupLow, 0, t * width, Float.POSITIVE_INFINITY);
            for (int c = 0; c < k; c++) {
                int offset = c * width;
                int g = groups.groupOf[c] * width;
                for (int r = 0; r < width; r++) {
                    if (c != best[r]) {
                        groupLow[g + r] = Math.min(groupLow[g + r], scores[offset + r]);
                    }
                }
            }
            for (int r = 0; r < width; r++) {
                int i = base + r;
                if (assignment[i] != best[r]) {
                    assignment[i] = best[r];
                    changed++;
                }
                bounds.upper[i] = Math.sqrt(bestValue[r]) * (1 + SLACK);
                for (int g = 0; g < t; g++) {
                    bounds.lower[i * t + g] = floorFloat(Math.sqrt(groupLow[g * width + r]) * (1 - SLACK));
                }
            }
        }
        return changed;
    }

    /**
     * One Lloyd reassignment after the centroids moved from {@code previous} to {@code centroids}, with Yinyang's
     * group bounds (Ding et al. 2015, §3.1–3.2; see {@link Groups}): a row's distance to its own centroid grows by at
     * most that centroid's move, its distance to any centroid of group {@code g} falls by at most the group's largest
     * move, so a row whose upper bound is below every group's lower bound keeps its centroid without a single
     * distance (the global filter); otherwise its own distance is recomputed and, if the test still fails, only the
     * groups whose lower bound does not exceed it are searched (the group filter), and only their bounds are renewed.
     * Returns how many assignments changed.
     *
     * <p>Exact: the searched distances are float sums ({@link #floatSquaredDistance}) with the rounding bound of
     * {@link PivotGroups#roundingBound}; a centroid whose lower bound exceeds the smallest upper bound cannot be the
     * nearest or tie with it, and when more than one centroid survives that screen (near-ties) their
     * {@link #squaredDistance} values decide, ties to the lower centroid. So every assignment is the argmin of the
     * {@link #squaredDistance} values, as the textbook Lloyd step in double
     * ({@code KMeansSamplingTest.yinyangReassignmentEqualsTheNaiveLloydStep}). Rows are split over {@code threads}
     * threads by tiles; each row's result depends on that row only, so not on the thread count.
     */
    static int reassign(EmbeddingTiles x, float[] previous, float[] centroids, int k, int[] assignment, Bounds bounds,
            int threads) {
        int d = x.dimension();
        Groups groups = bounds.groups;
        int t = groups.count();
        double[] moved = new double[k];
        double[] groupMove = new double[t];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = (double) centroids[c * d + j] - previous[c * d + j];
                s += v * v;
            }
            moved[c] = Math.sqrt(s) * (1 + SLACK);
            int g = groups.groupOf[c];
            groupMove[g] = Math.max(groupMove[g], moved[c]);
        }
        double eps = PivotGroups.roundingBound(d);
        double abs = PivotGroups.underflowSlack(d);
        java.util.concurrent.atomic.AtomicInteger changed = new java.util.concurrent.atomic.AtomicInteger();
        int tiles = x.tileCount();
        EmbeddingTiles.inRanges(tiles, Math.max(1, Math.min(threads, tiles)), (fromTile, toTile) -> {
            float[] row = new float[d];
            float[] f = new float[k];
            int[] computed = new int[k];
            double[] low = new double[t];
            boolean[] searched = new boolean[t];
            int changes = 0;
            long distances = 0;
            for (int tile = fromTile; tile < toTile; tile++) {
                int base = EmbeddingTiles.tileStart(tile);
                for (int i = base; i < base + x.rowsIn(tile); i++) {
                    int a = assignment[i];
                    double u = (bounds.upper[i] + moved[a]) * (1 + SLACK);
                    double global = Double.POSITIVE_INFINITY;
                    for (int g = 0; g < t; g++) {
                        low[g] = (bounds.lower[i * t + g] - groupMove[g]) * (1 - SLACK); // ≤ 0 is a bound too
                        global = Math.min(global, low[g]);
                    }
                    if (!(u < global)) {
                        x.copyRow(i, row, 0);
                        float own = floatSquaredDistance(row, centroids, a * d, d);
                        distances++;
                        u = Math.min(u, Math.sqrt(PivotGroups.upper(own, eps, abs)) * (1 + SLACK));
                        if (!(u < global)) {
                            // The group filter: search the groups whose bound does not rule them out.
                            f[a] = own;
                            int m = 0;
                            computed[m++] = a;
                            double minUpper = PivotGroups.upper(own, eps, abs);
                            for (int g = 0; g < t; g++) {
                                searched[g] = !(low[g] > u);
                                if (searched[g]) {
                                    for (int c : groups.members[g]) {
                                        if (c != a) {
                                            f[c] = floatSquaredDistance(row, centroids, c * d, d);
                                            computed[m++] = c;
                                            minUpper = Math.min(minUpper, PivotGroups.upper(f[c], eps, abs));
                                        }
                                    }
                                }
                            }
                            distances += m - 1;
                            double cut = minUpper * (1 + 4 * SLACK);
                            int best = -1;
                            int survivors = 0;
                            for (int q = 0; q < m; q++) {
                                int c = computed[q];
                                if (PivotGroups.lower(f[c], eps, abs) <= cut) {
                                    survivors++;
                                    best = c;
                                }
                            }
                            double bestValue = Double.NaN;
                            if (survivors > 1) { // near-ties: the definition decides, ties to the lower centroid
                                best = -1;
                                bestValue = Double.POSITIVE_INFINITY;
                                for (int q = 0; q < m; q++) {
                                    int c = computed[q];
                                    if (PivotGroups.lower(f[c], eps, abs) <= cut) {
                                        double v = squaredDistance(row, centroids, c * d, d);
                                        if (v < bestValue || (v == bestValue && c < best)) {
                                            best = c;
                                            bestValue = v;
                                        }
                                    }
                                }
                            }
                            u = Math.sqrt(PivotGroups.upper(f[best], eps, abs)) * (1 + SLACK);
                            if (survivors > 1) {
                                u = Math.min(u, Math.sqrt(bestValue) * (1 + SLACK));
                            }
                            for (int g = 0; g < t; g++) {
                                if (searched[g]) {
                                    double v = Double.POSITIVE_INFINITY;
                                    for (int c : groups.members[g]) {
                                        if (c != best) {
                                            v = Math.min(v, PivotGroups.lower(f[c], eps, abs));
                                        }
                                    }
                                    low[g] = Math.sqrt(v) * (1 - SLACK);
                                }
                            }
                            int ga = groups.groupOf[a];
                            if (best != a && !searched[ga]) { // the old centroid is now one of its group's others
                                low[ga] = Math.min(low[ga], Math.sqrt(PivotGroups.lower(own, eps, abs)) * (1 - SLACK));
                            }
                            if (best != a) {
                                assignment[i] = best;
                                changes++;
                            }
                        }
                    }
                    bounds.upper[i] = u;
                    for (int g = 0; g < t; g++) {
                        bounds.lower[i * t + g] = floorFloat(low[g]);
                    }
                }
            }
            changed.addAndGet(changes);
            bounds.distances.addAndGet(distances);
        });
        return changed.get();
    }

    /**
     * {@code Σ_j (row[j] − c_j)²} in float, four partial sums (not the textbook order: a screen, within
     * {@link PivotGroups#roundingBound} of the exact value whatever the order).
     */
    static float floatSquaredDistance(float[] row, float[] centroids, int offset, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            float v0 = row[j] - centroids[offset + j];
            float v1 = row[j + 1] - centroids[offset + j + 1];
            float v2 = row[j + 2] - centroids[offset + j + 2];
            float v3 = row[j + 3] - centroids[offset + j + 3];
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; j < d; j++) {
            float v = row[j] - centroids[offset + j];
            s0 += v * v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Moves each centroid to the weighted mean of its cluster (sums in double). */
    static void update(EmbeddingTiles x, double[] weights, int k, int[] assignment, float[] centroids) {
        int d = x.dimension();
        double[] sums = new double[k * d];
        double[] mass = new double[k];
        for (int t = 0; t < x.tileCount(); t++) {
            float[][] tile = x.tileColumns(t);
            int base = EmbeddingTiles.tileStart(t);
            int rows = x.rowsIn(t);
            for (int r = 0; r < rows; r++) {
                mass[assignment[base + r]] += weights == null ? 1.0 : weights[base + r];
            }
            for (int j = 0; j < d; j++) {
                float[] col = tile[j];
                for (int r = 0; r < rows; r++) {
                    int i = base + r;
                    double w = weights == null ? 1.0 : weights[i];
                    sums[assignment[i] * d + j] += w * col[r];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            if (mass[c] > 0) {
                for (int j = 0; j < d; j++) {
                    centroids[c * d + j] = (float) (sums[c * d + j] / mass[c]);
                }
            }
        }
    }

    /**
     * One row per cluster: the member nearest its centroid (ties toward the lower row), clusters in centroid order;
     * empty clusters give nothing, and the shortfall is filled with the remaining rows farthest from their centroid
     * (ties toward the lower row), so that exactly {@code min(k, n)} distinct rows come back.
     */
    static int[] representatives(Clustering clustering, int k) {
        int n = clustering.assignment().length;
        int[] nearest = new int[k];
        Arrays.fill(nearest, -1);
        for (int i = 0; i < n; i++) {
            int c = clustering.assignment()[i];
            if (nearest[c] < 0 || clustering.squaredDistances()[i] < clustering.squaredDistances()[nearest[c]]) {
                nearest[c] = i;
            }
        }
        int want = Math.min(k, n);
        int[] out = new int[want];
        boolean[] taken = new boolean[n];
        int m = 0;
        for (int c = 0; c < k; c++) {
            if (nearest[c] >= 0) {
                out[m++] = nearest[c];
                taken[nearest[c]] = true;
            }
        }
        if (m < want) {
            Integer[] rest = new Integer[n - m];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    rest[j++] = i;
                }
            }
            double[] dist = clustering.squaredDistances();
            Arrays.sort(rest, (p, q) -> dist[p] != dist[q] ? Double.compare(dist[q], dist[p]) : Integer.compare(p, q));
            for (int i = 0; m < want; i++) {
                out[m++] = rest[i];
            }
        }
        return out;
    }
}
