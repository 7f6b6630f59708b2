package dev.al4j.dl4j;

import dev.al4j.core.Checks;
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
 * The identity in the forward pass; in the backward pass it passes the gradient on until the network's epoch count
 * reaches {@code stopEpoch} and a zero gradient from then on: PyTorch's {@code features.detach()} from a given epoch.
 * Learning Loss (Yoo and Kweon 2019, image-classification experiments; seed 000 ran the authors' code, appendix A.3,
 * and seed 003, appendix D.2, also detaches the features) stops the loss-prediction module's gradient into the
 * target network after epoch 120 of 200, so that from then on the module no longer shapes the target network. The
 * epoch count is the network's own (0 at the start of every fit, warm starts included), so the stop is reproducible.
 */
final class GradientStopVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;

    private final int stopEpoch;

    /** Stops the gradient from epoch {@code stopEpoch} (0-based) on; 0 = never passes it. */
    GradientStopVertex(@JsonProperty("stopEpoch") int stopEpoch) {
        this.stopEpoch = Checks.checkNonNegative(stopEpoch, "stopEpoch");
    }

    @JsonProperty("stopEpoch")
    int stopEpoch() {
        return stopEpoch;
    }

    @Override
    public GradientStopVertex clone() {
        return new GradientStopVertex(stopEpoch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientStopVertex v && v.stopEpoch == stopEpoch;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(stopEpoch);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, stopEpoch, networkDatatype);
    }

    @Override
    public String toString() {
        return "GradientStopVertex(stopEpoch=" + stopEpoch + ")";
    }

    /** The vertex inside a network. */
    static final class Impl extends ParameterFreeVertex.Instance {

        private final int stopEpoch;

        Impl(ComputationGraph graph, String name, int index, int stopEpoch, DataType dataType) {
            super(graph, name, index, dataType);
            this.stopEpoch = stopEpoch;
        }

        /** Whether the gradient passes in the network's current epoch. */
        boolean passes() {
            return graph.getConfiguration().getEpochCount() < stopEpoch;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoForward(), "%s: cannot do forward pass, input not set", vertexName);
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            Checks.checkState(canDoBackward(), "%s: cannot do backward pass, epsilon not set", vertexName);
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
            if (!passes()) {
                out.assign(0);
            }
            return new Pair<>(null, new INDArray[] {out});
        }

        @Override
        public String toString() {
            return "GradientStopVertex(name=" + vertexName + ", stopEpoch=" + stopEpoch + ")";
        }
    }
}
