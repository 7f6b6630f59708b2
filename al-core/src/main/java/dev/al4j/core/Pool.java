package dev.al4j.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable pool of {@code N} samples with stable ids {@code 0..N-1}, their inputs (optional) and the labels
 * known so far.
 *
 * <p>Ids are always pool ids, never row numbers of a temporary array. {@link #candidates()} are the unlabeled ids a
 * query may pick from: all unlabeled ids unless a subset was set with {@link #withCandidates(int[])} (the loop does
 * this when it draws a random candidate subset each round). Every {@code withX} method returns a new pool and leaves
 * this one unchanged; a pool is thread-safe.
 *
 * <pre>{@code
 * Pool pool = Pool.of(PoolInputs.of(images), 10);
 * Pool seeded = pool.withLabels(new int[] {3, 17}, new int[] {0, 9});
 * int[] ids = seeded.candidates();   // every id but 3 and 17
 * }</pre>
 */
public final class Pool {

    private static final int UNLABELED = -1;

    private final int size;
    private final int numClasses;
    private final PoolInputs inputs; // may be null: outputs precomputed
    private final int[] labels; // UNLABELED or a class in [0, numClasses)
    private final int[] candidateSubset; // sorted, all unlabeled; null means all unlabeled ids
    private final int labeledCount;

    private Pool(int size, int numClasses, PoolInputs inputs, int[] labels, int[] candidateSubset) {
        this.size = size;
        this.numClasses = numClasses;
        this.inputs = inputs;
        this.labels = labels;
        this.candidateSubset = candidateSubset;
        int count = 0;
        for (int label : labels) {
            if (label != UNLABELED) {
                count++;
            }
        }
        this.labeledCount = count;
    }

    /**
     * A pool over the given inputs with no labels yet.
     *
     * @param inputs the samples; their count is the pool size
     * @param numClasses the number of classes {@code K >= 1}
     */
    public static Pool of(PoolInputs inputs, int numClasses) {
        Checks.checkNotNull(inputs, "inputs");
        Checks.checkPositive(inputs.size(), "pool size");
        Checks.checkPositive(numClasses, "numClasses");
        int[] labels = new int[inputs.size()];
        Arrays.fill(labels, UNLABELED);
        return new Pool(inputs.size(), numClasses, inputs, labels, null);
    }

    /**
     * A pool of {@code size} samples without inputs, for models whose outputs were computed elsewhere (see
     * {@link PrecomputedModel}).
     */
    public static Pool withoutInputs(int size, int numClasses) {
        Checks.checkPositive(size, "pool size");
        Checks.checkPositive(numClasses, "numClasses");
        int[] labels = new int[size];
        Arrays.fill(labels, UNLABELED);
        return new Pool(size, numClasses, null, labels, null);
    }

    /** The number of samples {@code N}. */
    public int size() {
        return size;
    }

    /** The number of classes {@code K}. */
    public int numClasses() {
        return numClasses;
    }

    /** The inputs, or empty when the pool carries none. */
    public Optional<PoolInputs> inputs() {
        return Optional.ofNullable(inputs);
    }

    /** The inputs, or an {@link IllegalStateException} naming {@code who} needs them. */
    public PoolInputs requireInputs(String who) {
        Checks.checkState(inputs != null, "%s needs the pool's inputs, but this pool has none", who);
        return inputs;
    }

    /** The number of labeled samples. */
    public int labeledCount() {
        return labeledCount;
    }

    /** The labeled ids, ascending. */
    public int[] labeled() {
        int[] out = new int[labeledCount];
        int j = 0;
        for (int id = 0; id < size; id++) {
            if (labels[id] != UNLABELED) {
                out[j++] = id;
            }
        }
        return out;
    }

    /** The unlabeled ids, ascending. */
    public int[] unlabeled() {
        int[] out = new int[size - labeledCount];
        int j = 0;
        for (int id = 0; id < size; id++) {
            if (labels[id] == UNLABELED) {
                out[j++] = id;
            }
        }
        return out;
    }

    /** The ids a query may pick from, ascending: the candidate subset if one is set, else all unlabeled ids. */
    public int[] candidates() {
        return candidateSubset == null ? unlabeled() : candidateSubset.clone();
    }

    /** Whether a candidate subset restricts {@link #candidates()}. */
    public boolean hasCandidateSubset() {
        return candidateSubset != null;
    }

    /** Whether {@code id} has a label. */
    public boolean isLabeled(int id) {
        Checks.checkId(id, size, "id");
        return labels[id] != UNLABELED;
    }

    /** The label of {@code id}, or empty when it has none. */
    public OptionalInt label(int id) {
        Checks.checkId(id, size, "id");
        return labels[id] == UNLABELED ? OptionalInt.empty() : OptionalInt.of(labels[id]);
    }

    /**
     * The labels of the given ids, in the same order.
     *
     * @throws IllegalArgumentException if one of them is unlabeled
     */
    public int[] labelsOf(int[] ids) {
        Checks.checkNotNull(ids, "ids");
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Checks.checkId(ids[i], size, "ids[" + i + "]");
            Checks.checkArgument(labels[ids[i]] != UNLABELED, "ids[%d] = %d has no label", i, ids[i]);
            out[i] = labels[ids[i]];
        }
        return out;
    }

    /**
     * A new pool in which the given ids carry the given labels (a label already known is replaced). Labeled ids
     * leave the candidate subset.
     *
     * @throws IndexOutOfBoundsException for an id outside {@code [0, N)}
     * @throws IllegalArgumentException for a repeated id, a label outside {@code [0, K)} or a length mismatch
     */
    public Pool withLabels(int[] ids, int[] newLabels) {
        Checks.checkNotNull(ids, "ids");
        Checks.checkNotNull(newLabels, "labels");
        Checks.checkArgument(ids.length == newLabels.length, "ids and labels must have the same length, found %d and %d",
                ids.length, newLabels.length);
        Checks.checkIds(ids, size, "ids");
        int[] next = labels.clone();
        for (int i = 0; i < ids.length; i++) {
            Checks.checkLabel(newLabels[i], numClasses, "labels[" + i + "]");
            next[ids[i]] = newLabels[i];
        }
        int[] subset = candidateSubset == null ? null
                : Arrays.stream(candidateSubset).filter(id -> next[id] == UNLABELED).toArray();
        return new Pool(size, numClasses, inputs, next, subset);
    }

    /**
     * A new pool whose queries may pick only from {@code ids}, which must be distinct unlabeled ids. Order does not
     * matter: candidates are kept ascending.
     */
    public Pool withCandidates(int[] ids) {
        Checks.checkIds(ids, size, "candidates");
        for (int id : ids) {
            Checks.checkArgument(labels[id] == UNLABELED, "candidates must be unlabeled, id %d has label %d", id,
                    labels[id]);
        }
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        return new Pool(size, numClasses, inputs, labels, sorted);
    }

    /** A new pool whose candidates are all unlabeled ids again. */
    public Pool withAllCandidates() {
        return candidateSubset == null ? this : new Pool(size, numClasses, inputs, labels, null);
    }

    @Override
    public String toString() {
        return "Pool[size=" + size + ", classes=" + numClasses + ", labeled=" + labeledCount
                + (candidateSubset == null ? "" : ", candidates=" + candidateSubset.length)
                + (inputs == null ? ", no inputs" : ", inputs=" + Arrays.toString(inputs.sampleShape())) + "]";
    }
}
