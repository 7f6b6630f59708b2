package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained model's view for active learning: class probabilities of pool samples, by pool id.
 *
 * <p>A model is an immutable snapshot produced by a {@link Learner}; it is thread-safe. Richer capabilities are the
 * sub-interfaces {@link EmbeddingModel} (penultimate features) and {@link StochasticModel} (MC dropout passes); a
 * strategy that needs one asks for it with {@link Capabilities#require}.
 *
 * <p>Implementations run their network in mini-batches and at most once per sample per call.
 */
public interface Model {

    /** The number of classes {@code K}. */
    int numClasses();

    /**
     * Class probabilities of the given pool samples.
     *
     * @param pool the pool the ids refer to (its inputs are read if the model needs them)
     * @param ids pool ids
     * @return {@code [ids.length, K]}, rows summing to 1, in the order of {@code ids}
     */
    INDArray probabilities(Pool pool, int[] ids);

    /**
     * Whether this model offers {@code capability} (one of {@link Model}, {@link EmbeddingModel},
     * {@link StochasticModel}). The default is an {@code instanceof} test; a model that implements an interface but
     * lacks the data behind it (a {@link PrecomputedModel} without embeddings) overrides this.
     */
    default boolean supports(Class<? extends Model> capability) {
        return capability.isInstance(this);
    }
}
