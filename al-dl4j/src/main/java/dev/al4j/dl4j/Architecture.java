package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A network architecture for {@link Dl4jLearner}, made by {@link Architectures}: a body from the input to the
 * penultimate features (the embedding, after global pooling for convolutional networks) and a linear softmax
 * classifier on top, trained with cross-entropy.
 *
 * <p>Dropout with rate {@link #dropout()} sits where {@link #dropoutPlacement()} says: by default
 * ({@link DropoutPlacement#EMBEDDING}) between the embedding and the classifier, as in the DeepAL toolkit's networks
 * ({@code e = relu(fc1(x)); logits = fc2(dropout(e))}); or after every convolutional block
 * ({@link DropoutPlacement#AFTER_CONV_BLOCKS}, seed 000's BALD). It is on during training and during MC-dropout
 * passes ({@link Dl4jModel#stochasticProbabilities}), where every other layer — BatchNorm included — runs in inference
 * mode. The embedding a model reports is always the deterministic (inference-mode) one.
 *
 * <p>Architectures are immutable values with {@code withX} options, value equality and a {@code toString()} that
 * echoes how to build them. Input size and class count are not part of the value: they come from the training data.
 */
public abstract sealed class Architecture permits Mlp, SmallCnn, ResNet18, Vgg16 {

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    static final String PROJECTION_HIDDEN = "projection_hidden";
    static final String PROJECTION = "projection";
    static final String LOSS_PREDICTION = "loss_prediction";
    static final String ROTATION = "rotation";
    static final String STOCHASTIC_COPIES = "stochastic_copies";

    private final double dropout;
    private final DropoutPlacement placement;

    Architecture(double dropout, DropoutPlacement placement) {
        this.dropout = dropout;
        this.placement = placement;
    }

    /** The dropout rate in {@code [0, 1)}, during training and MC-dropout passes; 0 = none. */
    public final double dropout() {
        return dropout;
    }

    /** Where the dropout sits (default {@link DropoutPlacement#EMBEDDING}). */
    public final DropoutPlacement dropoutPlacement() {
        return placement;
    }

    /**
     * The same architecture with dropout rate {@code rate} in {@code [0, 1)}; 0 turns dropout, and with it MC
     * dropout, off.
     */
    public abstract Architecture withDropout(double rate);

    /**
     * The same architecture with its dropout at {@code placement}; the rate stays {@link #dropout()}.
     *
     * @throws IllegalArgumentException when this architecture has no such place (the MLP has no convolutional
     *     blocks)
     */
    public abstract Architecture withDropoutPlacement(DropoutPlacement placement);

    /** The dropout rate on the embedding, i.e. the classifier's input: {@link #dropout()} or 0. */
    final double embeddingDropout() {
        return dropoutPlacement() == DropoutPlacement.EMBEDDING ? dropout() : 0;
    }

    /**
     * A {@link McDropoutVertex} on {@code input} when the dropout sits after the convolutional blocks (the
     * {@code index}-th such vertex); returns the name to read on from ({@code input} itself otherwise).
     */
    final String blockDropout(GraphBuilder graph, String input, int index) {
        if (dropoutPlacement() != DropoutPlacement.AFTER_CONV_BLOCKS || !(dropout() > 0)) {
            return input;
        }
        String name = input + "_dropout";
        graph.addVertex(name, new McDropoutVertex(dropout(), index), input);
        return name;
    }

    /**
     * The {@code .withDropout(...)} and {@code .withDropoutPlacement(...)} parts of a {@code toString()}, each empty
     * when it is the default ({@code defaultRate}, {@link DropoutPlacement#EMBEDDING}).
     */
    final String dropoutString(double defaultRate) {
        return (dropout != defaultRate ? ".withDropout(" + dropout + ")" : "")
                + (placement == DropoutPlacement.EMBEDDING ? ""
                : ".withDropoutPlacement(DropoutPlacement." + placement.name() + ")");
    }

    /** Whether {@code other} has the same dropout rate and placement (for the subclasses' {@code equals}). */
    final boolean sameDropout(Architecture other) {
        return dropout == other.dropout && placement == other.placement;
    }

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

    /**
     * The intermediate features a loss-prediction module reads (Yoo and Kweon 2019: the outputs of the network's
     * blocks), in order; valid for the graph {@link #addBody} builds.
     */
    abstract java.util.List<Tap> taps();

    /** An intermediate feature: a vertex and whether it is a {@code [n, c, h, w]} map (pooled first). */
    record Tap(String vertex, boolean convolutional) {}

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
        return build(base, sampleShape, numClasses, dropoutSeed, new LossMCXENT());
    }

    /** As {@link #build(NeuralNetConfiguration.Builder, long[], int, long)}, with the classifier trained on {@code loss}. */
    final Built build(NeuralNetConfiguration.Builder base, long[] sampleShape, int numClasses, long dropoutSeed,
            ILossFunction loss) {
        return build(base, sampleShape, numClasses, dropoutSeed, loss, null, 0, 1);
    }

    /**
     * As above, plus (when {@code lossModule} is not null) Yoo and Kweon's loss-prediction module (seed 000 and 003's
     * Learning Loss): every {@link #taps() tap} → a {@link GradientStopVertex} (the paper's {@code detach()} of the
     * features from epoch {@code lossModule.stopEpoch(epochs)} on) → global average pooling (feature maps only) →
     * dense {@code width} ReLU; their concatenation → linear → the predicted loss, the second network output
     * {@link #LOSS_PREDICTION}, trained with the {@link MarginRankingLoss} on target losses given as its labels.
     *
     * @param epochs the number of training epochs, which the gradient stop scales with
     * @param stochasticCopies above 1, a {@link StochasticCopiesVertex} between the embedding and the classifier
     *     makes every training step run the classifier (and its dropout) on that many copies of each embedding
     *     (VWCC, seed 002 eq. 2); inference is unchanged
     */
    final Built build(NeuralNetConfiguration.Builder base, long[] sampleShape, int numClasses, long dropoutSeed,
            ILossFunction loss, LossModule lossModule, int epochs, int stochasticCopies) {
        Checks.checkPositive(numClasses, "numClasses");
        Checks.checkPositive(stochasticCopies, "stochasticCopies");
        long[] inputShape = networkInputShape(sampleShape);
        GraphBuilder graph = base.graphBuilder().addInputs(INPUT).setInputTypes(inputType(inputShape));
        Embedding embedding = addBody(graph, inputShape);
        String classifierInput = embedding.vertex();
        if (stochasticCopies > 1) {
            classifierInput = STOCHASTIC_COPIES;
            graph.addVertex(STOCHASTIC_COPIES, new StochasticCopiesVertex(stochasticCopies), embedding.vertex());
        }
        graph.addLayer(OUTPUT, classifier(embedding.size(), numClasses, embeddingDropout(), dropoutSeed, loss),
                classifierInput);
        if (lossModule == null) {
            graph.setOutputs(OUTPUT);
        } else {
            int stopEpoch = lossModule.stopEpoch(epochs);
            java.util.List<Tap> taps = taps();
            String[] branches = new String[taps.size()];
            for (int m = 0; m < taps.size(); m++) {
                String in = "lp_stop" + m;
                graph.addVertex(in, new GradientStopVertex(stopEpoch), taps.get(m).vertex());
                if (taps.get(m).convolutional()) {
                    graph.addLayer("lp_gap" + m, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
                    in = "lp_gap" + m;
                }
                branches[m] = "lp_fc" + m;
                graph.addLayer(branches[m], new DenseLayer.Builder().nOut(lossModule.width())
                        .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), in);
            }
            String joined = branches[0];
            if (branches.length > 1) {
                joined = "lp_concat";
                graph.addVertex(joined, new MergeVertex(), branches);
            }
            graph.addLayer(LOSS_PREDICTION, new OutputLayer.Builder(new MarginRankingLoss(lossModule.margin()))
                    .nOut(1).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), joined)
                    .setOutputs(OUTPUT, LOSS_PREDICTION);
        }
        return new Built(graph.build(), inputShape, embedding);
    }

    /**
     * The loss-prediction module's options: branch width (128 in the paper), ranking margin ξ (1) and the fraction
     * of the training epochs after which the module's gradient stops flowing into the target network (120 of 200 in
     * the paper: 0.6).
     */
    record LossModule(int width, double margin, double gradientStop) {

        /** The paper's module: width 128, margin 1, gradient stopped after 120 of 200 epochs. */
        static final double PAPER_GRADIENT_STOP = 120.0 / 200.0;

        /** The first epoch (0-based) without the module's gradient in the target network, of {@code epochs}. */
        int stopEpoch(int epochs) {
            return (int) Math.round(gradientStop * epochs);
        }
    }

    /**
     * The body with a projection head instead of the classifier, for contrastive pre-training: embedding → dense
     * {@code hidden} ReLU → linear {@code out}, trained with {@code loss} on one-hot class labels.
     */
    final Built buildContrastive(NeuralNetConfiguration.Builder base, long[] sampleShape, int hidden, int out,
            ILossFunction loss) {
        long[] inputShape = networkInputShape(sampleShape);
        GraphBuilder graph = base.graphBuilder().addInputs(INPUT).setInputTypes(inputType(inputShape));
        Embedding embedding = addBody(graph, inputShape);
        graph.addLayer(PROJECTION_HIDDEN, new DenseLayer.Builder().nIn(embedding.size()).nOut(hidden)
                        .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), embedding.vertex())
                .addLayer(PROJECTION, new OutputLayer.Builder(loss).nIn(hidden).nOut(out)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), PROJECTION_HIDDEN)
                .setOutputs(PROJECTION);
        return new Built(graph.build(), inputShape, embedding);
    }

    /**
     * PAL's scoring network (Bhatnagar et al.): the body with two softmax heads on the embedding, {@link #ROTATION}
     * (4 rotations) and {@link #OUTPUT} ({@code numClasses}), both trained with cross-entropy; outputs in that order.
     */
    final Built buildPretext(NeuralNetConfiguration.Builder base, long[] sampleShape, int numClasses) {
        long[] inputShape = networkInputShape(sampleShape);
        GraphBuilder graph = base.graphBuilder().addInputs(INPUT).setInputTypes(inputType(inputShape));
        Embedding embedding = addBody(graph, inputShape);
        graph.addLayer(ROTATION, classifier(embedding.size(), 4, 0, 0, new LossMCXENT()), embedding.vertex())
                .addLayer(OUTPUT, classifier(embedding.size(), numClasses, 0, 0, new LossMCXENT()),
                        embedding.vertex())
                .setOutputs(ROTATION, OUTPUT);
        return new Built(graph.build(), inputShape, embedding);
    }

    /**
     * The network of {@link #build(NeuralNetConfiguration.Builder, long[], int, long)} plus a parameter-free
     * {@link LossLayer} named {@code name} right on the embedding, trained with {@code loss}: a second output through
     * which a gradient computed outside the network (WAAL's critic term, {@link InjectedGradientLoss}) reaches the
     * body. Outputs {@link #OUTPUT}, then {@code name}.
     */
    final Built buildWithEmbeddingLoss(NeuralNetConfiguration.Builder base, long[] sampleShape, int numClasses,
            long dropoutSeed, String name, ILossFunction loss) {
        Checks.checkPositive(numClasses, "numClasses");
        long[] inputShape = networkInputShape(sampleShape);
        GraphBuilder graph = base.graphBuilder().addInputs(INPUT).setInputTypes(inputType(inputShape));
        Embedding embedding = addBody(graph, inputShape);
        graph.addLayer(OUTPUT, classifier(embedding.size(), numClasses, embeddingDropout(), dropoutSeed,
                        new LossMCXENT()), embedding.vertex())
                .addLayer(name, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(),
                        embedding.vertex())
                .setOutputs(OUTPUT, name);
        return new Built(graph.build(), inputShape, embedding);
    }

    /** The classifier on the embedding: dropout (training only, seeded) then linear + softmax, cross-entropy. */
    static OutputLayer classifier(int embeddingSize, int numClasses, double dropout, long dropoutSeed,
            ILossFunction loss) {
        OutputLayer.Builder head = new OutputLayer.Builder(loss)
                .nIn(embeddingSize).nOut(numClasses).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (dropout > 0) {
            head.dropOut(new SeededDropout(dropout, dropoutSeed));
        }
        return head.build();
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
