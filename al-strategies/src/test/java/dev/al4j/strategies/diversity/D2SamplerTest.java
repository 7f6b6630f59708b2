package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class D2SamplerTest {

    /**
     * Chi-square goodness of fit of drawn cell counts against exact probabilities: a cell of probability 0 must never
     * be drawn, cells with an expected count below 5 are pooled, and the statistic must stay below the 0.999 quantile
     * (the seeds of the callers are fixed, so the test is deterministic). Shared by the D² sampling tests of BADGE and
     * k-means.
     */
    static void assertFitsChiSquare(int[] observed, double[] probabilities, int trials, String what) {
        double statistic = chiSquare(observed, probabilities, trials, what);
        int cells = cells(probabilities, trials);
        assertTrue(cells > 20, what + ": too few cells: " + cells);
        double critical = new ChiSquaredDistribution(cells - 1).inverseCumulativeProbability(0.999);
        assertTrue(statistic < critical,
                what + ": chi-square " + statistic + " over " + cells + " cells, critical " + critical);
    }

    private static int cells(double[] probabilities, int trials) {
        int cells = 0;
        boolean pooled = false;
        for (double p : probabilities) {
            double e = trials * p;
            if (e >= 5) {
                cells++;
            } else if (e > 0) {
                pooled = true;
            }
        }
        return cells + (pooled ? 1 : 0);
    }

    private static double chiSquare(int[] observed, double[] probabilities, int trials, String what) {
        double statistic = 0;
        double pooledExpected = 0;
        double pooledObserved = 0;
        for (int c = 0; c < observed.length; c++) {
            double e = trials * probabilities[c];
            if (e == 0) {
                assertEquals(0, observed[c], what + ": impossible cell " + c + " drawn");
            } else if (e < 5) {
                pooledExpected += e;
                pooledObserved += observed[c];
            } else {
                statistic += (observed[c] - e) * (observed[c] - e) / e;
            }
        }
        if (pooledExpected > 0) {
            statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
        }
        return statistic;
    }

    /** Points on a line, D² the squared difference in double: the smallest metric for the sampler's own tests. */
    static final class LineMetric implements D2Sampler.Metric {
        final double[] x;
        final int[] centres;
        long pairs; // distances computed, single-row and full passes

        LineMetric(double[] x, int b) {
            this.x = x;
            this.centres = new int[b];
        }

        @Override
        public void addCentre(int j, int row) {
            centres[j] = row;
        }

        @Override
        public double nearest(int row, int from, int to) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = from; j < to; j++) {
                double v = x[row] - x[centres[j]];
                best = Math.min(best, v * v);
                pairs++;
            }
            return best;
        }

        @Override
        public void lowerAll(int from, int to, double[] bound, int[] stamp, boolean[] picked) {
            for (int j = from; j < to; j++) {
                for (int i = 0; i < x.length; i++) {
                    if (!picked[i] && stamp[i] <= j) {
                        double v = x[i] - x[centres[j]];
                        bound[i] = Math.min(bound[i], v * v);
                        pairs++;
                    }
                }
            }
        }
    }

    /** The squared distance between rows {@code i} and {@code j}, computed as the test's reference defines it. */
    interface SquaredDistance {
        double between(int i, int j);
    }

    /**
     * The textbook probability of drawing {@code picks[1..]} after {@code picks[0]} among {@code n} rows:
     * Π w·D²/Σ w·D² over the unpicked rows, D² the smallest squared distance to an earlier pick ({@code w == null}:
     * all 1); when every w·D² is 0, the lowest unpicked row with probability 1. One reference for D²
     * sampling, shared by the tests of D2Sampler, BADGE and k-means++.
     */
    static double textbookProbability(int n, double[] w, int[] picks, SquaredDistance distance) {
        boolean[] taken = new boolean[n];
        taken[picks[0]] = true;
        double probability = 1;
        for (int p = 1; p < picks.length; p++) {
            double[] mass = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    double d2 = Double.POSITIVE_INFINITY;
                    for (int q = 0; q < p; q++) {
                        d2 = Math.min(d2, distance.between(i, picks[q]));
                    }
                    mass[i] = (w == null ? 1 : w[i]) * d2;
                    total += mass[i];
                }
            }
            if (total > 0) {
                probability *= mass[picks[p]] / total;
            } else {
                int lowest = 0;
                while (taken[lowest]) {
                    lowest++;
                }
                probability *= picks[p] == lowest ? 1 : 0;
            }
            taken[picks[p]] = true;
        }
        return probability;
    }

    /** {@link #textbookProbability(int, double[], int[], SquaredDistance)} for points on a line. */
    static double textbookProbability(double[] x, double[] w, int[] picks) {
        return textbookProbability(x.length, w, picks, (i, j) -> (x[i] - x[j]) * (x[i] - x[j]));
    }

    @Test
    void drawsFollowTheTextbookDistributionWithWeightsAndDuplicates() {
        // Eight points, 0-2 identical (their bounds go stale at once and refresh to 0: rejections), a zero weight
        // (never drawn while other mass remains), the first centre fixed at row 7; cells are (second, third) picks.
        double[] x = {0, 0, 0, 1, 2.5, 4, 7, 11};
        double[] w = {1, 2, 1, 3, 0, 1, 2, 1};
        int n = x.length;
        int trials = 40_000;
        for (double[] weights : new double[][] {null, w}) {
            for (double share : new double[] {D2Sampler.FULL_REFRESH_SHARE, 0}) {
                int[] observed = new int[n * n];
                for (long seed = 0; seed < trials; seed++) {
                    int[] rows = D2Sampler.draw(n, weights, 7, 3, new LineMetric(x, 3), new SplittableRandom(seed),
                            share).rows();
                    observed[rows[1] * n + rows[2]]++;
                }
                double[] probabilities = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        probabilities[i * n + j] = i == 7 || j == 7 || i == j ? 0
                                : textbookProbability(x, weights, new int[] {7, i, j});
                    }
                }
                assertFitsChiSquare(observed, probabilities, trials,
                        "weighted " + (weights != null) + ", full refresh share " + share);
            }
        }
    }

    @Test
    void theChiSquareTestRejectsASamplerThatSkipsTheAcceptanceStep() {
        // Proposals accepted in proportion to the stale bounds (no refresh, no acceptance): the draws after the first
        // follow D² against the first centre only, which the test must tell from the textbook distribution.
        double[] x = {0, 0, 0, 1, 2.5, 4, 7, 11};
        int n = x.length;
        int trials = 40_000;
        int[] observed = new int[n * n];
        for (long seed = 0; seed < trials; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] mass = new double[n];
            for (int i = 0; i < n; i++) {
                mass[i] = (x[i] - x[7]) * (x[i] - x[7]);
            }
            boolean[] picked = new boolean[n];
            picked[7] = true;
            int second = D2Sampler.sample(mass, picked, random);
            mass[second] = 0;
            picked[second] = true;
            observed[second * n + D2Sampler.sample(mass, picked, random)]++;
        }
        double[] probabilities = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                probabilities[i * n + j] = i == 7 || j == 7 || i == j ? 0
                        : textbookProbability(x, null, new int[] {7, i, j});
            }
        }
        assertThrows(AssertionError.class, () -> assertFitsChiSquare(observed, probabilities, trials, "stale"));
    }

    @Test
    void allZeroMassTakesTheLowestUnpickedRowsAndEveryRowOnce() {
        // Five copies of one point: after the first centre every D² is 0, so rows come lowest first.
        double[] x = {3, 3, 3, 3, 3};
        int[] rows = D2Sampler.draw(5, null, 2, 5, new LineMetric(x, 5), new SplittableRandom(1), 0.25).rows();
        assertEquals("[2, 0, 1, 3, 4]", Arrays.toString(rows));
        // b = n on distinct points: every row exactly once, each with its D² when picked.
        double[] y = {0, 1, 3, 6, 10, 15};
        D2Sampler.Draws draws = D2Sampler.draw(6, null, 0, 6, new LineMetric(y, 6), new SplittableRandom(4), 0.25);
        assertEquals(6, Arrays.stream(draws.rows()).distinct().count());
        for (int p = 1; p < 6; p++) {
            double expected = Double.POSITIVE_INFINITY;
            for (int q = 0; q < p; q++) {
                double v = y[draws.rows()[p]] - y[draws.rows()[q]];
                expected = Math.min(expected, v * v);
            }
            assertEquals(expected, draws.squaredDistances()[p], 0.0, "pick " + p);
        }
    }

    @Test
    void aSeedFixesTheDraws() {
        // 50 clusters of 200 points on a line, b = 500: two runs with one seed draw the same rows.
        SplittableRandom r = new SplittableRandom(9);
        int n = 10_000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1000.0 * (i % 50) + r.nextDouble();
        }
        LineMetric one = new LineMetric(x, 500);
        LineMetric two = new LineMetric(x, 500);
        int[] a = D2Sampler.draw(n, null, 0, 500, one, new SplittableRandom(3), 0.25).rows();
        int[] b = D2Sampler.draw(n, null, 0, 500, two, new SplittableRandom(3), 0.25).rows();
        assertEquals(Arrays.toString(a), Arrays.toString(b));
        assertEquals(500, Arrays.stream(a).distinct().count());
    }

    @Test
    void uniformSampleEqualsTheSampleWithUnitWeights() {
        // n of 1, powers of two (where nextDouble()·n is closest to n) and others; the same stream, the same row.
        for (int n : new int[] {1, 2, 3, 7, 64, 1000, 1 << 20, 1_000_001}) {
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 1.0);
            for (long seed = 0; seed < 200; seed++) {
                SplittableRandom a = new SplittableRandom(seed);
                SplittableRandom b = new SplittableRandom(seed);
                assertEquals(D2Sampler.sample(ones, new boolean[n], a), D2Sampler.sampleUniform(n, b), "n " + n);
                assertEquals(a.nextLong(), b.nextLong(), "one nextDouble() each, n " + n);
            }
        }
    }
}
