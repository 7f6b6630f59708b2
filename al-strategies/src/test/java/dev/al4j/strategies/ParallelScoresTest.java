package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The scoring kernels split their rows over threads ({@link UncertaintyScores#forRowRanges}); each row's score must
 * be bit-identical to the score of that row alone (one row: no split), on inputs large enough to be split, with
 * ties (equal rows, uniform rows, one-hot rows with zeros) and K not a multiple of any vector width.
 */
class ParallelScoresTest {

    private static final int N = 80_001; // odd: uneven ranges; 80 001 · 7 values: split on two or more cores
    private static final int K = 7;
    private static final int T = 5;

    /** Random probability rows; every 10th row uniform, every 10th + 1 one-hot, every 10th + 2 a copy of row 0. */
    static float[] rows(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double[] v = new double[k];
            for (int c = 0; c < k; c++) {
                v[c] = i % 10 == 0 ? 1 : i % 10 == 1 ? (c == i % k ? 1 : 0) : r.nextDouble() * r.nextDouble();
                sum += v[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = i % 10 == 2 && i > 2 ? p[c] : (float) (v[c] / sum);
            }
        }
        return p;
    }

    private static void assertRowByRow(BiFunction<float[][], Integer, double[]> kernel, float[][] passes) {
        double[] all = kernel.apply(passes, N);
        assertEquals(N, all.length);
        double[] alone = new double[N];
        float[][] one = new float[passes.length][K];
        for (int i = 0; i < N; i++) {
            for (int t = 0; t < passes.length; t++) {
                System.arraycopy(passes[t], i * K, one[t], 0, K);
            }
            alone[i] = kernel.apply(one, 1)[0];
        }
        assertArrayEquals(alone, all, 0.0);
    }

    @Test
    void singleModelScoresDoNotDependOnTheSplit() {
        float[][] p = {rows(N, K, 1)};
        assertRowByRow((x, n) -> UncertaintyScores.entropy(x[0], n, K), p);
        assertRowByRow((x, n) -> UncertaintyScores.margin(x[0], n, K), p);
        assertRowByRow((x, n) -> UncertaintyScores.leastConfidence(x[0], n, K), p);
    }

    @Test
    void passScoresDoNotDependOnTheSplit() {
        float[][] passes = new float[T][];
        for (int t = 0; t < T; t++) {
            passes[t] = rows(N, K, 10 + t);
        }
        passes[T - 1] = passes[0].clone(); // identical passes: zero deviation on some rows
        assertRowByRow((x, n) -> UncertaintyScores.bald(x, n, K), passes);
        assertRowByRow((x, n) -> UncertaintyScores.meanStd(x, n, K), passes);
        assertRowByRow((x, n) -> UncertaintyScores.entropyMc(x, n, K), passes);
        assertRowByRow((x, n) -> UncertaintyScores.marginMc(x, n, K), passes);
        assertRowByRow((x, n) -> UncertaintyScores.variationRatioMc(x, n, K), passes);
    }

    @Test
    void aFailingRangeReachesTheCaller() {
        // 100 000 rows on 2 and 3 threads: up to 128/192 ranges taken from a shared counter; one range throws.
        for (int tasks : new int[] {2, 3}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> UncertaintyScores.forRowRanges(100_000, tasks, (from, to) -> {
                        if (from <= 77_777 && 77_777 < to) {
                            throw new IllegalStateException("range " + from);
                        }
                    }));
            assertTrue(e.getMessage().startsWith("range "), e.getMessage());
        }
    }

    @Test
    void nestedCallsFromPoolThreadsFinish() {
        // Callers that are themselves common-pool threads (a parallel stream) never wait for a range no thread has
        // started, so nested splits finish even when every pool thread is such a caller.
        int[] totals = java.util.stream.IntStream.range(0, 16).parallel().map(j -> {
            java.util.concurrent.atomic.AtomicInteger rows = new java.util.concurrent.atomic.AtomicInteger();
            UncertaintyScores.forRowRanges(50_000, 4, (from, to) -> rows.addAndGet(to - from));
            return rows.get();
        }).toArray();
        int[] expected = new int[16];
        Arrays.fill(expected, 50_000);
        assertArrayEquals(expected, totals);
    }

    @Test
    void rangesCoverEveryRowOnceForAnyTaskCount() {
        for (int n : new int[] {0, 1, 2, 3, 17, 1000, 100_003}) {
            for (int tasks : new int[] {1, 2, 3, 8, 64}) {
                int[] seen = new int[n];
                UncertaintyScores.forRowRanges(n, tasks, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        synchronized (seen) {
                            seen[i]++;
                        }
                    }
                });
                int[] once = new int[n];
                Arrays.fill(once, 1);
                assertArrayEquals(once, seen, "n " + n + " tasks " + tasks);
            }
        }
    }
}
