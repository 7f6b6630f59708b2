package dev.al4j.dl4j;

/**
 * Factories for the network architectures of {@link Dl4jLearner}. Every architecture is an immutable value with
 * {@code withX} options whose {@code toString()} echoes how it was built.
 *
 * <pre>{@code
 * Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
 * }</pre>
 */
public final class Architectures {

    static final int[] MLP_HIDDEN = {256, 256, 256};
    static final double DEFAULT_DROPOUT = 0.5;

    private Architectures() {}

    /**
     * The Ask-n-Learn MLP: 3 hidden ReLU layers of 256, softmax output, dropout 0.5 on the 256-wide embedding.
     * Accepts samples of any shape (flattened).
     */
    public static Mlp mlp() {
        return new Mlp(MLP_HIDDEN.clone(), DEFAULT_DROPOUT);
    }
}
