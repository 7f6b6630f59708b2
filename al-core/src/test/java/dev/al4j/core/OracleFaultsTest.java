package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oracle faults in {@link ActiveLearningLoop#run()}: retries, backoff, timeouts, invalid and partial answers. */
class OracleFaultsTest {

    static final LoopFixture.Hooks NONE = new LoopFixture.Hooks() { };
    static final int[] TRUTH = LoopFixture.truth();
    static String reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterruptedRun() {
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).build()) {
            reference = LoopFixture.describe(loop.run());
        }
    }

    static Answers truthful(int[] ids) {
        return Answers.of(ids, Arrays.stream(ids).map(id -> TRUTH[id]).toArray());
    }

    @Test
    void everyKindOfFaultIsRetriedAndTheRunIsTheSameAsWithAPerfectOracle() {
        AtomicInteger calls = new AtomicInteger();
        Oracle moody = ids -> {
            switch (calls.incrementAndGet() % 5) {
                case 1:
                    throw new OracleException("service unavailable");
                case 2: {
                    // half the answers right, one label outside [0, K), one answer for an id not asked
                    int half = (ids.length + 1) / 2;
                    int notAsked = 0;
                    while (contains(ids, notAsked)) {
                        notAsked++;
                    }
                    int[] answered = new int[half + 2];
                    int[] labels = new int[half + 2];
                    for (int i = 0; i < half; i++) {
                        answered[i] = ids[i];
                        labels[i] = TRUTH[ids[i]];
                    }
                    answered[half] = notAsked;
                    labels[half] = TRUTH[notAsked];
                    if (half < ids.length) {
                        answered[half + 1] = ids[half];
                        labels[half + 1] = LoopFixture.K;
                        return Answers.of(answered, labels);
                    }
                    return Answers.of(Arrays.copyOf(answered, half + 1), Arrays.copyOf(labels, half + 1));
                }
                case 3:
                    try {
                        Thread.sleep(60_000); // longer than the timeout: the loop interrupts this call
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return truthful(ids);
                case 4:
                    return truthful(new int[] {ids[0]}); // partial
                default:
                    return truthful(ids);
            }
        };
        try (SqliteLabelStore store = LabelStore.sqlite(dir.resolve("moody.db"));
                ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(moody)
                        .oracleRetries(10, Duration.ofMillis(1)).oracleTimeout(Duration.ofMillis(100))
                        .labelStore(store).build()) {
            assertEquals(reference, LoopFixture.describe(loop.run()));
            LoopResumeTest.assertEachIdLabeledOnce(store.records(), "moody oracle");
            assertTrue(calls.get() > 14, "every kind of fault happened: " + calls.get() + " calls");
        }
    }

    private static boolean contains(int[] ids, int id) {
        return Arrays.stream(ids).anyMatch(i -> i == id);
    }

    @Test
    void aFaultAfterTheLastRetryIsAClearErrorAndTheLabelsReceivedStayStored() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean healed = new AtomicBoolean();
        Oracle failing = ids -> {
            if (healed.get()) {
                return truthful(ids);
            }
            if (calls.incrementAndGet() == 1) {
                return truthful(new int[] {ids[0]}); // one answer, then the service goes down
            }
            throw new OracleException("connection refused");
        };
        try (SqliteLabelStore store = LabelStore.sqlite(dir.resolve("failing.db"));
                ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(failing)
                        .oracleRetries(2, Duration.ofMillis(1)).labelStore(store).build()) {
            OracleException e = assertThrows(OracleException.class, loop::run);
            assertEquals(3, calls.get(), "one call and two retries");
            assertTrue(e.getMessage().contains("failed in round 0 after 3 attempt(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("OracleException: connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("the 1 labels received for this query are stored, 5 ids are still "
                    + "unanswered"), e.getMessage());
            assertInstanceOf(OracleException.class, e.getCause());
            assertEquals(1, store.records().size());
            assertEquals(5, loop.unansweredIds().length);
            assertEquals(1, loop.acquired());
            healed.set(true);
            assertEquals(reference, LoopFixture.describe(loop.run()), "run() again goes on");
        }
    }

    @Test
    void afterTheOracleGaveUpAPersonsAnswersAfterARestartAreAccepted() {
        Path file = dir.resolve("down.db");
        Oracle down = ids -> {
            throw new OracleException("down");
        };
        int[] asked;
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(down).labelStore(store).build()) {
            assertThrows(OracleException.class, loop::run);
            asked = loop.unansweredIds();
            assertEquals(6, asked.length);
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).labelStore(store).build()) {
            Query q = loop.nextQuery();
            assertArrayEquals(asked, q.ids());
            loop.submit(truthful(q.ids()).withAnnotator("alice"));
            assertEquals(6, store.records().size());
            assertTrue(store.records().stream().allMatch(r -> r.annotator().equals("alice")));
            assertEquals(reference, LoopFixture.describe(loop.run()));
        }
    }

    @Test
    void labelsOutsideTheClassesAreAFaultNamedInTheError() {
        AtomicInteger calls = new AtomicInteger();
        Oracle confused = ids -> {
            calls.incrementAndGet();
            return Answers.of(ids, Arrays.stream(ids).map(id -> 7).toArray());
        };
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(confused)
                .oracleRetries(1, Duration.ZERO).labelStore(store).build()) {
            OracleException e = assertThrows(OracleException.class, loop::run);
            assertEquals(2, calls.get());
            assertTrue(e.getMessage().contains("invalid answers dropped (6)"), e.getMessage());
            assertTrue(e.getMessage().contains("label 7 of id"), e.getMessage());
            assertTrue(e.getMessage().contains("is outside [0, 3)"), e.getMessage());
            assertTrue(store.records().isEmpty(), "no invalid label is stored");
        }
    }

    @Test
    void aTimeoutInterruptsTheCallAndIsAFault() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(2);
        Oracle stuck = ids -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return truthful(ids);
        };
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(stuck)
                .oracleRetries(1, Duration.ofMillis(1)).oracleTimeout(Duration.ofMillis(50)).build()) {
            OracleException e = assertThrows(OracleException.class, loop::run);
            assertTrue(e.getMessage().contains("did not answer 6 ids within 50 ms"), e.getMessage());
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "both timed-out calls were interrupted");
            assertEquals(0, loop.acquired(), "a late answer is dropped");
        }
    }

    @Test
    void withoutRetriesSkippedIdsStayUnlabeledAndNoErrorIsRaised() {
        Oracle halfHearted = ids -> truthful(Arrays.copyOf(ids, (ids.length + 1) / 2));
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(halfHearted).build()) {
            LoopResult result = loop.run();
            assertEquals(StopReason.BUDGET, result.stopReason());
            assertEquals(6, result.rounds().get(0).queried());
            assertEquals(3, result.rounds().get(0).answered());
            assertEquals(2, result.rounds().get(1).answered());
        }
    }

    @Test
    void withRetriesSkippedIdsAreAskedAgain() {
        AtomicInteger calls = new AtomicInteger();
        Oracle oneAtATime = ids -> {
            calls.incrementAndGet();
            return truthful(new int[] {ids[0]});
        };
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(oneAtATime)
                .oracleRetries(5, Duration.ZERO).build()) {
            assertEquals(reference, LoopFixture.describe(loop.run()));
            assertEquals(30, calls.get(), "one call per label");
        }
    }

    @Test
    void withoutRetriesAnOracleExceptionKeepsItsCauseAndTheQueryStaysOutstanding() {
        RuntimeException boom = new IllegalStateException("boom");
        AtomicBoolean fail = new AtomicBoolean(true);
        Oracle once = ids -> {
            if (fail.getAndSet(false)) {
                throw boom;
            }
            return truthful(ids);
        };
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(once).build()) {
            OracleException e = assertThrows(OracleException.class, loop::run);
            assertEquals(boom, e.getCause());
            assertTrue(e.getMessage().contains("after 1 attempt(s)"), e.getMessage());
            assertEquals(6, loop.unansweredIds().length);
            assertEquals(reference, LoopFixture.describe(loop.run()));
        }
    }

    @Test
    void aFailingStoreOrListenerIsNotMistakenForAnOracleFault() {
        AtomicInteger calls = new AtomicInteger();
        Oracle fine = ids -> {
            calls.incrementAndGet();
            return truthful(ids);
        };
        IllegalStateException listenerBug = new IllegalStateException("listener bug");
        LoopListener failing = new LoopListener() {
            @Override
            public void onLabelsReceived(int round, Answers answers) {
                throw listenerBug;
            }
        };
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 7).oracle(fine).listener(failing)
                .oracleRetries(5, Duration.ZERO).labelStore(store).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
            assertEquals(listenerBug, e, "propagated as is, not wrapped in an OracleException");
            assertEquals(1, calls.get(), "and not retried");
            assertEquals(6, store.records().size(), "the answers were stored before the listener ran");
        }
    }
}
