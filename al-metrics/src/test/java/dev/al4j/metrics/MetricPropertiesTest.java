package dev.al4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Invariants of the measures, and the optimised formulas against naive in-test versions. */
class MetricPropertiesTest {

    /** The textbook AUROC: every (in, ood) pair, 1 when the OOD score is higher, ½ when equal. O(n_in · n_ood). */
    static double naiveAuroc(double[] in, double[] ood) {
        double wins = 0;
        for (double o : ood) {
            for (double i : in) {
                wins += o > i ? 1 : o == i ? 0.5 : 0;
            }
        }
        return wins / ((double) in.length * ood.length);
    }

    @Property(tries = 300)
    void aurocEqualsTheBruteForcePairCount(@ForAll @Size(min = 1, max = 40) int[] inRaw,
            @ForAll @Size(min = 1, max = 40) int[] oodRaw) {
        // Small integer-valued scores make ties frequent, which is where the half counts matter.
        double[] in = new double[inRaw.length];
        double[] ood = new double[oodRaw.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.floorMod(inRaw[i], 7) - 3;
        }
        for (int i = 0; i < ood.length; i++) {
            ood[i] = Math.floorMod(oodRaw[i], 7) - 3;
        }
        assertEquals(naiveAuroc(in, ood), Metrics.auroc(in, ood), 1e-12);
    }

    @Property(tries = 200)
    void aurocEqualsTheBruteForcePairCountOnContinuousScores(@ForAll @IntRange(min = 1, max = 60) int nIn,
            @ForAll @IntRange(min = 1, max = 60) int nOod, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] in = r.doubles(nIn).toArray();
        double[] ood = r.doubles(nOod).map(x -> x * 1.3 - 0.1).toArray();
        assertEquals(naiveAuroc(in, ood), Metrics.auroc(in, ood), 1e-12);
        // Swapping the roles mirrors the value.
        assertEquals(1 - Metrics.auroc(in, ood), Metrics.auroc(ood, in), 1e-12);
    }

    @Property(tries = 100)
    void brierEqualsTheTextbookSumOfSquares(@ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll @IntRange(min = 1, max = 8) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = TestModels.softmaxRows(n, k, 2.0, r);
        int[] y = r.ints(n, 0, k).toArray();
        double naive = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double d = p[i][c] - (c == y[i] ? 1 : 0);
                naive += d * d;
            }
        }
        naive /= n;
        double fast = Metrics.brier().evaluate(Nd4j.create(p), y);
        assertEquals(naive, fast, 1e-12);
        assertTrue(fast >= 0 && fast <= 2);
    }

    @Property(tries = 100)
    void eceWithOneBinIsTheGapBetweenAccuracyAndMeanConfidence(@ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll @IntRange(min = 2, max = 6) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = TestModels.softmaxRows(n, k, 2.0, r);
        int[] y = r.ints(n, 0, k).toArray();
        double confidence = 0;
        for (double[] row : p) {
            double max = 0;
            for (double v : row) {
                max = Math.max(max, v);
            }
            confidence += max / n;
        }
        INDArray probs = Nd4j.create(p);
        double accuracy = Metrics.accuracy().evaluate(probs, y);
        assertEquals(Math.abs(accuracy - confidence),
                Metrics.expectedCalibrationError().withBins(1).evaluate(probs, y), 1e-12);
        double ece = Metrics.expectedCalibrationError().evaluate(probs, y);
        assertTrue(ece >= 0 && ece <= 1, "ECE " + ece);
    }

    @Property(tries = 100)
    void metricsDoNotDependOnSampleOrder(@ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll @IntRange(min = 2, max = 6) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = TestModels.softmaxRows(n, k, 2.0, r);
        int[] y = r.ints(n, 0, k).toArray();
        int[] perm = r.ints(n).toArray();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(perm[a], perm[b]));
        double[][] p2 = new double[n][];
        int[] y2 = new int[n];
        for (int i = 0; i < n; i++) {
            p2[i] = p[order[i]];
            y2[i] = y[order[i]];
        }
        for (var m : PerSampleMetricsTest.all()) {
            assertEquals(m.evaluate(Nd4j.create(p), y), m.evaluate(Nd4j.create(p2), y2), 1e-12, m.toString());
        }
    }

    @Property(tries = 300)
    void samplingBiasLiesInTheUnitIntervalAndIgnoresClassOrderAndScale(
            @ForAll @Size(min = 1, max = 12) int[] raw, @ForAll @IntRange(min = 1, max = 9) int scale) {
        int[] counts = new int[raw.length];
        int[] reversed = new int[raw.length];
        int[] scaled = new int[raw.length];
        int total = 0;
        for (int c = 0; c < raw.length; c++) {
            counts[c] = Math.floorMod(raw[c], 50);
            total += counts[c];
        }
        if (total == 0) {
            counts[0] = 1;
        }
        for (int c = 0; c < raw.length; c++) {
            reversed[raw.length - 1 - c] = counts[c];
            scaled[c] = counts[c] * scale;
        }
        double bias = Metrics.samplingBias(counts);
        assertTrue(bias >= 0 && bias <= 1 + 1e-12, "bias " + bias);
        assertEquals(bias, Metrics.samplingBias(reversed), 1e-12);
        assertEquals(bias, Metrics.samplingBias(scaled), 1e-12);
    }
}
