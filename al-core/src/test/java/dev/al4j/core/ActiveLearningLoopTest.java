package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActiveLearningLoopTest {

    /** Least confidence over the model's probabilities: enough of a strategy to drive the loop. */
    static final QueryStrategy LEAST_CONFIDENT = TopK.of((pool, model, ids) -> {
        INDArray p = Checks.checkProbabilities(model.probabilities(pool, ids), ids.length, pool.numClasses(), "p");
        return p.max(1).rsub(1.0).toDoubleVector();
    }, "leastConfident");

    static final Metric ACCURACY = new Metric() {
        @Override
        public String name() {
            return "accuracy";
        }

        @Override
        public double evaluate(INDArray probabilities, int[] labels) {
            long[] predicted = probabilities.argMax(1).toLongVector();
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            return (double) right / labels.length;
        }
    };

    /** {@code n} points in 2-d around {@code k} centres on a circle, label = centre index. */
    static Blobs blobs(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(k);
            double angle = 2 * Math.PI * y[i] / k;
            x[i][0] = 3 * Math.cos(angle) + TestModels.gaussian(random);
            x[i][1] = 3 * Math.sin(angle) + TestModels.gaussian(random);
        }
        return new Blobs(Pool.of(PoolInputs.of(Nd4j.create(x)), k), y);
    }

    record Blobs(Pool pool, int[] truth) {}

    static LoopBuilder loop(Blobs data, int initial, int batch, int budget, long seed) {
        Blobs test = blobs(200, data.pool().numClasses(), seed + 1000);
        return ActiveLearningLoop.builder().pool(data.pool()).learner(new NearestMeanLearner())
                .strategy(LEAST_CONFIDENT).oracle(Oracles.simulated(data.truth())).initialSize(initial)
                .batchSize(batch).budget(budget).seed(seed).evaluation(test.pool(), test.truth(), ACCURACY);
    }

    @Property(tries = 40)
    void bookkeepingHolds(@ForAll @IntRange(min = 20, max = 120) int n, @ForAll @IntRange(min = 1, max = 5) int k,
            @ForAll @IntRange(min = 1, max = 15) int initial, @ForAll @IntRange(min = 1, max = 20) int batch,
            @ForAll @IntRange(min = 15, max = 150) int budget, @ForAll @IntRange(min = 0, max = 40) int subset,
            @ForAll long seed) {
        Blobs data = blobs(n, k, seed);
        List<int[]> asked = new ArrayList<>();
        LabelStore store = LabelStore.inMemory();
        ActiveLearningLoop loop = loop(data, initial, batch, budget, seed).candidateSubsetSize(subset)
                .labelStore(store).listener(new LoopListener() {
                    @Override
                    public void onQueryDone(int round, Selection selection) {
                        asked.add(selection.ids());
                    }
                }).build();
        LoopResult result = loop.run();

        Set<Integer> seen = new HashSet<>();
        for (int[] ids : asked) {
            for (int id : ids) {
                assertTrue(seen.add(id), "id " + id + " asked twice");
            }
        }
        Pool pool = result.finalPool();
        assertTrue(pool.labeledCount() <= budget, "budget exceeded");
        assertEquals(Math.min(budget, n), pool.labeledCount());
        Set<Integer> all = new HashSet<>();
        for (int id : pool.labeled()) {
            all.add(id);
        }
        for (int id : pool.unlabeled()) {
            assertTrue(all.add(id), "id " + id + " both labeled and unlabeled");
        }
        assertEquals(n, all.size());
        assertEquals(pool.labeledCount(), store.labels().size());
        assertEquals(pool.labeledCount(), store.records().size());
        for (int id : pool.labeled()) {
            assertEquals(data.truth()[id], pool.label(id).getAsInt());
        }
        assertTrue(result.stopReason() == StopReason.BUDGET || result.stopReason() == StopReason.POOL_EXHAUSTED);
        int[] counts = result.labeledCounts();
        for (int i = 1; i < counts.length; i++) {
            assertTrue(counts[i] > counts[i - 1], "labeled counts must grow: " + Arrays.toString(counts));
        }
    }

    @Property(tries = 10)
    void sameSeedSameRun(@ForAll @IntRange(min = 0, max = 30) int subset, @ForAll long seed) {
        Blobs data = blobs(80, 3, seed);
        LoopResult a = loop(data, 5, 7, 40, seed).candidateSubsetSize(subset).build().run();
        LoopResult b = loop(data, 5, 7, 40, seed).candidateSubsetSize(subset).build().run();
        assertEquals(a.rounds(), b.rounds());
        assertArrayEquals(a.finalPool().labeled(), b.finalPool().labeled());
    }

    @Test
    void differentSeedsDrawDifferentInitialSets() {
        Blobs data = blobs(500, 3, 9);
        int[] a = loop(data, 50, 10, 100, 1).build().nextQuery().ids();
        int[] b = loop(data, 50, 10, 100, 2).build().nextQuery().ids();
        // Two uniform 50-of-500 draws coincide with probability 1 / C(500, 50).
        assertTrue(!Arrays.equals(a, b), "seeds 1 and 2 drew the same initial set");
    }

    @Test
    void roundsFollowTheProtocol() {
        Blobs data = blobs(100, 3, 1);
        LoopResult result = loop(data, 10, 15, 50, 1).build().run();
        // 10 initial, then 15, 15 and the 10 left of the budget.
        assertArrayEquals(new int[] {10, 25, 40, 50}, result.labeledCounts());
        assertEquals(StopReason.BUDGET, result.stopReason());
        assertEquals(0, result.rounds().get(0).queryNanos());
        assertTrue(result.last().metric("accuracy") > 0.7, "blobs are easy: " + result.last());
        assertEquals(4, result.metric("accuracy").length);
    }

    @Test
    void humanInTheLoopWithPartialAnswers() {
        Blobs data = blobs(60, 2, 2);
        ActiveLearningLoop loop = loop(data, 4, 5, 20, 2).build();
        Query first = loop.nextQuery();
        assertSame(first, loop.nextQuery(), "an outstanding query is returned again");
        assertEquals(0, first.round());
        int[] ids = first.ids();
        // answer only two of the four
        RoundResult r0 = loop.submit(Answers.of(new int[] {ids[0], ids[2]},
                new int[] {data.truth()[ids[0]], data.truth()[ids[2]]}));
        assertEquals(2, r0.answered());
        assertEquals(4, r0.queried());
        assertEquals(2, loop.pool().labeledCount());
        assertEquals(2, loop.acquired());
        Query second = loop.nextQuery();
        assertEquals(1, second.round());
        assertEquals(5, second.ids().length);
        assertThrows(IllegalStateException.class, () -> ActiveLearningLoop.builder().pool(data.pool())
                .learner(new NearestMeanLearner()).strategy(LEAST_CONFIDENT).batchSize(1).budget(2).build().run());
    }

    @Test
    void badAnswersAreRejectedAndStoreNothing() {
        Blobs data = blobs(40, 2, 3);
        LabelStore store = LabelStore.inMemory();
        ActiveLearningLoop loop = loop(data, 4, 4, 20, 3).labelStore(store).build();
        int[] ids = loop.nextQuery().ids();
        int notAsked = Arrays.stream(data.pool().unlabeled()).filter(id -> Arrays.stream(ids).noneMatch(i -> i == id))
                .findFirst().getAsInt();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.submit(Answers.of(new int[] {ids[0], notAsked}, new int[] {0, 0})));
        assertTrue(e.getMessage().contains("not asked"), e.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> loop.submit(Answers.of(new int[] {ids[0]}, new int[] {2})));
        assertTrue(label.getMessage().contains("[0, 2)"), label.getMessage());
        assertEquals(0, store.records().size());
        assertThrows(IllegalStateException.class, () -> {
            ActiveLearningLoop fresh = loop(data, 4, 4, 20, 3).build();
            fresh.submit(Answers.none());
        });
    }

    @Test
    void oracleFailureKeepsLabelsAndTheOutstandingQuery() {
        Blobs data = blobs(60, 2, 4);
        int[] calls = {0};
        Oracle flaky = ids -> {
            if (++calls[0] == 2) {
                throw new OracleException("annotator went home");
            }
            return Oracles.simulated(data.truth()).label(ids);
        };
        LabelStore store = LabelStore.inMemory();
        ActiveLearningLoop loop = loop(data, 5, 5, 20, 4).oracle(flaky).labelStore(store).build();
        assertThrows(OracleException.class, loop::run);
        assertEquals(5, store.labels().size());
        int[] outstanding = loop.nextQuery().ids();
        LoopResult result = loop.run();
        assertEquals(20, result.finalPool().labeledCount());
        assertTrue(Arrays.stream(outstanding).allMatch(id -> result.finalPool().isLabeled(id)));
    }

    @Test
    void stopsOnUserPredicateAndSilentOracle() {
        Blobs data = blobs(80, 2, 5);
        LoopResult byUser = loop(data, 5, 5, 60, 5).stopWhen(r -> r.labeledCount() >= 15).build().run();
        assertEquals(StopReason.USER_PREDICATE, byUser.stopReason());
        assertEquals(15, byUser.finalPool().labeledCount());
        Oracle silentAfterFirst = new Oracle() {
            int calls;

            @Override
            public Answers label(int[] ids) {
                return calls++ == 0 ? Oracles.simulated(data.truth()).label(ids) : Answers.none();
            }
        };
        LoopResult silent = loop(data, 5, 5, 60, 5).oracle(silentAfterFirst).build().run();
        assertEquals(StopReason.ORACLE_SILENT, silent.stopReason());
        assertEquals(5, silent.finalPool().labeledCount());
    }

    @Test
    void initialSizeZeroTrainsOnExistingLabels() {
        Blobs data = blobs(50, 2, 6);
        Pool seeded = data.pool().withLabels(new int[] {0, 1, 2}, new int[] {data.truth()[0], data.truth()[1],
                data.truth()[2]});
        LoopResult result = loop(new Blobs(seeded, data.truth()), 0, 5, 10, 6).build().run();
        assertArrayEquals(new int[] {3, 8, 13}, result.labeledCounts());
    }

    @Test
    void builderNamesEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActiveLearningLoop.builder().batchSize(0).budget(-2).candidateSubsetSize(-1).build());
        for (String part : new String[] {"pool must be set", "learner must be set", "strategy must be set",
                "batchSize must be > 0, found 0", "budget must be > 0, found -2", "candidateSubsetSize"}) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        Blobs data = blobs(20, 2, 7);
        IllegalArgumentException initial = assertThrows(IllegalArgumentException.class,
                () -> loop(data, 30, 5, 10, 7).build());
        assertTrue(initial.getMessage().contains("initialSize must be <= budget"), initial.getMessage());
        IllegalArgumentException eval = assertThrows(IllegalArgumentException.class,
                () -> loop(data, 3, 5, 10, 7).evaluation(data.pool(), new int[] {0}, ACCURACY).build());
        assertTrue(eval.getMessage().contains("one per evaluation sample"), eval.getMessage());
    }
}
