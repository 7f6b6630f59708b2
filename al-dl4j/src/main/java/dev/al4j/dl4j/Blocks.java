package dev.al4j.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Small graph-building steps shared by the convolutional architectures. BatchNorm uses PyTorch's defaults
 * (ε = 1e-5, running averages updated as {@code 0.9·old + 0.1·batch}, DL4J's {@code decay(0.9)}).
 */
final class Blocks {

    private Blocks() {}

    /** A {@code k×k} convolution (He-normal weights, no activation), with or without bias; returns its name. */
    static String conv(GraphBuilder g, String name, String input, int out, int k, int stride, int pad,
            boolean bias) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(pad, pad).nOut(out)
                .hasBias(bias).activation(Activation.IDENTITY).weightInit(WeightInit.RELU).build(), input);
        return name;
    }

    /** BatchNorm over the channels of {@code input}; returns its name. */
    static String batchNorm(GraphBuilder g, String name, String input) {
        g.addLayer(name, new BatchNormalization.Builder().eps(1e-5).decay(0.9).build(), input);
        return name;
    }

    /** ReLU; returns its name. */
    static String relu(GraphBuilder g, String name, String input) {
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    /** conv → BN → ReLU; returns the ReLU's name. */
    static String convBnRelu(GraphBuilder g, String name, String input, int out, int k, int stride, int pad,
            boolean bias) {
        String c = conv(g, name + "_conv", input, out, k, stride, pad, bias);
        return relu(g, name + "_relu", batchNorm(g, name + "_bn", c));
    }
}
