package dev.al4j.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The result of a query: pool ids in pick order, their scores where the strategy has scores, and how long the query
 * took. Immutable: arrays are copied in and out.
 */
public final class Selection {

    private final int[] ids;
    private final double[] scores; // null when the strategy has no per-id scores
    private final long queryNanos;

    private Selection(int[] ids, double[] scores, long queryNanos) {
        this.ids = ids;
        this.scores = scores;
        this.queryNanos = queryNanos;
    }

    /**
     * A selection with scores.
     *
     * @param ids distinct pool ids in pick order
     * @param scores one score per id, or {@code null} when the strategy has none
     * @param queryNanos the time the query took, in nanoseconds
     */
    public static Selection of(int[] ids, double[] scores, long queryNanos) {
        Checks.checkNotNull(ids, "ids");
        Checks.checkArgument(scores == null || scores.length == ids.length,
                "scores must have one value per id (%d), found %d", ids.length, scores == null ? 0 : scores.length);
        Checks.checkArgument(queryNanos >= 0, "queryNanos must be >= 0, found %d", queryNanos);
        return new Selection(ids.clone(), scores == null ? null : scores.clone(), queryNanos);
    }

    /**
     * The selection of {@code candidates[positions[i]]} in the order of {@code positions}, each with its score
     * {@code scores[positions[i]]} ({@code scores} indexed as {@code candidates}), timed from {@code start}
     * ({@link System#nanoTime}): how a strategy that ranked its candidates by position reports its picks.
     */
    public static Selection atPositions(int[] positions, int[] candidates, double[] scores, long start) {
        int[] ids = new int[positions.length];
        double[] picked = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            ids[i] = candidates[positions[i]];
            picked[i] = scores[positions[i]];
        }
        return of(ids, picked, System.nanoTime() - start);
    }

    /** A selection without scores. */
    public static Selection of(int[] ids, long queryNanos) {
        return of(ids, null, queryNanos);
    }

    /** The selected pool ids, in pick order. */
    public int[] ids() {
        return ids.clone();
    }

    /** The number of ids selected. */
    public int size() {
        return ids.length;
    }

    /** The scores of {@link #ids()}, in the same order, when the strategy scores ids. */
    public Optional<double[]> scores() {
        return Optional.ofNullable(scores).map(double[]::clone);
    }

    /** How long the query took. */
    public Duration queryTime() {
        return Duration.ofNanos(queryNanos);
    }

    /** A copy with another query time, for a strategy that wraps another and times the whole. */
    public Selection withQueryNanos(long nanos) {
        return of(ids, scores, nanos);
    }

    /** Equal ids and scores; the query time is not part of equality. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && Arrays.equals(ids, s.ids) && Arrays.equals(scores, s.scores);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        int shown = Math.min(ids.length, 10);
        String head = Arrays.toString(Arrays.copyOf(ids, shown));
        return "Selection[" + ids.length + " ids " + (shown < ids.length ? head.replace("]", ", ...]") : head)
                + ", " + queryTime().toMillis() + " ms]";
    }
}
