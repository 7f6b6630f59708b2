package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a loop in this JVM: a crash is simulated by an {@link Error} thrown from the learner, the strategy, the
 * oracle or a listener at every point of a run in turn; the loop is then built again on the same store and must
 * finish with exactly the result of a run that was never interrupted.
 */
class LoopResumeTest {

    static final LoopFixture.Hooks NONE = new LoopFixture.Hooks() { };
    static final long SEED = 7;

    static String reference;
    static Map<Integer, List<Integer>> referenceQueries;
    /** The sweeps crash a shorter run (rounds 0..3), which still has every kind of crash point, to stay quick. */
    static final int SWEEP_BUDGET = 18;
    static String sweepReference;
    static Map<Integer, List<Integer>> sweepQueries;
    /** The sweep's run with pseudo-labels ({@link LoopFixture.ConfidentLabeler}), and its stored pseudo-labels. */
    static final double MIN_TOP = 0.75;
    static String pseudoReference;
    static Map<Integer, List<Integer>> pseudoQueries;
    static List<String> pseudoRecords;

    @TempDir
    Path dir;

    /** Thrown to simulate the process dying at a given point. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash at " + where);
        }
    }

    /** Counts every hook and listener event and crashes at the {@code at}-th one (never when at <= 0). */
    static final class CrashAt implements LoopFixture.Hooks, LoopListener {
        final int at;
        int count;

        CrashAt(int at) {
            this.at = at;
        }

        void tick(String what) {
            if (++count == at) {
                throw new SimulatedCrash(what + " (event " + count + ")");
            }
        }

        @Override
        public void fit(int labeled) {
            tick("fit");
        }

        @Override
        public void query(int candidates) {
            tick("query");
        }

        @Override
        public void oracle(int[] ids) {
            tick("oracle");
        }

        @Override
        public void pseudoLabels(int eligible) {
            tick("pseudo-labels");
        }

        @Override
        public void onQueryDone(int round, Selection selection) {
            tick("query stored");
        }

        @Override
        public void onLabelsReceived(int round, Answers answers) {
            tick("labels stored");
        }

        @Override
        public void onRoundEnd(RoundResult result) {
            tick("round end");
        }

        @Override
        public void onStop(LoopResult result) {
            tick("stop");
        }
    }

    /** Records the ids of every query issued, by round. */
    static final class QueryLog implements LoopListener {
        final Map<Integer, List<Integer>> queries = new LinkedHashMap<>();

        @Override
        public void onQueryDone(int round, Selection selection) {
            List<Integer> ids = new ArrayList<>();
            for (int id : selection.ids()) {
                ids.add(id);
            }
            queries.put(round, ids);
        }
    }

    @BeforeAll
    static void uninterruptedRun() {
        QueryLog log = new QueryLog();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).listener(log).build()) {
            LoopResult result = loop.run();
            assertEquals(StopReason.BUDGET, result.stopReason());
            assertEquals(7, result.rounds().size(), "rounds 0..6: 6 + 6 * 4 = 30 labels");
            reference = LoopFixture.describe(result);
            referenceQueries = log.queries;
        }
        QueryLog shortLog = new QueryLog();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).budget(SWEEP_BUDGET).listener(shortLog)
                .build()) {
            sweepReference = LoopFixture.describe(loop.run());
            sweepQueries = shortLog.queries;
        }
        assertEquals(referenceQueries.get(3), sweepQueries.get(3), "the short run is a prefix of the long one");
        QueryLog pseudoLog = new QueryLog();
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = sweepBuilder(NONE, true).listener(pseudoLog).labelStore(store).build()) {
            LoopResult result = loop.run();
            pseudoReference = LoopFixture.describe(result);
            pseudoQueries = pseudoLog.queries;
            pseudoRecords = pseudoRecords(store.records());
            // The pseudo-labels did take part: every query round trained on some, and they changed the run.
            for (RoundResult r : result.rounds().subList(1, result.rounds().size())) {
                assertTrue(r.pseudoLabels() > 0, "round " + r.round() + " has pseudo-labels: " + pseudoReference);
            }
            assertNotEquals(sweepReference, pseudoReference);
            assertEquals(result.rounds().stream().mapToInt(RoundResult::pseudoLabels).sum(), pseudoRecords.size());
        }
    }

    /** The sweeps' loop (rounds 0..3), with or without pseudo-labels. */
    static LoopBuilder sweepBuilder(LoopFixture.Hooks hooks, boolean pseudo) {
        LoopBuilder b = LoopFixture.builder(hooks, SEED).budget(SWEEP_BUDGET);
        return pseudo ? b.pseudoLabels(new LoopFixture.ConfidentLabeler(hooks, MIN_TOP)) : b;
    }

    /** The pseudo-label records as "round:id:label", in the order stored. */
    static List<String> pseudoRecords(List<LabelRecord> records) {
        return records.stream().filter(r -> r.source() == LabelRecord.Source.PSEUDO)
                .map(r -> r.round() + ":" + r.id() + ":" + r.label()).toList();
    }

    @Test
    void sameSeedSameRunAnotherSeedAnotherRun() {
        try (ActiveLearningLoop again = LoopFixture.builder(NONE, SEED).build();
                ActiveLearningLoop other = LoopFixture.builder(NONE, SEED + 1).build()) {
            assertEquals(reference, LoopFixture.describe(again.run()));
            assertNotEquals(reference, LoopFixture.describe(other.run()));
        }
    }

    @Test
    void aCrashAtEveryPointResumesToTheUninterruptedRunInMemory() {
        LabelStore[] store = new LabelStore[1];
        int points = sweep(1, false, () -> {
            store[0] = LabelStore.inMemory();
            return store[0];
        }, () -> store[0]);
        // rounds 0..3: 4 fits + 3 strategy runs + 4 oracle calls + 4 queries stored + 4 answer batches stored
        // + 4 round ends + 1 stop (the events CrashAt counts)
        assertEquals(24, points, "the sweep covered every crash point");
    }

    @Test
    void withPseudoLabelsACrashAtEveryPointResumesToTheUninterruptedRunInMemory() {
        LabelStore[] store = new LabelStore[1];
        int points = sweep(1, true, () -> {
            store[0] = LabelStore.inMemory();
            return store[0];
        }, () -> store[0]);
        // the 24 points above + 3 pseudo-labeler calls (rounds 1..3)
        assertEquals(27, points, "the sweep covered every crash point");
    }

    @Test
    void withPseudoLabelsACrashAtEveryPointResumesToTheUninterruptedRunInSqlite() {
        SqliteLabelStore[] store = new SqliteLabelStore[1];
        int[] file = {0};
        try {
            // every third point, offset so as to hit the three pseudo-labeler calls' neighbourhoods too
            sweep(3, true, () -> {
                if (store[0] != null) {
                    store[0].close();
                }
                store[0] = LabelStore.sqlite(dir.resolve("pseudo-" + file[0]++ + ".db"));
                return store[0];
            }, () -> {
                store[0].close();
                store[0] = LabelStore.sqlite(dir.resolve("pseudo-" + (file[0] - 1) + ".db"));
                return store[0];
            });
        } finally {
            store[0].close();
        }
    }

    @Test
    void aResumeWithAnotherPseudoLabelerOrWithoutOneIsRefused() {
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = sweepBuilder(NONE, true).labelStore(store).runId("p").build()) {
            loop.nextQuery();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sweepBuilder(NONE, true)
                .pseudoLabels(new LoopFixture.ConfidentLabeler(NONE, 0.9)).labelStore(store).runId("p").build());
        assertTrue(e.getMessage().contains("pseudoLabels: stored ConfidentLabeler(minTop=0.75), now "
                + "ConfidentLabeler(minTop=0.9)"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> sweepBuilder(NONE, false).labelStore(store).runId("p").build());
        assertTrue(e.getMessage().contains("pseudoLabels: stored ConfidentLabeler(minTop=0.75), now (absent)"),
                e.getMessage());
        try (ActiveLearningLoop loop = sweepBuilder(NONE, false).labelStore(store).runId("q").build()) {
            loop.nextQuery();
        }
        e = assertThrows(IllegalStateException.class,
                () -> sweepBuilder(NONE, true).labelStore(store).runId("q").build());
        assertTrue(e.getMessage().contains("pseudoLabels: stored (absent), now ConfidentLabeler(minTop=0.75)"),
                e.getMessage());
        // the right configuration resumes
        try (ActiveLearningLoop loop = sweepBuilder(NONE, true).labelStore(store).runId("p").build()) {
            assertEquals(pseudoReference, LoopFixture.describe(loop.run()));
        }
    }

    @Test
    void aCrashAtEveryPointResumesToTheUninterruptedRunInSqlite() {
        SqliteLabelStore[] store = new SqliteLabelStore[1];
        int[] file = {0};
        try {
            // every second point (the in-memory sweep takes them all; the resume logic is the same), to stay quick
            sweep(2, false, () -> {
                if (store[0] != null) {
                    store[0].close();
                }
                store[0] = LabelStore.sqlite(dir.resolve("sweep-" + file[0]++ + ".db"));
                return store[0];
            }, () -> {
                // a new process opens the file afresh
                store[0].close();
                store[0] = LabelStore.sqlite(dir.resolve("sweep-" + (file[0] - 1) + ".db"));
                return store[0];
            });
        } finally {
            store[0].close();
        }
    }

    /**
     * For at = 1, 1 + stride, ...: a run on a fresh store crashing at event {@code at}, then a resumed run on the
     * same store. Returns the number of crash points, when a run no longer reaches the crash.
     */
    private static int sweep(int stride, boolean pseudo, Supplier<LabelStore> fresh, Supplier<LabelStore> reopen) {
        String expected = pseudo ? pseudoReference : sweepReference;
        Map<Integer, List<Integer>> expectedQueries = pseudo ? pseudoQueries : sweepQueries;
        for (int at = 1; ; at += stride) {
            CrashAt crash = new CrashAt(at);
            LabelStore store = fresh.get();
            boolean crashed = false;
            try (ActiveLearningLoop loop = sweepBuilder(crash, pseudo).listener(crash).labelStore(store).build()) {
                loop.run();
            } catch (SimulatedCrash e) {
                crashed = true;
            }
            if (!crashed) {
                return at - 1;
            }
            LabelStore again = reopen.get();
            QueryLog log = new QueryLog();
            try (ActiveLearningLoop loop = sweepBuilder(NONE, pseudo).labelStore(again).listener(log).build()) {
                String resumed = LoopFixture.describe(loop.run());
                assertEquals(expected, resumed, "resumed after a crash at event " + at);
            }
            int point = at;
            log.queries.forEach((round, ids) -> assertEquals(expectedQueries.get(round), ids,
                    "query of round " + round + " after a crash at event " + point));
            assertEachIdLabeledOnce(again.records(), SWEEP_BUDGET, "crash at event " + at);
            // each round's pseudo-labels were stored once, with its query, and are those of the uninterrupted run
            assertEquals(pseudo ? pseudoRecords : List.of(), pseudoRecords(again.records()),
                    "pseudo-labels after a crash at event " + at);
        }
    }

    static void assertEachIdLabeledOnce(List<LabelRecord> records, String context) {
        assertEachIdLabeledOnce(records, 30, context);
    }

    /** Each of {@code count} ids has exactly one oracle record, with its true label (pseudo-labels are skipped). */
    static void assertEachIdLabeledOnce(List<LabelRecord> records, int count, String context) {
        Set<Integer> seen = new HashSet<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.PSEUDO) {
                continue;
            }
            assertTrue(seen.add(r.id()), "id " + r.id() + " stored twice (" + context + ")");
            assertEquals(LoopFixture.truth()[r.id()], r.label(), context);
        }
        assertEquals(count, seen.size(), context);
    }

    /** A person answering one id at a time with submitPartial, then closing the round. */
    static LoopResult answerOneByOne(ActiveLearningLoop loop, IntConsumer afterEachAnswer) {
        int[] truth = LoopFixture.truth();
        while (loop.stopReason().isEmpty()) {
            loop.nextQuery();
            for (int id : loop.unansweredIds()) {
                loop.submitPartial(Answers.of(new int[] {id}, new int[] {truth[id]}).withAnnotator("ann"));
                afterEachAnswer.accept(id);
            }
            loop.submit(Answers.none());
        }
        return loop.result();
    }

    @Test
    void aPersonAnsweringOneByOneLosesNothingAndIsNeverAskedTwice() {
        // answers 6 and 7 end round 0 and begin round 1; 30 is the last answer of the run
        for (int crashAfter : new int[] {1, 3, 6, 7, 10, 14, 17, 22, 26, 29, 30}) {
            Path file = dir.resolve("human-" + crashAfter + ".db");
            List<Integer> answeredIds = new ArrayList<>();
            int stopAt = crashAfter;
            try (SqliteLabelStore store = LabelStore.sqlite(file);
                    ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).build()) {
                answerOneByOne(loop, id -> {
                    answeredIds.add(id);
                    if (answeredIds.size() == stopAt) {
                        throw new SimulatedCrash("after answer " + stopAt);
                    }
                });
            } catch (SimulatedCrash expected) {
                // the person's session died
            }
            try (SqliteLabelStore store = LabelStore.sqlite(file);
                    ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).build()) {
                assertEquals(stopAt, loop.acquired(), "labels restored");
                String resumed = LoopFixture.describe(answerOneByOne(loop, answeredIds::add));
                assertEquals(reference, resumed, "crash after answer " + stopAt);
                assertEquals(30, answeredIds.size(), "every id shown to the person once");
                assertEquals(30, new HashSet<>(answeredIds).size(), "no id shown twice: " + answeredIds);
                assertEachIdLabeledOnce(store.records("default"), "crash after answer " + stopAt);
                assertTrue(store.records().stream().allMatch(r -> r.annotator().equals("ann")));
            }
        }
    }

    @Test
    void aRestartedLoopReturnsTheOutstandingQueryAndAcceptsItsAnswers() {
        Path file = dir.resolve("human.db");
        Query first;
        int[] answeredBefore;
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).runId("h").build()) {
            Query q0 = loop.nextQuery();
            loop.submit(LoopFixture.oracle(NONE).label(q0.ids()));
            first = loop.nextQuery();
            assertEquals(1, first.round());
            assertEquals(first, loop.nextQuery(), "asking again before answering gives the same query");
            int[] ids = first.ids();
            answeredBefore = new int[] {ids[0], ids[2]};
            loop.submitPartial(LoopFixture.oracle(NONE).label(answeredBefore));
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).runId("h").build()) {
            Query again = loop.nextQuery();
            assertEquals(first, again);
            assertEquals(first.round(), again.round());
            assertArrayEquals(new int[] {first.ids()[1], first.ids()[3]}, loop.unansweredIds());
            // The person answers the whole batch after the restart, including the two already stored: accepted,
            // and the repeated answers are not stored twice.
            RoundResult r1 = loop.submit(LoopFixture.oracle(NONE).label(first.ids()));
            assertEquals(4, r1.answered());
            assertEquals(10, r1.labeledCount());
            assertEquals(10, store.records("h").size());
            while (loop.stopReason().isEmpty()) {
                Query q = loop.nextQuery();
                loop.submit(LoopFixture.oracle(NONE).label(q.ids()));
            }
            assertEquals(reference, LoopFixture.describe(loop.result()));
        }
    }

    @Test
    void aRelabelKeepsTheHistoryAndTheLatestLabelWins() {
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).build()) {
            Query q = loop.nextQuery();
            int id = q.ids()[0];
            int truth = LoopFixture.truth()[id];
            int wrong = (truth + 1) % LoopFixture.K;
            loop.submitPartial(Answers.of(new int[] {id}, new int[] {wrong}));
            loop.submitPartial(Answers.of(new int[] {id}, new int[] {wrong})); // same answer again: ignored
            loop.submit(LoopFixture.oracle(NONE).label(q.ids())); // corrected
            List<LabelRecord> history = store.records().stream().filter(r -> r.id() == id).toList();
            assertEquals(2, history.size());
            assertEquals(wrong, history.get(0).label());
            assertEquals(truth, history.get(1).label());
            assertEquals(truth, store.labels().get(id));
            assertEquals(truth, loop.pool().label(id).getAsInt());
            assertEquals(6, loop.acquired(), "a relabel does not spend budget");
        }
    }

    @Test
    void aResumeWithAnotherConfigurationIsRefused() {
        Path file = dir.resolve("config.db");
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).runId("r").build()) {
                loop.nextQuery();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LoopFixture.builder(NONE, SEED).batchSize(5).labelStore(store).runId("r").build());
            assertTrue(e.getMessage().contains("batchSize: stored 4, now 5"), e.getMessage());
            assertTrue(e.getMessage().contains("run 'r'"), e.getMessage());
            e = assertThrows(IllegalStateException.class,
                    () -> LoopFixture.builder(NONE, SEED + 1).labelStore(store).runId("r").build());
            assertTrue(e.getMessage().contains("seed: stored 7, now 8"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> LoopFixture.builder(NONE, SEED).labelStore(store)
                    .runId("r").strategy((pool, model, budget) -> Selection.of(new int[0], 0)).build());
            assertTrue(e.getMessage().contains("strategy: stored LeastConfidence(), now a lambda implementing "
                    + "dev.al4j.core.QueryStrategy"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> LoopFixture.builder(NONE, SEED).labelStore(store)
                    .runId("r").pool(Pool.of(PoolInputs.of(LoopFixture.points(new int[40], 1)), 3)).build());
            assertTrue(e.getMessage().contains("pool.size: stored 48, now 40"), e.getMessage());
            // the refused loops did not take the run: the right configuration still resumes it
            try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).runId("r").build()) {
                assertEquals(reference, LoopFixture.describe(loop.run()));
            }
        }
    }

    @Test
    void aFinishedRunResumesAsFinished() {
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).build()) {
            loop.run();
        }
        CrashAt counter = new CrashAt(0);
        try (ActiveLearningLoop loop = LoopFixture.builder(counter, SEED).labelStore(store).build()) {
            assertEquals(StopReason.BUDGET, loop.stopReason().orElseThrow());
            assertEquals(reference, LoopFixture.describe(loop.run()));
            assertEquals(0, counter.count, "nothing is fitted, queried or asked again");
            assertThrows(IllegalStateException.class, loop::nextQuery);
        }
    }

    @Test
    void aSecondLoopOnTheSameRunIsRefusedUntilTheFirstIsClosed() {
        for (LabelStore store : new LabelStore[] {LabelStore.inMemory(), LabelStore.sqlite(dir.resolve("two.db"))}) {
            ActiveLearningLoop first = LoopFixture.builder(NONE, SEED).labelStore(store).runId("x").build();
            first.nextQuery();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LoopFixture.builder(NONE, SEED).labelStore(store).runId("x").build());
            assertTrue(e.getMessage().contains("run 'x'") && e.getMessage().contains("already open"),
                    e.getMessage());
            // another run id on the same store is fine
            try (ActiveLearningLoop other = LoopFixture.builder(NONE, SEED).labelStore(store).runId("y").build()) {
                assertEquals(reference, LoopFixture.describe(other.run()));
            }
            first.close();
            assertThrows(IllegalStateException.class, first::nextQuery);
            try (ActiveLearningLoop second = LoopFixture.builder(NONE, SEED).labelStore(store).runId("x").build()) {
                assertEquals(reference, LoopFixture.describe(second.run()));
            }
            if (store instanceof SqliteLabelStore s) {
                s.close();
            }
        }
    }

    @Test
    void aStoreWithoutRunSupportStillGetsEveryLabel() {
        List<LabelRecord> written = new ArrayList<>();
        LabelStore plain = new LabelStore() {
            @Override
            public synchronized void append(List<LabelRecord> records) {
                written.addAll(records);
            }

            @Override
            public synchronized List<LabelRecord> records() {
                return List.copyOf(written);
            }
        };
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(plain).build()) {
            assertEquals(reference, LoopFixture.describe(loop.run()));
        }
        assertEachIdLabeledOnce(written, "plain store");
    }

    @Test
    void initialSizeZeroResumesToo() {
        int[] truth = LoopFixture.truth();
        Pool seeded = LoopFixture.pool().withLabels(new int[] {0, 1, 2, 3}, new int[] {truth[0], truth[1], truth[2],
            truth[3]});
        Supplier<LoopBuilder> builder = () -> LoopFixture.builder(NONE, SEED).pool(seeded)
                .initialSize(0).budget(12);
        String expected;
        try (ActiveLearningLoop loop = builder.get().build()) {
            expected = LoopFixture.describe(loop.run());
        }
        for (int at = 1; at <= 12; at++) {
            LabelStore store = LabelStore.inMemory();
            CrashAt crash = new CrashAt(at);
            try (ActiveLearningLoop loop = builder.get().learner(new LoopFixture.NearestMean(crash))
                    .strategy(new LoopFixture.LeastConfidence(crash)).oracle(LoopFixture.oracle(crash))
                    .listener(crash).labelStore(store).build()) {
                loop.run();
            } catch (SimulatedCrash expectedCrash) {
                // resumed below
            }
            try (ActiveLearningLoop loop = builder.get().labelStore(store).build()) {
                assertEquals(expected, LoopFixture.describe(loop.run()), "crash at event " + at);
            }
        }
    }

    @Test
    void aClosedLoopCannotBeDriven() {
        ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).build();
        Query q = loop.nextQuery();
        loop.close();
        loop.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop.submit(LoopFixture.oracle(NONE).label(q.ids())));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(loop.stopReason().isPresent());
    }

    @Test
    void builderChecksTheNewOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopFixture
                .builder(NONE, SEED).runId("").oracleRetries(-1, java.time.Duration.ofMillis(-5))
                .oracleTimeout(java.time.Duration.ZERO).build());
        assertTrue(e.getMessage().contains("runId must be 1 to 200 characters"), e.getMessage());
        assertTrue(e.getMessage().contains("oracleRetries must be >= 0, found -1"), e.getMessage());
        assertTrue(e.getMessage().contains("oracle backoff must be a duration >= 0, found PT-0.005S"),
                e.getMessage());
        assertTrue(e.getMessage().contains("oracleTimeout must be > 0, found PT0S"), e.getMessage());
    }

    @Test
    void theOutstandingQueryIsStoredWhenIssued() {
        LabelStore store = LabelStore.inMemory();
        ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store).runId("q").build();
        Query q = loop.nextQuery();
        loop.close();
        {
            // After the loop released it, the stored run shows the query as outstanding.
            IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                    () -> store.openRun("q", Map.of()));
            assertTrue(mismatch.getMessage().contains("configuration"), mismatch.getMessage());
            try (ActiveLearningLoop again = LoopFixture.builder(NONE, SEED).labelStore(store).runId("q").build()) {
                assertEquals(q, again.nextQuery());
                assertArrayEquals(referenceQueries.get(0).stream().mapToInt(Integer::intValue).toArray(), q.ids());
            }
        }
    }

    @Test
    void twoThreadsRunLoopsOnOneStoreAndAThirdOnATakenRunIsRefused() throws Exception {
        Path file = dir.resolve("threads.db");
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            String[] results = new String[2];
            java.util.concurrent.CountDownLatch built = new java.util.concurrent.CountDownLatch(2);
            java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 2; t++) {
                int index = t;
                Thread thread = new Thread(() -> {
                    try (ActiveLearningLoop loop = LoopFixture.builder(NONE, SEED).labelStore(store)
                            .runId("thread-" + index).build()) {
                        built.countDown();
                        checked.await();
                        results[index] = LoopFixture.describe(loop.run());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            built.await();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LoopFixture.builder(NONE, SEED).labelStore(store).runId("thread-1").build());
            assertTrue(e.getMessage().contains("already open in another loop of this JVM"), e.getMessage());
            checked.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(reference, results[0]);
            assertEquals(reference, results[1]);
            assertEachIdLabeledOnce(store.records("thread-0"), "thread 0");
            assertEachIdLabeledOnce(store.records("thread-1"), "thread 1");
        }
        assertEquals("ok", CrashResumeTest.integrityCheck(file));
    }
}
