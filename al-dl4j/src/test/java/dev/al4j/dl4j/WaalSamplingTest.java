package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** WAAL's query by hand, and the strategy contract over a table of probabilities and critic scores. */
class WaalSamplingTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Dl4jStrategies.waal();
    }

    @Override
    protected Model model(Pool pool, long seed) {
        double[] critic = new double[pool.size()];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < critic.length; i++) {
            critic[i] = r.nextDouble();
        }
        return new TableModel(TestModels.random(pool.size(), pool.numClasses(), 4, 2, seed), critic);
    }

    /** Probabilities from a precomputed model and a critic score per id. */
    record TableModel(PrecomputedModel probabilities, double[] critic) implements WassersteinCriticModel {
        @Override
        public int numClasses() {
            return probabilities.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return probabilities.probabilities(pool, ids);
        }

        @Override
        public CriticOutputs criticOutputs(Pool pool, int[] ids) {
            double[] d = new double[ids.length];
            for (int i = 0; i < ids.length; i++) {
                d[i] = critic[ids[i]];
            }
            return new CriticOutputs(probabilities(pool, ids), Nd4j.createFromArray(d));
        }
    }

    @Test
    void scoresByHand() {
        // p = (0.5, 0.5), d = 0.2: ‖log p‖₁ = 2 ln 2 = 1.3862944, ‖log p‖₂ = √2 ln 2 = 0.9802581;
        //   10·0.2 − ½(1.3862944 + 0.9802581) = 0.8167238.
        // p = (0.9, 0.1), d = 0.5: −ln 0.9 = 0.1053605, −ln 0.1 = 2.3025851; ‖·‖₁ = 2.4079456,
        //   ‖·‖₂ = √(0.0111008 + 5.3018981) = 2.3049943; 10·0.5 − ½(4.7129399) = 2.6435300.
        // p = (1, 0), d = 0: ln 0 floored at ln 1e-30 = −69.0775528; 0 − ½(69.0775528 + 69.0775528) = −69.0775528.
        INDArray p = Nd4j.createFromArray(new float[][] {{0.5f, 0.5f}, {0.9f, 0.1f}, {1f, 0f}});
        INDArray d = Nd4j.createFromArray(0.2f, 0.5f, 0f);
        assertArrayEquals(new double[] {0.8167238, 2.6435300, -69.0775528}, WaalSampling.scores(p, d, 10), 2e-6);
        // with λ = 0 only uncertainty counts: the uniform row scores highest
        double[] u = WaalSampling.scores(p, d, 0);
        assertTrue(u[0] > u[1] && u[1] > u[2]);
    }

    @Test
    void selectsByCriticAgainstUncertaintyTiesToTheLowerId() {
        // ids 0–3 unlabeled, 4 labeled. Scores (λ = 10): id 0: uniform, d = 0.1 → 1 − 1.1832756 = −0.1832756;
        // id 1: (0.9, 0.1), d = 0.4 → 4 − 2.3564700 = 1.6435300; id 2 = id 0's row; id 3: uniform, d = 0.3 → 1.8167238.
        Pool pool = Pool.withoutInputs(5, 2).withLabels(new int[] {4}, new int[] {1});
        double[][] rows = {{0.5, 0.5}, {0.9, 0.1}, {0.5, 0.5}, {0.5, 0.5}, {0.2, 0.8}};
        PrecomputedModel probs = PrecomputedModel.builder(Nd4j.createFromArray(rows)).build();
        TableModel model = new TableModel(probs, new double[] {0.1, 0.4, 0.1, 0.3, 0.9});
        Selection s = Dl4jStrategies.waal().select(pool, model, 3);
        assertArrayEquals(new int[] {3, 1, 0}, s.ids());
        assertEquals(1.8167238, s.scores().get()[0], 1e-6);
        assertArrayEquals(new int[] {3, 1, 0, 2}, Dl4jStrategies.waal().select(pool, model, 9).ids());
        // with λ = 0 the three uniform rows tie: lower ids first
        assertArrayEquals(new int[] {0, 2, 3}, Dl4jStrategies.waal().withSelectionWeight(0).select(pool, model, 3)
                .ids());
    }

    @Test
    void optionsAndValueSemantics() {
        WaalSampling w = Dl4jStrategies.waal();
        assertEquals("Dl4jStrategies.waal()", w.toString());
        assertEquals(10, w.selectionWeight());
        assertEquals("Dl4jStrategies.waal().withSelectionWeight(2.5)", w.withSelectionWeight(2.5).toString());
        assertEquals(w, Dl4jStrategies.waal().withSelectionWeight(10));
        assertEquals(w.hashCode(), Dl4jStrategies.waal().hashCode());
        assertNotEquals(w, w.withSelectionWeight(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.withSelectionWeight(-1));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.withSelectionWeight(Double.NaN));
    }

    @Test
    void aModelWithoutACriticIsRejected() {
        Pool pool = pool(20, 3, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.waal().select(pool, TestModels.random(20, 3, 4, 2, 1), 3));
        assertTrue(e.getMessage().contains("WassersteinCriticModel"), e.getMessage());
    }

    @Test
    void nonFiniteCriticScoresAreRejected() {
        Pool pool = pool(20, 3, 4, 2);
        double[] critic = new double[20];
        critic[7] = Double.NaN;
        TableModel bad = new TableModel(TestModels.random(20, 3, 4, 2, 2), critic);
        assertThrows(IllegalArgumentException.class, () -> Dl4jStrategies.waal().select(pool, bad, 3));
    }
}
