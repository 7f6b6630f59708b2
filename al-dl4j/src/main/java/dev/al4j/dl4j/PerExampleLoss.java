package dev.al4j.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The part of DL4J's {@link ILossFunction} contract that al4j's custom losses share: each loss computes its
 * per-example losses {@code [b, 1]} and, when asked, the gradient with respect to the pre-activation output in one
 * {@link #compute} call; scores, score arrays and gradients are derived from it here.
 */
abstract class PerExampleLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /**
     * Per-example losses and, when {@code withGradient}, the gradient with respect to {@code preOutput} (else
     * {@code null}).
     */
    abstract Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation,
            INDArray mask, boolean withGradient);

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = compute(labels, preOutput, activationFn, mask, false).getFirst().sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public final INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return compute(labels, preOutput, activationFn, mask, false).getFirst();
    }

    @Override
    public final INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return compute(labels, preOutput, activationFn, mask, true).getSecond();
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        Pair<INDArray, INDArray> r = compute(labels, preOutput, activationFn, mask, true);
        double sum = r.getFirst().sumNumber().doubleValue();
        return Pair.of(average ? sum / preOutput.size(0) : sum, r.getSecond());
    }

    @Override
    public String name() {
        return toString();
    }
}
