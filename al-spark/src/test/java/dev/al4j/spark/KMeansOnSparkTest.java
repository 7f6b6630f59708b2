package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * k-means sampling on MLlib: on five tight, far-apart blobs with b = 5 it takes one candidate per blob (the one
 * nearest the blob's mean), never a labeled id; b at or above the candidates returns them all, ascending.
 */
class KMeansOnSparkTest {

    @Test
    void oneRepresentativePerBlob() {
        SplittableRandom random = new SplittableRandom(2);
        int n = 600;
        float[][] x = new float[n][4];
        for (int i = 0; i < n; i++) {
            int blob = i % 5;
            for (int k = 0; k < 4; k++) {
                x[i][k] = 100f * blob * (k + 1) + (float) random.nextDouble(-1, 1);
            }
        }
        SparkPool pool = SparkPool.of(SparkTests.dataset("e", x, 3, 1)).withEmbeddingsColumn("e")
                .withLabeled(new long[] {0, 1}, new int[] {0, 0});
        SparkSelection s = SparkStrategies.kMeans().withSeed(5).select(pool, 5);
        assertEquals(5, s.size());
        long[] blobs = Arrays.stream(s.ids()).map(id -> id % 5).sorted().toArray();
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, blobs, Arrays.toString(s.ids()));
        for (long id : s.ids()) {
            assertTrue(id > 1, "not labeled: " + id);
        }
        // MLlib's cost: within-blob scatter only, at most 4 coordinates of squared spread 1 per candidate.
        assertTrue(s.cost().orElseThrow() > 0 && s.cost().orElseThrow() < 4.0 * n, "cost " + s.cost());

        SparkSelection all = SparkStrategies.kMeans().select(SparkPool.of(SparkTests.dataset("e",
                Arrays.copyOf(x, 7), 2, 3)).withEmbeddingsColumn("e"), 7);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6}, all.ids());
        assertEquals("SparkStrategies.kMeans().withSeed(5)", SparkStrategies.kMeans().withSeed(5).toString());
    }
}
