package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ChecksTest {

    private static void assertMessage(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @Test
    void probabilitiesAreValidated() {
        Checks.checkProbabilities(Nd4j.create(new double[][] {{0.2, 0.8}, {1, 0}}), 2, 2, "probs");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[][] {{Double.NaN, 1}, {1, 0}}), -1, -1, "probs")), "probs", "NaN");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[][] {{Double.POSITIVE_INFINITY, 1}}), -1, -1, "probs")), "probs", "infinity");
        // row 1 sums to 0.9: beyond the 1e-3 tolerance
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[][] {{0.5, 0.5}, {0.4, 0.5}}), -1, -1, "probs")), "row 1", "0.9");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[][] {{-0.5, 1.5}}), -1, -1, "probs")), "[0, 1]", "-0.5");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[][] {{0.5, 0.5}}), -1, 3, "probs")), "3 columns", "found 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new double[] {0.5, 0.5}), -1, -1, "probs")), "[n, K]");
        // within tolerance passes
        Checks.checkProbabilities(Nd4j.create(new double[][] {{0.5, 0.5004}}), 1, 2, "probs");
    }

    @Test
    void probabilityRowsOnAFloatCopyGiveTheSameMessagesAndNameTheId() {
        // The same rows as above, as row-major floats: the messages of checkProbabilities, plus the id of the row.
        Checks.checkProbabilityRows(new float[] {0.2f, 0.8f, 1, 0}, 2, new int[] {7, 9}, "probs");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilityRows(
                new float[] {0.5f, 0.5f, 0.4f, 0.5f}, 2, new int[] {7, 9}, "probs")),
                "probs rows must sum to 1 (tolerance 0.001), row 1 sums to 0.9", "(id 9)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilityRows(
                new float[] {0.5f, 0.5f, -0.5f, 1.5f}, 2, new int[] {7, 9}, "probs")),
                "probs must hold probabilities in [0, 1], found -0.5 at row 1, column 0 (id 9)");
        // Without ids, the message is exactly checkProbabilities's.
        String plain = assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilityRows(
                new float[] {Float.NaN, 1}, 2, null, "probs")).getMessage();
        String canonical = assertThrows(IllegalArgumentException.class, () -> Checks.checkProbabilities(
                Nd4j.create(new float[] {Float.NaN, 1}, new long[] {1, 2}, 'c'), -1, -1, "probs")).getMessage();
        org.junit.jupiter.api.Assertions.assertEquals(canonical, plain);
    }

    @Test
    void classCountsMustAgree() {
        Pool pool = Pool.withoutInputs(2, 3);
        Model model = PrecomputedModel.builder(Nd4j.create(new double[][] {{0.5, 0.5}, {1, 0}})).build();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkClasses(pool, model)),
                "model has 2 classes but the pool has 3");
        assertMessage(assertThrows(NullPointerException.class, () -> Checks.checkClasses(null, model)), "pool");
        Checks.checkClasses(Pool.withoutInputs(2, 2), model);
    }

    @Test
    void numbersAndIds() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Checks.checkNonNegative(-3, "budget")),
                "budget must be >= 0, found -3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Checks.checkPositive(Double.NaN, "temperature")), "temperature", "NaN");
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> Checks.checkIds(new int[] {0, -1}, 4, "ids")), "ids[1]", "found -1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Checks.checkIds(new int[] {2, 2}, 4, "ids")), "found 2 twice");
        assertMessage(assertThrows(NullPointerException.class, () -> Checks.checkNotNull(null, "pool")),
                "pool must not be null");
    }
}
