package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Whole-network gradient checks in double precision with DL4J's {@code GradientCheckUtil} (central differences on
 * every parameter, relative error < 1e-3): the custom losses inside real graphs, through backpropagation.
 */
class NetworkGradientCheckTest {

    private static DataType defaultType;
    private static DataType defaultFloatingType;

    @BeforeAll
    static void doublePrecision() {
        // GradientCheckUtil insists on ND4J's global default type being double; restored after the class.
        defaultType = Nd4j.dataType();
        defaultFloatingType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(defaultType, defaultFloatingType);
    }

    static NeuralNetConfiguration.Builder doubles() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE);
    }

    static INDArray random(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return Nd4j.createFromArray(v).reshape(shape);
    }

    static INDArray oneHot(int[] y, int k) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, y.length, k);
        for (int i = 0; i < y.length; i++) {
            a.putScalar(i, y[i], 1.0);
        }
        return a;
    }

    static boolean check(ComputationGraph net, INDArray x, INDArray... labels) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void supervisedContrastiveProjectionHead() {
        Architecture.Built built = Architectures.mlp().withHiddenLayers(5, 4).buildContrastive(doubles(),
                new long[] {6}, 4, 3, new SupervisedContrastiveLoss(0.5));
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        // Stay off the loss's one non-differentiable point, a zero projection (a sample whose hidden ReLUs are all
        // off projects to the bias, 0 at initialisation).
        net.getLayer(Architecture.PROJECTION).setParam("b", Nd4j.createFromArray(0.3, -0.2, 0.25).reshape(1, 3));
        assertTrue(check(net, random(1, 7, 6), oneHot(new int[] {0, 1, 0, 2, 1, 0, 2}, 3)));
    }

    @Test
    void varianceWeightedCalibrationThroughStochasticCopies() {
        // VWCC (seed 002 eq. 2) with T = 3 copies of every embedding: the check covers the copies vertex's backward
        // pass (the copies' gradients add up) and the sum over the T predictions. Gradient checks need a
        // deterministic network, so dropout is 0 here: the copies are identical, α = 0 and stays 0 under every
        // parameter perturbation (α's dependence on the weights, held constant by the loss, cannot show).
        Architecture.Built built = Architectures.mlp().withHiddenLayers(5).withDropout(0).build(doubles(),
                new long[] {6}, 3, 1, ConfidenceCalibrationLoss.varianceWeighted(), null, 1, 3);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        assertTrue(check(net, random(2, 5, 6), oneHot(new int[] {0, 2, 1, 1, 0}, 3)));
    }

    @Test
    void likelihoodWeightedCalibration() {
        // LWCC (seed 002 eq. 3), λ = 2, at a point where every prediction is wrong, so β = 1 is constant under the
        // finite differences (the loss holds β constant; ConfidenceCalibrationTest checks right predictions).
        Architecture.Built built = Architectures.mlp().withHiddenLayers(5).withDropout(0).build(doubles(),
                new long[] {6}, 3, 1, ConfidenceCalibrationLoss.likelihoodWeighted(2));
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        INDArray x = random(2, 5, 6);
        INDArray predicted = net.outputSingle(false, x).argMax(1);
        int[] wrong = new int[5];
        for (int i = 0; i < 5; i++) {
            wrong[i] = (predicted.getInt(i) + 1 + i % 2) % 3;
        }
        assertTrue(check(net, x, oneHot(wrong, 3)));
    }

    @Test
    void dropoutAfterTheConvolutionalBlocks() {
        // The McDropoutVertex's backward pass multiplies by the same mask as its forward pass (fixed within one
        // iteration), so the network with dropout 0.5 after its convolutional stack passes a gradient check.
        Architecture.Built built = Architectures.smallCnn().withFilters(2).withDenseSize(3).withDropout(0.5)
                .withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS).build(doubles(), new long[] {1, 8, 8}, 3,
                        1);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        INDArray x = random(6, 4, 1, 8, 8);
        assertTrue(net.feedForward(x, true).get("pool_dropout").equals(net.feedForward(x, true)
                .get("pool_dropout")));
        assertTrue(check(net, x, oneHot(new int[] {0, 1, 2, 1}, 3)));
    }

    @Test
    void lossPredictionModule() {
        // Before the gradient stop (epoch 0 < stop epoch 2 of 3), through the gradient-stop vertices into the body.
        Architecture.Built built = Architectures.mlp().withHiddenLayers(5, 4).withDropout(0).build(doubles(),
                new long[] {6}, 3, 1, new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(),
                new Architecture.LossModule(3, 1.0, 0.6), 3, 1);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        // target losses far apart so that every pair's hinge is active and away from its kink
        INDArray targetLosses = Nd4j.createFromArray(new double[] {5, 0.1, 3, 7, 0.5, 2}).reshape(6, 1);
        assertTrue(check(net, random(4, 6, 6), oneHot(new int[] {0, 1, 2, 0, 1, 2}, 3), targetLosses));
    }
}
