package dev.al4j.metrics;

import dev.al4j.core.Metric;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classification accuracy: the fraction of samples whose arg-max class equals the true label (ties in the arg-max go
 * to the lower class, as everywhere in al4j).
 *
 * <p>Cost: one pass over the {@code n·K} probabilities, copied once into a {@code double[]}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * double acc = Metrics.accuracy().evaluate(probabilities, labels);
 * }</pre>
 */
public final class Accuracy implements Metric {

    /** The column name in reports: {@value}. */
    public static final String NAME = "accuracy";

    static final Accuracy INSTANCE = new Accuracy();

    private Accuracy() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the fraction of correct arg-max predictions, in [0, 1]
     * @throws IllegalArgumentException for empty input, a row count that differs from the label count, invalid
     *     probabilities (outside [0, 1], NaN, rows not summing to 1) or labels outside {@code [0, K)}
     */
    @Override
    public double evaluate(INDArray probabilities, int[] labels) {
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        int correct = 0;
        for (int i = 0; i < m.rows; i++) {
            if (m.predicted(i) == m.labels[i]) {
                correct++;
            }
        }
        return (double) correct / m.rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Accuracy;
    }

    @Override
    public int hashCode() {
        return Accuracy.class.hashCode();
    }

    @Override
    public String toString() {
        return "Metrics.accuracy()";
    }
}
