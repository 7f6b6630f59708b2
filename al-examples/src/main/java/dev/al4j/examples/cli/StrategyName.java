package dev.al4j.examples.cli;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.util.Locale;
import java.util.Optional;

/**
 * The strategies the command line knows, by their command-line names: the one registry shared by {@code al4j run}
 * and {@code al4j select}. Each name says which model output it reads (so that {@code select} can say which array is
 * missing before anything runs), which strategy option it takes, and how to build the strategy from a seed and the
 * options.
 */
enum StrategyName {
    RANDOM(Output.NONE, null, (seed, o) -> Strategies.random().withSeed(seed)),
    ENTROPY(Output.PROBABILITIES, null, (seed, o) -> Strategies.entropy()),
    MARGIN(Output.PROBABILITIES, null, (seed, o) -> Strategies.margin()),
    LEAST_CONFIDENCE(Output.PROBABILITIES, null, (seed, o) -> Strategies.leastConfidence()),
    VAR_RATIO(Output.PROBABILITIES, null, (seed, o) -> Strategies.variationRatio()),
    BALD(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.bald().withSeed(seed)),
    MEAN_STD(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.meanStd().withSeed(seed)),
    ENTROPY_MC(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.entropyMc().withSeed(seed)),
    MARGIN_MC(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.marginMc().withSeed(seed)),
    LEAST_CONFIDENCE_MC(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.leastConfidenceMc().withSeed(seed)),
    VAR_RATIO_MC(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.variationRatioMc().withSeed(seed)),
    BATCH_BALD(Output.MC_PROBABILITIES, null, (seed, o) -> Strategies.batchBald().withSeed(seed)),
    KCENTER(Output.EMBEDDINGS, StrategyOptions.Kind.PCA_DIMS, (seed, o) -> o.pcaDims().isPresent()
            ? Strategies.kCenterGreedy().withPcaDimensions(o.pcaDims().getAsInt()) : Strategies.kCenterGreedy()),
    KMEANS(Output.EMBEDDINGS, null, (seed, o) -> Strategies.kMeans().withSeed(seed)),
    BADGE(Output.EMBEDDINGS, null, (seed, o) -> Strategies.badge().withSeed(seed)),
    DBAL(Output.EMBEDDINGS, StrategyOptions.Kind.PREFILTER, (seed, o) -> o.prefilter().isPresent()
            ? Strategies.dbal().withSeed(seed).withPrefilterFactor(o.prefilter().getAsDouble())
            : Strategies.dbal().withSeed(seed)),
    CLUSTER_MARGIN(Output.EMBEDDINGS, null, (seed, o) -> Strategies.clusterMargin()),
    FEATURE_SIM(Output.EMBEDDINGS, null, (seed, o) -> Strategies.featureSimilarity()),
    DFM(Output.EMBEDDINGS, StrategyOptions.Kind.COMPONENTS, (seed, o) -> o.components().isPresent()
            ? Strategies.deepFeatureModeling().withComponents(o.components().getAsInt())
            : Strategies.deepFeatureModeling()),
    CAL(Output.EMBEDDINGS, StrategyOptions.Kind.NEIGHBOURS, (seed, o) -> o.neighbours().isPresent()
            ? Strategies.contrastiveActiveLearning().withNeighbours(o.neighbours().getAsInt())
            : Strategies.contrastiveActiveLearning());

    /** The model output a strategy reads beyond the class probabilities every model has. */
    enum Output {
        /** Nothing at all (random sampling). */
        NONE,
        /** Class probabilities {@code [N, K]}. */
        PROBABILITIES,
        /** Penultimate-layer embeddings {@code [N, d]} (and probabilities). */
        EMBEDDINGS,
        /** MC-dropout probabilities {@code [T, N, K]}. */
        MC_PROBABILITIES
    }

    /** Builds a strategy from a seed and the command line's strategy options. */
    @FunctionalInterface
    interface Factory {
        QueryStrategy create(long seed, StrategyOptions options);
    }

    private final Output output;
    private final StrategyOptions.Kind option;
    private final Factory factory;

    StrategyName(Output output, StrategyOptions.Kind option, Factory factory) {
        this.output = output;
        this.option = option;
        this.factory = factory;
    }

    /**
     * The strategy, seeded where it has randomness, configured by the options that apply to it.
     *
     * @throws IllegalArgumentException when an option's value is out of the strategy's range
     */
    QueryStrategy create(long seed, StrategyOptions options) {
        try {
            return factory.create(seed, options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cliName() + (option == null ? "" : " with " + option.flag()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The strategy with default options. */
    QueryStrategy create(long seed) {
        return create(seed, new StrategyOptions());
    }

    /** The model output this strategy needs. */
    Output output() {
        return output;
    }

    /** The strategy option this strategy takes, if any. */
    Optional<StrategyOptions.Kind> option() {
        return Optional.ofNullable(option);
    }

    /** The name on the command line, e.g. {@code least-confidence}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The strategy with command-line name {@code name}, or an error listing the known names. */
    static StrategyName parse(String name) {
        for (StrategyName s : values()) {
            if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + known());
    }

    /** The known command-line names, comma-separated. */
    static String known() {
        StringBuilder names = new StringBuilder();
        for (StrategyName s : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(s.cliName());
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** Picocli's converter from a command-line name. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<StrategyName> {
        @Override
        public StrategyName convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli's completion candidates: every known name. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(values()).map(StrategyName::cliName).iterator();
        }
    }
}
