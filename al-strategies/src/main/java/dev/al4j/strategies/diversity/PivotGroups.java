package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed set of {@code m} vectors (k-center's labeled embeddings) grouped under pivots, for the exact squared
 * distance from many rows to their nearest vector of the set while computing only a few of the {@code m}
 * distances per row.
 *
 * <p>Construction: {@code G = min(m, ⌈2√m⌉)} pivots are chosen from the set by farthest-first traversal (starting at
 * vector 0, ties toward the lower index); every vector joins the group of its nearest pivot (the first one on ties),
 * and each group keeps its radius, the largest computed distance of a member to the pivot. A query row {@code x}
 * first gets its distances to all pivots; for a group with pivot {@code p} and radius {@code r} every member
 * {@code y} satisfies {@code ‖x − y‖ ≥ ‖x − p‖ − r} (triangle inequality), so when that lower bound, widened by the
 * float rounding error of the computed distances, exceeds the smallest distance found so far, none of the group's
 * members can lower the minimum and the group is skipped. Groups are visited from the one of the nearest pivot.
 * On clustered embeddings a row then computes its pivot distances and about one group's members instead of all
 * {@code m} distances.
 *
 * <p>Every distance is {@code Σ_k (x[k] − y[k])²} summed in float over {@code k} ascending, the textbook operations in
 * the textbook order (as {@link EmbeddingTiles#squaredDistances}), and a skip only ever drops distances that cannot
 * be the minimum, so each result is bit-identical to the minimum over all {@code m} textbook distances
 * ({@code PivotGroupsTest}). Rounding bound used for the skips: a computed sum {@code c} of {@code d} squared
 * differences and the exact value {@code t} satisfy {@code |c − t| ≤ (d + 2)·2⁻²⁴·t} (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2002, §3.1, for a recursive sum of non-negative terms, plus the rounding of
 * each difference and square); the code uses twice that, plus an absolute term for underflow.
 *
 * <p>When the skips save little (unclustered data: a tile's rows compute more than half of the {@code m} distances),
 * the remaining tiles of that thread compute all {@code m} distances in vectorised passes over whole tiles, with the
 * same values. Cost: O(G·m·d) to build; per query row O((G + visited members)·d), at worst O((G + m)·d) for one
 * tile and then O(m·d). Memory O(m·d). Immutable after construction; thread-safe.
 */
final class PivotGroups {

    private final int d;
    private final int m;
    private final int groups;
    /** The set, row-major {@code [m, d]}. */
    private final float[] rows;
    /**
     * The set reordered as the pivots (columns {@code 0..G-1}) followed by each group's other members, group after
     * group; column-major: {@code columns[k][j]} is coordinate {@code k} of reordered vector {@code j}.
     */
    private final float[][] columns;
    /** The same reordered vectors, row-major {@code [m, d]}. */
    private final float[] ordered;
    /** Group {@code g}'s members other than its pivot are reordered vectors {@code start[g]..start[g+1]-1}. */
    private final int[] start;
    /** Upper bound of the exact Euclidean distance of any member of group {@code g} to its pivot. */
    private final double[] radius;
    /** Relative rounding bound of a computed squared distance (see the class comment). */
    private final double eps;
    /** Absolute rounding slack for underflowing terms. */
    private final double abs;

    private PivotGroups(int d, float[] rows, float[][] columns, int groups, int[] start, double[] radius) {
        this.d = d;
        this.ordered = new float[rows.length];
        this.m = rows.length / d;
        this.rows = rows;
        this.columns = columns;
        this.groups = groups;
        this.start = start;
        this.radius = radius;
        this.eps = roundingBound(d);
        this.abs = underflowSlack(d);
    }

    /** Groups over the row-major {@code [m, d]} vectors {@code set} ({@code m ≥ 1}); the array is not copied. */
    static PivotGroups of(float[] set, int d) {
        Checks.checkPositive(d, "d");
        Checks.checkArgument(set.length > 0 && set.length % d == 0,
                "set must hold a positive whole number of rows of dimension %d, found %d floats", d, set.length);
        int m = set.length / d;
        float[][] byColumn = new float[d][m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                byColumn[k][j] = set[j * d + k];
            }
        }
        int wanted = Math.min(m, (int) Math.ceil(2 * Math.sqrt(m)));
        int[] pivots = new int[wanted];
        float[] nearest = new float[m]; // computed squared distance to the nearest pivot so far
        int[] owner = new int[m];
        float[] acc = new float[m];
        float[] p = new float[d];
        java.util.Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        int g = 0;
        int next = 0;
        while (true) {
            pivots[g] = next;
            System.arraycopy(set, next * d, p, 0, d);
            distancesToAll(p, byColumn, m, acc);
            for (int j = 0; j < m; j++) {
                if (acc[j] < nearest[j]) {
                    nearest[j] = acc[j];
                    owner[j] = g;
                }
            }
            g++;
            if (g == wanted) {
                break;
            }
            next = 0;
            for (int j = 1; j < m; j++) {
                if (nearest[j] > nearest[next]) {
                    next = j;
                }
            }
            if (!(nearest[next] > 0)) {
                break; // every vector coincides with a pivot: more pivots would add nothing
            }
        }
        int groups = g;
        int[] start = new int[groups + 1];
        int[] count = new int[groups];
        for (int j = 0; j < m; j++) {
            count[owner[j]]++;
        }
        start[0] = groups;
        for (int q = 0; q < groups; q++) {
            start[q + 1] = start[q] + count[q] - 1; // the pivot itself sits among the first G columns
        }
        float[][] columns = new float[d][m];
        double[] radius = new double[groups];
        int[] fill = java.util.Arrays.copyOf(start, groups);
        boolean[] isPivot = new boolean[m];
        for (int q = 0; q < groups; q++) {
            isPivot[pivots[q]] = true;
            for (int k = 0; k < d; k++) {
                columns[k][q] = byColumn[k][pivots[q]];
            }
        }
        PivotGroups shape = new PivotGroups(d, set, columns, groups, start, radius);
        for (int q = 0; q < groups; q++) {
            System.arraycopy(set, pivots[q] * d, shape.ordered, q * d, d);
        }
        for (int j = 0; j < m; j++) {
            int q = owner[j];
            radius[q] = Math.max(radius[q], Math.sqrt(shape.upper(nearest[j])));
            if (!isPivot[j]) {
                int at = fill[q]++;
                for (int k = 0; k < d; k++) {
                    columns[k][at] = byColumn[k][j];
                }
                System.arraycopy(set, j * d, shape.ordered, at * d, d);
            }
        }
        return shape;
    }

    /** Number of pivots. */
    int groupCount() {
        return groups;
    }

    /** {@code acc[j] = Σ_k (p[k] − columns[k][j])²} for {@code j < m}, in float over {@code k} ascending. */
    private static void distancesToAll(float[] p, float[][] columns, int m, float[] acc) {
        java.util.Arrays.fill(acc, 0, m, 0f);
        for (int k = 0; k < p.length; k++) {
            float pk = p[k];
            float[] col = columns[k];
            for (int j = 0; j < m; j++) {
                float v = pk - col[j];
                acc[j] += v * v;
            }
        }
    }

    /** The same sums against reordered vectors {@code from..to-1}, into {@code acc[from..to)}. */
    private void distances(float[] x, int from, int to, float[] acc) {
        java.util.Arrays.fill(acc, from, to, 0f);
        for (int k = 0; k < d; k++) {
            float xk = x[k];
            float[] col = columns[k];
            for (int j = from; j < to; j++) {
                float v = xk - col[j];
                acc[j] += v * v;
            }
        }
    }

    /** An upper bound of the exact squared distance whose computed value is {@code c}. */
    private double upper(float c) {
        return upper(c, eps, abs);
    }

    /** A lower bound of the exact squared distance whose computed value is {@code c}. */
    private double lower(float c) {
        return lower(c, eps, abs);
    }

    /**
     * The relative rounding bound {@code eps} of a float sum of {@code d} squared float differences, in any order of
     * summation (see the class comment: twice {@code (d + 2)·2⁻²⁴}); with {@link #underflowSlack} for
     * {@link #upper(float, double, double)} and {@link #lower(float, double, double)}. Shared with
     * {@link LloydKMeans}'s screens.
     */
    static double roundingBound(int d) {
        return 2.0 * (d + 2) * 0x1p-24;
    }

    /** The absolute rounding slack for underflowing terms of a sum of {@code d} squares. */
    static double underflowSlack(int d) {
        return 4.0 * d * Float.MIN_NORMAL;
    }

    /** An upper bound of the exact squared distance whose computed float value is {@code c}. */
    static double upper(float c, double eps, double abs) {
        return c / (1 - eps) + abs;
    }

    /** A lower bound of the exact squared distance whose computed float value is {@code c}. */
    static double lower(float c, double eps, double abs) {
        double v = c == Float.POSITIVE_INFINITY ? Float.MAX_VALUE : c; // an overflowed sum exceeded MAX_VALUE
        return Math.max(0, v / (1 + eps) - abs);
    }

    /**
     * The distance {@code ρ} such that a member whose exact distance is at least {@code ρ} has a computed distance
     * above {@code best}: {@code (1 − eps)·ρ² − abs > best} (with a relative nudge for the double rounding), or
     * infinity when the rounding bound says nothing.
     */
    private double reach(float best) {
        if (!(eps < 0.5)) {
            return Double.POSITIVE_INFINITY; // d of millions
        }
        return Math.sqrt((best + abs) / (1 - eps)) * (1 + 0x1p-40);
    }

    /**
     * Whether no member of group {@code q} can have a computed distance below the {@code best} behind
     * {@code reach}: the lower bound {@code ‖x − p‖ − r} of every member's exact distance exceeds {@code reach}.
     */
    private boolean skips(int q, float pivotDistance, double reach) {
        double bound = Math.sqrt(lower(pivotDistance)) - radius[q]; // ≤ exact distance to any member
        return bound > reach;
    }

    /**
     * {@code out[i] = min_j Σ_k (x_i[k] − y_j[k])²} (float, {@code k} ascending) over the set, for every row of
     * {@code x}, on up to {@code threads} threads; the values do not depend on the thread count.
     *
     * <p>Rows are taken {@value #BLOCK_TILES} tiles at a time: their pivot distances in whole-tile vectorised passes,
     * then the rows bucketed by nearest pivot and copied column-major, so that each group's members are compared
     * with a whole bucket in one vectorised pass (a few hundred rows at N = 10⁴ with 64 pivots) rather than row by
     * row; a group that only a few rows of a bucket cannot skip is done for those rows alone.
     *
     * @return the number of distances computed (pivots included), for tests and measurements
     */
    long nearestSquaredDistances(EmbeddingTiles x, int threads, float[] out) {
        Checks.checkArgument(x.dimension() == d, "x must have dimension %d, found %d", d, x.dimension());
        int blocks = (x.tileCount() + BLOCK_TILES - 1) / BLOCK_TILES;
        // Set once the skips saved little on some block; both paths compute the same values, so which blocks take
        // which path (it depends on thread timing) never changes a result.
        AtomicBoolean wholeTiles = new AtomicBoolean();
        AtomicLong total = new AtomicLong();
        EmbeddingTiles.inRanges(blocks, Math.max(1, Math.min(threads, blocks)), (from, to) -> {
            float[] scratch = new float[EmbeddingTiles.TILE];
            for (int block = from; block < to; block++) {
                int t0 = block * BLOCK_TILES;
                int t1 = Math.min(x.tileCount(), t0 + BLOCK_TILES);
                int rows = 0;
                for (int t = t0; t < t1; t++) {
                    rows += x.rowsIn(t);
                }
                if (wholeTiles.get()) {
                    for (int t = t0; t < t1; t++) {
                        allDistances(x, t, scratch, out, EmbeddingTiles.tileStart(t));
                    }
                    total.addAndGet((long) rows * m);
                    continue;
                }
                long computed = block(x, t0, t1, rows, scratch, out);
                total.addAndGet(computed);
                if (computed > (long) rows * m / 2) {
                    wholeTiles.set(true);
                }
            }
        });
        return total.get();
    }

    /** Rows per slice of a tile in the pivot passes: {@code 512 · 256} floats are 512 KiB. */
    private static final int SLICE = 256;

    /** Tiles per block of {@link #nearestSquaredDistances}. */
    static final int BLOCK_TILES = 8;

    /** The rows of tiles {@code t0..t1-1} ({@code n} rows); returns the number of distances computed. */
    private long block(EmbeddingTiles x, int t0, int t1, int n, float[] scratch, float[] out) {
        int base = EmbeddingTiles.tileStart(t0);
        float[][] pivotDistance = new float[groups][n];
        float[] y = new float[d];
        float[][] pivots = new float[groups][];
        for (int q = 0; q < groups; q++) {
            pivots[q] = java.util.Arrays.copyOfRange(ordered, q * d, (q + 1) * d);
        }
        for (int t = t0; t < t1; t++) {
            int rows = x.rowsIn(t);
            // All pivots against one slice of rows at a time: the slice's columns stay in the L2 cache.
            for (int from = 0; from < rows; from += SLICE) {
                int to = Math.min(rows, from + SLICE);
                for (int q = 0; q < groups; q++) {
                    x.squaredDistances(t, from, to, pivots[q], scratch);
                    System.arraycopy(scratch, from, pivotDistance[q], EmbeddingTiles.tileStart(t) - base + from,
                            to - from);
                }
            }
        }
        long computed = (long) groups * n;
        // Bucket the rows by nearest pivot (the first on ties): a counting sort.
        int[] own = new int[n];
        int[] bucketStart = new int[groups + 1];
        for (int r = 0; r < n; r++) {
            int o = 0;
            for (int q = 1; q < groups; q++) {
                if (pivotDistance[q][r] < pivotDistance[o][r]) {
                    o = q;
                }
            }
            own[r] = o;
            bucketStart[o + 1]++;
        }
        int largest = 0;
        for (int q = 0; q < groups; q++) {
            largest = Math.max(largest, bucketStart[q + 1]);
            bucketStart[q + 1] += bucketStart[q];
        }
        int[] order = new int[n];
        int[] fill = java.util.Arrays.copyOf(bucketStart, groups);
        for (int r = 0; r < n; r++) {
            order[fill[own[r]]++] = r;
        }
        float[][] bucket = new float[d][largest]; // column-major copy of a bucket's rows
        float[] best = new float[largest];
        float[] acc = new float[Math.max(largest, m)];
        float[] row = new float[d];
        int[] needing = new int[largest];
        double[] reach = new double[largest];
        for (int g = 0; g < groups; g++) {
            int size = bucketStart[g + 1] - bucketStart[g];
            if (size == 0) {
                continue;
            }
            for (int q = 0; q < size; q++) {
                int i = base + order[bucketStart[g] + q];
                float[][] tile = x.tileColumns(i / EmbeddingTiles.TILE);
                int r = i % EmbeddingTiles.TILE;
                for (int k = 0; k < d; k++) {
                    bucket[k][q] = tile[k][r];
                }
                best[q] = pivotDistance[g][i - base];
            }
            for (int q = 0; q < size; q++) {
                reach[q] = reach(best[q]);
            }
            for (int v = -1; v < groups; v++) {
                int q = v < 0 ? g : v; // the bucket's own group first, then the others
                if (v == 0) {
                    for (int j = 0; j < size; j++) {
                        reach[j] = reach(best[j]); // tighter after the own group's members
                    }
                }
                int members = start[q + 1] - start[q];
                if (v == g || members == 0) {
                    continue;
                }
                int need = 0;
                float[] toPivot = pivotDistance[q];
                for (int j = 0; j < size; j++) {
                    if (!skips(q, toPivot[order[bucketStart[g] + j]], reach[j])) {
                        needing[need++] = j;
                    }
                }
                if (need == 0) {
                    continue;
                }
                if (4 * need >= size) {
                    // Most rows need this group: the whole bucket, vectorised over its rows (the values of rows
                    // that could skip are true distances too, so taking their minimum changes nothing).
                    for (int j = start[q]; j < start[q + 1]; j++) {
                        System.arraycopy(ordered, j * d, y, 0, d);
                        bucketDistances(bucket, size, y, acc);
                        for (int r = 0; r < size; r++) {
                            best[r] = Math.min(best[r], acc[r]);
                        }
                    }
                    computed += (long) members * size;
                } else {
                    for (int e = 0; e < need; e++) {
                        int r = needing[e];
                        for (int k = 0; k < d; k++) {
                            row[k] = bucket[k][r];
                        }
                        distances(row, start[q], start[q + 1], acc);
                        for (int j = start[q]; j < start[q + 1]; j++) {
                            best[r] = Math.min(best[r], acc[j]);
                        }
                    }
                    computed += (long) members * need;
                }
            }
            for (int q = 0; q < size; q++) {
                out[base + order[bucketStart[g] + q]] = best[q];
            }
        }
        return computed;
    }

    /** {@code acc[r] = Σ_k (bucket[k][r] − y[k])²} for {@code r < size}, in float over {@code k} ascending. */
    private static void bucketDistances(float[][] bucket, int size, float[] y, float[] acc) {
        java.util.Arrays.fill(acc, 0, size, 0f);
        for (int k = 0; k < y.length; k++) {
            float yk = y[k];
            float[] col = bucket[k];
            for (int r = 0; r < size; r++) {
                float v = col[r] - yk;
                acc[r] += v * v;
            }
        }
    }

    /** Every row of tile {@code t} against all {@code m} vectors, in whole-tile vectorised passes. */
    private void allDistances(EmbeddingTiles x, int t, float[] scratch, float[] out, int base) {
        int n = x.rowsIn(t);
        java.util.Arrays.fill(out, base, base + n, Float.POSITIVE_INFINITY);
        float[] y = new float[d];
        for (int j = 0; j < m; j++) {
            System.arraycopy(rows, j * d, y, 0, d);
            x.squaredDistances(t, y, scratch);
            for (int r = 0; r < n; r++) {
                out[base + r] = Math.min(out[base + r], scratch[r]);
            }
        }
    }
}
