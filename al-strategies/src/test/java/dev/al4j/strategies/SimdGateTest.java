package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.strategies.internal.Simd;
import org.junit.jupiter.api.Test;

/** {@link Simd.Gate}: scalar calls until their values reach the threshold, SIMD from then on (the module present). */
class SimdGateTest {

    @Test
    void opensOnceTheScalarTwinHasSeenEnoughValues() {
        assertTrue(Simd.ENABLED, "surefire runs with --add-modules jdk.incubator.vector");
        Simd.Gate gate = new Simd.Gate(1_000);
        assertFalse(gate.simd(400)); // 400 counted
        assertFalse(gate.simd(500)); // 900
        assertFalse(gate.simd(200)); // 1 100: this call still scalar
        assertTrue(gate.simd(1));
        assertTrue(gate.simd(1_000_000));
        assertTrue(new Simd.Gate(0).simd(5), "a zero threshold is open from the start");
    }
}
