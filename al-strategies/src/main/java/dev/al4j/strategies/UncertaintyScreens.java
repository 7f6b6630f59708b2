package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;

/**
 * Approximate entropy scores for the screen of {@link ScreenedTopK}: the arithmetic of the exact kernels in
 * {@link UncertaintyScores} (the same normalised values, the same means, the same clamps) with {@link FastLog#log}
 * in place of {@link Math#log}, and a proven bound on how far each approximate score can be from the exact one.
 *
 * <p>The bounds, with {@code u = 2⁻⁵³} the unit roundoff, {@code γ(m) = m·u / (1 − m·u)} (Higham, "Accuracy and
 * Stability of Numerical Algorithms", lemma 3.1), {@code ε} = {@link FastLog#ERROR_BOUND}:
 * <ul>
 *   <li>Entropy of a row {@code v} (the same doubles in both): each term differs by {@code v·|log v − log~ v| ≤
 *       ε·(v·|log v| + v)}, so the exact sums differ by at most {@code ε·(H + Σv)}; each computed sum of {@code K}
 *       rounded products is within {@code γ(K + 1)·Σ|v log v|} of its exact sum. With {@code H ≤ log K} and
 *       {@code Σv ≤ 1 + K·u}: {@code |H − H~| ≤ (ε + 2γ(K + 1))·(log K + 2)} = {@link #entropyBound}. The clamp at 0
 *       does not widen it.</li>
 *   <li>BALD {@code H[m] − (Σ_t H_t) / T}: the means {@code m} are the same doubles; {@code H[m]} and each
 *       {@code H_t} carry the entropy bound; the sum over {@code T} passes adds {@code γ(T)} relative, the division
 *       and the subtraction one rounding each. Together below {@code 2·(ε + 2γ(K + T + 4))·(log K + 2)} =
 *       {@link #baldBound}.</li>
 * </ul>
 * Each kernel checks the values as it reads them, with the tests of {@link QueryOutputs#areProbabilityRows} on the
 * same row sums, and scores a row that fails them NaN ({@link QueryOutputs#checkScored} turns that into the
 * canonical message). All methods are static and thread-safe; rows are split over processors like the exact kernels
 * ({@link UncertaintyScores#forRowRanges}).
 */
final class UncertaintyScreens {

    private static final double UNIT_ROUNDOFF = 0x1p-53;

    private UncertaintyScreens() {}

    /** {@code γ(m) = m·u / (1 − m·u)}: the relative error bound of a sum or product chain of {@code m} roundings. */
    static double gamma(long m) {
        double mu = m * UNIT_ROUNDOFF;
        return mu / (1 - mu);
    }

    /** The bound on {@code |entropy − approximate entropy|} of one row of {@code k} classes. */
    static double entropyBound(int k) {
        return (FastLog.ERROR_BOUND + 2 * gamma(k + 1L)) * (Math.log(k) + 2);
    }

    /** The bound on {@code |BALD − approximate BALD|} over {@code t} passes of {@code k} classes. */
    static double baldBound(int k, int t) {
        return 2 * (FastLog.ERROR_BOUND + 2 * gamma((long) k + t + 4)) * (Math.log(k) + 2);
    }

    /** Approximate {@link UncertaintyScores#entropy(float[], int, int)}, within {@link #entropyBound}. */
    static double[] entropy(float[] p, int n, int k) {
        double[] out = new double[n];
        UncertaintyScores.forRowRanges(n, k * ScreenedTopK.LOG_WORK, (from, to) -> {
            for (int i = from; i < to; i++) {
                int at = i * k;
                double sum = QueryOutputs.checkedRowSum(p, at, k);
                boolean ok = Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                double inv = 1.0 / sum;
                double h = 0;
                for (int c = 0; c < k; c++) {
                    double v = p[at + c] * inv;
                    if (v > 0) {
                        h -= v * FastLog.log(v);
                    }
                }
                out[i] = ok ? Math.max(0.0, h) : Double.NaN;
            }
        });
        return out;
    }

    /** Approximate {@link UncertaintyScores#bald}, within {@link #baldBound}. */
    static double[] bald(float[][] passes, int n, int k) {
        return entropyOfMean(passes, n, k, true);
    }

    /** Approximate {@link UncertaintyScores#entropyMc}, within {@link #entropyBound}. */
    static double[] entropyMc(float[][] passes, int n, int k) {
        return entropyOfMean(passes, n, k, false);
    }

    /**
     * Block by block like {@code UncertaintyScores.accumulateBlock}: the same means (summed over passes in order,
     * times {@code 1/T}), then {@code H[mean]}, minus the mean entropy of the passes when {@code mutualInformation}.
     */
    private static double[] entropyOfMean(float[][] passes, int n, int k, boolean mutualInformation) {
        int t = passes.length;
        double[] out = new double[n];
        UncertaintyScores.forRowRanges(n, (long) t * k * (mutualInformation ? ScreenedTopK.LOG_WORK : 1)
                + k * ScreenedTopK.LOG_WORK, (from, to) -> {
            int block = UncertaintyScores.BLOCK_ROWS;
            double[] mean = new double[block * k];
            double[] entropySum = new double[block];
            double invT = 1.0 / t;
            for (int i0 = from; i0 < to; i0 += block) {
                int rows = Math.min(block, to - i0);
                Arrays.fill(mean, 0, rows * k, 0.0);
                Arrays.fill(entropySum, 0, rows, 0.0);
                for (float[] pass : passes) {
                    for (int r = 0; r < rows; r++) {
                        int at = (i0 + r) * k;
                        int off = r * k;
                        double sum = QueryOutputs.checkedRowSum(pass, at, k);
                        boolean ok = Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                        double inv = 1.0 / sum;
                        double h = 0;
                        for (int c = 0; c < k; c++) {
                            double v = pass[at + c] * inv;
                            mean[off + c] += v;
                            if (mutualInformation && v > 0) {
                                h -= v * FastLog.log(v);
                            }
                        }
                        entropySum[r] += ok ? Math.max(0.0, h) : Double.NaN; // NaN stays NaN
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int off = r * k;
                    double h = 0;
                    for (int c = 0; c < k; c++) {
                        double m = mean[off + c] * invT;
                        if (m > 0) {
                            h -= m * FastLog.log(m);
                        }
                    }
                    h = Math.max(0.0, h);
                    // An invalid row left NaN in its entropy sum: it scores NaN (Math.max keeps NaN).
                    out[i0 + r] = mutualInformation ? Math.max(0.0, h - entropySum[r] / t)
                            : entropySum[r] == entropySum[r] ? h : Double.NaN;
                }
            }
        });
        return out;
    }
}
