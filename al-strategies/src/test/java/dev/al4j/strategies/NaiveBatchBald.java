package dev.al4j.strategies;

import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;

/**
 * BatchBALD by brute force, as the reference for {@link BatchBald} and {@link JointEntropy}: joint entropies by
 * enumerating every class configuration of a set, {@code p(ŷ) = (1/T) Σ_j Π_i p(ŷ_i | x_i, ω_j)}, and the greedy
 * loop re-evaluating the full mutual information {@code I(y_S; ω) = H(y_S) − Σ_i E_ω H(y_i | ω)} of every
 * candidate set from scratch.
 */
final class NaiveBatchBald {

    private NaiveBatchBald() {}

    /** {@code p[i][j][y] = p(y | x_i, ω_j)}, rows divided by their sum, for all pool ids. */
    static double[][][] probabilities(Pool pool, StochasticModel model, int t) {
        int n = pool.size();
        int k = pool.numClasses();
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        float[][] passes = QueryOutputs.toPasses(model.stochasticProbabilities(pool, all, t, 0));
        double[][][] p = new double[n][t][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                p[i][j] = NaiveScores.normalised(passes[j], i * k, k);
            }
        }
        return p;
    }

    /** {@code H(y_S)} by enumerating the {@code K^|S|} configurations. */
    static double jointEntropy(double[][][] p, int[] set) {
        if (set.length == 0) {
            return 0;
        }
        int t = p[0].length;
        int k = p[0][0].length;
        int[] labels = new int[set.length];
        double h = 0;
        while (true) {
            double prob = 0;
            for (int j = 0; j < t; j++) {
                double product = 1;
                for (int i = 0; i < set.length; i++) {
                    product *= p[set[i]][j][labels[i]];
                }
                prob += product / t;
            }
            if (prob > 0) {
                h -= prob * Math.log(prob);
            }
            int d = 0; // next configuration, as a base-K counter
            while (d < set.length && ++labels[d] == k) {
                labels[d++] = 0;
            }
            if (d == set.length) {
                return h;
            }
        }
    }

    /** {@code I(y_S; ω) = H(y_S) − Σ_i (1/T) Σ_j H(p(· | x_i, ω_j))}. */
    static double mutualInformation(double[][][] p, int[] set) {
        double expected = 0;
        for (int i : set) {
            for (double[] row : p[i]) {
                expected += NaiveScores.entropy(row) / p[i].length;
            }
        }
        return jointEntropy(p, set) - expected;
    }

    /** The greedy picks among {@code candidates}, and each pick's gain in mutual information. */
    static Result greedy(double[][][] p, int[] candidates, int budget) {
        int b = Math.min(budget, candidates.length);
        int[] picked = new int[0];
        double[] gains = new double[b];
        double current = 0;
        for (int step = 0; step < b; step++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int id : candidates) {
                if (contains(picked, id)) {
                    continue;
                }
                int[] with = Arrays.copyOf(picked, picked.length + 1);
                with[picked.length] = id;
                double value = mutualInformation(p, with);
                if (value > bestValue + 1e-12 || (Math.abs(value - bestValue) <= 1e-12 && id < best)) {
                    best = id;
                    bestValue = value;
                }
            }
            picked = Arrays.copyOf(picked, picked.length + 1);
            picked[picked.length - 1] = best;
            gains[step] = bestValue - current;
            current = bestValue;
        }
        return new Result(picked, gains);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    record Result(int[] ids, double[] gains) {}
}
