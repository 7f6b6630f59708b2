package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link TopK#top} and {@link TopK#kthLargest} against a naive reference: a full sort of every position by
 * (score descending, id ascending, position ascending), on random and adversarial inputs (few distinct scores, all
 * equal, ±0, ids in any order and negative, k of 0, 1, n − 1, n and above n, n below and not a multiple of anything).
 */
class TopKTest {

    /** The reference: every position sorted best first, the first k kept. */
    private static int[] naiveTop(double[] scores, int[] ids, int k) {
        // Scores compared with < and > as TopK has always compared them (so -0.0 ties with 0.0), not Double.compare.
        Comparator<Integer> byScore = (a, b) -> scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0;
        Comparator<Integer> bestFirst = byScore.thenComparingInt(i -> ids[i]).thenComparingInt(i -> i);
        return IntStream.range(0, scores.length).boxed().sorted(bestFirst).limit(k).mapToInt(Integer::intValue)
                .toArray();
    }

    private static void assertLikeTheReference(double[] scores, int[] ids) {
        int n = scores.length;
        for (int k : new int[] {0, 1, 2, n / 3, n / 2, n - 1, n, n + 5}) {
            if (k < 0) {
                continue;
            }
            int[] expected = naiveTop(scores, ids, k);
            assertArrayEquals(expected, TopK.top(scores, ids, k), () -> "n = " + n + ", k = " + k);
            if (k >= 1 && k <= n) {
                double[] sorted = scores.clone();
                Arrays.sort(sorted);
                // -0.0 and 0.0 are the same score for top(): compare as doubles, not bits.
                assertEquals(sorted[n - k], TopK.kthLargest(scores, k), 0.0, "kthLargest, k = " + k);
            }
        }
    }

    @Test
    void topMatchesAFullSortOnRandomAndAdversarialInputs() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 3, 7, 64, 101, 1000, 4099}) {
            int[] ascending = IntStream.range(0, n).toArray();
            int[] shuffled = ascending.clone();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            int[] negative = IntStream.range(0, n).map(i -> shuffled[i] - n / 2).toArray();
            double[] continuous = random.doubles(n).toArray();
            double[] fewValues = random.ints(n, 0, 4).asDoubleStream().map(v -> v / 4).toArray();
            double[] allEqual = new double[n];
            Arrays.fill(allEqual, 0.25);
            double[] signedZeros = IntStream.range(0, n).mapToDouble(i -> i % 3 == 0 ? -0.0 : i % 3 == 1 ? 0.0 : 1)
                    .toArray();
            double[] sortedUp = IntStream.range(0, n).mapToDouble(i -> i).toArray();
            double[] sortedDown = IntStream.range(0, n).mapToDouble(i -> n - i).toArray();
            // Both signs over the whole exponent range, and the infinities: the radix select's map of doubles to longs.
            double[] mixedSigns = IntStream.range(0, n).mapToDouble(i -> i % 50 == 7 ? Double.NEGATIVE_INFINITY
                    : i % 50 == 8 ? Double.POSITIVE_INFINITY
                    : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-320, 300))).toArray();
            double[] negativeFew = random.ints(n, -3, 1).asDoubleStream().toArray();
            for (double[] scores : new double[][] {continuous, fewValues, allEqual, signedZeros, sortedUp,
                sortedDown, mixedSigns, negativeFew}) {
                for (int[] ids : new int[][] {ascending, shuffled, negative}) {
                    assertLikeTheReference(scores, ids);
                }
            }
        }
    }

    @Test
    void repeatedIdsFallBackToThePosition() {
        double[] scores = {1, 1, 1, 0.5};
        int[] ids = {5, 5, 2, 5};
        assertArrayEquals(new int[] {2, 0, 1, 3}, TopK.top(scores, ids, 4));
        assertArrayEquals(naiveTop(scores, ids, 2), TopK.top(scores, ids, 2));
    }

    @Test
    void kthLargestRejectsKOutOfRangeNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopK.kthLargest(new double[] {1, 2}, 3));
        assertEquals("k must be in [1, 2], found 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopK.kthLargest(new double[] {1, 2}, 0));
    }
}
