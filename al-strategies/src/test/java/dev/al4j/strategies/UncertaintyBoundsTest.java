package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RowArrays;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.Simd;
import dev.al4j.strategies.internal.QueryOutputs.InPlaceRows;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link UncertaintyBounds}: each bound against the exact score computed in-test (plain double, {@link Math#log},
 * row by row) on random and adversarial rows, and the selections of entropy and BALD, which now rule rows out with
 * the bounds, against a full sort of the plain scores (ids, order, scores, bit for bit) where the bounds do rule out
 * most rows (b a small part of n), on inputs with ties, duplicate rows, one-hot rows, subnormal and zero
 * probabilities, {@code −0.0f}, K = 2, n below the thread count and b ≥ n; rows lent in place at an offset, and bad
 * rows lent in place rejected with the canonical message.
 */
class UncertaintyBoundsTest {

    // --- plain definitions ----------------------------------------------------------------------------------------

    private static double[] normalised(float[] p, int at, int k) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += p[at + c];
        }
        double inv = 1.0 / sum;
        double[] v = new double[k];
        for (int c = 0; c < k; c++) {
            v[c] = p[at + c] * inv;
        }
        return v;
    }

    private static double entropy(double[] v) {
        double h = 0;
        for (double x : v) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return Math.max(0.0, h);
    }

    private static double bald(float[][] passes, int i, int k) {
        double[] mean = new double[k];
        double sum = 0;
        for (float[] pass : passes) {
            double[] v = normalised(pass, i * k, k);
            sum += entropy(v);
            for (int c = 0; c < k; c++) {
                mean[c] += v[c];
            }
        }
        for (int c = 0; c < k; c++) {
            mean[c] *= 1.0 / passes.length;
        }
        return Math.max(0.0, entropy(mean) - sum / passes.length);
    }

    // --- inputs ---------------------------------------------------------------------------------------------------

    /** softmax(σ·N(0, 1) + 3·[c = label]) as floats: the benchmarks' kind of rows, at sharpness σ. */
    private static void softmaxRow(double[] logits, float[] out, int at) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        for (int c = 0; c < logits.length; c++) {
            out[at + c] = (float) (Math.exp(logits[c] - max) / sum);
        }
    }

    /**
     * {@code t} passes of {@code n} rows: softmax rows with noisy logits per pass, and every 13th row adversarial
     * (uniform, one-hot with {@code −0.0f} zeros, tiny and subnormal entries, an exact duplicate of the row 13
     * before, the same in every pass, a two-way tie at the top).
     */
    private static float[][] passes(int n, int k, int t, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[t][n * k];
        double[] z = new double[k];
        double[] zt = new double[k];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(k);
            double sharpness = 0.5 + 2 * random.nextDouble();
            for (int c = 0; c < k; c++) {
                z[c] = sharpness * random.nextGaussian() + (c == label ? 3 : 0);
            }
            int kind = i % 13;
            for (int pass = 0; pass < t; pass++) {
                float[] p = out[pass];
                int at = i * k;
                switch (kind) {
                    case 0 -> Arrays.fill(p, at, at + k, 1.0f / k);
                    case 1 -> {
                        Arrays.fill(p, at, at + k, -0.0f);
                        p[at + (i + pass) % k] = 1;
                    }
                    case 2 -> {
                        Arrays.fill(p, at, at + k, Float.MIN_VALUE); // subnormal
                        p[at] = 1e-30f;
                        p[at + k - 1] = 1;
                    }
                    case 3 -> {
                        if (i >= 13) {
                            System.arraycopy(p, at - 13 * k, p, at, k);
                        } else {
                            softmaxRow(z, p, at);
                        }
                    }
                    case 4 -> {
                        if (pass == 0) {
                            softmaxRow(z, p, at);
                        } else {
                            System.arraycopy(out[0], at, p, at, k);
                        }
                    }
                    case 5 -> {
                        Arrays.fill(p, at, at + k, 0.2f / Math.max(1, k - 2));
                        p[at] = k == 2 ? 0.5f : 0.4f;
                        p[at + k - 1] = k == 2 ? 0.5f : 0.4f;
                    }
                    default -> {
                        for (int c = 0; c < k; c++) {
                            zt[c] = z[c] + random.nextGaussian();
                        }
                        softmaxRow(zt, p, at);
                    }
                }
            }
        }
        return out;
    }

    /** Rows copied for one query, row i of pass t at [t][i·K]. */
    private static InPlaceRows copied(float[]... passes) {
        return new InPlaceRows(passes, new int[passes.length], null, false, false);
    }

    // --- the bounds -----------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void groupedBoundIsAtLeastTheEntropy(@ForAll @IntRange(min = 2, max = 40) int k, @ForAll long seed) {
        float[] p = passes(30, k, 1, seed)[0];
        double eps = UncertaintyBounds.rowSumError(k);
        for (int i = 0; i < 30; i++) {
            double[] v = normalised(p, i * k, k);
            // Every split of the row bounds its entropy, whatever its size a; the bound's a is the group's size.
            SplittableRandom random = new SplittableRandom(seed + i);
            boolean[] in = new boolean[k];
            int a = 0;
            double mass = 0;
            for (int c = 0; c < k; c++) {
                in[c] = random.nextBoolean();
                a += in[c] ? 1 : 0;
                mass += in[c] ? v[c] : 0;
            }
            if (a == 0 || a == k) {
                continue;
            }
            double h = entropy(v);
            assertTrue(UncertaintyBounds.groupedEntropyBound(mass, a, k, eps) >= h - 1e-12,
                    "row " + i + ", a = " + a + ": " + Arrays.toString(v));
        }
    }

    @Property(tries = 300)
    void everyMassAboveTheCutoffHasABoundBelowTheTarget(@ForAll @IntRange(min = 2, max = 30) int k,
            @ForAll @IntRange(min = 1, max = 29) int a, @ForAll @DoubleRange(min = 0.0, max = 3.5) double target,
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double where) {
        double eps = UncertaintyBounds.rowSumError(k);
        double cutoff = UncertaintyBounds.groupedEntropyCutoff(target, a, k, eps);
        if (a >= k) {
            assertEquals(Double.POSITIVE_INFINITY, cutoff);
            return;
        }
        if (cutoff == Double.POSITIVE_INFINITY) {
            // No cut-off only when even the largest mass's bound is above the target.
            assertTrue(UncertaintyBounds.groupedEntropyBound(1 + eps, a, k, eps) > target);
            return;
        }
        // F_a decreases from the cut-off to 1 + ε: every mass there is at most the target (rounding of F aside).
        double mass = cutoff + where * (1 + eps - cutoff);
        assertTrue(UncertaintyBounds.groupedEntropyBound(mass, a, k, eps) <= target + 1e-12,
                "a = " + a + ", K = " + k + ", cutoff " + cutoff + ", mass " + mass);
        // And the cut-off is tight to bisection precision: just below it the bound is above the target, unless the
        // cut-off is the start of the decreasing range.
        double below = Math.nextDown(Math.nextDown(cutoff));
        double lo = Math.max(a * (1 + eps) / k, 1 + eps - (k - a) / Math.E);
        assertTrue(below < lo || UncertaintyBounds.groupedEntropyBound(below, a, k, eps) > target - 1e-9);
    }

    @Test
    void klWeightsDecreaseAndCoverEveryRatioOfTheirPiece() {
        SplittableRandom random = new SplittableRandom(3);
        double previous = Double.POSITIVE_INFINITY;
        for (double delta = -1; delta < 100; delta += 0.001) {
            double h = UncertaintyBounds.klWeight(delta);
            assertTrue(h <= previous + 1e-15, "h decreases at " + delta);
            previous = h;
        }
        assertEquals(1.0, UncertaintyBounds.klWeight(-1), 0.0);
        assertEquals(0.5, UncertaintyBounds.klWeight(0), 0.0);
        assertEquals(2 * Math.log(2) - 1, UncertaintyBounds.klWeight(1), 1e-15);
        for (int i = 0; i < 200_000; i++) {
            // Ratios over many octaves, piece ends and their neighbours included.
            double rho = i % 4 == 0 ? Math.scalb(1.0 + (random.nextInt(8) / 8.0), random.nextInt(40) - 20)
                    : Math.scalb(random.nextDouble(), random.nextInt(60) - 30);
            if (i % 3 == 0) {
                rho = Math.nextDown(rho);
            }
            double delta = rho - 1;
            double phi = (1 + delta) * Math.log1p(delta) - delta; // (1 + δ)·log(1 + δ) − δ, 0·log 0 = 0
            if (rho == 0) {
                phi = 1;
            }
            assertTrue(UncertaintyBounds.weight(rho) * delta * delta >= phi - 1e-15 * (1 + Math.abs(phi)),
                    "rho " + rho);
        }
        assertEquals(1.0, UncertaintyBounds.weight(-0.0), 0.0);
    }

    @Property(tries = 150)
    void baldBoundIsAtLeastTheExactBald(@ForAll @IntRange(min = 2, max = 12) int k,
            @ForAll @IntRange(min = 1, max = 25) int t, @ForAll long seed) {
        int n = 40;
        float[][] s = passes(n, k, t, seed);
        double[] bound = UncertaintyBounds.baldBounds(copied(s), n, k);
        double margin = UncertaintyBounds.baldBoundMargin(k, t);
        for (int i = 0; i < n; i++) {
            double exact = bald(s, i, k);
            assertTrue(bound[i] * (1 + 1e-12) + margin >= exact, "row " + i + ": bound " + bound[i] + " < " + exact);
        }
    }

    /**
     * The passes of {@code s} lent in place as a model lends them: each pass at its own offset in a longer array
     * (NaN before the rows, the rows ending the array, so the last rows' vectors take the scalar loop), read through
     * {@code ids}.
     */
    private static InPlaceRows lent(float[][] s, int[] ids, boolean checked) {
        int t = s.length;
        float[][] values = new float[t][];
        int[] offsets = new int[t];
        for (int pass = 0; pass < t; pass++) {
            offsets[pass] = 1 + pass % 5;
            values[pass] = new float[offsets[pass] + s[pass].length];
            Arrays.fill(values[pass], 0, offsets[pass], Float.NaN);
            System.arraycopy(s[pass], 0, values[pass], offsets[pass], s[pass].length);
        }
        return new InPlaceRows(values, offsets, ids, true, checked);
    }

    /** {@code count} row ids below {@code n}, unsorted and repeated, the last row first and last. */
    private static int[] shuffledIds(int n, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[count];
        for (int j = 0; j < count; j++) {
            ids[j] = random.nextInt(n);
        }
        ids[0] = n - 1;
        ids[count - 1] = n - 1;
        return ids;
    }

    @Property(tries = 150)
    void baldBoundOfLentRowsIsAtLeastTheExactBaldWithAndWithoutSimd(@ForAll @IntRange(min = 2, max = 40) int k,
            @ForAll @IntRange(min = 1, max = 25) int t, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll long seed) {
        // Checked rows (the SIMD first sweep: K past one vector, not a multiple of it; n below the thread count
        // included), ids unsorted and repeated, each pass at its own offset.
        float[][] s = passes(n, k, t, seed);
        int[] ids = shuffledIds(n, n + 5, seed);
        double margin = UncertaintyBounds.baldBoundMargin(k, t);
        double[] scalar = UncertaintyBounds.baldBounds(lent(s, ids, true), ids.length, k, false);
        double[] simd = UncertaintyBounds.baldBounds(lent(s, ids, true), ids.length, k, true);
        for (int j = 0; j < ids.length; j++) {
            double exact = bald(s, ids[j], k);
            assertTrue(scalar[j] * (1 + 1e-12) + margin >= exact, "row " + ids[j] + ": scalar " + scalar[j]);
            assertTrue(simd[j] * (1 + 1e-12) + margin >= exact, "row " + ids[j] + ": simd " + simd[j]);
            // Only the row sums' order differs: the bounds agree far inside the margins.
            assertEquals(scalar[j], simd[j], 1e-12 * (1 + scalar[j]), "row " + ids[j]);
        }
    }

    @Property(tries = 100)
    void uncheckedRowsGiveTheSameBitsWithAndWithoutSimd(@ForAll @IntRange(min = 2, max = 40) int k,
            @ForAll @IntRange(min = 1, max = 25) int t, @ForAll @IntRange(min = 1, max = 600) int n,
            @ForAll long seed) {
        // Unchecked rows take the scalar first sweep either way, and the SIMD second sweep does the scalar loop's
        // operations in its order: the same bits. A bad row stays NaN on both paths.
        float[][] s = passes(n, k, t, seed);
        int bad = (int) Math.floorMod(seed, (long) n);
        s[t - 1][bad * k] = -0.5f;
        int[] ids = shuffledIds(n, n + 3, seed);
        double[] scalar = UncertaintyBounds.baldBounds(lent(s, ids, false), ids.length, k, false);
        double[] simd = UncertaintyBounds.baldBounds(lent(s, ids, false), ids.length, k, true);
        for (int j = 0; j < ids.length; j++) {
            assertEquals(Double.doubleToRawLongBits(scalar[j]), Double.doubleToRawLongBits(simd[j]), "row " + ids[j]);
            assertEquals(ids[j] == bad, Double.isNaN(simd[j]), "row " + ids[j]);
        }
    }

    @Property(tries = 200)
    void simdWeightedSquaresAreTheScalarLoopsBits(@ForAll @IntRange(min = 1, max = 25) int t,
            @ForAll @IntRange(min = 0, max = 200) int size, @ForAll long seed) {
        // Random entries with zeros, −0.0, subnormals and means of 0; size not a multiple of the vector width.
        SplittableRandom random = new SplittableRandom(seed);
        int stride = size + random.nextInt(5);
        double[] values = new double[t * stride];
        double[] mean = new double[stride];
        double[] reciprocal = new double[stride];
        for (int j = 0; j < size; j++) {
            int kind = random.nextInt(6);
            for (int pass = 0; pass < t; pass++) {
                values[pass * stride + j] = switch (kind) {
                    case 0 -> 0.0;
                    case 1 -> pass % 2 == 0 ? -0.0 : Double.MIN_VALUE;
                    case 2 -> random.nextDouble() * 1e-300;
                    default -> random.nextDouble();
                };
                mean[j] += values[pass * stride + j] / t;
            }
            reciprocal[j] = mean[j] > 0 ? 1 / mean[j] : 0;
        }
        double[] expected = new double[stride];
        double[] actual = new double[stride];
        UncertaintyBounds.weightedSquares(values, stride, t, mean, reciprocal, 0, size, expected);
        BaldBoundSimd.weightedSquares(values, stride, t, mean, reciprocal, size, actual);
        for (int j = 0; j < size; j++) {
            assertEquals(Double.doubleToRawLongBits(expected[j]), Double.doubleToRawLongBits(actual[j]), "entry " + j);
        }
    }

    @Property(tries = 200)
    void simdNormalisedRowsAreTheKernelsRowsUpToTheRowSumsOrder(@ForAll @IntRange(min = 2, max = 40) int k,
            @ForAll @IntRange(min = 1, max = 80) int n, @ForAll long seed) {
        // One pass of a block through ids (unsorted, repeated, the last row's vectors past the end of the array):
        // each entry within γ(2K + 8) (relative) of the kernels' x·(1/sum), the mean the sum of what was stored.
        float[] p = passes(n, k, 1, seed)[0];
        int kk = k;
        int[] ids = shuffledIds(n, n, seed);
        double[] values = new double[3 + n * kk + 64];
        double[] mean = new double[n * kk + 64];
        BaldBoundSimd.normalise(p, 0, ids, kk, 0, n, values, 3, mean);
        double eta = UncertaintyScreens.gamma(2L * kk + 8);
        for (int r = 0; r < n; r++) {
            int at = ids[r] * kk;
            double inv = 1.0 / dev.al4j.strategies.internal.QueryOutputs.checkedRowSum(p, at, kk);
            for (int c = 0; c < kk; c++) {
                double v = p[at + c] * inv;
                assertEquals(v, values[3 + r * kk + c], eta * Math.abs(v), "row " + r + ", class " + c);
                assertEquals(values[3 + r * kk + c], mean[r * kk + c], 0.0, "row " + r + ", class " + c);
            }
        }
        for (int j = n * kk; j < mean.length; j++) {
            assertEquals(0.0, mean[j], 0.0, "past the block: zeros only");
        }
    }

    @Property(tries = 60)
    void baldKeptRowsHoldTheTopBudgetWithAndWithoutSimd(@ForAll @IntRange(min = 2, max = 20) int k,
            @ForAll @IntRange(min = 1, max = 2000) int n, @ForAll @IntRange(min = 1, max = 60) int budget,
            @ForAll @IntRange(min = 1, max = 20) int t, @ForAll long seed) {
        float[][] s = passes(n, k, t, seed);
        double[] exact = new double[n];
        for (int i = 0; i < n; i++) {
            exact[i] = bald(s, i, k);
        }
        double kth = TopK.kthLargest(exact, Math.min(budget, n));
        Runnable reject = () -> {
            throw new AssertionError("valid rows rejected");
        };
        for (boolean checked : new boolean[] {false, true}) {
            for (boolean simd : new boolean[] {false, true}) {
                int[] kept = UncertaintyBounds.baldCandidates(lent(s, null, checked), n, k, budget, reject, simd);
                assertKeepsTheTop(kept, exact, kth, budget, "simd " + simd + ", checked " + checked);
            }
        }
    }

    @Test
    void baldBoundsOfIdenticalPassesAreZero() {
        float[][] s = passes(50, 5, 1, 4);
        float[][] same = {s[0], s[0], s[0]};
        for (double b : UncertaintyBounds.baldBounds(copied(same), 50, 5)) {
            assertEquals(0.0, b, 1e-15);
        }
    }

    @Test
    void theBoundsRuleOutMostRowsWhenTheBudgetIsSmall() {
        // The benchmarks' kind of rows (K = 10, T = 20), b = 1 % of n: most rows must go, or the bounds do nothing.
        int n = 20_000;
        float[][] s = passes(n, 10, 20, 5);
        Runnable reject = () -> {
            throw new AssertionError("valid rows rejected");
        };
        int[] entropyKept = UncertaintyBounds.entropyCandidates(copied(s[0]), n, 10, 200, reject);
        // Rows vouched for (no checks, no sums; the mass from the raw floats): about as many rows.
        int[] checkedKept = UncertaintyBounds.entropyCandidates(
                new InPlaceRows(new float[][] {s[0]}, new int[1], null, true, true), n, 10, 200, reject);
        assertNotNull(checkedKept);
        assertTrue(checkedKept.length < entropyKept.length * 1.2 + 50, "checked pass keeps " + checkedKept.length);
        int[] baldKept = UncertaintyBounds.baldCandidates(copied(s), n, 10, 200, reject);
        assertNotNull(entropyKept);
        assertNotNull(baldKept);
        assertTrue(entropyKept.length < n / 4, "entropy keeps " + entropyKept.length);
        assertTrue(baldKept.length < n / 4, "BALD keeps " + baldKept.length);
        assertNull(UncertaintyBounds.entropyCandidates(copied(s[0]), n, 10, n, reject), "b >= n: nothing to rule out");
        assertNull(UncertaintyBounds.baldCandidates(copied(s), 5, 10, 7, reject), "b >= n: nothing to rule out");
    }

    // --- the SIMD pass and the scalar pass ------------------------------------------------------------------------

    @Test
    void theTestJvmRunsTheSimdKernels() {
        // Surefire adds --add-modules jdk.incubator.vector (the parent pom): the SIMD path is what these tests check.
        assertTrue(Simd.ENABLED, "the Vector API module is absent from the test JVM");
        assertTrue(GroupedMassSimd.fits(10), "vectors of " + GroupedMassSimd.LANES + " floats");
    }

    @Property(tries = 200)
    void simdGroupsMatchTheScalarPass(@ForAll @IntRange(min = 2, max = 16) int k,
            @ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        if (!GroupedMassSimd.fits(k)) {
            return;
        }
        // Exactly n·k floats, so the last rows' vectors would run past the end and take the scalar loop; ids
        // unsorted and repeated, the last row among them.
        float[] p = passes(n, k, 1, seed)[0];
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n + 7];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = random.nextInt(n);
        }
        ids[0] = n - 1;
        ids[ids.length - 1] = n - 1;
        float[] scalarMass = new float[ids.length];
        float[] simdMass = new float[ids.length];
        short[] scalarGroups = new short[ids.length];
        short[] simdGroups = new short[ids.length];
        UncertaintyBounds.checkedGroups(p, 0, ids, k, 0, ids.length, scalarMass, scalarGroups);
        GroupedMassSimd.checkedGroups(p, 0, ids, k, 0, ids.length, simdMass, simdGroups);
        for (int j = 0; j < ids.length; j++) {
            int at = ids[j] * k;
            double plain = 0;
            int above = 0;
            for (int c = 0; c < k; c++) {
                float x = p[at + c];
                if (x > 1.0f / k) {
                    plain += x;
                    above++;
                }
            }
            // The same group (−0.0f, rows of kind 1, is not in it), its mass summed in another order: both within
            // K·2⁻²⁴ of the plain sum.
            assertEquals(above, simdGroups[j], "row " + ids[j]);
            assertEquals(above, scalarGroups[j], "row " + ids[j]);
            assertEquals(plain, simdMass[j], plain * k * 0x1p-24, "row " + ids[j]);
            assertEquals(plain, scalarMass[j], plain * k * 0x1p-24, "row " + ids[j]);
        }
    }

    @Property(tries = 80)
    void keptRowsHoldTheTopBudgetWithAndWithoutSimd(@ForAll @IntRange(min = 2, max = 20) int k,
            @ForAll @IntRange(min = 1, max = 3000) int n, @ForAll @IntRange(min = 1, max = 60) int budget,
            @ForAll long seed) {
        // Rows vouched for, lent at an offset of 3 (NaN before them) and ending the array.
        float[] p = passes(n, k, 1, seed)[0];
        float[] lent = new float[3 + p.length];
        Arrays.fill(lent, 0, 3, Float.NaN);
        System.arraycopy(p, 0, lent, 3, p.length);
        double[] exact = UncertaintyScores.entropy(p, n, k);
        double kth = TopK.kthLargest(exact, Math.min(budget, n));
        Runnable reject = () -> {
            throw new AssertionError("valid rows rejected");
        };
        for (boolean simd : new boolean[] {false, true}) {
            int[] kept = UncertaintyBounds.entropyCandidates(
                    new InPlaceRows(new float[][] {lent}, new int[] {3}, null, true, true), n, k, budget, reject,
                    simd);
            assertKeepsTheTop(kept, exact, kth, budget, "simd " + simd);
        }
    }

    /**
     * The rows a bound kept ({@code null}: none ruled out; always {@code null} when {@code budget >= n}) are
     * ascending and hold every row whose exact score reaches {@code kth}, the {@code budget}-th largest.
     */
    private static void assertKeepsTheTop(int[] kept, double[] exact, double kth, int budget, String label) {
        int n = exact.length;
        if (budget >= n) {
            assertNull(kept, label);
            return;
        }
        if (kept == null) {
            return;
        }
        boolean[] in = new boolean[n];
        for (int j = 0; j < kept.length; j++) {
            assertTrue(j == 0 || kept[j] > kept[j - 1], "ascending (" + label + ")");
            in[kept[j]] = true;
        }
        for (int i = 0; i < n; i++) {
            assertTrue(in[i] || exact[i] < kth, "row " + i + " of the top " + budget + " ruled out (" + label + ")");
        }
    }

    @Test
    void theProbeIsTheFlattestRowsWhateverTheSampleSees() {
        // flattest against a full sort of the keys (lowest positions among ties): many tied keys; n below and above
        // the sample's size; the flattest rows all off the sample's stride; the sampled rows the only flat ones (so
        // the guessed threshold lets too few rows through and is lowered).
        SplittableRandom random = new SplittableRandom(3);
        for (int layout = 0; layout < 4; layout++) {
            int n = layout == 0 ? 5000 : 100_000;
            int stride = Math.max(1, n / UncertaintyBounds.PROBE_SAMPLE);
            float[] mass = new float[n];
            short[] groups = new short[n];
            for (int i = 0; i < n; i++) {
                groups[i] = (short) (1 + random.nextInt(3));
                mass[i] = switch (layout) {
                    case 0, 1 -> i % 3 == 0 ? 0.5f : (float) random.nextDouble();
                    case 2 -> i % stride == stride / 2 && i < 3000 ? 0.01f : 0.99f;
                    default -> i % stride == 0 ? (float) i / n : 0.999f;
                };
            }
            for (int count : new int[] {1, 7, 100, 1700, n}) {
                int[] probe = UncertaintyBounds.flattest(mass, groups, 10, count, () -> {
                    throw new AssertionError("no NaN here");
                });
                Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -(groups[i] * 0.1 - mass[i]))
                        .thenComparingInt(i -> i));
                int[] expected = Arrays.stream(order, 0, count).mapToInt(Integer::intValue).sorted().toArray();
                assertArrayEquals(expected, probe, "layout " + layout + ", count " + count);
            }
            mass[n - 17] = Float.NaN; // off the sample's stride (n − 17 is not a multiple of 6)
            assertThrows(IllegalStateException.class, () -> UncertaintyBounds.flattest(mass, groups, 10, 5, () -> {
                throw new IllegalStateException("rejected");
            }));
        }
    }

    // --- selections -----------------------------------------------------------------------------------------------

    private static PrecomputedModel model(float[][] s, int n, int k) {
        int t = s.length;
        float[] all = new float[t * n * k];
        for (int pass = 0; pass < t; pass++) {
            System.arraycopy(s[pass], 0, all, pass * n * k, n * k);
        }
        return PrecomputedModel.builder(Nd4j.create(s[0].clone(), new long[] {n, k}, 'c'))
                .mcProbabilities(Nd4j.create(all, new long[] {t, n, k}, 'c')).build();
    }

    private static void assertSelectsLikeTheFullSort(QueryStrategy strategy, Pool pool, Model model, int budget,
            IntToDoubleFunction plain, String what) {
        int[] candidates = pool.candidates();
        double[] scores = IntStream.of(candidates).mapToDouble(plain).toArray();
        int[] order = IntStream.range(0, candidates.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -scores[j]).thenComparingInt(j -> candidates[j]))
                .limit(budget).mapToInt(Integer::intValue).toArray();
        Selection selection = strategy.select(pool, model, budget);
        String message = strategy + ", " + what + ", budget " + budget;
        assertArrayEquals(IntStream.of(order).map(j -> candidates[j]).toArray(), selection.ids(), message);
        assertArrayEquals(IntStream.of(order).mapToDouble(j -> scores[j]).toArray(),
                selection.scores().orElseThrow(), 0.0, message);
    }

    private static void assertBothSelectLikeTheFullSort(float[][] s, int n, int k, Pool pool, Model model,
            int budget, String what) {
        assertSelectsLikeTheFullSort(Strategies.entropy(), pool, model, budget,
                i -> entropy(normalised(s[0], i * k, k)), what);
        assertSelectsLikeTheFullSort(Strategies.bald(), pool, model, budget, i -> bald(s, i, k), what);
    }

    @Test
    void selectionsWithRowsRuledOutEqualTheFullSort() {
        SplittableRandom random = new SplittableRandom(6);
        for (int k : new int[] {2, 3, 10}) {
            for (int n : new int[] {1, 3, 600, 9_001}) {
                float[][] s = passes(n, k, 5, random.nextLong());
                PrecomputedModel model = model(s, n, k);
                Pool all = Pool.withoutInputs(n, k);
                int[] labeled = random.ints(n / 7, 0, n).distinct().toArray();
                Pool some = all.withLabels(labeled, IntStream.of(labeled).map(i -> i % k).toArray());
                for (Pool pool : new Pool[] {all, some}) {
                    for (int budget : new int[] {1, 5, 30, n / 3, n, n + 2}) {
                        if (budget >= 1) {
                            assertBothSelectLikeTheFullSort(s, n, k, pool, model, budget, "n = " + n + ", K = " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void manyTiesAtTheThresholdKeepTheLowestIds() {
        // 3 000 copies of one moderately flat row (equal scores, bit for bit) among random rows: the b-th score is
        // theirs, the bounds cannot rule them out, the lowest ids among them are picked.
        int n = 8_000;
        int k = 10;
        float[][] s = passes(n, k, 4, 8);
        for (float[] pass : s) {
            for (int i = 2_000; i < 5_000; i++) {
                System.arraycopy(s[0], 7 * k, pass, i * k, k); // row 7 (random, the same in every pass)
            }
        }
        for (int c = 0; c < k; c++) {
            s[1][7 * k + c] = s[0][7 * k + (c + 1) % k]; // row 7 itself disagrees across passes: BALD > 0
        }
        PrecomputedModel model = model(s, n, k);
        Pool pool = Pool.withoutInputs(n, k);
        for (int budget : new int[] {10, 100, 1_000, 4_000}) {
            assertBothSelectLikeTheFullSort(s, n, k, pool, model, budget, "ties");
        }
    }

    // --- rows lent in place -------------------------------------------------------------------------------------

    /**
     * A model that lends its rows ({@link RowArrays#sharedProbabilityRows}) from one array in which they start at an
     * offset (pass t of id i at {@code 5 + (t·N + i)·K}, NaN around them), without checking them.
     */
    private static final class LendingModel implements StochasticModel, RowArrays {
        private static final int PAD = 5;
        private final float[] values;
        private final int n;
        private final int k;
        private final int t;

        LendingModel(float[][] passes, int n, int k) {
            this.n = n;
            this.k = k;
            this.t = passes.length;
            this.values = new float[PAD + t * n * k + 3];
            Arrays.fill(values, Float.NaN); // the padding must never be read
            for (int pass = 0; pass < t; pass++) {
                System.arraycopy(passes[pass], 0, values, PAD + pass * n * k, n * k);
            }
        }

        @Override
        public int numClasses() {
            return k;
        }

        @Override
        public int defaultPasses() {
            return t;
        }

        @Override
        public float[] probabilityRows(Pool pool, int[] ids) {
            return stochasticProbabilityRows(pool, ids, 1, 0)[0];
        }

        @Override
        public float[][] stochasticProbabilityRows(Pool pool, int[] ids, int passes, long seed) {
            float[][] out = new float[passes][ids.length * k];
            for (int pass = 0; pass < passes; pass++) {
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(values, PAD + (pass * n + ids[i]) * k, out[pass], i * k, k);
                }
            }
            return out;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return Nd4j.create(probabilityRows(pool, ids), new long[] {ids.length, k}, 'c');
        }

        @Override
        public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
            float[][] rows = stochasticProbabilityRows(pool, ids, passes, seed);
            float[] all = new float[passes * ids.length * k];
            for (int pass = 0; pass < passes; pass++) {
                System.arraycopy(rows[pass], 0, all, pass * ids.length * k, ids.length * k);
            }
            return Nd4j.create(all, new long[] {passes, ids.length, k}, 'c');
        }

        @Override
        public Optional<SharedRows> sharedProbabilityRows(Pool pool, int[] ids) {
            return Optional.of(new SharedRows(values, new int[] {PAD}, false));
        }

        @Override
        public Optional<SharedRows> sharedStochasticRows(Pool pool, int[] ids, int passes, long seed) {
            return Optional.of(new SharedRows(values,
                    IntStream.range(0, passes).map(pass -> PAD + pass * n * k).toArray(), false));
        }
    }

    @Test
    void rowsLentAtAnOffsetSelectLikeTheFullSort() {
        int n = 3_000;
        int k = 7;
        float[][] s = passes(n, k, 6, 9);
        LendingModel lending = new LendingModel(s, n, k);
        Pool all = Pool.withoutInputs(n, k);
        Pool tail = all.withLabels(IntStream.range(0, 100).toArray(), new int[100]); // candidates 100..n-1: one run
        Pool holes = all.withLabels(new int[] {5, 700, 2_999}, new int[3]); // candidates in four runs
        for (Pool pool : new Pool[] {all, tail, holes}) {
            for (int budget : new int[] {1, 40, 500}) {
                assertBothSelectLikeTheFullSort(s, n, k, pool, lending, budget, "lent rows");
            }
        }
    }

    @Test
    void aLentTableTooShortForTheIdsIsRefused() {
        // A model that lends n − 1 rows per pass for a pool of n: the last id's row would run past the table (pass 0
        // for entropy, the last pass for BALD); every id below it is fine.
        int n = 400;
        int k = 4;
        for (int passes : new int[] {1, 3}) {
            float[][] s = passes(n - 1, k, passes, 11);
            LendingModel shortTable = new LendingModel(s, n - 1, k);
            Pool pool = Pool.withoutInputs(n, k);
            QueryStrategy strategy = passes == 1 ? Strategies.entropy() : Strategies.bald().withPasses(passes);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> strategy.select(pool, shortTable, 5));
            assertTrue(e.getMessage().contains("outside its"), e.getMessage());
            Pool withoutLast = pool.withLabels(new int[] {n - 1}, new int[1]);
            assertEquals(5, strategy.select(withoutLast, shortTable, 5).ids().length);
        }
    }

    @Test
    void badRowsLentInPlaceAreRejectedWithTheCanonicalMessage() {
        int n = 500;
        int k = 4;
        Pool pool = Pool.withoutInputs(n, k);
        for (float value : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.25f, 1.5f, 0.9f}) {
            for (int pass : new int[] {0, 2}) {
                float[][] s = passes(n, k, 3, 10);
                s[pass][321 * k + 2] = value;
                LendingModel lending = new LendingModel(s, n, k);
                Model plain = new StochasticModel() {
                    @Override
                    public int numClasses() {
                        return k;
                    }

                    @Override
                    public INDArray probabilities(Pool p, int[] ids) {
                        return lending.probabilities(p, ids);
                    }

                    @Override
                    public int defaultPasses() {
                        return 3;
                    }

                    @Override
                    public INDArray stochasticProbabilities(Pool p, int[] ids, int t, long seed) {
                        return lending.stochasticProbabilities(p, ids, t, seed);
                    }
                };
                for (QueryStrategy strategy : new QueryStrategy[] {Strategies.entropy(), Strategies.bald()}) {
                    if (pass > 0 && !(strategy instanceof BayesianUncertaintySampling)) {
                        continue;
                    }
                    String what = strategy + ", pass " + pass + ", value " + value;
                    IllegalArgumentException expected = assertThrows(IllegalArgumentException.class,
                            () -> strategy.select(pool, plain, 10), what);
                    IllegalArgumentException actual = assertThrows(IllegalArgumentException.class,
                            () -> strategy.select(pool, lending, 10), what);
                    assertEquals(expected.getMessage(), actual.getMessage(), what);
                }
            }
        }
    }
}
