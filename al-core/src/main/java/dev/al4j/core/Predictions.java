package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Probabilities and penultimate features of the same samples, from one forward pass.
 *
 * @param probabilities {@code [n, K]} class probabilities
 * @param embeddings {@code [n, d]} penultimate-layer features
 */
public record Predictions(INDArray probabilities, INDArray embeddings) {

    /** Checks that both arrays are matrices with the same number of rows. */
    public Predictions {
        Checks.checkNotNull(probabilities, "probabilities");
        Checks.checkNotNull(embeddings, "embeddings");
        Checks.checkArgument(probabilities.rank() == 2 && embeddings.rank() == 2,
                "probabilities and embeddings must be matrices, found ranks %d and %d", probabilities.rank(),
                embeddings.rank());
        Checks.checkArgument(probabilities.rows() == embeddings.rows(),
                "probabilities and embeddings must have the same rows, found %d and %d", probabilities.rows(),
                embeddings.rows());
    }
}
