package dev.al4j.core;

/**
 * A {@link Model} that also gives penultimate-layer features, from the same forward pass as its probabilities.
 * Diversity and hybrid strategies (k-center, BADGE, ...) need it.
 */
public interface EmbeddingModel extends Model {

    /** The feature dimension {@code d}. */
    int embeddingSize();

    /**
     * Probabilities {@code [n, K]} and embeddings {@code [n, d]} of the given pool samples, from one forward pass.
     */
    Predictions predict(Pool pool, int[] ids);
}
