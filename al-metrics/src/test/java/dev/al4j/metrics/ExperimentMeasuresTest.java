package dev.al4j.metrics;

import static dev.al4j.metrics.PerSampleMetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AUBC, F-acc, AUROC, sampling bias, class distribution, group accuracy, mean ± std and win–tie–loss. */
class ExperimentMeasuresTest {

    // --- AUBC and F-acc ------------------------------------------------------------------------------------------

    @Test
    void aubcIsTheNormalisedTrapezoidArea() {
        // Trapezoids: 100 · (0.5 + 0.7) / 2 = 60 and 200 · (0.7 + 0.8) / 2 = 150; 210 / (400 − 100) = 0.7.
        assertEquals(0.7, Metrics.aubc(new int[] {100, 200, 400}, new double[] {0.5, 0.7, 0.8}), 1e-12);
    }

    @Test
    void aubcOfAFlatCurveIsItsAccuracy() {
        assertEquals(0.42, Metrics.aubc(new int[] {10, 30, 70}, new double[] {0.42, 0.42, 0.42}), 1e-12);
    }

    @Test
    void aubcOfOnePointIsThatAccuracy() {
        assertEquals(0.63, Metrics.aubc(new int[] {100}, new double[] {0.63}), 1e-12);
        // All counts equal (rounds without answers): no width, so the mean accuracy (0.4 + 0.6) / 2.
        assertEquals(0.5, Metrics.aubc(new int[] {100, 100}, new double[] {0.4, 0.6}), 1e-12);
    }

    @Test
    void repeatedCountsAddNoArea() {
        // 100 · 0.55 + 0 + 100 · 0.7 = 125 over a width of 200: 0.625.
        assertEquals(0.625, Metrics.aubc(new int[] {100, 200, 200, 300}, new double[] {0.5, 0.6, 0.7, 0.7}), 1e-12);
    }

    @Test
    void aubcRejectsBadCurves() {
        assertMessage(() -> Metrics.aubc(new int[] {1, 2}, new double[] {0.5}),
                "labeledCounts and accuracies must have the same length, found 2 and 1");
        assertMessage(() -> Metrics.aubc(new int[0], new double[0]), "labeledCounts must not be empty, found length 0");
        assertMessage(() -> Metrics.aubc(new int[] {20, 10}, new double[] {0.5, 0.6}),
                "labeledCounts must be >= 0 and non-decreasing, found 10 at index 1 after 20");
        assertMessage(() -> Metrics.aubc(new int[] {10, 20}, new double[] {0.5, 60.0}),
                "accuracies[1] must be in [0, 1], found 60.0");
        assertMessage(() -> Metrics.aubc(new int[] {10, 20}, new double[] {Double.NaN, 0.6}),
                "accuracies[0] must be in [0, 1], found NaN");
    }

    @Test
    void aubcAndFinalAccuracyOfALoopResult() {
        java.util.List<dev.al4j.core.RoundResult> rounds = List.of(
                new dev.al4j.core.RoundResult(0, 100, 100, 100, new int[] {50, 50}, Map.of("accuracy", 0.5), 0, 0),
                new dev.al4j.core.RoundResult(1, 200, 100, 100, new int[] {90, 110}, Map.of("accuracy", 0.7), 0, 0),
                new dev.al4j.core.RoundResult(2, 400, 200, 200, new int[] {200, 200}, Map.of("accuracy", 0.8), 0, 0));
        dev.al4j.core.LoopResult result = new dev.al4j.core.LoopResult(rounds, dev.al4j.core.StopReason.BUDGET,
                dev.al4j.core.Pool.withoutInputs(400, 2));
        // Same curve as aubcIsTheNormalisedTrapezoidArea: 0.7; F-acc is the last round's 0.8.
        assertEquals(0.7, Metrics.aubc(result), 1e-12);
        assertEquals(0.8, Metrics.finalAccuracy(result), 1e-12);
        dev.al4j.core.LoopResult noAccuracy = new dev.al4j.core.LoopResult(List.of(new dev.al4j.core.RoundResult(0, 1,
                1, 1, new int[] {1}, Map.of("ece", 0.1), 0, 0)), null, dev.al4j.core.Pool.withoutInputs(2, 1));
        assertMessage(() -> Metrics.aubc(noAccuracy), "no metric named 'accuracy' in this round; present: [ece]");
    }

    @Test
    void finalAccuracyIsTheLastPoint() {
        assertEquals(0.8, Metrics.finalAccuracy(new double[] {0.5, 0.7, 0.8}));
        assertMessage(() -> Metrics.finalAccuracy(new double[0]), "accuracies must not be empty, found length 0");
        assertMessage(() -> Metrics.finalAccuracy(new double[] {1.5}), "accuracies[0] must be in [0, 1], found 1.5");
    }

    // --- AUROC ---------------------------------------------------------------------------------------------------

    @Test
    void aurocMatchesHandCount() {
        // OOD 0.8 beats all three in-distribution scores: 3. OOD 0.4 beats 0.1 and 0.35 and ties 0.4: 2.5.
        // OOD 0.2 beats 0.1 only: 1. (3 + 2.5 + 1) / (3 · 3) = 6.5 / 9.
        double[] in = {0.1, 0.4, 0.35};
        double[] ood = {0.8, 0.4, 0.2};
        assertEquals(6.5 / 9, Metrics.auroc(in, ood), 1e-12);
    }

    @Test
    void aurocOfPerfectSeparationChanceAndAllTies() {
        assertEquals(1.0, Metrics.auroc(new double[] {0, 1, 2}, new double[] {3, 4}));
        assertEquals(0.0, Metrics.auroc(new double[] {3, 4}, new double[] {0, 1, 2}));
        assertEquals(0.5, Metrics.auroc(new double[] {1, 1}, new double[] {1, 1, 1}));
        assertEquals(0.5, Metrics.auroc(new double[] {-0.0}, new double[] {0.0})); // signed zeros tie
    }

    @Test
    void aurocRejectsBadScores() {
        assertMessage(() -> Metrics.auroc(new double[0], new double[] {1}),
                "inDistributionScores must not be empty, found length 0");
        assertMessage(() -> Metrics.auroc(new double[] {1}, new double[0]), "oodScores must not be empty, found length 0");
        assertMessage(() -> Metrics.auroc(new double[] {1, Double.NaN}, new double[] {1}),
                "inDistributionScores[1] must be finite, found NaN");
        assertMessage(() -> Metrics.auroc(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}),
                "oodScores[0] must be finite, found Infinity");
    }

    // --- sampling bias and class distribution --------------------------------------------------------------------

    @Test
    void samplingBiasIsZeroForBalancedAndOneForASingleClass() {
        assertEquals(0.0, Metrics.samplingBias(new int[] {5, 5, 5, 5}), 1e-12);
        assertEquals(0.0, Metrics.samplingBias(new int[] {1, 1}), 1e-12);
        assertEquals(1.0, Metrics.samplingBias(new int[] {0, 12, 0}), 1e-12);
        assertEquals(1.0, Metrics.samplingBias(new int[] {3, 0}), 1e-12);
    }

    @Test
    void samplingBiasMatchesHandComputation() {
        // p = (0.75, 0.25): H = −(0.75 ln 0.75 + 0.25 ln 0.25) = 0.2157616 + 0.3465736 = 0.5623351;
        // H / ln 2 = 0.5623351 / 0.6931472 = 0.8112781; bias = 1 − 0.8112781 = 0.1887219.
        assertEquals(0.1887219, Metrics.samplingBias(new int[] {3, 1}), 1e-7);
        // p = (0.5, 0.5, 0): H = ln 2; bias = 1 − ln 2 / ln 3 = 1 − 0.6309298 = 0.3690702 (an unlabeled class counts).
        assertEquals(0.3690702, Metrics.samplingBias(new int[] {4, 4, 0}), 1e-7);
    }

    @Test
    void samplingBiasOfOneClassIsZero() {
        assertEquals(0.0, Metrics.samplingBias(new int[] {7}));
    }

    @Test
    void samplingBiasRejectsBadCounts() {
        assertMessage(() -> Metrics.samplingBias(new int[0]), "classCounts must hold one count per class, found length 0");
        assertMessage(() -> Metrics.samplingBias(new int[] {0, 0}),
                "classCounts must count at least one label, found all zero [0, 0]");
        assertMessage(() -> Metrics.samplingBias(new int[] {2, -1}), "classCounts[1] must be >= 0, found -1");
    }

    @Test
    void classDistributionAndCounts() {
        assertArrayEquals(new double[] {0.75, 0.25, 0.0}, Metrics.classDistribution(new int[] {6, 2, 0}), 1e-12);
        assertArrayEquals(new int[] {2, 0, 1}, Metrics.classCounts(new int[] {0, 2, 0}, 3));
        assertMessage(() -> Metrics.classCounts(new int[] {0, 3}, 3), "labels[1] must be a class in [0, 3), found 3");
    }

    // --- group accuracy ------------------------------------------------------------------------------------------

    /** Predictions 0, 0, 1, 1, 0, 1 (arg-max). */
    private static final INDArray GP = Nd4j.create(new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.2, 0.8}, {0.3, 0.7},
        {0.55, 0.45}, {0.1, 0.9}});
    // Labels 0, 1, 1, 1, 1, 1: correct, wrong, correct, correct, wrong, correct.
    private static final int[] GY = {0, 1, 1, 1, 1, 1};
    // Group 0 = rows 0, 1 (1/2 right); group 1 = rows 2, 3 (2/2); group 5 = rows 4, 5 (1/2).
    private static final int[] GROUPS = {0, 0, 1, 1, 5, 5};

    @Test
    void groupAccuraciesByHand() {
        SortedMap<Integer, Double> acc = Metrics.groupAccuracies(GP, GY, GROUPS);
        assertEquals(List.of(0, 1, 5), List.copyOf(acc.keySet()));
        assertEquals(0.5, acc.get(0), 1e-12);
        assertEquals(1.0, acc.get(1), 1e-12);
        assertEquals(0.5, acc.get(5), 1e-12);
        assertEquals(0.5, Metrics.worstGroupAccuracy(GP, GY, GROUPS), 1e-12);
    }

    @Test
    void mismatchGroupAccuracyPoolsTheGivenGroups() {
        // Groups 1 and 5 together: rows 2..5, 3 of 4 right.
        assertEquals(0.75, Metrics.mismatchGroupAccuracy(GP, GY, GROUPS, 1, 5), 1e-12);
        assertEquals(0.5, Metrics.mismatchGroupAccuracy(GP, GY, GROUPS, 0), 1e-12);
    }

    @Test
    void groupInputsAreChecked() {
        assertMessage(() -> Metrics.groupAccuracies(GP, GY, new int[] {0, 0, 1}),
                "groups must have one id per label (6 labels), found 3 ids");
        assertMessage(() -> Metrics.groupAccuracies(GP, GY, new int[] {0, 0, 1, -2, 0, 0}),
                "groups[3] must be >= 0, found -2");
        assertMessage(() -> Metrics.mismatchGroupAccuracy(GP, GY, GROUPS), "mismatchGroups must name at least one group");
        assertMessage(() -> Metrics.mismatchGroupAccuracy(GP, GY, GROUPS, 3), "no sample belongs to mismatchGroups [3]");
        assertMessage(() -> Metrics.worstGroupAccuracy(GP, new int[] {0, 1}, GROUPS),
                "probabilities must have one row per label (2 labels), found 6 rows");
    }

    // --- mean ± std ----------------------------------------------------------------------------------------------

    @Test
    void meanStdUsesTheSampleStandardDeviation() {
        // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; std = sqrt(5 / 3) = 1.2909944.
        MeanStd m = Metrics.meanStd(1, 2, 3, 4);
        assertEquals(2.5, m.mean(), 1e-12);
        assertEquals(1.2909944, m.std(), 1e-7);
        assertEquals(4, m.count());
        assertEquals("2.5000 ± 1.2910", m.toString());
        assertEquals("2.50 ± 1.29", m.format(2));
        assertEquals(new MeanStd(0.7, 0.0, 1), Metrics.meanStd(0.7));
        assertMessage(() -> Metrics.meanStd(), "values must not be empty, found length 0");
        assertMessage(() -> Metrics.meanStd(1, Double.NaN), "values[1] must be finite, found NaN");
    }

    // --- win–tie–loss --------------------------------------------------------------------------------------------

    @Test
    void winTieLossMatchesHandCount() {
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        scores.put("d1", Map.of("A", 0.80, "B", 0.79, "C", 0.70));
        scores.put("d2", Map.of("A", 0.60, "B", 0.604, "C", 0.65));
        // d1: A beats B (0.01 > 0.005) and C; B beats C.
        // d2: A and B tie (0.004 <= 0.005); C beats A (0.05) and B (0.046).
        // A: 2 W, 1 T, 1 L -> 5; B: 1 W, 1 T, 2 L -> 3; C: 2 W, 0 T, 2 L -> 4.
        List<WinTieLoss.Standing> table = Metrics.winTieLoss().rank(scores);
        assertEquals(List.of(new WinTieLoss.Standing("A", 2, 1, 1, 5, 1), new WinTieLoss.Standing("C", 2, 0, 2, 4, 2),
                new WinTieLoss.Standing("B", 1, 1, 2, 3, 3)), table);
    }

    @Test
    void aWiderMarginTurnsWinsIntoTies() {
        Map<String, Map<String, Double>> scores = Map.of("d1", Map.of("A", 0.80, "B", 0.79, "C", 0.70));
        // Margin 0.02: A–B tie; A and B beat C (0.1, 0.09). A: 1 W 1 T -> 3; B: 1 W 1 T -> 3 (shared rank 1); C: 0.
        List<WinTieLoss.Standing> table = Metrics.winTieLoss().withMargin(0.02).rank(scores);
        assertEquals(List.of(new WinTieLoss.Standing("A", 1, 1, 0, 3, 1), new WinTieLoss.Standing("B", 1, 1, 0, 3, 1),
                new WinTieLoss.Standing("C", 0, 0, 2, 0, 3)), table);
    }

    @Test
    void winTieLossValueSemanticsAndChecks() {
        assertEquals("Metrics.winTieLoss()", Metrics.winTieLoss().toString());
        assertEquals("Metrics.winTieLoss().withMargin(0.01)", Metrics.winTieLoss().withMargin(0.01).toString());
        assertEquals(Metrics.winTieLoss().withMargin(0.01), Metrics.winTieLoss().withMargin(0.01));
        assertEquals(Metrics.winTieLoss().withMargin(0.01).hashCode(),
                Metrics.winTieLoss().withMargin(0.01).hashCode());
        assertNotEquals(Metrics.winTieLoss(), Metrics.winTieLoss().withMargin(0.01));
        assertMessage(() -> Metrics.winTieLoss().withMargin(-1), "margin must be finite and >= 0, found -1.0");
        assertMessage(() -> Metrics.winTieLoss().rank(Map.of()), "scoresByDataset must hold at least one data set");
        Map<String, Map<String, Double>> uneven = new LinkedHashMap<>();
        uneven.put("d1", Map.of("A", 0.5, "B", 0.6));
        uneven.put("d2", Map.of("A", 0.5));
        assertMessage(() -> Metrics.winTieLoss().rank(uneven),
                "every data set must score the same strategies: 'd1' has [A, B], 'd2' has [A]");
        assertMessage(() -> Metrics.winTieLoss().rank(Map.of("d1", Map.of("A", Double.NaN))),
                "score of strategy 'A' on data set 'd1' must be finite, found NaN");
        assertThrows(NullPointerException.class, () -> Metrics.winTieLoss().rank(null));
    }
}
