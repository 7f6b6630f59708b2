package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * VGG-16 with batch normalisation (Simonyan and Zisserman 2015, configuration D; BN after every convolution as in
 * torchvision's {@code vgg16_bn}) with the CIFAR head common in AL code: thirteen {@code 3×3} conv (with bias) → BN →
 * ReLU layers in five blocks of 64, 128, 256, 512, 512 channels, each block ending in a {@code 2×2} max-pool, then
 * global average pooling to the 512-wide embedding (a no-op reshape for 32×32 inputs, whose last feature map is
 * 1×1) and one linear softmax layer instead of ImageNet's three fully connected layers. Needs images of at least
 * 32×32.
 *
 * <p>With 3 input channels and 10 classes: 14 728 266 trainable parameters (BatchNorm's running statistics
 * excluded). {@link #withWidth} scales every block (64 by default) for small experiments. Dropout is off by default,
 * on the embedding or after each block ({@link #withDropoutPlacement}). Immutable.
 *
 * <pre>{@code
 * Architecture vgg = Architectures.vgg16().withDropout(0.5);
 * }</pre>
 */
public final class Vgg16 extends Architecture {

    /** Channels per conv layer in units of {@code width}; 0 marks a max-pool. */
    private static final int[] LAYERS = {1, 1, 0, 2, 2, 0, 4, 4, 4, 0, 8, 8, 8, 0, 8, 8, 8, 0};

    private final int width;

    Vgg16(int width, double dropout, DropoutPlacement placement) {
        super(dropout, placement);
        this.width = width;
    }

    /** The channels of the first block (default 64); blocks have {@code w, 2w, 4w, 8w, 8w}. */
    public Vgg16 withWidth(int width) {
        Checks.checkPositive(width, "width");
        return new Vgg16(width, dropout(), dropoutPlacement());
    }

    /** The dropout rate in {@code [0, 1)}, on the embedding unless placed elsewhere; 0 (default) = no MC dropout. */
    @Override
    public Vgg16 withDropout(double rate) {
        checkDropout(rate);
        return new Vgg16(width, rate, dropoutPlacement());
    }

    /**
     * Where the dropout sits: on the embedding (default) or after each of the 5 blocks, behind its max-pool
     * ({@link DropoutPlacement#AFTER_CONV_BLOCKS}).
     */
    @Override
    public Vgg16 withDropoutPlacement(DropoutPlacement placement) {
        Checks.checkNotNull(placement, "placement");
        return new Vgg16(width, dropout(), placement);
    }

    @Override
    long[] networkInputShape(long[] sampleShape) {
        return imageShape(sampleShape, 32);
    }

    @Override
    Embedding addBody(GraphBuilder g, long[] inputShape) {
        String x = INPUT;
        int conv = 0;
        int pool = 0;
        for (int layer : LAYERS) {
            if (layer == 0) {
                pool++;
                g.addLayer("pool" + pool, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build(), x);
                x = blockDropout(g, "pool" + pool, pool - 1);
            } else {
                conv++;
                x = Blocks.convBnRelu(g, "c" + conv, x, layer * width, 3, 1, 1, true);
            }
        }
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        return new Embedding("gap", 8 * width);
    }

    /** The outputs of blocks 2 to 5 (after their max-pools, before any block dropout). */
    @Override
    List<Tap> taps() {
        return List.of(new Tap("pool2", true), new Tap("pool3", true), new Tap("pool4", true), new Tap("pool5", true));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vgg16 v && v.width == width && sameDropout(v);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, dropout(), dropoutPlacement());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Architectures.vgg16()");
        if (width != 64) {
            s.append(".withWidth(").append(width).append(')');
        }
        return s.append(dropoutString(0)).toString();
    }
}
