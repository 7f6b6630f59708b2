package dev.al4j.dl4j;

/**
 * Where an {@link Architecture}'s dropout sits, for training and for MC-dropout passes
 * ({@link Dl4jModel#stochasticProbabilities}); the rate is {@link Architecture#dropout()}.
 *
 * <pre>{@code
 * // seed 000 (appendix A.3): dropout 0.3 after the convolutional blocks of ResNet-18, 50 MC passes
 * Dl4jLearner bald = Dl4jLearner.of(Architectures.resNet18().withDropout(0.3)
 *         .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS), training).withDefaultPasses(50);
 * }</pre>
 */
public enum DropoutPlacement {

    /**
     * Between the embedding and the classifier (the default), as in the DeepAL toolkit's networks of seed 003
     * ({@code logits = fc(dropout(e))}; its MC-dropout methods use 10 passes, appendix D.2). MC passes run the body
     * once per sample and only the classifier {@code T} times. Every architecture supports it.
     */
    EMBEDDING,

    /**
     * After every convolutional block, as seed 000 (appendix A.3) does for BALD: "a dropout layer with probability
     * of 0.3 after convolutional layers in the ResNet blocks", 50 passes. ResNet-18: after each of its 8 basic
     * blocks (on the block's output, after the shortcut's addition and ReLU); VGG-16: after each of its 5 blocks
     * (after the max-pool); the small CNN: after its convolutional stack (after the max-pool, where Gal et al. 2017
     * drop too). No dropout on the embedding then. MC passes run the whole network {@code T} times, with BatchNorm in
     * inference mode. The MLP has no convolutional blocks and rejects it.
     */
    AFTER_CONV_BLOCKS
}
