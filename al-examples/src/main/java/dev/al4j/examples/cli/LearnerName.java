package dev.al4j.examples.cli;

import dev.al4j.dl4j.Architecture;
import dev.al4j.dl4j.Architectures;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * The networks {@code al4j run --learner} can train, from {@link Architectures}, with how each one takes its
 * inputs: the MLP any sample shape (flattened), the others images {@code [channels, height, width]} of at least a
 * minimum side.
 */
enum LearnerName {
    MLP(Architectures::mlp, rate -> Architectures.mlp().withDropout(rate), 0),
    CNN(Architectures::smallCnn, rate -> Architectures.smallCnn().withDropout(rate), 8),
    RESNET18(Architectures::resNet18, rate -> Architectures.resNet18().withDropout(rate), 8),
    VGG16(Architectures::vgg16, rate -> Architectures.vgg16().withDropout(rate), 32);

    private final Supplier<Architecture> defaults;
    private final DoubleFunction<Architecture> withDropout;
    private final int minImageSide;

    LearnerName(Supplier<Architecture> defaults, DoubleFunction<Architecture> withDropout, int minImageSide) {
        this.defaults = defaults;
        this.withDropout = withDropout;
        this.minImageSide = minImageSide;
    }

    /** The architecture with its default dropout. */
    Architecture architecture() {
        return defaults.get();
    }

    /** The architecture with the given dropout rate on its embedding. */
    Architecture architecture(double dropout) {
        return withDropout.apply(dropout);
    }

    /** Whether the network needs image inputs {@code [channels, height, width]}. */
    boolean needsImages() {
        return minImageSide > 0;
    }

    /** The smallest image side the network takes (its poolings would shrink a smaller image to nothing). */
    int minImageSide() {
        return minImageSide;
    }

    /** The name on the command line, e.g. {@code resnet18}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return cliName();
    }
}
