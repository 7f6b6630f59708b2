package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network architecture for {@link Dl4jLearner}, made by {@link Architectures}: a body from the input to the
 * penultimate features (the embedding, after global pooling for convolutional networks) and a linear softmax
 * classifier on top, trained with cross-entropy.
 *
 * <p>Dropout with rate {@link #dropout()} sits between the embedding and the classifier, as in the DeepAL toolkit's
 * networks ({@code e = relu(fc1(x)); logits = fc2(dropout(e))}): during training, and during MC-dropout passes
 * ({@link Dl4jModel#stochasticProbabilities}), where everything below the embedding — BatchNorm included — runs in
 * inference mode. The embedding a model reports is taken before dropout.
 *
 * <p>Architectures are immutable values with {@code withX} options, value equality and a {@code toString()} that
 * echoes how to build them. Input size and class count are not part of the value: they come from the training data.
 */
public abstract sealed class Architecture permits Mlp, SmallCnn, ResNet18, Vgg16 {

    static final String INPUT = "input";
    static final String OUTPUT = "output";

    Architecture() {}

    /** The dropout rate in {@code [0, 1)} on the embedding, during training and MC-dropout passes; 0 = none. */
    public abstract double dropout();

    /**
     * The shape of one network input, from the shape of one pool sample (e.g. {@code [784]} from {@code [1, 28, 28]}
     * for an MLP), or an {@link IllegalArgumentException} naming this architecture and the shape.
     */
    abstract long[] networkInputShape(long[] sampleShape);

    /**
     * Adds the layers from {@link #INPUT} to the embedding.
     *
     * @param inputShape the shape of one network input, as returned by {@link #networkInputShape}
     * @return the embedding's vertex name and size
     */
    abstract Embedding addBody(GraphBuilder graph, long[] inputShape);

    /** The embedding vertex (a rank-2 activation {@code [n, size]}) of a body. */
    record Embedding(String vertex, int size) {}

    /** A graph configuration built for given inputs and classes, with where its embedding is. */
    record Built(ComputationGraphConfiguration configuration, long[] inputShape, Embedding embedding) {}

    /**
     * Builds the whole network: {@code base} carries seed, updater, weight decay and data type.
     *
     * @param sampleShape the shape of one pool sample
     * @param dropoutSeed seeds the training-time dropout masks
     */
    final Built build(NeuralNetConfiguration.Builder base, long[] sampleShape, int numClasses, long dropoutSeed) {
        Checks.checkPositive(numClasses, "numClasses");
        long[] inputShape = networkInputShape(sampleShape);
        GraphBuilder graph = base.graphBuilder().addInputs(INPUT).setInputTypes(inputType(inputShape));
        Embedding embedding = addBody(graph, inputShape);
        OutputLayer.Builder head = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(embedding.size()).nOut(numClasses).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (dropout() > 0) {
            head.dropOut(new SeededDropout(dropout(), dropoutSeed));
        }
        graph.addLayer(OUTPUT, head.build(), embedding.vertex()).setOutputs(OUTPUT);
        return new Built(graph.build(), inputShape, embedding);
    }

    private static InputType inputType(long[] inputShape) {
        return inputShape.length == 1 ? InputType.feedForward(inputShape[0])
                : InputType.convolutional(inputShape[1], inputShape[2], inputShape[0]);
    }

    static void checkDropout(double rate) {
        Checks.checkArgument(rate >= 0 && rate < 1, "dropout must be in [0, 1), found %s", rate);
    }

    /** {@code [c, h, w]} from a sample shape {@code [c, h, w]} or {@code [h, w]} (one channel), for image networks. */
    final long[] imageShape(long[] sampleShape, long minSide) {
        long[] s = sampleShape.length == 2 ? new long[] {1, sampleShape[0], sampleShape[1]} : sampleShape;
        Checks.checkArgument(s.length == 3, "%s needs image samples of shape [channels, height, width] or "
                + "[height, width], found sample shape %s", this, Arrays.toString(sampleShape));
        Checks.checkArgument(s[0] > 0 && s[1] >= minSide && s[2] >= minSide,
                "%s needs images of at least %dx%d pixels, found sample shape %s", this, minSide, minSide,
                Arrays.toString(sampleShape));
        return s.clone();
    }
}
