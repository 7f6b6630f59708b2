package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Properties of the scores (bounds, invariance to class permutation, identities between them) and equality of the
 * optimised kernels with the textbook formulas of {@link NaiveScores}.
 */
class UncertaintyScoresPropertiesTest {

    /** Rounding allowance: the kernels work in double precision on float32 inputs. */
    private static final double TOL = 1e-12;

    @Property(tries = 300)
    void singleModelScoresAreBoundedAndMatchTheTextbook(@ForAll @IntRange(min = 1, max = 12) int k,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        float[] p = NaiveScores.randomRows(n, k, new SplittableRandom(seed));
        double[] entropy = UncertaintyScores.entropy(p, n, k);
        double[] margin = UncertaintyScores.margin(p, n, k);
        double[] lc = UncertaintyScores.leastConfidence(p, n, k);
        double[] vr = UncertaintyScores.variationRatio(p, n, k);
        for (int i = 0; i < n; i++) {
            double[] row = NaiveScores.normalised(p, i * k, k);
            assertEquals(NaiveScores.entropy(row), entropy[i], TOL);
            assertEquals(NaiveScores.margin(row), margin[i], TOL);
            assertEquals(NaiveScores.leastConfidence(row), lc[i], TOL);
            assertEquals(lc[i], vr[i], 0.0);
            assertInRange(entropy[i], 0, Math.log(k), "entropy");
            assertInRange(margin[i], 0, 1, "margin");
            assertInRange(lc[i], 0, 1 - 1.0 / k, "least confidence");
            assertTrue(lc[i] <= margin[i] + TOL, "1 − p1 <= 1 − p1 + p2");
            if (k == 2) {
                assertEquals(2 * lc[i], margin[i], TOL, "for two classes 1 − (p1 − p2) = 2 (1 − p1)");
            }
        }
    }

    @Property(tries = 200)
    void bayesianScoresAreBoundedAndMatchTheTextbook(@ForAll @IntRange(min = 1, max = 10) int k,
            @ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 12) int t,
            @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] passes = new float[t][];
        for (int j = 0; j < t; j++) {
            passes[j] = NaiveScores.randomRows(n, k, random);
        }
        double[] bald = UncertaintyScores.bald(passes, n, k);
        double[] meanStd = UncertaintyScores.meanStd(passes, n, k);
        double[] entropyMc = UncertaintyScores.entropyMc(passes, n, k);
        double[] marginMc = UncertaintyScores.marginMc(passes, n, k);
        double[] lcMc = UncertaintyScores.leastConfidenceMc(passes, n, k);
        double[] vrMc = UncertaintyScores.variationRatioMc(passes, n, k);
        double[] expected = UncertaintyScores.expectedEntropy(passes, n, k);
        for (int i = 0; i < n; i++) {
            double[][] rows = NaiveScores.rowsOf(passes, i, k);
            double[] mean = NaiveScores.mean(rows);
            assertEquals(Math.max(0, NaiveScores.bald(rows)), bald[i], TOL);
            assertEquals(NaiveScores.meanStd(rows), meanStd[i], 1e-7); // E[p²] − E[p]² loses digits near 0
            assertEquals(NaiveScores.entropy(mean), entropyMc[i], TOL);
            assertEquals(NaiveScores.margin(mean), marginMc[i], TOL);
            assertEquals(NaiveScores.leastConfidence(mean), lcMc[i], TOL);
            assertEquals(NaiveScores.variationRatio(rows), vrMc[i], 0.0);
            assertInRange(bald[i], 0, entropyMc[i] + TOL, "BALD within [0, H[mean]]");
            assertEquals(entropyMc[i] - expected[i], bald[i], TOL);
            assertInRange(meanStd[i], 0, 0.5, "MeanSTD");
            assertInRange(vrMc[i], 0, 1 - 1.0 / k, "variation ratio");
            assertInRange(entropyMc[i], 0, Math.log(k), "entropy of the mean");
        }
    }

    @Property(tries = 200)
    void committeeScoresAreBoundedAndMatchTheTextbook(@ForAll @IntRange(min = 1, max = 10) int k,
            @ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 2, max = 7) int c,
            @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] members = new float[c][];
        for (int j = 0; j < c; j++) {
            members[j] = NaiveScores.randomRows(n, k, random);
        }
        double[] vote = UncertaintyScores.voteEntropy(members, n, k);
        double[] consensus = UncertaintyScores.consensusEntropy(members, n, k);
        double[] kl = UncertaintyScores.maxDisagreement(members, n, k);
        double[] expected = UncertaintyScores.expectedEntropy(members, n, k);
        for (int i = 0; i < n; i++) {
            double[][] rows = NaiveScores.rowsOf(members, i, k);
            assertEquals(NaiveScores.voteEntropy(rows), vote[i], TOL);
            assertEquals(NaiveScores.entropy(NaiveScores.mean(rows)), consensus[i], TOL);
            assertEquals(NaiveScores.meanKlToConsensus(rows), kl[i], 1e-10);
            assertInRange(vote[i], 0, Math.log(Math.min(k, c)), "vote entropy");
            assertInRange(kl[i], 0, consensus[i] + TOL, "mean KL within [0, H[consensus]]");
            // (1/C) Σ_c KL(p_c ‖ p̄) = H[p̄] − (1/C) Σ_c H[p_c]: the committee form of BALD
            assertEquals(Math.max(0, consensus[i] - expected[i]), kl[i], 1e-10);
        }
    }

    @Property(tries = 200)
    void permutingClassesLeavesEveryScoreUnchanged(@ForAll @IntRange(min = 1, max = 10) int k,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll @IntRange(min = 2, max = 6) int t,
            @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] perm = NaiveScores.permutation(k, random);
        float[] p = NaiveScores.randomRows(n, k, random);
        float[] q = NaiveScores.permuteClasses(p, k, perm);
        assertArrayEquals(UncertaintyScores.entropy(p, n, k), UncertaintyScores.entropy(q, n, k), TOL);
        assertArrayEquals(UncertaintyScores.margin(p, n, k), UncertaintyScores.margin(q, n, k), TOL);
        assertArrayEquals(UncertaintyScores.leastConfidence(p, n, k), UncertaintyScores.leastConfidence(q, n, k),
                TOL);
        // Vote-based scores depend on argmax ties, so they get rows whose largest entry is unique.
        float[][] passes = new float[t][];
        float[][] permuted = new float[t][];
        for (int j = 0; j < t; j++) {
            passes[j] = NaiveScores.continuousRows(n, k, random);
            permuted[j] = NaiveScores.permuteClasses(passes[j], k, perm);
        }
        assertArrayEquals(UncertaintyScores.bald(passes, n, k), UncertaintyScores.bald(permuted, n, k), TOL);
        assertArrayEquals(UncertaintyScores.meanStd(passes, n, k), UncertaintyScores.meanStd(permuted, n, k), TOL);
        assertArrayEquals(UncertaintyScores.entropyMc(passes, n, k), UncertaintyScores.entropyMc(permuted, n, k),
                TOL);
        assertArrayEquals(UncertaintyScores.marginMc(passes, n, k), UncertaintyScores.marginMc(permuted, n, k), TOL);
        assertArrayEquals(UncertaintyScores.leastConfidenceMc(passes, n, k),
                UncertaintyScores.leastConfidenceMc(permuted, n, k), TOL);
        assertArrayEquals(UncertaintyScores.variationRatioMc(passes, n, k),
                UncertaintyScores.variationRatioMc(permuted, n, k), 0.0);
        assertArrayEquals(UncertaintyScores.voteEntropy(passes, n, k), UncertaintyScores.voteEntropy(permuted, n, k),
                TOL);
        assertArrayEquals(UncertaintyScores.maxDisagreement(passes, n, k),
                UncertaintyScores.maxDisagreement(permuted, n, k), TOL);
    }

    @Property(tries = 100)
    void identicalPassesCarryNoEpistemicUncertainty(@ForAll @IntRange(min = 1, max = 10) int k,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll @IntRange(min = 1, max = 8) int t,
            @ForAll long seed) {
        float[] p = NaiveScores.randomRows(n, k, new SplittableRandom(seed));
        float[][] passes = new float[t][];
        for (int j = 0; j < t; j++) {
            passes[j] = p;
        }
        double[] bald = UncertaintyScores.bald(passes, n, k);
        double[] meanStd = UncertaintyScores.meanStd(passes, n, k);
        double[] vr = UncertaintyScores.variationRatioMc(passes, n, k);
        double[] disagreement = UncertaintyScores.maxDisagreement(passes, n, k);
        assertArrayEquals(UncertaintyScores.entropy(p, n, k), UncertaintyScores.entropyMc(passes, n, k), TOL);
        assertArrayEquals(UncertaintyScores.margin(p, n, k), UncertaintyScores.marginMc(passes, n, k), TOL);
        for (int i = 0; i < n; i++) {
            assertEquals(0, bald[i], TOL);
            assertEquals(0, meanStd[i], 1e-7);
            assertEquals(0, vr[i], 0.0);
            assertEquals(0, disagreement[i], TOL);
        }
    }

    @Example
    void blockedKernelsMatchTheTextbookAcrossBlockBoundaries() {
        // 700 rows = two full blocks of 256 and a partial one: every block boundary is crossed.
        int n = 700;
        int k = 7;
        int t = 5;
        SplittableRandom random = new SplittableRandom(12);
        float[][] passes = new float[t][];
        for (int j = 0; j < t; j++) {
            passes[j] = NaiveScores.randomRows(n, k, random);
        }
        double[] bald = UncertaintyScores.bald(passes, n, k);
        double[] meanStd = UncertaintyScores.meanStd(passes, n, k);
        double[] kl = UncertaintyScores.maxDisagreement(passes, n, k);
        double[] entropyMc = UncertaintyScores.entropyMc(passes, n, k);
        for (int i = 0; i < n; i++) {
            double[][] rows = NaiveScores.rowsOf(passes, i, k);
            assertEquals(Math.max(0, NaiveScores.bald(rows)), bald[i], TOL, "row " + i);
            assertEquals(NaiveScores.meanStd(rows), meanStd[i], 1e-7, "row " + i);
            assertEquals(NaiveScores.meanKlToConsensus(rows), kl[i], 1e-10, "row " + i);
            assertEquals(NaiveScores.entropy(NaiveScores.mean(rows)), entropyMc[i], TOL, "row " + i);
        }
    }

    @Example
    void publicEntryPointsScoreLikeTheKernels() {
        int n = 300;
        int k = 4;
        int t = 3;
        SplittableRandom random = new SplittableRandom(5);
        float[] p = NaiveScores.randomRows(n, k, random);
        INDArray matrix = Nd4j.create(p, new long[] {n, k}, 'c');
        assertArrayEquals(UncertaintyScores.entropy(p, n, k), UncertaintyScores.entropy(matrix), 0.0);
        assertArrayEquals(UncertaintyScores.margin(p, n, k), UncertaintyScores.margin(matrix), 0.0);
        assertArrayEquals(UncertaintyScores.leastConfidence(p, n, k), UncertaintyScores.leastConfidence(matrix), 0.0);
        float[][] passes = new float[t][];
        float[] all = new float[t * n * k];
        List<INDArray> members = new ArrayList<>();
        for (int j = 0; j < t; j++) {
            passes[j] = NaiveScores.randomRows(n, k, random);
            System.arraycopy(passes[j], 0, all, j * n * k, n * k);
            members.add(Nd4j.create(passes[j], new long[] {n, k}, 'c'));
        }
        INDArray samples = Nd4j.create(all, new long[] {t, n, k}, 'c');
        assertArrayEquals(UncertaintyScores.bald(passes, n, k), UncertaintyScores.bald(samples), 0.0);
        assertArrayEquals(UncertaintyScores.meanStd(passes, n, k), UncertaintyScores.meanStd(samples), 0.0);
        assertArrayEquals(UncertaintyScores.variationRatioMc(passes, n, k),
                UncertaintyScores.variationRatioMc(samples), 0.0);
        assertArrayEquals(UncertaintyScores.voteEntropy(passes, n, k), UncertaintyScores.voteEntropy(members), 0.0);
        assertArrayEquals(UncertaintyScores.consensusEntropy(passes, n, k),
                UncertaintyScores.consensusEntropy(members), 0.0);
        assertArrayEquals(UncertaintyScores.maxDisagreement(passes, n, k),
                UncertaintyScores.maxDisagreement(members), 0.0);
    }

    private static void assertInRange(double value, double lo, double hi, String what) {
        assertTrue(value >= lo - TOL && value <= hi + TOL, what + " = " + value + " outside [" + lo + ", " + hi + "]");
    }
}
