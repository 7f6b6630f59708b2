package dev.al4j.strategies.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.strategies.Strategies;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one read-and-check layer: strategies of both packages start a query the same way (one order of checks, one
 * message for each fault), return the empty selection before reading any output, and read probabilities that equal
 * the model's.
 */
class QueryOutputsTest {

    /** Strategies of both packages, which all start through {@link QueryOutputs#begin}. */
    private static List<QueryStrategy> strategies() {
        return List.of(Strategies.entropy(), Strategies.margin(), Strategies.featureSimilarity(),
                Strategies.deepFeatureModeling(), Strategies.kCenterGreedy(), Strategies.badge(), Strategies.kMeans(),
                Strategies.dbal(), Strategies.clusterMargin(), Strategies.prefilter(Strategies.entropy(), 2)
                        .then(Strategies.kCenterGreedy()));
    }

    @Test
    void everyStrategyRejectsTheSameFaultsWithTheSameMessages() {
        PrecomputedModel model = TestModels.random(20, 3, 4, 2, 5);
        Pool pool = Pool.withoutInputs(20, 3).withLabels(new int[] {0, 1, 2}, new int[] {0, 1, 2});
        for (QueryStrategy s : strategies()) {
            assertEquals("model has 3 classes but the pool has 4", assertThrows(IllegalArgumentException.class,
                    () -> s.select(Pool.withoutInputs(20, 4), model, 2)).getMessage(), s.toString());
            assertEquals("budget must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
                    () -> s.select(pool, model, -1)).getMessage(), s.toString());
            assertEquals("pool must not be null", assertThrows(NullPointerException.class,
                    () -> s.select(null, model, 1)).getMessage(), s.toString());
            assertEquals("model must not be null", assertThrows(NullPointerException.class,
                    () -> s.select(pool, null, 1)).getMessage(), s.toString());
        }
    }

    @Test
    void theEmptySelectionReadsNoOutput() {
        // A model whose outputs hold NaN, so that reading them throws: a zero budget, or a pool with no candidate,
        // must not read them.
        PrecomputedModel clean = TestModels.random(6, 3, 4, 2, 5);
        Model poisoned = TestModels.poisoned(clean);
        Pool pool = Pool.withoutInputs(6, 3);
        Pool allLabeled = pool.withLabels(new int[] {0, 1, 2, 3, 4, 5}, new int[] {0, 1, 2, 0, 1, 2});
        for (QueryStrategy s : List.of(Strategies.entropy(), Strategies.margin(), Strategies.bald())) {
            Selection none = s.select(pool, poisoned, 0);
            assertEquals(0, none.size(), s.toString());
            assertEquals(0, s.select(allLabeled, poisoned, 3).size(), s.toString());
        }
        assertNull(QueryOutputs.candidates(pool, 0));
        assertNull(QueryOutputs.candidates(allLabeled, 3));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, QueryOutputs.candidates(pool, 1));
    }

    @Test
    void probabilitiesAreTheModelsAndFaultsNameTheId() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] p = TestModels.softmaxRows(8, 3, 2.0, random);
        PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(p)).build();
        Pool pool = Pool.withoutInputs(8, 3);
        int[] ids = {6, 2, 3};
        float[] read = QueryOutputs.probabilities(pool, model, ids, "model probabilities");
        for (int i = 0; i < ids.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals((float) p[ids[i]][c], read[i * 3 + c], 0f);
            }
        }
        // The same rows through the INDArray path (a model that is not RowArrays): the same floats.
        Model plain = new Model() {
            @Override
            public int numClasses() {
                return 3;
            }

            @Override
            public org.nd4j.linalg.api.ndarray.INDArray probabilities(Pool pool, int[] ids) {
                return model.probabilities(pool, ids);
            }
        };
        assertArrayEquals(read, QueryOutputs.probabilities(pool, plain, ids, "model probabilities"));
        double[][] bad = {{0.5, 0.5, 0}, {0.2, 0.2, 0.2}};
        Model wrong = new Model() { // PrecomputedModel would refuse these rows when built
            @Override
            public int numClasses() {
                return 3;
            }

            @Override
            public org.nd4j.linalg.api.ndarray.INDArray probabilities(Pool pool, int[] ids) {
                return Nd4j.create(bad);
            }
        };
        String m = assertThrows(IllegalArgumentException.class,
                () -> QueryOutputs.probabilities(Pool.withoutInputs(2, 3), wrong, new int[] {0, 1}, "p")).getMessage();
        assertTrue(m.contains("p rows must sum to 1") && m.contains("row 1") && m.contains("(id 1)"), m);
    }
}
