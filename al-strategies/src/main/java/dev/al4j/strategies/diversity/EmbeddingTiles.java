package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import java.util.concurrent.RecursiveAction;

/**
 * {@code n} float vectors of dimension {@code d}, stored in tiles of {@link #TILE} rows, each tile column-major: a
 * tile is {@code float[d][TILE]} (the last one narrower) and {@code tiles[t][k][r]} is coordinate {@code k} of row {@code t * TILE + r}.
 *
 * <p>Why this layout: a distance or dot product from every row to one vector then becomes, for each coordinate
 * {@code k}, {@code acc[r] += f(col[k][r], c[k])} over {@code r} — an element-wise loop that HotSpot's C2 compiler
 * vectorises (AVX2/AVX-512), whereas a row-major dot product is a float reduction it does not vectorise. Each column is
 * its own array indexed like the accumulator, so C2 need not prove the two arrays apart. A tile's columns are
 * allocated together, so a tile is nearly contiguous; tiles are the unit of parallel work.
 *
 * <p>Memory: {@code 4 · n · d} bytes plus one array header per tile column. Immutable after construction; thread-safe for reading.
 */
final class EmbeddingTiles {

    /** Rows per tile. */
    static final int TILE = 1024;

    /** Centres per ND4J gemm in {@link #minSquaredDistances}: a {@code [2048, 1024]} float product is 8 MiB. */
    static final int GEMM_BLOCK = 2048;

    private final int n;
    private final int d;
    private final float[][][] tiles;

    private EmbeddingTiles(int n, int d, float[][][] tiles) {
        this.n = n;
        this.d = d;
        this.tiles = tiles;
    }

    /** Empty tiles for {@code n} rows of dimension {@code d}, to be filled with {@link #setRows}. */
    static EmbeddingTiles allocate(int n, int d) {
        Checks.checkNonNegative(n, "n");
        Checks.checkPositive(d, "d");
        int count = (n + TILE - 1) / TILE;
        float[][][] tiles = new float[count][][];
        for (int t = 0; t < count; t++) {
            tiles[t] = new float[d][Math.min(TILE, n - t * TILE)]; // the last tile is only as wide as its rows
        }
        return new EmbeddingTiles(n, d, tiles);
    }

    /** Tiles over the row-major {@code [n, d]} matrix {@code rows}. */
    static EmbeddingTiles ofRows(float[] rows, int n, int d) {
        EmbeddingTiles e = allocate(n, d);
        e.setRows(0, rows, 0, n);
        return e;
    }

    /**
     * Copies {@code count} row-major rows of {@code src} (starting at row {@code srcRow}) into rows
     * {@code first..first+count-1}. Only while no other thread reads these rows (construction, or scratch tiles that
     * one query refills).
     */
    void setRows(int first, float[] src, int srcRow, int count) {
        // Blocks of 16 rows: each column write then fills one 64-byte cache line instead of touching d lines per row.
        for (int j0 = 0; j0 < count; ) {
            int i0 = first + j0;
            int r0 = i0 % TILE;
            int block = Math.min(Math.min(16, count - j0), TILE - r0);
            float[][] tile = tiles[i0 / TILE];
            int base = (srcRow + j0) * d;
            for (int k = 0; k < d; k++) {
                float[] col = tile[k];
                for (int j = 0; j < block; j++) {
                    col[r0 + j] = src[base + j * d + k];
                }
            }
            j0 += block;
        }
    }

    int size() {
        return n;
    }

    int dimension() {
        return d;
    }

    int tileCount() {
        return tiles.length;
    }

    /** The columns of tile {@code t} ({@code [d][rowsIn(t)]}); read only. */
    float[][] tileColumns(int t) {
        return tiles[t];
    }

    /** Tile {@code t} as a new float ND4J matrix {@code [d, rowsIn(t)]} (the transpose of its rows). */
    INDArray tileMatrix(int t) {
        return Nd4j.create(tiles[t]);
    }

    /**
     * For every row {@code x} of tile {@code t}, {@code min_j (‖x‖² + ‖y_j‖² − 2 x·y_j)} over the rows {@code y_j} of
     * {@code centres}, clamped at 0, written to {@code out[0..rowsIn(t))}. The dot products are one ND4J gemm
     * ({@code centres · tileᵀ}) per block of {@value #GEMM_BLOCK} centres: OpenBLAS's register-blocked kernels run
     * several times faster than any loop C2 vectorises here (BLAS threads do the parallel work).
     *
     * @param centres {@code [m, d]} float matrix
     * @param centreNorms {@code ‖y_j‖²} of the {@code m} centres
     * @param rowNorms {@code ‖x‖²} of every row of these tiles
     */
    void minSquaredDistances(int t, INDArray tile, INDArray centres, float[] centreNorms, double[] rowNorms,
            float[] out) {
        int rows = rowsIn(t);
        int base = tileStart(t);
        java.util.Arrays.fill(out, 0, rows, Float.POSITIVE_INFINITY);
        long m = centres.rows();
        for (long from = 0; from < m; from += GEMM_BLOCK) {
            long to = Math.min(m, from + GEMM_BLOCK);
            INDArray block = m <= GEMM_BLOCK ? centres
                    : centres.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            float[] products = QueryOutputs.toFloats(block.mmul(tile)); // row-major [block, rows]
            float[] norms = centreNorms;
            // ‖y_j‖² − 2 x·y_j in float, one rounding (the product by −2 is exact), then the minimum over j: the same
            // operations ND4J's muli(-2), addiColumnVector and min(0) perform, without three passes through ND4J.
            for (int j = 0, at = 0; j < to - from; j++) {
                float yj = norms[(int) from + j];
                for (int r = 0; r < rows; r++, at++) {
                    float v = yj + -2f * products[at];
                    if (v < out[r]) {
                        out[r] = v;
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            out[r] = (float) Math.max(0.0, rowNorms[base + r] + out[r]);
        }
    }

    /** First row of tile {@code t}. */
    static int tileStart(int t) {
        return t * TILE;
    }

    /** Number of real rows in tile {@code t}. */
    int rowsIn(int t) {
        return Math.min(TILE, n - t * TILE);
    }

    /** A copy of row {@code i}. */
    float[] row(int i) {
        float[] out = new float[d];
        copyRow(i, out, 0);
        return out;
    }

    /** Copies row {@code i} into {@code dst[offset..offset+d)}. */
    void copyRow(int i, float[] dst, int offset) {
        float[][] tile = tiles[i / TILE];
        int r = i % TILE;
        for (int k = 0; k < d; k++) {
            dst[offset + k] = tile[k][r];
        }
    }

    /**
     * Copies rows {@code first..first+count-1}, row-major, into {@code dst[0..count·d)}: the inverse of
     * {@link #setRows}, 16 rows per pass over the columns so that each column read fills a cache line's worth of rows
     * (a row at a time reads {@code d} lines for one value each).
     */
    void copyRows(int first, int count, float[] dst) {
        for (int j0 = 0; j0 < count; ) {
            int i0 = first + j0;
            int r0 = i0 % TILE;
            int block = Math.min(Math.min(16, count - j0), TILE - r0);
            float[][] tile = tiles[i0 / TILE];
            int base = j0 * d;
            for (int k = 0; k < d; k++) {
                float[] col = tile[k];
                for (int j = 0; j < block; j++) {
                    dst[base + j * d + k] = col[r0 + j];
                }
            }
            j0 += block;
        }
    }

    /** Squared Euclidean norms of every row, accumulated in double. */
    double[] squaredNorms() {
        double[] out = new double[n];
        for (int t = 0; t < tiles.length; t++) {
            int rows = rowsIn(t);
            double[] acc = new double[rows];
            for (int k = 0; k < d; k++) {
                float[] col = tiles[t][k];
                for (int r = 0; r < rows; r++) {
                    double v = col[r];
                    acc[r] += v * v;
                }
            }
            System.arraycopy(acc, 0, out, tileStart(t), rows);
        }
        return out;
    }

    /**
     * {@code out[r] = Σ_k (x[r][k] − c[k])²} for the rows of tile {@code t}, summed in float over {@code k}
     * ascending: the same operations, in the same order, as the textbook loop, so the result is bit-identical to it.
     */
    void squaredDistances(int t, float[] c, float[] out) {
        squaredDistances(t, 0, rowsIn(t), c, out);
    }

    /**
     * {@link #squaredDistances(int, float[], float[])} for the rows {@code from..to-1} of tile {@code t} only, into
     * {@code out[from..to)}; a range of a few hundred rows keeps its {@code d} columns in the L2 cache while several
     * vectors are compared with it.
     */
    void squaredDistances(int t, int from, int to, float[] c, float[] out) {
        float[][] tile = tiles[t];
        java.util.Arrays.fill(out, from, to, 0f);
        int k = 0;
        // Four coordinates per pass over the rows: out[r] is loaded and stored once per four terms, which are still
        // added one after the other in k order (Java evaluates a += ...; left to right), so the sums are unchanged.
        for (; k + 3 < d; k += 4) {
            float c0 = c[k];
            float c1 = c[k + 1];
            float c2 = c[k + 2];
            float c3 = c[k + 3];
            float[] col0 = tile[k];
            float[] col1 = tile[k + 1];
            float[] col2 = tile[k + 2];
            float[] col3 = tile[k + 3];
            for (int r = from; r < to; r++) {
                float v0 = col0[r] - c0;
                float v1 = col1[r] - c1;
                float v2 = col2[r] - c2;
                float v3 = col3[r] - c3;
                float a = out[r];
                a += v0 * v0;
                a += v1 * v1;
                a += v2 * v2;
                a += v3 * v3;
                out[r] = a;
            }
        }
        for (; k < d; k++) {
            float ck = c[k];
            float[] col = tile[k];
            for (int r = from; r < to; r++) {
                float v = col[r] - ck;
                out[r] += v * v;
            }
        }
    }

    /**
     * {@code min_j Σ_k (x_i[k] − c_j[k])²} over the centres {@code from..to-1} of {@code centreColumns} (coordinate
     * {@code k} of centre {@code j} at {@code [k][j]}), each sum in float over {@code k} ascending, as
     * {@link #squaredDistances}, so bit-identical to it; vectorised over the centres. {@code row} ({@code d} floats)
     * and {@code acc} (at least {@code to} floats) are scratch. The single-row refresh of k-center's and k-means++'s
     * lazy bounds.
     */
    float minSquaredDistance(int i, float[][] centreColumns, int from, int to, float[] row, float[] acc) {
        copyRow(i, row, 0);
        java.util.Arrays.fill(acc, from, to, 0f);
        for (int k = 0; k < d; k++) {
            float xk = row[k];
            float[] col = centreColumns[k];
            for (int j = from; j < to; j++) {
                float v = xk - col[j];
                acc[j] += v * v;
            }
        }
        float best = Float.POSITIVE_INFINITY;
        for (int j = from; j < to; j++) {
            best = Math.min(best, acc[j]);
        }
        return best;
    }

    /** Receives one row's value; called from several threads at once, never twice for one row. */
    interface RowValue {
        void accept(int row, float value);
    }

    /**
     * {@code Σ_k (x[i][k] − c[k])²} for the rows {@code rows[0..count)} (ascending), summed in float over {@code k}
     * ascending exactly as {@link #squaredDistances}, so each value is bit-identical to it. Rows of one tile are done
     * eight at a time (eight independent sums per coordinate); the list is split over up to {@code parallelism}
     * threads when it is long.
     */
    void squaredDistancesOfRows(int[] rows, int count, float[] c, int parallelism, RowValue out) {
        int groups = count >= 2048 ? Math.max(1, parallelism) : 1;
        inRanges(count, groups, (from, to) -> squaredDistancesOfRows(rows, from, to, c, out));
    }

    private void squaredDistancesOfRows(int[] rows, int from, int to, float[] c, RowValue out) {
        int[] r = new int[8];
        float[] acc = new float[8];
        for (int at = from; at < to; ) {
            int t = rows[at] / TILE;
            int g = 0;
            while (g < 8 && at + g < to && rows[at + g] / TILE == t) {
                r[g] = rows[at + g] % TILE;
                g++;
            }
            float[][] tile = tiles[t];
            if (g == 8) {
                int r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4], r5 = r[5], r6 = r[6], r7 = r[7];
                float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
                for (int k = 0; k < d; k++) {
                    float[] col = tile[k];
                    float ck = c[k];
                    float v0 = col[r0] - ck;
                    float v1 = col[r1] - ck;
                    float v2 = col[r2] - ck;
                    float v3 = col[r3] - ck;
                    float v4 = col[r4] - ck;
                    float v5 = col[r5] - ck;
                    float v6 = col[r6] - ck;
                    float v7 = col[r7] - ck;
                    a0 += v0 * v0;
                    a1 += v1 * v1;
                    a2 += v2 * v2;
                    a3 += v3 * v3;
                    a4 += v4 * v4;
                    a5 += v5 * v5;
                    a6 += v6 * v6;
                    a7 += v7 * v7;
                }
                acc[0] = a0;
                acc[1] = a1;
                acc[2] = a2;
                acc[3] = a3;
                acc[4] = a4;
                acc[5] = a5;
                acc[6] = a6;
                acc[7] = a7;
            } else {
                java.util.Arrays.fill(acc, 0f);
                for (int k = 0; k < d; k++) {
                    float[] col = tile[k];
                    float ck = c[k];
                    for (int j = 0; j < g; j++) {
                        float v = col[r[j]] - ck;
                        acc[j] += v * v;
                    }
                }
            }
            for (int j = 0; j < g; j++) {
                out.accept(rows[at + j], acc[j]);
            }
            at += g;
        }
    }

    /** {@code out[r] = Σ_k x[r][k] · c[k]} for the rows of tile {@code t}, summed in float over {@code k}. */
    void dots(int t, float[] c, float[] out) {
        float[][] tile = tiles[t];
        int rows = rowsIn(t);
        java.util.Arrays.fill(out, 0, rows, 0f);
        for (int k = 0; k < d; k++) {
            float ck = c[k];
            float[] col = tile[k];
            for (int r = 0; r < rows; r++) {
                out[r] += col[r] * ck;
            }
        }
    }

    /**
     * The projection of every row onto the {@code m} columns of the row-major {@code [d, m]} matrix {@code basis}:
     * {@code y[r][j] = Σ_k x[r][k] · basis[k][j]}. Cost O(n·d·m).
     */
    EmbeddingTiles project(float[] basis, int m) {
        float[][][] out = new float[tiles.length][][];
        for (int t = 0; t < tiles.length; t++) {
            float[][] src = tiles[t];
            int width = rowsIn(t);
            float[][] dst = new float[m][width];
            for (int j = 0; j < m; j++) {
                float[] y = dst[j];
                for (int k = 0; k < d; k++) {
                    float w = basis[k * m + j];
                    float[] col = src[k];
                    for (int r = 0; r < width; r++) {
                        y[r] += col[r] * w;
                    }
                }
            }
            out[t] = dst;
        }
        return new EmbeddingTiles(n, m, out);
    }

    /** Work on one tile; {@code scratch} is a per-task buffer of {@link #TILE} floats. */
    interface TileTask {
        void run(int tile, float[] scratch);
    }

    /**
     * Runs {@code task} for every tile, on up to {@code parallelism} threads (the caller's and the common
     * fork-join pool's). Tiles are split into contiguous groups, so each task's work does not depend on the thread
     * count; callers combine per-tile results in tile order, so results are the same for every parallelism.
     */
    void forEachTile(int parallelism, TileTask task) {
        int count = tiles.length;
        int groups = Math.max(1, Math.min(parallelism, count));
        inRanges(count, groups, (from, to) -> {
            float[] scratch = new float[TILE];
            for (int t = from; t < to; t++) {
                task.run(t, scratch);
            }
        });
    }

    /** Work on the index range {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Splits {@code [0, count)} into {@code groups} contiguous ranges and runs {@code task} on each, in the calling
     * thread when there is one group, else one range here and the others forked on the common pool; returns when all
     * are done and rethrows a range's exception.
     */
    static void inRanges(int count, int groups, RangeTask task) {
        if (groups <= 1) {
            task.run(0, count);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) count * g / groups);
            int to = (int) ((long) count * (g + 1) / groups);
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    task.run(from, to);
                }
            });
        }
        for (int g = 1; g < groups; g++) {
            actions.get(g).fork();
        }
        actions.get(0).invoke();
        for (int g = 1; g < groups; g++) {
            actions.get(g).join();
        }
    }
}
