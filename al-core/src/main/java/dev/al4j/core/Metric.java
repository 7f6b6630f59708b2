package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A measure of a model's predictions on an evaluation set, computed by the loop after each round.
 *
 * <p>Implementations live in al-metrics ({@code Metrics.accuracy()}, ...). They must be immutable and thread-safe.
 *
 * <p>The loop calls {@link #evaluate(Model, INDArray, int[])} with the round's model and its probabilities on the
 * loop's evaluation set. Most metrics need only those probabilities (the default delegates to
 * {@link #evaluate(INDArray, int[])}); a metric that measures the model on data of its own, e.g. the AUROC of
 * out-of-distribution detection against a second set or accuracy on a shifted copy of the test set
 * ({@code Metrics.oodAuroc(...)}, {@code Metrics.onShiftedData(...)}), overrides it and runs the model on that data
 * inside the round, so that its value is stored with the round and is the same on a resumed run.
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

    /**
     * Computes the measure of one round's model; this is what the loop calls. The default ignores the model and
     * returns {@link #evaluate(INDArray, int[]) evaluate(probabilities, labels)}.
     *
     * @param model the round's model, for a metric that evaluates it on a set of its own (it must not keep it)
     * @param probabilities {@code [n, K]} the model's class probabilities on the loop's evaluation set
     * @param labels the evaluation set's true classes, {@code n} values in {@code [0, K)}
     * @return the value of the measure
     * @throws IllegalArgumentException when the shapes disagree or the inputs are invalid
     */
    default double evaluate(Model model, INDArray probabilities, int[] labels) {
        return evaluate(probabilities, labels);
    }
}
