package dev.al4j.core;

/**
 * A question the loop asks: label these ids. Returned by {@link ActiveLearningLoop#nextQuery()}.
 *
 * @param round the loop round (0 is the random initial set)
 * @param selection the ids to label, in pick order, with the strategy's scores and time
 */
public record Query(int round, Selection selection) {

    /** Checks the fields. */
    public Query {
        Checks.checkNonNegative(round, "round");
        Checks.checkNotNull(selection, "selection");
    }

    /** The ids to label, in pick order. */
    public int[] ids() {
        return selection.ids();
    }
}
