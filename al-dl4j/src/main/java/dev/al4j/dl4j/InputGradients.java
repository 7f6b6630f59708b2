package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.ArrayDeque;
import java.util.Deque;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients with respect to a network's input of linear functions of its classifier's input, by the chain rule
 * through the network body in inference mode (dropout off, BatchNorm on its running statistics): after
 * {@link #forward(INDArray)} gives the classifier input {@code h(x)} ({@code [n, d]}), {@link #backward(INDArray)}
 * with {@code e} ({@code [n, d]}) gives {@code ∂(Σ_j e_ij h_ij(x_i)) / ∂x_i} for every row {@code i}: a
 * vector-Jacobian product {@code J_i^T e_i}. With the classifier's weights {@code W} ({@code [d, K]}), logits are
 * {@code f = h W + b}, so {@code e_i = W[:, k]} gives {@code ∇_x f_k} and {@code e_i = W (p_i − e_y)} the gradient of
 * the cross-entropy of label {@code y}.
 *
 * <p>DL4J 1.0.0-M2.1's {@code ComputationGraph} gives no input gradients (only {@code MultiLayerNetwork}'s
 * {@code calculateGradients} does), so this walks the graph itself: the vertices from the input to the classifier's
 * input, forward in topological order with {@code doForward(false)}, then backward in reverse order with
 * {@code doBackward}, summing the epsilons a vertex receives from several consumers. The parameter gradients this
 * computes on the way are discarded; parameters are never changed. {@code AdversarialSamplingTest} checks it by finite
 * differences.
 *
 * <p>Not thread-safe (it sets the vertices' inputs and epsilons): the caller holds the network's lock from
 * {@link #forward} to the last {@link #backward}. A network with a vertex that cannot give the inference-mode gradient
 * (a BatchNorm layer, which DL4J backpropagates through batch statistics, as in ResNet-18 and VGG-16; al4j's
 * {@link McDropoutVertex}, with dropout after convolutional blocks) is refused with an
 * {@link IllegalArgumentException} naming the vertex.
 */
final class InputGradients {

    private final ComputationGraph net;
    private final GraphVertex[] vertices;
    /** The vertices that lead to the classifier's input, in topological order; the input vertex first. */
    private final int[] path;
    private final int target;
    private final INDArray weights; // [d, K]
    private final INDArray bias; // [1, K] or [K]
    private final INDArray[] outputs;

    private InputGradients(ComputationGraph net) {
        this.net = net;
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView(); // the layers write their (discarded) parameter gradients there
        }
        this.vertices = net.getVertices();
        GraphVertex classifier = net.getVertex(Architecture.OUTPUT);
        Checks.checkState(classifier != null && classifier.hasLayer(), "the network has no '%s' layer",
                Architecture.OUTPUT);
        Checks.checkState(classifier.getInputVertices().length == 1, "the classifier has %d inputs, expected 1",
                classifier.getInputVertices().length);
        this.target = classifier.getInputVertices()[0].getVertexIndex();
        Layer layer = classifier.getLayer();
        this.weights = layer.getParam("W");
        this.bias = layer.getParam("b").reshape(1, -1);
        boolean[] needed = new boolean[vertices.length];
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(target);
        while (!todo.isEmpty()) {
            int v = todo.pop();
            if (!needed[v]) {
                needed[v] = true;
                VertexIndices[] in = vertices[v].getInputVertices();
                if (in != null) {
                    for (VertexIndices i : in) {
                        todo.push(i.getVertexIndex());
                    }
                }
            }
        }
        this.path = java.util.Arrays.stream(net.topologicalSortOrder()).filter(v -> needed[v]).toArray();
        for (int v : path) {
            GraphVertex vertex = vertices[v];
            boolean batchNorm = vertex.hasLayer()
                    && vertex.getLayer() instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization;
            // DL4J's BatchNorm backpropagates through batch statistics and al4j's MC-dropout vertices only after a
            // training-mode pass: neither gives the inference-mode input gradient.
            Checks.checkArgument(!batchNorm && !(vertex instanceof McDropoutVertex.Impl),
                    "input gradients need a network that backpropagates in inference mode, but vertex '%s' is %s; "
                            + "use an architecture without BatchNorm or block dropout (mlp, cnn)",
                    vertex.getVertexName(), batchNorm ? "a BatchNormalization layer" : "an MC-dropout vertex");
        }
        Checks.checkState(vertices[path[0]].isInputVertex() && net.getNumInputArrays() == 1,
                "the network must have one input, found %d", net.getNumInputArrays());
        this.outputs = new INDArray[vertices.length];
    }

    /** The gradient walker of {@code net}, whose classifier is the dense softmax layer {@code "output"}. */
    static InputGradients of(ComputationGraph net) {
        return new InputGradients(net);
    }

    /** The classifier's weights {@code W}, {@code [d, K]}, in the network's data type. */
    INDArray weights() {
        return weights;
    }

    /** The logits {@code h W + b} of classifier inputs {@code h} ({@code [n, d]}), {@code [n, K]}. */
    INDArray logits(INDArray h) {
        return h.mmul(weights).addiRowVector(bias);
    }

    /**
     * Runs {@code x} ({@code [n, networkInputShape...]}, the network's data type) through the body in inference mode, keeping every vertex's
     * inputs for {@link #backward}.
     *
     * @return the classifier's input {@code h(x)}, {@code [n, d]}
     */
    INDArray forward(INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        java.util.Arrays.fill(outputs, null);
        net.setInputs(x); // the layers' input preprocessors read the batch size from the graph's input
        for (int v : path) {
            GraphVertex vertex = vertices[v];
            if (vertex.isInputVertex()) {
                outputs[v] = x;
                continue;
            }
            VertexIndices[] in = vertex.getInputVertices();
            for (int j = 0; j < in.length; j++) {
                vertex.setInput(j, outputs[in[j].getVertexIndex()], mgr);
            }
            outputs[v] = vertex.doForward(false, mgr);
        }
        return outputs[target];
    }

    /**
     * The input gradient {@code J_i^T e_i} of every row, after {@link #forward}.
     *
     * @param epsilon {@code [n, d]}: the gradient of the function with respect to the classifier's input
     * @return {@code [n, networkInputShape...]}
     */
    INDArray backward(INDArray epsilon) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray[] eps = new INDArray[vertices.length];
        eps[target] = epsilon;
        for (int at = path.length - 1; at >= 0; at--) {
            int v = path[at];
            GraphVertex vertex = vertices[v];
            if (vertex.isInputVertex()) {
                Checks.checkState(eps[v] != null, "no gradient reached the input");
                return eps[v];
            }
            if (eps[v] == null) {
                continue; // not on a path to the classifier's input
            }
            vertex.setEpsilon(eps[v]);
            Pair<Gradient, INDArray[]> back = vertex.doBackward(false, mgr);
            VertexIndices[] in = vertex.getInputVertices();
            for (int j = 0; j < in.length; j++) {
                int u = in[j].getVertexIndex();
                INDArray e = back.getSecond()[j];
                eps[u] = eps[u] == null ? e.dup() : eps[u].addi(e);
            }
        }
        throw new IllegalStateException("the network's input is not on the path to its classifier");
    }
}
