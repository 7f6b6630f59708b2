package dev.al4j.metrics;

import dev.al4j.core.Metric;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The multi-class Brier score (Brier, 1950): the mean over samples of the squared distance between the predicted
 * probability vector and the one-hot true label, {@code (1/n) Σ_i Σ_c (p_ic − [y_i = c])²}. Lower is better; it
 * lies in [0, 2] (0 for confident correct predictions, 2 for confident wrong ones). This is the original definition,
 * summed over classes and not divided by {@code K}.
 *
 * <p>Cost: one pass over the {@code n·K} probabilities, copied once into a {@code double[]}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * double brier = Metrics.brier().evaluate(probabilities, labels);
 * }</pre>
 */
public final class BrierScore implements Metric {

    /** The column name in reports: {@value}. */
    public static final String NAME = "brier";

    static final BrierScore INSTANCE = new BrierScore();

    private BrierScore() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the mean squared distance to the one-hot labels, in [0, 2]
     * @throws IllegalArgumentException for empty input, a row count that differs from the label count, invalid
     *     probabilities (outside [0, 1], NaN, rows not summing to 1) or labels outside {@code [0, K)}
     */
    @Override
    public double evaluate(INDArray probabilities, int[] labels) {
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        double[] p = m.values;
        double total = 0;
        for (int i = 0; i < m.rows; i++) {
            int base = i * m.classes;
            double row = 0;
            for (int c = 0; c < m.classes; c++) {
                row += p[base + c] * p[base + c];
            }
            // Σ_c (p_c − y_c)² = Σ_c p_c² − 2 p_y + 1 for a one-hot y.
            total += row - 2 * p[base + m.labels[i]] + 1;
        }
        return total / m.rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrierScore;
    }

    @Override
    public int hashCode() {
        return BrierScore.class.hashCode();
    }

    @Override
    public String toString() {
        return "Metrics.brier()";
    }
}
