package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ClassTiles}' loop orders against the straightforward ones they replace, bit for bit: the blocked
 * {@code maxDots} (features outer, a block of labeled rows inner) against one labeled row at a time, the fused
 * {@code residualNorms} against the norm pass then one pass per direction, the unrolled gathers against indexing one
 * value at a time. Random and adversarial inputs: {@code d} not a multiple of 4, 8 or 16, tile widths not a multiple of
 * 8 or of a vector, block counts around {@link ClassTiles#DOT_BLOCK}, duplicate rows, repeated ids, ties, zeros.
 */
class ClassTilesTest {

    private static final int[] DIMENSIONS = {1, 3, 4, 5, 7, 13, 16, 17, 33};
    private static final int[] WIDTHS = {1, 7, 8, 9, 17, 100};
    private static final int[] LABELED = {1, 2, 31, 32, 33, 65};

    /** The kernel as it was before the blocks: one labeled row per pass over the tile, four features per step. */
    static void maxDotsOneRowAtATime(float[][] columns, int w, float[] u, int m, int d, float[] best) {
        float[] acc = new float[w];
        Arrays.fill(best, 0, w, Float.NEGATIVE_INFINITY);
        for (int j = 0, base = 0; j < m; j++, base += d) {
            Arrays.fill(acc, 0f);
            int k = 0;
            for (; k + 3 < d; k += 4) {
                for (int r = 0; r < w; r++) {
                    acc[r] += (columns[k][r] * u[base + k] + columns[k + 1][r] * u[base + k + 1])
                            + (columns[k + 2][r] * u[base + k + 2] + columns[k + 3][r] * u[base + k + 3]);
                }
            }
            for (; k < d; k++) {
                for (int r = 0; r < w; r++) {
                    acc[r] += columns[k][r] * u[base + k];
                }
            }
            for (int r = 0; r < w; r++) {
                best[r] = Math.max(best[r], acc[r]);
            }
        }
    }

    /** The residual norms as they were: the norm pass, one pass per direction, then the difference (or explicit). */
    static void residualNormsPassByPass(double[][] columns, int w, double[] directions, int q, int d, double[] out) {
        double[] norms = new double[w];
        for (int k = 0; k + 3 < d; k += 4) {
            for (int r = 0; r < w; r++) {
                norms[r] += (columns[k][r] * columns[k][r] + columns[k + 1][r] * columns[k + 1][r])
                        + (columns[k + 2][r] * columns[k + 2][r] + columns[k + 3][r] * columns[k + 3][r]);
            }
        }
        for (int k = d - d % 4; k < d; k++) {
            for (int r = 0; r < w; r++) {
                norms[r] += columns[k][r] * columns[k][r];
            }
        }
        double[][] p = new double[q][w];
        for (int j = 0; j < q; j++) {
            int base = j * d;
            for (int k = 0; k + 3 < d; k += 4) {
                for (int r = 0; r < w; r++) {
                    p[j][r] += (columns[k][r] * directions[base + k] + columns[k + 1][r] * directions[base + k + 1])
                            + (columns[k + 2][r] * directions[base + k + 2]
                                    + columns[k + 3][r] * directions[base + k + 3]);
                }
            }
            for (int k = d - d % 4; k < d; k++) {
                for (int r = 0; r < w; r++) {
                    p[j][r] += columns[k][r] * directions[base + k];
                }
            }
        }
        for (int r = 0; r < w; r++) {
            double e2 = norms[r];
            for (int j = 0; j < q; j++) {
                e2 -= p[j][r] * p[j][r];
            }
            if (e2 >= ClassTiles.CANCELLATION_LIMIT * norms[r]) {
                out[r] = Math.sqrt(e2);
            } else {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    double back = 0;
                    for (int j = 0; j < q; j++) {
                        back += p[j][r] * directions[j * d + k];
                    }
                    double v = columns[k][r] - back;
                    sum += v * v;
                }
                out[r] = Math.sqrt(sum);
            }
        }
    }

    /** Gaussian floats; with {@code adversarial}, duplicate rows, zero rows and a constant column mixed in. */
    static float[][] tile(int d, int w, SplittableRandom r, boolean adversarial) {
        float[][] columns = new float[d][w];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < w; i++) {
                columns[k][i] = (float) (r.nextGaussian() * (adversarial ? 1e3 : 1));
            }
        }
        if (adversarial) {
            for (int i = 1; i < w; i += 3) {
                for (int k = 0; k < d; k++) {
                    columns[k][i] = columns[k][i - 1]; // duplicate rows: equal best values
                }
            }
            for (int i = 2; i < w; i += 5) {
                for (int k = 0; k < d; k++) {
                    columns[k][i] = 0f;
                }
            }
            Arrays.fill(columns[0], 0.5f);
        }
        return columns;
    }

    static float[] rows(int m, int d, SplittableRandom r, boolean adversarial) {
        float[] u = new float[m * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) r.nextGaussian();
        }
        if (adversarial && m > 1) {
            System.arraycopy(u, 0, u, (m - 1) * d, d); // the first and last labeled rows tie for every candidate
        }
        return u;
    }

    @Test
    void maxDotsEqualOneRowAtATime() {
        SplittableRandom r = new SplittableRandom(2026);
        for (boolean adversarial : new boolean[] {false, true}) {
            for (int d : DIMENSIONS) {
                for (int w : WIDTHS) {
                    for (int m : LABELED) {
                        float[][] columns = tile(d, w, r, adversarial);
                        float[] u = rows(m, d, r, adversarial);
                        float[] expected = new float[w];
                        maxDotsOneRowAtATime(columns, w, u, m, d, expected);
                        float[] best = new float[w + 3];
                        float[][] accs = new float[ClassTiles.DOT_BLOCK][w + 3];
                        ClassTiles.maxDots(columns, w, u, m, d, best, accs);
                        assertArrayEquals(expected, Arrays.copyOf(best, w), 0f,
                                "d = " + d + ", w = " + w + ", m = " + m + ", adversarial = " + adversarial);
                    }
                }
            }
        }
    }

    /**
     * The SIMD twin ({@link MaxDotsSimd}) and the scalar kernel, bit for bit, against one labeled row at a time over a
     * range {@code [from, to)} of the labeled rows: tile widths around multiples of the SIMD step's rows (two vectors)
     * and labeled-row counts around multiples of its four, so that both kernels share a call; columns exactly
     * {@code w} long and columns with room past {@code w} that hold NaN, infinities and huge values there (the SIMD
     * kernel's last step then computes those lanes and must not store them).
     */
    @Test
    void maxDotsSimdEqualsScalarBitForBit() {
        SplittableRandom r = new SplittableRandom(2027);
        int step = dev.al4j.strategies.internal.Simd.ENABLED ? MaxDotsSimd.ROWS : 32;
        int[] widths = {1, step - 1, step, step + 1, 2 * step + 5, 4 * step};
        for (boolean adversarial : new boolean[] {false, true}) {
            for (int d : DIMENSIONS) {
                for (int w : widths) {
                    for (int m : new int[] {1, 3, 4, 5, 8, 11, 37}) {
                        float[][] columns = tile(d, w, r, adversarial);
                        float[] u = rows(m + 2, d, r, adversarial);
                        int from = m % 3; // a range that starts past the first labeled row
                        float[] expected = new float[w];
                        maxDotsOneRowAtATime(columns, w, Arrays.copyOfRange(u, from * d, (from + m) * d), m, d,
                                expected);
                        for (int variant = 0; variant < 3; variant++) {
                            boolean simd = variant > 0;
                            float[][] cols = variant == 2 ? withGarbagePast(columns, w, 2 * step, r) : columns;
                            float[] best = new float[w];
                            float[][] accs = new float[ClassTiles.DOT_BLOCK][cols[0].length];
                            ClassTiles.maxDots(cols, w, u, from, from + m, d, best, accs, simd);
                            for (int i = 0; i < w; i++) {
                                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(best[i]),
                                        "row " + i + ", d = " + d + ", w = " + w + ", m = " + m + ", variant = " + variant
                                                + ", adversarial = " + adversarial);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code columns} copied into columns {@code extra} longer, the rows past {@code w} NaN, infinite or huge. */
    private static float[][] withGarbagePast(float[][] columns, int w, int extra, SplittableRandom r) {
        float[] garbage = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -3e38f};
        float[][] out = new float[columns.length][w + extra];
        for (int k = 0; k < columns.length; k++) {
            System.arraycopy(columns[k], 0, out[k], 0, w);
            for (int i = w; i < w + extra; i++) {
                out[k][i] = garbage[r.nextInt(garbage.length)];
            }
        }
        return out;
    }

    @Test
    void residualNormsEqualPassByPass() {
        SplittableRandom r = new SplittableRandom(7);
        for (int d : DIMENSIONS) {
            for (int w : WIDTHS) {
                for (int q = 0; q <= Math.min(d, 17); q += Math.max(1, Math.min(d, 17) / 3)) {
                    double[][] columns = new double[d][w];
                    for (int k = 0; k < d; k++) {
                        for (int i = 0; i < w; i++) {
                            columns[k][i] = r.nextGaussian();
                        }
                    }
                    // Orthonormal directions: the first q unit vectors, rotated by one Householder reflection.
                    double[] v = new double[d];
                    double vv = 0;
                    for (int k = 0; k < d; k++) {
                        v[k] = r.nextGaussian();
                        vv += v[k] * v[k];
                    }
                    double[] directions = new double[q * d];
                    for (int j = 0; j < q; j++) {
                        for (int k = 0; k < d; k++) {
                            directions[j * d + k] = (j == k ? 1 : 0) - 2 * v[j] * v[k] / vv;
                        }
                    }
                    // Rows in the subspace (the explicit residual's branch) and duplicates.
                    for (int i = 0; i < w && q > 0; i += 4) {
                        for (int k = 0; k < d; k++) {
                            columns[k][i] = 3 * directions[k] + (q > 1 ? directions[d + k] : 0);
                        }
                    }
                    for (int i = 1; i < w; i += 4) {
                        for (int k = 0; k < d; k++) {
                            columns[k][i] = columns[k][i - 1];
                        }
                    }
                    double[] expected = new double[w];
                    residualNormsPassByPass(columns, w, directions, q, d, expected);
                    double[] out = new double[w];
                    double[][] projections = new double[Math.max(q, 1)][w];
                    ClassTiles.residualNorms(columns, w, directions, q, d, out, new double[w], projections);
                    assertArrayEquals(expected, out, 0.0, "d = " + d + ", w = " + w + ", q = " + q);
                }
            }
        }
    }

    @Test
    void gathersEqualIndexing() {
        SplittableRandom r = new SplittableRandom(11);
        for (int d : DIMENSIONS) {
            int n = 40;
            float[] x = new float[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            double[] mean = r.doubles(d).toArray();
            for (int width = 1; width <= 19; width++) {
                int[] at = r.ints(width + 5, 0, n).toArray(); // repeated ids allowed
                at[1] = at[0];
                ClassTiles.Unit unit = new ClassTiles.Unit(0, at, 2, 2 + width);
                float[][] columns = new float[d][width];
                double[][] centred = new double[d][width];
                ClassTiles.gather(x, d, unit, columns);
                ClassTiles.gatherCentred(x, d, unit, mean, centred);
                for (int i = 0; i < width; i++) {
                    for (int k = 0; k < d; k++) {
                        float v = x[at[2 + i] * d + k];
                        assertEquals(v, columns[k][i], 0f);
                        assertEquals(v - mean[k], centred[k][i], 0.0);
                    }
                }
            }
        }
    }
}
