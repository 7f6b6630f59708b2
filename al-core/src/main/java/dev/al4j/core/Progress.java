package dev.al4j.core;

/**
 * Receives progress of long tasks (training epochs, mini-batches of inference) so that a console progress bar or a
 * log can show it. Implementations must be cheap; they are called from the thread doing the work.
 */
@FunctionalInterface
public interface Progress {

    /**
     * Reports that {@code done} of {@code total} units of {@code task} are finished.
     *
     * @param task a short name such as {@code "fit"} or {@code "inference"}
     * @param done units finished so far, {@code 0 <= done <= total}
     * @param total all units of the task
     */
    void update(String task, long done, long total);

    /** A progress sink that ignores everything. */
    static Progress none() {
        return (task, done, total) -> { };
    }
}
