package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The loss-prediction loss of Yoo and Kweon (2019, "Learning Loss for Active Learning", eq. 2): samples of a
 * mini-batch are paired, sample {@code i} with sample {@code b−1−i}, and each pair {@code (i, j)} costs
 * <pre>
 *   max(0, −sign(l_i − l_j) · (l̂_i − l̂_j) + ξ)
 * </pre>
 * with {@code l} the target losses (the labels, {@code [b, 1]}), {@code l̂} the predicted losses (the output) and margin
 * {@code ξ} (1 in the paper): only the order of the two losses is learned, not their scale. The batch's score is the
 * mean over its {@code ⌊b/2⌋} pairs (each pair's cost is given to both its members, so DL4J's mean over examples is
 * the mean over pairs); with an odd batch the middle sample is unpaired. Immutable and thread-safe.
 */
public final class MarginRankingLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;

    private final double margin;

    /** A loss with margin {@code ξ > 0}. */
    public MarginRankingLoss(@JsonProperty("margin") double margin) {
        this.margin = Checks.checkPositive(margin, "margin");
    }

    @JsonProperty("margin")
    public double margin() {
        return margin;
    }

    /** Per-example costs {@code [b, 1]} and, if asked, the gradient of their sum w.r.t. the pre-activations. */
    @Override
    Pair<INDArray, INDArray> compute(INDArray labels, INDArray preOutput, IActivation activation,
            INDArray mask, boolean withGradient) {
        Checks.checkArgument(mask == null, "MarginRankingLoss does not support masks");
        Checks.checkArgument(labels.rank() == 2 && labels.size(1) == 1 && preOutput.rank() == 2
                && preOutput.size(1) == 1 && labels.size(0) == preOutput.size(0),
                "labels and predictions must both be [b, 1], found %s and %s",
                java.util.Arrays.toString(labels.shape()), java.util.Arrays.toString(preOutput.shape()));
        int b = (int) preOutput.size(0);
        double[] l = labels.castTo(DataType.DOUBLE).data().asDouble();
        double[] p = activation.getActivation(preOutput.dup(), true).castTo(DataType.DOUBLE).data().asDouble();
        // b/2 pairs: a loop over pairs of scalars, O(b), cheaper than any array op here.
        double[] cost = new double[b];
        double[] grad = new double[b];
        for (int i = 0; i < b / 2; i++) {
            int j = b - 1 - i;
            double sign = Math.signum(l[i] - l[j]);
            double h = margin - sign * (p[i] - p[j]);
            if (h > 0) {
                cost[i] = h;
                cost[j] = h;
                // d(cost_i + cost_j)/dp_i = 2·(−sign), /dp_j = 2·sign
                grad[i] = -2 * sign;
                grad[j] = 2 * sign;
            }
        }
        INDArray loss = Nd4j.createFromArray(cost).reshape(b, 1).castTo(preOutput.dataType());
        if (!withGradient) {
            return Pair.of(loss, null);
        }
        INDArray dp = Nd4j.createFromArray(grad).reshape(b, 1).castTo(preOutput.dataType());
        return Pair.of(loss, activation.backprop(preOutput.dup(), dp).getFirst());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarginRankingLoss m && m.margin == margin;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(margin);
    }

    @Override
    public String toString() {
        return "MarginRankingLoss(" + margin + ")";
    }
}
