package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.strategies.internal.QueryOutputs;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link UncertaintyScores}' MeanSTD kernel (the mean over classes of each class's spread over the
 * passes): <b>the same bits</b>, because every lane does one row's arithmetic in the scalar kernel's order. A block of
 * rows is first transposed (class-major, as doubles), so that a vector holds one class of {@link #LANES} consecutive
 * rows; then the row sums (classes added in order), {@code 1/sum}, the mean ({@code p·(1/sum)} added pass after pass,
 * times {@code 1/T}), the squared deviations (a product and a sum, never a fused multiply-add), and per row the sum over
 * classes of {@code sqrt(squares/T)} (or of the variance) divided by {@code K}: each lane computes exactly what the
 * scalar loop computes for its row. The range checks (entries in {@code [0, 1 + tol]}, row sums within {@code tol} of
 * 1) are the scalar kernel's; a row that fails them scores NaN. Loaded only when
 * {@link dev.al4j.strategies.internal.Simd#ENABLED} (it names {@code jdk.incubator.vector} types).
 *
 * <p>Cost: {@code O(T·n·K)}, the transposition one scalar load and store per value, the rest {@code T·n·K/LANES}
 * vector operations per sweep (two sweeps, over a block of {@link UncertaintyScores#BLOCK_ROWS} rows that stays in
 * the L2 cache: {@code 8·T·K·256} bytes, 400 KB for T = 20, K = 10).
 */
final class MeanSpreadSimd {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    /** Doubles per vector: 8 with AVX-512, 4 with AVX2. */
    static final int LANES = SPECIES.length();

    private MeanSpreadSimd() {}

    /**
     * The warm-up of this kernel's gate ({@link dev.al4j.strategies.internal.Simd.Gate}): {@link #meanSpread} on made-up
     * passes (both spreads), 300 rounds.
     */
    static void warmUp() {
        int k = 10;
        int n = UncertaintyScores.BLOCK_ROWS;
        float[][] passes = new float[20][];
        for (int pass = 0; pass < passes.length; pass++) {
            passes[pass] = WarmUpRows.probabilities(n, k, pass + 1);
        }
        double[] out = new double[n];
        for (int round = 0; round < 300; round++) {
            meanSpread(passes, 0, n, k, round % 2 == 0, out);
        }
    }

    /** Whether the hardware's vectors hold at least 4 doubles (else the scalar kernel is faster). */
    static boolean usable() {
        return LANES >= 4;
    }

    /**
     * Rows {@code from} to {@code to} of {@code passes} (row {@code i} of pass {@code t} at {@code passes[t][i·k]}):
     * {@code out[i]} the mean over classes of the standard deviation over passes ({@code standardDeviation}) or of the
     * variance, the bits of the scalar kernel; NaN for a row that is not a probability row in some pass.
     */
    static void meanSpread(float[][] passes, int from, int to, int k, boolean standardDeviation, double[] out) {
        int t = passes.length;
        int block = UncertaintyScores.BLOCK_ROWS;
        int width = (block + LANES - 1) / LANES * LANES; // lanes per class row of the transposed block
        double[][] values = new double[t][k * width]; // values[pass][c·width + r]: row r's entry c
        double[] inverse = new double[t * width];
        double[] mean = new double[k * width];
        double[] squares = new double[k * width];
        boolean[] valid = new boolean[width];
        double[] sum = new double[width];
        double[] rowSums = new double[t * width];
        boolean[] inRange = new boolean[width];
        double invT = 1.0 / t;
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        DoubleVector scaleT = DoubleVector.broadcast(SPECIES, invT);
        for (int i0 = from; i0 < to; i0 += block) {
            int rows = Math.min(block, to - i0);
            int lanesUsed = (rows + LANES - 1) / LANES * LANES;
            java.util.Arrays.fill(inRange, 0, rows, true);
            for (int pass = 0; pass < t; pass++) {
                float[] p = passes[pass];
                double[] v = values[pass];
                for (int r = 0, at = i0 * k; r < rows; r++, at += k) { // contiguous reads, stores a class apart
                    boolean ok = true;
                    for (int c = 0; c < k; c++) {
                        float x = p[at + c];
                        v[c * width + r] = x;
                        ok &= x >= 0 & x <= QueryOutputs.MAX_ENTRY; // checkedRowSum's test; false for NaN
                    }
                    inRange[r] &= ok;
                }
                for (int r = rows; r < lanesUsed; r++) { // padding lanes: a valid row, never stored
                    for (int c = 0; c < k; c++) {
                        v[c * width + r] = c == 0 ? 1.0 : 0.0;
                    }
                }
            }
            java.util.Arrays.fill(mean, 0, k * width, 0.0);
            java.util.Arrays.fill(squares, 0, k * width, 0.0);
            // Every loop below runs over the block's rows innermost (contiguous lanes); each row's own arithmetic is
            // still the scalar kernel's, in its order.
            for (int pass = 0; pass < t; pass++) {
                double[] v = values[pass];
                int sums = pass * width; // this pass's row sums, kept for the test below
                java.util.Arrays.fill(rowSums, sums, sums + width, 0.0);
                for (int c = 0; c < k; c++) { // the row sums, classes in order (QueryOutputs.checkedRowSum)
                    for (int r0 = 0; r0 < lanesUsed; r0 += LANES) {
                        DoubleVector.fromArray(SPECIES, rowSums, sums + r0)
                                .add(DoubleVector.fromArray(SPECIES, v, c * width + r0)).intoArray(rowSums, sums + r0);
                    }
                }
                for (int r0 = 0; r0 < lanesUsed; r0 += LANES) {
                    one.div(DoubleVector.fromArray(SPECIES, rowSums, sums + r0)).intoArray(inverse, sums + r0);
                }
                for (int c = 0; c < k; c++) {
                    for (int r0 = 0; r0 < lanesUsed; r0 += LANES) {
                        int j = c * width + r0;
                        DoubleVector inv = DoubleVector.fromArray(SPECIES, inverse, pass * width + r0);
                        DoubleVector.fromArray(SPECIES, mean, j)
                                .add(DoubleVector.fromArray(SPECIES, v, j).mul(inv)).intoArray(mean, j);
                    }
                }
            }
            for (int j = 0; j < k * width; j += LANES) {
                DoubleVector.fromArray(SPECIES, mean, j).mul(scaleT).intoArray(mean, j);
            }
            for (int pass = 0; pass < t; pass++) {
                double[] v = values[pass];
                for (int c = 0; c < k; c++) {
                    for (int r0 = 0; r0 < lanesUsed; r0 += LANES) {
                        int j = c * width + r0;
                        DoubleVector inv = DoubleVector.fromArray(SPECIES, inverse, pass * width + r0);
                        DoubleVector d = DoubleVector.fromArray(SPECIES, v, j).mul(inv)
                                .sub(DoubleVector.fromArray(SPECIES, mean, j));
                        DoubleVector.fromArray(SPECIES, squares, j).add(d.mul(d)).intoArray(squares, j);
                    }
                }
            }
            for (int r = 0; r < rows; r++) { // and every pass's |Σ − 1| <= tol (false for NaN)
                boolean ok = inRange[r];
                for (int pass = 0; pass < t; pass++) {
                    ok &= Math.abs(rowSums[pass * width + r] - 1) <= Checks.ROW_SUM_TOLERANCE;
                }
                valid[r] = ok;
            }
            // Per row: the sum over classes, in order, of sqrt(squares / T) (or of the variance), then / K.
            java.util.Arrays.fill(sum, 0, width, 0.0);
            DoubleVector count = DoubleVector.broadcast(SPECIES, t);
            for (int c = 0; c < k; c++) {
                for (int r0 = 0; r0 < lanesUsed; r0 += LANES) {
                    DoubleVector variance = DoubleVector.fromArray(SPECIES, squares, c * width + r0).div(count);
                    DoubleVector term = standardDeviation ? variance.lanewise(VectorOperators.SQRT) : variance;
                    DoubleVector.fromArray(SPECIES, sum, r0).add(term).intoArray(sum, r0);
                }
            }
            for (int r = 0; r < rows; r++) {
                out[i0 + r] = valid[r] ? sum[r] / k : Double.NaN;
            }
        }
    }
}
