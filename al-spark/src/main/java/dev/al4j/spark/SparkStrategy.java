package dev.al4j.spark;

/**
 * A query strategy over a {@link SparkPool}: {@code budget} candidates (rows whose id is not labeled) in pick order.
 * Implementations are immutable and thread-safe; build them with {@link SparkStrategies}.
 *
 * <pre>{@code
 * SparkStrategy s = SparkStrategies.entropy();
 * SparkSelection next = s.select(pool, 1000);
 * }</pre>
 */
@FunctionalInterface
public interface SparkStrategy {

    /**
     * Validates the columns the strategy reads (one clear {@link IllegalArgumentException} naming the column or id,
     * before the long work), then selects {@code min(budget, candidates)} ids.
     *
     * @throws IllegalArgumentException on bad input or {@code budget < 0}
     */
    SparkSelection select(SparkPool pool, int budget);
}
