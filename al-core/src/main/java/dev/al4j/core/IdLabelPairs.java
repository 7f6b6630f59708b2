package dev.al4j.core;

import java.util.Arrays;

/**
 * Ids with one label each, in a fixed order: what {@link Answers} (an oracle's labels) and
 * {@link PseudoLabeler.Labels} (a round's pseudo-labels) have in common. Immutable: the subclasses give arrays no one
 * else holds, and the accessors copy them out.
 */
abstract sealed class IdLabelPairs permits Answers, PseudoLabeler.Labels {

    final int[] ids;
    final int[] labels;

    IdLabelPairs(int[] ids, int[] labels) {
        this.ids = ids;
        this.labels = labels;
    }

    /** The ids, in order. */
    public int[] ids() {
        return ids.clone();
    }

    /** Their labels, in the order of {@link #ids()}. */
    public int[] labels() {
        return labels.clone();
    }

    /** The number of ids. */
    public int size() {
        return ids.length;
    }

    /** Whether {@code other} has the same ids with the same labels in the same order (for {@code equals}). */
    final boolean samePairs(IdLabelPairs other) {
        return Arrays.equals(ids, other.ids) && Arrays.equals(labels, other.labels);
    }

    /** A hash of the ids and labels, consistent with {@link #samePairs}. */
    final int pairsHash() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(labels);
    }
}
