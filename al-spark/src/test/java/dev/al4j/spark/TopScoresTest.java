package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The partitioned top-b against a full sort of all pairs (score descending, then id ascending). */
class TopScoresTest {

    @Test
    void mergedPartitionTopsEqualAFullSort() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(300);
            int b = random.nextInt(n + 10);
            int parts = 1 + random.nextInt(6);
            double[] scores = new double[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 4.0; // many ties
                ids[i] = random.nextLong(1_000_000_000_000L) * (random.nextBoolean() ? 1 : -1) + i;
            }
            List<TopScores> tops = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                tops.add(new TopScores(b));
            }
            for (int i = 0; i < n; i++) {
                tops.get(random.nextInt(parts)).offer(scores[i], ids[i]);
            }
            SparkSelection got = TopScores.merge(tops, b).toSelection(0);
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingLong(i -> ids[i]));
            int m = Math.min(b, n);
            long[] expectedIds = new long[m];
            double[] expectedScores = new double[m];
            for (int j = 0; j < m; j++) {
                expectedIds[j] = ids[order[j]];
                expectedScores[j] = scores[order[j]];
            }
            assertArrayEquals(expectedIds, got.ids());
            assertArrayEquals(expectedScores, got.scores(), 0.0);
        }
    }
}
