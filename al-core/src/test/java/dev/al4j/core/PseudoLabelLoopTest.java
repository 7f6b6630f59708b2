package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loop's pseudo-label option ({@link PseudoLabeler}) on the loop fixture: what the labeler sees, what the learner
 * trains on, what is stored and reported, and what is refused. CEAL itself is tested in al-strategies.
 */
class PseudoLabelLoopTest {

    static final LoopFixture.Hooks NONE = new LoopFixture.Hooks() { };

    /** A learner that records every training set and delegates to the fixture's. */
    static final class RecordingLearner implements Learner<Model> {
        final List<TrainingData> fits = new ArrayList<>();
        final Learner<Model> inner = new LoopFixture.NearestMean(NONE);

        @Override
        public Model fit(TrainingData data, Progress progress) {
            fits.add(data);
            return inner.fit(data, progress);
        }

        @Override
        public String toString() {
            return "RecordingLearner";
        }
    }

    /** A labeler that records what it was given and returns what {@code answer} makes of it. */
    static final class RecordingLabeler implements PseudoLabeler {
        final Map<Integer, int[]> eligible = new TreeMap<>();
        final Map<Integer, PseudoLabeler.Labels> returned = new TreeMap<>();
        final PseudoLabeler answer;

        RecordingLabeler(PseudoLabeler answer) {
            this.answer = answer;
        }

        @Override
        public Labels label(int round, int[] ids, INDArray probabilities) {
            assertEquals(ids.length, probabilities.rows());
            eligible.put(round, ids.clone());
            Labels labels = answer.label(round, ids, probabilities);
            returned.put(round, labels);
            return labels;
        }

        @Override
        public boolean isActive(int round) {
            return answer.isActive(round);
        }

        @Override
        public String toString() {
            return "RecordingLabeler";
        }
    }

    /** Records each round's candidates (as the strategy saw them) and query. */
    static final class Rounds implements LoopListener {
        final Map<Integer, int[]> candidates = new HashMap<>();
        final Map<Integer, int[]> queried = new HashMap<>();

        @Override
        public void onRoundStart(int round, Pool pool) {
            candidates.put(round, pool.candidates());
        }

        @Override
        public void onQueryDone(int round, Selection selection) {
            queried.put(round, selection.ids());
        }
    }

    @Test
    void eachFitTrainsOnTheOracleLabelsPlusThatRoundsPseudoLabelsOnly() {
        RecordingLearner learner = new RecordingLearner();
        RecordingLabeler labeler = new RecordingLabeler(new LoopFixture.ConfidentLabeler(NONE, 0.75));
        Rounds rounds = new Rounds();
        LabelStore store = LabelStore.inMemory();
        AtomicInteger oracleIds = new AtomicInteger();
        Oracle oracle = ids -> {
            oracleIds.addAndGet(ids.length);
            return Oracles.simulated(LoopFixture.truth()).label(ids);
        };
        LoopResult result;
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).learner(learner).oracle(oracle)
                .pseudoLabels(labeler).listener(rounds).labelStore(store).build()) {
            result = loop.run();
            assertEquals(30, loop.acquired(), "the budget counts oracle labels only");
        }
        assertEquals(30, oracleIds.get(), "the oracle is asked the queried ids only");
        assertEquals(30, result.finalPool().labeledCount(), "the final pool holds oracle labels only");
        assertEquals(7, learner.fits.size(), "rounds 0..6, one fit each");
        assertEquals(List.of(1, 2, 3, 4, 5, 6), new ArrayList<>(labeler.eligible.keySet()), "no model in round 0");

        // Replay the run: the oracle labels after each round, from the store, in round order.
        int[] labelOf = new int[LoopFixture.N];
        Arrays.fill(labelOf, -1);
        List<LabelRecord> records = store.records();
        for (RoundResult r : result.rounds()) {
            int t = r.round();
            for (LabelRecord rec : records) {
                if (rec.source() == LabelRecord.Source.ORACLE && rec.round() == t) {
                    labelOf[rec.id()] = rec.label();
                }
            }
            int oracleCount = (int) Arrays.stream(labelOf).filter(l -> l >= 0).count();
            assertEquals(oracleCount, r.labeledCount(), "round " + t + ": labeled counts are oracle labels");
            assertEquals(6 + 4 * t, r.labeledCount());
            assertEquals(t == 0 ? 6 : 4, r.answered());

            // What the fit trained on: oracle labels plus this round's pseudo-labels, ascending by id.
            Map<Integer, Integer> expected = new TreeMap<>();
            for (int id = 0; id < labelOf.length; id++) {
                if (labelOf[id] >= 0) {
                    expected.put(id, labelOf[id]);
                }
            }
            PseudoLabeler.Labels pseudo = labeler.returned.getOrDefault(t, PseudoLabeler.Labels.none());
            for (int i = 0; i < pseudo.size(); i++) {
                assertTrue(labelOf[pseudo.ids()[i]] < 0, "a pseudo-labeled id has no oracle label");
                expected.put(pseudo.ids()[i], pseudo.labels()[i]);
            }
            TrainingData fit = learner.fits.get(t);
            assertArrayEquals(expected.keySet().stream().mapToInt(Integer::intValue).toArray(), fit.ids(),
                    "round " + t);
            assertArrayEquals(expected.values().stream().mapToInt(Integer::intValue).toArray(), fit.labels(),
                    "round " + t);
            assertEquals(pseudo.size(), r.pseudoLabels(), "round " + t);
            if (t > 0) {
                assertTrue(pseudo.size() > 0, "the fixture's model is sure of some candidates in round " + t);
                // Eligible: the round's candidates (a random subset of 30 while more than 30 ids are unlabeled,
                // then every unlabeled id) minus its queried ids, ascending.
                int[] queried = rounds.queried.get(t);
                int[] eligible = Arrays.stream(rounds.candidates.get(t))
                        .filter(id -> Arrays.stream(queried).noneMatch(q -> q == id)).toArray();
                assertEquals(Math.min(30, LoopFixture.N - (6 + 4 * (t - 1))), rounds.candidates.get(t).length);
                assertArrayEquals(eligible, labeler.eligible.get(t), "round " + t);
                // Stored as PSEUDO records of round t, in the labeler's order.
                List<LabelRecord> stored = records.stream()
                        .filter(rec -> rec.source() == LabelRecord.Source.PSEUDO && rec.round() == t).toList();
                assertArrayEquals(pseudo.ids(), stored.stream().mapToInt(LabelRecord::id).toArray());
                assertArrayEquals(pseudo.labels(), stored.stream().mapToInt(LabelRecord::label).toArray());
            }
        }
        assertEquals(result.finalPool().labeledCount(), store.labels().size(), "labels() are oracle labels only");
    }

    @Test
    void anInactiveLabelerCostsNoInferenceAndChangesNothing() {
        AtomicInteger probabilityCalls = new AtomicInteger();
        Learner<Model> counting = (data, progress) -> {
            Model inner = new LoopFixture.NearestMean(NONE).fit(data, progress);
            return new Model() {
                @Override
                public int numClasses() {
                    return inner.numClasses();
                }

                @Override
                public INDArray probabilities(Pool pool, int[] ids) {
                    probabilityCalls.incrementAndGet();
                    return inner.probabilities(pool, ids);
                }
            };
        };
        String plain;
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).learner(counting).build()) {
            plain = LoopFixture.describe(loop.run());
        }
        int plainCalls = probabilityCalls.getAndSet(0);
        RecordingLabeler off = new RecordingLabeler(new PseudoLabeler() {
            @Override
            public Labels label(int round, int[] ids, INDArray probabilities) {
                throw new AssertionError("an inactive labeler is not called");
            }

            @Override
            public boolean isActive(int round) {
                return false;
            }
        });
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).learner(counting).pseudoLabels(off).build()) {
            assertEquals(plain, LoopFixture.describe(loop.run()));
        }
        assertEquals(plainCalls, probabilityCalls.get(), "no extra forward pass");

        // An active labeler costs exactly one extra call per query round (6 rounds).
        probabilityCalls.set(0);
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).learner(counting)
                .pseudoLabels((round, ids, p) -> PseudoLabeler.Labels.none()).build()) {
            assertEquals(plain, LoopFixture.describe(loop.run()), "no pseudo-labels, the same run");
        }
        assertEquals(plainCalls + 6, probabilityCalls.get());
    }

    @Test
    void aLabelerThatBreaksTheRulesIsRefused() {
        // an id the strategy just queried (the labeler is only shown unqueried ids; this one peeks at the query)
        int[][] lastQuery = new int[1][];
        QueryStrategy peeked = (pool, model, budget) -> {
            Selection s = new LoopFixture.LeastConfidence(NONE).select(pool, model, budget);
            lastQuery[0] = s.ids();
            return s;
        };
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).strategy(peeked).pseudoLabels((round, ids, p) ->
                PseudoLabeler.Labels.of(new int[] {lastQuery[0][0]}, new int[] {0})).build()) {
            loop.submit(LoopFixture.oracle(NONE).label(loop.nextQuery().ids()));
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::nextQuery);
            assertTrue(e.getMessage().contains("returned id " + lastQuery[0][0] + ", which is not an unqueried "
                    + "candidate of round 1"), e.getMessage());
            assertEquals(6, loop.acquired());
        }
        // an id labeled by the oracle in round 0
        int[] firstQuery = new int[1];
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).pseudoLabels((round, ids, p) ->
                PseudoLabeler.Labels.of(new int[] {firstQuery[0]}, new int[] {0})).build()) {
            Query q0 = loop.nextQuery();
            firstQuery[0] = q0.ids()[0]; // labeled in round 0: never eligible later
            loop.submit(LoopFixture.oracle(NONE).label(q0.ids()));
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::nextQuery);
            assertTrue(e.getMessage().contains("returned id " + firstQuery[0] + ", which is not an unqueried "
                    + "candidate of round 1"), e.getMessage());
        }
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).pseudoLabels((round, ids, p) ->
                PseudoLabeler.Labels.of(new int[] {ids[0]}, new int[] {LoopFixture.K})).build()) {
            loop.submit(LoopFixture.oracle(NONE).label(loop.nextQuery().ids()));
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::nextQuery);
            assertTrue(e.getMessage().contains("returned class 3 for id"), e.getMessage());
            assertTrue(e.getMessage().contains("outside [0, 3)"), e.getMessage());
        }
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).pseudoLabels((round, ids, p) -> null).build()) {
            loop.submit(LoopFixture.oracle(NONE).label(loop.nextQuery().ids()));
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::nextQuery);
            assertTrue(e.getMessage().contains("returned null"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> ActiveLearningLoop.builder().pseudoLabels(null));
        PseudoLabeler lambda = (round, ids, p) -> PseudoLabeler.Labels.none();
        assertTrue(lambda.isActive(1), "isActive defaults to true");
    }

    @Test
    void labelsValidateTheirArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PseudoLabeler.Labels.of(new int[] {1, 2}, new int[] {0}));
        assertTrue(e.getMessage().contains("same length, found 2 and 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.Labels.of(new int[] {4, 4},
                new int[] {0, 1}));
        assertTrue(e.getMessage().contains("found 4 twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.Labels.of(new int[] {-2},
                new int[] {0}));
        assertTrue(e.getMessage().contains("found -2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.Labels.of(new int[] {1},
                new int[] {-1}));
        assertTrue(e.getMessage().contains("labels[0] must be a class >= 0, found -1"), e.getMessage());
        int[] ids = {3, 1};
        PseudoLabeler.Labels l = PseudoLabeler.Labels.of(ids, new int[] {2, 0});
        ids[0] = 9;
        assertArrayEquals(new int[] {3, 1}, l.ids(), "copied in");
        assertEquals(PseudoLabeler.Labels.of(new int[] {3, 1}, new int[] {2, 0}), l);
        assertEquals(0, PseudoLabeler.Labels.none().size());
    }
}
