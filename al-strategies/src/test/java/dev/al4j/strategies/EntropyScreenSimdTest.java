package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.al4j.core.Checks;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import dev.al4j.strategies.internal.Simd;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EntropyScreenSimd}: the lane-wise logarithm of this JVM within a quarter of the error the bound assumes, the
 * approximate entropies within {@link EntropyScreenSimd#bound} of the exact ones on random and adversarial checked
 * rows (one-hot, uniform, zeros, subnormal entries, sums at the tolerance's edges, K from 1 to the lane count; rows
 * in a span of the table and rows far apart), and the selection through the screen equal to the exact top b (ids,
 * order, scores) with ties and duplicate rows.
 */
class EntropyScreenSimdTest {

    @BeforeEach
    void simd() {
        assumeTrue(Simd.ENABLED && EntropyScreenSimd.fits(10), "no Vector API module or vectors under 8 floats");
    }

    @Test
    void laneWiseLogarithmIsWellWithinTheAssumedError() {
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        int lanes = species.length();
        int last = Float.floatToRawIntBits((float) (1 + Checks.ROW_SUM_TOLERANCE));
        float[] x = new float[lanes];
        float[] logs = new float[lanes];
        double worst = 0;
        for (int pass = 0; pass < 4; pass++) { // later passes run C2's intrinsic, the first ones interpreted Java
            for (int bits = 1 + pass; bits <= last; bits += lanes * 4001) {
                for (int j = 0; j < lanes; j++) {
                    x[j] = Float.intBitsToFloat(Math.min(last, bits + j * 4001 / lanes));
                }
                FloatVector.fromArray(species, x, 0).lanewise(VectorOperators.LOG).intoArray(logs, 0);
                for (int j = 0; j < lanes; j++) {
                    double exact = Math.log(x[j]);
                    worst = Math.max(worst, Math.abs(logs[j] - exact) / Math.max(Math.abs(exact), 0x1p-126));
                }
            }
        }
        assertTrue(worst <= EntropyScreenSimd.LOG_ERROR / 4, "worst relative error " + worst);
    }

    /** A checked row of k: random, one-hot, uniform, with zeros, with subnormal or tiny entries, sum off by tol. */
    private static void row(float[] p, int at, int k, int kind, SplittableRandom r) {
        double[] v = new double[k];
        switch (kind) {
            case 0 -> Arrays.fill(v, 1.0 / k);
            case 1 -> v[r.nextInt(k)] = 1;
            case 2 -> {
                for (int c = 0; c < k; c++) {
                    v[c] = c % 3 == 0 ? 0 : Math.exp(4 * r.nextGaussian());
                }
            }
            case 3 -> {
                for (int c = 0; c < k; c++) {
                    v[c] = c == 0 ? 1 : r.nextBoolean() ? 1e-44 : 1e-30;
                }
            }
            default -> {
                for (int c = 0; c < k; c++) {
                    v[c] = Math.exp(2 * r.nextGaussian());
                }
            }
        }
        double sum = Arrays.stream(v).sum();
        if (sum == 0) {
            v[0] = sum = 1;
        }
        // Sums at the edges of the tolerance the model checked, and exact ones.
        double target = kind == 4 ? 1 + (r.nextBoolean() ? 0.9 : -0.9) * Checks.ROW_SUM_TOLERANCE : 1;
        for (int c = 0; c < k; c++) {
            p[at + c] = (float) (v[c] / sum * target);
        }
    }

    @Test
    void approximationsAreWithinTheBound() {
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 1; k <= EntropyScreenSimd.LANES; k++) {
            int n = 3000;
            float[] p = new float[n * k];
            for (int i = 0; i < n; i++) {
                row(p, i * k, k, i % 6, r);
            }
            double bound = EntropyScreenSimd.bound(k);
            int[] spread = new int[n / 5]; // rows 5 apart: a span more than twice a block, row by row
            Arrays.setAll(spread, j -> 5 * j);
            int[] close = new int[n / 2]; // every other row: through a span
            Arrays.setAll(close, j -> 2 * j + 1);
            for (int[] ids : new int[][] {null, close, spread}) {
                int m = ids == null ? n : ids.length;
                double[] approximate = new double[m];
                EntropyScreenSimd.entropy(p, 0, ids, k, 0, m, approximate);
                double[] scratch = new double[k];
                for (int i = 0; i < m; i++) {
                    int at = (ids == null ? i : ids[i]) * k;
                    UncertaintyScores.loadNormalised(p, at, k, scratch, 0);
                    double exact = UncertaintyScores.rowEntropy(scratch, 0, k);
                    assertTrue(Math.abs(approximate[i] - exact) <= bound,
                            "k = " + k + ", row " + i + ": " + approximate[i] + " vs " + exact + ", bound " + bound);
                }
            }
        }
    }

    @Test
    void selectionThroughTheScreenEqualsTheExactTopB() {
        SplittableRandom r = new SplittableRandom(4);
        int k = 10;
        for (int n : new int[] {1, 3, 700, 5000}) {
            int tableRows = 2 * n + 40; // more than the candidates' largest id: every row is a checked row
            float[] p = new float[tableRows * k];
            for (int i = 0; i < tableRows; i++) {
                row(p, i * k, k, i % 6, r);
            }
            for (int i = 7; i < n; i += 7) { // duplicate rows: exact ties
                System.arraycopy(p, (i - 1) * k, p, i * k, k);
            }
            int[] candidates = new int[n];
            for (int j = 0, id = 0; j < n; id++) {
                if (id % 11 != 5) { // the labeled rows are not candidates: the table is read around them
                    candidates[j++] = id;
                }
            }
            int maxId = candidates[n - 1];
            float[] table = Arrays.copyOf(p, (maxId + 1) * k);
            float[] gathered = new float[n * k];
            for (int j = 0; j < n; j++) {
                System.arraycopy(table, candidates[j] * k, gathered, j * k, k);
            }
            double[] exact = UncertaintyScores.entropy(gathered, n, k);
            QueryOutputs.InPlaceRows rows = new QueryOutputs.InPlaceRows(new float[][] {table}, new int[] {0},
                    candidates, true, true);
            for (int budget : new int[] {1, n / 3 + 1, Math.max(1, n - 1)}) {
                Selection expected = TopK.selection(candidates, exact, budget, 0);
                Selection actual = UncertaintySampling.screenedEntropyInPlace(candidates, rows, k, budget, "test", 0);
                assertArrayEquals(expected.ids(), actual.ids(), "n = " + n + ", b = " + budget);
                assertArrayEquals(expected.scores().orElseThrow(), actual.scores().orElseThrow(), 0.0,
                        "n = " + n + ", b = " + budget);
            }
        }
    }
}
