package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.StrategyCatalog.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's strategies (the catalog's, by name) and the strategy options. */
class StrategyChoiceTest {

    private static StrategyOptions parse(String... args) {
        StrategyOptions options = new StrategyOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    private static Entry named(String name) {
        return StrategyChoice.parse(name);
    }

    @Test
    void namesParseBackIgnoringCaseAndBlanks() {
        for (Entry s : StrategyChoice.CATALOG.entries()) {
            assertEquals(s, StrategyChoice.parse(s.name()));
            assertEquals(s, StrategyChoice.parse(" " + s.name().toUpperCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategyChoice.parse("nope"));
        assertTrue(e.getMessage().startsWith("unknown strategy 'nope'; known: random, entropy, "), e.getMessage());
    }

    @Test
    void theIssuesNamesAreAllRegistered() {
        List<String> issue = List.of("random", "entropy", "margin", "least-confidence", "var-ratio", "bald",
                "mean-std", "entropy-mc", "margin-mc", "least-confidence-mc", "kcenter", "kmeans", "badge", "dbal",
                "cluster-margin", "feature-sim", "dfm", "cal", "batch-bald", "var-ratio-mc", "scal", "ask-n-learn",
                "pal", "learning-loss", "vote-entropy", "consensus-entropy", "max-disagreement",
                "egl", "adv-bim", "adv-deepfool", "label-dispersion", "waal", "vaal", "ensemble-var-ratio",
                "ensemble-bald", "ensemble-mean-std", "ensemble-entropy", "suggestive-annotation"); // issue 19
        assertEquals(issue.size(), StrategyChoice.CATALOG.entries().size());
        for (String name : issue) {
            assertEquals(name, StrategyChoice.parse(name).name());
        }
    }

    @Test
    void everyStrategyEchoesHowItWasBuiltAndCarriesTheSeed() {
        for (Entry s : StrategyChoice.CATALOG.entries()) {
            if (!StrategyChoice.runsOnSavedOutputs(s)) {
                continue; // run-only: checked below with a run's setup
            }
            String built = StrategyChoice.create(s, Setup.ofSeed(7), parse()).toString();
            assertTrue(built.startsWith("Strategies." + s.method() + "()"), () -> s + " builds " + built);
        }
        assertEquals("Strategies.random().withSeed(7)", named("random").create(7).toString());
        assertEquals("Strategies.entropy()", named("entropy").create(7).toString());
        assertTrue(named("badge").create(7).toString().contains("withSeed(7)"));
        assertTrue(named("kmeans").create(7).toString().contains("withSeed(7)"));
    }

    @Test
    void runOnlyStrategiesAreBuiltFromTheRunsLearner() {
        dev.al4j.dl4j.Training training = dev.al4j.dl4j.Training.adam(1e-3).withEpochs(2);
        dev.al4j.dl4j.Dl4jLearner learner = dev.al4j.dl4j.Dl4jLearner.of(dev.al4j.dl4j.Architectures.mlp(), training);
        Setup run = StrategyChoice.setup(7, learner, new long[] {1, 28, 28}, 10, 3);
        StrategyOptions none = parse();
        StrategyChoice.Calibration lwcc = StrategyChoice.Calibration.LWCC;
        assertEquals("Strategies.featureSimilarity()", StrategyChoice.create(named("scal"), run, none).toString());
        String scal = StrategyChoice.learner(named("scal"), run, none, null).toString();
        assertTrue(scal.contains("SupervisedContrastiveLearner.of(Architectures.mlp()"), scal);
        assertTrue(scal.contains("withAugmenter(ImageAugmenter.of(1, 28, 28)"), scal);
        String askNLearn = StrategyChoice.learner(named("ask-n-learn"), run, none, lwcc).toString();
        assertTrue(askNLearn.contains("withCalibration(ConfidenceCalibration.likelihoodWeighted(1.0))"), askNLearn);
        // Without --calibration, Ask-n-Learn's learner is the catalog's: VWCC, as --calibration vwcc gives it.
        assertEquals(StrategyChoice.Calibration.VWCC.apply(learner),
                StrategyChoice.learner(named("ask-n-learn"), run, none, null));
        assertTrue(StrategyChoice.create(named("ask-n-learn"), run, none).toString().contains("withSeed(7)"));
        assertTrue(StrategyChoice.create(named("pal"), run, none).toString().startsWith("Dl4jStrategies.pal("));
        assertEquals("Dl4jStrategies.vaal().withSeed(7)", StrategyChoice.create(named("vaal"), run, none).toString());
        assertEquals(learner, StrategyChoice.learner(named("vaal"), run, none, null));
        String loss = StrategyChoice.learner(named("learning-loss"), run, none, null).toString();
        assertTrue(loss.contains("withLossPrediction()"), loss);
        assertEquals(learner, StrategyChoice.learner(named("entropy"), run, none, null));
        assertTrue(StrategyChoice.learner(named("vote-entropy"), run, none, null).toString().contains("Committee"));
        // Without image shape, the augmenting strategies say what they need.
        Setup flat = StrategyChoice.setup(1, learner, null, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrategyChoice.create(named("ask-n-learn"), flat, none));
        assertTrue(e.getMessage().contains("augments images, but the features are flat vectors"), e::getMessage);
        assertTrue(e.getMessage().startsWith("ask-n-learn: "), e::getMessage);
    }

    @Test
    void selectRefusesTheStrategiesThatTrainTheirOwnNetworks() {
        for (String name : List.of("scal", "ask-n-learn", "pal", "learning-loss", "vote-entropy", "vaal")) {
            assertFalse(StrategyChoice.runsOnSavedOutputs(named(name)), name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StrategyChoice.checkRunsOnSavedOutputs(named(name)));
            assertEquals(name + ": strategy " + name + " trains networks of its own; it runs in al4j run only, not "
                    + "on saved outputs", e.getMessage());
        }
        for (String name : List.of("adv-bim", "adv-deepfool")) {
            assertFalse(StrategyChoice.runsOnSavedOutputs(named(name)), name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StrategyChoice.checkRunsOnSavedOutputs(named(name)));
            assertEquals(name + ": strategy " + name + " reads the pool's inputs and the network's input gradients "
                    + "(Dl4jModel); it runs in al4j run only, not on saved outputs", e.getMessage());
        }
        StrategyChoice.checkRunsOnSavedOutputs(named("badge"));
        StrategyChoice.checkRunsOnSavedOutputs(named("egl"));
        assertTrue(StrategyChoice.needsImageInputs(named("pal")));
        assertFalse(StrategyChoice.needsImageInputs(named("ask-n-learn")));
    }

    private static String built(String name, long seed, String... options) {
        return StrategyChoice.create(named(name), Setup.ofSeed(seed), parse(options)).toString();
    }

    @Test
    void optionsReachTheirStrategy() {
        assertEquals("Strategies.kCenterGreedy().withPcaDimensions(3)", built("kcenter", 0, "--pca-dims", "3"));
        assertEquals("Strategies.kCenterGreedy()", built("kcenter", 0));
        assertEquals("Strategies.dbal().withPrefilterFactor(4.0).withSeed(5)", built("dbal", 5, "--prefilter", "4"));
        assertEquals("Strategies.deepFeatureModeling().withComponents(3)", built("dfm", 0, "--components", "3"));
        assertEquals("Strategies.deepFeatureModeling()", built("dfm", 0));
        assertEquals("Strategies.contrastiveActiveLearning().withNeighbours(4)",
                built("cal", 0, "--neighbours", "4"));
        assertEquals("Strategies.contrastiveActiveLearning()", built("cal", 0));
        assertEquals("Strategies.clusterMargin().withClusteredSubset(20000).withSeed(2)", built("cluster-margin", 2));
        assertEquals("Strategies.clusterMargin().withClusteredSubset(30).withSeed(2)",
                built("cluster-margin", 2, "--cluster-subset", "30"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> built("kcenter", 0, "--pca-dims", "0"));
        assertTrue(e.getMessage().startsWith("kcenter with --pca-dims: "), e.getMessage());
    }

    @Test
    void anOptionMustApplyToOneOfTheStrategies() {
        StrategyOptions pca = parse("--pca-dims", "2");
        pca.checkApplies(List.of(named("entropy"), named("kcenter")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pca.checkApplies(List.of(named("entropy"), named("badge"))));
        assertEquals("--pca-dims applies to kcenter only, not to entropy, badge", e.getMessage());
        parse().checkApplies(List.of(named("random")));
    }

    @Test
    void everyOptionHasExactlyOneStrategyInTheCatalog() {
        for (StrategyOptions.Kind kind : StrategyOptions.Kind.values()) {
            long takers = StrategyChoice.CATALOG.entries().stream()
                    .filter(s -> parse().takenBy(s).orElse(null) == kind).count();
            assertEquals(1, takers, kind.flag());
        }
    }
}
