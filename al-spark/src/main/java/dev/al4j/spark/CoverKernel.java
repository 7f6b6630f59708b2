package dev.al4j.spark;

import java.util.Arrays;

/**
 * The k-center arithmetic on row-major float rows, shared by both modes of {@link KCenterOnSpark}: squared Euclidean
 * distances summed in float over the coordinates in ascending order (the order of al-strategies' {@code KCenterGreedy}
 * picks), running minima, the farthest row (ties toward the lower id) and the sequential greedy. Stateless.
 */
final class CoverKernel {

    private CoverKernel() {}

    /** {@code Σ_k (x[xo+k] − c[co+k])²} in float, {@code k} ascending. */
    static float squaredDistance(float[] x, int xo, float[] c, int co, int d) {
        float acc = 0f;
        for (int k = 0; k < d; k++) {
            float v = x[xo + k] - c[co + k];
            acc += v * v;
        }
        return acc;
    }

    /** {@code minDist[i] = min(minDist[i], min_j dist(x_i, c_j))} over the centres {@code from..to-1}. O(n·(to−from)·d). */
    static void refresh(float[] x, int n, int d, float[] minDist, float[] centres, int from, int to) {
        for (int i = 0; i < n; i++) {
            float best = minDist[i];
            for (int j = from; j < to; j++) {
                best = Math.min(best, squaredDistance(x, i * d, centres, j * d, d));
            }
            minDist[i] = best;
        }
    }

    /**
     * The position of the row with the largest {@code minDist} among those not {@code skip}ped, ties toward the lower
     * id; -1 when none is left.
     */
    static int farthest(float[] minDist, long[] ids, int n, boolean[] skip) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if ((skip == null || !skip[i]) && (best < 0 || minDist[i] > minDist[best]
                    || (minDist[i] == minDist[best] && ids[i] < ids[best]))) {
                best = i;
            }
        }
        return best;
    }

    /** The position of the row nearest {@code point} ({@code d} floats), ties toward the lower id; -1 if n == 0. */
    static int nearest(float[] x, long[] ids, int n, int d, float[] point) {
        int best = -1;
        float bestDist = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float dist = squaredDistance(x, i * d, point, 0, d);
            if (best < 0 || dist < bestDist || (dist == bestDist && ids[i] < ids[best])) {
                best = i;
                bestDist = dist;
            }
        }
        return best;
    }

    /** The sum of the rows in double, coordinate by coordinate. */
    static double[] sum(float[] x, int n, int d) {
        double[] s = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                s[k] += x[i * d + k];
            }
        }
        return s;
    }

    /** The mean {@code sum / count} rounded to float, as {@code KCenterGreedy} rounds it. */
    static float[] mean(double[] sum, long count) {
        float[] m = new float[sum.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = (float) (sum[k] / count);
        }
        return m;
    }

    /** Positions picked in order and each one's squared distance to the nearest earlier centre. */
    record Picks(int[] rows, float[] squaredRadii) {}

    /**
     * Greedy k-center on the {@code n} rows of {@code x}: {@code min(b, n)} picks, each the row farthest from the
     * nearest of the {@code c} fixed {@code centres} and the earlier picks (ties toward the lower id); with no fixed
     * centre the first pick is the row nearest the rows' mean (squared radius +∞). O(n·(c + b)·d) time, O(n) memory.
     */
    static Picks greedy(float[] x, long[] ids, int n, int d, float[] centres, int c, int b) {
        int m = Math.min(b, n);
        int[] rows = new int[m];
        float[] radii = new float[m];
        if (m == 0) {
            return new Picks(rows, radii);
        }
        float[] minDist = new float[n];
        Arrays.fill(minDist, Float.POSITIVE_INFINITY);
        refresh(x, n, d, minDist, centres, 0, c);
        boolean[] picked = new boolean[n];
        float[] row = new float[d];
        for (int p = 0; p < m; p++) {
            int pick = p == 0 && c == 0 ? nearest(x, ids, n, d, mean(sum(x, n, d), n))
                    : farthest(minDist, ids, n, picked);
            rows[p] = pick;
            radii[p] = minDist[pick];
            picked[pick] = true;
            System.arraycopy(x, pick * d, row, 0, d);
            refresh(x, n, d, minDist, row, 0, 1);
        }
        return new Picks(rows, radii);
    }
}
