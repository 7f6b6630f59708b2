package dev.al4j.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one round of the loop produced: the labels so far, the query, the fit and the evaluation.
 *
 * @param round the round (0 is the initial set)
 * @param labeledCount labeled samples after this round
 * @param queried ids asked this round
 * @param answered labels received this round
 * @param labeledClassCounts labeled samples per class after this round, length {@code K}
 * @param metrics the evaluation, by metric name, in the order the metrics were given (empty without evaluation)
 * @param queryNanos time of the strategy's selection (0 for the random initial round)
 * @param fitNanos time of training
 * @param pseudoLabels pseudo-labels that joined this round's training ({@link PseudoLabeler}); never counted in
 *     {@code labeledCount}, {@code answered} or {@code labeledClassCounts}, which are oracle labels only; 0 without
 *     a pseudo-labeler and in a round that did not train
 */
public record RoundResult(int round, int labeledCount, int queried, int answered, int[] labeledClassCounts,
        Map<String, Double> metrics, long queryNanos, long fitNanos, int pseudoLabels) {

    /** Copies the arrays and map. */
    public RoundResult {
        Checks.checkNotNull(labeledClassCounts, "labeledClassCounts");
        Checks.checkNotNull(metrics, "metrics");
        Checks.checkNonNegative(pseudoLabels, "pseudoLabels");
        labeledClassCounts = labeledClassCounts.clone();
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A round without pseudo-labels (the form of al4j before {@link PseudoLabeler}). */
    public RoundResult(int round, int labeledCount, int queried, int answered, int[] labeledClassCounts,
            Map<String, Double> metrics, long queryNanos, long fitNanos) {
        this(round, labeledCount, queried, answered, labeledClassCounts, metrics, queryNanos, fitNanos, 0);
    }

    @Override
    public int[] labeledClassCounts() {
        return labeledClassCounts.clone();
    }

    /** The value of one metric, or an {@link IllegalArgumentException} naming the ones present. */
    public double metric(String name) {
        Double v = metrics.get(name);
        Checks.checkArgument(v != null, "no metric named '%s' in this round; present: %s", name, metrics.keySet());
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundResult r && round == r.round && labeledCount == r.labeledCount
                && queried == r.queried && answered == r.answered && pseudoLabels == r.pseudoLabels
                && Arrays.equals(labeledClassCounts, r.labeledClassCounts) && metrics.equals(r.metrics);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * round + labeledCount) + pseudoLabels) + Arrays.hashCode(labeledClassCounts)
                + metrics.hashCode();
    }

    @Override
    public String toString() {
        return "RoundResult[round=" + round + ", labeled=" + labeledCount + ", answered=" + answered
                + (pseudoLabels > 0 ? ", pseudoLabels=" + pseudoLabels : "") + ", metrics=" + metrics + ", query="
                + queryNanos / 1_000_000 + " ms, fit=" + fitNanos / 1_000_000 + " ms]";
    }
}
