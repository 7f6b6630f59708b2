package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} that can run {@code T} stochastic forward passes (MC dropout), as Bayesian strategies (BALD,
 * MeanSTD, BatchBALD) need.
 */
public interface StochasticModel extends Model {

    /** The number of passes a strategy uses when it does not choose one. */
    int defaultPasses();

    /**
     * Class probabilities of {@code passes} stochastic forward passes.
     *
     * @param pool the pool the ids refer to
     * @param ids pool ids
     * @param passes {@code T >= 1}
     * @param seed the same seed gives the same passes
     * @return {@code [T, ids.length, K]}
     */
    INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed);
}
