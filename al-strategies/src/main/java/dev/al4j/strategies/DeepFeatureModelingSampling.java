package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates. Fitting, per
 * class with {@code L_k} labeled samples: O(L_k d min(L_k, d)) for the Gram or covariance matrix and
 * O(min(L_k, d)^3) for its eigen-decomposition (LAPACK through ND4J), in double precision. Scoring: two gemms per
 * class, O(N d r) with {@code r} the kept components, in the embeddings' precision; top-b O(N log b). Memory
 * O((N + L) d + K d r + d^2). Immutable and thread-safe.
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
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNotNull(ids, "ids");
        Checks.checkArgument(model.numClasses() == pool.numClasses(), "model has %d classes but the pool has %d",
                model.numClasses(), pool.numClasses());
        EmbeddingModel m = Capabilities.require(model, EmbeddingModel.class, this);
        if (ids.length == 0) {
            return new double[0];
        }
        LabeledAndCandidates data = LabeledAndCandidates.predict(pool, m, ids);
        return reconstructionErrors(data.embeddings, data.predictedClasses(), data.labeledEmbeddings, data.labels,
                pool.numClasses());
    }

    /**
     * Eq. 3 for every candidate, given features and classes directly.
     *
     * @param candidates {@code [n, d]} candidate features
     * @param predicted the predicted class of each candidate
     * @param labeled {@code [L, d]} labeled features
     * @param labels the label of each labeled row
     */
    double[] reconstructionErrors(INDArray candidates, int[] predicted, INDArray labeled, int[] labels, int k) {
        int n = predicted.length;
        double[] out = new double[n];
        int d = candidates.columns();
        int[][] candidatesByClass = LabeledAndCandidates.groupByClass(predicted, k);
        int[][] labeledByClass = LabeledAndCandidates.groupByClass(labels, k);
        INDArray pooledMean = labels.length == 0 ? Nd4j.zeros(DataType.DOUBLE, 1, d)
                : labeled.castTo(DataType.DOUBLE).mean(true, 0);
        for (int c = 0; c < k; c++) {
            int[] rows = candidatesByClass[c];
            if (rows.length == 0) {
                continue;
            }
            Subspace s = labeledByClass[c].length == 0 ? new Subspace(pooledMean, null)
                    : fit(Nd4j.pullRows(labeled, 1, labeledByClass[c]).castTo(DataType.DOUBLE));
            INDArray z = Nd4j.pullRows(candidates, 1, rows);
            INDArray centred = z.subRowVector(s.mean.castTo(z.dataType()));
            if (s.directions != null) {
                INDArray w = s.directions.castTo(z.dataType());
                // Residual after projecting on the kept directions: zc - (zc W) W^T, computed explicitly rather than
                // as |zc|^2 - |zc W|^2, which cancels badly for samples close to the subspace.
                centred.subi(Nd4j.gemm(Nd4j.gemm(centred, w, false, false), w, false, true));
            }
            double[] e = centred.norm2(1).toDoubleVector();
            for (int i = 0; i < rows.length; i++) {
                out[rows[i]] = e[i];
            }
        }
        return out;
    }

    /** A class model: mean {@code [1, d]} and orthonormal directions {@code [d, r]} (null when {@code r = 0}). */
    record Subspace(INDArray mean, INDArray directions) {
        int dimension() {
            return directions == null ? 0 : directions.columns();
        }
    }

    /** Fits the PCA of {@code x} ({@code [m, d]}, double, {@code m >= 1}) with this strategy's component rule. */
    Subspace fit(INDArray x) {
        int m = x.rows();
        int d = x.columns();
        INDArray mean = x.mean(true, 0);
        if (m == 1) {
            return new Subspace(mean, null);
        }
        INDArray xc = x.subRowVector(mean);
        boolean gram = m <= d;
        // Eigen-decomposition of the smaller of the Gram (m x m) and scatter (d x d) matrices; they share their
        // non-zero eigenvalues, and a Gram eigenvector u maps to the principal direction xc^T u / sqrt(lambda).
        INDArray sym = (gram ? Nd4j.gemm(xc, xc, false, true) : Nd4j.gemm(xc, xc, true, false)).dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(sym, true); // ascending; vectors now in sym's columns
        double[] lambda = values.toDoubleVector();
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
        if (r == 0) {
            return new Subspace(mean, null);
        }
        // The r leading eigenvectors are sym's last r columns; their order does not matter to the projection W W^T.
        INDArray vectors = sym.get(NDArrayIndex.all(), NDArrayIndex.interval(size - r, size));
        INDArray directions;
        if (gram) {
            double[] inverseRoot = new double[r];
            for (int j = 0; j < r; j++) {
                inverseRoot[j] = 1.0 / Math.sqrt(lambda[size - r + j]);
            }
            directions = Nd4j.gemm(xc, vectors, true, false).mulRowVector(Nd4j.createFromArray(inverseRoot));
        } else {
            directions = vectors;
        }
        return new Subspace(mean, directions.dup('c'));
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
