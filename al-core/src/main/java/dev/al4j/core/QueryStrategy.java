package dev.al4j.core;

/**
 * Chooses which unlabeled samples to label next.
 *
 * <p>Contract (checked for every strategy by {@code QueryStrategyContract} in al-core's test-jar): the result holds
 * {@code min(budget, pool.candidates().length)} distinct ids, all from {@code pool.candidates()}, in pick order; a
 * budget above the candidate count returns every candidate; a negative budget is an
 * {@link IllegalArgumentException}; the same pool, model outputs, budget and seed give the same selection, whatever
 * order candidates come in; ties break toward the lower id. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface QueryStrategy {

    /**
     * Selects up to {@code budget} candidates of {@code pool}.
     *
     * @throws IllegalArgumentException for a negative budget, invalid model outputs or a model lacking a capability
     *     the strategy needs
     */
    Selection select(Pool pool, Model model, int budget);

    /**
     * What decides this strategy's selections, as text: by default its {@code toString()}; a strategy with settings
     * that change how fast it runs but not what it selects (a thread count) leaves them out. A stored run resumes
     * only with a strategy of the same description ({@link ActiveLearningLoop}), so it may resume on another machine
     * with another thread count.
     */
    default String selectionDescription() {
        return toString();
    }
}
