package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Expected gradient length, EGL (Settles, Craven and Ray, "Multiple-Instance Active Learning", NIPS 2008; Weng's
 * overview, seed 001, section "Measuring Training Effects"): the expected norm of the gradient of the loss that a
 * candidate's label would cause, the expectation taken over the model's own predictive distribution. al4j takes the
 * gradient of the softmax cross-entropy with respect to the last layer's weights {@code W} and bias, in closed form.
 *
 * <p>With penultimate features {@code h} and probabilities {@code p = softmax(W h + b)}, the gradient for label
 * {@code y} is {@code (p − e_y) ⊗ [h, 1]}, so {@code ‖∇_y‖ = ‖p − e_y‖ · √(‖h‖² + 1)} (the norm of an outer
 * product is the product of the norms) and
 *
 * <pre>
 * EGL(x) = Σ_y p_y ‖p − e_y‖ √(‖h‖² + 1),   ‖p − e_y‖² = ‖p‖² − 2 p_y + 1.
 * </pre>
 *
 * The query takes the {@code b} candidates of largest EGL (ties toward the lower id) through {@link dev.al4j.core.TopK};
 * {@link dev.al4j.core.Selection#scores()} holds their EGL. The {@code K·(d + 1)} gradient is never formed;
 * {@code ExpectedGradientLengthTest} checks the closed form against the materialised gradient.
 *
 * <p>Cost: one forward pass over the {@code N} candidates (read in chunks of 8 192 ids), then O(N·(d + K)) time,
 * O(N) memory beyond one chunk's outputs, and O(N + b log b) for the selection. Immutable and thread-safe (a single
 * stateless instance).
 *
 * <pre>{@code
 * QueryStrategy egl = Strategies.egl();
 * Selection next = egl.select(pool, model, 1000);   // model: an EmbeddingModel
 * double[] lengths = ExpectedGradientLength.INSTANCE.score(pool, model, pool.candidates());
 * }</pre>
 */
public enum ExpectedGradientLength implements AcquisitionFunction {

    /** The one instance. */
    INSTANCE;

    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        EmbeddingModel m = QueryOutputs.beginScores(pool, model, ids, EmbeddingModel.class, "Strategies.egl()");
        int k = pool.numClasses();
        int d = m.embeddingSize();
        double[] out = new double[ids.length];
        FeatureRows.forEachOutputChunk(pool, m, ids, d, (from, count, p, h) -> {
            double[] chunk = scores(p, h, count, k, d);
            System.arraycopy(chunk, 0, out, from, count);
        });
        return out;
    }

    /**
     * EGL of each row: {@code Σ_y p_y ‖p − e_y‖ √(‖h‖² + 1)} for {@code [n, K]} probabilities and {@code [n, d]}
     * penultimate features of the same samples.
     *
     * @throws IllegalArgumentException when the shapes disagree, a probability row is not a distribution or a feature
     *     is not finite
     */
    public static double[] scores(INDArray probabilities, INDArray embeddings) {
        Checks.checkNotNull(probabilities, "probabilities");
        Checks.checkNotNull(embeddings, "embeddings");
        Checks.checkProbabilities(probabilities, -1, -1, "probabilities");
        Checks.checkArgument(embeddings.rank() == 2 && embeddings.rows() == probabilities.rows(),
                "embeddings must have shape [%d, d] (one row per probability row), found %s", probabilities.rows(),
                Arrays.toString(embeddings.shape()));
        Checks.checkFinite(embeddings, "embeddings");
        int n = (int) probabilities.rows();
        return scores(QueryOutputs.toFloats(probabilities), QueryOutputs.toFloats(embeddings), n,
                (int) probabilities.columns(), (int) embeddings.columns());
    }

    /** The kernel of {@link #scores(INDArray, INDArray)} on the first {@code n} rows of row-major arrays. */
    static double[] scores(float[] p, float[] h, int n, int k, int d) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int at = i * k;
            double p2 = 0;
            for (int c = 0; c < k; c++) {
                double v = p[at + c];
                p2 += v * v;
            }
            double expected = 0;
            for (int y = 0; y < k; y++) {
                double py = p[at + y];
                // ‖p − e_y‖² = ‖p‖² − 2 p_y + 1, clamped at 0 against rounding (p = e_y exactly gives 0)
                expected += py * Math.sqrt(Math.max(0.0, p2 - 2 * py + 1));
            }
            double h2 = 0;
            for (int j = i * d, end = j + d; j < end; j++) {
                double v = h[j];
                h2 += v * v;
            }
            out[i] = expected * Math.sqrt(h2 + 1);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ExpectedGradientLength.INSTANCE";
    }
}
