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
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        double[] upper = new double[n];
        double[] lower = new double[n];
        assign(x, null, centroids, k, assignment, upper, lower);
        int iterations = 0;
        float[] previous = new float[centroids.length];
        while (iterations < maxIterations) {
            System.arraycopy(centroids, 0, previous, 0, centroids.length);
            update(x, weights, k, assignment, centroids);
            iterations++;
            if (reassign(x, previous, centroids, k, assignment, upper, lower) == 0) {
                break;
            }
        }
        double[] distances = new double[n];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            x.copyRow(i, row, 0);
            distances[i] = squaredDistance(row, centroids, assignment[i] * d, d);
        }
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

    /**
     * Assigns every row of {@code x} to its nearest centroid by {@link #squaredDistance} (lower centroid on ties) and
     * returns how many assignments changed. Also sets {@code upper[i] ≥ √D²(i, a_i)} and
     * {@code lower[i] ≤ min_{c ≠ a_i} √D²(i, c)} for {@link #reassign} (Hamerly's bounds).
     *
     * <p>Screened, then exact. The screen is one ND4J gemm per tile and block of centroids,
     * {@code D̃² = ‖x‖² + (‖c‖² − 2 x·c)} in float, whose error is at most {@code (d + 2)·2⁻²⁴·(‖x‖ + ‖c‖)²} (a float
     * dot product of length {@code d}, two roundings); with {@code E} four times that for the largest {@code ‖c‖}, a
     * centroid with {@code D̃² − E} above the smallest {@code D̃² + E} cannot be the nearest or tie with it, and only the
     * others get the exact distance (usually one or two). {@code KMeansSamplingTest.assignmentEqualsTheNaiveNearestCentroid}
     * checks it against the textbook argmin in double, near-ties included.
     *
     * @param rows the pool rows of {@code x}'s rows ({@code x} a gathered subset), or {@code null} when {@code x} is
     *     the whole pool
     */
    static int assign(EmbeddingTiles x, int[] rows, float[] centroids, int k, int[] assignment, double[] upper,
            double[] lower) {
        int d = x.dimension();
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
        double[] second = new double[EmbeddingTiles.TILE];
        int changed = 0;
        for (int t = 0; t < x.tileCount(); t++) {
            int width = x.rowsIn(t);
            int base = EmbeddingTiles.tileStart(t);
            INDArray tile = x.tileMatrix(t);
            for (int from = 0; from < k; from += EmbeddingTiles.GEMM_BLOCK) {
                int to = Math.min(k, from + EmbeddingTiles.GEMM_BLOCK);
                INDArray block = k <= EmbeddingTiles.GEMM_BLOCK ? all
                        : all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                float[] dots = QueryOutputs.toFloats(block.mmul(tile)); // row-major [to - from, width]
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
            // order so that a strict comparison keeps the lower centroid on ties.
            for (int r = 0; r < width; r++) {
                double root = Math.sqrt(xNorms[base + r]) + maxNorm;
                margin[r] = gamma * root * root;
                smallest[r] = Double.POSITIVE_INFINITY;
                best[r] = -1;
                bestValue[r] = Double.POSITIVE_INFINITY;
                second[r] = Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < k; c++) {
                int offset = c * width;
                for (int r = 0; r < width; r++) {
                    smallest[r] = Math.min(smallest[r], xNorms[base + r] + scores[offset + r]);
                }
            }
            float[][] columns = x.tileColumns(t);
            for (int c = 0; c < k; c++) {
                int offset = c * width;
                for (int r = 0; r < width; r++) {
                    double screened = xNorms[base + r] + scores[offset + r];
                    if (screened <= smallest[r] + 2 * margin[r]) {
                        double value = squaredDistance(columns, r, centroids, c * d, d);
                        if (value < bestValue[r]) { // strict: ties keep the lower centroid
                            second[r] = Math.min(second[r], bestValue[r]);
                            best[r] = c;
                            bestValue[r] = value;
                        } else {
                            second[r] = Math.min(second[r], value);
                        }
                    } else { // a lower bound of its distance, for the second nearest
                        second[r] = Math.min(second[r], Math.max(0.0, screened - margin[r]));
                    }
                }
            }
            for (int r = 0; r < width; r++) {
                int i = rows == null ? base + r : rows[base + r];
                if (assignment[i] != best[r]) {
                    assignment[i] = best[r];
                    changed++;
                }
                upper[i] = Math.sqrt(bestValue[r]) * (1 + SLACK);
                lower[i] = Math.sqrt(second[r]) * (1 - SLACK);
            }
        }
        return changed;
    }

    /**
     * One Lloyd reassignment after the centroids moved from {@code previous} to {@code centroids}, with Hamerly's
     * bounds (Hamerly 2010, "Making k-means even faster"): a row's distance to its own centroid grows by at most that
     * centroid's move, its distance to any other falls by at most the largest move of the others, so a row with
     * {@code upper < lower} keeps its centroid without a single distance; otherwise its own distance is recomputed
     * exactly and, if the test still fails, every distance (vectorised over the centroids when few rows are left, the
     * screened {@link #assign} on the gathered rows when many are, on all rows when most fail the first test: then
     * Hamerly's bounds save nothing, which happens when many small clusters share a blob and the largest centroid
     * move exceeds the gaps between neighbouring centroids, as at N = 10⁵ with b = 10³). Every assignment made is the argmin of the
     * {@link #squaredDistance} values (the bounds carry a relative slack of {@value #SLACK} against rounding), so the
     * result equals the textbook Lloyd step in double ({@code KMeansSamplingTest.clusteringEqualsTheNaiveAlgorithm}).
     * Returns how many assignments changed.
     */
    static int reassign(EmbeddingTiles x, float[] previous, float[] centroids, int k, int[] assignment, double[] upper,
            double[] lower) {
        int n = x.size();
        int d = x.dimension();
        double[] moved = new double[k];
        int farthest = 0;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = (double) centroids[c * d + j] - previous[c * d + j];
                s += v * v;
            }
            moved[c] = Math.sqrt(s) * (1 + SLACK);
            if (moved[c] > moved[farthest]) {
                farthest = c;
            }
        }
        double secondMove = 0;
        for (int c = 0; c < k; c++) {
            if (c != farthest) {
                secondMove = Math.max(secondMove, moved[c]);
            }
        }
        int[] todo = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int a = assignment[i];
            upper[i] = (upper[i] + moved[a]) * (1 + SLACK);
            lower[i] = (lower[i] - (a == farthest ? secondMove : moved[farthest])) * (1 - SLACK);
            if (!(upper[i] < lower[i])) {
                todo[m++] = i;
            }
        }
        if (m >= n / 2) {
            // Most rows fail the bounds (the first iteration, when the centroids leave the seeds, or many small
            // clusters whose largest move dwarfs the gaps): the screened pass over all rows, without first tightening
            // each row's own distance (a strided read of every row). The rows that passed their bounds keep their
            // centroid there too (the same argmin), with fresh bounds.
            return assign(x, null, centroids, k, assignment, upper, lower);
        }
        float[] row = new float[d];
        int kept = 0;
        for (int q = 0; q < m; q++) {
            int i = todo[q];
            x.copyRow(i, row, 0);
            upper[i] = Math.sqrt(squaredDistance(row, centroids, assignment[i] * d, d)) * (1 + SLACK);
            if (!(upper[i] < lower[i])) {
                todo[kept++] = i;
            }
        }
        m = kept;
        if (m == 0) {
            return 0;
        }
        if (m >= n / 16) {
            // Many rows: gather them into tiles and screen them with gemm, as the first assignment does.
            float[] gathered = new float[Math.multiplyExact(m, d)];
            for (int q = 0; q < m; q++) {
                x.copyRow(todo[q], gathered, q * d);
            }
            return assign(EmbeddingTiles.ofRows(gathered, m, d), Arrays.copyOf(todo, m), centroids, k, assignment,
                    upper, lower);
        }
        // Few rows: every distance of each, the centroids column-major so the loop vectorises over them; the sums run
        // over j ascending, exactly as squaredDistance's.
        double[][] columns = new double[d][k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                columns[j][c] = centroids[c * d + j];
            }
        }
        double[] acc = new double[k];
        int changed = 0;
        for (int q = 0; q < m; q++) {
            int i = todo[q];
            x.copyRow(i, row, 0);
            Arrays.fill(acc, 0.0);
            for (int j = 0; j < d; j++) {
                double xj = row[j];
                double[] col = columns[j];
                for (int c = 0; c < k; c++) {
                    double v = xj - col[c];
                    acc[c] += v * v;
                }
            }
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (acc[c] < acc[best]) {
                    best = c;
                }
            }
            double second = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != best) {
                    second = Math.min(second, acc[c]);
                }
            }
            if (assignment[i] != best) {
                assignment[i] = best;
                changed++;
            }
            upper[i] = Math.sqrt(acc[best]) * (1 + SLACK);
            lower[i] = Math.sqrt(second) * (1 - SLACK);
        }
        return changed;
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
