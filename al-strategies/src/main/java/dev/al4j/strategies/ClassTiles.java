package dev.al4j.strategies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The matrix products of the class-conditional feature strategies (FeatureSim's cosines, DFM's projections), blocked
 * for the cache and run on every processor, in plain Java: a chunk of candidate rows is split by predicted class into
 * {@link Unit}s of at most a tile of rows; a worker copies a unit's rows into a column-major tile
 * ({@code columns[k][r]} is feature {@code k} of the unit's row {@code r}) and runs a kernel on it.
 *
 * <p>Why this layout: the products become, for each feature {@code k}, element-wise loops over the tile's rows
 * ({@code acc[r] += col_k[r]·w_k}), which HotSpot's C2 vectorises (AVX2/AVX-512), whereas a row-major dot product is
 * a floating-point reduction it does not vectorise. Each pass over a tile adds four features at once,
 * {@code acc[r] += (col_k[r]·w_k + col_k+1[r]·w_k+1) + (col_k+2[r]·w_k+2 + col_k+3[r]·w_k+3)}, which loads the
 * accumulator a quarter as often as one feature per pass (about 1.5× faster here, measured). Updating two output
 * rows in one loop is not vectorised by C2 in JDK 17 (measured 3× slower), so the kernels reuse what sits in the L1
 * cache by their loop order instead: the four columns of a pass serve a block of labeled rows or directions, one
 * accumulator row each, before the next four columns are read ({@link #maxDots}, {@link #residualNorms}; this does not
 * change any row's operations or their order). The operations on a row do not depend on where the row sits in its
 * tile, which tile or chunk it is in, or which thread runs it (Java does not fuse or reorder floating-point operations, vectorised or not), so every row's
 * value is a pure function of the row: identical rows get identical scores and ties still break by id, for every
 * chunking and thread count. Where the Vector API is on, {@link MaxDotsSimd} runs {@code maxDots} with its
 * accumulators in vector registers instead, the same operations on each row in the same order (the same bits).
 *
 * <p>This is the idea of the diversity package's {@code EmbeddingTiles} (column-major tiles that C2 vectorises),
 * applied to tiles gathered per predicted class and per chunk rather than kept for a whole query; those tiles are not
 * visible from this package, and their per-vector {@code dots} pass loads the accumulator once per feature.
 */
final class ClassTiles {

    /** Rows per tile of {@link #maxDots} (1 MB of float features at {@code d = 512}, about the L2 cache). */
    static final int FLOAT_TILE = 512;

    /** Rows per tile of {@link #residualNorms} (512 KB of double features at {@code d = 512}). */
    static final int DOUBLE_TILE = 128;

    /** Multiply-adds below which a chunk is scored on the calling thread only (fork/join costs tens of µs). */
    static final long PARALLEL_WORK = 1L << 22;

    private ClassTiles() {}

    /** Up to a tile of rows of one chunk, all predicted as class {@code cls}: chunk positions {@code rows[from, to)}. */
    record Unit(int cls, int[] rows, int from, int to) {
        int width() {
            return to - from;
        }
    }

    /** The rows {@code [0, count)} of a chunk grouped by class (ascending) and cut into units of at most {@code tile}. */
    static List<Unit> units(int[] predicted, int k, int tile) {
        int[][] byClass = LabeledAndCandidates.groupByClass(predicted, k);
        List<Unit> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            for (int from = 0; from < byClass[c].length; from += tile) {
                out.add(new Unit(c, byClass[c], from, Math.min(byClass[c].length, from + tile)));
            }
        }
        return out;
    }

    /** Work on one unit with a worker's own scratch. */
    @FunctionalInterface
    interface UnitTask<S> {
        void run(Unit unit, S scratch);
    }

    /**
     * Runs {@code task} on every unit: on the calling thread when {@code work} (multiply-adds) is below
     * {@link #PARALLEL_WORK}, else on up to {@code scratch.length} threads (the caller's and the common fork-join
     * pool's) that take units in turn. Worker {@code g} uses {@code scratch[g]}, created on first use, so a query
     * allocates its scratch once whatever the number of chunks. Returns when every unit is done.
     */
    static <S> void run(List<Unit> units, long work, S[] scratch, IntFunction<S> create, UnitTask<S> task) {
        int workers = work < PARALLEL_WORK ? 1 : Math.max(1, Math.min(scratch.length, units.size()));
        AtomicInteger next = new AtomicInteger();
        IntStream.range(0, workers).parallel().forEach(g -> {
            S s;
            synchronized (scratch) {
                if (scratch[g] == null) {
                    scratch[g] = create.apply(g);
                }
                s = scratch[g];
            }
            for (int u = next.getAndIncrement(); u < units.size(); u = next.getAndIncrement()) {
                task.run(units.get(u), s);
            }
        });
    }

    /** Copies the unit's rows of the row-major {@code [*, d]} chunk into {@code columns[k][0..width)}. */
    static void gather(float[] rows, int d, Unit unit, float[][] columns) {
        int[] at = unit.rows;
        // Blocks of 8 rows, unrolled: each column write fills half a 64-byte cache line instead of touching d lines
        // per row, and the 8 row offsets stay in registers (about 1.3× faster than a loop over 16 rows, measured).
        int j0 = unit.from;
        for (; j0 + 7 < unit.to; j0 += 8) {
            int r = j0 - unit.from;
            int b0 = at[j0] * d, b1 = at[j0 + 1] * d, b2 = at[j0 + 2] * d, b3 = at[j0 + 3] * d;
            int b4 = at[j0 + 4] * d, b5 = at[j0 + 5] * d, b6 = at[j0 + 6] * d, b7 = at[j0 + 7] * d;
            for (int k = 0; k < d; k++) {
                float[] col = columns[k];
                col[r] = rows[b0 + k];
                col[r + 1] = rows[b1 + k];
                col[r + 2] = rows[b2 + k];
                col[r + 3] = rows[b3 + k];
                col[r + 4] = rows[b4 + k];
                col[r + 5] = rows[b5 + k];
                col[r + 6] = rows[b6 + k];
                col[r + 7] = rows[b7 + k];
            }
        }
        for (; j0 < unit.to; j0++) {
            int r = j0 - unit.from;
            for (int k = 0, b = at[j0] * d; k < d; k++) {
                columns[k][r] = rows[b + k];
            }
        }
    }

    /**
     * Copies the unit's rows into {@code columns[k][0..width)} as doubles less {@code mean[k]} (exact conversion, one
     * rounding for the difference).
     */
    static void gatherCentred(float[] rows, int d, Unit unit, double[] mean, double[][] columns) {
        int[] at = unit.rows;
        int j0 = unit.from;
        for (; j0 + 7 < unit.to; j0 += 8) { // as gather
            int r = j0 - unit.from;
            int b0 = at[j0] * d, b1 = at[j0 + 1] * d, b2 = at[j0 + 2] * d, b3 = at[j0 + 3] * d;
            int b4 = at[j0 + 4] * d, b5 = at[j0 + 5] * d, b6 = at[j0 + 6] * d, b7 = at[j0 + 7] * d;
            for (int k = 0; k < d; k++) {
                double[] col = columns[k];
                double m = mean[k];
                col[r] = rows[b0 + k] - m;
                col[r + 1] = rows[b1 + k] - m;
                col[r + 2] = rows[b2 + k] - m;
                col[r + 3] = rows[b3 + k] - m;
                col[r + 4] = rows[b4 + k] - m;
                col[r + 5] = rows[b5 + k] - m;
                col[r + 6] = rows[b6 + k] - m;
                col[r + 7] = rows[b7 + k] - m;
            }
        }
        for (; j0 < unit.to; j0++) {
            int r = j0 - unit.from;
            for (int k = 0, b = at[j0] * d; k < d; k++) {
                columns[k][r] = rows[b + k] - mean[k];
            }
        }
    }

    /**
     * {@code out[r] = Σ_k x[r][k]²} in float for the {@code w} rows of the tile, four features per pass as in the
     * class comment.
     */
    static void squaredNorms(float[][] columns, int w, int d, float[] out) {
        Arrays.fill(out, 0, w, 0f);
        int k = 0;
        for (; k + 3 < d; k += 4) {
            float[] a0 = columns[k], a1 = columns[k + 1], a2 = columns[k + 2], a3 = columns[k + 3];
            for (int r = 0; r < w; r++) {
                out[r] += (a0[r] * a0[r] + a1[r] * a1[r]) + (a2[r] * a2[r] + a3[r] * a3[r]);
            }
        }
        for (; k < d; k++) {
            float[] a = columns[k];
            for (int r = 0; r < w; r++) {
                out[r] += a[r] * a[r];
            }
        }
    }

    /** Labeled rows per block of {@link #maxDots}: 32 accumulator rows of a tile, 64 KB at 512 rows. */
    static final int DOT_BLOCK = 32;

    /**
     * {@code best[r] = max_j Σ_k x[r][k]·u_j[k]} over the {@code m} rows {@code u_j} of the row-major {@code [m, d]}
     * matrix {@code u}, for the {@code w} rows {@code x[r]} of the tile, each product summed in float four features
     * at a time, {@code acc[r] += (x[r][k]·u_j[k] + x[r][k+1]·u_j[k+1]) + (x[r][k+2]·u_j[k+2] + x[r][k+3]·u_j[k+3])},
     * then the {@code d mod 4} last features one by one. Cost {@code w·m·d} multiply-adds.
     *
     * <p>Loop order: the {@code u_j} in blocks of {@link #DOT_BLOCK}, and within a block the features outer and the
     * block's rows inner, one accumulator row per {@code u_j}: the four tile columns of a pass stay in the L1 cache
     * for the whole block, where one {@code u_j} at a time streams the whole tile (1 MB) from L2 once per
     * {@code u_j} (about 1.3× faster here, measured alone; two accumulators updated in one loop are not vectorised by
     * C2 in JDK 17, so each loop updates one). Every accumulator still adds the same groups in the same order, so the
     * bits are those of one {@code u_j} at a time ({@code ClassTilesTest.maxDotsEqualOneRowAtATime}).
     *
     * @param accs scratch: {@link #DOT_BLOCK} arrays of at least {@code w} floats
     */
    static void maxDots(float[][] columns, int w, float[] u, int m, int d, float[] best, float[][] accs) {
        maxDots(columns, w, u, 0, m, d, best, accs);
    }

    /**
     * {@link #maxDots(float[][], int, float[], int, int, float[], float[][])} over the rows {@code [from, to)} of u;
     * through {@link MaxDotsSimd}, the same bits, once its gate is open ({@link #MAX_DOTS_GATE}).
     */
    static void maxDots(float[][] columns, int w, float[] u, int from, int to, int d, float[] best, float[][] accs) {
        maxDots(columns, w, u, from, to, d, best, accs, MAX_DOTS_GATE.simd((long) w * (to - from) * d));
    }

    /**
     * {@link MaxDotsSimd}'s gate ({@link dev.al4j.strategies.internal.Simd.Gate}), in multiply-adds: about one
     * FeatureSim query of the SCAL setting, so that a one-shot query stays scalar; then the kernel's warm-up on a
     * daemon thread (a lambda, so that this class never links the kernel without the module).
     */
    private static final dev.al4j.strategies.internal.Simd.Gate MAX_DOTS_GATE =
            new dev.al4j.strategies.internal.Simd.Gate(1L << 28, () -> MaxDotsSimd.warmUp());

    /**
     * {@link #maxDots(float[][], int, float[], int, int, int, float[], float[][])} with its SIMD twin on or off (tests
     * run both): on, {@link MaxDotsSimd} takes the largest multiple of its step's labeled rows and every tile row
     * (rows past {@code w} in the last step when the columns are long enough: their lanes are computed on whatever
     * the columns hold there and never stored), and this kernel the rest (the maximum is exact, so how the pairs are
     * split does not change a bit).
     */
    static void maxDots(float[][] columns, int w, float[] u, int from, int to, int d, float[] best, float[][] accs,
            boolean simd) {
        Arrays.fill(best, 0, w, Float.NEGATIVE_INFINITY);
        int rows = 0;
        int split = to;
        if (simd && dev.al4j.strategies.internal.Simd.ENABLED && MaxDotsSimd.usable() && d > 0) {
            int step = MaxDotsSimd.ROWS;
            int padded = (w + step - 1) / step * step;
            rows = padded <= columns[0].length ? w : w / step * step; // every column has the first one's length
            split = from + (to - from) / MaxDotsSimd.COLUMNS * MaxDotsSimd.COLUMNS;
            if (rows > 0 && split > from) {
                MaxDotsSimd.maxDots(columns, rows, u, from, split, d, best);
            } else {
                rows = 0;
                split = to;
            }
        }
        maxDotsInto(columns, 0, rows, u, split, to, d, best, accs); // the labeled rows past the SIMD steps
        maxDotsInto(columns, rows, w, u, from, to, d, best, accs); // the tile rows past them
    }

    /**
     * {@code best[r] = max(best[r], Σ_k x[r][k]·u_j[k])} for the tile rows {@code r} in {@code [r0, r1)} and the
     * labeled rows {@code j} in {@code [from, to)}: the scalar kernel of {@link #maxDots}.
     */
    private static void maxDotsInto(float[][] columns, int r0, int r1, float[] u, int from, int to, int d,
            float[] best, float[][] accs) {
        if (r0 >= r1 || from >= to) {
            return;
        }
        for (int j0 = from; j0 < to; j0 += DOT_BLOCK) {
            int block = Math.min(DOT_BLOCK, to - j0);
            for (int j = 0; j < block; j++) {
                Arrays.fill(accs[j], r0, r1, 0f);
            }
            int k = 0;
            for (; k + 3 < d; k += 4) {
                float[] a0 = columns[k], a1 = columns[k + 1], a2 = columns[k + 2], a3 = columns[k + 3];
                for (int j = 0, at = j0 * d + k; j < block; j++, at += d) {
                    float c0 = u[at], c1 = u[at + 1], c2 = u[at + 2], c3 = u[at + 3];
                    float[] acc = accs[j];
                    for (int r = r0; r < r1; r++) {
                        acc[r] += (a0[r] * c0 + a1[r] * c1) + (a2[r] * c2 + a3[r] * c3);
                    }
                }
            }
            for (; k < d; k++) {
                float[] a = columns[k];
                for (int j = 0, at = j0 * d + k; j < block; j++, at += d) {
                    float c = u[at];
                    float[] acc = accs[j];
                    for (int r = r0; r < r1; r++) {
                        acc[r] += a[r] * c;
                    }
                }
            }
            for (int j = 0; j < block; j++) {
                float[] acc = accs[j];
                for (int r = r0; r < r1; r++) {
                    best[r] = Math.max(best[r], acc[r]);
                }
            }
        }
    }

    /**
     * {@code out[r] = ‖y_r − W Wᵀ y_r‖₂} in double for the {@code w} centred rows {@code y_r} of the tile, with
     * {@code W} the {@code [d, q]} matrix with orthonormal columns, the rows of the row-major {@code [q, d]} matrix
     * {@code directions}. Since {@code W} is orthonormal, {@code ‖y − W Wᵀ y‖² = ‖y‖² − ‖Wᵀ y‖²}: one pass for the
     * norms, one per direction for the projections {@code p = Wᵀ y} (four features per pass over the tile, as in
     * {@link #maxDots}), then the difference. In double the difference loses about {@code 1e-16 ‖y‖²} of {@code e²},
     * a relative error below {@code 1e-10} in {@code e} while {@code e² ≥ 1e-6 ‖y‖²}; a row closer to the subspace
     * than that gets its residual {@code y − W p} formed explicitly, as the definition does. Cost
     * {@code w·d·(q + 1)} multiply-adds, plus {@code d·q} per row that close; {@code DeepFeatureModelingSamplingTest}
     * checks the result against the definition.
     *
     * @param norms scratch of at least {@code w} doubles
     * @param projections scratch of at least {@code q} arrays of at least {@code w} doubles
     */
    static void residualNorms(double[][] columns, int w, double[] directions, int q, int d, double[] out,
            double[] norms, double[][] projections) {
        Arrays.fill(out, 0, w, 0.0);
        for (int j = 0; j < q; j++) {
            Arrays.fill(projections[j], 0, w, 0.0);
        }
        // Features outer, directions inner: the four columns of a pass stay in the L1 cache for all q directions
        // (with q projection rows), instead of the whole tile streaming from L2 once per direction. Every p_j[r]
        // (and ‖y_r‖²) still adds the same four-feature groups in the same order, so the bits do not change
        // (ClassTilesTest.residualNormsEqualFeatureByFeature).
        int k = 0;
        for (; k + 3 < d; k += 4) {
            double[] a0 = columns[k], a1 = columns[k + 1], a2 = columns[k + 2], a3 = columns[k + 3];
            for (int r = 0; r < w; r++) {
                out[r] += (a0[r] * a0[r] + a1[r] * a1[r]) + (a2[r] * a2[r] + a3[r] * a3[r]);
            }
            for (int j = 0, at = k; j < q; j++, at += d) {
                double c0 = directions[at], c1 = directions[at + 1], c2 = directions[at + 2], c3 = directions[at + 3];
                double[] p = projections[j];
                for (int r = 0; r < w; r++) {
                    p[r] += (a0[r] * c0 + a1[r] * c1) + (a2[r] * c2 + a3[r] * c3);
                }
            }
        }
        for (; k < d; k++) {
            double[] a = columns[k];
            for (int r = 0; r < w; r++) {
                out[r] += a[r] * a[r];
            }
            for (int j = 0, at = k; j < q; j++, at += d) {
                double c = directions[at];
                double[] p = projections[j];
                for (int r = 0; r < w; r++) {
                    p[r] += a[r] * c;
                }
            }
        }
        System.arraycopy(out, 0, norms, 0, w);
        for (int j = 0; j < q; j++) {
            double[] p = projections[j];
            for (int r = 0; r < w; r++) {
                out[r] -= p[r] * p[r];
            }
        }
        for (int r = 0; r < w; r++) {
            out[r] = out[r] >= CANCELLATION_LIMIT * norms[r] ? Math.sqrt(out[r])
                    : explicitResidual(columns, r, directions, q, d, projections);
        }
    }

    /** Below this share of {@code ‖y‖²}, {@link #residualNorms} forms the residual explicitly. */
    static final double CANCELLATION_LIMIT = 1e-6;

    /** {@code ‖y − Σ_j p_j W_j‖₂} for row {@code r} of the tile, summed feature by feature. */
    private static double explicitResidual(double[][] columns, int r, double[] directions, int q, int d,
            double[][] projections) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
            double back = 0;
            for (int j = 0; j < q; j++) {
                back += projections[j][r] * directions[j * d + k];
            }
            double v = columns[k][r] - back;
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
