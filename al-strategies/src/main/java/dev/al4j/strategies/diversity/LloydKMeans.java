package dev.al4j.strategies.diversity;

import dev.al4j.strategies.internal.QueryOutputs;
import dev.al4j.strategies.internal.Simd;
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
 * <p>Cost: the seeding is {@link D2Sampler}'s: one full pass, then O(R·d) for the R row-centre distances its
 * single-row refreshes compute (on clustered embeddings a small fraction of k·n). The first assignment
 * ({@link #assignThroughGroups}) computes O(t·n·d) group-centre distances in vectorised passes, O(k²·d) centroid
 * pairs, and O(d) per centroid that the triangle inequalities cannot rule out (at worst, one screened gemm pass,
 * O(k·n·d) on ND4J's BLAS threads). Each Lloyd iteration ({@link #reassign}, Yinyang's group bounds, t ≤ 64 groups)
 * costs O(k·d + n·d) for the update, O(k²·d) for the centroid pairs, O(n·t) for the filters and O(d) per distance the
 * filters leave (on SCAL-like data about 2 % of k·n per iteration; at worst k·n); a group whose member nearest the own
 * centroid is ruled out costs O(1), not O(its size). The row-by-row distances run on {@link FloatDistanceSimd} when the
 * Vector API is present (after {@link #SIMD_AFTER} scalar values in the JVM). Memory O((n + k)·d + n·t + k²): the
 * tiles, {@code n·(t + 1)} floats of bounds, and {@code k²} floats of centroid pairs, allocated once per clustering
 * (no per-iteration buffers). The result does not depend on the thread counts.
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
        assignThroughGroups(x, centroids, k, assignment, bounds, threads);
        int iterations = 0;
        float[] previous = new float[centroids.length];
        double[] sums = new double[k * d]; // the update's sums, reused by every iteration (no per-iteration heap)
        double[] mass = new double[k];
        while (iterations < maxIterations) {
            System.arraycopy(centroids, 0, previous, 0, centroids.length);
            update(x, weights, k, assignment, centroids, sums, mass, threads);
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
        int first = weights == null ? D2Sampler.sampleUniform(n, random)
                : D2Sampler.sample(weights, new boolean[n], random);
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
     * floats, upper bounds rounded up and lower bounds down, so each stays a bound; a negative lower bound is stored
     * as 0, which bounds a distance as well). {@code distances} counts the row-centroid distances the reassignments
     * computed. Also the reassignments' scratch, allocated once per clustering rather than once per iteration: the
     * centroid pairs ({@code k²} floats) and the moves.
     */
    static final class Bounds {
        final Groups groups;
        final float[] upper;
        final float[] lower;
        final java.util.concurrent.atomic.AtomicLong distances = new java.util.concurrent.atomic.AtomicLong();
        private float[] between;
        private float[] groupBetween;
        private EmbeddingTiles centroidTiles;
        final double[] moved;
        final double[] groupMove;

        Bounds(int n, Groups groups) {
            this.groups = groups;
            this.upper = new float[n];
            this.lower = new float[Math.multiplyExact(n, groups.count())];
            this.moved = new double[groups.groupOf.length];
            this.groupMove = new double[groups.count()];
        }

        /** The {@code k²} floats that {@link #centroidDistances} fills, the same array at every call. */
        float[] between() {
            int k = groups.groupOf.length;
            if (between == null) {
                between = new float[Math.multiplyExact(k, k)];
            }
            return between;
        }

        /** Tiles for the {@code k} centroids of dimension {@code d}, the same at every call. */
        EmbeddingTiles centroidTiles(int d) {
            if (centroidTiles == null) {
                centroidTiles = EmbeddingTiles.allocate(groups.groupOf.length, d);
            }
            return centroidTiles;
        }

        /** The {@code k·t} floats that {@link #nearestOfGroups} fills, the same array at every call. */
        float[] groupBetween() {
            if (groupBetween == null) {
                groupBetween = new float[Math.multiplyExact(groups.groupOf.length, groups.count())];
            }
            return groupBetween;
        }
    }

    /**
     * {@code out[a·t + g] = min_{c ∈ g, c ≠ a} between[a·k + c]} (infinity for a group of {@code a} alone): the
     * centroid-pair bound of each group's member nearest {@code a}. O(k²).
     */
    static float[] nearestOfGroups(float[] between, int k, Groups groups, float[] out) {
        int t = groups.count();
        java.util.Arrays.fill(out, Float.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            int row = a * k;
            int at = a * t;
            for (int c = 0; c < k; c++) {
                if (c != a) {
                    int g = at + groups.groupOf[c];
                    out[g] = Math.min(out[g], between[row + c]);
                }
            }
        }
        return out;
    }

    /** The largest float not above {@code v} (a lower bound stored as float stays a lower bound). */
    private static float floorFloat(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    /**
     * The largest float not above {@code max(v, 0)}: a lower bound of a distance stored as float. Branch-free (the
     * reassignment stores {@code N·t} of them per iteration, and {@link #floorFloat}'s data-dependent branch took 11 %
     * of a query's CPU samples): for a non-negative float the next one down is the one whose bits are one less.
     */
    static float floorNonNegative(double v) {
        double w = v > 0 ? v : 0.0; // NaN too would become 0; none arises (bounds minus finite moves)
        float f = (float) w;
        return Float.intBitsToFloat(Float.floatToRawIntBits(f) - (f > w ? 1 : 0));
    }

    /** The smallest float not below {@code v ≥ 0}: an upper bound stored as float (infinity stays infinity). */
    static float ceilNonNegative(double v) {
        float f = (float) v;
        return Float.intBitsToFloat(Float.floatToRawIntBits(f) + (f < v ? 1 : 0));
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
                bounds.upper[i] = ceilNonNegative(Math.sqrt(bestValue[r]) * (1 + SLACK));
                for (int g = 0; g < t; g++) {
                    bounds.lower[i * t + g] = floorNonNegative(Math.sqrt(groupLow[g * width + r]) * (1 - SLACK));
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
     * groups whose lower bound does not exceed it are searched (the group filter), and within them a centroid {@code c}
     * is skipped when Elkan's bound through the own centroid {@code a}, {@code ‖x − c‖ ≥ ‖a − c‖ − ‖x − a‖}, rules it
     * out (the local filter, with the centroid pairs of {@link #centroidDistances}); only the searched groups' bounds
     * are renewed. Returns how many assignments changed. Distances saved on SCAL-like data (50 Gaussian blobs,
     * d = 512, k = 10³; scratch measurement 2026-12-07): each iteration computes about 2 % of the k·n distances at
     * n = 10⁴ and 1.5–2 % at n = 10⁵, where Hamerly's single bound computed all of them for 98 % of the rows.
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
        return reassign(x, previous, centroids, k, assignment, bounds, threads, DISTANCE_GATE);
    }

    /**
     * {@link #reassign}, with the row-by-row distances of {@link FloatDistanceSimd} for each tile the {@code gate}
     * opens to, else of the scalar kernel (tests pass a gate that is always or never open).
     */
    static int reassign(EmbeddingTiles x, float[] previous, float[] centroids, int k, int[] assignment, Bounds bounds,
            int threads, Simd.Gate gate) {
        int d = x.dimension();
        Groups groups = bounds.groups;
        int t = groups.count();
        double[] moved = bounds.moved;
        double[] groupMove = bounds.groupMove;
        java.util.Arrays.fill(groupMove, 0.0);
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
        float[] between = k <= MAX_FIRST_THROUGH_SEEDS
                ? centroidDistances(centroids, k, d, threads, bounds.between(), bounds.centroidTiles(d)) : null;
        float[] groupBetween = between == null ? null : nearestOfGroups(between, k, groups, bounds.groupBetween());
        java.util.concurrent.atomic.AtomicInteger changed = new java.util.concurrent.atomic.AtomicInteger();
        int tiles = x.tileCount();
        EmbeddingTiles.inRanges(tiles, Math.max(1, Math.min(threads, tiles)), (fromTile, toTile) -> {
            Search search = new Search(centroids, k, d, groups);
            double[] low = search.low;
            int changes = 0;
            for (int tile = fromTile; tile < toTile; tile++) {
                search.chooseKernel(gate);
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
                        search.stale = bounds.lower;
                        search.staleAt = i * t;
                        search.load(x, i);
                        float own = search.distance(a);
                        search.distances++;
                        u = Math.min(u, Math.sqrt(PivotGroups.upper(own, eps, abs)) * (1 + SLACK));
                        if (!(u < global)) { // the group filter
                            int best = search.search(a, own, u, between, groupBetween, moved);
                            u = search.upper;
                            if (best != a) {
                                assignment[i] = best;
                                changes++;
                            }
                        }
                    }
                    bounds.upper[i] = ceilNonNegative(u);
                    for (int g = 0; g < t; g++) {
                        bounds.lower[i * t + g] = floorNonNegative(low[g]);
                    }
                }
            }
            changed.addAndGet(changes);
            search.chooseKernel(gate); // counts the last tile's scalar distances
            bounds.distances.addAndGet(search.distances);
        });
        return changed.get();
    }

    /**
     * One thread's scratch for searching a row's groups, and the search itself (shared by the first assignment and
     * the reassignments).
     */
    private static final class Search {
        final float[] centroids;
        final int d;
        final Groups groups;
        final double eps;
        final double abs;
        final float[] row;
        final float[] f;
        final int[] computed;
        final double[] low;
        /**
         * The row's group bounds before this iteration's moves, {@code stale[staleAt + g]}: Yinyang's local filter
         * lowers them by each centroid's own move rather than by its group's largest.
         */
        float[] stale;
        int staleAt;
        final boolean[] searched;
        /** Groups of the first assignment ruled out at once. */
        final boolean[] whole;
        /** Per-centroid lower bounds of the row being searched. */
        final double[] bound;
        /** Rows {@code blockStart..blockStart+15}, row-major (read from the tiles 16 at a time). */
        final float[] block;
        int blockStart = -1;
        /** {@link FloatDistanceSimd}'s scratch (64 floats, not its {@code MAX_LANES}: naming it would load the class). */
        final float[] lanes = new float[64];
        /** The new upper bound of the row's distance to its centroid, after {@link #search}. */
        double upper;
        /** Distances computed, for measurements. */
        long distances;
        /** Whether {@link #distance} runs {@link FloatDistanceSimd}; see {@link #chooseKernel}. */
        boolean simd;
        /** {@link #distances} already reported to a gate. */
        private long counted;

        Search(float[] centroids, int k, int d, Groups groups) {
            this.centroids = centroids;
            this.d = d;
            this.groups = groups;
            this.eps = PivotGroups.roundingBound(d);
            this.abs = PivotGroups.underflowSlack(d);
            this.row = new float[d];
            this.f = new float[k];
            this.computed = new int[k];
            this.low = new double[groups.count()];
            this.searched = new boolean[groups.count()];
            this.whole = new boolean[groups.count()];
            this.bound = new double[k];
            this.block = new float[16 * d];
        }

        /**
         * Reports the scalar distances computed since the last call to {@code gate} and sets {@link #simd} to whether it
         * is now open (per tile, so that a long first query switches once the scalar kernel has warmed the JVM).
         */
        void chooseKernel(Simd.Gate gate) {
            simd = gate.simd((distances - counted) * d) && FloatDistanceSimd.usable();
            counted = distances;
        }

        /** {@link #floatSquaredDistance} of {@link #row} and centroid {@code c}, or its SIMD twin's value. */
        float distance(int c) {
            return simd ? FloatDistanceSimd.squaredDistance(row, centroids, c * d, d, lanes)
                    : floatSquaredDistance(row, centroids, c * d, d);
        }

        /** Puts row {@code i} of {@code x} into {@link #row}, through the 16-row block that holds it. */
        void load(EmbeddingTiles x, int i) {
            int start = i - i % 16;
            if (start != blockStart) {
                x.copyRows(start, Math.min(16, x.size() - start), block);
                blockStart = start;
            }
            System.arraycopy(block, (i - start) * d, row, 0, d);
        }

        /**
         * The first assignment of {@link #row} (see {@link #assignThroughGroups}): {@link #low} holds the group-centre
         * bounds on entry and the renewed group bounds on return; {@code between[a·k + c] ≤ ‖c_a − c‖}. Sets
         * {@link #upper}.
         */
        int first(float[] between, float[] groupBetween) {
            int t = groups.count();
            int k = f.length;
            int nearestGroup = 0;
            for (int g = 1; g < t; g++) {
                if (low[g] < low[nearestGroup]) {
                    nearestGroup = g;
                }
            }
            int m = 0;
            double minUpper = Double.POSITIVE_INFINITY;
            int c1 = -1;
            for (int c : groups.members[nearestGroup]) {
                f[c] = distance(c);
                computed[m++] = c;
                if (PivotGroups.upper(f[c], eps, abs) < minUpper) {
                    minUpper = PivotGroups.upper(f[c], eps, abs);
                    c1 = c;
                }
                bound[c] = Math.sqrt(PivotGroups.lower(f[c], eps, abs)) * (1 - SLACK);
            }
            double delta = Math.sqrt(minUpper) * (1 + SLACK); // ≥ ‖x − c₁‖
            int g1 = nearestGroup;
            double limit = Math.sqrt(minUpper) * (1 + SLACK); // changes only with minUpper
            // A group whose member nearest c₁ is ruled out now has every member ruled out, now and below (the limit
            // only falls), and its new bound is that member's (the bounds are monotone in ‖c₁ − c‖): the loop below
            // would leave the same bounds, so it skips the group's members.
            for (int g = 0; g < t; g++) {
                whole[g] = false;
                if (g != g1) {
                    double b = Math.max((groupBetween[c1 * t + g] - delta) * (1 - SLACK), low[g]);
                    if (b > limit) {
                        whole[g] = true;
                        low[g] = b;
                    }
                }
            }
            for (int g = 0; g < t; g++) { // group by group (the order decides which distances, not the result)
                if (g == g1 || whole[g]) {
                    continue;
                }
                for (int c : groups.members[g]) {
                    double b = Math.max((between[c1 * k + c] - delta) * (1 - SLACK), low[g]);
                    if (b > limit) {
                        bound[c] = b;
                        continue;
                    }
                    f[c] = distance(c);
                    computed[m++] = c;
                    minUpper = Math.min(minUpper, PivotGroups.upper(f[c], eps, abs));
                    limit = Math.sqrt(minUpper) * (1 + SLACK);
                    bound[c] = Math.sqrt(PivotGroups.lower(f[c], eps, abs)) * (1 - SLACK);
                }
            }
            distances += m;
            int best = decide(m, minUpper);
            for (int g = 0; g < t; g++) {
                if (whole[g]) {
                    continue; // low[g] set above
                }
                double v = Double.POSITIVE_INFINITY;
                for (int c : groups.members[g]) {
                    if (c != best) {
                        v = Math.min(v, bound[c]);
                    }
                }
                low[g] = v;
            }
            return best;
        }

        /**
         * Among the {@code m} computed centroids, the nearest by the definition: the only one whose lower bound does
         * not exceed {@code minUpper}, or, when several do (near-ties), the argmin of their {@link #squaredDistance}
         * values, ties to the lower centroid. Sets {@link #upper}.
         */
        private int decide(int m, double minUpper) {
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
            upper = Math.sqrt(PivotGroups.upper(f[best], eps, abs)) * (1 + SLACK);
            if (survivors > 1) {
                best = -1;
                double bestValue = Double.POSITIVE_INFINITY;
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
                upper = Math.min(Math.sqrt(PivotGroups.upper(f[best], eps, abs)) * (1 + SLACK),
                        Math.sqrt(bestValue) * (1 + SLACK));
            }
            return best;
        }

        /**
         * The nearest centroid of {@link #row} by {@link #squaredDistance} (ties to the lower centroid), given lower
         * bounds {@link #low} of each group's distances (of the members other than {@code a}) and, when {@code a ≥ 0},
         * the current centroid {@code a}, its float distance {@code own} and an upper bound {@code u} of its distance.
         * Groups are searched from the one of the smallest bound, then in order, skipping each group whose bound
         * exceeds the best upper bound found so far; a searched group gets a new bound (its members other than the
         * result), and so does {@code a}'s group when the row leaves it unsearched. Sets {@link #upper}.
         */
        int search(int a, float own, double u, float[] between, float[] groupBetween, double[] moved) {
            int t = groups.count();
            int k = f.length;
            int m = 0;
            f[a] = own;
            computed[m++] = a;
            double minUpper = PivotGroups.upper(own, eps, abs);
            bound[a] = Math.sqrt(PivotGroups.lower(own, eps, abs)) * (1 - SLACK);
            int first = 0;
            for (int g = 1; g < t; g++) {
                if (low[g] < low[first]) {
                    first = g;
                }
            }
            int ga = groups.groupOf[a];
            double limit = Math.min(u, Math.sqrt(minUpper) * (1 + SLACK)); // changes only with minUpper
            for (int q = -1; q < t; q++) {
                int g = q < 0 ? first : q;
                if (q == first) {
                    continue;
                }
                searched[g] = !(low[g] > limit);
                if (searched[g] && groupBetween != null && g != ga) {
                    // Elkan's bound below for the group's member nearest a: when it rules that member out it rules
                    // out all of them, and their bounds' minimum, the group's new bound, is this one ((v − u)·(1 −
                    // SLACK) rounds monotonically in v), so the member loop would leave the same bound in O(size).
                    double b = (groupBetween[a * t + g] - u) * (1 - SLACK);
                    if (b > limit) {
                        searched[g] = false;
                        low[g] = b;
                    }
                }
                if (searched[g]) {
                    double before = stale[staleAt + g];
                    for (int c : groups.members[g]) {
                        if (c == a) {
                            continue;
                        }
                        // Yinyang's local filter (Ding et al. 2015, §3.2): the group's bound before the moves, less
                        // c's own move (moved[c] ≥ ‖c − c_old‖, and the old bound holds for every member but a).
                        double b = (before - moved[c]) * (1 - SLACK);
                        if (between != null) { // Elkan's bound through the own centroid: ‖x − c‖ ≥ ‖a − c‖ − ‖x − a‖
                            b = Math.max(b, (between[a * k + c] - u) * (1 - SLACK));
                        }
                        if (b > limit) {
                            bound[c] = b;
                            continue;
                        }
                        f[c] = distance(c);
                        computed[m++] = c;
                        minUpper = Math.min(minUpper, PivotGroups.upper(f[c], eps, abs));
                        limit = Math.min(u, Math.sqrt(minUpper) * (1 + SLACK));
                        bound[c] = Math.sqrt(PivotGroups.lower(f[c], eps, abs)) * (1 - SLACK);
                    }
                }
            }
            distances += m - 1;
            int best = decide(m, minUpper);
            for (int g = 0; g < t; g++) {
                if (searched[g]) {
                    double v = Double.POSITIVE_INFINITY;
                    for (int c : groups.members[g]) {
                        if (c != best) {
                            v = Math.min(v, bound[c]);
                        }
                    }
                    low[g] = v;
                }
            }
            if (best != a && !searched[ga]) { // the old centroid is now one of its group's others
                low[ga] = Math.min(low[ga], bound[a]);
            }
            return best;
        }
    }

    /**
     * {@code out[a·k + c] ≤ ‖c_a − c_c‖} for every pair of centroids: textbook float sums (vectorised over {@code c}),
     * lowered by the rounding bound of {@link PivotGroups#roundingBound}, rounded down to float. O(k²·d) time, k²
     * floats.
     */
    static float[] centroidDistances(float[] centroids, int k, int d, int threads) {
        return centroidDistances(centroids, k, d, threads, new float[k * k], EmbeddingTiles.allocate(k, d));
    }

    /**
     * {@link #centroidDistances}, into {@code between} ({@code k²} floats, every one overwritten), with the centroids
     * copied into {@code seeds} ({@code k} rows of dimension {@code d}, overwritten).
     */
    static float[] centroidDistances(float[] centroids, int k, int d, int threads, float[] between,
            EmbeddingTiles seeds) {
        double eps = PivotGroups.roundingBound(d);
        double abs = PivotGroups.underflowSlack(d);
        seeds.setRows(0, centroids, 0, k);
        // Only the pairs a ≤ c, each row of pairs split over the threads (the sums are symmetric: (u − v)² = (v − u)²
        // exactly in float).
        EmbeddingTiles.inRanges(k, Math.max(1, Math.min(threads, k / 64)), (from, to) -> {
            float[] scratch = new float[EmbeddingTiles.TILE];
            float[] c1 = new float[d];
            for (int a = from; a < to; a++) {
                System.arraycopy(centroids, a * d, c1, 0, d);
                for (int tile = a / EmbeddingTiles.TILE; tile < seeds.tileCount(); tile++) {
                    int base = EmbeddingTiles.tileStart(tile);
                    int start = Math.max(0, a - base);
                    seeds.squaredDistances(tile, start, seeds.rowsIn(tile), c1, scratch);
                    for (int r = start; r < seeds.rowsIn(tile); r++) {
                        float v = floorFloat(Math.sqrt(PivotGroups.lower(scratch[r], eps, abs)) * (1 - SLACK));
                        between[a * k + base + r] = v;
                        between[(base + r) * k + a] = v;
                    }
                }
            }
        });
        return between;
    }

    /**
     * The row-by-row distances' {@link Simd.Gate}: {@link FloatDistanceSimd} once the scalar kernel has summed this
     * many values in this JVM (about 2·10⁶ distances at d = 512: a little more than one query of the SCAL setting,
     * N = 10⁴, b = 10³, and the first few percent of the first assignment at N = 10⁶), so that a one-shot query at
     * N = 10⁴ does not pay for the Vector API's interpreted first calls.
     */
    static final long SIMD_AFTER = 1L << 30;

    private static final Simd.Gate DISTANCE_GATE = new Simd.Gate(SIMD_AFTER, () -> FloatDistanceSimd.warmUp());

    /** Above this many centroids the first assignment is the screened gemm pass (the {@code k × k} bounds would be large). */
    static final int MAX_FIRST_THROUGH_SEEDS = 4096;

    /**
     * The first assignment (no Lloyd step before it, so no bounds yet), skipping distances exactly with two triangle
     * inequalities: each row gets its float distances to the groups' centres {@code m_g} (the means of their
     * centroids; whole-tile vectorised passes), which bound every member, {@code ‖x − c‖ ≥ ‖x − m_g‖ − r_g} with
     * {@code r_g} the group's radius; the members of the nearest centre's group are computed, the nearest of them,
     * {@code c₁}, then bounds every other centroid through the centroid-to-centroid distances (Elkan 2003, lemma 1),
     * {@code ‖x − c‖ ≥ ‖c₁ − c‖ − ‖x − c₁‖}, and only centroids that neither bound rules out get a distance. The
     * float rounding bound of {@link PivotGroups#roundingBound} widens every bound, and near-ties are decided by
     * {@link #squaredDistance}, so the result is the argmin of the definition, ties to the lower centroid, as
     * {@link #assign}'s. When the first tile's rows compute more than a quarter of their {@code k} distances
     * (unclustered rows: the bounds rule out little, and a row-by-row distance costs several times a gemm's), or when
     * {@code k > }{@value #MAX_FIRST_THROUGH_SEEDS}, every tile takes the screened gemm pass ({@link #assign}); the
     * choice depends on the data only. Returns the number of row-centroid distances computed (group centres included).
     */
    static long assignThroughGroups(EmbeddingTiles x, float[] centroids, int k, int[] assignment, Bounds bounds,
            int threads) {
        return assignThroughGroups(x, centroids, k, assignment, bounds, threads, DISTANCE_GATE);
    }

    /** {@link #assignThroughGroups}, with the row-by-row distances chosen by {@code gate} as in {@link #reassign}. */
    static long assignThroughGroups(EmbeddingTiles x, float[] centroids, int k, int[] assignment, Bounds bounds,
            int threads, Simd.Gate gate) {
        if (k > MAX_FIRST_THROUGH_SEEDS) {
            assign(x, centroids, k, assignment, bounds);
            return (long) x.size() * k;
        }
        int d = x.dimension();
        Groups groups = bounds.groups;
        int t = groups.count();
        double eps = PivotGroups.roundingBound(d);
        double abs = PivotGroups.underflowSlack(d);
        float[][] centres = new float[t][d];
        double[] radius = new double[t];
        for (int g = 0; g < t; g++) {
            double[] sum = new double[d];
            for (int c : groups.members[g]) {
                for (int j = 0; j < d; j++) {
                    sum[j] += centroids[c * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                centres[g][j] = (float) (sum[j] / groups.members[g].length);
            }
            for (int c : groups.members[g]) {
                float v = floatSquaredDistance(centres[g], centroids, c * d, d);
                radius[g] = Math.max(radius[g], Math.sqrt(PivotGroups.upper(v, eps, abs)) * (1 + SLACK));
            }
        }
        float[] between = centroidDistances(centroids, k, d, threads, bounds.between(), bounds.centroidTiles(d));
        float[] groupBetween = nearestOfGroups(between, k, groups, bounds.groupBetween());
        EmbeddingTiles.RangeTask tiles = (fromTile, toTile) -> {
            Search search = new Search(centroids, k, d, groups);
            float[][] toCentre = new float[t][EmbeddingTiles.TILE];
            for (int tile = fromTile; tile < toTile; tile++) {
                search.chooseKernel(gate);
                int base = EmbeddingTiles.tileStart(tile);
                int width = x.rowsIn(tile);
                for (int g = 0; g < t; g++) {
                    x.squaredDistances(tile, centres[g], toCentre[g]);
                }
                search.distances += (long) t * width;
                for (int r = 0; r < width; r++) {
                    int i = base + r;
                    for (int g = 0; g < t; g++) {
                        search.low[g] = (Math.sqrt(PivotGroups.lower(toCentre[g][r], eps, abs)) - radius[g])
                                * (1 - SLACK);
                    }
                    search.load(x, i);
                    assignment[i] = search.first(between, groupBetween);
                    bounds.upper[i] = ceilNonNegative(search.upper);
                    for (int g = 0; g < t; g++) {
                        bounds.lower[i * t + g] = floorNonNegative(search.low[g]);
                    }
                }
            }
            search.chooseKernel(gate); // counts the last tile's scalar distances
            bounds.distances.addAndGet(search.distances);
        };
        long before = bounds.distances.get();
        tiles.run(0, 1);
        if (bounds.distances.get() - before > (long) x.rowsIn(0) * k / 4) {
            assign(x, centroids, k, assignment, bounds);
            return bounds.distances.get() - before + (long) x.size() * k;
        }
        int count = x.tileCount();
        if (count > 1) {
            EmbeddingTiles.inRanges(count - 1, Math.max(1, Math.min(threads, count - 1)),
                    (from, to) -> tiles.run(from + 1, to + 1));
        }
        return bounds.distances.get() - before;
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

    /**
     * Moves each centroid to the weighted mean of its cluster: sums in double, {@code w_i · x_i[j]} added over the rows
     * {@code i} ascending for every cluster and coordinate (the textbook's order), then divided by the cluster's
     * weight and rounded to float. Read straight from the tiles' columns into coordinate-major sums ({@code k}
     * doubles per coordinate, an L1-sized row), so no row is transposed; the coordinates are split over
     * {@code threads} threads, each adding the same terms in the same order, so the result does not depend on the
     * thread count ({@code KMeansSamplingTest.updateEqualsTheTextbookMeans}).
     */
    static void update(EmbeddingTiles x, double[] weights, int k, int[] assignment, float[] centroids) {
        update(x, weights, k, assignment, centroids, new double[k * x.dimension()], new double[k], 1);
    }

    /**
     * {@link #update}, with the sums in {@code sums} ({@code k·d}, coordinate-major) and {@code mass} ({@code k}),
     * zeroed here, on up to {@code threads} threads.
     */
    static void update(EmbeddingTiles x, double[] weights, int k, int[] assignment, float[] centroids, double[] sums,
            double[] mass, int threads) {
        int d = x.dimension();
        int n = x.size();
        Arrays.fill(mass, 0.0);
        for (int i = 0; i < n; i++) {
            mass[assignment[i]] += weights == null ? 1.0 : weights[i];
        }
        EmbeddingTiles.inRanges(d, Math.max(1, Math.min(threads, d / 16)), (from, to) -> {
            Arrays.fill(sums, from * k, to * k, 0.0);
            for (int tile = 0; tile < x.tileCount(); tile++) {
                float[][] columns = x.tileColumns(tile);
                int base = EmbeddingTiles.tileStart(tile);
                int width = x.rowsIn(tile);
                for (int j = from; j < to; j++) {
                    float[] column = columns[j];
                    int row = j * k;
                    if (weights == null) {
                        for (int r = 0; r < width; r++) {
                            sums[row + assignment[base + r]] += 1.0 * column[r];
                        }
                    } else {
                        for (int r = 0; r < width; r++) {
                            sums[row + assignment[base + r]] += weights[base + r] * column[r];
                        }
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                if (mass[c] > 0) {
                    for (int j = from; j < to; j++) {
                        centroids[c * d + j] = (float) (sums[j * k + c] / mass[c]);
                    }
                }
            }
        });
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
