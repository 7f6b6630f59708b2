package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PivotGroupsTest {

    /** The naive reference: every one of the m textbook float sums (k ascending), then the minimum. */
    private static float[] naive(float[] x, int n, float[] y, int d) {
        int m = y.length / d;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float best = Float.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                float s = 0;
                for (int k = 0; k < d; k++) {
                    float e = x[i * d + k] - y[j * d + k];
                    s += e * e;
                }
                best = Math.min(best, s);
            }
            out[i] = best;
        }
        return out;
    }

    private static void check(String what, float[] x, int n, float[] y, int d) {
        float[] expected = naive(x, n, y, d);
        PivotGroups groups = PivotGroups.of(y, d);
        for (int threads : new int[] {1, 2, 5}) {
            float[] actual = new float[n];
            long computed = groups.nearestSquaredDistances(EmbeddingTiles.ofRows(x, n, d), threads, actual);
            assertArrayEquals(expected, actual, 0f, what + ", threads " + threads);
            assertTrue(computed <= (long) n * (y.length / d + groups.groupCount()), what);
        }
    }

    /** {@code count} rows around {@code blobs} centres {@code spread} apart, unit noise. */
    private static float[] blobs(int count, int d, int blobs, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] centres = new float[blobs * d];
        SplittableRandom c = new SplittableRandom(1234);
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (spread * (c.nextDouble() * 2 - 1));
        }
        float[] out = new float[count * d];
        for (int i = 0; i < count; i++) {
            int b = r.nextInt(blobs);
            for (int k = 0; k < d; k++) {
                out[i * d + k] = centres[b * d + k] + (float) (r.nextDouble() * 2 - 1);
            }
        }
        return out;
    }

    @Test
    void clusteredRowsSkipMostDistancesAndKeepTheExactMinimum() {
        // 20 blobs far apart, d = 33 (not a multiple of the vector width), two tiles and a partial one.
        int d = 33;
        int n = 2500;
        float[] x = blobs(n, d, 20, 40, 1);
        float[] y = blobs(400, d, 20, 40, 2);
        check("blobs", x, n, y, d);
        float[] out = new float[n];
        long computed = PivotGroups.of(y, d).nearestSquaredDistances(EmbeddingTiles.ofRows(x, n, d), 1, out);
        // Pivots (40) plus about one blob's 20 members per row, against 400: the skips must do their work here.
        assertTrue(computed < (long) n * 400 / 4, "computed " + computed + " of " + (long) n * 400);
    }

    @Test
    void unclusteredRowsFallBackToWholeTilesWithTheSameValues() {
        int d = 16;
        int n = 3000;
        check("gaussian", Fixtures.gaussian(n, d, 3), n, Fixtures.gaussian(500, d, 4), d);
    }

    @Test
    void tiesDuplicatesAndCollinearRowsKeepTheExactMinimum() {
        // Integer grids: many equal distances and duplicate rows.
        check("grid", KCenterGreedyTest.grid(1100, 5, 3, 7), 1100, KCenterGreedyTest.grid(200, 5, 3, 8), 5);
        // Points on a line (d = 1): the triangle inequality is tight, so a bound equals a true distance.
        float[] line = new float[300];
        for (int i = 0; i < line.length; i++) {
            line[i] = i % 37;
        }
        float[] labeledLine = {0, 3, 7, 8, 20, 21, 22, 36, 36, 36};
        check("line", line, line.length, labeledLine, 1);
        // Every labeled row the same: one pivot, no other groups.
        float[] same = new float[50 * 4];
        java.util.Arrays.fill(same, 2.5f);
        check("duplicates", Fixtures.gaussian(70, 4, 9), 70, same, 4);
    }

    @Test
    void oneRowOneLabeledAndRowsBelowTheThreadCount() {
        check("1 x 1", new float[] {1f, 2f}, 1, new float[] {4f, -2f}, 2);
        check("3 rows", Fixtures.gaussian(3, 7, 1), 3, Fixtures.gaussian(2, 7, 2), 7);
        check("m = 4", Fixtures.gaussian(40, 3, 1), 40, Fixtures.gaussian(4, 3, 2), 3);
    }

    @Test
    void hugeAndTinyCoordinatesOverflowAndUnderflowLikeTheTextbookSums() {
        // Squares of 1e19 overflow to infinity and of 1e-25 underflow to zero in float: the bounds must not skip
        // a group that the textbook minimum needs.
        int d = 6;
        int n = 400;
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[n * d];
        float[] y = new float[60 * d];
        double[] scales = {1e19, 1e-25, 1, 1e-19};
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (scales[(i / d) % 4] * r.nextDouble());
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (scales[(i / d) % 4] * r.nextDouble());
        }
        check("scales", x, n, y, d);
    }

    @Test
    void badSetsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PivotGroups.of(new float[5], 2));
        assertTrue(e.getMessage().contains("found 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PivotGroups.of(new float[0], 2));
        assertEquals(1, PivotGroups.of(new float[8], 2).groupCount()); // four equal rows: one pivot
    }
}
