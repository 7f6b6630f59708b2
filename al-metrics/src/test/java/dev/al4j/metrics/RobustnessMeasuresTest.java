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
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RoundResult;
import dev.al4j.core.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The robustness measures of seed 000 (§4.2, Figure 4): OOD-detection AUROC by the maximum softmax probability, metrics
 * on shifted data, evaluated by the loop with the round's model; their report columns, and files of the format before
 * them.
 */
class RobustnessMeasuresTest {

    @TempDir
    Path dir;

    /** A model whose probabilities are its pool's input rows: the inputs of these tests are probability rows. */
    private static final Model INPUTS_ARE_PROBABILITIES = new Model() {
        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return pool.inputs().orElseThrow().rows(ids);
        }
    };

    private static Pool pool(double[][] rows) {
        return Pool.of(PoolInputs.of(Nd4j.create(rows)), 3);
    }

    // In-distribution rows with maximum probabilities 0.9, 0.6, 0.5; OOD rows with 0.6, 0.4.
    private static final double[][] IN = {{0.9, 0.05, 0.05}, {0.3, 0.6, 0.1}, {0.5, 0.3, 0.2}};
    private static final double[][] OOD = {{0.2, 0.6, 0.2}, {0.4, 0.3, 0.3}};

    @Test
    void mspAurocByHand() {
        // Pairs (in, ood): (0.9, 0.6) win, (0.9, 0.4) win, (0.6, 0.6) tie = ½, (0.6, 0.4) win, (0.5, 0.6) loss,
        // (0.5, 0.4) win: 4.5 of 6 = 0.75.
        assertEquals(0.75, OutOfDistributionAuroc.auroc(Nd4j.create(IN), Nd4j.create(OOD)), 1e-15);
        // Through the metric: the model scores the OOD pool; the evaluation set's probabilities are given.
        OutOfDistributionAuroc metric = Metrics.oodAuroc(pool(OOD));
        assertEquals(0.75, metric.evaluate(INPUTS_ARE_PROBABILITIES, Nd4j.create(IN), new int[] {0, 1, 0}), 1e-15);
        // Perfect separation and its reverse.
        assertEquals(1.0, OutOfDistributionAuroc.auroc(Nd4j.create(new double[][] {{0.8, 0.1, 0.1}}),
                Nd4j.create(OOD)), 0);
        assertEquals(0.0, OutOfDistributionAuroc.auroc(Nd4j.create(new double[][] {{0.34, 0.33, 0.33}}),
                Nd4j.create(OOD)), 0);
    }

    @Test
    void shiftedDataMetricsEvaluateTheModelOnTheirOwnSet() {
        double[][] shifted = {{0.1, 0.8, 0.1}, {0.7, 0.2, 0.1}};
        int[] labels = {1, 2};
        ShiftedDataMetric accuracy = Metrics.onShiftedData(pool(shifted), labels, Metrics.accuracy());
        ShiftedDataMetric ece = Metrics.onShiftedData(pool(shifted), labels, Metrics.expectedCalibrationError());
        assertEquals("shift_accuracy", accuracy.name());
        assertEquals("shift_ece", ece.name());
        // The loop's evaluation set (IN) is ignored: row 0 right, row 1 wrong.
        assertEquals(0.5, accuracy.evaluate(INPUTS_ARE_PROBABILITIES, Nd4j.create(IN), new int[] {0, 0, 0}), 0);
        assertEquals(Metrics.expectedCalibrationError().evaluate(Nd4j.create(shifted), labels),
                ece.evaluate(INPUTS_ARE_PROBABILITIES, Nd4j.create(IN), new int[] {0, 0, 0}), 0);
        assertEquals("Metrics.onShiftedData(<2 samples>, <labels>, Metrics.accuracy())", accuracy.toString());
        assertEquals("Metrics.oodAuroc(<2 samples>).withName(\"ood_data_auroc\")",
                Metrics.oodAuroc(pool(OOD)).withName("ood_data_auroc").toString());
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage(() -> Metrics.oodAuroc(Pool.withoutInputs(3, 3)), "outOfDistribution must have inputs");
        assertMessage(() -> Metrics.onShiftedData(pool(OOD), new int[] {0}, Metrics.accuracy()),
                "labels must have one label per pool sample (2), found 1");
        assertMessage(() -> Metrics.onShiftedData(pool(OOD), new int[] {0, 3}, Metrics.accuracy()),
                "labels[1] must be a class in [0, 3), found 3");
        assertMessage(() -> Metrics.oodAuroc(pool(OOD)).withName("ood auroc"), "name must be letters");
        assertMessage(() -> OutOfDistributionAuroc.auroc(Nd4j.create(IN), Nd4j.create(new double[][] {{0.5, 0.5}})),
                "the same K");
        // Without the model these metrics cannot be computed, and say so.
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Metrics.oodAuroc(pool(OOD)).evaluate(Nd4j.create(IN), new int[] {0, 0, 0}));
        assertTrue(e.getMessage().contains("needs the model"), e::getMessage);
    }

    /**
     * The loop hands each round's model to the metrics; the values land in the round's results, the report row and
     * both files.
     */
    @Test
    void theLoopEvaluatesThemWithTheRoundsModel() throws IOException {
        int n = 12;
        int[] truth = new int[n];
        Arrays.setAll(truth, i -> i % 3);
        double[][] poolRows = new double[n][];
        Arrays.fill(poolRows, new double[] {0.4, 0.3, 0.3});
        Learner<Model> learner = (data, progress) -> INPUTS_ARE_PROBABILITIES;
        QueryStrategy lowestIds = (p, m, budget) -> Selection.of(
                Arrays.copyOf(p.candidates(), Math.min(budget, p.candidates().length)), 0L);
        double[][] shifted = {{0.1, 0.8, 0.1}, {0.7, 0.2, 0.1}};
        LoopResult result;
        try (ExperimentLog log = ExperimentLog.create(dir)) {
            result = ActiveLearningLoop.builder().pool(pool(poolRows)).learner(learner).strategy(lowestIds)
                    .oracle(Oracles.simulated(truth)).initialSize(3).batchSize(3).budget(6).seed(1)
                    .evaluation(pool(IN), new int[] {0, 1, 0}, Metrics.accuracy(), Metrics.oodAuroc(pool(OOD)),
                            Metrics.oodAuroc(pool(new double[][] {{0.2, 0.4, 0.4}})).withName("ood_data_auroc"),
                            Metrics.onShiftedData(pool(shifted), new int[] {1, 2}, Metrics.accuracy()),
                            Metrics.onShiftedData(pool(shifted), new int[] {1, 2},
                                    Metrics.expectedCalibrationError()))
                    .listener(log.reporter("lowest-ids", 0)).build().run();
        }
        assertEquals(2, result.rounds().size());
        for (RoundResult r : result.rounds()) {
            assertEquals(0.75, r.metric(ExperimentLog.OOD_AUROC), 1e-15);
            // One OOD row of MSP 0.4 against 0.9, 0.6, 0.5: every in-distribution sample is more confident.
            assertEquals(1.0, r.metric(ExperimentLog.OOD_DATA_AUROC), 0);
            assertEquals(0.5, r.metric(ExperimentLog.SHIFT_ACCURACY), 0);
        }
        List<RoundRow> rows = ExperimentLog.readCsv(dir.resolve(ExperimentLog.CSV_FILE));
        assertEquals(rows, ExperimentLog.readJsonLines(dir.resolve(ExperimentLog.JSON_LINES_FILE)));
        RoundRow last = rows.get(1);
        assertEquals(0.75, last.oodAuroc(), 1e-15);
        assertEquals(1.0, last.oodDataAuroc(), 0);
        assertEquals(0.5, last.shiftAccuracy(), 0);
        assertEquals(result.rounds().get(1).metric(ExperimentLog.SHIFT_ECE), last.shiftEce(), 0);
        assertEquals(1.0, last.accuracy(), 0, "arg-maxes 0, 1, 0 of IN are its labels");
    }

    /** Rows of the format before the robustness columns: the long studies running today write these. */
    @Test
    void filesOfTheEarlierFormatAreStillRead() throws IOException {
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "strategy,trial,round,labeled,accuracy,ece,brier,nll,sampling_bias,query_ms,fit_ms\n"
                + "entropy,0,0,100,0.5,0.1,0.2,0.3,0.05,0.0,12.5\n"
                + "entropy,0,1,200,0.6,,0.2,0.3,0.04,3.5,13.0\n");
        List<RoundRow> rows = ExperimentLog.readCsv(csv);
        assertEquals(List.of(new RoundRow("entropy", 0, 0, 100, 0.5, 0.1, 0.2, 0.3, 0.05, 0.0, 12.5),
                new RoundRow("entropy", 0, 1, 200, 0.6, Double.NaN, 0.2, 0.3, 0.04, 3.5, 13.0)), rows);
        assertTrue(Double.isNaN(rows.get(0).oodAuroc()) && Double.isNaN(rows.get(0).oodDataAuroc())
                && Double.isNaN(rows.get(0).shiftAccuracy()) && Double.isNaN(rows.get(0).shiftEce()));
        Path json = dir.resolve("old.jsonl");
        Files.writeString(json, "{\"strategy\":\"entropy\",\"trial\":0,\"round\":1,\"labeled\":200,\"accuracy\":0.6,"
                + "\"ece\":null,\"brier\":0.2,\"nll\":0.3,\"sampling_bias\":0.04,\"query_ms\":3.5,\"fit_ms\":13.0}\n");
        assertEquals(List.of(rows.get(1)), ExperimentLog.readJsonLines(json));

        // Written again, they take the current format with empty robustness fields, and read back equal.
        try (ExperimentLog log = ExperimentLog.create(dir.resolve("again"))) {
            rows.forEach(log::append);
        }
        assertEquals(rows, ExperimentLog.readCsv(dir.resolve("again").resolve(ExperimentLog.CSV_FILE)));
        assertEquals(rows, ExperimentLog.readJsonLines(dir.resolve("again").resolve(ExperimentLog.JSON_LINES_FILE)));
    }

    private static RoundRow robustRow(String strategy, int trial, int round, double oodAuroc, double shiftAccuracy) {
        return new RoundRow(strategy, trial, round, 10 * (round + 1), 0.5 + 0.1 * round, 0.1, 0.3, 0.8, 0.05, 2.0,
                10.0, oodAuroc, Double.NaN, shiftAccuracy, 0.2);
    }

    @Test
    void summaryAndChartsShowTheMeasuresWhenPresent() throws IOException {
        List<RoundRow> rows = new ArrayList<>();
        // scal, two trials: final OOD AUROC 0.8 and 0.9 (0.85 ± 0.0707), final shift accuracy 0.6 and 0.4.
        for (int r = 0; r < 3; r++) {
            rows.add(robustRow("scal", 0, r, 0.6 + 0.1 * r, 0.4 + 0.1 * r));
            rows.add(robustRow("scal", 1, r, 0.7 + 0.1 * r, 0.2 + 0.1 * r));
            // random: measured before the robustness columns, none of them.
            rows.add(new RoundRow("random", 0, r, 10 * (r + 1), 0.5, 0.1, 0.3, 0.8, 0.05, 2.0, 10.0));
        }
        ExperimentSummary summary = ExperimentSummary.of(rows);
        String md = summary.toMarkdown();
        assertTrue(md.startsWith("| Strategy | Trials | AUBC | F-acc | OOD AUROC | Shift acc | Shift ECE | Query"), md);
        assertTrue(md.contains("| scal | 2 | 0.6000 ± 0.0000 | 0.7000 ± 0.0000 | 0.8500 ± 0.0707 | 0.5000 ± 0.1414 | "
                + "0.2000 ± 0.0000 |"), md);
        assertTrue(md.contains("| random | 1 | 0.5000 ± 0.0000 | 0.5000 ± 0.0000 | – | – | – |"), md);
        assertFalse(md.contains("OOD-data AUROC |"), "a measure no row holds has no column: " + md);
        assertTrue(md.contains("maximum softmax probability"), md);
        assertEquals(0.85, summary.strategies().get(0).finalRobustness().get(ExperimentLog.OOD_AUROC).mean(), 1e-12);

        String plain = ExperimentSummary.of(rows.stream().filter(r -> r.strategy().equals("random")).toList())
                .toMarkdown();
        assertTrue(plain.startsWith("| Strategy | Trials | AUBC | F-acc | Query time / round |"), plain);
        assertFalse(plain.contains("OOD") || plain.contains("Shift"), plain);

        List<String> files = ExperimentCharts.of(rows).saveAll(dir).stream().map(p -> p.getFileName().toString())
                .toList();
        assertTrue(files.containsAll(List.of("ood-auroc.png", "ood-auroc.svg", "shift-accuracy.png",
                "shift-accuracy.svg", "shift-calibration-error.png", "shift-calibration-error.svg")), files::toString);
        assertFalse(files.contains("ood-data-auroc.png"), "no data, no chart: " + files);
        assertEquals(14, files.size(), files::toString);
    }
}
