package dev.al4j.core;

import java.util.Arrays;

/**
 * Labels an {@link Oracle} gave for some of the ids it was asked about. Answers may be partial: an id asked about
 * but absent here was skipped. Immutable.
 */
public final class Answers {

    private final int[] ids;
    private final int[] labels;
    private final String annotator;

    private Answers(int[] ids, int[] labels, String annotator) {
        this.ids = ids;
        this.labels = labels;
        this.annotator = annotator;
    }

    /**
     * Answers for {@code ids}, in the same order as {@code labels}.
     *
     * @throws IllegalArgumentException for a length mismatch, a repeated id or a negative id or label
     */
    public static Answers of(int[] ids, int[] labels) {
        Checks.checkIdLabelPairs(ids, labels);
        return new Answers(ids.clone(), labels.clone(), "");
    }

    /** No answers at all. */
    public static Answers none() {
        return new Answers(new int[0], new int[0], "");
    }

    /** A copy naming who gave these answers; the label store records it with each label. */
    public Answers withAnnotator(String annotator) {
        Checks.checkNotNull(annotator, "annotator");
        return new Answers(ids, labels, annotator);
    }

    /** Who gave these answers, or the empty string when unnamed. */
    public String annotator() {
        return annotator;
    }

    /** The answered ids. */
    public int[] ids() {
        return ids.clone();
    }

    /** The labels, in the order of {@link #ids()}. */
    public int[] labels() {
        return labels.clone();
    }

    /** The number of answers. */
    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Answers a && Arrays.equals(ids, a.ids) && Arrays.equals(labels, a.labels)
                && annotator.equals(a.annotator);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(labels)) + annotator.hashCode();
    }

    @Override
    public String toString() {
        return "Answers[" + ids.length + (annotator.isEmpty() ? "" : " by " + annotator) + "]";
    }
}
