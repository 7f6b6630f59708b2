package dev.al4j.strategies.diversity;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hierarchical agglomerative clustering with average linkage (UPGMA: the distance between two clusters is the mean
 * Euclidean distance between their members) by the nearest-neighbour-chain algorithm (Murtagh 1983), which gives
 * the same dendrogram as merging the closest pair each step because average linkage is reducible. Ties break toward
 * the lower index.
 *
 * <p>Cost: O(M²·d) for the distances (ND4J gemm) and O(M²) for the merges; memory {@code 4·M²} bytes for the full distance
 * matrix. That quadratic memory is why {@link ClusterMargin} caps M.
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

    /**
     * Euclidean distances between all rows of {@code x} as a full row-major {@code [M, M]} matrix, from
     * {@code ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y} (dot products by ND4J gemm, one per tile; clamped at 0 against float
     * cancellation, diagonal exactly 0); {@code ClusterMarginTest.linkageEqualsTheNaiveAlgorithm} checks the
     * clustering against one built from textbook distances.
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
        for (int t = 0; t < x.tileCount(); t++) {
            int count = x.rowsIn(t);
            int base = EmbeddingTiles.tileStart(t);
            float[] dots = ModelOutputs.toFloats(all.mmul(x.tileMatrix(t))); // [m, count]: x_j · x_(base + r)
            for (int j = 0; j < m; j++) {
                for (int r = 0; r < count; r++) {
                    int i = base + r;
                    double sq = norms[i] + norms[j] - 2.0 * dots[j * count + r];
                    dist[i * m + j] = i == j ? 0f : (float) Math.sqrt(Math.max(0.0, sq));
                }
            }
        }
        // Symmetrise: the two triangles can differ in the last bit.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                float v = Math.min(dist[i * m + j], dist[j * m + i]);
                dist[i * m + j] = v;
                dist[j * m + i] = v;
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
