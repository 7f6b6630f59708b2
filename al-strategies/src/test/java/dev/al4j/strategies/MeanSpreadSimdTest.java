package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.strategies.internal.Simd;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link MeanSpreadSimd} gives the bits of the scalar MeanSTD kernel (and of its variance form) for every row: random
 * and adversarial passes (one-hot rows that move between passes, identical passes, uniform rows, {@code −0.0f},
 * subnormal entries, duplicate rows), rows that are not probability rows (NaN, a negative entry, an entry above
 * {@code 1 + tol}, a sum off by more than the tolerance: NaN in both), K = 1–20, T = 1–25, n across the block of 256
 * rows and the vector width (below the thread count included).
 */
class MeanSpreadSimdTest {

    @Test
    void theTestJvmRunsTheSimdKernel() {
        assertTrue(Simd.ENABLED && MeanSpreadSimd.usable(), "the Vector API module is absent, or vectors are short");
    }

    static float[][] passes(int n, int k, int t, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[t][n * k];
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(12);
            int label = random.nextInt(k);
            for (int c = 0; c < k; c++) {
                z[c] = 2 * random.nextGaussian() + (c == label ? 3 : 0);
            }
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
                        Arrays.fill(p, at, at + k, Float.MIN_VALUE);
                        p[at + k - 1] = 1;
                    }
                    case 3 -> System.arraycopy(out[0], at, p, at, k); // identical passes (pass 0 from default)
                    case 4 -> { // bad in one pass: NaN, negative, above 1 + tol, or a sum off by 0.01
                        softmax(z, random, p, at, k);
                        if (pass == t / 2) {
                            p[at + random.nextInt(k)] = switch (random.nextInt(4)) {
                                case 0 -> Float.NaN;
                                case 1 -> -1e-3f;
                                case 2 -> 1.01f;
                                default -> p[at] + 0.01f;
                            };
                        }
                    }
                    case 5 -> {
                        if (i > 0) {
                            System.arraycopy(p, at - k, p, at, k); // a duplicate of the previous row
                        } else {
                            softmax(z, random, p, at, k);
                        }
                    }
                    default -> softmax(z, random, p, at, k);
                }
            }
        }
        return out;
    }

    private static void softmax(double[] z, SplittableRandom random, float[] p, int at, int k) {
        double max = Double.NEGATIVE_INFINITY;
        double[] e = new double[k];
        for (int c = 0; c < k; c++) {
            e[c] = z[c] + random.nextGaussian();
            max = Math.max(max, e[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            e[c] = Math.exp(e[c] - max);
            sum += e[c];
        }
        for (int c = 0; c < k; c++) {
            p[at + c] = (float) (e[c] / sum);
        }
    }

    @Property(tries = 150)
    void simdSpreadHasTheScalarBits(@ForAll @IntRange(min = 1, max = 20) int k,
            @ForAll @IntRange(min = 1, max = 25) int t, @ForAll @IntRange(min = 1, max = 700) int n,
            @ForAll long seed) {
        float[][] s = passes(n, k, t, seed);
        for (boolean standardDeviation : new boolean[] {true, false}) {
            double[] scalar = UncertaintyScores.meanSpread(s, n, k, standardDeviation, false);
            double[] simd = UncertaintyScores.meanSpread(s, n, k, standardDeviation, true);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(scalar[i]), Double.doubleToRawLongBits(simd[i]),
                        "row " + i + ": " + scalar[i] + " vs " + simd[i] + " (K " + k + ", T " + t + ")");
            }
        }
    }

    @Test
    void theSpreadIsTheNaiveMeanOfStandardDeviations() {
        // The SIMD path (the public kernel here) against the textbook definition on a hand-checkable case: two passes
        // of two classes, (0.2, 0.8) and (0.6, 0.4): each class's deviations are ±0.2, so MeanSTD = 0.2.
        float[][] s = {{0.2f, 0.8f}, {0.6f, 0.4f}};
        double[] score = UncertaintyScores.meanSpread(s, 1, 2, true, true);
        assertEquals(0.2, score[0], 1e-7);
        double[] variance = UncertaintyScores.meanSpread(s, 1, 2, false, true);
        assertEquals(0.04, variance[0], 1e-8);
    }
}
