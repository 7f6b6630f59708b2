package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The two confidence-calibration losses of Ask-n-Learn (Venkatesh and Thiagarajan 2020, seed 002), as a DL4J loss
 * for the softmax classifier; {@link ConfidenceCalibration} says which one a learner trains with. Both add a pull
 * towards the uniform distribution {@code U} over the {@code K} classes,
 * {@code KL(U ‖ p) = −log K − (1/K) Σ_k log p_k}, with a per-sample weight measured on the predictions:
 * <ul>
 *   <li><b>VWCC</b> (variance-weighted, seed 002 eq. 2, after Seo, Seo and Han 2019): the classifier sees
 *       {@code T} stochastic predictions {@code p_i^t} of every sample ({@code T·b} rows, pass-major: row
 *       {@code t·b + i}, made by {@link StochasticCopiesVertex}) and
 *       <pre>  ℓ_VWCC = (1/M) Σ_i Σ_t [ −(1 − α_i) log p_i^t(y_i) + α_i KL(U ‖ p_i^t) ]</pre>
 *       with {@code α_i = 1 − (1/T) Σ_t BC(p̄_i, p_i^t)} from the Bhattacharyya coefficients of those {@code T}
 *       predictions ({@link ConfidenceCalibration#varianceWeights}). With one prediction per sample (inference-mode
 *       scores, e.g. early stopping's validation loss) {@code α = 0} and the loss is plain cross-entropy.</li>
 *   <li><b>LWCC</b> (likelihood-weighted, seed 002 eq. 3): one prediction per sample and
 *       <pre>  ℓ_LWCC = Σ_i CE_i + λ β_i KL(U ‖ p_i),   β_i = (1 − max_k p_ik)^{1[y_i = argmax_k p_ik]}</pre>
 *       so a misclassified sample gets the full weight {@code λ} and a correct one {@code λ(1 − confidence)}.</li>
 * </ul>
 *
 * <p><b>Weights are constants.</b> The papers measure {@code α_i} and {@code β_i} on the predictions and use them as
 * the strength of a label smoothing; al4j treats them as constants within a step (no gradient flows through them),
 * which is also the only reading under which the network cannot lower the loss by changing its own weights. Each row
 * is then a cross-entropy against the target {@code q = a·onehot(y) + c/K} (CE weight {@code a}, KL weight
 * {@code c}): {@code ℓ = −Σ_k q_k log p_k − c log K}, whose gradient with respect to softmax logits is
 * {@code (a + c)·p − q} (tested against finite differences). Probabilities are clipped at 1e-10 inside the logarithm,
 * as DL4J's cross-entropy does.
 *
 * <p><b>Normalisation.</b> Labels are the one-hot {@code [b, K]} class labels, outputs {@code [T·b, K]}. DL4J divides a
 * layer's score by the rows of its input ({@code T·b}) but the gradient by the mini-batch ({@code b}); so that both
 * come out as eq. 2 (the mean over samples of a sum over the {@code T} predictions), each row's score is
 * {@code T·ℓ_it} while the gradient is that of {@code Σ ℓ_it}. With {@code T = 1} (LWCC, inference) this is the
 * ordinary convention.
 *
 * <p>Cost per batch {@code O(T·b·K)}. Immutable and thread-safe.
 */
public final class ConfidenceCalibrationLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;
    private static final double CLIP = 1e-10;

    /** Which of seed 002's weights the loss uses. */
    enum Weighting {
        VARIANCE, LIKELIHOOD
    }

    private final Weighting weighting;
    private final double lambda;

    ConfidenceCalibrationLoss(@JsonProperty("weighting") Weighting weighting, @JsonProperty("lambda") double lambda) {
        Checks.checkNotNull(weighting, "weighting");
        Checks.checkArgument(lambda >= 0 && lambda < Double.POSITIVE_INFINITY,
                "lambda must be finite and >= 0, found %s", lambda);
        this.weighting = weighting;
        this.lambda = lambda;
    }

    /** VWCC's loss (seed 002, eq. 2). */
    public static ConfidenceCalibrationLoss varianceWeighted() {
        return new ConfidenceCalibrationLoss(Weighting.VARIANCE, 0);
    }

    /** LWCC's loss (seed 002, eq. 3) with regularisation weight {@code λ >= 0}. */
    public static ConfidenceCalibrationLoss likelihoodWeighted(double lambda) {
        return new ConfidenceCalibrationLoss(Weighting.LIKELIHOOD, lambda);
    }

    @JsonProperty("weighting")
    Weighting weighting() {
        return weighting;
    }

    @JsonProperty("lambda")
    double lambda() {
        return lambda;
    }

    /** Per-sample weights of the cross-entropy ({@code a}) and of {@code KL(U ‖ p)} ({@code c}), each [b, 1]. */
    record Weights(INDArray ce, INDArray kl) {}

    /**
     * The weights of seed 002 measured on the predictions {@code p} ({@code [T·b, K]}, pass-major) of samples with
     * one-hot labels {@code y} ({@code [b, K]}).
     */
    Weights weights(INDArray y, INDArray p) {
        long b = y.size(0);
        long k = y.size(1);
        int copies = (int) (p.size(0) / b);
        if (weighting == Weighting.VARIANCE) {
            INDArray alpha = ConfidenceCalibration.varianceWeights(p.dup('c').reshape('c', copies, b, k))
                    .reshape(b, 1).castTo(p.dataType());
            return new Weights(alpha.rsub(1.0), alpha);
        }
        // β_i = (1 − max p_i)^{1[y_i = ŷ_i]}: 1 − max p_i when the prediction is right, else 1.
        INDArray confidence = p.max(1).reshape(b, 1);
        INDArray right = p.argMax(1).eq(y.argMax(1)).castTo(p.dataType()).reshape(b, 1);
        INDArray beta = confidence.mul(right).rsubi(1.0);
        return new Weights(Nd4j.onesLike(beta), beta.muli(lambda));
    }

    @Override
    Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
            boolean withGradient) {
        Checks.checkArgument(mask == null, "ConfidenceCalibrationLoss does not support masks");
        Checks.checkArgument(labels.rank() == 2 && preOutput.rank() == 2 && labels.size(1) == preOutput.size(1)
                        && labels.size(0) > 0 && preOutput.size(0) % labels.size(0) == 0,
                "labels must be [b, K] and outputs [T·b, K], found %s and %s", Arrays.toString(labels.shape()),
                Arrays.toString(preOutput.shape()));
        Checks.checkArgument(weighting == Weighting.VARIANCE || preOutput.size(0) == labels.size(0),
                "%s takes one prediction per sample, found %d outputs for %d labels", this, preOutput.size(0),
                labels.size(0));
        INDArray y = labels.castTo(preOutput.dataType());
        Checks.checkArgument(y.mul(y.rsub(1.0)).amaxNumber().doubleValue() == 0
                        && y.sum(1).subi(1.0).amaxNumber().doubleValue() == 0,
                "%s needs one-hot labels", this);
        INDArray p = activation.getActivation(preOutput.dup(), true);
        return compute(y, preOutput, activation, p, weights(y, p), withGradient);
    }

    /**
     * Per-row scores {@code T·ℓ_it} ({@code [T·b, 1]}) and, if asked, the gradient of {@code Σ ℓ_it} with respect to
     * {@code preOutput}, for given weights (held constant).
     */
    Pair<INDArray, INDArray> compute(INDArray y, INDArray preOutput, IActivation activation, INDArray p,
            Weights weights, boolean withGradient) {
        long b = y.size(0);
        long k = y.size(1);
        int copies = (int) (preOutput.size(0) / b);
        INDArray a = tile(weights.ce(), copies);
        INDArray c = tile(weights.kl(), copies);
        INDArray q = tile(y, copies).muliColumnVector(a).addiColumnVector(c.div(k)); // [T·b, K]
        INDArray logP = Transforms.log(Transforms.max(p, CLIP));
        INDArray loss = logP.mul(q).sum(1).reshape(q.size(0), 1).negi().subi(c.mul(Math.log(k)));
        INDArray scores = loss.mul(copies);
        if (!withGradient) {
            return Pair.of(scores, null);
        }
        INDArray grad;
        if (activation instanceof ActivationSoftmax) {
            grad = p.mulColumnVector(a.add(c)).subi(q); // ∂/∂z of −Σ q log softmax(z), as Σ q = a + c
        } else {
            INDArray dLdP = q.div(Transforms.max(p, CLIP)).negi();
            grad = activation.backprop(preOutput.dup(), dLdP).getFirst();
        }
        return Pair.of(scores, grad);
    }

    private static INDArray tile(INDArray a, int copies) {
        if (copies == 1) {
            return a.dup();
        }
        INDArray[] stack = new INDArray[copies];
        Arrays.fill(stack, a);
        return Nd4j.concat(0, stack);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceCalibrationLoss l && l.weighting == weighting && l.lambda == lambda;
    }

    @Override
    public int hashCode() {
        return 31 * weighting.hashCode() + Double.hashCode(lambda);
    }

    @Override
    public String toString() {
        return weighting == Weighting.VARIANCE ? "ConfidenceCalibrationLoss.varianceWeighted()"
                : "ConfidenceCalibrationLoss.likelihoodWeighted(" + lambda + ")";
    }
}
