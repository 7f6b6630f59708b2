package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.strategies.internal.Simd;
import org.junit.jupiter.api.Test;

/**
 * {@link Simd.Gate}: scalar calls until their values reach the threshold, SIMD from then on (the module present); with a
 * warm-up, scalar until the warm-up, run once on another thread, has returned, and for good when it throws.
 */
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

    @Test
    void aGateWithAWarmUpOpensOnlyWhenTheWarmUpHasReturned() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Thread> thread = new java.util.concurrent.atomic.AtomicReference<>();
        Simd.Gate gate = new Simd.Gate(100, () -> {
            runs.incrementAndGet();
            thread.set(Thread.currentThread());
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(gate.simd(150)); // counted: the threshold is reached
        for (int i = 0; i < 20; i++) {
            assertFalse(gate.simd(10), "scalar while the warm-up runs");
        }
        release.countDown();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!gate.simd(1) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(gate.simd(1), "open after the warm-up");
        assertEquals(1, runs.get(), "the warm-up runs once");
        assertTrue(thread.get() != Thread.currentThread() && thread.get().isDaemon(), "on a daemon thread");
    }

    @Test
    void aWarmUpThatThrowsLeavesTheGateClosed() throws Exception {
        java.util.concurrent.CountDownLatch thrown = new java.util.concurrent.CountDownLatch(1);
        Simd.Gate gate = new Simd.Gate(0, () -> {
            thrown.countDown();
            throw new IllegalStateException("a kernel that fails");
        });
        assertFalse(gate.simd(1));
        assertTrue(thrown.await(10, java.util.concurrent.TimeUnit.SECONDS));
        Thread.sleep(50);
        for (int i = 0; i < 5; i++) {
            assertFalse(gate.simd(1), "the scalar twin stays");
        }
    }

    @Test
    void everyKernelsWarmUpRunsWithoutFailing() {
        // A warm-up that throws leaves its gate closed for good: each must run through on its made-up data.
        EntropyScreenSimd.warmUp();
        MaxDotsSimd.warmUp();
        GroupedMassSimd.warmUp();
        MeanSpreadSimd.warmUp();
        UncertaintyBounds.warmUpBald();
    }
}
