package dev.al4j.metrics;

import dev.al4j.core.Metric;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A metric that is the mean over samples of a value of each sample's probability row and true label (accuracy,
 * Brier score, negative log-likelihood): the checks, the one pass over the rows and the value semantics are written
 * here once; a subclass says only what one sample is worth.
 *
 * <p>Subclasses are stateless singletons: equal to any instance of their own class, named by their report column,
 * and shown as the factory call that returns them. Immutable and thread-safe.
 */
abstract class PerSampleMetric implements Metric {

    private final String name;
    private final String factoryCall;

    PerSampleMetric(String name, String factoryCall) {
        this.name = name;
        this.factoryCall = factoryCall;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * @return the mean of the per-sample value over the rows, in the range the metric's class documents
     * @throws IllegalArgumentException for empty input, a row count that differs from the label count, invalid
     *     probabilities (outside [0, 1], NaN, rows not summing to 1) or labels outside {@code [0, K)}
     */
    @Override
    public final double evaluate(INDArray probabilities, int[] labels) {
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        double total = 0;
        for (int i = 0; i < m.rows; i++) {
            total += sample(m, i);
        }
        return total / m.rows;
    }

    /** The value of sample {@code i}: its row is {@code m.values[i·K .. (i+1)·K)}, its label {@code m.labels[i]}. */
    abstract double sample(ProbabilityMatrix m, int i);

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public final String toString() {
        return factoryCall;
    }
}
