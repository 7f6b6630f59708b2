package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Seeds;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Inverted dropout for training whose masks come from its own seed and the iteration number, not from ND4J's
 * thread-global random generator, so that a fit is reproducible whatever ran before it on the thread (warm starts,
 * other fits, user code). Entries are kept with probability {@code 1 − rate} and scaled by {@code 1/(1 − rate)}.
 *
 * <p>DL4J calls {@code applyDropout} during training only; inference never sees this class. A layer instance holds
 * the last mask for its backward pass, like DL4J's own {@code Dropout}: it lives inside one network.
 */
final class SeededDropout implements IDropout {

    private static final long serialVersionUID = 1L;

    private final double rate;
    private final long seed;
    private transient INDArray mask;

    SeededDropout(@JsonProperty("rate") double rate, @JsonProperty("seed") long seed) {
        Checks.checkArgument(rate > 0 && rate < 1, "dropout rate must be in (0, 1), found %s", rate);
        this.rate = rate;
        this.seed = seed;
    }

    @JsonProperty("rate")
    double rate() {
        return rate;
    }

    @JsonProperty("seed")
    long seed() {
        return seed;
    }

    @Override
    public INDArray applyDropout(INDArray input, INDArray output, int iteration, int epoch,
            LayerWorkspaceMgr workspaceMgr) {
        long length = output.length();
        Checks.checkState(length <= Integer.MAX_VALUE, "dropout input too large: %d values", length);
        float keep = (float) (1.0 - rate);
        float scale = 1f / keep;
        float[] m = new float[(int) length];
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, iteration, epoch));
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextFloat() < keep ? scale : 0f;
        }
        mask = workspaceMgr.createUninitialized(ArrayType.INPUT, output.dataType(), output.shape(), 'c')
                .assign(Nd4j.create(m, output.shape(), 'c').castTo(output.dataType()));
        INDArray in = input.dataType() == output.dataType() ? input : input.castTo(output.dataType());
        output.assign(in.mul(mask));
        return output;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        Checks.checkState(mask != null, "dropout backprop without a forward pass");
        gradAtInput.assign(gradAtOutput.mul(mask));
        mask = null;
        return gradAtInput;
    }

    @Override
    public void clear() {
        mask = null;
    }

    @Override
    public SeededDropout clone() {
        return new SeededDropout(rate, seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeededDropout d && d.rate == rate && d.seed == seed;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(rate) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "SeededDropout[rate=" + rate + ", seed=" + seed + "]";
    }
}
