package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.Metric;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A metric evaluated on a set of its own instead of the loop's evaluation set: the robustness to dataset shift of
 * seed 000 (§4.2, Figure 4b–c: accuracy and ECE (eq. 6) on CIFAR-10 corrupted with Gaussian blur). Each round the
 * loop hands it the model; it runs the model on its pool and evaluates the wrapped metric on those probabilities
 * against its labels. The report column is {@code shift_} followed by the wrapped metric's name ({@code
 * shift_accuracy}, {@code shift_ece}) unless {@link #withName(String)} says otherwise.
 *
 * <p>Cost per round: one forward pass of the model over the shifted pool (in the model's mini-batches) per
 * shifted metric, plus the wrapped metric's cost. Immutable and thread-safe (pool and labels are immutable copies;
 * the model is not kept).
 *
 * <pre>{@code
 * Pool blurred = Pool.of(PoolInputs.of(blurredTestImages), k);
 * loopBuilder.evaluation(test, testLabels, Metrics.accuracy(),
 *         Metrics.onShiftedData(blurred, testLabels, Metrics.accuracy()));
 * }</pre>
 */
public final class ShiftedDataMetric implements Metric {

    /** The prefix of the default column name: {@value}. */
    public static final String PREFIX = "shift_";

    private final Pool pool;
    private final int[] labels;
    private final Metric metric;
    private final String name;

    ShiftedDataMetric(Pool pool, int[] labels, Metric metric, String name) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(labels, "labels");
        Checks.checkNotNull(metric, "metric");
        Checks.checkArgument(pool.size() > 0, "pool must hold at least one sample, found 0");
        Checks.checkArgument(pool.inputs().isPresent(), "pool must have inputs for the model to run on, found a pool "
                + "without inputs");
        Checks.checkArgument(labels.length == pool.size(), "labels must have one label per pool sample (%d), found %d",
                pool.size(), labels.length);
        ProbabilityMatrix.checkLabels(labels, pool.numClasses());
        this.pool = pool;
        this.labels = labels.clone();
        this.metric = metric;
        this.name = OutOfDistributionAuroc.checkName(name);
    }

    /**
     * The same metric under another column name.
     *
     * @throws IllegalArgumentException for a blank name or one with characters other than letters, digits and
     *     {@code _}
     */
    public ShiftedDataMetric withName(String name) {
        return new ShiftedDataMetric(pool, labels, metric, name);
    }

    /** The shifted samples. */
    public Pool pool() {
        return pool;
    }

    /** The true classes of the shifted samples (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** The wrapped metric. */
    public Metric metric() {
        return metric;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Not available: this metric evaluates the model on its own data; the loop calls
     * {@link #evaluate(Model, INDArray, int[])}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double evaluate(INDArray probabilities, int[] labels) {
        throw new UnsupportedOperationException(this + " needs the model to score its own samples; call "
                + "evaluate(model, probabilities, labels)");
    }

    /**
     * The wrapped metric on the model's probabilities of this metric's pool and its labels; the loop's evaluation
     * set ({@code probabilities}, {@code labels}) is not used.
     *
     * @throws IllegalArgumentException when the model's classes differ from the pool's
     */
    @Override
    public double evaluate(Model model, INDArray probabilities, int[] labels) {
        Checks.checkNotNull(model, "model");
        Checks.checkArgument(model.numClasses() == pool.numClasses(), "model must have the shifted pool's %d "
                + "classes, found %d", pool.numClasses(), model.numClasses());
        int[] all = new int[pool.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return metric.evaluate(model, model.probabilities(pool, all), this.labels);
    }

    /** Equal when both hold the same pool (by identity), equal labels, equal wrapped metrics and the same name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ShiftedDataMetric m && m.pool == pool && Arrays.equals(m.labels, labels)
                && m.metric.equals(metric) && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return ((31 * System.identityHashCode(pool) + Arrays.hashCode(labels)) * 31 + metric.hashCode()) * 31
                + name.hashCode();
    }

    @Override
    public String toString() {
        return "Metrics.onShiftedData(<" + pool.size() + " samples>, <labels>, " + metric + ")"
                + (name.equals(PREFIX + metric.name()) ? "" : ".withName(\"" + name + "\")");
    }
}
