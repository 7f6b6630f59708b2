package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.List;
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

    /** Rows per sub-block in the blocked kernels: 256 rows × 512 floats ≈ 512 KiB stays in L2 across centres. */
    static final int SUB = 256;

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
     * {@code first..first+count-1}. Only during construction.
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
        float[][] tile = tiles[t];
        int rows = rowsIn(t);
        java.util.Arrays.fill(out, 0, rows, 0f);
        for (int k = 0; k < d; k++) {
            float ck = c[k];
            float[] col = tile[k];
            for (int r = 0; r < rows; r++) {
                float v = col[r] - ck;
                out[r] += v * v;
            }
        }
    }

    /**
     * Squared distances from the rows of tile {@code t} to four centres at once (rows {@code c0..c0+3} of the
     * row-major {@code centres}), each bit-identical to {@link #squaredDistances}: loading a column once for four
     * centres quarters the memory traffic.
     */
    void squaredDistances4(int t, float[] centres, int c0, float[] o0, float[] o1, float[] o2, float[] o3) {
        float[][] tile = tiles[t];
        int rows = rowsIn(t);
        java.util.Arrays.fill(o0, 0, rows, 0f);
        java.util.Arrays.fill(o1, 0, rows, 0f);
        java.util.Arrays.fill(o2, 0, rows, 0f);
        java.util.Arrays.fill(o3, 0, rows, 0f);
        int b0 = c0 * d;
        for (int r0 = 0; r0 < rows; r0 += SUB) {
            int r1 = Math.min(rows, r0 + SUB);
            for (int k = 0; k < d; k++) {
                float x0 = centres[b0 + k];
                float x1 = centres[b0 + d + k];
                float x2 = centres[b0 + 2 * d + k];
                float x3 = centres[b0 + 3 * d + k];
                float[] col = tile[k];
                for (int r = r0; r < r1; r++) {
                    float v = col[r];
                    float e0 = v - x0;
                    float e1 = v - x1;
                    float e2 = v - x2;
                    float e3 = v - x3;
                    o0[r] += e0 * e0;
                    o1[r] += e1 * e1;
                    o2[r] += e2 * e2;
                    o3[r] += e3 * e3;
                }
            }
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
     * Dot products of rows {@code r0..r1-1} of tile {@code t} with four centres (rows {@code c0..c0+3} of the
     * row-major {@code centres}); results land at the same indices {@code r} of the outputs, which must be zeroed
     * there by the caller.
     */
    void dots4(int t, int r0, int r1, float[] centres, int c0, float[] o0, float[] o1, float[] o2, float[] o3) {
        float[][] tile = tiles[t];
        int b0 = c0 * d;
        for (int k = 0; k < d; k++) {
            float x0 = centres[b0 + k];
            float x1 = centres[b0 + d + k];
            float x2 = centres[b0 + 2 * d + k];
            float x3 = centres[b0 + 3 * d + k];
            float[] col = tile[k];
            for (int r = r0; r < r1; r++) {
                float v = col[r];
                o0[r] += v * x0;
                o1[r] += v * x1;
                o2[r] += v * x2;
                o3[r] += v * x3;
            }
        }
    }

    /** Like {@link #dots4} for one centre. */
    void dots1(int t, int r0, int r1, float[] centres, int c0, float[] o0) {
        float[][] tile = tiles[t];
        int b0 = c0 * d;
        for (int k = 0; k < d; k++) {
            float x0 = centres[b0 + k];
            float[] col = tile[k];
            for (int r = r0; r < r1; r++) {
                o0[r] += col[r] * x0;
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
        if (groups == 1) {
            float[] scratch = new float[TILE];
            for (int t = 0; t < count; t++) {
                task.run(t, scratch);
            }
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) count * g / groups);
            int to = (int) ((long) count * (g + 1) / groups);
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    float[] scratch = new float[TILE];
                    for (int t = from; t < to; t++) {
                        task.run(t, scratch);
                    }
                }
            });
        }
        for (int g = 1; g < groups; g++) {
            actions.get(g).fork();
        }
        actions.get(0).invoke();
        for (int g = 1; g < groups; g++) {
            actions.get(g).join(); // rethrows a task's exception
        }
    }
}
