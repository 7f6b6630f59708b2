package dev.al4j.metrics;

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
public final class BrierScore extends PerSampleMetric {

    /** The column name in reports: {@value}. */
    public static final String NAME = "brier";

    static final BrierScore INSTANCE = new BrierScore();

    private BrierScore() {
        super(NAME, "Metrics.brier()");
    }

    /** The squared distance of the row to the one-hot label, in [0, 2]. */
    @Override
    double sample(ProbabilityMatrix m, int i) {
        double[] p = m.values;
        int base = i * m.classes;
        double row = 0;
        for (int c = 0; c < m.classes; c++) {
            row += p[base + c] * p[base + c];
        }
        // Σ_c (p_c − y_c)² = Σ_c p_c² − 2 p_y + 1 for a one-hot y.
        return row - 2 * p[base + m.labels[i]] + 1;
    }
}
