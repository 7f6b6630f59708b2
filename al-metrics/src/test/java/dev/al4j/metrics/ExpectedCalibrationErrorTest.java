package dev.al4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExpectedCalibrationErrorTest {

    /** Confidences 0.9, 0.7, 0.75, 0.55 (none on a bin edge); rows A, C and D are correct, B is wrong. */
    private static final INDArray P = Nd4j.create(new double[][] {{0.9, 0.1}, {0.7, 0.3}, {0.75, 0.25},
        {0.45, 0.55}});
    private static final int[] Y = {0, 1, 0, 1};

    @Test
    void fiveBinsMatchHandComputation() {
        // Bins of width 0.2: 0.9 -> (0.8, 1], 0.7 and 0.75 -> (0.6, 0.8], 0.55 -> (0.4, 0.6].
        // (0.8, 1]:  1 sample, acc 1,   conf 0.9   -> 1/4 · 0.1   = 0.025
        // (0.6, 0.8]: 2 samples, acc 0.5, conf 0.725 -> 2/4 · 0.225 = 0.1125
        // (0.4, 0.6]: 1 sample, acc 1,   conf 0.55  -> 1/4 · 0.45  = 0.1125
        // ECE = 0.25
        assertEquals(0.25, Metrics.expectedCalibrationError().withBins(5).evaluate(P, Y), 1e-12);
    }

    @Test
    void defaultFifteenBinsMatchHandComputation() {
        // Bins of width 1/15: every confidence falls in its own bin (indices 13, 10, 11, 8), so
        // ECE = (|1 − 0.9| + |0 − 0.7| + |1 − 0.75| + |1 − 0.55|) / 4 = (0.1 + 0.7 + 0.25 + 0.45) / 4 = 0.375
        assertEquals(0.375, Metrics.expectedCalibrationError().evaluate(P, Y), 1e-12);
        assertEquals(15, Metrics.expectedCalibrationError().bins());
    }

    @Test
    void perfectlyCalibratedSetHasZeroError() {
        // 10 rows at confidence 0.8 of which 8 are right, 5 rows at 0.6 of which 3 are right, 4 rows at 1.0 all right:
        // each bin's accuracy equals its confidence.
        double[][] p = new double[19][];
        int[] y = new int[19];
        for (int i = 0; i < 10; i++) {
            p[i] = new double[] {0.8, 0.2};
            y[i] = i < 8 ? 0 : 1;
        }
        for (int i = 10; i < 15; i++) {
            p[i] = new double[] {0.4, 0.6};
            y[i] = i < 13 ? 1 : 0;
        }
        for (int i = 15; i < 19; i++) {
            p[i] = new double[] {1.0, 0.0};
            y[i] = 0;
        }
        for (int bins : new int[] {1, 2, 5, 10, 15, 100}) {
            assertEquals(0.0, Metrics.expectedCalibrationError().withBins(bins).evaluate(Nd4j.create(p), y), 1e-12,
                    "bins " + bins);
        }
    }

    @Test
    void confidenceOneFallsInTheLastBin() {
        INDArray certain = Nd4j.create(new double[][] {{1.0, 0.0, 0.0}});
        for (int bins : new int[] {1, 2, 10, 15}) {
            List<ExpectedCalibrationError.Bin> r = Metrics.expectedCalibrationError().withBins(bins)
                    .reliability(certain, new int[] {0});
            assertEquals(bins, r.size());
            assertEquals(1, r.get(bins - 1).count(), "bins " + bins);
            assertEquals(1.0, r.get(bins - 1).upper(), 1e-12);
        }
        // A wrong prediction at confidence 1.0 gives the largest possible error, 1.
        assertEquals(1.0, Metrics.expectedCalibrationError().evaluate(certain, new int[] {2}), 1e-12);
    }

    @Test
    void binsAreLeftOpenRightClosed() {
        // Guo et al.: bin m holds ((m−1)/M, m/M]. 0.5 with two bins is the upper edge of bin 0; 0 is in bin 0.
        assertEquals(0, ExpectedCalibrationError.binOf(0.5, 2));
        assertEquals(1, ExpectedCalibrationError.binOf(0.5000001, 2));
        assertEquals(0, ExpectedCalibrationError.binOf(0.0, 15));
        assertEquals(14, ExpectedCalibrationError.binOf(1.0, 15));
        assertEquals(14, ExpectedCalibrationError.binOf(1.0005, 15)); // within the row-sum tolerance
    }

    @Test
    void reliabilityReportsEveryBinInOrder() {
        List<ExpectedCalibrationError.Bin> r = Metrics.expectedCalibrationError().withBins(5).reliability(P, Y);
        assertEquals(5, r.size());
        assertEquals(0, r.get(0).count());
        assertTrue(Double.isNaN(r.get(0).accuracy()));
        assertEquals(2, r.get(3).count());
        assertEquals(0.5, r.get(3).accuracy(), 1e-12);
        assertEquals(0.725, r.get(3).confidence(), 1e-12);
        assertEquals(0.6, r.get(3).lower(), 1e-12);
        assertEquals(0.8, r.get(3).upper(), 1e-12);
    }

    @Test
    void binsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.expectedCalibrationError().withBins(0));
        assertEquals("bins must be > 0, found 0", e.getMessage());
    }
}
