package dev.al4j.examples.cli;

import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.Learner;
import dev.al4j.core.QueryStrategy;
import dev.al4j.dl4j.Architecture;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Dl4jStrategies;
import dev.al4j.dl4j.SupervisedContrastiveLearner;
import dev.al4j.dl4j.Training;
import dev.al4j.strategies.Committee;
import dev.al4j.strategies.Strategies;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

/**
 * The strategies the command line knows, by their command-line names: the one registry shared by {@code al4j run}
 * and {@code al4j select}. Each name says which model output it reads (so that {@code select} can say which array is
 * missing before anything runs), which strategy option it takes, and how to build the strategy from a seed and the
 * options. The strategies of {@link Output#TRAINED} train networks of their own (a contrastive encoder, a
 * loss-prediction module, a committee, PAL's scoring network, a calibrated classifier): they run in {@code al4j run}
 * only, which builds each one's learner from the run's architecture and training ({@link #learner}).
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
    CLUSTER_MARGIN(Output.EMBEDDINGS, StrategyOptions.Kind.CLUSTER_SUBSET, (seed, o) -> Strategies.clusterMargin()
            .withSeed(seed).withClusteredSubset(o.clusterSubset().orElse(StrategyOptions.DEFAULT_CLUSTER_SUBSET))),
    FEATURE_SIM(Output.EMBEDDINGS, null, (seed, o) -> Strategies.featureSimilarity()),
    DFM(Output.EMBEDDINGS, StrategyOptions.Kind.COMPONENTS, (seed, o) -> o.components().isPresent()
            ? Strategies.deepFeatureModeling().withComponents(o.components().getAsInt())
            : Strategies.deepFeatureModeling()),
    CAL(Output.EMBEDDINGS, StrategyOptions.Kind.NEIGHBOURS, (seed, o) -> o.neighbours().isPresent()
            ? Strategies.contrastiveActiveLearning().withNeighbours(o.neighbours().getAsInt())
            : Strategies.contrastiveActiveLearning()),
    /** SCAL (seed 000): the supervised contrastive learner, then the FeatureSim query (eq. 2) on its embeddings. */
    SCAL(null, (seed, o, run) -> Strategies.featureSimilarity(),
            (o, run) -> run.scalLearner()),
    /** Ask-n-Learn (seed 002, Algorithm 1): the calibrated learner (--calibration) and the pseudo-labelled BADGE. */
    ASK_N_LEARN(null, (seed, o, run) -> Strategies.askNLearn(run.augmenter("ask-n-learn"))
            .withSeed(seed), (o, run) -> run.calibrated()),
    /** PAL (seed 004, Algorithm 1): its own scoring network, trained at every query. */
    PAL(null, (seed, o, run) -> Dl4jStrategies.pal(run.architecture(), run.training())
            .withSeed(seed), (o, run) -> run.learner()),
    /** Learning Loss (Yoo and Kweon 2019): the loss-prediction module trained with the classifier. */
    LEARNING_LOSS(null, (seed, o, run) -> Dl4jStrategies.learningLoss(),
            (o, run) -> run.learner().withLossPrediction()),
    /** Query by committee, vote entropy (Dagan and Engelson 1995) over --committee independently trained members. */
    VOTE_ENTROPY(null, (seed, o, run) -> Strategies.voteEntropy(),
            (o, run) -> run.committee()),
    /** Query by committee, entropy of the members' mean prediction (consensus entropy). */
    CONSENSUS_ENTROPY(null, (seed, o, run) -> Strategies.consensusEntropy(),
            (o, run) -> run.committee()),
    /** Query by committee, mean KL divergence of the members from the consensus (maximum disagreement). */
    MAX_DISAGREEMENT(null, (seed, o, run) -> Strategies.maxDisagreement(),
            (o, run) -> run.committee());

    /** The model output a strategy reads beyond the class probabilities every model has. */
    enum Output {
        /** Nothing at all (random sampling). */
        NONE,
        /** Class probabilities {@code [N, K]}. */
        PROBABILITIES,
        /** Penultimate-layer embeddings {@code [N, d]} (and probabilities). */
        EMBEDDINGS,
        /** MC-dropout probabilities {@code [T, N, K]}. */
        MC_PROBABILITIES,
        /** Networks of its own, trained by {@code al4j run}: no {@code al4j select} on saved outputs. */
        TRAINED
    }

    /**
     * What {@code al4j run} knows when it builds a strategy that trains networks of its own: the run's learner, its
     * architecture and training, the shape of one image ({@code [C, H, W]}, or {@code null} for flat features), the
     * MC-dropout passes, and the run-only options {@code --calibration} and {@code --committee}.
     */
    record RunSetup(Dl4jLearner learner, Architecture architecture, Training training, long[] imageShape,
            int passes, Calibration calibration, int committeeSize) {

        /** Crop (shift) and noise-free flip augmentations of the run's images, for a strategy that needs them. */
        ImageAugmenter augmenter(String strategy) {
            if (imageShape == null) {
                throw new IllegalArgumentException("strategy " + strategy + " augments images, but the features are "
                        + "flat vectors; give image features ([N, H, W] or [N, C, H, W] .npy, or --data)");
            }
            return ImageAugmenter.of((int) imageShape[0], (int) imageShape[1], (int) imageShape[2]);
        }

        /**
         * SCAL's learner: the run's architecture trained with the supervised contrastive loss on two augmented views of
         * each sample (seed 000 eq. 1; crops and flips of the images, or two identical views of flat features), same
         * training.
         */
        Learner<?> scalLearner() {
            SupervisedContrastiveLearner scal = SupervisedContrastiveLearner.of(architecture, training)
                    .withDefaultPasses(passes);
            return imageShape == null ? scal : scal.withAugmenter(augmenter("scal"));
        }

        /** The run's learner trained with {@code --calibration} (none, VWCC or LWCC, seed 002 eq. 2–3). */
        Learner<?> calibrated() {
            return calibration.apply(learner);
        }

        /** {@code --committee} copies of the run's learner, each fitted with its own seed, as one committee. */
        Learner<?> committee() {
            return Committee.learner(Collections.nCopies(committeeSize, learner));
        }
    }

    /** The confidence calibrations of Ask-n-Learn's training (seed 002), by their command-line names. */
    enum Calibration {
        NONE,
        VWCC,
        LWCC;

        /** The learner with this calibration. */
        Learner<?> apply(Dl4jLearner learner) {
            switch (this) {
                case NONE:
                    return learner.withoutCalibration();
                case VWCC:
                    return learner.withCalibration(dev.al4j.dl4j.ConfidenceCalibration.varianceWeighted(
                            VWCC_PASSES));
                case LWCC:
                    return learner.withCalibration(dev.al4j.dl4j.ConfidenceCalibration.likelihoodWeighted(
                            dev.al4j.dl4j.ConfidenceCalibration.DEFAULT_LAMBDA));
                default:
                    throw new AssertionError(this);
            }
        }

        /** Stochastic inferences per training step of VWCC (Seo et al. 2019 use 5). */
        static final int VWCC_PASSES = 5;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Builds a strategy that trains networks of its own, from a seed, the options and the run. */
    @FunctionalInterface
    interface RunFactory {
        QueryStrategy create(long seed, StrategyOptions options, RunSetup run);
    }

    /** The learner a strategy of {@link Output#TRAINED} needs, from the options and the run. */
    @FunctionalInterface
    interface LearnerFactory {
        Learner<?> learner(StrategyOptions options, RunSetup run);
    }

    /** Builds a strategy from a seed and the command line's strategy options. */
    @FunctionalInterface
    interface Factory {
        QueryStrategy create(long seed, StrategyOptions options);
    }

    private final Output output;
    private final StrategyOptions.Kind option;
    private final Factory factory;
    private final RunFactory runFactory;
    private final LearnerFactory learnerFactory;

    StrategyName(Output output, StrategyOptions.Kind option, Factory factory) {
        this.output = output;
        this.option = option;
        this.factory = factory;
        this.runFactory = (seed, o, run) -> factory.create(seed, o);
        this.learnerFactory = (o, run) -> run.learner();
    }

    /** A strategy of {@link Output#TRAINED}; {@code option} is {@code null} when it takes none of select's. */
    StrategyName(StrategyOptions.Kind option, RunFactory runFactory, LearnerFactory learnerFactory) {
        this.output = Output.TRAINED;
        this.option = option;
        this.factory = (seed, o) -> {
            throw new IllegalArgumentException("strategy " + cliName() + " trains networks of its own; it runs in "
                    + "al4j run only, not on saved outputs");
        };
        this.runFactory = runFactory;
        this.learnerFactory = learnerFactory;
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

    /**
     * The strategy for {@code al4j run}, seeded, configured by the options, built for the run (a strategy of
     * {@link Output#TRAINED} uses the run's architecture and training).
     *
     * @throws IllegalArgumentException when an option's value is out of the strategy's range
     */
    QueryStrategy create(long seed, StrategyOptions options, RunSetup run) {
        try {
            return runFactory.create(seed, options, run);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cliName() + (option == null ? "" : " with " + option.flag()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The learner this strategy's loops train in {@code al4j run}: the run's own, or the strategy's. */
    Learner<?> learner(StrategyOptions options, RunSetup run) {
        try {
            return learnerFactory.learner(options, run);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cliName() + (option == null ? "" : " with " + option.flag()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The strategy with default options. */
    QueryStrategy create(long seed) {
        return create(seed, new StrategyOptions());
    }

    /**
     * Whether the pool must hold image samples {@code [C, H, W]} even for the MLP (which flattens them): PAL rotates
     * its inputs.
     */
    boolean needsImageInputs() {
        return this == PAL;
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
