package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link JointEntropy}, exact and sampled, against brute-force enumeration ({@link NaiveBatchBald#jointEntropy}).
 */
class JointEntropyTest {

    /** {@code p[i][j][y]}: n points, t passes, k classes; rows of softmax(scale · Gaussian). */
    private static double[][][] randomPoints(int n, int t, int k, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][][] p = new double[n][t][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double sum = 0;
                for (int y = 0; y < k; y++) {
                    p[i][j][y] = Math.exp(scale * dev.al4j.core.TestModels.gaussian(random));
                    sum += p[i][j][y];
                }
                for (int y = 0; y < k; y++) {
                    p[i][j][y] /= sum;
                }
            }
        }
        return p;
    }

    /** Point {@code i} as {@code [T, K]} row-major, the form {@link JointEntropy#add} takes. */
    private static double[] point(double[][][] p, int i) {
        int t = p[i].length;
        int k = p[i][0].length;
        double[] out = new double[t * k];
        for (int j = 0; j < t; j++) {
            System.arraycopy(p[i][j], 0, out, j * k, k);
        }
        return out;
    }

    /** All points as {@code [n·K, T]}, the form {@link JointEntropy#withCandidates} takes. */
    private static INDArray candidates(double[][][] p) {
        int n = p.length;
        int t = p[0].length;
        int k = p[0][0].length;
        double[] data = new double[n * k * t];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < k; y++) {
                for (int j = 0; j < t; j++) {
                    data[(i * k + y) * t + j] = p[i][j][y];
                }
            }
        }
        return Nd4j.create(data, new long[] {(long) n * k, t}, 'c');
    }

    /** Points {@code 0 .. size-1}. */
    private static int[] prefix(int size) {
        int[] set = new int[size];
        for (int i = 0; i < size; i++) {
            set[i] = i;
        }
        return set;
    }

    /** Points {@code 0 .. size-1} and {@code extra}. */
    private static int[] prefixWith(int size, int extra) {
        int[] set = new int[size + 1];
        for (int i = 0; i < size; i++) {
            set[i] = i;
        }
        set[size] = extra;
        return set;
    }

    @Test
    void exactJointEntropiesEqualEnumeration() {
        int n = 7;
        int t = 4;
        int k = 3;
        double[][][] p = randomPoints(n, t, k, 2.0, 1);
        INDArray all = candidates(p);
        JointEntropy joint = new JointEntropy(t, k, 10_000, 1_000, new SplittableRandom(1));
        for (int size = 0; size <= 3; size++) {
            // The set so far is points 0 .. size-1.
            assertTrue(joint.isExact());
            assertEquals((int) Math.pow(k, size), joint.configurations());
            assertEquals(NaiveBatchBald.jointEntropy(p, prefix(size)), joint.entropy(), 1e-12);
            double[] with = joint.withCandidates(all, n);
            for (int x = 0; x < n; x++) {
                assertEquals(NaiveBatchBald.jointEntropy(p, prefixWith(size, x)), with[x], 1e-12,
                        "set of " + size + " points with candidate " + x);
            }
            joint.add(point(p, size));
        }
    }

    @Test
    void sampledJointEntropiesAgreeWithEnumerationWithinMonteCarloError() {
        int n = 6;
        int t = 4;
        int k = 3;
        double[][][] p = randomPoints(n, t, k, 2.0, 2);
        INDArray all = candidates(p);
        // exactLimit 1: the first point already switches to 60 000 sampled configurations (15 000 per pass).
        JointEntropy joint = new JointEntropy(t, k, 1, 60_000, new SplittableRandom(3));
        for (int size = 1; size <= 3; size++) {
            joint.add(point(p, size - 1));
            assertFalse(joint.isExact());
            assertEquals(60_000, joint.configurations());
            int[] set = prefix(size);
            // Each sampled term −Σ_y p(y | ŷ) log p(ŷ, y) spreads over a few nats: the standard error of a mean of
            // 60 000 of them is about 0.005, so 0.03 is six standard errors.
            assertEquals(NaiveBatchBald.jointEntropy(p, set), joint.entropy(), 0.03, "H of " + size + " points");
            double[] with = joint.withCandidates(all, n);
            for (int x = 0; x < n; x++) {
                assertEquals(NaiveBatchBald.jointEntropy(p, prefixWith(size, x)), with[x], 0.03,
                        "set of " + size + " points with candidate " + x);
                // On the same samples the estimate of H(y_S, y_x) − H(y_S) is a mean of entropies p(y | ŷ): >= 0.
                assertTrue(with[x] >= joint.entropy() - 1e-9);
            }
        }
    }

    @Test
    void samplingIsSeeded() {
        double[][][] p = randomPoints(4, 3, 3, 2.0, 4);
        double[] a = sampledEntropies(p, 7);
        double[] b = sampledEntropies(p, 7);
        double[] c = sampledEntropies(p, 8);
        assertEquals(a[0], b[0], 0.0);
        assertEquals(a[1], b[1], 0.0);
        assertNotEquals(a[1], c[1], "another seed draws other configurations");
    }

    private static double[] sampledEntropies(double[][][] p, long seed) {
        JointEntropy joint = new JointEntropy(3, 3, 1, 300, new SplittableRandom(seed));
        joint.add(point(p, 0));
        joint.add(point(p, 1));
        return new double[] {joint.entropy(), joint.withCandidates(candidates(p), p.length)[2]};
    }

    @Test
    void longSampledProductsDoNotUnderflow() {
        // 300 peaked points over 10 classes: a configuration's probability under a pass is a product of 300
        // factors, far below Double.MIN_VALUE; the per-row rescaling keeps every estimate finite.
        int n = 301;
        int t = 6;
        int k = 10;
        double[][][] p = randomPoints(n, t, k, 6.0, 5);
        JointEntropy joint = new JointEntropy(t, k, 100, 600, new SplittableRandom(6));
        for (int i = 0; i < n - 1; i++) {
            joint.add(point(p, i));
        }
        double h = joint.entropy();
        assertTrue(Double.isFinite(h) && h > 0, "H = " + h);
        double last = joint.withCandidates(candidates(p), n)[n - 1];
        assertTrue(Double.isFinite(last) && last >= h - 1e-9, "H with the last point = " + last);
    }

    @Test
    void largeTablesAreProcessedInBlocksWithTheSameResult() {
        // 8 points over 3 classes: 3^8 = 6561 exact configurations; with 300 candidates the joint probabilities
        // hold 300·3·6561 = 5.9 M doubles, more than one block of 2^22, so candidates are split into two blocks.
        int n = 300;
        int t = 3;
        int k = 3;
        double[][][] p = randomPoints(n, t, k, 1.5, 7);
        JointEntropy joint = new JointEntropy(t, k, 10_000, 1_000, new SplittableRandom(8));
        for (int i = 0; i < 8; i++) {
            joint.add(point(p, i));
        }
        assertTrue(joint.isExact());
        assertEquals(6561, joint.configurations());
        assertTrue((long) n * k * joint.configurations() > JointEntropy.BLOCK_ELEMENTS);
        double[] with = joint.withCandidates(candidates(p), n);
        for (int x : new int[] {8, 100, 200, 201, 299}) {
            assertEquals(NaiveBatchBald.jointEntropy(p, prefixWith(8, x)), with[x], 1e-10, "candidate " + x);
        }
    }
}
