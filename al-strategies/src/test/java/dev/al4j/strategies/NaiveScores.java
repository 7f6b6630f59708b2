package dev.al4j.strategies;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Textbook implementations of every score, written for clarity on {@code double[][]} rows (no blocking, no shared
 * loops, MeanSTD by {@code E[p²] − E[p]²}, KL term by term), as the reference the optimised kernels are checked
 * against. Rows are divided by their sum first, as the kernels do.
 */
final class NaiveScores {

    private NaiveScores() {}

    static double[] normalised(float[] p, int offset, int k) {
        double[] row = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += p[offset + c];
        }
        for (int c = 0; c < k; c++) {
            row[c] = p[offset + c] / sum;
        }
        return row;
    }

    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            h += v == 0 ? 0 : -v * Math.log(v);
        }
        return h;
    }

    static double margin(double[] p) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double first = sorted[sorted.length - 1];
        double second = sorted.length > 1 ? sorted[sorted.length - 2] : 0;
        return 1 - (first - second);
    }

    static double leastConfidence(double[] p) {
        return 1 - Arrays.stream(p).max().orElseThrow();
    }

    static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The rows of sample {@code i} in each pass. */
    static double[][] rowsOf(float[][] passes, int i, int k) {
        double[][] rows = new double[passes.length][];
        for (int t = 0; t < passes.length; t++) {
            rows[t] = normalised(passes[t], i * k, k);
        }
        return rows;
    }

    static double[] mean(double[][] rows) {
        double[] m = new double[rows[0].length];
        for (double[] r : rows) {
            for (int c = 0; c < m.length; c++) {
                m[c] += r[c] / rows.length;
            }
        }
        return m;
    }

    static double bald(double[][] rows) {
        double expected = 0;
        for (double[] r : rows) {
            expected += entropy(r) / rows.length;
        }
        return entropy(mean(rows)) - expected;
    }

    static double meanStd(double[][] rows) {
        int k = rows[0].length;
        double total = 0;
        for (int c = 0; c < k; c++) {
            double s = 0;
            double s2 = 0;
            for (double[] r : rows) {
                s += r[c];
                s2 += r[c] * r[c];
            }
            double m = s / rows.length;
            total += Math.sqrt(Math.max(0, s2 / rows.length - m * m));
        }
        return total / k;
    }

    static double variationRatio(double[][] rows) {
        int[] votes = new int[rows[0].length];
        for (double[] r : rows) {
            votes[argMax(r)]++;
        }
        return 1 - (double) Arrays.stream(votes).max().orElseThrow() / rows.length;
    }

    static double voteEntropy(double[][] rows) {
        int[] votes = new int[rows[0].length];
        for (double[] r : rows) {
            votes[argMax(r)]++;
        }
        double[] f = new double[votes.length];
        for (int c = 0; c < f.length; c++) {
            f[c] = (double) votes[c] / rows.length;
        }
        return entropy(f);
    }

    static double meanKlToConsensus(double[][] rows) {
        double[] m = mean(rows);
        double total = 0;
        for (double[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                if (r[c] > 0) {
                    total += r[c] * Math.log(r[c] / m[c]);
                }
            }
        }
        return total / rows.length;
    }

    // --- random inputs -------------------------------------------------------------------------------------------

    /**
     * {@code n} probability rows over {@code k} classes, row-major float32: a mix of softmax rows at random
     * temperatures (from nearly uniform to nearly one-hot), exact one-hot rows and rows with exact zeros.
     */
    static float[] randomRows(int n, int k, SplittableRandom random) {
        float[] out = new float[n * k];
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            int style = random.nextInt(4);
            double sum = 0;
            if (style == 0) {
                Arrays.fill(row, 0);
                row[random.nextInt(k)] = 1;
                sum = 1;
            } else {
                double scale = random.nextDouble() * 8;
                for (int c = 0; c < k; c++) {
                    boolean zero = style == 1 && k > 1 && random.nextInt(3) == 0;
                    row[c] = zero ? 0 : Math.exp(scale * dev.al4j.core.TestModels.gaussian(random));
                    sum += row[c];
                }
                if (sum == 0) {
                    row[0] = 1;
                    sum = 1;
                }
            }
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) (row[c] / sum);
            }
        }
        return out;
    }

    /** Rows from softmax of Gaussian logits only: continuous, so the largest entry is unique (no argmax ties). */
    static float[] continuousRows(int n, int k, SplittableRandom random) {
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(2 * dev.al4j.core.TestModels.gaussian(random));
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) (z[c] / sum);
            }
        }
        return out;
    }

    /** The same rows with classes permuted: column {@code c} moves to {@code perm[c]}. */
    static float[] permuteClasses(float[] p, int k, int[] perm) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length / k; i++) {
            for (int c = 0; c < k; c++) {
                out[i * k + perm[c]] = p[i * k + c];
            }
        }
        return out;
    }

    static int[] permutation(int k, SplittableRandom random) {
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) {
            perm[i] = i;
        }
        for (int i = k - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }
}
