package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A measure of a model's predictions on an evaluation set, computed by the loop after each round.
 *
 * <p>Implementations live in al-metrics ({@code Metrics.accuracy()}, ...). They must be immutable and thread-safe.
 */
public interface Metric {

    /** A short, stable name used as the column name in reports, e.g. {@code "accuracy"}. */
    String name();

    /**
     * Computes the measure.
     *
     * @param probabilities {@code [n, K]} class probabilities, rows summing to 1
     * @param labels the true classes, {@code n} values in {@code [0, K)}
     * @return the value of the measure
     * @throws IllegalArgumentException when the shapes disagree or the inputs are invalid
     */
    double evaluate(INDArray probabilities, int[] labels);
}
