package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** TopK over "1 - max probability", a minimal acquisition function, keeps the strategy contract. */
class TopKContractTest extends QueryStrategyContract {

    private static final AcquisitionFunction ONE_MINUS_MAX = (pool, model, ids) -> {
        INDArray p = Checks.checkProbabilities(model.probabilities(pool, ids), ids.length, pool.numClasses(),
                "probabilities");
        return p.max(1).rsub(1.0).toDoubleVector();
    };

    @Override
    protected QueryStrategy strategy() {
        return TopK.of(ONE_MINUS_MAX, "oneMinusMax");
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    @Test
    void topBreaksTiesTowardTheLowerId() {
        double[] scores = {0.5, 0.9, 0.5, 0.9, 0.1};
        int[] ids = {40, 30, 20, 10, 0};
        // Best first: 0.9 at ids 10 (pos 3) and 30 (pos 1), then 0.5 at ids 20 (pos 2) and 40 (pos 0).
        assertArrayEquals(new int[] {3, 1, 2, 0}, TopK.top(scores, ids, 4));
        assertArrayEquals(new int[] {3, 1, 2, 0, 4}, TopK.top(scores, ids, 9));
        assertArrayEquals(new int[0], TopK.top(scores, ids, 0));
    }
}
