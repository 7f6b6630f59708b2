package dev.al4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Labels an {@link Oracle} gave for some of the ids it was asked about. Answers may be partial: an id asked about
 * but absent here was skipped. Immutable.
 */
public final class Answers extends IdLabelPairs {

    private final String annotator;

    private Answers(int[] ids, int[] labels, String annotator) {
        super(ids, labels);
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

    /**
     * Splits these answers to a query into the valid ones (ids asked, labels in {@code [0, numClasses)}), keeping
     * the annotator, and a description of each invalid one, in answer order: the one check of answers, used by
     * {@link ActiveLearningLoop#submit} (any problem refuses them all) and by the oracle's calls (the valid part is
     * stored).
     */
    Checked check(int[] asked, int poolSize, int numClasses) {
        boolean[] open = new boolean[poolSize];
        for (int id : asked) {
            open[id] = true;
        }
        int[] keep = new int[ids.length];
        int kept = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= poolSize || !open[ids[i]]) {
                problems.add("id " + ids[i] + " was not asked");
            } else if (labels[i] >= numClasses) {
                problems.add("label " + labels[i] + " of id " + ids[i] + " is outside [0, " + numClasses + ")");
            } else {
                keep[kept++] = i;
            }
        }
        int[] keptIds = new int[kept];
        int[] keptLabels = new int[kept];
        for (int j = 0; j < kept; j++) {
            keptIds[j] = ids[keep[j]];
            keptLabels[j] = labels[keep[j]];
        }
        return new Checked(new Answers(keptIds, keptLabels, annotator), List.copyOf(problems));
    }

    /** Valid answers and the problems of the others (see {@link #check}). */
    record Checked(Answers valid, List<String> problems) {
        /** The first five problems, comma-separated, then "..." if there are more. */
        String describeProblems() {
            return String.join(", ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? ", ..." : "");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Answers a && samePairs(a)
                && annotator.equals(a.annotator);
    }

    @Override
    public int hashCode() {
        return 31 * pairsHash() + annotator.hashCode();
    }

    @Override
    public String toString() {
        return "Answers[" + ids.length + (annotator.isEmpty() ? "" : " by " + annotator) + "]";
    }
}
