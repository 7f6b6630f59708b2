package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Shapes, parameter counts, one training step and value semantics of every architecture. */
class ArchitecturesTest {

    static ComputationGraph network(Architecture a, long[] sampleShape, int classes) {
        Architecture.Built built = a.build(Dl4jLearner.baseConfiguration(Training.adam(1e-3), 1), sampleShape,
                classes, 2);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        return net;
    }

    static INDArray images(int n, long c, long side, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[(int) (n * c * side * side)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        return Nd4j.create(x, new long[] {n, c, side, side}, 'c');
    }

    static INDArray oneHot(int n, int k) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, k);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % k, 1f);
        }
        return y;
    }

    @Test
    void resNet18CifarStemHasTheReferenceParameterCount() {
        // PyTorch's CIFAR ResNet-18 (kuangliu/pytorch-cifar), 3 channels, 10 classes, BN running stats excluded:
        // stem conv 3·64·9 = 1 728, BN 128;
        // stage 1: 4 convs 64·64·9 = 4·36 864, 4 BN·128               = 147 968
        // stage 2: 128·64·9 + 3·128·128·9 = 73 728 + 442 368, 4 BN·256, proj 64·128 + BN 256 = 525 568
        // stage 3: 256·128·9 + 3·256·256·9 = 294 912 + 1 769 472, 4 BN·512, proj 128·256 + 512 = 2 099 712
        // stage 4: 512·256·9 + 3·512·512·9 = 1 179 648 + 7 077 888, 4 BN·1 024, proj 256·512 + 1 024 = 8 393 728
        // fc 512·10 + 10 = 5 130.  Sum: 1 856 + 147 968 + 525 568 + 2 099 712 + 8 393 728 + 5 130 = 11 173 962.
        assertEquals(11_173_962, Parameters.trainable(network(Architectures.resNet18(), new long[] {3, 32, 32}, 10)));
    }

    @Test
    void resNet18ImageNetStemHasTheReferenceParameterCount() {
        // torchvision resnet18 has 11 689 512 with 1 000 classes; with 10: minus 512·990 + 990 = 507 870 →
        // 11 181 642. Equivalently the CIFAR count plus the larger stem: 3·64·(49 − 9) = 7 680.
        assertEquals(11_181_642, Parameters.trainable(network(Architectures.resNet18().withImageNetStem(),
                new long[] {3, 32, 32}, 10)));
    }

    @Test
    void vgg16HasTheReferenceParameterCount() {
        // VGG-16-BN with a 512→10 head (kuangliu/pytorch-cifar VGG('VGG16')): conv weights+biases
        // 1 792 + 36 928 + 73 856 + 147 584 + 295 168 + 2·590 080 + 1 180 160 + 5·2 359 808 = 14 714 688,
        // BN 2·(2·64 + 2·128 + 3·256 + 6·512) = 8 448, fc 5 130: total 14 728 266.
        assertEquals(14_728_266, Parameters.trainable(network(Architectures.vgg16(), new long[] {3, 32, 32}, 10)));
    }

    @Test
    void smallCnnAndMlpParameterCounts() {
        // conv1 32·16 + 32 = 544, conv2 32·32·16 + 32 = 16 416, dense 11·11·32·128 + 128 = 495 744,
        // output 128·10 + 10 = 1 290: 513 994.
        assertEquals(513_994, Parameters.trainable(network(Architectures.smallCnn(), new long[] {1, 28, 28}, 10)));
        // 784·256 + 256 + 2·(256·256 + 256) + 256·10 + 10 = 335 114.
        assertEquals(335_114, Parameters.trainable(network(Architectures.mlp(), new long[] {784}, 10)));
    }

    @Test
    void forwardShapesAndEmbeddingAfterGlobalPooling() {
        record Case(Architecture a, long[] sample, String embedding, int d) {}
        List<Case> cases = List.of(
                new Case(Architectures.smallCnn(), new long[] {1, 28, 28}, "dense", 128),
                new Case(Architectures.resNet18().withWidth(8), new long[] {3, 32, 32}, "pool", 64),
                new Case(Architectures.resNet18().withImageNetStem().withWidth(8), new long[] {3, 32, 32}, "pool",
                        64),
                new Case(Architectures.vgg16().withWidth(8), new long[] {3, 32, 32}, "gap", 64));
        for (Case c : cases) {
            ComputationGraph net = network(c.a(), c.sample(), 5);
            INDArray x = images(3, c.sample()[0], c.sample()[1], 4);
            Map<String, INDArray> acts = net.feedForward(x, false);
            assertArrayEquals(new long[] {3, c.d()}, acts.get(c.embedding()).shape(), c.a().toString());
            assertArrayEquals(new long[] {3, 5}, acts.get(Architecture.OUTPUT).shape(), c.a().toString());
        }
    }

    @Test
    void fullSizeNetworksTakeOneStepThatLowersTheLoss() {
        // Two 32×32 images (one 28×28 for the small CNN): the full-width networks, one Adam step each.
        List<Architecture> all = List.of(Architectures.smallCnn(), Architectures.resNet18(),
                Architectures.resNet18().withImageNetStem(), Architectures.vgg16(), Architectures.mlp());
        for (Architecture a : all) {
            long side = a instanceof SmallCnn ? 28 : 32;
            long channels = a instanceof SmallCnn ? 1 : 3;
            ComputationGraph net = network(a, new long[] {channels, side, side}, 10);
            INDArray x = images(2, channels, side, 9);
            if (a instanceof Mlp) {
                x = x.reshape(2, channels * side * side);
            }
            DataSet batch = new DataSet(x, oneHot(2, 10));
            assertArrayEquals(new long[] {2, 10}, net.outputSingle(false, x).shape());
            double before = net.score(batch, true);
            net.fit(batch);
            double after = net.score(batch, true);
            assertTrue(after < before, a + ": loss " + before + " -> " + after);
        }
    }

    @Test
    void imageArchitecturesRejectFlatOrTooSmallInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.smallCnn().networkInputShape(new long[] {784}));
        assertTrue(e.getMessage().contains("Architectures.smallCnn()") && e.getMessage().contains("[784]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architectures.vgg16().networkInputShape(
                new long[] {1, 28, 28}));
        assertArrayEquals(new long[] {1, 28, 28}, Architectures.smallCnn().networkInputShape(new long[] {28, 28}));
        assertArrayEquals(new long[] {784}, Architectures.mlp().networkInputShape(new long[] {1, 28, 28}));
    }

    @Test
    void valuesEchoHowTheyWereBuilt() {
        assertEquals("Architectures.mlp()", Architectures.mlp().toString());
        assertEquals("Architectures.mlp().withHiddenLayers(128, 64).withDropout(0.25)",
                Architectures.mlp().withHiddenLayers(128, 64).withDropout(0.25).toString());
        assertEquals("Architectures.smallCnn().withFilters(16).withDenseSize(64).withDropout(0.0)",
                Architectures.smallCnn().withFilters(16).withDenseSize(64).withDropout(0).toString());
        assertEquals("Architectures.resNet18().withImageNetStem().withWidth(16).withDropout(0.3)",
                Architectures.resNet18().withImageNetStem().withWidth(16).withDropout(0.3).toString());
        assertEquals("Architectures.resNet18()", Architectures.resNet18().withImageNetStem().withCifarStem()
                .toString());
        assertEquals("Architectures.vgg16().withWidth(8).withDropout(0.5)",
                Architectures.vgg16().withWidth(8).withDropout(0.5).toString());
        assertEquals(Architectures.mlp(), Architectures.mlp().withHiddenLayers(256, 256, 256));
        assertEquals(Architectures.mlp().hashCode(), Architectures.mlp().withHiddenLayers(256, 256, 256).hashCode());
        assertNotEquals(Architectures.mlp(), Architectures.mlp().withDropout(0.1));
        assertEquals(Architectures.resNet18().withWidth(8), Architectures.resNet18().withWidth(8));
        assertNotEquals(Architectures.resNet18(), Architectures.resNet18().withImageNetStem());
        assertEquals(Architectures.vgg16().hashCode(), Architectures.vgg16().hashCode());
        assertEquals(Architectures.smallCnn(), Architectures.smallCnn().withFilters(32));
        int[] widths = {1, 2};
        Mlp m = Architectures.mlp().withHiddenLayers(widths);
        widths[0] = 99;
        assertArrayEquals(new int[] {1, 2}, m.hiddenLayers()); // copied in
    }

    @Test
    void badOptionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.mlp().withDropout(1.0));
        assertEquals("dropout must be in [0, 1), found 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architectures.mlp().withDropout(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Architectures.mlp().withHiddenLayers());
        assertThrows(IllegalArgumentException.class, () -> Architectures.mlp().withHiddenLayers(3, 0));
        assertThrows(IllegalArgumentException.class, () -> Architectures.resNet18().withWidth(0));
        assertThrows(IllegalArgumentException.class, () -> Architectures.vgg16().withWidth(-1));
        assertThrows(IllegalArgumentException.class, () -> Architectures.smallCnn().withFilters(0));
    }
}
