package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link LeadingEigenpairs} against the full solver ({@code DeepFeatureModelingSampling.SymmetricEigen.commonsMath},
 * Commons Math): eigenvalues, eigenvectors up to sign where the eigenvalue is simple and well separated, and the
 * spanned subspace (its projector) where eigenvalues repeat or cluster.
 */
class LeadingEigenpairsTest {

    /** {@code x xᵀ} of the centred rows of {@code x}: a class's Gram matrix as DFM forms it. */
    static double[][] centredGram(double[][] x) {
        int m = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / m;
            }
        }
        double[][] g = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    s += (x[i][q] - mean[q]) * (x[j][q] - mean[q]);
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    /** A random orthogonal {@code [n, n]} matrix (rows), by Gram–Schmidt twice on Gaussian rows. */
    static double[][] orthogonal(int n, SplittableRandom r) {
        double[][] q = FeatureSimilaritySamplingTest.gaussian(n, n, r);
        for (int i = 0; i < n; i++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int o = 0; o < i; o++) {
                    double dot = FeatureSimilaritySamplingTest.dot(q[i], q[o]);
                    for (int j = 0; j < n; j++) {
                        q[i][j] -= dot * q[o][j];
                    }
                }
                double norm = Math.sqrt(FeatureSimilaritySamplingTest.dot(q[i], q[i]));
                for (int j = 0; j < n; j++) {
                    q[i][j] /= norm;
                }
            }
        }
        return q;
    }

    /** {@code Σ_i values[i] q_i q_iᵀ}: the symmetric matrix with these eigenvalues and eigenvectors. */
    static double[][] withSpectrum(double[] values, double[][] q) {
        int n = values.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += values[t] * q[t][i] * q[t][j];
                }
                a[i][j] = s;
            }
        }
        return a;
    }

    /** {@code ‖P − P'‖_F} of the projectors on the spans of two sets of orthonormal vectors of length n. */
    static double projectorDistance(double[][] u, double[][] v) {
        int n = u[0].length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = 0;
                for (double[] x : u) {
                    p += x[i] * x[j];
                }
                for (double[] x : v) {
                    p -= x[i] * x[j];
                }
                sum += p * p;
            }
        }
        return Math.sqrt(sum);
    }

    /** The full solver's {@code q} largest pairs: values descending, vectors[i] of values[i]. */
    static double[][] fullTop(double[][] a, int q, double[] valuesOut) {
        DeepFeatureModelingSampling.SymmetricEigen e = DeepFeatureModelingSampling.SymmetricEigen.commonsMath(a);
        int n = a.length;
        double[][] v = new double[q][];
        for (int i = 0; i < q; i++) {
            valuesOut[i] = e.ascendingValues()[n - 1 - i];
            v[i] = e.vector(n - 1 - i);
        }
        return v;
    }

    static double[][] leadingVectors(LeadingEigenpairs e, int q) {
        double[][] v = new double[q][];
        for (int i = 0; i < q; i++) {
            v[i] = e.vector(i);
        }
        return v;
    }

    /**
     * Class Gram matrices shaped like the SCAL setting's (100 rows of 512 Gaussian features: a clustered spectrum,
     * neighbouring eigenvalues 1–3 % apart) and with a decaying spectrum (features scaled by 1/(j+1)), q = 16: the
     * same eigenvalues, each vector the full solver's up to sign, and the same subspace.
     */
    @Test
    void agreesWithTheFullSolverOnGramMatrices() {
        SplittableRandom r = new SplittableRandom(71);
        for (boolean decaying : new boolean[] {false, true}) {
            double[][] x = FeatureSimilaritySamplingTest.gaussian(100, 512, r);
            if (decaying) {
                for (double[] row : x) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] /= j + 1;
                    }
                }
            }
            double[][] g = centredGram(x);
            int q = 16;
            LeadingEigenpairs e = LeadingEigenpairs.compute(g, q).orElseThrow();
            double[] expected = new double[q];
            double[][] full = fullTop(g, q, expected);
            double scale = expected[0];
            for (int i = 0; i < q; i++) {
                assertEquals(expected[i], e.values()[i], 1e-12 * scale, "eigenvalue " + i);
                double dot = Math.abs(FeatureSimilaritySamplingTest.dot(full[i], e.vector(i)));
                assertEquals(1.0, dot, 1e-8, "eigenvector " + i + " up to sign, decaying = " + decaying);
            }
            assertTrue(projectorDistance(full, leadingVectors(e, q)) < 1e-8);
        }
    }

    /**
     * Repeated eigenvalues: the vectors of a repeated value are any basis of its eigenspace, so the subspaces are
     * compared, for q cutting after a whole group; values exact to rounding; the vectors orthonormal.
     */
    @Test
    void repeatedEigenvaluesGiveTheSameSubspace() {
        SplittableRandom r = new SplittableRandom(73);
        int n = 40;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i < 3 ? 5 : i < 5 ? 3 : i < 9 ? 2 : 1.0 / (i + 1); // 5 ×3, 3 ×2, 2 ×4, then simple
        }
        double[][] basis = orthogonal(n, r);
        double[][] a = withSpectrum(values, basis);
        for (int q : new int[] {3, 5, 9}) {
            LeadingEigenpairs e = LeadingEigenpairs.compute(a, q).orElseThrow();
            double[] expected = new double[q];
            double[][] full = fullTop(a, q, expected);
            assertArrayEquals(expected, e.values(), 1e-12);
            assertArrayEquals(java.util.Arrays.copyOf(values, q), e.values(), 1e-12);
            double[][] mine = leadingVectors(e, q);
            assertTrue(projectorDistance(full, mine) < 1e-8, "q = " + q);
            assertTrue(projectorDistance(java.util.Arrays.copyOf(basis, q), mine) < 1e-8, "q = " + q);
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < q; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, FeatureSimilaritySamplingTest.dot(mine[i], mine[j]), 1e-10);
                }
            }
        }
    }

    /**
     * Degenerate matrices: the identity (one eigenvalue n times), zero, a rank-2 Gram (most eigenvalues 0, and the
     * kept ones beyond the rank are zeros), negative eigenvalues, sizes 1 to 3: residuals and orthonormality hold, and
     * the values equal the full solver's.
     */
    @Test
    void degenerateMatrices() {
        SplittableRandom r = new SplittableRandom(79);
        double[][] identity = new double[20][20];
        for (int i = 0; i < 20; i++) {
            identity[i][i] = 1;
        }
        double[][] rankTwo = centredGram(FeatureSimilaritySamplingTest.gaussian(30, 3, r)); // centred: rank 2
        double[][] indefinite = withSpectrum(new double[] {-4, 3, -2, 1, 0.5, -0.25, 0, 0.1}, orthogonal(8, r));
        double[][][] cases = {identity, new double[12][12], rankTwo, indefinite, {{2.5}}, {{1, 2}, {2, 1}},
            {{2, 1, 0}, {1, 2, 1}, {0, 1, 2}}};
        for (double[][] a : cases) {
            int n = a.length;
            for (int q = 1; q <= Math.min(n, 5); q++) {
                LeadingEigenpairs e = LeadingEigenpairs.compute(a, q).orElseThrow(() -> new AssertionError(
                        "no pairs for n = " + n));
                double[] expected = new double[q];
                fullTop(a, q, expected);
                assertArrayEquals(expected, e.values(), 1e-12, "n = " + n + ", q = " + q);
                double[][] v = leadingVectors(e, q);
                for (int i = 0; i < q; i++) {
                    double[] av = new double[n];
                    for (int s = 0; s < n; s++) {
                        av[s] = FeatureSimilaritySamplingTest.dot(a[s], v[i]);
                    }
                    for (int s = 0; s < n; s++) {
                        assertEquals(e.values()[i] * v[i][s], av[s], 1e-10, "residual, n = " + n);
                    }
                    for (int j = 0; j < q; j++) {
                        assertEquals(i == j ? 1.0 : 0.0, FeatureSimilaritySamplingTest.dot(v[i], v[j]), 1e-10);
                    }
                }
            }
        }
    }

    /** Random symmetric matrices, any q: the values are the full solver's and the pairs pass their own check. */
    @Property(tries = 60)
    void randomSymmetricMatrices(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 30) int q,
            @ForAll long seed) {
        int count = Math.min(n, q);
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = FeatureSimilaritySamplingTest.gaussian(n, n, r);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = x[i][j] + x[j][i];
            }
        }
        LeadingEigenpairs e = LeadingEigenpairs.compute(a, count).orElseThrow();
        double[] expected = new double[count];
        fullTop(a, count, expected);
        assertArrayEquals(expected, e.values(), 1e-10 * Math.max(1, Math.abs(expected[0])));
    }

    /**
     * The bisections run in lockstep give each eigenvalue the bits of its own bisection: random tridiagonals, zero
     * off-diagonal entries (split matrices, repeated eigenvalues), a constant diagonal, a zero matrix, n = 1, 2, 3.
     */
    @Test
    void lockstepBisectionEqualsOneAtATime() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 3, 7, 30, 100}) {
            for (int shape = 0; shape < 4; shape++) {
                double[] diagonal = new double[n];
                double[] off = new double[n];
                for (int i = 0; i < n; i++) {
                    diagonal[i] = shape == 2 ? 1.5 : shape == 3 ? 0 : r.nextGaussian() * 10;
                    off[i] = i == n - 1 || shape == 3 ? 0 : shape == 1 && i % 3 == 0 ? 0 : r.nextGaussian();
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm = Math.max(norm, Math.abs(diagonal[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0)
                            + (i < n - 1 ? Math.abs(off[i]) : 0));
                }
                norm = Math.max(norm, 1e-300);
                for (int q = 1; q <= n; q = q < 4 ? q + 1 : q * 3) {
                    double[] lockstep = LeadingEigenpairs.bisectLargest(diagonal, off, q, norm);
                    for (int j = 0; j < q; j++) {
                        assertEquals(LeadingEigenpairs.bisect(diagonal, off, n - 1 - j, norm), lockstep[j], 0.0,
                                "n = " + n + ", shape " + shape + ", q = " + q + ", j = " + j);
                    }
                }
            }
        }
    }

    /**
     * The Householder reduction with {@code H u} four rows per pass gives the bits of one row per pass: random
     * symmetric matrices, a Gram matrix of duplicate rows (rank-deficient, zero reflectors), n = 1..9 and 30.
     */
    @Test
    void tridiagonalisationEqualsRowByRow() {
        SplittableRandom r = new SplittableRandom(13);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 30}) {
            for (int shape = 0; shape < 2; shape++) {
                double[][] a = new double[n][n];
                if (shape == 0) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j <= i; j++) {
                            a[i][j] = r.nextGaussian();
                            a[j][i] = a[i][j];
                        }
                    }
                } else {
                    double[][] x = new double[n][5];
                    for (int i = 0; i < n; i++) {
                        for (int q = 0; q < 5; q++) {
                            x[i][q] = i % 2 == 1 ? x[i - 1][q] : r.nextGaussian();
                        }
                    }
                    a = centredGram(x);
                }
                double[][][] h = new double[2][n][];
                double[][] diagonal = new double[2][n];
                double[][] off = new double[2][n];
                double[][][] householder = new double[2][n][];
                double[][] beta = new double[2][n];
                for (int v = 0; v < 2; v++) {
                    for (int i = 0; i < n; i++) {
                        h[v][i] = a[i].clone();
                    }
                }
                LeadingEigenpairs.tridiagonalise(h[0], diagonal[0], off[0], householder[0], beta[0]);
                tridiagonaliseRowByRow(h[1], diagonal[1], off[1], householder[1], beta[1]);
                String at = "n = " + n + ", shape " + shape;
                assertArrayEquals(diagonal[1], diagonal[0], 0.0, at);
                assertArrayEquals(off[1], off[0], 0.0, at);
                assertArrayEquals(beta[1], beta[0], 0.0, at);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(householder[1][i], householder[0][i], 0.0, at);
                }
            }
        }
    }

    /** The reduction as it was: {@code p = b H u} one row per pass. */
    static void tridiagonaliseRowByRow(double[][] h, double[] diagonal, double[] off, double[][] householder,
            double[] beta) {
        int n = h.length;
        // Work on a full symmetric copy: the rank-2 updates below read whole rows.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                h[j][i] = h[i][j];
            }
        }
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int m = n - k - 1;
            double[] u = new double[m];
            double scale = 0;
            for (int i = 0; i < m; i++) {
                u[i] = h[k + 1 + i][k];
                scale = Math.max(scale, Math.abs(u[i]));
            }
            diagonal[k] = h[k][k];
            if (scale == 0) {
                off[k] = 0;
                householder[k] = u;
                beta[k] = 0;
                continue;
            }
            double sigma = 0;
            for (int i = 0; i < m; i++) {
                u[i] /= scale;
                sigma += u[i] * u[i];
            }
            double alpha = Math.sqrt(sigma);
            if (u[0] > 0) {
                alpha = -alpha; // u[0] - alpha without cancellation
            }
            double u0 = u[0];
            u[0] = u0 - alpha;
            double b = 1 / (sigma - u0 * alpha); // 2 / ‖u‖² with ‖u‖² = 2 (sigma − u0 alpha)
            householder[k] = u;
            beta[k] = b;
            off[k] = alpha * scale;
            // H' = P H P on the trailing block: p = b H u, w = p − (b pᵀu / 2) u, H' = H − u wᵀ − w uᵀ.
            // p = b H u as a sum of rows (H is symmetric): element-wise loops that HotSpot vectorises, where a
            // row-by-row dot product is a reduction it does not.
            java.util.Arrays.fill(p, 0, m, 0.0);
            for (int i = 0; i < m; i++) {
                double[] row = h[k + 1 + i];
                double ui = u[i];
                for (int j = 0; j < m; j++) {
                    p[j] += ui * row[k + 1 + j];
                }
            }
            double pu = 0;
            for (int i = 0; i < m; i++) {
                p[i] *= b;
                pu += p[i] * u[i];
            }
            double half = b * pu / 2;
            for (int i = 0; i < m; i++) {
                p[i] -= half * u[i];
            }
            for (int i = 0; i < m; i++) {
                double[] row = h[k + 1 + i];
                double ui = u[i];
                double pi = p[i];
                for (int j = 0; j < m; j++) {
                    row[k + 1 + j] -= ui * p[j] + pi * u[j];
                }
            }
        }
        if (n >= 2) {
            diagonal[n - 2] = h[n - 2][n - 2];
            off[n - 2] = h[n - 1][n - 2];
        }
        diagonal[n - 1] = h[n - 1][n - 1];
        for (int k = Math.max(0, n - 2); k < n; k++) {
            householder[k] = new double[0];
        }
    }


    /**
     * The check's {@code A v} as a sum of rows of the full symmetric matrix equals, bit for bit, the dot products it
     * replaced (row {@code i}'s lower part, then column {@code i}'s upper part, in order), n = 1..9 and 40.
     */
    @Test
    void symmetricProductEqualsDotProducts() {
        SplittableRandom r = new SplittableRandom(19);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 40}) {
            double[][] a = new double[n][n];
            double[][] full = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = r.nextGaussian();
                    full[i][j] = a[i][j];
                    full[j][i] = a[i][j];
                }
            }
            double[] x = r.doubles(n, -1, 1).toArray();
            double[] out = new double[n];
            LeadingEigenpairs.times(full, x, out);
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) {
                    s += a[i][j] * x[j];
                }
                for (int j = i + 1; j < n; j++) {
                    s += a[j][i] * x[j];
                }
                assertEquals(s, out[i], 0.0, "n = " + n + ", row " + i);
            }
        }
    }

    @Test
    void countOutOfRangeIsRejected() {
        double[][] a = {{1, 0}, {0, 2}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeadingEigenpairs.compute(a, 3));
        assertEquals("q must be in [1, 2], found 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LeadingEigenpairs.compute(a, 0));
    }

    /** The input is not changed (the reduction works on a copy). */
    @Test
    void inputIsNotChanged() {
        double[][] a = withSpectrum(new double[] {3, 2, 1, 0.5, 0.25}, orthogonal(5, new SplittableRandom(83)));
        double[][] copy = new double[5][];
        for (int i = 0; i < 5; i++) {
            copy[i] = a[i].clone();
        }
        LeadingEigenpairs.compute(a, 2).orElseThrow();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(copy[i], a[i], 0.0);
        }
    }
}
