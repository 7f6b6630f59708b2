package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Progress;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Committee} and the query-by-committee strategies end to end. */
class CommitteeStrategiesTest {

    /** Member probabilities of two samples over three classes, as in UncertaintyScoresTest. */
    private static Committee handCommittee() {
        return Committee.of(
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.6f, 0.3f, 0.1f}, {0.8f, 0.1f, 0.1f}})),
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.2f, 0.5f, 0.3f}, {0.8f, 0.1f, 0.1f}})),
                PrecomputedModel.of(Nd4j.create(new float[][] {{0.5f, 0.1f, 0.4f}, {0.8f, 0.1f, 0.1f}})));
    }

    @Test
    void committeeStrategiesScoreTheHandCommittee() {
        Pool pool = Pool.withoutInputs(2, 3);
        Committee committee = handCommittee();
        // Values from UncertaintyScoresTest.committeeScoresOfHandMembers: the disagreeing sample 0 comes first.
        Selection vote = Strategies.voteEntropy().select(pool, committee, 2);
        assertArrayEquals(new int[] {0, 1}, vote.ids());
        assertArrayEquals(new double[] {0.636514, 0}, vote.scores().orElseThrow(), 1e-6);
        assertArrayEquals(new double[] {1.076034, 0.639032},
                Strategies.consensusEntropy().select(pool, committee, 2).scores().orElseThrow(), 1e-6);
        assertArrayEquals(new double[] {0.119052, 0},
                Strategies.maxDisagreement().select(pool, committee, 2).scores().orElseThrow(), 1e-6);
    }

    @Test
    void aCommitteeAsAModelPredictsTheConsensus() {
        Pool pool = Pool.withoutInputs(2, 3);
        Committee committee = handCommittee();
        // mean of the members: sample 0 [1.3/3, 0.9/3, 0.8/3], sample 1 [0.8, 0.1, 0.1]
        INDArray consensus = committee.probabilities(pool, new int[] {0, 1});
        assertArrayEquals(new float[] {1.3f / 3, 0.3f, 0.8f / 3}, consensus.getRow(0).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {0.8f, 0.1f, 0.1f}, consensus.getRow(1).toFloatVector(), 1e-6f);
        // so a single-model strategy on the committee scores the consensus: entropy() = consensusEntropy()
        assertArrayEquals(Strategies.consensusEntropy().score(pool, committee, new int[] {1, 0}),
                Strategies.entropy().score(pool, committee, new int[] {1, 0}), 1e-6);
        assertEquals(3, committee.size());
        assertEquals(3, committee.numClasses());
    }

    @Test
    void committeeStrategiesOnAPlainModelFailFastNamingStrategyAndCapability() {
        Pool pool = Pool.withoutInputs(30, 3);
        Model plain = TestModels.random(30, 3, 2, 2, 1);
        for (QueryStrategy s : List.of(Strategies.voteEntropy(), Strategies.consensusEntropy(),
                Strategies.maxDisagreement())) {
            for (int budget : new int[] {0, 4}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> s.select(pool, plain, budget));
                assertTrue(e.getMessage().contains(s.toString()) && e.getMessage().contains("Committee"),
                        e.getMessage());
            }
        }
    }

    @Test
    void invalidMemberOutputsAreRejectedNamingTheMember() {
        Pool pool = Pool.withoutInputs(30, 3);
        PrecomputedModel clean = TestModels.random(30, 3, 2, 2, 2);
        Committee poisoned = Committee.of(clean, TestModels.poisoned(TestModels.random(30, 3, 2, 2, 3)));
        INDArray rows = TestModels.random(30, 3, 2, 2, 4).probabilities(pool, allIds(30)).dup();
        rows.putScalar(5, 2, 0.9);
        Committee unnormalised = Committee.of(new FixedOutputsModel(3, rows, null), clean);
        for (QueryStrategy s : List.of(Strategies.voteEntropy(), Strategies.consensusEntropy(),
                Strategies.maxDisagreement())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.select(pool, poisoned, 3));
            assertTrue(e.getMessage().contains("committee member 1 probabilities must not contain NaN"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.select(pool, unnormalised, 3));
            assertTrue(e.getMessage().contains("committee member 0 probabilities rows must sum to 1"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> s.select(pool, CommitteeFixtures.committee(30, 4, 2, 5), 3));
            assertTrue(e.getMessage().contains("model has 4 classes but the pool has 3"), e.getMessage());
        }
    }

    private static int[] allIds(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    @Test
    void ofChecksItsMembers() {
        PrecomputedModel three = TestModels.random(10, 3, 2, 1, 1);
        PrecomputedModel four = TestModels.random(10, 4, 2, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Committee.of(List.of(three)));
        assertEquals("a committee needs at least 2 members, found 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Committee.of(three, four));
        assertTrue(e.getMessage().contains("members[1] has 4"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Committee.of(three, null));
        Committee c = Committee.of(three, three, three);
        assertThrows(UnsupportedOperationException.class, () -> c.members().add(three));
        assertEquals(c, Committee.of(List.of(three, three, three)));
    }

    @Test
    void theLearnerFitsEveryMemberWithItsOwnSeed() {
        List<Long> seeds = new ArrayList<>();
        Learner<PrecomputedModel> recording = (data, progress) -> {
            seeds.add(data.seed());
            return TestModels.random(6, 2, 2, 1, data.seed());
        };
        Learner<Committee> learner = Committee.learner(List.of(recording, recording, recording));
        TrainingData data = new TrainingData(new int[] {0, 1}, null, new int[] {0, 1}, 2, 42);
        Committee committee = learner.fit(data, Progress.none());
        assertEquals(3, committee.size());
        assertEquals(3, seeds.stream().distinct().count(), "seeds " + seeds);
        // different seeds, different members
        Pool pool = Pool.withoutInputs(6, 2);
        int[] ids = {0, 1, 2, 3, 4, 5};
        assertNotEquals(committee.members().get(0).probabilities(pool, ids),
                committee.members().get(1).probabilities(pool, ids));
        // the same data and seed give the same committee
        seeds.clear();
        Committee again = learner.fit(data);
        assertEquals(committee.members().size(), again.members().size());
        assertEquals(Committee.memberSeed(42, 0), seeds.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Committee.learner(List.of(recording)));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        // Strategies.voteEntropy() then works on what the learner produced
        assertEquals(2, Strategies.voteEntropy().select(pool, committee, 2).size());
    }
}
