package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The single-model and Bayesian strategies end to end: hand-checked selections, value semantics of every factory,
 * and the errors at their boundary.
 */
class UncertaintyStrategiesTest {

    private static final INDArray FOUR_ROWS = Nd4j.create(new float[][] {
        {0.7f, 0.2f, 0.1f}, // entropy 0.801819, margin 0.5, least confidence 0.3
        {1f, 0f, 0f}, // 0, 0, 0
        {1f / 3, 1f / 3, 1f / 3}, // 1.098612, 1, 0.666667
        {0.2f, 0.4f, 0.4f}, // 1.054920, 1, 0.6
    });

    @Test
    void singleModelStrategiesRankTheHandRows() {
        Pool pool = Pool.withoutInputs(4, 3);
        Model model = PrecomputedModel.of(FOUR_ROWS);
        // Scores from UncertaintyScoresTest; best first, ties toward the lower id.
        Selection entropy = Strategies.entropy().select(pool, model, 4);
        assertArrayEquals(new int[] {2, 3, 0, 1}, entropy.ids());
        assertArrayEquals(new double[] {1.098612, 1.054920, 0.801819, 0}, entropy.scores().orElseThrow(), 1e-6);
        // margin: ids 2 and 3 tie at 1
        assertArrayEquals(new int[] {2, 3, 0, 1}, Strategies.margin().select(pool, model, 4).ids());
        assertArrayEquals(new int[] {2, 3, 0, 1}, Strategies.leastConfidence().select(pool, model, 4).ids());
        assertArrayEquals(new int[] {2, 3}, Strategies.variationRatio().select(pool, model, 2).ids());
        // Only ids 0 and 1 are candidates once 2 and 3 are labeled.
        Pool rest = pool.withLabels(new int[] {2, 3}, new int[] {0, 1});
        assertArrayEquals(new int[] {0, 1}, Strategies.entropy().select(rest, model, 5).ids());
    }

    @Test
    void bayesianStrategiesTellEpistemicFromAleatoricUncertainty() {
        // Sample 0: passes [1, 0] and [0, 1]; sample 1: [0.5, 0.5] twice; sample 2: [0.9, 0.1] twice.
        INDArray mc = Nd4j.create(new float[] {1f, 0f, 0.5f, 0.5f, 0.9f, 0.1f, 0f, 1f, 0.5f, 0.5f, 0.9f, 0.1f},
                new long[] {2, 3, 2}, 'c');
        Pool pool = Pool.withoutInputs(3, 2);
        PrecomputedModel model = PrecomputedModel.builder(mc.mean(0)).mcProbabilities(mc).build();
        // BALD: ln 2, 0, 0 (sample 2 ties with sample 1, lower id first)
        Selection bald = Strategies.bald().select(pool, model, 3);
        assertArrayEquals(new int[] {0, 1, 2}, bald.ids());
        assertArrayEquals(new double[] {Math.log(2), 0, 0}, bald.scores().orElseThrow(), 1e-6);
        // MeanSTD 0.5, 0, 0
        assertArrayEquals(new double[] {0.5, 0, 0},
                Strategies.meanStd().select(pool, model, 3).scores().orElseThrow(), 1e-6);
        // The mean alone cannot tell samples 0 and 1 apart: both [0.5, 0.5], entropy ln 2; sample 2: H[0.9, 0.1]
        Selection entropyMc = Strategies.entropyMc().select(pool, model, 3);
        assertArrayEquals(new int[] {0, 1, 2}, entropyMc.ids());
        assertArrayEquals(new double[] {Math.log(2), Math.log(2), -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1))},
                entropyMc.scores().orElseThrow(), 1e-6);
        // Votes: sample 0 splits (1 − 1/2), samples 1 and 2 are unanimous (0).
        assertArrayEquals(new double[] {0.5, 0, 0},
                Strategies.variationRatioMc().select(pool, model, 3).scores().orElseThrow(), 1e-6);
        // The number of passes is the model's default (2) unless set: one pass has no disagreement at all.
        assertArrayEquals(new double[] {0, 0, 0},
                Strategies.bald().withPasses(1).select(pool, model, 3).scores().orElseThrow(), 1e-12);
    }

    @Test
    void everyFactoryEchoesHowToBuildIt() {
        Map<String, Object> built = Map.ofEntries(
                Map.entry("Strategies.entropy()", Strategies.entropy()),
                Map.entry("Strategies.margin()", Strategies.margin()),
                Map.entry("Strategies.leastConfidence()", Strategies.leastConfidence()),
                Map.entry("Strategies.variationRatio()", Strategies.variationRatio()),
                Map.entry("Strategies.bald()", Strategies.bald()),
                Map.entry("Strategies.meanStd()", Strategies.meanStd()),
                Map.entry("Strategies.entropyMc()", Strategies.entropyMc()),
                Map.entry("Strategies.marginMc()", Strategies.marginMc()),
                Map.entry("Strategies.leastConfidenceMc()", Strategies.leastConfidenceMc()),
                Map.entry("Strategies.variationRatioMc()", Strategies.variationRatioMc()),
                Map.entry("Strategies.voteEntropy()", Strategies.voteEntropy()),
                Map.entry("Strategies.consensusEntropy()", Strategies.consensusEntropy()),
                Map.entry("Strategies.maxDisagreement()", Strategies.maxDisagreement()),
                Map.entry("Strategies.bald().withPasses(20).withSeed(7)",
                        Strategies.bald().withSeed(7).withPasses(20)),
                Map.entry("Strategies.meanStd().withSeed(9000000000L)", Strategies.meanStd().withSeed(9_000_000_000L)));
        built.forEach((text, strategy) -> assertEquals(text, strategy.toString()));
        // distinct strategies are unequal; rebuilt ones are equal with equal hash codes
        assertEquals(built.size(), built.values().stream().distinct().count());
        assertEquals(Strategies.bald().withPasses(20).withSeed(7), Strategies.bald().withSeed(7).withPasses(20));
        assertEquals(Strategies.bald().withPasses(20).withSeed(7).hashCode(),
                Strategies.bald().withSeed(7).withPasses(20).hashCode());
        assertNotEquals(Strategies.bald(), Strategies.entropyMc());
        assertNotEquals(Strategies.bald(), Strategies.bald().withPasses(3));
        assertEquals(Strategies.entropy(), UncertaintySampling.of(UncertaintySampling.Measure.ENTROPY));
        assertEquals(BayesianUncertaintySampling.Measure.MEAN_STD, Strategies.meanStd().measure());
        assertEquals(20, Strategies.bald().withPasses(20).passes().orElseThrow());
        assertTrue(Strategies.bald().passes().isEmpty());
        assertEquals(7, Strategies.bald().withSeed(7).seed());
    }

    @Test
    void passesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.bald().withPasses(0));
        assertEquals("passes must be >= 1, found 0", e.getMessage());
    }

    @Test
    void bayesianStrategiesOnAPlainModelFailFastNamingStrategyAndCapability() {
        Pool pool = Pool.withoutInputs(4, 3);
        Model plain = FixedOutputsModel.plain(3, FOUR_ROWS);
        for (BayesianUncertaintySampling s : List.of(Strategies.bald().withPasses(20), Strategies.meanStd(),
                Strategies.entropyMc(), Strategies.marginMc(), Strategies.leastConfidenceMc(),
                Strategies.variationRatioMc())) {
            for (int budget : new int[] {0, 2}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> s.select(pool, plain, budget));
                assertTrue(e.getMessage().contains(s.toString()) && e.getMessage().contains("StochasticModel"),
                        e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> s.score(pool, plain, new int[] {0}));
        }
        // A PrecomputedModel without MC samples lacks the capability although its class implements it.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.bald().select(pool, PrecomputedModel.of(FOUR_ROWS), 1));
        assertTrue(e.getMessage().contains("Strategies.bald()") && e.getMessage().contains("StochasticModel"));
    }

    /** Every single-model and Bayesian strategy, as acquisition functions. */
    private static List<QueryStrategy> strategies() {
        return List.of(Strategies.entropy(), Strategies.margin(), Strategies.leastConfidence(),
                Strategies.variationRatio(), Strategies.bald().withPasses(2), Strategies.meanStd().withPasses(2),
                Strategies.entropyMc().withPasses(2), Strategies.marginMc().withPasses(2),
                Strategies.leastConfidenceMc().withPasses(2), Strategies.variationRatioMc().withPasses(2));
    }

    @Test
    void invalidModelOutputsAreRejectedNamingTheProblem() {
        Pool pool = Pool.withoutInputs(4, 3);
        INDArray inf = FOUR_ROWS.dup();
        inf.putScalar(2, 1, Double.NEGATIVE_INFINITY);
        INDArray notSummingToOne = FOUR_ROWS.dup();
        notSummingToOne.putScalar(3, 0, 0.25);
        INDArray nan = FOUR_ROWS.dup();
        nan.putScalar(1, 1, Double.NaN);
        INDArray fourClasses = Nd4j.ones(DataType.FLOAT, 4, 4).divi(4);
        for (QueryStrategy s : strategies()) {
            assertRejected(s, pool, outputs(3, nan), "NaN");
            assertRejected(s, pool, outputs(3, inf), "infinity");
            assertRejected(s, pool, outputs(3, notSummingToOne),
                    "rows must sum to 1 (tolerance 0.001), row 3 sums to");
            // the model claims 3 classes but returns 4 columns
            assertRejected(s, pool, outputs(3, fourClasses), "must have 3 columns (classes)");
            // the model says 4 classes, the pool has 3
            assertRejected(s, pool, outputs(4, fourClasses), "model has 4 classes but the pool has 3");
        }
        // too few passes from the model for the number asked
        assertRejected(Strategies.bald().withPasses(3), pool, outputs(3, FOUR_ROWS), "must hold 3 passes");
    }

    /** A stochastic model whose probabilities and both passes are {@code p}. */
    private static FixedOutputsModel outputs(int numClasses, INDArray p) {
        return new FixedOutputsModel(numClasses, p, Nd4j.stack(0, p, p));
    }

    private static void assertRejected(QueryStrategy s, Pool pool, Model model, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.select(pool, model, 2),
                s.toString());
        assertTrue(e.getMessage().contains(fragment), s + ": '" + e.getMessage() + "' should mention " + fragment);
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> ((AcquisitionFunction) s).score(pool, model, new int[] {0, 1, 2, 3}), s.toString());
        assertTrue(direct.getMessage().contains(fragment), direct.getMessage());
    }

    @Test
    void negativeBudgetIsRejectedNamingTheValue() {
        Pool pool = Pool.withoutInputs(4, 3);
        for (QueryStrategy s : strategies()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.select(pool, outputs(3, FOUR_ROWS), -2));
            assertEquals("budget must be >= 0, found -2", e.getMessage());
        }
    }

    @Test
    void scoringNoIdsCallsNoModel() {
        Pool pool = Pool.withoutInputs(4, 3);
        Model failing = new FixedOutputsModel(3, null, null);
        for (QueryStrategy s : strategies()) {
            assertEquals(0, ((AcquisitionFunction) s).score(pool, failing, new int[0]).length);
        }
    }
}
