package dev.al4j.core;

import java.util.List;

/**
 * The rounds of a finished (or paused) loop and why it stopped.
 *
 * @param rounds one result per completed round, in order
 * @param stopReason why the loop stopped, or {@code null} while it may still go on
 * @param finalPool the pool with every label received
 */
public record LoopResult(List<RoundResult> rounds, StopReason stopReason, Pool finalPool) {

    /** Copies the list. */
    public LoopResult {
        rounds = List.copyOf(rounds);
        Checks.checkNotNull(finalPool, "finalPool");
    }

    /** The last round's result, or an {@link IllegalStateException} when no round has completed. */
    public RoundResult last() {
        Checks.checkState(!rounds.isEmpty(), "no round has completed");
        return rounds.get(rounds.size() - 1);
    }

    /** The values of one metric, round by round. */
    public double[] metric(String name) {
        return rounds.stream().mapToDouble(r -> r.metric(name)).toArray();
    }

    /** The labeled counts, round by round. */
    public int[] labeledCounts() {
        return rounds.stream().mapToInt(RoundResult::labeledCount).toArray();
    }
}
