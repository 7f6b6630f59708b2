package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The confidence-calibration loss of Seo, Seo and Han (2019, "Learning for Single-Shot Confidence Calibration in Deep
 * Neural Networks through Stochastic Inferences", eq. 6), used by Ask-n-Learn's VWCC:
 * <pre>
 *   ℓ_i = (1 − α_i) · CE(y_i, p_i) + α_i · KL(U ‖ p_i)
 * </pre>
 * with {@code U} the uniform distribution over the {@code K} classes and {@code α_i ∈ [0, 1]} a per-sample weight
 * (for VWCC the normalised variance of stochastic predictions, {@link ConfidenceCalibration}).
 *
 * <p>Since {@code KL(U ‖ p) = −log K − (1/K) Σ_k log p_k}, the loss equals {@code −Σ_k q_k log p_k − α log K} with the
 * smoothed target {@code q = (1 − α)·onehot(y) + α/K}: the labels given to this loss <em>are</em> {@code q}, from which
 * it reads {@code α = K · min_k q_k}. One-hot labels ({@code α = 0}) give plain cross-entropy. With a softmax output
 * the gradient with respect to the logits is {@code p − q} (tested against finite differences). Probabilities are
 * clipped at 1e-10 inside the logarithm, as DL4J's cross-entropy does. Immutable and thread-safe.
 */
public final class ConfidenceCalibrationLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;
    private static final double CLIP = 1e-10;

    /** Per-example losses {@code [b, 1]} and, if asked, their gradient w.r.t. the pre-activations. */
    @Override
    Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation,
            INDArray mask, boolean withGradient) {
        Checks.checkArgument(mask == null, "ConfidenceCalibrationLoss does not support masks");
        Checks.checkArgument(Arrays.equals(labels.shape(), preOutput.shape()) && labels.rank() == 2,
                "labels and outputs must both be [b, K], found %s and %s", Arrays.toString(labels.shape()),
                Arrays.toString(preOutput.shape()));
        long b = preOutput.size(0);
        long k = preOutput.size(1);
        INDArray q = labels.castTo(preOutput.dataType());
        INDArray p = activation.getActivation(preOutput.dup(), true);
        INDArray logP = Transforms.log(Transforms.max(p, CLIP));
        INDArray alpha = q.min(1).reshape(b, 1).muli(k);
        INDArray loss = logP.mul(q).sum(1).reshape(b, 1).negi().subi(alpha.mul(Math.log(k)));
        if (!withGradient) {
            return Pair.of(loss, null);
        }
        INDArray grad;
        if (activation instanceof ActivationSoftmax) {
            grad = p.sub(q); // ∂/∂z of −Σ q log softmax(z), as Σ q = 1
        } else {
            INDArray dLdP = q.div(Transforms.max(p, CLIP)).negi();
            grad = activation.backprop(preOutput.dup(), dLdP).getFirst();
        }
        return Pair.of(loss, grad);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceCalibrationLoss;
    }

    @Override
    public int hashCode() {
        return ConfidenceCalibrationLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "ConfidenceCalibrationLoss()";
    }
}
