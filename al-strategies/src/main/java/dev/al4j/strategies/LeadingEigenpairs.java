package dev.al4j.strategies;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The {@code q} largest eigenvalues of a symmetric matrix and their eigenvectors, without the others: the method of
 * LAPACK's {@code dsyevx} (Golub and Van Loan, "Matrix Computations", 4th ed., §8.3 and §8.4), written out in Java.
 *
 * <ol>
 *   <li>Householder reduction to a tridiagonal {@code T = Qᵀ A Q} (§8.3.1): {@code 4n³/3} flops, the only cubic
 *       step; a full eigen-decomposition (Commons Math's) adds the accumulation of {@code Q} and the implicit QL sweeps
 *       over all {@code n} vectors on top of it.</li>
 *   <li>The {@code q} largest eigenvalues of {@code T} by bisection on Sturm counts (§8.4.1): {@code O(n)} per step,
 *       to the last bits.</li>
 *   <li>Their eigenvectors of {@code T} by inverse iteration (§8.2.2, {@code O(n)} per solve), each vector of a
 *       cluster of close eigenvalues re-orthogonalised against the others of its cluster (as LAPACK's
 *       {@code dstein}), then {@code Q y}: {@code O(q n²)}.</li>
 *   <li>A check on {@code A} itself: every residual {@code ‖A v − θ v‖} (with {@code θ = vᵀ A v}) and every
 *       {@code |v_iᵀ v_j − δ_ij|} below {@link #TOLERANCE} times {@code ‖A‖_F}, respectively below {@code TOLERANCE};
 *       otherwise {@link #compute} returns empty and the caller falls back on a full solver.</li>
 * </ol>
 *
 * Why not subspace or Lanczos iteration: on the SCAL setting's class Gram matrices the 16th and 17th eigenvalues lie
 * within 0.3–3 % of each other, and a block Krylov space did not reach a residual of {@code 1e-12} before it spanned
 * nearly the whole space (measured with a numpy model of the iteration), so it would mostly have fallen back.
 *
 * <p>Cost {@code 4n³/3 + O(q n²)} flops, memory {@code O(n²)}. Stateless; thread-safe.
 */
final class LeadingEigenpairs {

    /** The check's bound: residuals below {@code TOLERANCE ‖A‖_F}, inner products of the vectors below it. */
    static final double TOLERANCE = 1e-10;

    /** Eigenvalues closer than this times {@code ‖T‖} form a cluster whose vectors are orthogonalised (LAPACK's). */
    private static final double CLUSTER = 1e-3;

    private final double[] values; // descending
    private final double[][] vectors; // vectors[i]: unit eigenvector of values[i]

    private LeadingEigenpairs(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** The eigenvalues, largest first (Rayleigh quotients of the returned vectors). */
    double[] values() {
        return values;
    }

    /** The unit eigenvector of {@code values()[i]}. */
    double[] vector(int i) {
        return vectors[i];
    }

    /**
     * The {@code q} largest eigenpairs of the symmetric {@code a} (only its lower triangle is read; {@code a} is not
     * changed), or empty when they fail the check of the class comment.
     *
     * @throws IllegalArgumentException unless {@code 1 <= q <= a.length}
     */
    static Optional<LeadingEigenpairs> compute(double[][] a, int q) {
        int n = a.length;
        if (!(q >= 1 && q <= n)) {
            throw new IllegalArgumentException("q must be in [1, " + n + "], found " + q);
        }
        double[][] h = new double[n][];
        for (int i = 0; i < n; i++) {
            h[i] = a[i].clone();
        }
        double[] diagonal = new double[n];
        double[] off = new double[n]; // off[i]: T[i][i + 1]
        double[][] householder = new double[n][];
        double[] beta = new double[n];
        tridiagonalise(h, diagonal, off, householder, beta);
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(diagonal[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0)
                    + (i < n - 1 ? Math.abs(off[i]) : 0));
        }
        if (norm == 0) { // the zero matrix: any orthonormal vectors; the check still runs
            double[][] unit = new double[q][n];
            for (int j = 0; j < q; j++) {
                unit[j][j] = 1;
            }
            return check(a, unit);
        }
        double[] lambda = bisectLargest(diagonal, off, q, norm);
        double[][] y = inverseIteration(diagonal, off, lambda, norm);
        double[][] v = new double[q][];
        for (int j = 0; j < q; j++) {
            v[j] = applyQ(householder, beta, y[j]);
        }
        return check(a, v);
    }

    /**
     * Householder tridiagonalisation of the symmetric {@code h} (lower triangle used and overwritten): reflector
     * {@code k} is {@code I − beta[k] u uᵀ} with {@code u = householder[k]} acting on rows {@code k+1 .. n-1}.
     */
    static void tridiagonalise(double[][] h, double[] diagonal, double[] off, double[][] householder,
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
            int i0 = 0;
            for (; i0 + 3 < m; i0 += 4) { // four rows per pass, added in order: the bits of one row per pass
                double[] r0 = h[k + 1 + i0], r1 = h[k + 2 + i0], r2 = h[k + 3 + i0], r3 = h[k + 4 + i0];
                double w0 = u[i0], w1 = u[i0 + 1], w2 = u[i0 + 2], w3 = u[i0 + 3];
                for (int j = 0, c = k + 1; j < m; j++, c++) {
                    p[j] = (((p[j] + w0 * r0[c]) + w1 * r1[c]) + w2 * r2[c]) + w3 * r3[c];
                }
            }
            for (; i0 < m; i0++) {
                double[] row = h[k + 1 + i0];
                double ui = u[i0];
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

    /** The number of eigenvalues of {@code T} below {@code x} (Sturm count via the LDLᵀ pivots). */
    private static int countBelow(double[] diagonal, double[] off, double x, double tiny) {
        int count = 0;
        double pivot = 1;
        for (int i = 0; i < diagonal.length; i++) {
            double e2 = i == 0 ? 0 : off[i - 1] * off[i - 1];
            pivot = diagonal[i] - x - (i == 0 ? 0 : e2 / pivot);
            if (Math.abs(pivot) < tiny) {
                pivot = -tiny; // LAPACK's dstebz guard against a zero pivot
            }
            if (pivot < 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * The {@code q} largest eigenvalues of {@code T}, largest first: {@code out[j] = bisect(diagonal, off, n − 1 − j,
     * norm)} bit for bit. The {@code q} bisections run in lockstep, one Sturm count per unfinished eigenvalue per step,
     * so that their pivot recurrences (each a chain of dependent divisions) overlap instead of waiting on one another;
     * each eigenvalue still takes exactly the midpoints and decisions of its own bisection ({@code
     * LeadingEigenpairsTest.lockstepBisectionEqualsOneAtATime}).
     */
    static double[] bisectLargest(double[] diagonal, double[] off, int q, double norm) {
        int n = diagonal.length;
        double tiny = Math.max(Double.MIN_NORMAL, 1e-300 * norm);
        double eps = Math.ulp(1.0);
        double[] lo = new double[q];
        double[] hi = new double[q];
        double[] x = new double[q];
        double[] pivot = new double[q];
        int[] count = new int[q];
        int[] active = new int[q]; // the unfinished eigenvalues' indices j, compacted
        int live = q;
        for (int j = 0; j < q; j++) {
            lo[j] = -norm - 1e-300;
            hi[j] = norm + 1e-300;
            active[j] = j;
        }
        double[] e2 = new double[n];
        for (int i = 1; i < n; i++) {
            e2[i] = off[i - 1] * off[i - 1];
        }
        while (live > 0) {
            // Finish what meets bisect's stopping rules; the rest get their midpoint.
            int kept = 0;
            for (int a = 0; a < live; a++) {
                int j = active[a];
                double l = lo[j];
                double h = hi[j];
                if (!(h - l > Math.max(2 * eps * Math.max(Math.abs(l), Math.abs(h)), 1e-3 * eps * norm))) {
                    continue;
                }
                double mid = 0.5 * (l + h);
                if (mid <= l || mid >= h) {
                    continue;
                }
                x[kept] = mid;
                active[kept++] = j;
            }
            live = kept;
            if (live == 0) {
                break;
            }
            // countBelow at every x[a], the recurrences interleaved (row 0: e2[0] = 0 over a pivot of 1 subtracts 0.0,
            // as countBelow's first step does).
            java.util.Arrays.fill(count, 0, live, 0);
            java.util.Arrays.fill(pivot, 0, live, 1.0);
            for (int i = 0; i < n; i++) {
                double di = diagonal[i];
                double ei = e2[i];
                for (int a = 0; a < live; a++) {
                    double p = di - x[a] - ei / pivot[a];
                    if (Math.abs(p) < tiny) {
                        p = -tiny;
                    }
                    pivot[a] = p;
                    count[a] += p < 0 ? 1 : 0;
                }
            }
            for (int a = 0; a < live; a++) {
                int j = active[a];
                if (count[a] <= n - 1 - j) {
                    lo[j] = x[a];
                } else {
                    hi[j] = x[a];
                }
            }
        }
        double[] out = new double[q];
        for (int j = 0; j < q; j++) {
            out[j] = 0.5 * (lo[j] + hi[j]);
        }
        return out;
    }

    /**
     * The {@code index}-th smallest eigenvalue of {@code T} (0-based) by bisection, to the last bits: the reference of
     * {@link #bisectLargest}, which runs several of these in lockstep.
     */
    static double bisect(double[] diagonal, double[] off, int index, double norm) {
        double tiny = Math.max(Double.MIN_NORMAL, 1e-300 * norm);
        double lo = -norm - 1e-300;
        double hi = norm + 1e-300;
        double eps = Math.ulp(1.0);
        // Absolute accuracy eps·‖T‖ is all any solver attains (the vectors' Rayleigh quotients replace these values).
        while (hi - lo > Math.max(2 * eps * Math.max(Math.abs(lo), Math.abs(hi)), 1e-3 * eps * norm)) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (countBelow(diagonal, off, mid, tiny) <= index) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * Unit eigenvectors of {@code T} for the given eigenvalues (descending): inverse iteration, three solves each from
     * a fixed pseudo-random start, vectors of a cluster orthogonalised against the earlier ones of their cluster after
     * every solve, coinciding eigenvalues separated by a few ulps of {@code ‖T‖} so that the solves stay defined.
     */
    private static double[][] inverseIteration(double[] diagonal, double[] off, double[] lambda, double norm) {
        int n = diagonal.length;
        int q = lambda.length;
        double[][] out = new double[q][];
        SplittableRandom random = new SplittableRandom(0x5EEDL);
        double eps = Math.ulp(1.0);
        double separation = 10 * eps * norm;
        double shiftPrevious = Double.NaN;
        int clusterStart = 0;
        for (int j = 0; j < q; j++) {
            double shift = lambda[j];
            if (j > 0 && Math.abs(lambda[j] - lambda[j - 1]) > CLUSTER * norm) {
                clusterStart = j;
            }
            if (j > 0 && shift >= shiftPrevious - separation) {
                shift = shiftPrevious - separation; // coinciding values: distinct shifts, as dstein does
            }
            shiftPrevious = shift;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextDouble() - 0.5;
            }
            normalise(x);
            for (int iteration = 0; iteration < 3; iteration++) {
                x = solveShifted(diagonal, off, shift, x, eps * norm);
                for (int c = clusterStart; c < j; c++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += x[i] * out[c][i];
                    }
                    for (int i = 0; i < n; i++) {
                        x[i] -= dot * out[c][i];
                    }
                }
                normalise(x);
            }
            out[j] = x;
        }
        return out;
    }

    /** Solves {@code (T − shift I) y = b} by Gaussian elimination with partial pivoting (tridiagonal, O(n)). */
    private static double[] solveShifted(double[] diagonal, double[] off, double shift, double[] b, double tiny) {
        int n = diagonal.length;
        // Row i of U: u0[i] (diagonal), u1[i], u2[i] (two above-diagonal entries after pivoting).
        double[] u0 = new double[n];
        double[] u1 = new double[n];
        double[] u2 = new double[n];
        double[] rhs = b.clone();
        double a0 = diagonal[0] - shift;
        double a1 = n > 1 ? off[0] : 0;
        double a2 = 0;
        for (int i = 0; i < n - 1; i++) {
            double below = off[i]; // T[i+1][i]
            double next0 = diagonal[i + 1] - shift;
            double next1 = i + 1 < n - 1 ? off[i + 1] : 0;
            if (Math.abs(a0) >= Math.abs(below)) {
                double m = a0 == 0 ? 0 : below / a0;
                u0[i] = a0;
                u1[i] = a1;
                u2[i] = a2;
                rhs[i + 1] -= m * rhs[i];
                a0 = next0 - m * a1;
                a1 = next1 - m * a2;
                a2 = 0;
            } else {
                double m = a0 / below;
                u0[i] = below;
                u1[i] = next0;
                u2[i] = next1;
                double t = rhs[i];
                rhs[i] = rhs[i + 1];
                rhs[i + 1] = t - m * rhs[i];
                double newA0 = a1 - m * next0;
                double newA1 = a2 - m * next1;
                a0 = newA0;
                a1 = newA1;
                a2 = 0;
            }
        }
        u0[n - 1] = a0;
        double[] y = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = rhs[i];
            if (i + 1 < n) {
                s -= u1[i] * y[i + 1];
            }
            if (i + 2 < n) {
                s -= u2[i] * y[i + 2];
            }
            double pivot = u0[i];
            if (Math.abs(pivot) < tiny) {
                pivot = pivot < 0 ? -tiny : tiny; // singular at the eigenvalue: a huge, still useful, solution
            }
            y[i] = s / pivot;
        }
        return y;
    }

    /** {@code Q y} with {@code Q = P_0 P_1 ... P_{n-3}}: the reflectors applied last to first. */
    private static double[] applyQ(double[][] householder, double[] beta, double[] y) {
        int n = y.length;
        double[] v = y.clone();
        for (int k = n - 3; k >= 0; k--) {
            double[] u = householder[k];
            if (beta[k] == 0) {
                continue;
            }
            double s = 0;
            for (int i = 0; i < u.length; i++) {
                s += u[i] * v[k + 1 + i];
            }
            s *= beta[k];
            for (int i = 0; i < u.length; i++) {
                v[k + 1 + i] -= s * u[i];
            }
        }
        return v;
    }

    /** The check of the class comment on {@code A} itself; the values become the Rayleigh quotients. */
    private static Optional<LeadingEigenpairs> check(double[][] a, double[][] v) {
        int n = a.length;
        int q = v.length;
        double frobenius = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = j <= i ? a[i][j] : a[j][i];
                frobenius += x * x;
            }
        }
        frobenius = Math.sqrt(frobenius);
        // The full symmetric matrix from the lower triangle, so that A·x is a sum of rows: (A x)_i adds s[j][i]·x[j]
        // for j = 0, 1, ..., the same products in the same order as a dot product over row i's lower part and
        // column i's upper part, in element-wise loops that HotSpot vectorises.
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                s[i][j] = a[i][j];
                s[j][i] = a[i][j];
            }
        }
        double[] values = new double[q];
        double[] av = new double[n];
        for (int c = 0; c < q; c++) {
            double[] x = v[c];
            if (!normalise(x)) {
                return Optional.empty();
            }
            times(s, x, av);
            double theta = 0;
            for (int i = 0; i < n; i++) {
                theta += x[i] * av[i];
            }
            double residual = 0;
            for (int i = 0; i < n; i++) {
                double r = av[i] - theta * x[i];
                residual += r * r;
            }
            if (!(Math.sqrt(residual) <= TOLERANCE * frobenius)) {
                return Optional.empty();
            }
            values[c] = theta;
            for (int o = 0; o < c; o++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += x[i] * v[o][i];
                }
                if (!(Math.abs(dot) <= TOLERANCE)) {
                    return Optional.empty();
                }
            }
        }
        for (int c = 1; c < q; c++) {
            if (!(values[c] <= values[c - 1] + TOLERANCE * frobenius)) {
                return Optional.empty(); // not descending: not the bisection's order
            }
        }
        return Optional.of(new LeadingEigenpairs(values, v));
    }

    /**
     * {@code out = s x} for the symmetric {@code s}, as a sum of rows: {@code out[i]} adds {@code s[j][i]·x[j]} for
     * {@code j = 0, 1, ...} ({@code LeadingEigenpairsTest.symmetricProductEqualsDotProducts}).
     */
    static void times(double[][] s, double[] x, double[] out) {
        int n = x.length;
        java.util.Arrays.fill(out, 0, n, 0.0);
        for (int j = 0; j < n; j++) {
            double xj = x[j];
            double[] row = s[j];
            for (int i = 0; i < n; i++) {
                out[i] += row[i] * xj;
            }
        }
    }

    /** Scales {@code x} to unit length; false when it is zero or not finite. */
    private static boolean normalise(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        double norm = Math.sqrt(s);
        if (!(norm > 0 && Double.isFinite(norm))) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
        }
        return true;
    }
}
