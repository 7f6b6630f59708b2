package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.TrainingData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

class TrainingTest {

    @Test
    void defaultsAndEcho() {
        assertEquals("Training.adam(0.001).withEpochs(20).withBatchSize(64)", Training.defaults().toString());
        Training scal = Training.sgd(0.1).withMomentum(0.9).withWeightDecay(5e-4).withEpochs(200)
                .withLearningRateDecay(0.1, 160);
        assertEquals("Training.sgd(0.1).withMomentum(0.9).withWeightDecay(5.0E-4).withEpochs(200).withBatchSize(64)"
                + ".withLearningRateDecay(0.1, 160)", scal.toString());
        assertEquals("Training.adam(0.001).withEpochs(20).withBatchSize(64).withWarmStart(true)"
                + ".withEarlyStopping(0.2, 3)",
                Training.defaults().withWarmStart(true).withEarlyStopping(0.2, 3).toString());
        assertEquals(Training.defaults(), Training.adam(1e-3).withEpochs(20).withBatchSize(64));
        assertEquals(Training.defaults().hashCode(), Training.adam(1e-3).hashCode());
        assertNotEquals(Training.defaults(), Training.defaults().withWarmStart(true));
        assertEquals(Training.defaults(), Training.defaults().withEarlyStopping(0.1, 2).withoutEarlyStopping());
    }

    @Test
    void stepScheduleMultipliesAtEachMilestone() {
        Training t = Training.sgd(0.1).withLearningRateDecay(0.1, 160, 80);
        // 0.1 before epoch 80, 0.01 from 80, 0.001 from 160
        assertEquals(0.1, t.learningRateAt(0), 1e-12);
        assertEquals(0.1, t.learningRateAt(79), 1e-12);
        assertEquals(0.01, t.learningRateAt(80), 1e-12);
        assertEquals(0.001, t.learningRateAt(160), 1e-12);
        assertEquals(0.001, t.learningRateAt(199), 1e-12);
    }

    @Test
    void updaters() {
        assertTrue(Training.adam(0.01).updater() instanceof Adam);
        assertTrue(Training.sgd(0.01).updater() instanceof Sgd);
        Nesterovs n = (Nesterovs) Training.sgd(0.01).withMomentum(0.9).updater();
        assertEquals(0.9, n.getMomentum(), 0);
    }

    @Test
    void theScheduleAndWeightDecayReachTheNetwork() {
        SyntheticData data = SyntheticData.blobs(40, 10, 2, 3);
        Pool pool = data.pool(40);
        Dl4jModel m = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(4),
                Training.sgd(0.1).withMomentum(0.5).withWeightDecay(1e-3).withEpochs(3).withBatchSize(20)
                        .withLearningRateDecay(0.5, 1, 2)).fit(TrainingData.of(pool, 1));
        // After 3 epochs the epoch counter is 3: 0.1 · 0.5 · 0.5.
        assertEquals(0.025, m.network().getLearningRate("dense0"), 1e-9);
        var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) m.network().getLayer("dense0").conf().getLayer();
        assertEquals(1, layer.getRegularization().size());
        assertEquals(1, layer.getRegularizationBias().size());
    }

    @Test
    void badOptionsNameArgumentAndValue() {
        assertEquals("learningRate must be finite and > 0, found -1.0",
                assertThrows(IllegalArgumentException.class, () -> Training.adam(-1)).getMessage());
        assertEquals("epochs must be > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> Training.defaults().withEpochs(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Training.defaults().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Training.defaults().withMomentum(0.9));
        assertThrows(IllegalArgumentException.class, () -> Training.sgd(0.1).withMomentum(1.0));
        assertThrows(IllegalArgumentException.class, () -> Training.sgd(0.1).withWeightDecay(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Training.sgd(0.1).withLearningRateDecay(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Training.sgd(0.1).withLearningRateDecay(0.1, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> Training.sgd(0.1).withLearningRateDecay(1.5, 5));
        assertThrows(IllegalArgumentException.class, () -> Training.defaults().withEarlyStopping(1.0, 2));
        assertThrows(IllegalArgumentException.class, () -> Training.defaults().withEarlyStopping(0.2, 0));
    }

    @Test
    void learnerValueSemantics() {
        Dl4jLearner a = Dl4jLearner.of(Architectures.mlp(), Training.defaults());
        assertEquals(a, Dl4jLearner.of(Architectures.mlp()));
        assertEquals(a.hashCode(), Dl4jLearner.of(Architectures.mlp()).hashCode());
        assertEquals("Dl4jLearner.of(Architectures.mlp(), Training.adam(0.001).withEpochs(20).withBatchSize(64))"
                + ".withInferenceBatchSize(256).withDefaultPasses(10)",
                a.withInferenceBatchSize(256).withDefaultPasses(10).toString());
        assertThrows(NullPointerException.class, () -> Dl4jLearner.of(null));
        assertThrows(IllegalArgumentException.class, () -> a.withInferenceBatchSize(0));
    }
}
