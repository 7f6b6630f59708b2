package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The loop's behaviour, pinned: each scenario below (batch run, pseudo-labels, a faulty oracle with retries, a person
 * answering part of a query, a run closed and resumed) is described exactly (every round's counts and metric values,
 * the stop reason, the final labels, and every record and query the label store holds) and compared with the text
 * recorded in {@code loop-golden.txt} before the loop was split into its parts (issue 20). A change of behaviour,
 * however small, fails here.
 *
 * <p>To record the file again after an intended change of behaviour: run this test with
 * {@code -Dal4j.recordLoopGolden=path/to/al-core/src/test/resources/dev/al4j/core/loop-golden.txt}, and say why in the
 * commit.
 */
class LoopGoldenTest {

    private static final LoopFixture.Hooks NONE = new LoopFixture.Hooks() {};

    @Test
    void everyScenarioGivesTheRecordedRun() throws IOException {
        Map<String, Supplier<String>> scenarios = new LinkedHashMap<>();
        scenarios.put("batch", () -> batch(LoopFixture.builder(NONE, 5)));
        scenarios.put("batch-all-candidates", () -> batch(LoopFixture.builder(NONE, 9).candidateSubsetSize(0)));
        scenarios.put("pseudo-labels", () -> batch(LoopFixture.builder(NONE, 5)
                .pseudoLabels(new LoopFixture.ConfidentLabeler(NONE, 0.8))));
        scenarios.put("faulty-oracle", LoopGoldenTest::faultyOracle);
        scenarios.put("person", LoopGoldenTest::person);
        scenarios.put("closed-and-resumed", LoopGoldenTest::closedAndResumed);
        StringBuilder text = new StringBuilder();
        scenarios.forEach((name, run) -> text.append("== ").append(name).append('\n').append(run.get()).append('\n'));
        String recordTo = System.getProperty("al4j.recordLoopGolden");
        if (recordTo != null) {
            Files.writeString(Path.of(recordTo), text, StandardCharsets.UTF_8);
        }
        String golden;
        try (InputStream in = LoopGoldenTest.class.getResourceAsStream("loop-golden.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(golden, recordTo != null ? golden : text.toString());
    }

    private static String batch(LoopBuilder builder) {
        LabelStore store = LabelStore.inMemory();
        Events events = new Events();
        try (ActiveLearningLoop loop = builder.labelStore(store).listener(events).build()) {
            return LoopFixture.describe(loop.run()) + "\n" + storeText(store) + "\n" + events.text;
        }
    }

    /**
     * An oracle that, by call number: throws (call 2), skips the last asked id (call 3), answers the first id with a label
     * out of range and adds an id not asked (call 5), answers exactly otherwise; two retries, no backoff.
     */
    private static String faultyOracle() {
        Oracle exact = Oracles.simulated(LoopFixture.truth());
        AtomicInteger calls = new AtomicInteger();
        Oracle faulty = ids -> {
            int call = calls.incrementAndGet();
            if (call == 2) {
                throw new IllegalStateException("oracle down");
            }
            if (call == 3 && ids.length > 1) {
                return exact.label(Arrays.copyOf(ids, ids.length - 1));
            }
            Answers right = exact.label(ids);
            if (call == 5) {
                // the first asked id with a label out of range, then an id that was not asked
                int notAsked = java.util.stream.IntStream.range(0, LoopFixture.N)
                        .filter(id -> Arrays.stream(ids).noneMatch(a -> a == id)).findFirst().orElseThrow();
                int[] extraIds = Arrays.copyOf(right.ids(), right.ids().length + 1);
                int[] extraLabels = Arrays.copyOf(right.labels(), right.labels().length + 1);
                extraLabels[0] = LoopFixture.K;
                extraIds[extraIds.length - 1] = notAsked;
                extraLabels[extraLabels.length - 1] = 0;
                return Answers.of(extraIds, extraLabels);
            }
            return right;
        };
        LabelStore store = LabelStore.inMemory();
        Events events = new Events();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 3).oracle(faulty)
                .oracleRetries(2, Duration.ZERO).labelStore(store).listener(events).build()) {
            return LoopFixture.describe(loop.run()) + "\ncalls=" + calls.get() + "\n" + storeText(store) + "\n"
                    + events.text;
        }
    }

    /**
     * A person: each query answered in two parts (first half, then the rest but the last id, which is skipped), one
     * answer changed (a relabel) in round 2, one invalid submit refused.
     */
    private static String person() {
        LabelStore store = LabelStore.inMemory();
        int[] truth = LoopFixture.truth();
        StringBuilder log = new StringBuilder();
        Events events = new Events();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 4).labelStore(store).listener(events).build()) {
            while (loop.stopReason().isEmpty()) {
                Query q = loop.nextQuery();
                int[] ids = q.ids();
                int half = ids.length / 2;
                int[] first = Arrays.copyOfRange(ids, 0, half);
                loop.submitPartial(Answers.of(first, Arrays.stream(first).map(id -> truth[id]).toArray()));
                if (q.round() == 2) {
                    loop.submitPartial(Answers.of(new int[] {first[0]}, new int[] {(truth[first[0]] + 1) % 3}));
                }
                log.append("round ").append(q.round()).append(" unanswered=")
                        .append(LoopFixture.ids(loop.unansweredIds())).append('\n');
                assertThrows(IllegalArgumentException.class,
                        () -> loop.submit(Answers.of(new int[] {ids[0]}, new int[] {LoopFixture.K})));
                int[] rest = Arrays.copyOfRange(ids, half, Math.max(half, ids.length - 1));
                loop.submit(Answers.of(rest, Arrays.stream(rest).map(id -> truth[id]).toArray()));
            }
            return log + LoopFixture.describe(loop.result()) + "\n" + storeText(store) + "\n" + events.text;
        }
    }

    /** A run closed after two queries (the second outstanding, half answered) and resumed by a new loop. */
    private static String closedAndResumed() {
        LabelStore store = LabelStore.inMemory();
        int[] truth = LoopFixture.truth();
        Events events = new Events();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 6).labelStore(store).listener(events).build()) {
            Query q = loop.nextQuery();
            loop.submit(Answers.of(q.ids(), Arrays.stream(q.ids()).map(id -> truth[id]).toArray()));
            Query second = loop.nextQuery();
            int[] half = Arrays.copyOf(second.ids(), second.ids().length / 2);
            loop.submitPartial(Answers.of(half, Arrays.stream(half).map(id -> truth[id]).toArray()));
        }
        events.text.append(" |closed|");
        try (ActiveLearningLoop resumed = LoopFixture.builder(NONE, 6).labelStore(store).listener(events).build()) {
            String outstanding = "unanswered after resume=" + LoopFixture.ids(resumed.unansweredIds());
            return outstanding + "\n" + LoopFixture.describe(resumed.run()) + "\n" + storeText(store) + "\n"
                    + events.text;
        }
    }

    /** Every record (round, id, label, source, annotator) the store holds, in the order stored. */
    private static String storeText(LabelStore store) {
        StringBuilder out = new StringBuilder("records:");
        for (LabelRecord r : store.records()) {
            out.append(' ').append(r.round()).append('/').append(r.id()).append('=').append(r.label())
                    .append(r.source() == LabelRecord.Source.PSEUDO ? "p" : "")
                    .append(r.annotator().isEmpty() ? "" : "@" + r.annotator());
        }
        return out.toString();
    }

    /** Writes the loop's events as they come: queries (round and ids), fits, round ends, the stop. */
    private static final class Events implements LoopListener {
        final StringBuilder text = new StringBuilder("events:");

        @Override
        public void onRoundStart(int round, Pool pool) {
            text.append(" start").append(round).append('/').append(pool.candidates().length);
        }

        @Override
        public void onQueryDone(int round, Selection selection) {
            text.append(" query").append(round).append(LoopFixture.ids(selection.ids()));
        }

        @Override
        public void onLabelsReceived(int round, Answers answers) {
            text.append(" answers").append(round).append('x').append(answers.ids().length);
        }

        @Override
        public void onFitDone(int round, Model model, long fitNanos) {
            text.append(" fit").append(round);
        }

        @Override
        public void onRoundEnd(RoundResult result) {
            text.append(" end").append(result.round());
        }

        @Override
        public void onStop(LoopResult result) {
            text.append(" stop");
        }
    }
}
