package dev.al4j.core;

/**
 * Hooks into the loop's progress: progress bars, logs and reports hang here, not inside the loop. Every method has
 * an empty default. Listeners are called on the loop's thread, in the order added; an exception thrown by a listener
 * stops the call that triggered it (labels already received are stored first).
 */
public interface LoopListener {

    /** A round begins; {@code pool} is the pool the query will see (with its candidate subset). */
    default void onRoundStart(int round, Pool pool) {}

    /** The strategy (or the random initial draw) chose the round's ids. */
    default void onQueryDone(int round, Selection selection) {}

    /** Answers were received and stored. */
    default void onLabelsReceived(int round, Answers answers) {}

    /** A model was trained on the labels so far. */
    default void onFitDone(int round, Model model, long fitNanos) {}

    /** A round ended, with its evaluation. */
    default void onRoundEnd(RoundResult result) {}

    /** The loop stopped. */
    default void onStop(LoopResult result) {}

    /** Progress of a long task within the round (training epochs, inference batches). */
    default void onProgress(int round, String task, long done, long total) {}
}
