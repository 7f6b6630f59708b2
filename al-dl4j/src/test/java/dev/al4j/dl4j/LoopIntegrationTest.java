package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DL4J learners inside al-core's loop, with strategies that need embeddings-free and MC-dropout models. */
class LoopIntegrationTest {

    @Test
    void mlpLearnerRunsTheLoopWithEntropyAndBald() {
        SyntheticData data = SyntheticData.blobs(300, 49, 3, 2);
        Pool pool = Pool.of(PoolInputs.of(data.inputs), 3);
        Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(32, 16),
                Training.adam(1e-3).withEpochs(2).withBatchSize(16)).withDefaultPasses(5);
        for (QueryStrategy strategy : List.of(Strategies.entropy(), Strategies.bald())) {
            LoopResult result = ActiveLearningLoop.builder().pool(pool).learner(learner).strategy(strategy)
                    .oracle(Oracles.simulated(data.labels)).initialSize(20).batchSize(10).budget(40).seed(3)
                    .build().run();
            assertEquals(40, result.finalPool().labeledCount(), strategy.toString());
            assertEquals(3, result.rounds().size(), strategy.toString()); // 20 initial, then 2 rounds of 10
        }
    }

    @Test
    void learningLossRunsTheLoop() {
        SyntheticData data = SyntheticData.blobs(120, 25, 3, 6);
        Pool pool = Pool.of(PoolInputs.of(data.inputs), 3);
        Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16, 8),
                Training.adam(1e-3).withEpochs(2).withBatchSize(10)).withLossPrediction();
        LoopResult result = ActiveLearningLoop.builder().pool(pool).learner(learner)
                .strategy(Dl4jStrategies.learningLoss()).oracle(Oracles.simulated(data.labels)).initialSize(20)
                .batchSize(10).budget(40).seed(2).build().run();
        assertEquals(40, result.finalPool().labeledCount());
    }

    @Test
    void palRunsTheLoop() {
        SyntheticData data = SyntheticData.blobs(60, 36, 3, 9);
        Pool pool = Pool.of(PoolInputs.of(data.inputs.reshape('c', 60, 1, 6, 6)), 3);
        Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(8),
                Training.adam(1e-3).withEpochs(1).withBatchSize(10));
        PretextActiveLearning pal = Dl4jStrategies.pal(Architectures.mlp().withHiddenLayers(8),
                Training.adam(1e-3).withEpochs(1).withBatchSize(10)).withSubQueries(2).withSeed(1);
        LoopResult result = ActiveLearningLoop.builder().pool(pool).learner(learner).strategy(pal)
                .oracle(Oracles.simulated(data.labels)).initialSize(12).batchSize(6).budget(24).seed(5).build().run();
        assertEquals(24, result.finalPool().labeledCount());
    }

    @Test
    void smallCnnAndNarrowResNetRunTheLoopOnImages() {
        SyntheticData data = SyntheticData.blobs(60, 784, 2, 4);
        Pool pool = Pool.of(PoolInputs.of(data.asImages(28)), 2);
        for (Architecture a : List.of(Architectures.smallCnn().withFilters(4).withDenseSize(16),
                Architectures.resNet18().withWidth(2).withDropout(0.5))) {
            Dl4jLearner learner = Dl4jLearner.of(a, Training.adam(1e-3).withEpochs(1).withBatchSize(10))
                    .withDefaultPasses(3);
            LoopResult result = ActiveLearningLoop.builder().pool(pool).learner(learner).strategy(Strategies.bald())
                    .oracle(Oracles.simulated(data.labels)).initialSize(10).batchSize(5).budget(15).seed(1)
                    .build().run();
            assertEquals(15, result.finalPool().labeledCount(), a.toString());
            assertTrue(result.rounds().size() >= 2, a.toString());
        }
    }
}
