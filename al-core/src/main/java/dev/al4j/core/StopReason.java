package dev.al4j.core;

/** Why an {@link ActiveLearningLoop} stopped. */
public enum StopReason {
    /** The label budget is spent. */
    BUDGET,
    /** No unlabeled sample is left. */
    POOL_EXHAUSTED,
    /** The user's stop predicate returned {@code true}. */
    USER_PREDICATE,
    /** The oracle answered nothing for {@link ActiveLearningLoop#MAX_SILENT_ROUNDS} rounds in a row. */
    ORACLE_SILENT
}
