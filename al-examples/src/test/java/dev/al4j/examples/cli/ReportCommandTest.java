package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.LabelRecord;
import dev.al4j.core.LabelStore;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code al4j report} in-process on hand-written run directories. */
class ReportCommandTest {

    @TempDir
    Path dir;

    /** A run directory as {@code al4j run --out} leaves it: rounds.csv, rounds.jsonl and command.txt. */
    private Path run(String name, String command, RoundRow... rows) throws IOException {
        Path run = dir.resolve(name);
        try (ExperimentLog log = ExperimentLog.create(run)) {
            for (RoundRow row : rows) {
                log.append(row);
            }
        }
        Files.writeString(run.resolve("command.txt"), command + "\n", StandardCharsets.UTF_8);
        return run;
    }

    /** Three rounds of 100, 200 and 300 labels with the given accuracies; query 2 ms, fit 10 ms. */
    private static RoundRow[] trial(String strategy, int trial, double... accuracy) {
        RoundRow[] rows = new RoundRow[accuracy.length];
        for (int r = 0; r < accuracy.length; r++) {
            rows[r] = new RoundRow(strategy, trial, r, 100 * (r + 1), accuracy[r], 0.1, 0.2, 0.3, 0.0, 2.0, 10.0);
        }
        return rows;
    }

    private static RoundRow[] concat(RoundRow[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(RoundRow[]::new);
    }

    @Test
    void mergesStrategiesAndRenumbersTrialsInInputOrder() throws IOException {
        Path a = run("a", "al4j run --strategies random --seed 1 --trials 1 --out a", trial("random", 0, 0.5, 0.6, 0.7));
        Path b = run("b", "al4j run --strategies random,entropy --seed 2 --trials 1 --out b",
                concat(trial("random", 0, 0.5, 0.7, 0.8), trial("entropy", 0, 0.5, 0.8, 0.9)));
        Path out = dir.resolve("merged");
        CommandRun result = CommandRun.of("report", "--out", out.toString(), a.toString(), b.toString());
        assertEquals(0, result.exitCode(), result::err);

        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve("rounds.csv"));
        assertEquals(9, rows.size());
        // random: a's trial 0 stays 0, b's trial 0 becomes 1; entropy's only trial is 0.
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 0, 0, 0), rows.stream().map(RoundRow::trial).toList());
        assertEquals(0.8, rows.get(5).accuracy());
        assertEquals(rows, ExperimentLog.readJsonLines(out.resolve("rounds.jsonl")));

        String summary = Files.readString(out.resolve("summary.md"));
        // random: AUBC of (0.5, 0.6, 0.7) and (0.5, 0.7, 0.8) over 100..300 labels, trapezoids / 200:
        // (0.55 + 0.65) / 2 = 0.6 and (0.6 + 0.75) / 2 = 0.675; mean 0.6375.
        assertTrue(summary.contains("| random | 2 | 0.6375"), summary);
        // entropy: (0.65 + 0.85) / 2 = 0.75, one trial.
        assertTrue(summary.contains("| entropy | 1 | 0.7500"), summary);
        assertTrue(result.out().contains("| random | 2 |"), result::out);
        for (String chart : new String[] {"accuracy-vs-labels.png", "accuracy-vs-labels.svg", "query-time.svg"}) {
            assertTrue(Files.isRegularFile(out.resolve(chart)), chart);
        }
        String command = Files.readString(out.resolve("command.txt"));
        assertTrue(command.startsWith("al4j report --out " + out + " " + a + " " + b + "\n"), command);
        assertTrue(command.contains("# " + a + ": al4j run --strategies random --seed 1"), command);
        assertTrue(command.contains("# " + b + ": al4j run --strategies random,entropy --seed 2"), command);
    }

    /**
     * A run directory written before the robustness columns (11 columns, as the long studies running today write) is
     * merged with one that measured robustness; the measures survive the merge and are empty where not measured.
     */
    @Test
    void mergesFilesOfTheEarlierFormatWithRobustnessRows() throws IOException {
        Path old = Files.createDirectories(dir.resolve("old"));
        Files.writeString(old.resolve("rounds.csv"), "strategy,trial,round,labeled,accuracy,ece,brier,nll,"
                + "sampling_bias,query_ms,fit_ms\n"
                + "random,0,0,100,0.5,0.1,0.2,0.3,0.0,2.0,10.0\n"
                + "random,0,1,200,0.6,0.1,0.2,0.3,0.0,2.0,10.0\n", StandardCharsets.UTF_8);
        Files.writeString(old.resolve("command.txt"), "al4j run --strategies random --out old\n");
        Path robust = run("new", "al4j run --strategies random --seed 2 --ood-classes 9 --out new",
                new RoundRow("random", 0, 0, 100, 0.5, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0, 0.70, Double.NaN, 0.40, 0.25),
                new RoundRow("random", 0, 1, 200, 0.7, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0, 0.80, Double.NaN, 0.50, 0.15));
        Path out = dir.resolve("merged");
        CommandRun result = CommandRun.of("report", "--out", out.toString(), old.toString(), robust.toString());
        assertEquals(0, result.exitCode(), result::err);
        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve("rounds.csv"));
        assertEquals(List.of(
                new RoundRow("random", 0, 0, 100, 0.5, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0),
                new RoundRow("random", 0, 1, 200, 0.6, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0),
                new RoundRow("random", 1, 0, 100, 0.5, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0, 0.70, Double.NaN, 0.40, 0.25),
                new RoundRow("random", 1, 1, 200, 0.7, 0.1, 0.2, 0.3, 0.0, 2.0, 10.0, 0.80, Double.NaN, 0.50, 0.15)),
                rows);
        assertEquals(rows, ExperimentLog.readJsonLines(out.resolve("rounds.jsonl")));
        // AUBC (0.5 + 0.6) / 2 = 0.55 and (0.5 + 0.7) / 2 = 0.6: 0.575 ± 0.05 / sqrt(2) = 0.0354; F-acc 0.65 ± 0.0707.
        // The robustness columns: the final values of the one trial that has them, 0.80, 0.50, 0.15 (std 0).
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| random | 2 | 0.5750 ± 0.0354 | 0.6500 ± 0.0707 | 0.8000 ± 0.0000 | "
                + "0.5000 ± 0.0000 | 0.1500 ± 0.0000 |"), summary);
        assertTrue(Files.isRegularFile(out.resolve("ood-auroc.png")), "ood-auroc chart");
    }

    @Test
    void refusesTheSameTrialGivenTwice() throws IOException {
        Path a = run("a", "al4j run --seed 1", trial("random", 0, 0.5, 0.6, 0.7));
        Path b = run("b", "al4j run --seed 1", trial("random", 0, 0.5, 0.6, 0.7));
        CommandRun.of("report", "--out", dir.resolve("m").toString(), a.toString(), b.toString())
                .assertBadInput("random: merged trials 0 and 1 have identical rounds (the same --seed given to two "
                        + "runs?)");
        CommandRun.of("report", "--out", dir.resolve("m").toString(), a.toString(), a.toString())
                .assertBadInput(a + " is given twice");
    }

    @Test
    void incompleteTrialsAreRefusedOrLeftOutOnRequest() throws IOException {
        Path a = run("a", "al4j run", concat(trial("random", 0, 0.5, 0.6, 0.7), trial("random", 1, 0.5, 0.65)));
        Path out = dir.resolve("m");
        CommandRun.of("report", "--out", out.toString(), a.toString())
                .assertBadInput("incomplete trial(s): random trial 1 in " + a.toAbsolutePath().normalize()
                        + " (200 of 300 labels); rerun them or add --drop-incomplete");
        CommandRun dropped = CommandRun.of("report", "--out", out.toString(), "--drop-incomplete", a.toString());
        assertEquals(0, dropped.exitCode(), dropped::err);
        assertTrue(dropped.err().contains("al4j report: leaving out the incomplete random trial 1"), dropped::err);
        assertEquals(3, ExperimentLog.readCsv(out.resolve("rounds.csv")).size());
    }

    @Test
    void badInputExitsWith2AndOneLine() throws IOException {
        Path a = run("a", "al4j run", trial("random", 0, 0.5, 0.6, 0.7));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CommandRun.of("report", "--out", dir.resolve("m").toString(), empty.toString())
                .assertBadInput(empty + ": no rounds.csv (not an 'al4j run --out' directory?)");
        CommandRun.of("report", "--out", a.toString(), a.toString())
                .assertBadInput("--out " + a + " is also an input");
        CommandRun.of("report", a.toString()).assertBadInput("--out");
        CommandRun.of("report", "--out", dir.resolve("m").toString()).assertBadInput("RUN_DIR");
        Path headerOnly = run("header-only", "al4j run");
        CommandRun.of("report", "--out", dir.resolve("m").toString(), headerOnly.toString())
                .assertBadInput("the inputs hold no rounds");
        Files.writeString(a.resolve("rounds.csv"), "not,a,header\n");
        CommandRun.of("report", "--out", dir.resolve("m").toString(), a.toString()).assertBadInput("must start with "
                + "the header");
    }

    /** Writes a label store as {@code al4j run} leaves it: run id {@code strategy#n}, one round per query. */
    private static void labels(Path run, String runId, int[][] answersPerQuery) {
        try (SqliteLabelStore store = LabelStore.sqlite(run.resolve(RunCommand.LABEL_STORE));
                LabelStore.Run stored = store.openRun(runId, java.util.Map.of("strategy", runId))) {
            List<LabelRecord> records = new java.util.ArrayList<>();
            int id = 0;
            for (int q = 0; q < answersPerQuery.length; q++) {
                for (int label : answersPerQuery[q]) {
                    records.add(new LabelRecord(q, id++, label, LabelRecord.Source.ORACLE, "oracle", Instant.EPOCH));
                }
            }
            records.add(new LabelRecord(0, 99, 9, LabelRecord.Source.PSEUDO, "model", Instant.EPOCH));
            stored.append(records);
        }
    }

    @Test
    void queriedClassesAreCountedFromTheLabelStoresOfTheKeptTrials() throws IOException {
        Path a = run("a", "al4j run --strategies pal,random --seed 1", concat(trial("pal", 0, 0.5, 0.6, 0.7),
                trial("random", 0, 0.5, 0.6, 0.65)));
        labels(a, "pal#1", new int[][] {{8, 9, 0, 1}, {0, 0}});
        Path b = run("b", "al4j run --strategies pal --seed 2", concat(trial("pal", 0, 0.5, 0.7, 0.8),
                trial("random", 0, 0.5, 0.6)));
        labels(b, "pal#1", new int[][] {{9, 9, 9, 1}, {8, 0}});
        labels(a, "random#1", new int[][] {{1}});
        labels(b, "random#1", new int[][] {{8, 8}}); // an incomplete trial: left out with its rows
        byte[] before = Files.readAllBytes(a.resolve(RunCommand.LABEL_STORE));
        Path out = dir.resolve("merged");
        CommandRun result = CommandRun.of("report", "--out", out.toString(), "--drop-incomplete",
                "--queried-classes", "8,9", a.toString(), b.toString());
        assertEquals(0, result.exitCode(), result::err);
        // pal: query 1 = (2/4 + 3/4) / 2, query 2 = (0 + 1/2) / 2; random: a's trial only ({1}: 0), b's is incomplete
        String table = Files.readString(out.resolve("queried-classes.md"));
        assertTrue(table.contains("| 1 | 0.625 | 0.000 |"), table);
        assertTrue(table.contains("| 2 | 0.250 |"), table);
        assertTrue(table.contains("(pal 2, random 1)"), table);
        assertTrue(result.out().contains("Share of classes 8, 9"), result::out);
        assertTrue(Files.readString(out.resolve("command.txt")).startsWith("al4j report --out " + out
                + " --drop-incomplete --queried-classes 8,9 "));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(a.resolve(RunCommand.LABEL_STORE))),
                "the input's label store is only read");

        Path bare = run("bare", "al4j run", trial("pal", 0, 0.5, 0.6, 0.7));
        CommandRun.of("report", "--out", dir.resolve("m").toString(), "--queried-classes", "8", bare.toString())
                .assertBadInput("has no labels.db");
        CommandRun.of("report", "--out", dir.resolve("m").toString(), "--queried-classes", "8,8", a.toString())
                .assertBadInput("classes must differ, found 8 twice");
    }
}
