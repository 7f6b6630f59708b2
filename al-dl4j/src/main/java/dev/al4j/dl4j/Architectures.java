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

    /**
     * The small CNN of Gal et al. (2017) for 28×28 images: two 4×4 convolutions of 32, max-pool, dense 128
     * (the embedding), dropout 0.5, softmax.
     */
    public static SmallCnn smallCnn() {
        return new SmallCnn(32, 128, DEFAULT_DROPOUT, DropoutPlacement.EMBEDDING);
    }

    /** ResNet-18 with the CIFAR stem (3×3, stride 1, no max-pool), no dropout; see {@link ResNet18}. */
    public static ResNet18 resNet18() {
        return new ResNet18(false, 64, 0, DropoutPlacement.EMBEDDING);
    }

    /** VGG-16 with batch normalisation and a one-layer CIFAR classifier, no dropout; see {@link Vgg16}. */
    public static Vgg16 vgg16() {
        return new Vgg16(64, 0, DropoutPlacement.EMBEDDING);
    }
}
