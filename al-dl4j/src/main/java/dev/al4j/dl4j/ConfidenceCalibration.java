package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The calibrated training objectives of Ask-n-Learn (Venkatesh and Thiagarajan 2020, "Ask-n-Learn: Active Learning
 * via Reliable Gradient Representations for Image Classification", seed 002, eq. 1–3), for
 * {@link Dl4jLearner#withCalibration}: cross-entropy plus a pull towards the uniform prediction, weighted per sample
 * by how unreliable the network's predictions of it are.
 *
 * <ul>
 *   <li>{@link #varianceWeighted(int) Variance-weighted confidence calibration} (VWCC, seed 002 eq. 2, after Seo, Seo
 *       and Han 2019): every training step makes {@code T} stochastic (MC-dropout) predictions {@code p_i^t} of each
 *       sample and minimises
 *       <pre>  (1/M) Σ_i Σ_t [ −(1 − α_i) log p_i^t(y_i) + α_i KL(U ‖ p_i^t) ],
 *  α_i = 1 − (1/T) Σ_t BC(p̄_i, p_i^t),   BC(p, q) = Σ_k √(p_k q_k)   (Bhattacharyya coefficient)</pre>
 *       with {@code p̄_i} the mean of the {@code T} predictions: samples the network is unsure about are pushed
 *       towards the uniform prediction. The {@code T} predictions are the training pass itself: the body runs once,
 *       the classifier with its dropout on {@code T} copies of each embedding ({@link StochasticCopiesVertex}), and
 *       the gradient flows through all {@code T} of them. Needs an architecture with dropout (al4j's stochastic
 *       inferences are dropout on the embedding). Extra cost per step: the classifier on {@code T·b} rows,
 *       {@code O(T·b·d·K)}; the body's cost is unchanged.</li>
 *   <li>{@link #likelihoodWeighted(double) Likelihood-weighted confidence calibration} (LWCC, seed 002 eq. 3): one
 *       prediction {@code p_i} per sample and
 *       <pre>  Σ_i CE(y_i, p_i) + λ β_i KL(U ‖ p_i),   β_i = (1 − max_k p_ik)^{1[y_i = argmax_k p_ik]}</pre>
 *       so wrong predictions are smoothed with the full weight {@code λ}, right ones by how unsure they are. Works with
 *       any architecture; no extra cost beyond the loss ({@code O(b·K)}).</li>
 * </ul>
 *
 * <p>Both weights {@code α_i} and {@code β_i} are measured on the step's own predictions (the training pass, with the
 * architecture's dropout if it has any) and held constant in the gradient (see {@link ConfidenceCalibrationLoss},
 * which computes the losses). A model's {@link Dl4jModel#trainingLosses() training losses} are the objective's value
 * per sample (for VWCC the sum over the {@code T} predictions, so about {@code T} times a cross-entropy); validation
 * losses (early stopping) are scored in inference mode, one prediction per sample, where VWCC is plain cross-entropy.
 * Immutable and thread-safe; value equality and a {@code toString()} that echoes the factory call.
 *
 * <pre>{@code
 * Dl4jLearner vwcc = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3))
 *         .withCalibration(ConfidenceCalibration.varianceWeighted(5));
 * Dl4jLearner lwcc = vwcc.withCalibration(ConfidenceCalibration.likelihoodWeighted(1.0));
 * }</pre>
 */
public final class ConfidenceCalibration {

    /** LWCC's default regularisation weight λ: seed 002 gives no value for it, so al4j uses 1. */
    public static final double DEFAULT_LAMBDA = 1.0;

    private final boolean varianceWeighted;
    private final int passes; // T for VWCC, 1 for LWCC
    private final double lambda; // LWCC only

    private ConfidenceCalibration(boolean varianceWeighted, int passes, double lambda) {
        this.varianceWeighted = varianceWeighted;
        this.passes = passes;
        this.lambda = lambda;
    }

    /**
     * VWCC (seed 002, eq. 2) with {@code T} stochastic predictions per sample and training step (seed 002 does not
     * give {@code T}; Seo et al. use 5).
     *
     * @throws IllegalArgumentException unless {@code passes >= 2}
     */
    public static ConfidenceCalibration varianceWeighted(int passes) {
        Checks.checkArgument(passes >= 2, "passes must be >= 2 to measure a variance, found %d", passes);
        return new ConfidenceCalibration(true, passes, 0);
    }

    /**
     * LWCC (seed 002, eq. 3) with regularisation weight {@code λ}.
     *
     * @throws IllegalArgumentException unless {@code λ} is finite and {@code >= 0} (0 is plain cross-entropy)
     */
    public static ConfidenceCalibration likelihoodWeighted(double lambda) {
        Checks.checkArgument(lambda >= 0 && lambda < Double.POSITIVE_INFINITY,
                "lambda must be finite and >= 0, found %s", lambda);
        return new ConfidenceCalibration(false, 1, lambda);
    }

    /** LWCC with λ = {@value #DEFAULT_LAMBDA} (seed 002 gives no value). */
    public static ConfidenceCalibration likelihoodWeighted() {
        return likelihoodWeighted(DEFAULT_LAMBDA);
    }

    /** Whether this is VWCC (else LWCC). */
    public boolean isVarianceWeighted() {
        return varianceWeighted;
    }

    /** The stochastic predictions per sample and step: {@code T} for VWCC, 1 for LWCC. */
    public int passes() {
        return passes;
    }

    /** LWCC's λ; 0 for VWCC, whose weights need none. */
    public double lambda() {
        return lambda;
    }

    /** Whether the architecture needs dropout (VWCC's stochastic predictions are MC-dropout passes). */
    boolean needsDropout() {
        return varianceWeighted;
    }

    /** The loss of the classifier. */
    ConfidenceCalibrationLoss loss() {
        return varianceWeighted ? ConfidenceCalibrationLoss.varianceWeighted()
                : ConfidenceCalibrationLoss.likelihoodWeighted(lambda);
    }

    /**
     * The weights {@code α_i} of {@code [T, n, K]} stochastic predictions: {@code 1 −} the mean Bhattacharyya
     * coefficient between each prediction and the mean prediction, a value in {@code [0, 1]}; 0 when all passes
     * agree.
     *
     * @return {@code [n]}
     */
    static INDArray varianceWeights(INDArray mc) {
        Checks.checkArgument(mc.rank() == 3, "stochastic predictions must be [T, n, K], found rank %d", mc.rank());
        INDArray mean = mc.mean(0).reshape(1, mc.size(1), mc.size(2)).broadcast(mc.shape()); // p̄, [T, n, K]
        INDArray bc = Transforms.sqrt(mc.mul(mean), false).sum(2); // [T, n]
        INDArray alpha = bc.mean(0).rsubi(1.0);
        return Transforms.max(alpha, 0.0, false); // rounding can give −1e-8
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceCalibration c && c.varianceWeighted == varianceWeighted && c.passes == passes
                && c.lambda == lambda;
    }

    @Override
    public int hashCode() {
        return (varianceWeighted ? 31 : 0) + 17 * passes + Double.hashCode(lambda);
    }

    @Override
    public String toString() {
        return varianceWeighted ? "ConfidenceCalibration.varianceWeighted(" + passes + ")"
                : "ConfidenceCalibration.likelihoodWeighted(" + lambda + ")";
    }
}
