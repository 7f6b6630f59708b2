package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TestModels;
import dev.al4j.core.TrainingData;
import dev.al4j.strategies.BayesianUncertaintySampling.Measure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ensemble strategies ({@link EnsembleSampling}, Beluch et al. 2018): hand-computed scores over three tiny
 * members, equality with the MC strategies fed the members' probabilities as passes, ensembles of fewer than two
 * members refused, and the query contract for each measure.
 */
class EnsembleSamplingTest {

    /** Three members over two samples and three classes: they disagree on sample 0 and agree on sample 1. */
    private static Committee handEnsemble() {
        return Committee.of(
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.6f, 0.3f, 0.1f}, {0.8f, 0.1f, 0.1f}})),
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.2f, 0.5f, 0.3f}, {0.8f, 0.1f, 0.1f}})),
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.5f, 0.1f, 0.4f}, {0.8f, 0.1f, 0.1f}})));
    }

    @Test
    void scoresOfThreeHandMembers() {
        Pool pool = Pool.withoutInputs(2, 3);
        Committee ensemble = handEnsemble();
        int[] ids = {0, 1};
        // Sample 0: votes 0, 1, 0, so the modal class has f_m = 2 of C = 3 votes: 1 − 2/3. Sample 1: unanimous, 0.
        assertArrayEquals(new double[] {1.0 / 3, 0}, Strategies.ensembleVariationRatio().score(pool, ensemble, ids),
                1e-6);
        // Mean of sample 0: [1.3, 0.9, 0.8] / 3; H(mean) = −Σ m ln m = 1.0760342. Members' entropies 0.8979457,
        // 1.0296530, 0.9433484, mean 0.9569824; BALD = 1.0760342 − 0.9569824 = 0.1190518. Sample 1: H[.8,.1,.1] =
        // 0.6390319 and BALD 0 (identical members).
        assertArrayEquals(new double[] {0.1190518, 0}, Strategies.ensembleBald().score(pool, ensemble, ids), 1e-6);
        assertArrayEquals(new double[] {1.0760342, 0.6390319},
                Strategies.ensembleEntropy().score(pool, ensemble, ids), 1e-6);
        // Per-class population std over members of sample 0: class 0 {.6,.2,.5} sqrt(0.0866667/3) = 0.1699673;
        // class 1 {.3,.5,.1} sqrt(0.08/3) = 0.1632993; class 2 {.1,.3,.4} sqrt(0.0466667/3) = 0.1247219; mean
        // 0.1526628.
        assertArrayEquals(new double[] {0.1526628, 0}, Strategies.ensembleMeanStd().score(pool, ensemble, ids),
                1e-6);
        Selection s = Strategies.ensembleVariationRatio().select(pool, ensemble, 1);
        assertArrayEquals(new int[] {0}, s.ids());
    }

    @Test
    void equalToTheMcStrategiesFedTheMembersAsPasses() {
        int n = 200;
        int k = 5;
        Committee ensemble = CommitteeFixtures.committee(n, k, 4, 3);
        Pool pool = Pool.withoutInputs(n, k).withLabels(new int[] {3, 50, 77}, new int[] {0, 1, 2});
        int[] all = new int[n];
        java.util.Arrays.setAll(all, i -> i);
        INDArray[] passes = new INDArray[ensemble.size()];
        for (int c = 0; c < passes.length; c++) {
            passes[c] = ensemble.members().get(c).probabilities(pool, all).castTo(DataType.FLOAT);
        }
        PrecomputedModel mc = PrecomputedModel.builder(ensemble.probabilities(pool, all))
                .mcProbabilities(Nd4j.stack(0, passes)).build();
        List<EnsembleSampling> ensembles = List.of(Strategies.ensembleVariationRatio(), Strategies.ensembleBald(),
                Strategies.ensembleMeanStd(), Strategies.ensembleEntropy());
        List<BayesianUncertaintySampling> mcs = List.of(Strategies.variationRatioMc(), Strategies.bald(),
                Strategies.meanStd(), Strategies.entropyMc());
        for (int i = 0; i < ensembles.size(); i++) {
            for (int budget : new int[] {1, 17, 300}) {
                Selection byMembers = ensembles.get(i).select(pool, ensemble, budget);
                Selection byPasses = mcs.get(i).withPasses(4).select(pool, mc, budget);
                assertArrayEquals(byPasses.ids(), byMembers.ids(), ensembles.get(i) + ", budget " + budget);
                assertArrayEquals(byPasses.scores().orElseThrow(), byMembers.scores().orElseThrow(), 0.0);
            }
            assertArrayEquals(mcs.get(i).withPasses(4).score(pool, mc, pool.candidates()),
                    ensembles.get(i).score(pool, ensemble, pool.candidates()), 0.0);
        }
        // In exact arithmetic BALD over members is max-disagreement and the entropy of the mean is consensus entropy.
        assertArrayEquals(Strategies.maxDisagreement().score(pool, ensemble, all),
                Strategies.ensembleBald().score(pool, ensemble, all), 1e-9);
        assertArrayEquals(Strategies.consensusEntropy().score(pool, ensemble, all),
                Strategies.ensembleEntropy().score(pool, ensemble, all), 1e-12);
    }

    @Test
    void aCommitteeIsAStochasticModelWhosePassesAreItsMembers() {
        Pool pool = Pool.withoutInputs(2, 3);
        Committee ensemble = handEnsemble();
        assertTrue(ensemble.supports(StochasticModel.class));
        assertEquals(3, ensemble.defaultPasses());
        INDArray passes = ensemble.stochasticProbabilities(pool, new int[] {1, 0}, 3, 99);
        assertArrayEquals(new long[] {3, 2, 3}, passes.shape());
        assertArrayEquals(new float[] {0.2f, 0.5f, 0.3f}, passes.slice(1).getRow(1).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0.8f, 0.1f, 0.1f}, passes.slice(2).getRow(0).toFloatVector(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ensemble.stochasticProbabilities(pool, new int[] {0}, 20, 0));
        assertTrue(e.getMessage().contains("3 members") && e.getMessage().contains("20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.bald().withPasses(5).select(pool, ensemble, 1));
        assertTrue(e.getMessage().contains("passes = 5"), e.getMessage());
    }

    @Test
    void fewerThanTwoMembersAreRefused() {
        Model one = TestModels.random(10, 3, 2, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Committee.of(List.of(one)));
        assertTrue(e.getMessage().contains("at least 2 members, found 1"), e.getMessage());
        Learner<Model> learner = (data, progress) -> one;
        for (List<Learner<Model>> learners : List.of(List.<Learner<Model>>of(), List.of(learner))) {
            e = assertThrows(IllegalArgumentException.class, () -> Committee.learner(learners));
            assertTrue(e.getMessage().contains("at least 2 member learners, found " + learners.size()),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Committee.bootstrapLearner(learners));
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> StrategyCatalog.Setup.ofSeed(1).withCommitteeSize(1));
        assertTrue(e.getMessage().contains("committee size must be >= 2, found 1"), e.getMessage());
    }

    @Test
    void anyModelOtherThanACommitteeFailsFastNamingStrategyAndCapability() {
        Pool pool = Pool.withoutInputs(30, 3);
        Model mcDropout = TestModels.random(30, 3, 2, 5, 1); // a StochasticModel, but not an ensemble
        for (QueryStrategy s : List.of(Strategies.ensembleVariationRatio(), Strategies.ensembleBald(),
                Strategies.ensembleMeanStd(), Strategies.ensembleEntropy())) {
            for (int budget : new int[] {0, 4}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> s.select(pool, mcDropout, budget));
                assertTrue(e.getMessage().contains(s.toString()) && e.getMessage().contains("Committee"),
                        e.getMessage());
            }
        }
    }

    @Test
    void theCatalogTrainsAnEnsembleOfTheSetupsSizeWithDistinctSeeds() {
        List<Long> seeds = Collections.synchronizedList(new ArrayList<>());
        Learner<Model> member = (data, progress) -> {
            seeds.add(data.seed());
            return TestModels.random(6, 2, 2, 1, data.seed());
        };
        StrategyCatalog.Setup setup = StrategyCatalog.Setup.ofSeed(7).withLearner(member);
        for (String name : List.of("ensemble-var-ratio", "ensemble-bald", "ensemble-mean-std", "ensemble-entropy")) {
            StrategyCatalog.Entry entry = Strategies.catalog().get(name);
            assertEquals(StrategyCatalog.Reads.COMMITTEE, entry.reads());
            assertTrue(entry.trainsOwnLearner());
            seeds.clear();
            Model fitted = entry.learner(setup).fit(new TrainingData(new int[] {0, 1}, null, new int[] {0, 1}, 2, 5));
            assertEquals(StrategyCatalog.Setup.DEFAULT_COMMITTEE_SIZE, ((Committee) fitted).size(), name);
            assertEquals(StrategyCatalog.Setup.DEFAULT_COMMITTEE_SIZE, seeds.stream().distinct().count(), name);
        }
        assertEquals(Strategies.ensembleBald(), Strategies.catalog().get("ensemble-bald").create(3));
        assertEquals("Strategies.ensembleVariationRatio()", Strategies.ensembleVariationRatio().toString());
        assertEquals("Strategies.ensembleMeanStd()", Strategies.catalog().get("ensemble-mean-std").create(1)
                .toString());
        assertEquals(Strategies.ensembleEntropy(), EnsembleSampling.of(Measure.ENTROPY));
        assertEquals(Strategies.ensembleEntropy().hashCode(), EnsembleSampling.of(Measure.ENTROPY).hashCode());
        assertTrue(!Strategies.ensembleEntropy().equals(Strategies.ensembleBald()));
    }

    /** A committee of three random members, as the contract's model. */
    abstract static class Contract extends QueryStrategyContract {
        @Override
        protected Model model(Pool pool, long seed) {
            return CommitteeFixtures.committee(pool.size(), pool.numClasses(), 3, seed);
        }
    }

    @Nested
    class VariationRatio extends Contract {
        @Override
        protected QueryStrategy strategy() {
            return Strategies.ensembleVariationRatio();
        }
    }

    @Nested
    class Bald extends Contract {
        @Override
        protected QueryStrategy strategy() {
            return Strategies.ensembleBald();
        }
    }

    @Nested
    class MeanStd extends Contract {
        @Override
        protected QueryStrategy strategy() {
            return Strategies.ensembleMeanStd();
        }
    }

    @Nested
    class Entropy extends Contract {
        @Override
        protected QueryStrategy strategy() {
            return Strategies.ensembleEntropy();
        }
    }
}
