package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * ResNet-18 (He, Zhang, Ren and Sun 2016, "Deep Residual Learning for Image Recognition", table 1): a stem, four
 * stages of two basic blocks ({@code 3×3 conv → BN → ReLU → 3×3 conv → BN}, plus the shortcut, then ReLU) with 64,
 * 128, 256 and 512 channels, the last three starting with stride 2 and a {@code 1×1} conv + BN projection shortcut,
 * then global average pooling to the 512-wide embedding and the softmax classifier. Convolutions have no bias.
 *
 * <p>Two stems: the CIFAR stem (default; {@code 3×3} conv, stride 1, no max-pool, as in the SCAL and many AL
 * papers' code) and the ImageNet stem ({@code 7×7} conv, stride 2, then {@code 3×3} max-pool, stride 2). With 3 input
 * channels and 10 classes: 11 173 962 trainable parameters (CIFAR stem), 11 181 642 (ImageNet stem), as PyTorch
 * counts them (BatchNorm's running statistics excluded).
 *
 * <p>{@link #withWidth} scales every stage (64 by default; the embedding is {@code 8·width}), for small
 * experiments. Dropout is off by default ({@code withDropout} for MC dropout), on the embedding or after each basic
 * block ({@link #withDropoutPlacement}). Immutable.
 *
 * <pre>{@code
 * Architecture resnet = Architectures.resNet18().withDropout(0.3);
 * Architecture imagenet = Architectures.resNet18().withImageNetStem();
 * Architecture seed000 = Architectures.resNet18().withDropout(0.3)
 *         .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS);
 * }</pre>
 */
public final class ResNet18 extends Architecture {

    private final boolean imageNetStem;
    private final int width;

    ResNet18(boolean imageNetStem, int width, double dropout, DropoutPlacement placement) {
        super(dropout, placement);
        this.imageNetStem = imageNetStem;
        this.width = width;
    }

    /** The ImageNet stem: 7×7 conv with stride 2 and padding 3, BN, ReLU, 3×3 max-pool with stride 2. */
    public ResNet18 withImageNetStem() {
        return new ResNet18(true, width, dropout(), dropoutPlacement());
    }

    /** The CIFAR stem (default): 3×3 conv with stride 1 and padding 1, BN, ReLU, no max-pool. */
    public ResNet18 withCifarStem() {
        return new ResNet18(false, width, dropout(), dropoutPlacement());
    }

    /** The channels of the first stage (default 64); stages have {@code width, 2·width, 4·width, 8·width}. */
    public ResNet18 withWidth(int width) {
        Checks.checkPositive(width, "width");
        return new ResNet18(imageNetStem, width, dropout(), dropoutPlacement());
    }

    /** The dropout rate in {@code [0, 1)}, on the embedding unless placed elsewhere; 0 (default) = no MC dropout. */
    @Override
    public ResNet18 withDropout(double rate) {
        checkDropout(rate);
        return new ResNet18(imageNetStem, width, rate, dropoutPlacement());
    }

    /**
     * Where the dropout sits: on the embedding (default) or, as in seed 000 (appendix A.3), after each of the 8
     * basic blocks ({@link DropoutPlacement#AFTER_CONV_BLOCKS}).
     */
    @Override
    public ResNet18 withDropoutPlacement(DropoutPlacement placement) {
        Checks.checkNotNull(placement, "placement");
        return new ResNet18(imageNetStem, width, dropout(), placement);
    }

    public boolean imageNetStem() {
        return imageNetStem;
    }

    @Override
    long[] networkInputShape(long[] sampleShape) {
        return imageShape(sampleShape, imageNetStem ? 32 : 8);
    }

    @Override
    Embedding addBody(GraphBuilder g, long[] inputShape) {
        String x;
        if (imageNetStem) {
            x = Blocks.convBnRelu(g, "stem", INPUT, width, 7, 2, 3, false);
            // Zero padding equals PyTorch's −∞ padding here: the inputs are ReLU outputs, all >= 0.
            g.addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                    .padding(1, 1).build(), x);
            x = "stem_pool";
        } else {
            x = Blocks.convBnRelu(g, "stem", INPUT, width, 3, 1, 1, false);
        }
        int in = width;
        for (int stage = 0; stage < 4; stage++) {
            int out = width << stage;
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(g, "s" + (stage + 1) + "b" + (block + 1), x, in, out, stride);
                x = blockDropout(g, x, 2 * stage + block);
                in = out;
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        return new Embedding("pool", in);
    }

    private static String basicBlock(GraphBuilder g, String name, String input, int in, int out, int stride) {
        String a = Blocks.convBnRelu(g, name + "_a", input, out, 3, stride, 1, false);
        String b = Blocks.batchNorm(g, name + "_b_bn", Blocks.conv(g, name + "_b_conv", a, out, 3, 1, 1, false));
        String shortcut = input;
        if (stride != 1 || in != out) {
            shortcut = Blocks.batchNorm(g, name + "_proj_bn",
                    Blocks.conv(g, name + "_proj_conv", input, out, 1, stride, 0, false));
        }
        g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        return Blocks.relu(g, name + "_relu", name + "_add");
    }

    /** The output of each of the four stages (before any block dropout), as in Yoo and Kweon's ResNet-18. */
    @Override
    List<Tap> taps() {
        return List.of(new Tap("s1b2_relu", true), new Tap("s2b2_relu", true), new Tap("s3b2_relu", true),
                new Tap("s4b2_relu", true));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNet18 r && r.imageNetStem == imageNetStem && r.width == width && sameDropout(r);
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageNetStem, width, dropout(), dropoutPlacement());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Architectures.resNet18()");
        if (imageNetStem) {
            s.append(".withImageNetStem()");
        }
        if (width != 64) {
            s.append(".withWidth(").append(width).append(')');
        }
        return s.append(dropoutString(0)).toString();
    }
}
