package dev.al4j.core;

/**
 * One informativeness score per candidate: higher means more worth labeling. {@link TopK#of} turns it into a
 * {@link QueryStrategy}.
 *
 * <p>Implementations are immutable, thread-safe and score every id independently of the others (a batch-aware
 * strategy implements {@link QueryStrategy} directly). They must run the model once, over all {@code ids}, and
 * return finite scores.
 */
@FunctionalInterface
public interface AcquisitionFunction {

    /**
     * Scores the given pool ids.
     *
     * @return one score per id, in the order of {@code ids}
     */
    double[] score(Pool pool, Model model, int[] ids);
}
