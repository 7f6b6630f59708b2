package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.strategies.internal.QueryOutputs;
import org.junit.jupiter.api.Test;

/** The cache hands over as {@code RowArrays} the values its {@code INDArray} methods give, cached ids or not. */
class OutputCacheTest {

    @Test
    void rowArraysEqualTheArrays() {
        int n = 40;
        PrecomputedModel model = Fixtures.random(n, 4, 5, 3);
        Pool pool = Pool.withoutInputs(n, 4);
        int[] cached = {3, 7, 8, 20, 39};
        OutputCache cache = new OutputCache(model, pool, ModelOutputs.read(model, pool, cached, true));
        for (int[] ids : new int[][] {{39, 3, 8}, {0, 1, 2}, {7, 5, 20}, {}}) {
            assertArrayEquals(QueryOutputs.toFloats(cache.probabilities(pool, ids)), cache.probabilityRows(pool, ids));
            assertArrayEquals(QueryOutputs.toFloats(model.probabilities(pool, ids)), cache.probabilityRows(pool, ids));
        }
    }
}
