package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss whose gradient with respect to its (identity-activated) input is its labels: {@code L_i = <e_i, z_i>} for
 * the row {@code z_i} of the input and the row {@code e_i} of the labels, so {@code ∂L_i/∂z_i = e_i}. It lets a
 * gradient computed outside the network — WAAL's critic term {@code α·∂W/∂z}, see {@link WaalLearner} — flow into
 * the network's body through an ordinary {@code fit}, with the labels set to that gradient. The loss value itself
 * means nothing beyond this. A row mask {@code [b, 1]} zeroes rows. Stateless, immutable and thread-safe.
 */
final class InjectedGradientLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;

    @Override
    Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
            boolean withGradient) {
        Checks.checkArgument(labels.rank() == 2 && Arrays.equals(labels.shape(), preOutput.shape()),
                "labels (the injected gradient) must have the input's shape %s, found %s",
                Arrays.toString(preOutput.shape()), Arrays.toString(labels.shape()));
        INDArray out = activation.getActivation(preOutput.dup(), true);
        INDArray e = labels.castTo(out.dataType());
        if (mask != null) {
            e = e.mulColumnVector(mask.castTo(out.dataType()).reshape(mask.size(0), 1));
        }
        INDArray perExample = out.mul(e).sum(true, 1);
        INDArray gradient = null;
        if (withGradient) {
            gradient = activation.backprop(preOutput.dup(), e.dup()).getFirst();
        }
        return Pair.of(perExample, gradient);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InjectedGradientLoss;
    }

    @Override
    public int hashCode() {
        return InjectedGradientLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "InjectedGradientLoss()";
    }
}
