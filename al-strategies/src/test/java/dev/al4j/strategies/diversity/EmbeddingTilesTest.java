package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmbeddingTilesTest {

    /** The tile pass's values for every row: the reference of the gathered kernel. */
    private static float[] fullPass(EmbeddingTiles x, float[] c) {
        float[] out = new float[x.size()];
        float[] scratch = new float[EmbeddingTiles.TILE];
        for (int t = 0; t < x.tileCount(); t++) {
            x.squaredDistances(t, c, scratch);
            System.arraycopy(scratch, 0, out, EmbeddingTiles.tileStart(t), x.rowsIn(t));
        }
        return out;
    }

    @Test
    void gatheredRowsEqualTheTilePassBitForBit() {
        // Row lists: every other row (long enough to be split over threads), a run shorter than the 8-row group,
        // rows straddling tile borders, a single row; d of 1, 19 and 64; n with a partial last tile.
        int n = 5000;
        for (int d : new int[] {1, 19, 64}) {
            float[] rows = Fixtures.gaussian(n, d, d);
            System.arraycopy(rows, 0, rows, 3 * d, d); // a duplicate row: distance ties
            EmbeddingTiles x = EmbeddingTiles.ofRows(rows, n, d);
            float[] c = Arrays.copyOfRange(rows, 7 * d, 8 * d);
            float[] expected = fullPass(x, c);
            int[][] lists = {
                java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == 0).toArray(),
                {0, 1, 2},
                {1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 2047, 2048, 4999},
                {4096},
                java.util.stream.IntStream.range(0, n).toArray()};
            for (int[] list : lists) {
                for (int threads : new int[] {1, 2, 3}) {
                    float[] actual = new float[n];
                    Arrays.fill(actual, Float.NaN);
                    int[] seen = new int[n];
                    x.squaredDistancesOfRows(list, list.length, c, threads, (i, v) -> {
                        actual[i] = v;
                        seen[i]++; // distinct i per call: no two threads write one slot
                    });
                    for (int i : list) {
                        assertEquals(1, seen[i], "row " + i + " reported once");
                        assertEquals(expected[i], actual[i], 0f, "d " + d + " row " + i + " threads " + threads);
                    }
                    assertEquals(list.length, Arrays.stream(seen).sum(), "only the listed rows");
                }
            }
        }
    }

    @Test
    void emptyListReportsNothing() {
        EmbeddingTiles x = EmbeddingTiles.ofRows(Fixtures.gaussian(10, 3, 1), 10, 3);
        int[] calls = new int[1];
        x.squaredDistancesOfRows(new int[0], 0, new float[3], 2, (i, v) -> calls[0]++);
        assertArrayEquals(new int[] {0}, calls);
    }
}
