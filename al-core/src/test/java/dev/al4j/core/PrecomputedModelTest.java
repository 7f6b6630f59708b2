package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PrecomputedModelTest {

    private static final double[][] PROBS = {{0.1, 0.9}, {0.6, 0.4}, {0.5, 0.5}};

    @Test
    void looksUpRowsByPoolId() {
        INDArray emb = Nd4j.create(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        // mc[t][i] = pass t of id i
        INDArray mc = Nd4j.create(new double[][][] {{{1, 0}, {0, 1}, {0.5, 0.5}}, {{0.2, 0.8}, {0.3, 0.7},
                {0.9, 0.1}}});
        PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(PROBS)).embeddings(emb).mcProbabilities(mc)
                .build();
        Pool pool = Pool.withoutInputs(3, 2);
        int[] ids = {2, 0};
        assertArrayEquals(new double[][] {{0.5, 0.5}, {0.1, 0.9}}, model.probabilities(pool, ids).toDoubleMatrix());
        Predictions p = model.predict(pool, ids);
        assertArrayEquals(new double[][] {{7, 8, 9}, {1, 2, 3}}, p.embeddings().toDoubleMatrix());
        INDArray s = model.stochasticProbabilities(pool, ids, 2, 0);
        assertArrayEquals(new long[] {2, 2, 2}, s.shape());
        assertEquals(0.5, s.getDouble(0, 0, 0), 1e-12); // pass 0, id 2
        assertEquals(0.2, s.getDouble(1, 1, 0), 1e-12); // pass 1, id 0
        assertEquals(1, model.stochasticProbabilities(pool, ids, 1, 0).size(0));
        assertEquals(2, model.defaultPasses());
        assertEquals(3, model.embeddingSize());
    }

    @Test
    void capabilitiesFollowTheDataGiven() {
        PrecomputedModel plain = PrecomputedModel.of(Nd4j.create(PROBS));
        assertTrue(plain.supports(Model.class));
        assertFalse(plain.supports(EmbeddingModel.class));
        assertFalse(plain.supports(StochasticModel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capabilities.require(plain, StochasticModel.class, "Strategies.bald()"));
        assertTrue(e.getMessage().contains("Strategies.bald()") && e.getMessage().contains("StochasticModel"),
                e.getMessage());
    }

    @Test
    void invalidArraysAreRejectedWhenBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> PrecomputedModel.of(Nd4j.create(new double[][] {{0.5, Double.NaN}})));
        assertThrows(IllegalArgumentException.class,
                () -> PrecomputedModel.of(Nd4j.create(new double[][] {{0.5, 0.2}})));
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> PrecomputedModel.builder(Nd4j.create(PROBS)).embeddings(Nd4j.zeros(2, 4)).build());
        assertTrue(rows.getMessage().contains("[3, d]"), rows.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PrecomputedModel.builder(Nd4j.create(PROBS)).mcProbabilities(Nd4j.zeros(2, 3, 2)).build());
        PrecomputedModel model = PrecomputedModel.of(Nd4j.create(PROBS));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> model.probabilities(Pool.withoutInputs(4, 2), new int[] {0}));
        assertTrue(size.getMessage().contains("4 samples") && size.getMessage().contains("cover 3"),
                size.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> model.probabilities(Pool.withoutInputs(3, 2), new int[] {3}));
    }
}
