package dev.al4j.metrics;

import dev.al4j.core.LoopListener;
import dev.al4j.core.RoundResult;

/**
 * A {@link LoopListener} that appends a {@link RoundRow} to an {@link ExperimentLog} at the end of every round of one
 * loop, labelled with the loop's strategy and trial. Get one from {@link ExperimentLog#reporter(String, int)}.
 *
 * <p>It is called on the loop's thread; the log it writes to is thread-safe, so the reporters of loops running in
 * parallel may share one log.
 *
 * <pre>{@code
 * ActiveLearningLoop.builder()...listener(log.reporter("Strategies.entropy()", trial)).build().run();
 * }</pre>
 */
public final class RoundReporter implements LoopListener {

    private final ExperimentLog log;
    private final String strategy;
    private final int trial;

    RoundReporter(ExperimentLog log, String strategy, int trial) {
        this.log = log;
        this.strategy = strategy;
        this.trial = trial;
    }

    /** Appends the round's row; the write is flushed before the loop goes on. */
    @Override
    public void onRoundEnd(RoundResult result) {
        log.append(RoundRow.of(strategy, trial, result));
    }

    /** The strategy name written in the rows. */
    public String strategy() {
        return strategy;
    }

    /** The trial written in the rows. */
    public int trial() {
        return trial;
    }

    @Override
    public String toString() {
        return log + ".reporter(\"" + strategy + "\", " + trial + ")";
    }
}
