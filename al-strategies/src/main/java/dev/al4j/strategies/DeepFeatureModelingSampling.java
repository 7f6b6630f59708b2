package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deep feature modeling (DFM) selection: Krishnan, Sinha, Ahuja, Subedar, Tickoo and Iyer, "Mitigating Sampling
 * Bias and Improving Robustness in Active Learning", 2021, eq. 3, which builds on the class-conditional PCA feature
 * model of Ahuja et al., "Probabilistic Modeling of Deep Features for Out-of-Distribution and Adversarial
 * Detection", 2019 (seed 000 in {@code shared/seeds/}, eq. 3).
 *
 * <p>A PCA is fitted on the penultimate features of the labeled samples of each class {@code k}. A candidate with
 * features {@code z} and predicted class {@code k = argmax p} scores its reconstruction error
 * {@code e(z) = || z - T_k^+ T_k z ||_2}, where {@code T_k} is class {@code k}'s PCA transform; the {@code b}
 * candidates the class models explain worst are picked, highest error first, ties toward the lower id.
 *
 * <p><b>Centring.</b> A PCA transform is affine: {@code T_k z = W_k^T (z - mu_k)} and
 * {@code T_k^+ y = W_k y + mu_k}, with {@code mu_k} the class mean and {@code W_k} the {@code [d, r_k]} orthonormal
 * principal directions. So al4j computes {@code e(z) = || (z - mu_k) - W_k W_k^T (z - mu_k) ||_2}, the distance
 * from {@code z} to the class's principal affine subspace; this is also what the DFM authors' reference code does
 * (a mean-centred PCA, forward then inverse transform).
 *
 * <p><b>Components.</b> {@link #withExplainedVariance(double)} (the default, 0.97 as in that reference code) keeps
 * the fewest leading components whose share of the class's total variance reaches {@code v};
 * {@link #withComponents(int)} keeps a fixed count. Either way a class keeps at most its numerical rank: at most
 * {@code min(L_k - 1, d)} components, ignoring directions whose variance is below {@code 1e-10} of the largest.
 *
 * <p><b>Classes with too few labeled samples.</b> One labeled sample gives a subspace of dimension 0 around that
 * sample, so {@code e(z)} is the distance to it. A class with no labeled sample has no model: its candidates score
 * their distance to the mean of all labeled features (a zero-component model of the pooled labeled set), or their
 * norm when nothing is labeled. Both stay in the same units as every other score, and are usually larger than a
 * fitted class's residual, so unexplored classes tend to be picked early.
 *
 * <p><b>Precision</b>: the features are read as float32 (a {@code DOUBLE} array is rounded to nearest, as
 * {@code castTo(DataType.FLOAT)} rounds it); the fit and the scores are computed in double, the scores as
 * {@code e² = ‖y‖² − ‖Wᵀ y‖²} with {@code y = z − mu_k} ({@code W} is orthonormal), or from the explicit residual
 * for a candidate within {@code 1e-6 ‖y‖²} of the subspace, where that difference would cancel. Equal candidate rows
 * get equal scores, whatever their position, chunk or thread.
 *
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates (a
 * {@code PrecomputedModel} hands its rows over as Java arrays, with no ND4J op), read in chunks of 8 192 candidates.
 * Fitting, per class with {@code L_k} labeled samples, in double precision, classes in parallel:
 * O(L_k d min(L_k, d)) for the Gram or scatter matrix and O(min(L_k, d)^3) for its eigen-decomposition: with
 * {@link #withComponents(int) r components} and {@code 4r <= min(L_k, d)} only the {@code r} leading eigenpairs
 * ({@code LeadingEigenpairs}: a Householder reduction, {@code 4n³/3} flops, then O(r n²)), otherwise the full one
 * (Commons Math up to 128 rows, LAPACK through ND4J above). Scoring, per chunk and predicted class: the projection on
 * the kept directions as a blocked matrix product in plain Java, in double (tiles of 128 candidates, column-major, that
 * HotSpot vectorises; on every processor once a chunk has more than 4 M multiply-adds),
 * O(N d r) with {@code r} the kept components; top-b O(N log b). Memory: O(L d + d min(L_k, d)) for the fit, one
 * chunk's features (16 MB at d = 512) and one 128-row double tile per thread, and O(N) for the scores, whatever N is.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy dfm = Strategies.deepFeatureModeling().withComponents(16);
 * Selection next = dfm.select(pool, model, 1000);
 * int[] ids = next.ids();
 * }</pre>
 */
public final class DeepFeatureModelingSampling implements QueryStrategy, AcquisitionFunction {

    /** The default share of variance the kept components explain. */
    public static final double DEFAULT_EXPLAINED_VARIANCE = 0.97;

    /** Variances below this fraction of a class's largest count as zero (numerical rank). */
    static final double RANK_TOLERANCE = 1e-10;

    private final int components; // > 0: fixed count; 0: by explained variance
    private final double explainedVariance; // used when components == 0

    private DeepFeatureModelingSampling(int components, double explainedVariance) {
        this.components = components;
        this.explainedVariance = explainedVariance;
    }

    /** The default: explained variance {@value #DEFAULT_EXPLAINED_VARIANCE}. */
    static DeepFeatureModelingSampling create() {
        return new DeepFeatureModelingSampling(0, DEFAULT_EXPLAINED_VARIANCE);
    }

    /**
     * Keeps {@code n} leading components per class (fewer when a class's labeled features span fewer).
     *
     * @throws IllegalArgumentException unless {@code n >= 1}
     */
    public DeepFeatureModelingSampling withComponents(int n) {
        Checks.checkPositive(n, "components");
        return new DeepFeatureModelingSampling(n, Double.NaN);
    }

    /**
     * Keeps, per class, the fewest leading components that explain at least {@code v} of its variance.
     *
     * @throws IllegalArgumentException unless {@code 0 < v <= 1}
     */
    public DeepFeatureModelingSampling withExplainedVariance(double v) {
        Checks.checkArgument(v > 0 && v <= 1, "explainedVariance must be in (0, 1], found %s", v);
        return new DeepFeatureModelingSampling(0, v);
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return TopK.of(this, toString()).select(pool, model, budget);
    }

    /** The reconstruction error of each id in the subspace of its predicted class (higher = worse explained). */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        EmbeddingModel m = QueryOutputs.beginScores(pool, model, ids, EmbeddingModel.class, this);
        if (ids.length == 0) {
            return new double[0];
        }
        FeatureRows rows = FeatureRows.labeled(pool, m);
        int threads = Runtime.getRuntime().availableProcessors();
        Scorer scorer = new Scorer(fitClasses(rows.labeled, rows.labels, pool.numClasses(), rows.dimension, threads),
                rows.dimension, threads);
        double[] out = new double[ids.length];
        rows.forEachChunk(pool, m, ids, (from, count, classes, x) -> scorer.score(x, classes, out, from));
        return out;
    }

    /**
     * Eq. 3 for every candidate, given features and classes directly.
     *
     * @param candidates row-major {@code [n, d]} candidate features
     * @param predicted the predicted class of each candidate
     * @param labeled row-major {@code [L, d]} labeled features
     * @param labels the label of each labeled row
     * @param threads the most threads to use
     */
    double[] reconstructionErrors(float[] candidates, int[] predicted, float[] labeled, int[] labels, int k, int d,
            int threads) {
        double[] out = new double[predicted.length];
        new Scorer(fitClasses(labeled, labels, k, d, threads), d, threads).score(candidates, predicted, out, 0);
        return out;
    }

    /**
     * A class model: mean {@code [d]} and {@code r} orthonormal directions, row-major {@code [r, d]}: the distance of
     * {@code z} to the affine subspace is {@code ‖(z − mean) − W Wᵀ (z − mean)‖}.
     */
    record Subspace(double[] mean, double[] directions, int dimension) {}

    /**
     * The model of every class: fitted on its labeled rows, or, for a class with none, the zero-dimensional model at
     * the mean of all labeled rows (the origin when nothing is labeled). Classes are fitted in parallel.
     */
    Subspace[] fitClasses(float[] labeled, int[] labels, int k, int d, int threads) {
        int[][] byClass = LabeledAndCandidates.groupByClass(labels, k);
        double[] pooledMean = mean(labeled, java.util.stream.IntStream.range(0, labels.length).toArray(), d);
        Subspace[] out = new Subspace[k];
        java.util.stream.IntStream classes = java.util.stream.IntStream.range(0, k);
        (threads > 1 ? classes.parallel() : classes).forEach(c -> out[c] = byClass[c].length == 0
                ? new Subspace(pooledMean, new double[0], 0) : fit(labeled, byClass[c], d));
        return out;
    }

    /** The mean of the given rows of a row-major {@code [*, d]} matrix (zeros for no rows). */
    private static double[] mean(float[] x, int[] rows, int d) {
        double[] mean = new double[d];
        for (int row : rows) {
            for (int q = 0, at = row * d; q < d; q++, at++) {
                mean[q] += x[at];
            }
        }
        for (int q = 0; q < d && rows.length > 0; q++) {
            mean[q] /= rows.length;
        }
        return mean;
    }

    /** Fits the PCA of the given rows ({@code m >= 1}) of a row-major {@code [*, d]} matrix with this strategy's rule. */
    Subspace fit(float[] x, int[] rows, int d) {
        int m = rows.length;
        double[] mean = mean(x, rows, d);
        if (m == 1) {
            return new Subspace(mean, new double[0], 0);
        }
        double[][] xc = new double[m][d];
        for (int i = 0; i < m; i++) {
            for (int q = 0, at = rows[i] * d; q < d; q++, at++) {
                xc[i][q] = x[at] - mean[q];
            }
        }
        boolean gram = m <= d;
        // Eigen-decomposition of the smaller of the Gram (m x m) and scatter (d x d) matrices; they share their
        // non-zero eigenvalues, and a Gram eigenvector u maps to the principal direction xc^T u / sqrt(lambda).
        double[][] matrix = gram ? gram(xc) : scatter(xc, d);
        // A fixed count needs only the leading eigenpairs (at most m - 1 of them are non-zero); the explained
        // variance needs every eigenvalue.
        SymmetricEigen eigen = components > 0
                ? SymmetricEigen.leading(matrix, Math.min(components, Math.min(m - 1, matrix.length)))
                : SymmetricEigen.of(matrix);
        double[] lambda = eigen.ascendingValues();
        int size = lambda.length;
        double largest = Math.max(0, lambda[size - 1]);
        double total = 0;
        for (double l : lambda) {
            total += Math.max(0, l);
        }
        int rank = 0;
        while (rank < size && rank < m - 1 && lambda[size - 1 - rank] > largest * RANK_TOLERANCE) {
            rank++;
        }
        int r = keptComponents(lambda, total, rank);
        double[] directions = new double[r * d];
        for (int j = 0; j < r; j++) {
            // The r leading eigenvectors, in any order: the projection W W^T does not depend on it.
            double[] v = eigen.vector(size - 1 - j);
            if (gram) {
                addScaledRows(directions, j * d, xc, v, 1.0 / Math.sqrt(lambda[size - 1 - j]));
            } else {
                System.arraycopy(v, 0, directions, j * d, d);
            }
        }
        return new Subspace(mean, directions, r);
    }

    /**
     * {@code out[at + q] += Σ_i (v[i]·scale)·xc[i][q]} for {@code q < d}, the rows added in order, four per pass inside
     * the loop body: the same operations in the same order as one row per pass, with a quarter of the loads and stores
     * of {@code out} ({@code DeepFeatureModelingSamplingTest.gramAndDirectionsEqualOneStepPerPass}).
     */
    static void addScaledRows(double[] out, int at, double[][] xc, double[] v, double scale) {
        int m = xc.length;
        int d = xc[0].length;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            double a0 = v[i] * scale, a1 = v[i + 1] * scale, a2 = v[i + 2] * scale, a3 = v[i + 3] * scale;
            double[] r0 = xc[i], r1 = xc[i + 1], r2 = xc[i + 2], r3 = xc[i + 3];
            for (int q = 0, o = at; q < d; q++, o++) {
                out[o] = (((out[o] + a0 * r0[q]) + a1 * r1[q]) + a2 * r2[q]) + a3 * r3[q];
            }
        }
        for (; i < m; i++) {
            double a = v[i] * scale;
            double[] row = xc[i];
            for (int q = 0, o = at; q < d; q++, o++) {
                out[o] += a * row[q];
            }
        }
    }

    /**
     * {@code xc xc^T}, {@code [m, m]}: row {@code i} as {@code Σ_q xc[i][q] · xcᵀ[q][0..i]}, element-wise loops over a
     * transposed copy that HotSpot vectorises (a row-by-row dot product is a reduction it does not), mirrored; four
     * features per pass, added one after the other in the loop body (the bits of one feature per pass, with a quarter
     * of the row's loads and stores: {@code DeepFeatureModelingSamplingTest.gramAndDirectionsEqualOneStepPerPass}).
     */
    static double[][] gram(double[][] xc) {
        int m = xc.length;
        int d = xc[0].length;
        double[][] t = new double[d][m];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < d; q++) {
                t[q][i] = xc[i][q];
            }
        }
        double[][] g = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] row = g[i];
            double[] x = xc[i];
            int q = 0;
            // Four features per pass, added one after the other inside the loop body: the same operations in the same
            // order as one feature per pass, with a quarter of the loads and stores of the row.
            for (; q + 3 < d; q += 4) {
                double a0 = x[q], a1 = x[q + 1], a2 = x[q + 2], a3 = x[q + 3];
                double[] c0 = t[q], c1 = t[q + 1], c2 = t[q + 2], c3 = t[q + 3];
                for (int j = 0; j <= i; j++) {
                    row[j] = (((row[j] + a0 * c0[j]) + a1 * c1[j]) + a2 * c2[j]) + a3 * c3[j];
                }
            }
            for (; q < d; q++) {
                double a = x[q];
                double[] col = t[q];
                for (int j = 0; j <= i; j++) {
                    row[j] += a * col[j];
                }
            }
            for (int j = 0; j < i; j++) {
                g[j][i] = row[j];
            }
        }
        return g;
    }

    /** {@code xc^T xc}, {@code [d, d]}, as a sum of outer products (rows of the result are updated whole). */
    private static double[][] scatter(double[][] xc, int d) {
        double[][] s = new double[d][d];
        for (double[] row : xc) {
            for (int a = 0; a < d; a++) {
                double v = row[a];
                double[] out = s[a];
                for (int b = 0; b < d; b++) {
                    out[b] += v * row[b];
                }
            }
        }
        return s;
    }

    /** Scores chunks of candidates against fitted class models. */
    private static final class Scorer {
        private final Subspace[] classes;
        private final int d;
        private final Scratch[] scratch;

        Scorer(Subspace[] classes, int d, int threads) {
            this.classes = classes;
            this.d = d;
            this.scratch = new Scratch[Math.max(1, threads)];
        }

        void score(float[] x, int[] predicted, double[] out, int offset) {
            List<ClassTiles.Unit> units = ClassTiles.units(predicted, classes.length, ClassTiles.DOUBLE_TILE);
            long products = 0;
            int widest = 0;
            for (ClassTiles.Unit u : units) {
                products += 2L * u.width() * d * Math.max(1, classes[u.cls()].dimension());
            }
            for (Subspace s : classes) {
                widest = Math.max(widest, s.dimension());
            }
            int q = widest;
            ClassTiles.run(units, products, scratch, g -> new Scratch(d, q), (u, s) -> {
                Subspace model = classes[u.cls()];
                int w = u.width();
                ClassTiles.gatherCentred(x, d, u, model.mean(), s.columns);
                ClassTiles.residualNorms(s.columns, w, model.directions(), model.dimension(), d, s.errors,
                        s.norms, s.projections);
                for (int r = 0; r < w; r++) {
                    out[offset + u.rows()[u.from() + r]] = s.errors[r];
                }
            });
        }
    }

    /** One worker's buffers: a centred double tile, the projections and two tile-wide rows. */
    private static final class Scratch {
        final double[][] columns;
        final double[][] projections;
        final double[] errors = new double[ClassTiles.DOUBLE_TILE];
        final double[] norms = new double[ClassTiles.DOUBLE_TILE];

        Scratch(int d, int q) {
            columns = new double[d][ClassTiles.DOUBLE_TILE];
            projections = new double[q][ClassTiles.DOUBLE_TILE];
        }
    }

    /**
     * The eigen-decomposition of a small symmetric matrix, eigenvalues ascending. Commons Math up to
     * {@value #JAVA_EIGEN_LIMIT} rows (a few ms at 100, no native call), LAPACK through ND4J above (Commons Math takes
     * about 0.5 s at 512 where LAPACK takes tens of ms); {@code DeepFeatureModelingSamplingTest} checks both against
     * each other.
     */
    static final class SymmetricEigen {
        static final int JAVA_EIGEN_LIMIT = 128;

        private final double[] values; // ascending
        private final double[][] vectors; // vectors[i]: unit eigenvector of values[i]

        private SymmetricEigen(double[] values, double[][] vectors) {
            this.values = values;
            this.vectors = vectors;
        }

        static SymmetricEigen of(double[][] sym) {
            return sym.length <= JAVA_EIGEN_LIMIT ? commonsMath(sym) : lapack(sym);
        }

        /**
         * The {@code q} largest eigenpairs only, ascending like the others ({@link LeadingEigenpairs}: about half of
         * Commons Math's CPU time at {@code n = 100, q = 16}, measured), or the full decomposition of {@link #of} when
         * {@code q} is more than a quarter of {@code n} or the leading pairs fail their check; a caller reads the top
         * {@code q} either way.
         */
        static SymmetricEigen leading(double[][] sym, int q) {
            int n = sym.length;
            if (q < 1 || 4 * q > n) {
                return of(sym);
            }
            return LeadingEigenpairs.compute(sym, q).map(top -> {
                double[] values = new double[q];
                double[][] vectors = new double[q][];
                for (int i = 0; i < q; i++) {
                    values[q - 1 - i] = top.values()[i];
                    vectors[q - 1 - i] = top.vector(i);
                }
                return new SymmetricEigen(values, vectors);
            }).orElseGet(() -> of(sym));
        }

        static SymmetricEigen commonsMath(double[][] sym) {
            int n = sym.length;
            EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(sym, false));
            double[] raw = e.getRealEigenvalues();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> raw[a] != raw[b] ? Double.compare(raw[a], raw[b])
                    : Integer.compare(a, b));
            double[] values = new double[n];
            double[][] vectors = new double[n][];
            for (int i = 0; i < n; i++) {
                values[i] = raw[order[i]];
                vectors[i] = e.getEigenvector(order[i]).toArray();
            }
            return new SymmetricEigen(values, vectors);
        }

        static SymmetricEigen lapack(double[][] sym) {
            int n = sym.length;
            INDArray a = Nd4j.create(sym).dup('f');
            double[] values = Eigen.symmetricGeneralizedEigenvalues(a, true).toDoubleVector(); // vectors: a's columns
            double[] flat = a.data().asDouble(); // column-major: column i is the eigenvector of values[i]
            double[][] vectors = new double[n][];
            for (int i = 0; i < n; i++) {
                vectors[i] = java.util.Arrays.copyOfRange(flat, i * n, (i + 1) * n);
            }
            return new SymmetricEigen(values, vectors);
        }

        double[] ascendingValues() {
            return values;
        }

        /** The unit eigenvector of the {@code i}-th smallest eigenvalue. */
        double[] vector(int i) {
            return vectors[i];
        }
    }

    /** The number of leading eigenvalues (given ascending) kept, at most {@code rank}. */
    int keptComponents(double[] ascending, double total, int rank) {
        if (components > 0) {
            return Math.min(components, rank);
        }
        int size = ascending.length;
        double explained = 0;
        int r = 0;
        while (r < rank && !(explained >= explainedVariance * total)) {
            explained += ascending[size - 1 - r];
            r++;
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeepFeatureModelingSampling s && components == s.components
                && Double.compare(explainedVariance, s.explainedVariance) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(components, explainedVariance);
    }

    @Override
    public String toString() {
        if (components > 0) {
            return "Strategies.deepFeatureModeling().withComponents(" + components + ")";
        }
        return explainedVariance == DEFAULT_EXPLAINED_VARIANCE ? "Strategies.deepFeatureModeling()"
                : "Strategies.deepFeatureModeling().withExplainedVariance(" + explainedVariance + ")";
    }
}
