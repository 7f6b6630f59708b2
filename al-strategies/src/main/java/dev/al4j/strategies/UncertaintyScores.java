package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.strategies.internal.QueryOutputs;
import dev.al4j.strategies.internal.Simd;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Uncertainty scores of class probabilities, as pure functions on arrays: the first of al4j's three layers (score
 * → {@link dev.al4j.core.AcquisitionFunction} → {@link dev.al4j.core.QueryStrategy}). The strategies on
 * {@link Strategies} use exactly these functions.
 *
 * <p><b>Sign convention: higher = more informative</b>, for every score, so that the top-{@code b} scores are the
 * samples to label. Entropies are in nats (natural logarithm), with {@code 0 · log 0 = 0}.
 *
 * <table>
 *   <caption>Scores and their ranges, for {@code K} classes and {@code T} passes or members</caption>
 *   <tr><th>score</th><th>input</th><th>formula</th><th>range</th></tr>
 *   <tr><td>{@link #entropy}</td><td>{@code [n, K]}</td><td>{@code H[p] = −Σ_k p_k log p_k}</td>
 *       <td>{@code [0, log K]}</td></tr>
 *   <tr><td>{@link #margin}</td><td>{@code [n, K]}</td><td>{@code 1 − (p_(1) − p_(2))}, the two largest
 *       probabilities ({@code p_(2) = 0} when {@code K = 1})</td><td>{@code [0, 1]}</td></tr>
 *   <tr><td>{@link #leastConfidence}</td><td>{@code [n, K]}</td><td>{@code 1 − p_(1)}</td>
 *       <td>{@code [0, 1 − 1/K]}</td></tr>
 *   <tr><td>{@link #variationRatio}</td><td>{@code [n, K]}</td><td>{@code 1 − p_(1)} (Freeman's variation ratio of
 *       the predictive distribution; equal to least confidence for one model)</td><td>{@code [0, 1 − 1/K]}</td></tr>
 *   <tr><td>{@link #bald}</td><td>{@code [T, n, K]}</td><td>{@code H[mean_t p_t] − mean_t H[p_t]}</td>
 *       <td>{@code [0, H[mean_t p_t]]}</td></tr>
 *   <tr><td>{@link #meanStd}</td><td>{@code [T, n, K]}</td><td>{@code (1/K) Σ_k std_t(p_tk)}, population standard
 *       deviation over the passes</td><td>{@code [0, 1/2]}</td></tr>
 *   <tr><td>{@link #entropyMc}, {@link #marginMc}, {@link #leastConfidenceMc}</td><td>{@code [T, n, K]}</td>
 *       <td>entropy, margin, least confidence of {@code mean_t p_t}</td><td>as above</td></tr>
 *   <tr><td>{@link #variationRatioMc}</td><td>{@code [T, n, K]}</td><td>{@code 1 − f_m / T}, {@code f_m} the
 *       number of passes voting for the modal class</td><td>{@code [0, 1 − 1/K]}</td></tr>
 *   <tr><td>{@link #voteEntropy}</td><td>{@code C × [n, K]}</td><td>{@code −Σ_k (V_k/C) log (V_k/C)},
 *       {@code V_k} the members voting for {@code k}</td><td>{@code [0, log min(K, C)]}</td></tr>
 *   <tr><td>{@link #consensusEntropy}</td><td>{@code C × [n, K]}</td><td>{@code H[mean_c p_c]}</td>
 *       <td>{@code [0, log K]}</td></tr>
 *   <tr><td>{@link #maxDisagreement}</td><td>{@code C × [n, K]}</td>
 *       <td>{@code (1/C) Σ_c KL(p_c ‖ mean_c p_c)}</td><td>{@code [0, H[mean_c p_c]]}</td></tr>
 * </table>
 *
 * <p>Inputs are validated like model outputs at the public boundary ({@link Checks#checkProbabilities}: finite,
 * entries in {@code [0, 1]}, rows summing to 1 within {@link Checks#ROW_SUM_TOLERANCE}); each row is then divided
 * by its sum, so the bounds above hold up to floating-point rounding. A vote (argmax) tie goes to the lower class
 * index.
 *
 * <p>Cost: each array is pulled out of native memory once as {@code float}s (one copy, {@code 4·T·n·K} bytes), then
 * scored by tight loops in double precision: {@code O(n·K)} time for a single model, {@code O(T·n·K)} for
 * {@code T} passes or members, with {@code O(n + 256·K)} extra memory (passes are processed in blocks of 256 rows
 * so the block's means stay in cache). Above {@code 2¹⁹} values the rows are split over the processors (the common
 * fork-join pool); each row's score is computed the same way whatever the split, so results do not depend on the
 * machine. All methods are static, stateless and thread-safe.
 *
 * <pre>{@code
 * double[] h = UncertaintyScores.entropy(model.probabilities(pool, ids));
 * double[] mi = UncertaintyScores.bald(model.stochasticProbabilities(pool, ids, 20, 7L));
 * }</pre>
 */
public final class UncertaintyScores {

    /** Rows per block in the multi-pass scores: keeps a block's {@code [rows, K]} means in the L1/L2 cache. */
    static final int BLOCK_ROWS = 256;

    private UncertaintyScores() {}

    // --- public entry points: validate, pull once, score --------------------------------------------------------

    /** Entropy {@code −Σ_k p_k log p_k} of each row of {@code [n, K]} probabilities (Shannon 1948). */
    public static double[] entropy(INDArray probabilities) {
        return onRows(probabilities, UncertaintyScores::entropy);
    }

    /** Margin score {@code 1 − (p_(1) − p_(2))} of each row: 1 when the two top classes tie, 0 for a one-hot row. */
    public static double[] margin(INDArray probabilities) {
        return onRows(probabilities, UncertaintyScores::margin);
    }

    /** Least-confidence score {@code 1 − max_k p_k} of each row. */
    public static double[] leastConfidence(INDArray probabilities) {
        return onRows(probabilities, UncertaintyScores::leastConfidence);
    }

    /**
     * Variation ratio {@code 1 − max_k p_k} of each row (Freeman 1965, applied to the predictive distribution); for
     * a single model it equals {@link #leastConfidence}. The Monte Carlo form over passes is
     * {@link #variationRatioMc}.
     */
    public static double[] variationRatio(INDArray probabilities) {
        return onRows(probabilities, UncertaintyScores::variationRatio);
    }

    /** A kernel over {@code n} rows of {@code k} probabilities, row-major. */
    private interface RowKernel {
        double[] score(float[] p, int n, int k);
    }

    /** A kernel over {@code T} passes of {@code n} rows of {@code k} probabilities. */
    private interface PassKernel {
        double[] score(float[][] passes, int n, int k);
    }

    private static double[] onRows(INDArray probabilities, RowKernel kernel) {
        return kernel.score(pull(probabilities), rows(probabilities), classes(probabilities));
    }

    private static double[] onPasses(INDArray samples, PassKernel kernel) {
        return kernel.score(pullPasses(samples), (int) samples.size(1), (int) samples.size(2));
    }

    /** BALD mutual information {@code H[mean_t p_t] − mean_t H[p_t]} of {@code [T, n, K]} samples. */
    public static double[] bald(INDArray samples) {
        return onPasses(samples, UncertaintyScores::bald);
    }

    /** MeanSTD {@code (1/K) Σ_k sqrt(mean_t (p_tk − mean_t p_tk)²)} of {@code [T, n, K]} samples. */
    public static double[] meanStd(INDArray samples) {
        return onPasses(samples, UncertaintyScores::meanStd);
    }

    /** Entropy of the mean over passes of {@code [T, n, K]} samples. */
    public static double[] entropyMc(INDArray samples) {
        return onPasses(samples, UncertaintyScores::entropyMc);
    }

    /** Margin score of the mean over passes of {@code [T, n, K]} samples. */
    public static double[] marginMc(INDArray samples) {
        return onPasses(samples, UncertaintyScores::marginMc);
    }

    /** Least-confidence score of the mean over passes of {@code [T, n, K]} samples. */
    public static double[] leastConfidenceMc(INDArray samples) {
        return onPasses(samples, UncertaintyScores::leastConfidenceMc);
    }

    /**
     * Variation ratio {@code 1 − f_m / T} over {@code [T, n, K]} samples, {@code f_m} the number of passes whose
     * argmax is the modal class (Gal, Islam and Ghahramani 2017, after Freeman 1965).
     */
    public static double[] variationRatioMc(INDArray samples) {
        return onPasses(samples, UncertaintyScores::variationRatioMc);
    }

    /** Vote entropy over committee members' {@code [n, K]} probabilities (Dagan and Engelson 1995). */
    public static double[] voteEntropy(List<INDArray> members) {
        float[][] pulled = pullMembers(members);
        return voteEntropy(pulled, members.get(0).rows(), members.get(0).columns());
    }

    /** Consensus entropy: the entropy of the members' mean probabilities (Settles 2009, sec. 3.2). */
    public static double[] consensusEntropy(List<INDArray> members) {
        float[][] pulled = pullMembers(members);
        return consensusEntropy(pulled, members.get(0).rows(), members.get(0).columns());
    }

    /**
     * Mean Kullback-Leibler divergence of each member from the consensus, {@code (1/C) Σ_c KL(p_c ‖ p̄)} with
     * {@code p̄ = mean_c p_c} (McCallum and Nigam 1998; Settles 2009, eq. 3.5).
     */
    public static double[] maxDisagreement(List<INDArray> members) {
        float[][] pulled = pullMembers(members);
        return maxDisagreement(pulled, members.get(0).rows(), members.get(0).columns());
    }

    private static float[] pull(INDArray probabilities) {
        Checks.checkProbabilities(probabilities, -1, -1, "probabilities");
        checkSizes(probabilities.rows(), probabilities.columns(), "probabilities");
        return QueryOutputs.toFloats(probabilities);
    }

    private static int rows(INDArray probabilities) {
        return probabilities.rows();
    }

    private static int classes(INDArray probabilities) {
        return probabilities.columns();
    }

    private static float[][] pullPasses(INDArray samples) {
        QueryOutputs.checkSamples(samples, -1, -1, -1, "samples");
        checkSizes(samples.size(1), samples.size(2), "samples");
        return QueryOutputs.toPasses(samples);
    }

    private static float[][] pullMembers(List<INDArray> members) {
        Checks.checkNotNull(members, "members");
        Checks.checkArgument(!members.isEmpty(), "members must not be empty");
        INDArray first = Checks.checkNotNull(members.get(0), "members[0]");
        Checks.checkProbabilities(first, -1, -1, "members[0]");
        checkSizes(first.rows(), first.columns(), "members[0]");
        float[][] out = new float[members.size()][];
        for (int c = 0; c < members.size(); c++) {
            INDArray m = Checks.checkNotNull(members.get(c), "members[" + c + "]");
            Checks.checkProbabilities(m, first.rows(), first.columns(), "members[" + c + "]");
            out[c] = QueryOutputs.toFloats(m);
        }
        return out;
    }

    private static void checkSizes(long n, long k, String name) {
        Checks.checkArgument(k >= 1, "%s must have at least one class (column), found %d", name, k);
        Checks.checkArgument(n * k < Integer.MAX_VALUE, "%s has %d x %d values, more than a Java array holds", name,
                n, k);
    }

    /**
     * Whether the {@code k} values of {@code v} from {@code offset} are a probability row as
     * {@link Checks#checkProbabilities} demands: every entry in {@code [0, 1 + tol]} (NaN fails), the sum within
     * {@link Checks#ROW_SUM_TOLERANCE tol} of 1; the same tests in the same precision as the strategies apply. For
     * callers that validate rows held as Java arrays before {@code scoreRows} (al-spark). O(k); thread-safe.
     */
    public static boolean isProbabilityRow(float[] v, int offset, int k) {
        return Math.abs(QueryOutputs.checkedRowSum(v, offset, k) - 1) <= Checks.ROW_SUM_TOLERANCE; // false for NaN
    }

    // --- kernels on pulled arrays: row-major float[n * K] per model, pass or member ------------------------------
    // margin, leastConfidence and meanStd also check the values as they sum each row (the tests of
    // QueryOutputs.areProbabilityRows on the same sums) and score a row that fails them NaN, so that select() reads
    // a PrecomputedModel's rows once (QueryOutputs.probabilitiesForCheckingKernel); the public entry points check
    // first, so they never see NaN.

    static double[] entropy(float[] p, int n, int k) {
        double[] out = new double[n];
        forRowRanges(n, k, (from, to) -> {
            double[] row = new double[k];
            for (int i = from; i < to; i++) {
                loadNormalised(p, i * k, k, row, 0);
                out[i] = rowEntropy(row, 0, k);
            }
        });
        return out;
    }

    /** The entropy of row {@code i} alone, the same bits as {@link #entropy(float[], int, int)}'s entry. */
    static double entropyRow(float[] p, int i, int k, double[] row) {
        loadNormalised(p, i * k, k, row, 0);
        return rowEntropy(row, 0, k);
    }

    static double[] margin(float[] p, int n, int k) {
        double[] out = new double[n];
        forRowRanges(n, k, (from, to) -> {
            for (int i = from; i < to; i++) {
                // Dividing by the row sum rounds monotonically, so the two largest of the normalised row are the
                // two largest floats normalised: the same bits as rowMargin on the normalised row, with two
                // multiplications instead of K (ParallelScoresTest and UncertaintySelectionTest compare them).
                int at = i * k;
                double sum = 0;
                boolean ok = true;
                // The two largest so far on the floats' bits: for floats >= 0 the int order is the float order
                // (-0.0 sorts below 0.0, which changes no result's bits; negative or NaN rows score NaN below). No
                // branch on the data (rowMargin's if/else if mispredicts on random rows), a short int max chain.
                int first = Float.floatToRawIntBits(p[at]);
                int second = 0; // the bits of 0f: a one-class row's runner-up, as in rowMargin
                for (int c = 1; c < k; c++) {
                    int v = Float.floatToRawIntBits(p[at + c]);
                    second = Math.max(second, Math.min(first, v));
                    first = Math.max(first, v);
                }
                for (int c = 0; c < k; c++) {
                    float v = p[at + c];
                    sum += v;
                    ok &= v >= 0 & v <= QueryOutputs.MAX_ENTRY;
                }
                ok &= Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                double inv = 1.0 / sum;
                out[i] = ok ? 1.0 - (Float.intBitsToFloat(first) * inv - Float.intBitsToFloat(second) * inv)
                        : Double.NaN;
            }
        });
        return out;
    }

    static double[] leastConfidence(float[] p, int n, int k) {
        double[] out = new double[n];
        forRowRanges(n, k, (from, to) -> {
            for (int i = from; i < to; i++) {
                // max_c (p_c / sum) = (max_c p_c) / sum bit for bit: rounding is monotone (see margin).
                int at = i * k;
                double sum = 0;
                boolean ok = true;
                int first = 0; // the largest float's bits: int order is float order for floats >= 0 (see margin)
                for (int c = 0; c < k; c++) {
                    float v = p[at + c];
                    sum += v;
                    ok &= v >= 0 & v <= QueryOutputs.MAX_ENTRY;
                    first = Math.max(first, Float.floatToRawIntBits(v));
                }
                ok &= Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                out[i] = ok ? 1.0 - Float.intBitsToFloat(first) * (1.0 / sum) : Double.NaN;
            }
        });
        return out;
    }

    static double[] variationRatio(float[] p, int n, int k) {
        return leastConfidence(p, n, k);
    }

    static double[] bald(float[][] passes, int n, int k) {
        return entropyTerms(passes, n, k, true);
    }

    /** The expected entropy {@code mean_t H[p_t]} of each row: BALD's second term. */
    static double[] expectedEntropy(float[][] passes, int n, int k) {
        return entropyTerms(passes, n, k, false);
    }

    /** The BALD score of row {@code i} alone, the same bits as {@link #bald(float[][], int, int)}'s entry. */
    static double baldRow(float[][] passes, int i, int k, double[] mean, double[] entropySum, double[] row) {
        accumulateBlock(passes, i, 1, k, mean, entropySum, row);
        return Math.max(0.0, rowEntropy(mean, 0, k) - entropySum[0] / passes.length);
    }

    /** The entropy of the mean of row {@code i} alone, the same bits as {@link #entropyMc}'s entry. */
    static double entropyMcRow(float[][] passes, int i, int k, double[] mean, double[] row) {
        accumulateBlock(passes, i, 1, k, mean, null, row);
        return rowEntropy(mean, 0, k);
    }

    static double[] meanStd(float[][] passes, int n, int k) {
        return meanSpread(passes, n, k, true);
    }

    /**
     * The mean over classes of the variance of {@code p_k} across the passes, {@code (1/K) Σ_k Var_t[p_tk]} with
     * the population variance {@code (1/T) Σ_t (p_tk − mean_t p_tk)²}: Suggestive Annotation's uncertainty (Yang et
     * al. 2017), the disagreement of a bootstrap ensemble. The same kernel as {@link #meanStd} without the square
     * root; a row that is not a probability vector scores NaN.
     */
    static double[] meanVariance(float[][] passes, int n, int k) {
        return meanSpread(passes, n, k, false);
    }

    private static double[] meanSpread(float[][] passes, int n, int k, boolean standardDeviation) {
        return meanSpread(passes, n, k, standardDeviation, SPREAD_GATE.simd((long) n * k * passes.length));
    }

    /**
     * {@link MeanSpreadSimd}'s gate ({@link Simd.Gate}): about 17 queries of the SCAL setting (T = 20); then its warm-up
     * on a daemon thread.
     */
    private static final Simd.Gate SPREAD_GATE = new Simd.Gate(1L << 25, () -> MeanSpreadSimd.warmUp());

    /**
     * The spread kernel with its SIMD twin ({@link MeanSpreadSimd}, the same bits) on or off: on when
     * {@code simdEnabled} and the hardware has vectors of at least 4 doubles (tests run both).
     */
    static double[] meanSpread(float[][] passes, int n, int k, boolean standardDeviation, boolean simdEnabled) {
        int t = passes.length;
        double[] out = new double[n];
        boolean simd = simdEnabled && MeanSpreadSimd.usable();
        forRowRanges(n, (long) t * k, (from, to) -> {
            if (simd) {
                MeanSpreadSimd.meanSpread(passes, from, to, k, standardDeviation, out);
            } else {
                meanSpread(passes, from, to, k, standardDeviation, out);
            }
        });
        return out;
    }

    private static void meanSpread(float[][] passes, int from, int to, int k, boolean standardDeviation,
            double[] out) {
        int t = passes.length;
        double[] mean = new double[BLOCK_ROWS * k];
        double[] squares = new double[BLOCK_ROWS * k];
        double[] inverse = new double[t * BLOCK_ROWS]; // 1 / row sum, per pass and row of the block
        boolean[] valid = new boolean[BLOCK_ROWS];
        double invT = 1.0 / t;
        for (int i0 = from; i0 < to; i0 += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, to - i0);
            // The arithmetic of accumulateBlock (p · (1 / sum), summed over passes in order, times 1 / T), with each
            // row's 1 / sum kept for the second sweep instead of summing the row again.
            Arrays.fill(mean, 0, rows * k, 0.0);
            Arrays.fill(valid, 0, rows, true);
            for (int pass = 0; pass < t; pass++) {
                float[] p = passes[pass];
                for (int r = 0; r < rows; r++) {
                    int at = (i0 + r) * k;
                    int off = r * k;
                    double sum = QueryOutputs.checkedRowSum(p, at, k); // NaN for a row with an entry out of range
                    valid[r] &= Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                    double inv = 1.0 / sum;
                    inverse[pass * BLOCK_ROWS + r] = inv;
                    for (int c = 0; c < k; c++) {
                        mean[off + c] += p[at + c] * inv;
                    }
                }
            }
            for (int j = 0; j < rows * k; j++) {
                mean[j] *= invT;
            }
            // Second sweep over the block (still in cache): squared deviations from the mean, which is exact for
            // identical passes where E[p²] − E[p]² would leave rounding noise.
            Arrays.fill(squares, 0, rows * k, 0.0);
            for (int pass = 0; pass < t; pass++) {
                float[] p = passes[pass];
                for (int r = 0; r < rows; r++) {
                    int at = (i0 + r) * k;
                    int off = r * k;
                    double inv = inverse[pass * BLOCK_ROWS + r];
                    for (int c = 0; c < k; c++) {
                        double d = p[at + c] * inv - mean[off + c];
                        squares[off + c] += d * d;
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    double variance = squares[r * k + c] / t;
                    s += standardDeviation ? Math.sqrt(variance) : variance;
                }
                out[i0 + r] = valid[r] ? s / k : Double.NaN;
            }
        }
    }

    static double[] entropyMc(float[][] passes, int n, int k) {
        return overMean(passes, n, k, UncertaintyScores::rowEntropy);
    }

    static double[] marginMc(float[][] passes, int n, int k) {
        return overMean(passes, n, k, UncertaintyScores::rowMargin);
    }

    static double[] leastConfidenceMc(float[][] passes, int n, int k) {
        return overMean(passes, n, k, UncertaintyScores::rowLeastConfidence);
    }

    static double[] variationRatioMc(float[][] passes, int n, int k) {
        int t = passes.length;
        double[] out = new double[n];
        forRowRanges(n, (long) t * k, (from, to) -> {
            int[] votes = new int[k];
            for (int i = from; i < to; i++) {
                int modal = countVotes(passes, i * k, k, votes);
                out[i] = 1.0 - (double) modal / t;
            }
        });
        return out;
    }

    static double[] voteEntropy(float[][] members, int n, int k) {
        int c = members.length;
        double[] out = new double[n];
        int[] votes = new int[k];
        for (int i = 0; i < n; i++) {
            countVotes(members, i * k, k, votes);
            double h = 0;
            for (int v : votes) {
                if (v > 0) {
                    double f = (double) v / c;
                    h -= f * Math.log(f);
                }
            }
            out[i] = Math.max(0.0, h);
        }
        return out;
    }

    static double[] consensusEntropy(float[][] members, int n, int k) {
        return entropyMc(members, n, k);
    }

    static double[] maxDisagreement(float[][] members, int n, int k) {
        int c = members.length;
        double[] out = new double[n];
        double[] mean = new double[BLOCK_ROWS * k];
        double[] row = new double[k];
        for (int i0 = 0; i0 < n; i0 += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, n - i0);
            accumulateBlock(members, i0, rows, k, mean, null, row);
            Arrays.fill(out, i0, i0 + rows, 0.0);
            for (float[] member : members) {
                for (int r = 0; r < rows; r++) {
                    loadNormalised(member, (i0 + r) * k, k, row, 0);
                    int off = r * k;
                    double kl = 0;
                    for (int j = 0; j < k; j++) {
                        double p = row[j];
                        // p > 0 implies mean >= p / C > 0: no division by zero.
                        if (p > 0) {
                            kl += p * Math.log(p / mean[off + j]);
                        }
                    }
                    out[i0 + r] += kl;
                }
            }
            for (int r = 0; r < rows; r++) {
                // Each KL is >= 0 (Gibbs); the clamp removes rounding noise only.
                out[i0 + r] = Math.max(0.0, out[i0 + r] / c);
            }
        }
        return out;
    }

    // --- building blocks -----------------------------------------------------------------------------------------

    /**
     * Values ({@code rows · T · K}) per task: below twice this the scores stay on the calling thread (a few
     * milliseconds of work gains less from a second thread than a busy machine can cost in waiting for it).
     */
    static final long VALUES_PER_TASK = 1L << 18;

    /** Scores rows {@code [from, to)}; writes only their entries of the output. */
    @FunctionalInterface
    interface RowRange {
        void score(int from, int to);
    }

    /** At most this many ranges per thread: enough to balance the load when a core is taken away mid-query. */
    static final int CHUNKS_PER_THREAD = 64;

    /**
     * Runs {@code kernel} over {@code [0, n)} split into contiguous ranges on up to every processor (the calling
     * thread and the common fork-join pool), one thread per {@link #VALUES_PER_TASK} values at most. Each row's score
     * depends only on its own values, computed in the same order whatever the split, so the scores are
     * bit-identical for every thread count ({@code ParallelScoresTest.*ScoresDoNotDependOnTheSplit}).
     */
    static void forRowRanges(int n, long valuesPerRow, RowRange kernel) {
        long work = (long) n * Math.max(1, valuesPerRow);
        int tasks = (int) Math.min(Math.min(Runtime.getRuntime().availableProcessors(), n),
                Math.max(1, work / VALUES_PER_TASK));
        forRowRanges(n, tasks, kernel);
    }

    /**
     * {@link #forRowRanges(int, long, RowRange)} on up to {@code tasks} threads (tests use it directly). The rows are
     * cut into up to {@link #CHUNKS_PER_THREAD}{@code · tasks} ranges of at least {@link #BLOCK_ROWS} rows (at least
     * {@code tasks} ranges), which the calling thread and up to {@code tasks − 1} helpers of the common pool (no more
     * than its parallelism) take in turn from a shared counter. Why not one fixed range per thread: on a machine whose
     * load exceeds its cores a helper may not run for many milliseconds, and the caller then waited for that helper's
     * whole half (measured on the MC kernels here, 2026-12-07: the caller's own half took 4 ms of CPU time, the call
     * 15–25 ms of wall time). Now the caller takes every range no helper has started and waits at most for the ranges
     * in progress; a helper that starts late finds no range left and returns. No deadlock when the caller is itself a
     * pool thread: it never waits for a range that has not started. The first exception of any range is rethrown to
     * the caller.
     */
    static void forRowRanges(int n, int tasks, RowRange kernel) {
        if (tasks <= 1 || n <= 1) {
            kernel.score(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.max(tasks,
                Math.min((n + (long) BLOCK_ROWS - 1) / BLOCK_ROWS, (long) CHUNKS_PER_THREAD * tasks)));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(chunks);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) { // after a failure the other ranges are only counted down
                        kernel.score((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }
        };
        // No more helpers than the pool has threads: with a parallelism of 0 (a system property) a helper would never
        // run and would stay queued; the caller then takes every range itself.
        int helpers = Math.min(tasks - 1, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        for (int g = 0; g < helpers; g++) {
            java.util.concurrent.ForkJoinPool.commonPool().execute(worker);
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                finished.await(); // only ranges a helper has started are left
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface RowScore {
        double score(double[] row, int offset, int k);
    }

    /** Scores the mean over passes of each row with {@code score}, block by block. */
    private static double[] overMean(float[][] passes, int n, int k, RowScore score) {
        double[] out = new double[n];
        forRowRanges(n, (long) passes.length * k, (from, to) -> {
            double[] mean = new double[BLOCK_ROWS * k];
            double[] row = new double[k];
            for (int i0 = from; i0 < to; i0 += BLOCK_ROWS) {
                int rows = Math.min(BLOCK_ROWS, to - i0);
                accumulateBlock(passes, i0, rows, k, mean, null, row);
                for (int r = 0; r < rows; r++) {
                    out[i0 + r] = score.score(mean, r * k, k);
                }
            }
        });
        return out;
    }

    /**
     * BALD's terms over passes, block by block: {@code H[mean_t p_t] − mean_t H[p_t]} when {@code mutualInformation},
     * else the expected entropy {@code mean_t H[p_t]} alone. The flag is loop-invariant: a predicted branch, not a
     * call through an interface, so this hot loop stays as fast as two separate copies.
     */
    private static double[] entropyTerms(float[][] passes, int n, int k, boolean mutualInformation) {
        int t = passes.length;
        double[] out = new double[n];
        forRowRanges(n, (long) t * k, (from, to) -> {
            double[] mean = new double[BLOCK_ROWS * k];
            double[] entropySum = new double[BLOCK_ROWS];
            double[] row = new double[k];
            for (int i0 = from; i0 < to; i0 += BLOCK_ROWS) {
                int rows = Math.min(BLOCK_ROWS, to - i0);
                accumulateBlock(passes, i0, rows, k, mean, entropySum, row);
                for (int r = 0; r < rows; r++) {
                    // Jensen: H[mean p] >= mean H[p]; the clamp removes rounding noise of order 1e-16 only.
                    out[i0 + r] = mutualInformation ? Math.max(0.0, rowEntropy(mean, r * k, k) - entropySum[r] / t)
                            : entropySum[r] / t;
                }
            }
        });
        return out;
    }

    /**
     * Fills {@code mean[0, rows·K)} with the mean over passes of the normalised rows {@code i0 .. i0+rows-1} and,
     * when {@code entropySum} is not null, {@code entropySum[r]} with the sum over passes of their entropies.
     */
    private static void accumulateBlock(float[][] passes, int i0, int rows, int k, double[] mean,
            double[] entropySum, double[] row) {
        Arrays.fill(mean, 0, rows * k, 0.0);
        if (entropySum != null) {
            Arrays.fill(entropySum, 0, rows, 0.0);
        }
        for (float[] pass : passes) {
            for (int r = 0; r < rows; r++) {
                loadNormalised(pass, (i0 + r) * k, k, row, 0);
                if (entropySum != null) {
                    entropySum[r] += rowEntropy(row, 0, k);
                }
                int off = r * k;
                for (int c = 0; c < k; c++) {
                    mean[off + c] += row[c];
                }
            }
        }
        double inv = 1.0 / passes.length;
        for (int j = 0; j < rows * k; j++) {
            mean[j] *= inv;
        }
    }

    /** Copies one row into {@code dst} as doubles divided by their sum. */
    static void loadNormalised(float[] src, int offset, int k, double[] dst, int dstOffset) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double v = src[offset + c];
            dst[dstOffset + c] = v;
            sum += v;
        }
        double inv = 1.0 / sum;
        for (int c = 0; c < k; c++) {
            dst[dstOffset + c] *= inv;
        }
    }

    static double rowEntropy(double[] p, int offset, int k) {
        double h = 0;
        for (int c = 0; c < k; c++) {
            double v = p[offset + c];
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return Math.max(0.0, h);
    }

    static double rowMargin(double[] p, int offset, int k) {
        double first = p[offset];
        double second = 0; // probabilities are >= 0; a one-class row's runner-up is "no class", probability 0
        for (int c = 1; c < k; c++) {
            double v = p[offset + c];
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return 1.0 - (first - second);
    }

    static double rowLeastConfidence(double[] p, int offset, int k) {
        double first = p[offset];
        for (int c = 1; c < k; c++) {
            first = Math.max(first, p[offset + c]);
        }
        return 1.0 - first;
    }

    /**
     * Fills {@code votes[c]} with the number of models whose row at {@code offset} has class {@code c} as its argmax,
     * and returns the largest count (the modal class's votes).
     */
    private static int countVotes(float[][] models, int offset, int k, int[] votes) {
        Arrays.fill(votes, 0);
        int modal = 0;
        for (float[] model : models) {
            modal = Math.max(modal, ++votes[argMax(model, offset, k)]);
        }
        return modal;
    }

    /** The first index of the largest of {@code k} floats from {@code offset}. */
    private static int argMax(float[] p, int offset, int k) {
        int best = 0;
        float max = p[offset];
        for (int c = 1; c < k; c++) {
            if (p[offset + c] > max) {
                max = p[offset + c];
                best = c;
            }
        }
        return best;
    }
}
