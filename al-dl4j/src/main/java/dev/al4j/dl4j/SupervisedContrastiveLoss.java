package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The supervised contrastive loss of Khosla et al. (2020, "Supervised Contrastive Learning", eq. 2,
 * {@code L^sup_out}), the loss of SCAL (seed 000, eq. 1), as a DL4J loss function for a projection head.
 *
 * <p>With {@code z_i = p_i / ||p_i||} the L2-normalised projections of the rows of the (augmented) mini-batch,
 * {@code A(i)} all other rows and {@code P(i)} the other rows of the same class as anchor {@code i}:
 * <pre>
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( exp(z_i·z_p/τ) / Σ_{a∈A(i)} exp(z_i·z_a/τ) )
 * </pre>
 * Eq. 1 is meant for an augmented batch, where every sample comes in two views and so every anchor has a positive;
 * {@link SupervisedContrastiveLearner} builds its batches that way. Given a batch in which an anchor has no positive,
 * this loss lets that anchor contribute 0 rather than divide by {@code |P(i)| = 0}. The score is {@code Σ ℓ_i} over
 * the rows, divided by the number of rows when averaged, as every DL4J loss. The gradient with respect to the
 * projections is exact (derivation in the code, checked against finite differences in the tests).
 *
 * <p>The loss is not differentiable at a zero projection (it has no direction); norms are clamped at 1e-6.
 *
 * <p>Labels are the one-hot class labels {@code [b, K]}, not the projection's width. Per-example masks are not
 * supported. Cost per batch: {@code O(b²·D)}; memory {@code O(b²)}. Immutable and thread-safe.
 */
public final class SupervisedContrastiveLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;

    /** The temperature of Khosla et al. and SCAL. */
    public static final double DEFAULT_TEMPERATURE = 0.07;

    /** Added to logits of an anchor with itself so that {@code exp} underflows to 0: excludes {@code a = i}. */
    private static final double SELF = 1e4;

    /**
     * Norms are clamped here, as PyTorch's {@code F.normalize} clamps at its {@code eps}: a projection of (nearly)
     * zero length has no direction, and a smaller clamp would turn its gradient into a blow-up of {@code 1/norm}.
     */
    private static final double MIN_NORM = 1e-6;

    private final double temperature;

    /** A loss with temperature {@code τ > 0}. */
    public SupervisedContrastiveLoss(@JsonProperty("temperature") double temperature) {
        this.temperature = Checks.checkPositive(temperature, "temperature");
    }

    @JsonProperty("temperature")
    public double temperature() {
        return temperature;
    }

    /** Per-anchor losses {@code [b, 1]} and, if asked, the gradient of their sum w.r.t. the pre-activations. */
    @Override
    Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation,
            INDArray mask, boolean withGradient) {
        Checks.checkArgument(mask == null, "SupervisedContrastiveLoss does not support masks");
        Checks.checkArgument(labels.rank() == 2 && preOutput.rank() == 2 && labels.size(0) == preOutput.size(0),
                "labels [b, K] and projections [b, D] must have the same rows, found %s and %s",
                Arrays.toString(labels.shape()), Arrays.toString(preOutput.shape()));
        long b = preOutput.size(0);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray p = activation.getActivation(preOutput.dup(), true);
        INDArray norms = Transforms.max(p.norm2(1).reshape(b, 1), MIN_NORM);
        INDArray z = p.divColumnVector(norms);
        INDArray eye = Nd4j.eye(b).castTo(p.dataType());
        INDArray s = z.mmul(z.transpose()).divi(temperature); // s_ia = z_i·z_a/τ
        INDArray logits = s.sub(eye.mul(SELF)); // drops a = i from every softmax
        INDArray rowMax = logits.max(1).reshape(b, 1);
        INDArray lse = Transforms.log(Transforms.exp(logits.subColumnVector(rowMax)).sum(1).reshape(b, 1))
                .addi(rowMax); // log Σ_{a≠i} exp(s_ia)
        INDArray positives = y.mmul(y.transpose()).subi(eye); // 1 where same class, a ≠ i
        INDArray counts = positives.sum(1).reshape(b, 1);
        INDArray has = counts.gt(0).castTo(p.dataType());
        INDArray weights = positives.divColumnVector(Transforms.max(counts, 1.0)); // 1/|P(i)| on positives
        // ℓ_i = [|P(i)| > 0]·lse_i − Σ_p w_ip s_ip
        INDArray loss = lse.mul(has).subi(weights.mul(s).sum(1).reshape(b, 1));
        if (!withGradient) {
            return Pair.of(loss, null);
        }
        // ∂ℓ_i/∂s_ia = [has_i]·(softmax_{a≠i}(s_i·)_a − w_ia), zero on the diagonal. With G that matrix and
        // L = Σ ℓ_i, s = Z Zᵀ/τ gives ∂L/∂Z = (G + Gᵀ) Z / τ; through z = p/||p||:
        // ∂L/∂p = (g − z (z·g)) / ||p||.
        INDArray softmax = Transforms.exp(logits.subColumnVector(lse));
        INDArray g = softmax.subi(weights).muliColumnVector(has);
        INDArray dz = g.add(g.transpose()).mmul(z).divi(temperature);
        INDArray radial = dz.mul(z).sum(1).reshape(b, 1);
        INDArray dp = dz.subi(z.mulColumnVector(radial)).diviColumnVector(norms);
        INDArray dPre = activation.backprop(preOutput.dup(), dp).getFirst();
        return Pair.of(loss, dPre);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SupervisedContrastiveLoss l && l.temperature == temperature;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature);
    }

    @Override
    public String toString() {
        return "SupervisedContrastiveLoss(" + temperature + ")";
    }
}
