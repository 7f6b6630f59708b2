package dev.al4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link Learner} trains on: the inputs of labeled pool samples, their labels, the pool ids they came from,
 * and a seed for this fit.
 *
 * <p>{@code inputs} may be {@code null} for pools without inputs (a learner over precomputed features looks samples
 * up by id). The arrays are not copied on the way in: treat them as read-only.
 *
 * @param ids pool ids, one per training row
 * @param inputs {@code [n, ...]} inputs in the order of {@code ids}, or {@code null}
 * @param labels classes in {@code [0, numClasses)}, one per row
 * @param numClasses {@code K}
 * @param seed the seed for this fit: the same data and seed give the same model
 */
public record TrainingData(int[] ids, INDArray inputs, int[] labels, int numClasses, long seed) {

    /** Validates lengths and labels. */
    public TrainingData {
        Checks.checkNotNull(ids, "ids");
        Checks.checkNotNull(labels, "labels");
        Checks.checkPositive(numClasses, "numClasses");
        Checks.checkArgument(ids.length == labels.length, "ids and labels must have the same length, found %d and %d",
                ids.length, labels.length);
        Checks.checkArgument(inputs == null || inputs.size(0) == ids.length,
                "inputs must have %d rows (one per id), found %d", ids.length, inputs == null ? 0 : inputs.size(0));
        for (int i = 0; i < labels.length; i++) {
            Checks.checkLabel(labels[i], numClasses, "labels[" + i + "]");
        }
    }

    /** The labeled samples of {@code pool}, ascending by id, with their inputs when the pool has them. */
    public static TrainingData of(Pool pool, long seed) {
        Checks.checkNotNull(pool, "pool");
        int[] ids = pool.labeled();
        INDArray inputs = pool.inputs().map(in -> in.rows(ids)).orElse(null);
        return new TrainingData(ids, inputs, pool.labelsOf(ids), pool.numClasses(), seed);
    }

    /** The number of training samples. */
    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingData t && Arrays.equals(ids, t.ids) && Arrays.equals(labels, t.labels)
                && numClasses == t.numClasses && seed == t.seed && java.util.Objects.equals(inputs, t.inputs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(labels) + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "TrainingData[n=" + ids.length + ", classes=" + numClasses + ", seed=" + seed + "]";
    }
}
