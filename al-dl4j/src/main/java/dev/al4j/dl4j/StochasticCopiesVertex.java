package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A graph vertex that, in training mode only, stacks {@code T} copies of its {@code [b, d]} input into
 * {@code [T·b, d]} (pass-major: copy {@code t} of row {@code i} is row {@code t·b + i}); in inference mode it passes
 * its input through unchanged. Placed between the embedding and a classifier with dropout, it turns one training step
 * into {@code T} stochastic inferences of every sample (each copy gets its own dropout mask) that share one pass
 * through the body: VWCC's eq. 2 (seed 002) sums its loss over exactly these {@code T} predictions. The backward pass
 * adds the {@code T} copies' gradients, as the chain rule for a shared input says.
 *
 * <p>A configuration value (DL4J's {@link GraphVertex}); its runtime vertex lives inside one network.
 */
final class StochasticCopiesVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;

    private final int copies;

    StochasticCopiesVertex(@JsonProperty("copies") int copies) {
        Checks.checkArgument(copies >= 1, "copies must be >= 1, found %d", copies);
        this.copies = copies;
    }

    @JsonProperty("copies")
    int copies() {
        return copies;
    }

    @Override
    public StochasticCopiesVertex clone() {
        return new StochasticCopiesVertex(copies);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StochasticCopiesVertex v && v.copies == copies;
    }

    @Override
    public int hashCode() {
        return copies;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Instance(graph, name, idx, copies, networkDatatype);
    }

    @Override
    public String toString() {
        return "StochasticCopiesVertex(" + copies + ")";
    }

    /** The vertex inside a network. */
    static final class Instance extends ParameterFreeVertex.Instance {

        private static final long serialVersionUID = 1L;

        private final int copies;

        Instance(ComputationGraph graph, String name, int index, int copies, DataType dataType) {
            super(graph, name, index, dataType);
            this.copies = copies;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoForward(), "%s: forward pass without an input", this);
            INDArray in = inputs[0];
            if (!training || copies == 1) {
                return in;
            }
            INDArray[] stack = new INDArray[copies];
            Arrays.fill(stack, in);
            return Nd4j.concat(0, stack);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoBackward(), "%s: backward pass without an error signal", this);
            long b = inputs[0].size(0);
            if (epsilon.size(0) == b) {
                return new Pair<>(null, new INDArray[] {epsilon});
            }
            Checks.checkState(epsilon.size(0) == copies * b, "%s: error signal of %d rows for %d inputs", this,
                    epsilon.size(0), b);
            // d/dx of f(x, x, ..., x) = Σ_t ∂f/∂x_t: the copies' gradients add up.
            long[] shape = epsilon.shape();
            long[] split = new long[shape.length + 1];
            split[0] = copies;
            split[1] = b;
            System.arraycopy(shape, 1, split, 2, shape.length - 1);
            return new Pair<>(null, new INDArray[] {epsilon.dup('c').reshape('c', split).sum(0)});
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                int minibatchSize) {
            Checks.checkArgument(maskArrays == null || Arrays.stream(maskArrays).allMatch(m -> m == null),
                    "%s does not support masks", this);
            return null;
        }

        @Override
        public String toString() {
            return "StochasticCopiesVertex(" + copies + ", name=" + vertexName + ")";
        }
    }
}
