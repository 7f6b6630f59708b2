package dev.al4j.strategies.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FiniteSimd} against the scalar test {@link Float#isFinite}: every length up to a few vectors, one bad value
 * (NaN, a NaN with another payload, either infinity) at every position, and the finite extremes (the largest float,
 * subnormals, negative zero) that must pass.
 */
class FiniteSimdTest {

    private static boolean scalar(float[] e, int length) {
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(e[i])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void agreesWithTheScalarTestAtEveryPositionAndLength() {
        assumeTrue(Simd.ENABLED, "the Vector API module is not resolved in this JVM");
        SplittableRandom r = new SplittableRandom(5);
        float[] good = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f, Float.MIN_NORMAL, 1f, -1e-40f};
        float[] bad = {Float.NaN, Float.intBitsToFloat(0xffc00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int length = 0; length <= 70; length++) {
            float[] e = new float[length + 3];
            for (int i = 0; i < e.length; i++) {
                e[i] = good[r.nextInt(good.length)];
            }
            e[length] = Float.NaN; // past the length: never read
            assertEquals(true, FiniteSimd.allFinite(e, length), "length " + length);
            for (int at = 0; at < length; at++) {
                float keep = e[at];
                for (float b : bad) {
                    e[at] = b;
                    assertEquals(scalar(e, length), FiniteSimd.allFinite(e, length), "length " + length + ", at " + at);
                }
                e[at] = keep;
            }
        }
    }

    @Test
    void warmUpRunsThrough() {
        assumeTrue(Simd.ENABLED, "the Vector API module is not resolved in this JVM");
        FiniteSimd.warmUp();
    }
}
