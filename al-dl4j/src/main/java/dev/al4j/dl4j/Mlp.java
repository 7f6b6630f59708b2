package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.List;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * A multilayer perceptron: fully connected ReLU layers, then the softmax classifier. The default is the Ask-n-Learn
 * MLP (Venkatesh and Thiagarajan 2020): input → 256 → 256 → 256 → K, with dropout 0.5 on the last hidden layer's output
 * (the embedding, {@code d = 256}) so that the model offers MC dropout.
 *
 * <p>Inputs of any sample shape are flattened ({@code [n, 1, 28, 28]} becomes {@code [n, 784]}). Forward cost per
 * sample: {@code O(D·h₁ + Σ hᵢ·hᵢ₊₁ + h·K)} multiply-adds. Immutable.
 *
 * <pre>{@code
 * Architecture mlp = Architectures.mlp().withHiddenLayers(512, 512).withDropout(0.25);
 * }</pre>
 */
public final class Mlp extends Architecture {

    private final int[] hidden;

    Mlp(int[] hidden, double dropout) {
        super(dropout, DropoutPlacement.EMBEDDING);
        this.hidden = hidden;
    }

    /** The widths of the hidden layers; the last one is the embedding size. */
    public Mlp withHiddenLayers(int... widths) {
        Checks.checkNotNull(widths, "widths");
        Checks.checkArgument(widths.length >= 1, "an MLP needs at least one hidden layer, found none");
        for (int i = 0; i < widths.length; i++) {
            Checks.checkPositive(widths[i], "widths[" + i + "]");
        }
        return new Mlp(widths.clone(), dropout());
    }

    /** The dropout rate on the embedding, in {@code [0, 1)}; 0 turns MC dropout off. */
    @Override
    public Mlp withDropout(double rate) {
        checkDropout(rate);
        return new Mlp(hidden, rate);
    }

    /**
     * Only {@link DropoutPlacement#EMBEDDING}: an MLP has no convolutional blocks.
     *
     * @throws IllegalArgumentException for any other placement
     */
    @Override
    public Mlp withDropoutPlacement(DropoutPlacement placement) {
        Checks.checkNotNull(placement, "placement");
        Checks.checkArgument(placement == DropoutPlacement.EMBEDDING, "%s has no convolutional blocks: its dropout "
                + "can only sit on the embedding (DropoutPlacement.EMBEDDING), found %s", this, placement);
        return this;
    }

    /** The hidden-layer widths. */
    public int[] hiddenLayers() {
        return hidden.clone();
    }

    @Override
    long[] networkInputShape(long[] sampleShape) {
        long size = 1;
        for (long s : sampleShape) {
            size *= s;
        }
        Checks.checkArgument(size > 0, "%s needs samples with at least one value, found sample shape %s", this,
                Arrays.toString(sampleShape));
        return new long[] {size};
    }

    @Override
    Embedding addBody(GraphBuilder graph, long[] inputShape) {
        String previous = INPUT;
        long nIn = inputShape[0];
        for (int i = 0; i < hidden.length; i++) {
            String name = "dense" + i;
            graph.addLayer(name, new DenseLayer.Builder().nIn(nIn).nOut(hidden[i]).activation(Activation.RELU)
                    .weightInit(WeightInit.RELU).build(), previous);
            previous = name;
            nIn = hidden[i];
        }
        return new Embedding(previous, hidden[hidden.length - 1]);
    }

    @Override
    List<Tap> taps() {
        Tap[] taps = new Tap[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            taps[i] = new Tap("dense" + i, false);
        }
        return List.of(taps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp m && Arrays.equals(hidden, m.hidden) && sameDropout(m);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hidden) + Double.hashCode(dropout());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Architectures.mlp()");
        if (!Arrays.equals(hidden, Architectures.MLP_HIDDEN)) {
            s.append(".withHiddenLayers(");
            for (int i = 0; i < hidden.length; i++) {
                s.append(i == 0 ? "" : ", ").append(hidden[i]);
            }
            s.append(')');
        }
        return s.append(dropoutString(Architectures.DEFAULT_DROPOUT)).toString();
    }
}
