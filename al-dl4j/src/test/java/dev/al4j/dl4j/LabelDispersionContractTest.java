package dev.al4j.dl4j;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;

/** The strategy contract for label dispersion, over random per-id probabilities of 6 recorded epochs. */
class LabelDispersionContractTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Dl4jStrategies.labelDispersion();
    }

    @Override
    protected Model model(Pool pool, long seed) {
        int epochs = 6;
        SplittableRandom random = new SplittableRandom(seed);
        double[][][] p = new double[epochs][][];
        for (int e = 0; e < epochs; e++) {
            p[e] = TestModels.softmaxRows(pool.size(), pool.numClasses(), 2.0, random);
        }
        return new LabelDispersionTest.HistoryModel(p, pool.numClasses());
    }
}
