package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * A small CNN for 28×28 images, the network of Gal, Islam and Ghahramani (2017, "Deep Bayesian Active Learning with
 * Image Data", MNIST experiments): conv 4×4×32 ReLU → conv 4×4×32 ReLU → max-pool 2×2 → dense 128 ReLU (the
 * embedding, {@code d = 128}) → dropout 0.5 → softmax. Unpadded convolutions: 28 → 25 → 22 → 11.
 *
 * <p>The paper also drops 25 % of the pooled features during training; al4j has one dropout, on the embedding by
 * default or on the pooled features ({@link #withDropoutPlacement}), so that MC-dropout passes and training see the
 * same stochastic layer. With one input channel and 10 classes the
 * network has 513 994 trainable parameters. Immutable.
 *
 * <pre>{@code
 * Architecture cnn = Architectures.smallCnn().withDropout(0.25);
 * }</pre>
 */
public final class SmallCnn extends Architecture {

    private final int filters;
    private final int dense;

    SmallCnn(int filters, int dense, double dropout, DropoutPlacement placement) {
        super(dropout, placement);
        this.filters = filters;
        this.dense = dense;
    }

    /** The number of filters of both convolutions (default 32). */
    public SmallCnn withFilters(int filters) {
        Checks.checkPositive(filters, "filters");
        return new SmallCnn(filters, dense, dropout(), dropoutPlacement());
    }

    /** The width of the dense layer, i.e. the embedding size (default 128). */
    public SmallCnn withDenseSize(int size) {
        Checks.checkPositive(size, "size");
        return new SmallCnn(filters, size, dropout(), dropoutPlacement());
    }

    /** The dropout rate in {@code [0, 1)} (on the embedding unless placed elsewhere); 0 turns MC dropout off. */
    @Override
    public SmallCnn withDropout(double rate) {
        checkDropout(rate);
        return new SmallCnn(filters, dense, rate, dropoutPlacement());
    }

    /**
     * Where the dropout sits: on the embedding (default) or after the convolutional stack, behind the max-pool
     * ({@link DropoutPlacement#AFTER_CONV_BLOCKS}).
     */
    @Override
    public SmallCnn withDropoutPlacement(DropoutPlacement placement) {
        Checks.checkNotNull(placement, "placement");
        return new SmallCnn(filters, dense, dropout(), placement);
    }

    @Override
    long[] networkInputShape(long[] sampleShape) {
        return imageShape(sampleShape, 8);
    }

    @Override
    Embedding addBody(GraphBuilder g, long[] inputShape) {
        g.addLayer("conv1", new ConvolutionLayer.Builder(4, 4).nOut(filters).activation(Activation.RELU)
                .weightInit(WeightInit.RELU).build(), INPUT);
        g.addLayer("conv2", new ConvolutionLayer.Builder(4, 4).nOut(filters).activation(Activation.RELU)
                .weightInit(WeightInit.RELU).build(), "conv1");
        g.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "conv2");
        g.addLayer("dense", new DenseLayer.Builder().nOut(dense).activation(Activation.RELU)
                .weightInit(WeightInit.RELU).build(), blockDropout(g, "pool", 0));
        return new Embedding("dense", dense);
    }

    @Override
    List<Tap> taps() {
        return List.of(new Tap("pool", true), new Tap("dense", false));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmallCnn c && c.filters == filters && c.dense == dense && sameDropout(c);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filters, dense, dropout(), dropoutPlacement());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Architectures.smallCnn()");
        if (filters != 32) {
            s.append(".withFilters(").append(filters).append(')');
        }
        if (dense != 128) {
            s.append(".withDenseSize(").append(dense).append(')');
        }
        return s.append(dropoutString(Architectures.DEFAULT_DROPOUT)).toString();
    }
}
