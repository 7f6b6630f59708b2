package dev.al4j.dl4j;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The strategy contract for Learning Loss, over a table of predicted losses keyed by pool id. */
class LearningLossContractTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Dl4jStrategies.learningLoss();
    }

    @Override
    protected Model model(Pool pool, long seed) {
        return new TableModel(TestModels.random(pool.size(), pool.numClasses(), 4, 2, seed), seed);
    }

    /** Probabilities from a precomputed model and distinct random predicted losses per id. */
    record TableModel(PrecomputedModel probabilities, long seed) implements LossPredictionModel {
        @Override
        public int numClasses() {
            return probabilities.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return probabilities.probabilities(pool, ids);
        }

        @Override
        public INDArray predictedLosses(Pool pool, int[] ids) {
            double[] all = new double[pool.size()];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < all.length; i++) {
                all[i] = r.nextDouble();
            }
            double[] picked = new double[ids.length];
            for (int i = 0; i < ids.length; i++) {
                picked[i] = all[ids[i]];
            }
            return Nd4j.createFromArray(picked);
        }
    }
}
