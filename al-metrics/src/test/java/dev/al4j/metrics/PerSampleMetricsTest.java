package dev.al4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Metric;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-checked values, names, value semantics and input checks of the four per-round metrics. */
class PerSampleMetricsTest {

    /**
     * Four rows; predictions (arg-max, ties to the lower class) are 0, 1, 2, 0, labels 0, 2, 2, 1, so rows 0 and 2 are
     * correct. Row 3 ties classes 0 and 1 and must count as a prediction of class 0.
     */
    private static final double[][] P = {
        {0.7, 0.2, 0.1},
        {0.1, 0.6, 0.3},
        {0.3, 0.3, 0.4},
        {0.5, 0.5, 0.0},
    };
    private static final int[] Y = {0, 2, 2, 1};

    private static INDArray p() {
        return Nd4j.create(P);
    }

    @Test
    void accuracyMatchesHandCount() {
        // 2 correct of 4.
        assertEquals(0.5, Metrics.accuracy().evaluate(p(), Y), 1e-12);
    }

    @Test
    void brierMatchesHandComputation() {
        // row 0 (y=0): 0.3² + 0.2² + 0.1² = 0.09 + 0.04 + 0.01 = 0.14
        // row 1 (y=2): 0.1² + 0.6² + 0.7² = 0.01 + 0.36 + 0.49 = 0.86
        // row 2 (y=2): 0.3² + 0.3² + 0.6² = 0.09 + 0.09 + 0.36 = 0.54
        // row 3 (y=1): 0.5² + 0.5² + 0.0² = 0.50
        // mean = (0.14 + 0.86 + 0.54 + 0.50) / 4 = 2.04 / 4 = 0.51
        assertEquals(0.51, Metrics.brier().evaluate(p(), Y), 1e-12);
    }

    @Test
    void nllMatchesHandComputation() {
        // −(ln 0.7 + ln 0.3 + ln 0.4 + ln 0.5) / 4
        // = (0.3566749 + 1.2039728 + 0.9162907 + 0.6931472) / 4 = 3.1700856 / 4 = 0.7925214
        assertEquals(0.7925214, Metrics.negativeLogLikelihood().evaluate(p(), Y), 1e-7);
    }

    @Test
    void nllClipsAZeroProbabilityAtEpsilon() {
        // Row 3 gives class 2 probability 0: −ln(1e-15) = 15 · ln 10 = 34.5387764; row 0 (y=0): −ln 0.7 = 0.3566749.
        INDArray probs = Nd4j.create(new double[][] {{0.7, 0.2, 0.1}, {0.5, 0.5, 0.0}});
        double expected = (0.3566749 + 34.5387764) / 2;
        assertEquals(expected, Metrics.negativeLogLikelihood().evaluate(probs, new int[] {0, 2}), 1e-6);
        assertEquals(1e-15, NegativeLogLikelihood.EPSILON);
    }

    @Test
    void floatInputGivesTheSameValuesAsDouble() {
        INDArray f = p().castTo(DataType.FLOAT);
        for (Metric m : all()) {
            assertEquals(m.evaluate(p(), Y), m.evaluate(f, Y), 1e-6, m.toString());
        }
    }

    @Test
    void viewsAndColumnMajorArraysAreRead() {
        // A row slice of a bigger matrix (a view with an offset) and an 'f'-ordered copy must give the same values.
        INDArray big = Nd4j.create(new double[][] {{0.2, 0.2, 0.6}, P[0], P[1], P[2], P[3]});
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray fOrder = p().dup('f');
        for (Metric m : all()) {
            double expected = m.evaluate(p(), Y);
            assertEquals(expected, m.evaluate(view, Y), 1e-12, m + " on a view");
            assertEquals(expected, m.evaluate(fOrder, Y), 1e-12, m + " on f order");
        }
    }

    @Test
    void namesAreTheReportColumns() {
        assertEquals("accuracy", Metrics.accuracy().name());
        assertEquals("ece", Metrics.expectedCalibrationError().name());
        assertEquals("ece", Metrics.expectedCalibrationError().withBins(10).name());
        assertEquals("brier", Metrics.brier().name());
        assertEquals("nll", Metrics.negativeLogLikelihood().name());
    }

    @Test
    void valueSemanticsAndToStringEchoTheFactoryCall() {
        assertEquals("Metrics.accuracy()", Metrics.accuracy().toString());
        assertEquals("Metrics.brier()", Metrics.brier().toString());
        assertEquals("Metrics.negativeLogLikelihood()", Metrics.negativeLogLikelihood().toString());
        assertEquals("Metrics.expectedCalibrationError()", Metrics.expectedCalibrationError().toString());
        assertEquals("Metrics.expectedCalibrationError().withBins(10)",
                Metrics.expectedCalibrationError().withBins(10).toString());
        assertEquals(Metrics.expectedCalibrationError().withBins(10), Metrics.expectedCalibrationError().withBins(10));
        assertEquals(Metrics.expectedCalibrationError().withBins(10).hashCode(),
                Metrics.expectedCalibrationError().withBins(10).hashCode());
        assertEquals(Metrics.expectedCalibrationError(), Metrics.expectedCalibrationError().withBins(15));
        assertNotEquals(Metrics.expectedCalibrationError(), Metrics.expectedCalibrationError().withBins(10));
        assertEquals(Metrics.accuracy(), Metrics.accuracy());
        assertNotEquals((Object) Metrics.accuracy(), Metrics.brier());
        assertEquals(10, Metrics.expectedCalibrationError().withBins(10).bins());
    }

    @Test
    void lengthMismatchIsRejectedNamingBothSizes() {
        for (Metric m : all()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.evaluate(p(), new int[] {0, 1, 2}));
            assertTrue(e.getMessage().contains("probabilities must have one row per label (3 labels), found 4 rows"),
                    e.getMessage());
        }
    }

    @Test
    void emptyInputIsRejected() {
        for (Metric m : all()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.evaluate(Nd4j.create(DataType.DOUBLE, 0, 3), new int[0]));
            assertEquals("labels must not be empty, found length 0", e.getMessage());
        }
    }

    @Test
    void probabilitiesOutsideTheUnitIntervalAreRejected() {
        for (Metric m : all()) {
            assertMessage(() -> m.evaluate(Nd4j.create(new double[][] {{1.2, -0.2}}), new int[] {0}),
                    "probabilities must hold probabilities in [0, 1], found -0.2");
            assertMessage(() -> m.evaluate(Nd4j.create(new double[][] {{1.5, 0.0}}), new int[] {0}),
                    "probabilities must hold probabilities in [0, 1], found 1.5");
        }
    }

    @Test
    void nanIsRejected() {
        for (Metric m : all()) {
            assertMessage(() -> m.evaluate(Nd4j.create(new double[][] {{Double.NaN, 1.0}}), new int[] {0}),
                    "probabilities must not contain NaN");
        }
    }

    @Test
    void rowsNotSummingToOneAreRejected() {
        for (Metric m : all()) {
            assertMessage(() -> m.evaluate(Nd4j.create(new double[][] {{0.5, 0.5}, {0.5, 0.4}}), new int[] {0, 1}),
                    "probabilities rows must sum to 1 (tolerance 0.001), row 1 sums to 0.9");
        }
    }

    @Test
    void labelsOutsideTheClassesAreRejected() {
        for (Metric m : all()) {
            assertMessage(() -> m.evaluate(p(), new int[] {0, 3, 1, 1}), "labels[1] must be a class in [0, 3), found 3");
            assertMessage(() -> m.evaluate(p(), new int[] {0, 1, -1, 1}),
                    "labels[2] must be a class in [0, 3), found -1");
        }
    }

    @Test
    void nullsAndWrongRankAreRejected() {
        for (Metric m : all()) {
            assertThrows(NullPointerException.class, () -> m.evaluate(null, Y));
            assertThrows(NullPointerException.class, () -> m.evaluate(p(), null));
            assertMessage(() -> m.evaluate(Nd4j.create(new double[] {0.5, 0.5}), new int[] {0}),
                    "probabilities must be a [n, K] matrix");
        }
    }

    static List<Metric> all() {
        return List.of(Metrics.accuracy(), Metrics.expectedCalibrationError(), Metrics.brier(),
                Metrics.negativeLogLikelihood());
    }

    static void assertMessage(Supplier<?> call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
