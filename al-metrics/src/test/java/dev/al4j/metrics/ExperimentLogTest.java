package dev.al4j.metrics;

import static dev.al4j.metrics.PerSampleMetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.Learner;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Model;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RoundResult;
import dev.al4j.core.Selection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ExperimentLogTest {

    @TempDir
    Path dir;

    /** A simulated round: 20 + 10r labels split (10 + 10r, 10), accuracy 0.5 + 0.1r, 2.5 ms query, 40 ms fit. */
    static RoundResult round(int r) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.5 + 0.1 * r);
        metrics.put("ece", 0.1);
        metrics.put("brier", 0.4);
        metrics.put("nll", 0.9);
        return new RoundResult(r, 20 + 10 * r, 10, 10, new int[] {10 + 10 * r, 10}, metrics, 2_500_000L, 40_000_000L);
    }

    static RoundRow expectedRow(String strategy, int trial, int r) {
        return new RoundRow(strategy, trial, r, 20 + 10 * r, 0.5 + 0.1 * r, 0.1, 0.4, 0.9,
                Metrics.samplingBias(new int[] {10 + 10 * r, 10}), 2.5, 40.0);
    }

    @Test
    void eachRoundIsOnDiskAsSoonAsItEnds() throws IOException {
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            RoundReporter reporter = log.reporter("Strategies.entropy()", 1);
            assertEquals(List.of(), ExperimentLog.readCsv(dir.resolve("rounds.csv")));
            List<RoundRow> expected = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                reporter.onRoundEnd(round(r));
                expected.add(expectedRow("Strategies.entropy()", 1, r));
                // Read by a separate reader while the log is still open.
                assertEquals(expected, ExperimentLog.readCsv(log.csvFile()), "CSV after round " + r);
                assertEquals(expected, ExperimentLog.readJsonLines(log.jsonLinesFile()), "JSON after round " + r);
            }
            assertEquals(expected, log.rows());
        }
    }

    @Test
    void loopsInParallelThreadsShareOneLogWithoutInterleavedLines() throws Exception {
        int threads = 4;
        int rounds = 50;
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RoundReporter reporter = log.reporter("strategy-" + t, t);
                workers.add(new Thread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        reporter.onRoundEnd(round(r));
                    }
                }));
            }
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
        }
        for (List<RoundRow> rows : List.of(ExperimentLog.readCsv(dir.resolve("rounds.csv")),
                ExperimentLog.readJsonLines(dir.resolve("rounds.jsonl")))) {
            assertEquals(threads * rounds, rows.size());
            for (int t = 0; t < threads; t++) {
                int trial = t;
                List<RoundRow> mine = rows.stream().filter(r -> r.trial() == trial).toList();
                assertEquals(rounds, mine.size());
                for (int r = 0; r < rounds; r++) {
                    assertEquals(expectedRow("strategy-" + t, t, r), mine.get(r));
                }
            }
        }
    }

    @Test
    void theFilesHaveTheDocumentedLayout() throws IOException {
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            log.reporter("entropy", 0).onRoundEnd(round(1));
        }
        List<String> csv = Files.readAllLines(dir.resolve("rounds.csv"));
        assertEquals("strategy,trial,round,labeled,accuracy,ece,brier,nll,sampling_bias,query_ms,fit_ms,"
                + "ood_auroc,ood_data_auroc,shift_accuracy,shift_ece", csv.get(0));
        // Counts (20, 10): bias = 1 − H(2/3, 1/3) / ln 2 = 1 − 0.9182958 = 0.0817042.
        assertTrue(csv.get(1).startsWith("entropy,0,1,30,0.6,0.1,0.4,0.9,0.0817041"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",2.5,40.0,,,,"), "robustness not measured: empty fields " + csv.get(1));
        String json = Files.readAllLines(dir.resolve("rounds.jsonl")).get(0);
        assertTrue(json.startsWith("{\"strategy\":\"entropy\",\"trial\":0,\"round\":1,\"labeled\":30,\"accuracy\":0.6,"),
                json);
        assertTrue(json.endsWith("\"query_ms\":2.5,\"fit_ms\":40.0,\"ood_auroc\":null,\"ood_data_auroc\":null,"
                + "\"shift_accuracy\":null,\"shift_ece\":null}"), json);
    }

    @Test
    void aKilledWriterLeavesReadableRows() throws Exception {
        // A child JVM appends three rounds and halts without closing the log (no finally, no shutdown hooks).
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KilledExperimentLogWriter.class.getName(), dir.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), "child JVM did not halt as planned: " + output);
        List<RoundRow> expected = List.of(expectedRow("Strategies.entropy()", 4, 0),
                expectedRow("Strategies.entropy()", 4, 1), expectedRow("Strategies.entropy()", 4, 2));
        assertEquals(expected, ExperimentLog.readCsv(dir.resolve("rounds.csv")));
        assertEquals(expected, ExperimentLog.readJsonLines(dir.resolve("rounds.jsonl")));
    }

    @Test
    void anOpenLogThatIsNeverClosedStillLeavesReadableRows() throws IOException {
        // The in-process version: a reporter is abandoned mid-experiment (no close) and the files are read as is.
        ExperimentLog abandoned = ExperimentLog.create(dir);
        RoundReporter reporter = abandoned.reporter("random", 0);
        reporter.onRoundEnd(round(0));
        reporter.onRoundEnd(round(1));
        assertEquals(List.of(expectedRow("random", 0, 0), expectedRow("random", 0, 1)),
                ExperimentLog.readCsv(dir.resolve("rounds.csv")));
        assertEquals(2, ExperimentLog.readJsonLines(dir.resolve("rounds.jsonl")).size());
    }

    @Test
    void aLineCutOffMidWriteIsSkipped() throws IOException {
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            log.reporter("random", 0).onRoundEnd(round(0));
        }
        Files.writeString(dir.resolve("rounds.csv"), "random,0,1,30,0.6", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("rounds.jsonl"), "{\"strategy\":\"random\",\"tri", StandardOpenOption.APPEND);
        assertEquals(List.of(expectedRow("random", 0, 0)), ExperimentLog.readCsv(dir.resolve("rounds.csv")));
        assertEquals(List.of(expectedRow("random", 0, 0)), ExperimentLog.readJsonLines(dir.resolve("rounds.jsonl")));
    }

    @Test
    void awkwardStrategyNamesAndMissingMetricsRoundTrip() throws IOException {
        String name = "Strategies.weightedSum(\"a, b\", 0.5)\t\\x";
        RoundResult noMetrics = new RoundResult(0, 0, 0, 0, new int[] {0, 0}, Map.of("accuracy", 0.25), 0, 1_000);
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            log.reporter(name, 2).onRoundEnd(noMetrics);
        }
        // No labels yet: sampling bias is undefined; ECE, Brier and NLL were not evaluated.
        RoundRow expected = new RoundRow(name, 2, 0, 0, 0.25, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.0,
                0.001);
        assertEquals(List.of(expected), ExperimentLog.readCsv(dir.resolve("rounds.csv")));
        assertEquals(List.of(expected), ExperimentLog.readJsonLines(dir.resolve("rounds.jsonl")));
        String json = Files.readString(dir.resolve("rounds.jsonl"));
        assertTrue(json.contains("\"ece\":null,\"brier\":null,\"nll\":null,\"sampling_bias\":null"), json);
    }

    @Test
    void misuseIsRejected() throws IOException {
        ExperimentLog log = ExperimentLog.create(dir);
        assertMessage(() -> log.reporter(" ", 0), "strategy must be a non-blank name without line breaks, found ' '");
        assertMessage(() -> log.reporter("a\nb", 0), "strategy must be a non-blank name without line breaks");
        assertMessage(() -> log.reporter("entropy", -1), "trial must be >= 0, found -1");
        RoundReporter reporter = log.reporter("entropy", 0);
        log.close();
        log.close(); // twice is fine
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> reporter.onRoundEnd(round(0)));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertMessage(() -> {
            try {
                return ExperimentLog.create(dir.resolve("same"), dir.resolve("same"));
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        }, "csvFile and jsonLinesFile must differ");
    }

    @Test
    void malformedFilesGiveClearErrors() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "strategy,round\nx,1\n");
        assertMessage(() -> read(csv, true), "must start with the header 'strategy,trial,round,");
        Files.writeString(csv, String.join(",", ExperimentLog.COLUMNS) + "\nentropy,0,1\n");
        assertMessage(() -> read(csv, true), "line 2 must have 15 fields, found 3");
        Files.writeString(csv, String.join(",", ExperimentLog.LEGACY_COLUMNS) + "\nentropy,0,1\n");
        assertMessage(() -> read(csv, true), "line 2 must have 11 fields, found 3");
        Path json = dir.resolve("bad.jsonl");
        Files.writeString(json, "{\"strategy\":\"x\"}\n");
        assertMessage(() -> read(json, false), "line 1 has no field 'trial'");
    }

    @Test
    void theReporterWritesTheLoopsMetricsByName() throws IOException {
        // A real loop over a 30-sample pool with a fixed model: every column must be filled from the loop's names.
        int n = 30;
        int[] truth = new int[n];
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3;
            p[i] = new double[] {0.2, 0.2, 0.2};
            p[i][(i % 5 == 0) ? (truth[i] + 1) % 3 : truth[i]] = 0.6; // every fifth sample is predicted wrong
        }
        PrecomputedModel model = PrecomputedModel.of(Nd4j.create(p));
        Learner<Model> learner = (data, progress) -> model;
        QueryStrategy lowestIds = (pool, m, budget) -> Selection.of(
                Arrays.copyOf(pool.candidates(), Math.min(budget, pool.candidates().length)), 1_000_000L);
        LoopResult result;
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            result = ActiveLearningLoop.builder().pool(Pool.withoutInputs(n, 3)).learner(learner).strategy(lowestIds)
                    .oracle(Oracles.simulated(truth)).initialSize(6).batchSize(6).budget(18).seed(1)
                    .evaluation(Pool.withoutInputs(n, 3), truth, Metrics.accuracy(),
                            Metrics.expectedCalibrationError(), Metrics.brier(), Metrics.negativeLogLikelihood())
                    .listener(log.reporter("lowest-ids", 0)).build().run();
        }
        List<RoundRow> rows = ExperimentLog.readCsv(dir.resolve("rounds.csv"));
        assertEquals(result.rounds().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            RoundRow row = rows.get(i);
            RoundResult r = result.rounds().get(i);
            assertEquals(r.labeledCount(), row.labeled());
            // 24 of 30 right: accuracy 0.8, whatever the labels.
            assertEquals(0.8, row.accuracy(), 1e-12);
            assertEquals(r.metric("ece"), row.ece(), 0);
            assertEquals(r.metric("brier"), row.brier(), 0);
            assertEquals(r.metric("nll"), row.nll(), 0);
            assertEquals(Metrics.samplingBias(r.labeledClassCounts()), row.samplingBias(), 0);
            assertFalse(Double.isNaN(row.queryMs()) || Double.isNaN(row.fitMs()));
        }
        assertEquals(1.0, rows.get(rows.size() - 1).queryMs(), 1e-9);
    }

    private static List<RoundRow> read(Path file, boolean csv) {
        try {
            return csv ? ExperimentLog.readCsv(file) : ExperimentLog.readJsonLines(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
