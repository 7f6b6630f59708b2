package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The registry of command-line strategy names and the strategy options. */
class StrategyNameTest {

    private static StrategyOptions parse(String... args) {
        StrategyOptions options = new StrategyOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void namesAreDistinctLowerCaseAndParseBack() {
        Set<String> names = Arrays.stream(StrategyName.values()).map(StrategyName::cliName).collect(Collectors.toSet());
        assertEquals(StrategyName.values().length, names.size());
        for (StrategyName s : StrategyName.values()) {
            assertTrue(s.cliName().matches("[a-z0-9]+(-[a-z0-9]+)*"), s.cliName());
            assertEquals(s, StrategyName.parse(s.cliName()));
            assertEquals(s, StrategyName.parse(" " + s.cliName().toUpperCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategyName.parse("nope"));
        assertTrue(e.getMessage().startsWith("unknown strategy 'nope'; known: random, entropy, "), e.getMessage());
    }

    @Test
    void theIssuesNamesAreAllRegistered() {
        List<String> issue = List.of("random", "entropy", "margin", "least-confidence", "var-ratio", "bald",
                "mean-std", "entropy-mc", "margin-mc", "least-confidence-mc", "kcenter", "kmeans", "badge", "dbal",
                "cluster-margin", "feature-sim", "dfm", "cal");
        for (String name : issue) {
            assertEquals(name, StrategyName.parse(name).cliName());
        }
    }

    @Test
    void everyStrategyEchoesHowItWasBuiltAndCarriesTheSeed() {
        for (StrategyName s : StrategyName.values()) {
            if (s.output() == StrategyName.Output.TRAINED) {
                continue; // run-only: checked below with a run's setup
            }
            String built = s.create(7).toString();
            assertTrue(built.startsWith("Strategies."), () -> s + " builds " + built);
        }
        assertEquals("Strategies.random().withSeed(7)", StrategyName.RANDOM.create(7).toString());
        assertEquals("Strategies.entropy()", StrategyName.ENTROPY.create(7).toString());
        assertTrue(StrategyName.BADGE.create(7).toString().contains("withSeed(7)"));
        assertTrue(StrategyName.KMEANS.create(7).toString().contains("withSeed(7)"));
    }

    @Test
    void runOnlyStrategiesAreBuiltFromTheRunsLearner() {
        dev.al4j.dl4j.Training training = dev.al4j.dl4j.Training.adam(1e-3).withEpochs(2);
        dev.al4j.dl4j.Dl4jLearner learner = dev.al4j.dl4j.Dl4jLearner.of(dev.al4j.dl4j.Architectures.mlp(), training);
        StrategyName.RunSetup run = new StrategyName.RunSetup(learner, learner.architecture(), training,
                new long[] {1, 28, 28}, 10, StrategyName.Calibration.LWCC, 3);
        StrategyOptions none = parse();
        assertEquals("Strategies.featureSimilarity()", StrategyName.SCAL.create(7, none, run).toString());
        assertTrue(StrategyName.SCAL.learner(none, run).toString().contains("SupervisedContrastiveLearner.of("
                + "Architectures.mlp()"), () -> StrategyName.SCAL.learner(none, run).toString());
        assertTrue(StrategyName.SCAL.learner(none, run).toString().contains("withAugmenter(ImageAugmenter.of(1, 28, "
                + "28)"), () -> StrategyName.SCAL.learner(none, run).toString());
        assertTrue(StrategyName.ASK_N_LEARN.learner(none, run).toString().contains(
                "withCalibration(ConfidenceCalibration.likelihoodWeighted(1.0))"),
                () -> StrategyName.ASK_N_LEARN.learner(none, run).toString());
        assertTrue(StrategyName.ASK_N_LEARN.create(7, none, run).toString().contains("withSeed(7)"));
        assertTrue(StrategyName.PAL.create(7, none, run).toString().startsWith("Dl4jStrategies.pal("));
        assertTrue(StrategyName.LEARNING_LOSS.learner(none, run).toString().contains("withLossPrediction()"),
                () -> StrategyName.LEARNING_LOSS.learner(none, run).toString());
        assertEquals(learner, StrategyName.ENTROPY.learner(none, run));
        // Without image shape, the augmenting strategies say what they need.
        StrategyName.RunSetup flat = new StrategyName.RunSetup(learner, learner.architecture(), training, null, 10,
                StrategyName.Calibration.VWCC, 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StrategyName.ASK_N_LEARN.create(1, none, flat));
        assertTrue(e.getMessage().contains("augments images, but the features are flat vectors"), e::getMessage);
    }

    @Test
    void optionsReachTheirStrategy() {
        assertEquals("Strategies.kCenterGreedy().withPcaDimensions(3)",
                StrategyName.KCENTER.create(0, parse("--pca-dims", "3")).toString());
        assertEquals("Strategies.kCenterGreedy()", StrategyName.KCENTER.create(0, parse()).toString());
        assertEquals("Strategies.dbal().withPrefilterFactor(4.0).withSeed(5)",
                StrategyName.DBAL.create(5, parse("--prefilter", "4")).toString());
        assertEquals("Strategies.deepFeatureModeling().withComponents(3)",
                StrategyName.DFM.create(0, parse("--components", "3")).toString());
        assertEquals("Strategies.deepFeatureModeling()", StrategyName.DFM.create(0, parse()).toString());
        assertEquals("Strategies.contrastiveActiveLearning().withNeighbours(4)",
                StrategyName.CAL.create(0, parse("--neighbours", "4")).toString());
        assertEquals("Strategies.contrastiveActiveLearning()", StrategyName.CAL.create(0, parse()).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrategyName.KCENTER.create(0, parse("--pca-dims", "0")));
        assertTrue(e.getMessage().startsWith("kcenter with --pca-dims: "), e.getMessage());
    }

    @Test
    void anOptionMustApplyToOneOfTheStrategies() {
        StrategyOptions pca = parse("--pca-dims", "2");
        pca.checkApplies(List.of(StrategyName.ENTROPY, StrategyName.KCENTER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pca.checkApplies(List.of(StrategyName.ENTROPY, StrategyName.BADGE)));
        assertEquals("--pca-dims applies to kcenter only, not to entropy, badge", e.getMessage());
        parse().checkApplies(List.of(StrategyName.RANDOM));
    }

    @Test
    void everyOptionHasExactlyOneStrategy() {
        for (StrategyOptions.Kind kind : StrategyOptions.Kind.values()) {
            long takers = Arrays.stream(StrategyName.values()).filter(s -> s.option().orElse(null) == kind).count();
            assertEquals(1, takers, kind.flag());
        }
    }
}
