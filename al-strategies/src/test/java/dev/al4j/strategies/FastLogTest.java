package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FastLog#log} against {@link Math#log}: within {@code 1e-9 · (|log x| + 1)} (the cubic's truncation error
 * is below {@code 9.5e-10}; a tenth of {@link FastLog#ERROR_BOUND}, the bound the screens rely on) on dense samples
 * of every binade, around 1 and at every table boundary; the special arguments go to {@code Math.log} itself.
 */
class FastLogTest {

    private static final double MEASURED = 1e-9;

    private static void assertClose(double x) {
        double exact = Math.log(x);
        double fast = FastLog.log(x);
        assertTrue(Math.abs(exact - fast) <= MEASURED * (Math.abs(exact) + 1),
                () -> "log(" + x + "): Math.log " + exact + ", FastLog " + fast);
    }

    @Test
    void isCloseToMathLogInEveryBinade() {
        SplittableRandom random = new SplittableRandom(5);
        for (int e = -1022; e <= 1023; e++) {
            for (int i = 0; i < 200; i++) {
                assertClose(Math.scalb(1 + random.nextDouble(), e));
            }
        }
        for (int i = 0; i < 200_000; i++) {
            assertClose(random.nextDouble()); // probabilities
            assertClose(1 + (random.nextDouble() - 0.5) * 0.05); // around 1, where log x ≈ x − 1
            assertClose((float) random.nextDouble()); // float inputs, as the models give them
        }
    }

    @Test
    void isCloseAtEveryTableBoundary() {
        long offset = Double.doubleToRawLongBits(Math.sqrt(0.5));
        for (int i = -2; i <= 130; i++) {
            long boundary = offset + ((long) i << 45);
            for (long d = -3; d <= 3; d++) {
                double x = Double.longBitsToDouble(boundary + d);
                assertClose(x);
                assertClose(x * 0x1p-30);
                assertClose(x * 0x1p30);
            }
        }
        assertEquals(0.0, FastLog.log(1.0), 0.0, "log 1 is exactly 0");
        assertClose(Math.nextUp(1.0));
        assertClose(Math.nextDown(1.0));
        assertClose(Double.MIN_NORMAL);
        assertClose(Double.MAX_VALUE);
        assertClose(Float.MIN_VALUE); // a subnormal float is a normal double
    }

    @Test
    void specialArgumentsAreMathLogs() {
        for (double x : new double[] {0.0, -0.0, -1.0, Double.MIN_VALUE, Double.MIN_NORMAL / 3,
            Double.POSITIVE_INFINITY, Double.NaN}) {
            assertEquals(Math.log(x), FastLog.log(x), 0.0, "log(" + x + ")");
        }
    }
}
