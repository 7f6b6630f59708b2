package dev.al4j.metrics;

import static dev.al4j.metrics.PerSampleMetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentSummaryTest {

    static RoundRow row(String strategy, int trial, int round, double accuracy, double queryMs) {
        return new RoundRow(strategy, trial, round, 10 * (round + 1), accuracy, 0.1, 0.3, 0.8, 0.05, queryMs, 10.0);
    }

    /**
     * random, 2 trials: accuracies 0.5, 0.6, 0.7 at 10, 20, 30 labels; query 50 ms in round 0 (ignored), 0.2 ms after.
     * entropy, 2 trials: 0.5, 0.7, 0.8 and 0.5, 0.6, 0.9; query 50 ms in round 0, 4 ms after.
     */
    static List<RoundRow> rows() {
        List<RoundRow> rows = new ArrayList<>();
        double[][] random = {{0.5, 0.6, 0.7}, {0.5, 0.6, 0.7}};
        double[][] entropy = {{0.5, 0.7, 0.8}, {0.5, 0.6, 0.9}};
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 3; r++) {
                rows.add(row("random", t, r, random[t][r], r == 0 ? 50 : 0.2));
            }
        }
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 3; r++) {
                rows.add(row("Strategies.entropy()", t, r, entropy[t][r], r == 0 ? 50 : 4));
            }
        }
        return rows;
    }

    @Test
    void summaryMatchesHandComputation() {
        ExperimentSummary s = ExperimentSummary.of(rows());
        assertEquals(Optional.of("Strategies.entropy()"), s.reference());
        ExperimentSummary.StrategySummary random = s.strategies().get(0);
        ExperimentSummary.StrategySummary entropy = s.strategies().get(1);
        assertEquals("random", random.strategy());
        assertEquals(2, random.trials());
        // random: both trials 10 · (0.5 + 0.6) / 2 + 10 · (0.6 + 0.7) / 2 = 12 over 20 labels = 0.6.
        assertEquals(0.6, random.aubc().orElseThrow().mean(), 1e-12);
        assertEquals(0.0, random.aubc().orElseThrow().std(), 1e-12);
        assertEquals(0.7, random.finalAccuracy().orElseThrow().mean(), 1e-12);
        // entropy: trial 0: (6 + 7.5) / 20 = 0.675; trial 1: (5.5 + 7.5) / 20 = 0.65.
        // mean 0.6625, std = |0.675 − 0.65| / sqrt(2) = 0.0176777.
        assertEquals(0.6625, entropy.aubc().orElseThrow().mean(), 1e-12);
        assertEquals(0.0176777, entropy.aubc().orElseThrow().std(), 1e-7);
        // F-acc 0.8 and 0.9: 0.85 ± 0.1 / sqrt(2) = 0.0707107.
        assertEquals(0.85, entropy.finalAccuracy().orElseThrow().mean(), 1e-12);
        assertEquals(0.0707107, entropy.finalAccuracy().orElseThrow().std(), 1e-7);
        // Query time: round 0 excluded, so 0.2 ms and 4 ms; relative 0.2 / 4 = 0.05.
        assertEquals(0.2, random.meanQueryMs(), 1e-12);
        assertEquals(4.0, entropy.meanQueryMs(), 1e-12);
        assertEquals(0.05, random.relativeQueryTime().getAsDouble(), 1e-12);
        assertEquals(1.0, entropy.relativeQueryTime().getAsDouble(), 1e-12);
        assertEquals(10.0, entropy.meanFitMs(), 1e-12);
    }

    @Test
    void winTieLossComparesTheStrategiesTrialByTrial() {
        // AUBCs (hand computation above): random 0.6 and 0.6; entropy 0.675 and 0.65. A third strategy "flat" with
        // accuracies 0.5, 0.6, 0.703 in trial 0 (AUBC 0.60075, within 0.5 points of random's 0.6: a tie) and
        // 0.5, 0.5, 0.5 in trial 1 (0.5: loses to both). A fourth, "late", ran trial 0 only: trial 1 is not
        // shared by every strategy and is left out, so with it only trial 0 counts.
        List<RoundRow> rows = new ArrayList<>(rows());
        double[][] flat = {{0.5, 0.6, 0.703}, {0.5, 0.5, 0.5}};
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 3; r++) {
                rows.add(row("flat", t, r, flat[t][r], 1));
            }
        }
        List<WinTieLoss.Standing> w = ExperimentSummary.of(rows).winTieLoss();
        // Trial 0: entropy beats random and flat; random ties flat. Trial 1: entropy beats both; random beats flat.
        // entropy 4-0-0 (score 8), random 1-1-2 (3), flat 0-1-3 (1).
        assertEquals(List.of(new WinTieLoss.Standing("Strategies.entropy()", 4, 0, 0, 8, 1),
                new WinTieLoss.Standing("random", 1, 1, 2, 3, 2), new WinTieLoss.Standing("flat", 0, 1, 3, 1, 3)), w);
        String md = ExperimentSummary.of(rows).toMarkdown();
        assertTrue(md.contains("| 1 | Strategies.entropy() | 4 | 0 | 0 |"), md);

        for (int r = 0; r < 3; r++) {
            rows.add(row("late", 0, r, 0.1, 1));
        }
        List<WinTieLoss.Standing> onlyTrial0 = ExperimentSummary.of(rows).winTieLoss();
        assertEquals(2 + 1, onlyTrial0.stream().filter(s -> s.strategy().equals("Strategies.entropy()")).findFirst()
                .orElseThrow().wins());
        assertTrue(ExperimentSummary.of(rows.subList(0, 6)).winTieLoss().isEmpty(), "one strategy: no table");
    }

    @Test
    void markdownTableReadsLikeTheSurveysTable() {
        String md = ExperimentSummary.of(rows()).toMarkdown();
        assertTrue(md.startsWith("| Strategy | Trials | AUBC | F-acc | Query time / round | Query time vs "
                + "Strategies.entropy() | Fit time / round |\n|---|---:|---:|---:|---:|---:|---:|\n"), md);
        assertTrue(md.contains("| random | 2 | 0.6000 ± 0.0000 | 0.7000 ± 0.0000 | 0.200 ms | 0.05× | 10.0 ms |\n"),
                md);
        assertTrue(md.contains("| Strategies.entropy() | 2 | 0.6625 ± 0.0177 | 0.8500 ± 0.0707 | 4.0 ms | 1.00× "
                + "| 10.0 ms |\n"), md);
        assertTrue(md.contains("relative query time = query time / that of Strategies.entropy()"), md);
        assertEquals(md, ExperimentSummary.of(rows()).toString());
    }

    @Test
    void calibrationAndAccuracyByLabelsTables() {
        // Two trials of "a": ECE 0.1, 0.2, 0.3 (trial 0) and 0.3, 0.2, 0.1 (trial 1) over rounds 0..2, other measures
        // constant. Last: 0.3 and 0.1, 0.2 ± 0.1414; mean over rounds: 0.2 and 0.2, 0.2 ± 0. One trial of "b".
        List<RoundRow> rows = new ArrayList<>();
        double[][] ece = {{0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}};
        double[][] acc = {{0.5, 0.6, 0.7}, {0.7, 0.6, 0.9}};
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 3; r++) {
                rows.add(new RoundRow("a", t, r, 10 * (r + 1), acc[t][r], ece[t][r], 0.3, 0.8, 0.05, 1, 1));
            }
        }
        rows.add(new RoundRow("b", 0, 0, 10, 0.4, 0.5, 0.6, 0.7, 0.01, 1, 1));
        rows.add(new RoundRow("b", 0, 1, 20, 0.45, 0.3, 0.2, 0.1, 0.03, 1, 1));
        String md = ExperimentSummary.of(rows).toMarkdown();
        assertTrue(md.contains("| Strategy | ECE (last) | ECE (mean) | Brier (last) | Brier (mean) | NLL (last) | NLL "
                + "(mean) | Sampling bias (last) | Sampling bias (mean) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| a | 0.2000 ± 0.1414 | 0.2000 ± 0.0000 | 0.3000 ± 0.0000 | 0.3000 ± 0.0000 | 0.8000 ± 0.0000 | "
                + "0.8000 ± 0.0000 | 0.0500 ± 0.0000 | 0.0500 ± 0.0000 |\n"
                // b, one trial: last 0.3, mean (0.5 + 0.3) / 2 = 0.4; Brier 0.2, 0.4; NLL 0.1, 0.4; bias 0.03, 0.02.
                + "| b | 0.3000 ± 0.0000 | 0.4000 ± 0.0000 | 0.2000 ± 0.0000 | 0.4000 ± 0.0000 | 0.1000 ± 0.0000 | "
                + "0.4000 ± 0.0000 | 0.0300 ± 0.0000 | 0.0200 ± 0.0000 |\n"), md);
        // Accuracy by labels: a's mean curve 0.6, 0.6, 0.8 at 10, 20, 30; b's 0.4, 0.45 at 10, 20, none at 30.
        assertTrue(md.endsWith("| Labels | a | b |\n|---:|---:|---:|\n| 10 | 0.6000 | 0.4000 |\n"
                + "| 20 | 0.6000 | 0.4500 |\n| 30 | 0.8000 | – |\n"), md);
    }

    @Test
    void anotherReferenceAndAbsentMeasures() {
        List<RoundRow> rows = new ArrayList<>(rows());
        // badge: one trial without any accuracy evaluated.
        rows.add(new RoundRow("badge", 0, 0, 10, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.1, 9, 10));
        rows.add(new RoundRow("badge", 0, 1, 20, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.1, 9, 10));
        ExperimentSummary s = ExperimentSummary.of(rows).withReference("random");
        ExperimentSummary.StrategySummary badge = s.strategies().get(2);
        assertFalse(badge.aubc().isPresent());
        assertEquals(45.0, badge.relativeQueryTime().getAsDouble(), 1e-9); // 9 / 0.2
        String md = s.toMarkdown();
        assertTrue(md.contains("| badge | 1 | – | – | 9.0 ms | 45.00× | 10.0 ms |"), md);
        assertTrue(md.contains("| Strategies.entropy() | 2 | 0.6625 ± 0.0177 | 0.8500 ± 0.0707 | 4.0 ms | 20.00× |"),
                md);
        assertMessage(() -> ExperimentSummary.of(rows).withReference("bald"),
                "reference strategy 'bald' is not in the rows; present: [random, Strategies.entropy(), badge]");
    }

    @Test
    void noReferenceMeansNoRelativeTime() {
        List<RoundRow> rows = rows().stream().filter(r -> r.strategy().equals("random")).toList();
        ExperimentSummary s = ExperimentSummary.of(rows);
        assertEquals(Optional.empty(), s.reference());
        assertTrue(s.toMarkdown().contains("| random | 2 | 0.6000 ± 0.0000 | 0.7000 ± 0.0000 | 0.200 ms | – |"));
        assertTrue(s.toMarkdown().contains("no reference strategy"));
    }

    @Test
    void writesMarkdown(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/summary.md");
        ExperimentSummary s = ExperimentSummary.of(rows());
        s.writeMarkdown(file);
        assertEquals(s.toMarkdown(), Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file may remain");
        }
    }

    @Test
    void emptyOrInconsistentRowsAreRejected() {
        assertMessage(() -> ExperimentSummary.of(List.of()), "rows must not be empty, found none");
        List<RoundRow> shrinking = List.of(new RoundRow("x", 0, 0, 20, 0.5, 0, 0, 0, 0, 0, 0),
                new RoundRow("x", 0, 1, 10, 0.6, 0, 0, 0, 0, 0, 0));
        assertMessage(() -> ExperimentSummary.of(shrinking),
                "strategy 'x', trial 0: labeledCounts must be >= 0 and non-decreasing");
    }
}
