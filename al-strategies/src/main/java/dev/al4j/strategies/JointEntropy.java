package dev.al4j.strategies;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The joint entropy {@code H(y_1, ..., y_n)} of the labels of a growing set of points under {@code T} equally
 * weighted parameter samples {@code ω_1..ω_T}, as BatchBALD needs it (Kirsch, van Amersfoort and Gal 2019):
 * {@code p(ŷ_1..ŷ_n) = (1/T) Σ_j Π_i p(ŷ_i | x_i, ω_j)}.
 *
 * <p>The state is a table {@code P[c, j] = Π_i p(ŷ_i^c | x_i, ω_j)} over configurations {@code c} of the labels of
 * the points added so far. Then for a new point {@code x} with {@code [K, T]} probabilities {@code X},
 * {@code p(ŷ^c, y) = (1/T) (P · Xᵀ)[c, y]}: the joint entropy of every candidate is one matrix product per block of
 * candidates.
 * <ul>
 *   <li><b>Exact</b> while the {@code K^n} configurations number at most {@code exactLimit}: all of them are
 *       enumerated and {@code H(y_{1:n}, y) = −Σ_c Σ_y p(ŷ^c, y) log p(ŷ^c, y)}.</li>
 *   <li><b>Sampled</b> beyond: {@code M = S·T} configurations are drawn from {@code p(ŷ_{1:n})}, stratified over the
 *       parameter samples ({@code S} per {@code ω_j}, each label drawn from {@code p(· | x_i, ω_j)}, so a new point
 *       just extends every configuration by one draw), and
 *       {@code H(y_{1:n}, y) ≈ −(1/M) Σ_m Σ_y [p(ŷ^m, y) / p(ŷ^m)] log p(ŷ^m, y)}, an unbiased estimate since
 *       {@code H = E_{ŷ ~ p(ŷ)}[−Σ_y p(y | ŷ) log p(ŷ, y)]}. Each row of {@code P} is kept divided by its maximum,
 *       the logarithm of the factor accumulated apart, so that long products of probabilities do not underflow.</li>
 * </ul>
 *
 * <p>Memory: the table holds at most {@code max(exactLimit, M)·T} doubles; {@link #withCandidates} works on blocks
 * of at most {@link #BLOCK_ELEMENTS} doubles (two such arrays alive at once: 64 MiB). Not thread-safe: one instance
 * serves one query.
 */
final class JointEntropy {

    /** Largest {@code [candidates·K, configurations]} block of joint probabilities materialised at once. */
    static final long BLOCK_ELEMENTS = 1L << 22;

    /** Added to joint probabilities before the logarithm so that {@code 0 · log 0} gives 0, not NaN. */
    private static final double TINY = Double.MIN_NORMAL;

    private final int t;
    private final int k;
    private final int exactLimit;
    private final int samplesPerPass;
    private final SplittableRandom random;
    private final List<double[]> points = new ArrayList<>(); // each [T, K] row-major: p(y | x_i, ω_j) at j·K + y

    private boolean exact = true;
    private int configurations = 1;
    private double[] table; // [configurations, T] row-major
    private double[] logScale; // [configurations], sampled mode only

    /**
     * An empty set of points: one (empty) configuration of probability 1.
     *
     * @param t parameter samples (passes)
     * @param k classes
     * @param exactLimit the most configurations enumerated exactly
     * @param samples configurations drawn in sampled mode, rounded up to a multiple of {@code t}
     */
    JointEntropy(int t, int k, int exactLimit, int samples, SplittableRandom random) {
        this.t = t;
        this.k = k;
        this.exactLimit = exactLimit;
        this.samplesPerPass = Math.max(1, (samples + t - 1) / t);
        this.random = random;
        this.table = new double[t];
        Arrays.fill(table, 1.0);
    }

    /** Whether the configurations are enumerated exactly (else sampled). */
    boolean isExact() {
        return exact;
    }

    /** The number of configurations in the table (enumerated or sampled). */
    int configurations() {
        return configurations;
    }

    /** Adds a point given its {@code [T, K]} row-major probabilities {@code p(y | x, ω_j)} at {@code j·K + y}. */
    void add(double[] point) {
        Checks.checkArgument(point.length == t * k, "point must hold T*K = %d values, found %d", t * k,
                point.length);
        points.add(point.clone());
        if (exact && (long) configurations * k <= exactLimit) {
            extendExactly(point);
        } else if (exact) {
            switchToSampled();
        } else {
            extendBySampling(point);
        }
    }

    private void extendExactly(double[] point) {
        double[] next = new double[configurations * k * t];
        for (int c = 0; c < configurations; c++) {
            for (int y = 0; y < k; y++) {
                int row = (c * k + y) * t;
                for (int j = 0; j < t; j++) {
                    next[row + j] = table[c * t + j] * point[j * k + y];
                }
            }
        }
        table = next;
        configurations *= k;
    }

    /** Draws {@code S·T} configurations of all points added so far. */
    private void switchToSampled() {
        exact = false;
        configurations = samplesPerPass * t;
        table = new double[configurations * t];
        Arrays.fill(table, 1.0);
        logScale = new double[configurations];
        for (double[] point : points) {
            extendBySampling(point);
        }
    }

    /**
     * Extends every sampled configuration {@code m} (stratum {@code j = m / S}) by a label drawn from
     * {@code p(· | x, ω_j)}, and rescales its row of the table to a maximum of 1.
     */
    private void extendBySampling(double[] point) {
        for (int m = 0; m < configurations; m++) {
            int stratum = m / samplesPerPass;
            int y = draw(point, stratum * k);
            int row = m * t;
            double max = 0;
            for (int j = 0; j < t; j++) {
                double v = table[row + j] * point[j * k + y];
                table[row + j] = v;
                max = Math.max(max, v);
            }
            // max > 0: the stratum's own entry is a product of probabilities of labels drawn from it, all > 0.
            double inv = 1.0 / max;
            for (int j = 0; j < t; j++) {
                table[row + j] *= inv;
            }
            logScale[m] += Math.log(max);
        }
    }

    /** A class drawn from the {@code k} probabilities at {@code offset}; never one of probability 0. */
    private int draw(double[] p, int offset) {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int y = 0; y < k; y++) {
            double v = p[offset + y];
            if (v > 0) {
                cumulative += v;
                last = y;
                if (u < cumulative) {
                    return y;
                }
            }
        }
        return last; // u beyond a cumulative sum a rounding error short of 1
    }

    /** {@code p(ŷ^c) = (1/T) Σ_j P[c, j]} (up to the row's scale factor in sampled mode). */
    private double[] marginals() {
        double[] out = new double[configurations];
        for (int c = 0; c < configurations; c++) {
            double s = 0;
            for (int j = 0; j < t; j++) {
                s += table[c * t + j];
            }
            out[c] = s / t;
        }
        return out;
    }

    /** The joint entropy {@code H(y_1..y_n)} of the points added so far (exact or estimated); 0 for none. */
    double entropy() {
        double[] marginal = marginals();
        double h = 0;
        if (exact) {
            for (double p : marginal) {
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            return h;
        }
        // H = E[−log p(ŷ)] over the sampled configurations, log p(ŷ^m) = logScale[m] + log marginal[m].
        for (int m = 0; m < configurations; m++) {
            h -= logScale[m] + Math.log(marginal[m]);
        }
        return h / configurations;
    }

    /**
     * The joint entropy {@code H(y_1..y_n, y_x)} with each candidate {@code x} in turn.
     *
     * @param candidates {@code [n·K, T]} doubles, row {@code x·K + y} holding {@code p(y | x, ω_j)} over {@code j}
     * @param n the number of candidates
     */
    double[] withCandidates(INDArray candidates, int n) {
        int c = configurations;
        double[] marginal = marginals();
        // Exact: H = −Σ_c Σ_y q log q with q = p(ŷ^c, y), weight 1.
        // Sampled: H = offset − Σ_m w_m Σ_y q log q with q the scaled joint, w_m = 1 / (M p̃(ŷ^m)) and
        // offset = −(1/M) Σ_m logScale[m] (the scale factors' share of log p(ŷ^m, y), since Σ_y q / p̃ = 1).
        double[] weights = new double[c];
        double offset = 0;
        if (exact) {
            Arrays.fill(weights, 1.0);
        } else {
            for (int m = 0; m < c; m++) {
                weights[m] = 1.0 / (c * marginal[m]);
                offset -= logScale[m] / c;
            }
        }
        INDArray tableT = Nd4j.create(table, new long[] {c, t}, 'c').transpose();
        INDArray w = Nd4j.create(weights, new long[] {c, 1}, 'c');
        int chunk = (int) Math.max(1, Math.min(n, BLOCK_ELEMENTS / ((long) k * c)));
        double[] out = new double[n];
        for (int i0 = 0; i0 < n; i0 += chunk) {
            int i1 = Math.min(n, i0 + chunk);
            INDArray rows = candidates.get(NDArrayIndex.interval((long) i0 * k, (long) i1 * k), NDArrayIndex.all());
            INDArray q = rows.mmul(tableT).muli(1.0 / t); // [(i1 − i0)·K, C]: p(ŷ^c, y) for each candidate row
            INDArray qLogQ = Transforms.log(q.add(TINY), false).muli(q);
            double[] perRow = qLogQ.mmul(w).data().asDouble(); // Σ_c w_c q log q, one value per (candidate, y)
            Checks.checkState(perRow.length == (i1 - i0) * k, "expected %d sums, found %d", (i1 - i0) * k,
                    perRow.length);
            for (int i = i0; i < i1; i++) {
                double s = 0;
                int base = (i - i0) * k;
                for (int y = 0; y < k; y++) {
                    s += perRow[base + y];
                }
                out[i] = offset - s;
            }
        }
        return out;
    }
}
