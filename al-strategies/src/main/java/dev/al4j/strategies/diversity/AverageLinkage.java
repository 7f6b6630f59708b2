package dev.al4j.strategies.diversity;

import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Hierarchical agglomerative clustering with average linkage (UPGMA: the distance between two clusters is the mean
 * Euclidean distance between their members) by the nearest-neighbour-chain algorithm (Murtagh 1983), which gives
 * the same dendrogram as merging the closest pair each step because average linkage is reducible. Ties break toward
 * the lower index.
 *
 * <p>Cost: O(M²·d) for the distances (ND4J gemm) and O(M²) for the merges; memory {@code 4·M²} bytes for the full distance
 * matrix. That quadratic memory is why {@link ClusterMargin} clusters once per pool and has a cap on M
 * ({@link ClusterMargin#withMaxClusteredPoints}).
 */
final class AverageLinkage {

    private AverageLinkage() {}

    /** The merges of a dendrogram: {@code M − 1} pairs of representative rows and their linkage heights. */
    record Dendrogram(int size, int[] left, int[] right, double[] heights) {

        /** Cluster labels {@code 0..c-1} (by first member) after the lowest {@code M − c} merges. */
        int[] cut(int clusters) {
            return apply(Math.max(0, size - Math.max(1, clusters)), Double.POSITIVE_INFINITY);
        }

        /** Cluster labels {@code 0..} (by first member) after every merge of height at most {@code threshold}. */
        int[] cutAt(double threshold) {
            return apply(size - 1, threshold);
        }

        private int[] apply(int merges, double threshold) {
            Integer[] order = new Integer[heights.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // Average linkage is monotone, so applying merges by height is a valid bottom-up order.
            Arrays.sort(order, (a, b) -> heights[a] != heights[b] ? Double.compare(heights[a], heights[b])
                    : Integer.compare(a, b));
            int[] parent = new int[size];
            for (int i = 0; i < size; i++) {
                parent[i] = i;
            }
            for (int m = 0; m < merges && heights[order[m]] <= threshold; m++) {
                int a = find(parent, left[order[m]]);
                int b = find(parent, right[order[m]]);
                parent[Math.max(a, b)] = Math.min(a, b);
            }
            int[] label = new int[size];
            int[] labelOfRoot = new int[size];
            Arrays.fill(labelOfRoot, -1);
            int next = 0;
            for (int i = 0; i < size; i++) {
                int root = find(parent, i);
                if (labelOfRoot[root] < 0) {
                    labelOfRoot[root] = next++;
                }
                label[i] = labelOfRoot[root];
            }
            return label;
        }

        private static int find(int[] parent, int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }
    }

    /** Rows per ND4J gemm in {@link #distances}: a {@code [1024, M]} float block of dot products. */
    private static final int ROW_BLOCK = 1024;
    /** Side of the square blocks in which {@link #distances} symmetrises the matrix (cache-friendly transpose). */
    private static final int SYM_BLOCK = 64;

    /**
     * Euclidean distances between all rows of {@code x} as a full row-major {@code [M, M]} matrix, from
     * {@code ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y} (dot products by ND4J gemm, one {@code [1024, M]} block of rows at a
     * time so that the matrix is written row by row; clamped at 0 against float cancellation, diagonal exactly 0);
     * {@code ClusterMarginTest.tiledDistancesEqualTheTextbookDistances} and
     * {@code ClusterMarginTest.linkageEqualsTheNaiveAlgorithm} check it against textbook distances.
     */
    static float[] distances(EmbeddingTiles x) {
        int m = x.size();
        int d = x.dimension();
        float[] rows = new float[Math.multiplyExact(m, d)];
        for (int i = 0; i < m; i++) {
            x.copyRow(i, rows, i * d);
        }
        double[] norms = x.squaredNorms();
        float[] dist = new float[Math.multiplyExact(m, m)];
        INDArray all = Nd4j.create(rows, new long[] {m, d}, 'c');
        for (int base = 0; base < m; base += ROW_BLOCK) {
            int count = Math.min(ROW_BLOCK, m - base);
            INDArray block = all.get(NDArrayIndex.interval(base, base + count), NDArrayIndex.all());
            // Into a row-major result, read without a copy: measured faster than mmul, whose result needs one.
            INDArray products = Nd4j.create(DataType.FLOAT, new long[] {count, m}, 'c');
            Nd4j.gemm(block, all, products, false, true, 1.0, 0.0);
            float[] dots = QueryOutputs.toFloats(products); // [count, m]: x_(base + r) · x_j
            for (int r = 0; r < count; r++) {
                int i = base + r;
                double ni = norms[i];
                int from = r * m;
                int to = i * m;
                for (int j = 0; j < m; j++) {
                    double sq = ni + norms[j] - 2.0 * dots[from + j];
                    dist[to + j] = (float) Math.sqrt(Math.max(0.0, sq));
                }
                dist[to + i] = 0f;
            }
        }
        // Symmetrise (the two triangles can differ in the last bit), in square blocks so that the column reads stay
        // in cache.
        for (int ib = 0; ib < m; ib += SYM_BLOCK) {
            for (int jb = 0; jb <= ib; jb += SYM_BLOCK) {
                for (int i = ib; i < Math.min(m, ib + SYM_BLOCK); i++) {
                    for (int j = jb; j < Math.min(i, jb + SYM_BLOCK); j++) {
                        float v = Math.min(dist[i * m + j], dist[j * m + i]);
                        dist[i * m + j] = v;
                        dist[j * m + i] = v;
                    }
                }
            }
        }
        return dist;
    }

    /** The average-linkage dendrogram of the {@code m} points with the full distance matrix {@code dist}. */
    static Dendrogram cluster(float[] dist, int m) {
        int[] size = new int[m];
        Arrays.fill(size, 1);
        boolean[] active = new boolean[m];
        Arrays.fill(active, true);
        int[] chain = new int[m];
        int top = 0;
        int[] left = new int[Math.max(0, m - 1)];
        int[] right = new int[Math.max(0, m - 1)];
        double[] heights = new double[Math.max(0, m - 1)];
        int merges = 0;
        int lowestActive = 0;
        while (merges < m - 1) {
            if (top == 0) {
                while (!active[lowestActive]) {
                    lowestActive++;
                }
                chain[top++] = lowestActive;
            }
            int a = chain[top - 1];
            int prev = top >= 2 ? chain[top - 2] : -1;
            int b = -1;
            float best = Float.POSITIVE_INFINITY;
            if (prev >= 0) {
                b = prev;
                best = dist[a * m + prev];
            }
            int row = a * m;
            for (int j = 0; j < m; j++) {
                if (j != a && active[j]) {
                    float v = dist[row + j];
                    if (v < best || (v == best && j < b && b != prev)) {
                        best = v;
                        b = j;
                    }
                }
            }
            if (b == prev) {
                top -= 2;
                int lo = Math.min(a, b);
                int hi = Math.max(a, b);
                left[merges] = lo;
                right[merges] = hi;
                heights[merges] = best;
                merges++;
                // Lance–Williams update for average linkage.
                double wa = size[lo];
                double wb = size[hi];
                for (int j = 0; j < m; j++) {
                    if (active[j] && j != lo && j != hi) {
                        float v = (float) ((wa * dist[lo * m + j] + wb * dist[hi * m + j]) / (wa + wb));
                        dist[lo * m + j] = v;
                        dist[j * m + lo] = v;
                    }
                }
                size[lo] += size[hi];
                active[hi] = false;
            } else {
                chain[top++] = b;
            }
        }
        return new Dendrogram(m, left, right, heights);
    }
}
