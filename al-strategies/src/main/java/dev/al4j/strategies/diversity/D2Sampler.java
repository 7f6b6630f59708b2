package dev.al4j.strategies.diversity;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++'s D² sampling (Arthur &amp; Vassilvitskii 2007, "k-means++: the advantages of careful seeding", §2.2;
 * BADGE's Algorithm 1, seed 003, runs it on gradient embeddings) without a full pass per pick: after a first centre,
 * each next centre is row {@code i} with probability {@code w_i·D²(i) / Σ_j w_j·D²(j)}, {@code D²(i)} the squared
 * distance of row {@code i} to its nearest centre so far. The one implementation behind {@link BadgeSampling}
 * (gradient embeddings, all weights 1) and {@link LloydKMeans#seed} (Euclidean, weighted); the distance is a
 * {@link Metric} each of them supplies.
 *
 * <p>Stale bounds and rejection instead of a full pass per pick (issue 16). A row's {@code D²} only falls as centres
 * are added, so a value computed against the first {@code s} centres is an upper bound {@code B(i) ≥ D²(i)}. A pick
 * proposes row {@code i} with probability {@code w_i·B(i)/Σ w·B} from a {@link SumTree}, refreshes it against the
 * centres added since its last refresh only (so {@code B(i) = D²(i)} from then on), and accepts it with probability
 * {@code D²(i)/B_old(i)}; otherwise it proposes again. Whatever the bounds, a proposal is accepted with probability
 * {@code w_i·D²(i)/Σ w·B} for row {@code i}, so the accepted row has probability {@code w_i·D²(i)/Σ w·D²}: the
 * distribution of the textbook draw, with one full pass (the first centre) instead of one per pick. When every
 * {@code w·D²} is zero the textbook takes the lowest unpicked row, and so does this. When proposals keep being
 * rejected (bounds gone stale everywhere, e.g. many duplicate rows), every row is refreshed in full passes over the
 * centres added since the last such refresh; this changes the bounds, not the distribution. The draws consume the
 * random stream differently from the textbook draw, so a seed fixes the selection but not the textbook's selection
 * for that seed ({@code D2SamplerTest}, {@code BadgeSamplingTest.drawsFollowTheTextbookD2Distribution} and
 * {@code KMeansSamplingTest.seedingFollowsTheTextbookD2Distribution} check the distribution with a chi-square test
 * against the exact textbook probabilities).
 *
 * <p>Cost: one full pass for the first centre, then O(R) metric evaluations for the R row-centre distances the
 * single-row refreshes compute (R ≤ b·N; on clustered data a small fraction of it) plus O(log N) per proposal, plus
 * the full passes of the safety valve (at most as many distances as the single-row refreshes since the previous
 * one, times {@code 1 / fullRefreshShare}). Memory O(N) besides the metric's. Not thread-safe (one query's scratch).
 */
final class D2Sampler {

    private D2Sampler() {}

    /**
     * The squared distances between rows and the centres picked so far (centre {@code j} is the {@code j}-th pick).
     * The values of {@link #nearest} and {@link #lowerAll} must be the same for the same pair (the sampler mixes them).
     */
    interface Metric {

        /** Records that centre number {@code j} is row {@code row}; called once per pick, before any distance to it. */
        void addCentre(int j, int row);

        /** {@code min_{from ≤ j < to} D²(row, centre j)}. */
        double nearest(int row, int from, int to);

        /**
         * For every centre {@code j} in {@code [from, to)} and every row {@code i} with {@code !picked[i]} and
         * {@code stamp[i] <= j}: {@code bound[i] = min(bound[i], D²(i, centre j))}; full passes (may use threads).
         */
        void lowerAll(int from, int to, double[] bound, int[] stamp, boolean[] picked);
    }

    /** The rows picked, in order, and each one's {@code D²} when picked ({@code NaN} for the first). */
    record Draws(int[] rows, double[] squaredDistances) {}

    /**
     * When proposals are rejected, every row is refreshed in full passes once the single-row refreshes since the last
     * full refresh have computed this share of the distances that full refresh computes: a safety valve against bounds
     * gone stale everywhere (e.g. many duplicate rows), which keeps the single-row work (checked at each rejection)
     * within a quarter of the full passes'. On SCAL-like data (50 blobs, b = 10³) it is never pulled: BADGE's
     * single-row refreshes compute 22 % of the textbook's N·b distances at N = 10⁴ and 0.5 % at 10⁵. (A rule of "32
     * rejections in one pick" made 331 full passes at 10⁵, 20 s against 3 s.)
     */
    static final double FULL_REFRESH_SHARE = 0.25;

    /**
     * Draws centres {@code 1..b-1} after the given first one.
     *
     * @param n number of rows
     * @param weights one non-negative weight per row, or {@code null} for all 1
     * @param first the first centre's row
     * @param b number of centres, {@code 1 ≤ b ≤ n}
     * @param fullRefreshShare see {@link #FULL_REFRESH_SHARE} (0: a full refresh at every rejection; for tests)
     */
    static Draws draw(int n, double[] weights, int first, int b, Metric metric, SplittableRandom random,
            double fullRefreshShare) {
        dev.al4j.core.Checks.checkArgument(b >= 1 && b <= n, "b must be in [1, %d], found %d", n, b);
        int[] rows = new int[b];
        double[] d2 = new double[b];
        rows[0] = first;
        d2[0] = Double.NaN;
        metric.addCentre(0, first);
        if (b == 1) {
            return new Draws(rows, d2);
        }
        boolean[] picked = new boolean[n];
        picked[first] = true;
        double[] bound = new double[n]; // D² against centres 0..stamp[i]-1
        Arrays.fill(bound, Double.POSITIVE_INFINITY);
        bound[first] = 0;
        int[] stamp = new int[n];
        metric.lowerAll(0, 1, bound, stamp, picked);
        Arrays.fill(stamp, 1);
        int refreshedTo = 1; // every row's stamp is at least this
        SumTree tree = tree(bound, weights);
        long pairsSinceFull = 0; // row-centre distances of single-row refreshes since the last full refresh
        for (int p = 1; p < b; p++) {
            int centresNow = p;
            int pick;
            while (true) {
                double total = tree.total();
                if (!(total > 0)) { // every w·B, hence every w·D², is 0: the textbook takes the lowest unpicked row
                    pick = 0;
                    while (picked[pick]) {
                        pick++;
                    }
                    if (stamp[pick] < centresNow) {
                        bound[pick] = Math.min(bound[pick], metric.nearest(pick, stamp[pick], centresNow));
                        stamp[pick] = centresNow;
                    }
                    break;
                }
                int i = tree.find(random.nextDouble() * total);
                double proposed = bound[i];
                if (stamp[i] < centresNow) {
                    pairsSinceFull += centresNow - stamp[i];
                    bound[i] = Math.min(bound[i], metric.nearest(i, stamp[i], centresNow));
                    stamp[i] = centresNow;
                    tree.set(i, weighted(bound[i], weights, i));
                }
                if (bound[i] == proposed || random.nextDouble() * proposed < bound[i]) {
                    pick = i;
                    break;
                }
                if (pairsSinceFull >= fullRefreshShare * (centresNow - refreshedTo) * (double) n) {
                    metric.lowerAll(refreshedTo, centresNow, bound, stamp, picked);
                    for (int r = 0; r < n; r++) {
                        stamp[r] = Math.max(stamp[r], centresNow);
                    }
                    refreshedTo = centresNow;
                    pairsSinceFull = 0;
                    tree = tree(bound, weights);
                }
            }
            rows[p] = pick;
            d2[p] = bound[pick];
            picked[pick] = true;
            bound[pick] = 0;
            tree.set(pick, 0);
            metric.addCentre(p, pick);
        }
        return new Draws(rows, d2);
    }

    /** {@code w_i · B(i)}, with a zero weight giving 0 whatever the bound. */
    private static double weighted(double bound, double[] weights, int i) {
        if (weights == null) {
            return bound;
        }
        return weights[i] == 0 ? 0 : weights[i] * bound;
    }

    private static SumTree tree(double[] bound, double[] weights) {
        if (weights == null) {
            return new SumTree(bound);
        }
        double[] w = new double[bound.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weighted(bound[i], weights, i);
        }
        return new SumTree(w);
    }

    /**
     * {@link #sample} with every weight 1 and nothing picked, without the {@code n} weights: the same row for the same
     * random stream. With weights 1 the running sums are the integers {@code 1..n} (exact in double), the total is
     * {@code n}, and {@code u = nextDouble()·n < n}; the first row whose running sum {@code i + 1} exceeds {@code u} is
     * {@code ⌊u⌋} ({@code D2SamplerTest.uniformSampleEqualsTheSampleWithUnitWeights}). Consumes one
     * {@code nextDouble()}.
     */
    static int sampleUniform(int n, SplittableRandom random) {
        double u = random.nextDouble() * n;
        return Math.min(n - 1, (int) u); // u < n already (nextDouble() ≤ 1 − 2⁻⁵³); the min only guards the index
    }

    /**
     * Draws a row with probability proportional to {@code weights} (picked rows have weight 0): one uniform draw
     * {@code u ∈ [0, Σw)}, then the first row whose running sum exceeds {@code u}. When every weight is 0, the
     * lowest unpicked row. Consumes exactly one {@code nextDouble()} per call. O(n): for a single draw (k-means++'s
     * first centre).
     */
    static int sample(double[] weights, boolean[] picked, SplittableRandom random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = random.nextDouble() * total;
        if (total > 0) {
            double running = 0;
            int last = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 0) {
                    running += weights[i];
                    last = i;
                    if (running > u) {
                        return i;
                    }
                }
            }
            return last; // u rounded up to the total
        }
        for (int i = 0; i < picked.length; i++) {
            if (!picked[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no row left to pick");
    }
}
