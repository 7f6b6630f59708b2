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
 * cluster has zero total weight keeps its position. Ties in the assignment go to the lower centroid index.
 *
 * <p>Cost: the seeding computes O(R·d + k²·d) for the R ≤ k·n row-centre distances the triangle-inequality test
 * cannot skip (see {@link #seed}; the first centres, and the worst case, are vectorised Java passes over
 * {@code threads} threads), then O(k·n·d) per Lloyd iteration (ND4J gemm on its BLAS threads); memory
 * O((n + k)·d). The result does not depend on the thread counts.
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
        assign(x, centroids, k, assignment);
        int iterations = 0;
        while (iterations < maxIterations) {
            update(x, weights, k, assignment, centroids);
            iterations++;
            if (assign(x, centroids, k, assignment) == 0) {
                break;
            }
        }
        double[] distances = new double[n];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            x.copyRow(i, row, 0);
            int c = assignment[i] * d;
            double s = 0;
            for (int j = 0; j < d; j++) {
                double e = (double) row[j] - centroids[c + j];
                s += e * e;
            }
            distances[i] = s;
        }
        return new Clustering(centroids, assignment, distances, iterations);
    }

    /**
     * Weighted k-means++ seeding; returns row-major {@code [k, d]} centroids (copies of picked rows).
     *
     * <p>Skips work exactly (Elkan's triangle-inequality bound applied to the seeding): a row {@code x} whose nearest
     * centre so far is {@code a} cannot get closer to a new centre {@code c} when {@code ‖c − a‖ ≥ 2 ‖x − a‖}, since
     * then {@code ‖x − c‖ ≥ ‖c − a‖ − ‖x − a‖ ≥ ‖x − a‖}. Only the other rows get their distance to {@code c}, summed
     * in float in the textbook order, so every {@code D²} value, every draw and every seed equals the naive full
     * pass's. The test is made with a margin of {@code 16·(d + 2)} float roundings (a float sum of {@code d} squares
     * is within {@code (d + 2)·2⁻²⁴} of its value), so that rounding never turns a skipped row into one the full pass
     * would have lowered ({@code KMeansSamplingTest.seedingEqualsTheNaiveFullPasses}).
     */
    static float[] seed(EmbeddingTiles x, double[] weights, int k, SplittableRandom random, int threads) {
        int n = x.size();
        int d = x.dimension();
        float[] centroids = new float[k * d];
        float[][] centreColumns = new float[d][k]; // coordinate j of centre c at [j][c]: centre distances vectorise
        boolean[] picked = new boolean[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weights == null ? 1.0 : weights[i];
        }
        float[] d2 = new float[n];
        Arrays.fill(d2, Float.POSITIVE_INFINITY);
        int[] nearest = new int[n];
        float[] centreD2 = new float[k];
        double margin = 1 + 16.0 * (d + 2) * 0x1p-24;
        int[] todo = new int[n];
        double[] drawWeights = w.clone();
        int pick = BadgeSampling.sample(drawWeights, picked, random);
        for (int c = 0; c < k; c++) {
            picked[pick] = true;
            drawWeights[pick] = 0.0;
            x.copyRow(pick, centroids, c * d);
            for (int j = 0; j < d; j++) {
                centreColumns[j][c] = centroids[c * d + j];
            }
            if (c == k - 1) {
                break;
            }
            float[] centre = x.row(pick);
            int m = n;
            if (c > 0) {
                // ‖c − a‖² for every earlier centre a, in float (the margin covers its rounding too).
                Arrays.fill(centreD2, 0, c, 0f);
                for (int j = 0; j < d; j++) {
                    float cj = centre[j];
                    float[] col = centreColumns[j];
                    for (int a = 0; a < c; a++) {
                        float v = col[a] - cj;
                        centreD2[a] += v * v;
                    }
                }
                m = 0;
                for (int i = 0; i < n; i++) {
                    if (!(centreD2[nearest[i]] >= 4.0 * margin * d2[i])) {
                        todo[m++] = i;
                    }
                }
            }
            int cIndex = c;
            if (m >= n / 8) {
                // Many rows left (the first centres, before every cluster has one): the full vectorised pass is
                // cheaper than gathering rows; on the skipped rows it changes nothing (their distance is not below).
                x.forEachTile(threads, (t, scratch) -> {
                    x.squaredDistances(t, centre, scratch);
                    int base = EmbeddingTiles.tileStart(t);
                    int count = x.rowsIn(t);
                    for (int r = 0; r < count; r++) {
                        lower(base + r, scratch[r], cIndex, d2, nearest, drawWeights, picked, w);
                    }
                });
            } else {
                x.squaredDistancesOfRows(todo, m, centre, threads,
                        (i, v) -> lower(i, v, cIndex, d2, nearest, drawWeights, picked, w));
            }
            pick = BadgeSampling.sample(drawWeights, picked, random);
        }
        return centroids;
    }

    /** Lowers row {@code i}'s {@code D²} to {@code v} when {@code v} is smaller, with its nearest centre and weight. */
    private static void lower(int i, float v, int centre, float[] d2, int[] nearest, double[] drawWeights,
            boolean[] picked, double[] w) {
        if (v < d2[i]) {
            d2[i] = v;
            nearest[i] = centre;
            drawWeights[i] = picked[i] ? 0.0 : w[i] * v;
        }
    }

    /**
     * Assigns every row to its nearest centroid and returns how many assignments changed. Uses
     * {@code argmin_c ‖x − c‖² = argmin_c (‖c‖² − 2 x·c)} ({@code ‖x‖²} is the same for every {@code c}), with the dot
     * products from one ND4J gemm per tile and block of centroids (several times faster than vectorised Java loops
     * here); {@code KMeansSamplingTest.assignmentEqualsTheNaiveNearestCentroid} proves it equal to the textbook
     * argmin. Ties go to the lower centroid.
     */
    static int assign(EmbeddingTiles x, float[] centroids, int k, int[] assignment) {
        int d = x.dimension();
        float[] norms = new float[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = centroids[c * d + j];
                s += v * v;
            }
            norms[c] = (float) s;
        }
        INDArray all = Nd4j.create(centroids, new long[] {k, d}, 'c');
        float[] bestScore = new float[EmbeddingTiles.TILE];
        int[] best = new int[EmbeddingTiles.TILE];
        int changed = 0;
        for (int t = 0; t < x.tileCount(); t++) {
            int rows = x.rowsIn(t);
            int base = EmbeddingTiles.tileStart(t);
            INDArray tile = x.tileMatrix(t);
            Arrays.fill(bestScore, Float.POSITIVE_INFINITY);
            Arrays.fill(best, 0);
            for (int from = 0; from < k; from += EmbeddingTiles.GEMM_BLOCK) {
                int to = Math.min(k, from + EmbeddingTiles.GEMM_BLOCK);
                INDArray block = k <= EmbeddingTiles.GEMM_BLOCK ? all
                        : all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                float[] dots = QueryOutputs.toFloats(block.mmul(tile)); // row-major [to - from, rows]
                for (int c = from; c < to; c++) {
                    float norm = norms[c];
                    int offset = (c - from) * rows;
                    for (int r = 0; r < rows; r++) {
                        float score = norm - 2f * dots[offset + r];
                        if (score < bestScore[r]) { // strict: ties keep the lower centroid
                            bestScore[r] = score;
                            best[r] = c;
                        }
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                if (assignment[base + r] != best[r]) {
                    assignment[base + r] = best[r];
                    changed++;
                }
            }
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
