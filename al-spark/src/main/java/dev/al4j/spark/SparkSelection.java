package dev.al4j.spark;

import dev.al4j.core.Checks;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * What a {@link SparkStrategy} selected: pool ids (the id column's values) in pick order, one score per id, how long
 * the selection took (validation included), and for k-center the covering radius the picks reach.
 *
 * <p>Immutable (arrays copied in and out); thread-safe.
 *
 * <pre>{@code
 * SparkSelection s = SparkStrategies.kCenterGreedy().select(pool, 100);
 * long[] ids = s.ids();
 * double r = s.radius().orElseThrow();
 * }</pre>
 */
public final class SparkSelection {

    private final long[] ids;
    private final double[] scores;
    private final double radius; // NaN: none
    private final double cost; // NaN: none
    private final long nanos;

    private SparkSelection(long[] ids, double[] scores, double radius, double cost, long nanos) {
        this.ids = ids;
        this.scores = scores;
        this.radius = radius;
        this.cost = cost;
        this.nanos = nanos;
    }

    /** A selection of {@code ids} with their {@code scores} (same length), without a radius. */
    public static SparkSelection of(long[] ids, double[] scores, long nanos) {
        return of(ids, scores, Double.NaN, nanos);
    }

    /** A selection with the covering radius it reaches ({@code NaN}: none). */
    public static SparkSelection of(long[] ids, double[] scores, double radius, long nanos) {
        Checks.checkNotNull(ids, "ids");
        Checks.checkNotNull(scores, "scores");
        Checks.checkArgument(ids.length == scores.length, "ids and scores must have the same length, found %d and %d",
                ids.length, scores.length);
        return new SparkSelection(ids.clone(), scores.clone(), radius, Double.NaN, nanos);
    }

    /** A selection with the k-means (D²) cost it reaches. */
    public static SparkSelection withCost(long[] ids, double[] scores, double cost, long nanos) {
        SparkSelection s = of(ids, scores, nanos);
        return new SparkSelection(s.ids, s.scores, Double.NaN, cost, nanos);
    }

    /** The selected ids, in pick order (for scores: highest first, ties toward the lower id). */
    public long[] ids() {
        return ids.clone();
    }

    /** One score per selected id, in the same order; what a score means is the strategy's. */
    public double[] scores() {
        return scores.clone();
    }

    /** The number of selected ids. */
    public int size() {
        return ids.length;
    }

    /**
     * For k-center: {@code max_i min_j ‖x_i − c_j‖} over the candidates {@code i}, the centres {@code c} being the
     * labeled samples and the picks; empty for the other strategies.
     */
    public OptionalDouble radius() {
        return Double.isNaN(radius) ? OptionalDouble.empty() : OptionalDouble.of(radius);
    }

    /**
     * For BADGE: the k-means cost {@code Σ_i min_c ‖g_i − g_c‖²} of the picks {@code c} over the candidates
     * {@code i} in gradient-embedding space; empty for the other strategies.
     */
    public OptionalDouble cost() {
        return Double.isNaN(cost) ? OptionalDouble.empty() : OptionalDouble.of(cost);
    }

    /** Wall-clock nanoseconds of the whole selection on Spark, validation included. */
    public long queryNanos() {
        return nanos;
    }

    /** Equal ids, scores, radius and cost (the time is not compared). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SparkSelection s && Arrays.equals(ids, s.ids) && Arrays.equals(scores, s.scores)
                && Double.compare(radius, s.radius) == 0 && Double.compare(cost, s.cost) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(scores)) + Double.hashCode(radius)
                + 7 * Double.hashCode(cost);
    }

    @Override
    public String toString() {
        return "SparkSelection" + Arrays.toString(ids) + (Double.isNaN(radius) ? "" : ", radius " + radius);
    }
}
