package dev.al4j.examples.cli;

import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.Learner;
import dev.al4j.core.QueryStrategy;
import dev.al4j.dl4j.ConfidenceCalibration;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Dl4jStrategies;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.StrategyCatalog.Reads;
import dev.al4j.strategies.StrategyCatalog.Setup;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The command line's strategies: the entries of {@link Dl4jStrategies#catalog()} (al-strategies' and al-dl4j's), by
 * their kebab-case names, shared by {@code al4j select}, {@code al4j run} and {@code al4j label}. What each reads
 * says which array {@code select} needs before anything runs; the strategies that train their own learner run in
 * {@code al4j run} (and {@code label}) only, which builds it from the run's learner ({@link #setup}). This class adds
 * only what the command line knows: the strategy options ({@link StrategyOptions}), the Ask-n-Learn calibrations
 * ({@link Calibration}) and the error prefix naming the strategy and option.
 */
final class StrategyChoice {

    /** Every strategy the command line knows. */
    static final StrategyCatalog CATALOG = Dl4jStrategies.catalog();

    /** The name of Ask-n-Learn, the strategy {@code --calibration} configures. */
    static final String ASK_N_LEARN = "ask-n-learn";

    /** What {@code al4j select} can give a strategy from saved arrays. */
    private static final Set<Reads> SAVED_OUTPUTS = EnumSet.of(Reads.NOTHING, Reads.PROBABILITIES, Reads.MC_PASSES,
            Reads.EMBEDDINGS);

    private StrategyChoice() {}

    /** The strategy with command-line name {@code name} (case and blanks ignored), or an error listing the names. */
    static Entry parse(String name) {
        return CATALOG.get(name);
    }

    /** Whether {@code al4j select} can run the strategy on saved outputs (it does not train a learner of its own). */
    static boolean runsOnSavedOutputs(Entry strategy) {
        return !strategy.trainsOwnLearner() && SAVED_OUTPUTS.contains(strategy.reads());
    }

    /**
     * Whether the pool must hold image samples {@code [C, H, W]} even for the MLP (which flattens them): a strategy
     * that reads the inputs for a network of its own (PAL rotates them).
     */
    static boolean needsImageInputs(Entry strategy) {
        return strategy.reads() == Reads.INPUTS;
    }

    /**
     * What {@code al4j run} knows when it builds a strategy: the seed, the run's learner, the shape of one image
     * ({@code [C, H, W]}, or {@code null} for flat features: no augmenter), the MC-dropout passes and the committee
     * size.
     */
    static Setup setup(long seed, Dl4jLearner learner, long[] imageShape, int passes, int committeeSize) {
        Setup setup = Setup.ofSeed(seed).withLearner(learner).withPasses(passes).withCommitteeSize(committeeSize);
        return imageShape == null ? setup
                : setup.withAugmenter(ImageAugmenter.of((int) imageShape[0], (int) imageShape[1], (int) imageShape[2]));
    }

    /**
     * Checks that {@code al4j select} can run the strategy on saved outputs.
     *
     * @throws IllegalArgumentException when it trains networks of its own
     */
    static void checkRunsOnSavedOutputs(Entry strategy) {
        if (!runsOnSavedOutputs(strategy)) {
            throw new IllegalArgumentException(strategy + ": strategy " + strategy + (strategy.trainsOwnLearner()
                    ? " trains networks of its own" : " reads " + strategy.reads().description())
                    + "; it runs in al4j run only, not on saved outputs");
        }
    }

    /**
     * The strategy built from the setup ({@code Setup.ofSeed(seed)} for {@code al4j select}, the run's for
     * {@code al4j run}), configured by the options that apply to it.
     *
     * @throws IllegalArgumentException when an option's value is out of the strategy's range
     */
    static QueryStrategy create(Entry strategy, Setup setup, StrategyOptions options) {
        try {
            return options.configure(strategy, strategy.create(setup));
        } catch (IllegalArgumentException e) {
            throw named(strategy, options, e);
        }
    }

    /**
     * The learner this strategy's loops train in {@code al4j run}: the run's own, or the strategy's, with
     * {@code calibration} for Ask-n-Learn when given.
     */
    static Learner<?> learner(Entry strategy, Setup setup, StrategyOptions options, Calibration calibration) {
        try {
            if (strategy.name().equals(ASK_N_LEARN) && calibration != null) {
                return calibration.apply((Dl4jLearner) setup.learner(ASK_N_LEARN));
            }
            return strategy.learner(setup);
        } catch (IllegalArgumentException e) {
            throw named(strategy, options, e);
        }
    }

    private static IllegalArgumentException named(Entry strategy, StrategyOptions options,
            IllegalArgumentException e) {
        return new IllegalArgumentException(strategy + options.takenBy(strategy).map(k -> " with " + k.flag())
                .orElse("") + ": " + e.getMessage(), e);
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
                    return learner.withCalibration(ConfidenceCalibration.varianceWeighted(Dl4jStrategies.VWCC_PASSES));
                case LWCC:
                    return learner.withCalibration(ConfidenceCalibration.likelihoodWeighted(
                            ConfidenceCalibration.DEFAULT_LAMBDA));
                default:
                    throw new AssertionError(this);
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Picocli's converter from a command-line name. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Entry> {
        @Override
        public Entry convert(String value) {
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
        public Iterator<String> iterator() {
            return CATALOG.names().iterator();
        }
    }
}
