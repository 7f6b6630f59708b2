package dev.al4j.strategies.diversity;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A weighted sum of acquisition functions, {@code s(i) = Σ_t w_t · norm_t(s_t(i))}. Scores live on different scales
 * (entropy in nats, margins in [0, 1], variances), so each term is first min-max normalised over the ids being
 * scored: {@code norm_t(s) = (s − min_t) / (max_t − min_t)}, or 0 for every id when the term is constant. The result
 * lies in {@code [0, Σ w_t]}; note that it depends on which ids are scored together.
 *
 * <p>Each term reads the model itself, so a model that computes its outputs on demand runs once per term; put the
 * sum inside {@link Prefilter} (which caches an {@code EmbeddingModel}'s outputs) to run it once. Cost: the terms'
 * cost plus O(T·N). Immutable and thread-safe when the terms are.
 *
 * <pre>{@code
 * AcquisitionFunction mix = Strategies.weightedSum(Strategies.entropy(), 0.7).plus(Strategies.margin(), 0.3);
 * QueryStrategy s = TopK.of(mix);
 * }</pre>
 */
public final class WeightedSum implements AcquisitionFunction {

    private final List<AcquisitionFunction> terms;
    private final double[] weights;

    private WeightedSum(List<AcquisitionFunction> terms, double[] weights) {
        this.terms = terms;
        this.weights = weights;
    }

    /** A sum of one term, {@code weight > 0} and finite. */
    public static WeightedSum of(AcquisitionFunction term, double weight) {
        return new WeightedSum(List.of(), new double[0]).plus(term, weight);
    }

    /** A copy with one more term, {@code weight > 0} and finite. */
    public WeightedSum plus(AcquisitionFunction term, double weight) {
        Checks.checkNotNull(term, "term");
        Checks.checkPositive(weight, "weight");
        List<AcquisitionFunction> t = new ArrayList<>(terms);
        t.add(term);
        double[] w = Arrays.copyOf(weights, weights.length + 1);
        w[weights.length] = weight;
        return new WeightedSum(List.copyOf(t), w);
    }

    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        Checks.checkNotNull(ids, "ids");
        double[] total = new double[ids.length];
        for (int t = 0; t < terms.size(); t++) {
            double[] s = terms.get(t).score(pool, model, ids);
            DiverseMiniBatch.checkScores(terms.get(t), s, ids);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double range = max - min;
            if (range > 0) {
                for (int i = 0; i < s.length; i++) {
                    total[i] += weights[t] * ((s[i] - min) / range);
                }
            }
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedSum w && w.terms.equals(terms) && Arrays.equals(w.weights, weights);
    }

    @Override
    public int hashCode() {
        return 31 * terms.hashCode() + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Strategies.weightedSum(").append(terms.get(0)).append(", ")
                .append(weights[0]).append(')');
        for (int t = 1; t < terms.size(); t++) {
            s.append(".plus(").append(terms.get(t)).append(", ").append(weights[t]).append(')');
        }
        return s.toString();
    }
}
