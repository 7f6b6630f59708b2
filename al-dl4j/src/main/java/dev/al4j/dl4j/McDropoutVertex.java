package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Seeds;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Inverted dropout as a graph vertex inside a network's body ({@link DropoutPlacement#AFTER_CONV_BLOCKS}), on during
 * training and during MC-dropout passes, while every other layer — BatchNorm included — runs in inference mode.
 *
 * <p>Training ({@code fit}, {@code feedForward(x, true)}): entries are kept with probability {@code 1 − rate} and
 * scaled by {@code 1/(1 − rate)}; the masks come from the network's seed, this vertex's index, the iteration and the
 * epoch ({@link SeededDropout}'s rule), never from ND4J's global generator, so a fit is reproducible. Inference
 * ({@code output(x, false)}): the identity, unless an MC pass is set ({@link Impl#startPass}): then sample
 * {@code ids[i]}'s mask in pass {@code t} comes from {@code (seed, t, ids[i], index)} alone, so MC results do not
 * depend on batching or order.
 */
final class McDropoutVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;

    private final double rate;
    private final int index;

    /** Dropout with {@code rate} in (0, 1); {@code index} tells this vertex's masks from the others'. */
    McDropoutVertex(@JsonProperty("rate") double rate, @JsonProperty("index") int index) {
        Checks.checkArgument(rate > 0 && rate < 1, "dropout rate must be in (0, 1), found %s", rate);
        this.rate = rate;
        this.index = index;
    }

    @JsonProperty("rate")
    double rate() {
        return rate;
    }

    @JsonProperty("index")
    int index() {
        return index;
    }

    @Override
    public McDropoutVertex clone() {
        return new McDropoutVertex(rate, index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof McDropoutVertex v && v.rate == rate && v.index == index;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(rate) * 31 + index;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, rate, index, networkDatatype);
    }

    @Override
    public String toString() {
        return "McDropoutVertex(rate=" + rate + ", index=" + index + ")";
    }

    /** The vertex inside a network; holds the last training mask and the current MC pass (used under a lock). */
    static final class Impl extends ParameterFreeVertex.Instance {

        private final double rate;
        private final int index;
        private INDArray mask; // of the last training forward pass, for its backward pass
        private int[] passIds; // null: no MC pass, plain inference
        private long passSeed;
        private int pass;

        Impl(ComputationGraph graph, String name, int vertexIndex, double rate, int index, DataType dataType) {
            super(graph, name, vertexIndex, dataType);
            this.rate = rate;
            this.index = index;
        }

        /** Turns dropout on for inference: pass {@code pass} of seed {@code seed} over samples {@code ids}. */
        void startPass(long seed, int pass, int[] ids) {
            this.passSeed = seed;
            this.pass = pass;
            this.passIds = ids.clone();
        }

        /** Back to plain inference (the identity). */
        void endPass() {
            passIds = null;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoForward(), "%s: cannot do forward pass, input not set", vertexName);
            INDArray in = inputs[0];
            int n = (int) in.size(0);
            long width = in.length() / Math.max(1, n);
            Checks.checkState(width * n <= Integer.MAX_VALUE, "dropout input too large: %d values", width * n);
            INDArray m;
            if (training) {
                long seed = Seeds.mix(graph.getConfiguration().getDefaultConfiguration().getSeed(), index,
                        graph.getConfiguration().getIterationCount(), graph.getConfiguration().getEpochCount());
                m = DropoutMasks.inverted(rate, n, (int) width, row -> Seeds.mix(seed, row));
            } else if (passIds != null) {
                Checks.checkState(passIds.length == n, "%s: MC pass over %d ids but a batch of %d rows",
                        vertexName, passIds.length, n);
                int[] ids = passIds;
                m = DropoutMasks.inverted(rate, n, (int) width, row -> Seeds.mix(passSeed, pass, ids[row], index));
            } else {
                mask = null;
                return workspaceMgr.dup(ArrayType.ACTIVATIONS, in);
            }
            m = m.reshape('c', in.shape()).castTo(in.dataType());
            mask = training ? m : null;
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, in).muli(m);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoBackward(), "%s: cannot do backward pass, epsilon not set", vertexName);
            Checks.checkState(mask != null, "%s: backward pass without a training forward pass", vertexName);
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon).muli(mask);
            return new Pair<>(null, new INDArray[] {out});
        }

        @Override
        public String toString() {
            return "McDropoutVertex(name=" + vertexName + ", rate=" + rate + ", index=" + index + ")";
        }
    }
}
