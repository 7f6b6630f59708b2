package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.LabelStore;
import dev.al4j.core.Learner;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.LoopListener;
import dev.al4j.core.NearestMeanLearner;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.strategies.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cluster-Margin in an {@link ActiveLearningLoop}: the pool is clustered once, in round 1, and the clustering is
 * reused in every later round; with {@link ClusterMargin.Features#INPUTS} a run resumed after a crash asks exactly
 * the queries of an uninterrupted run.
 */
class ClusterMarginLoopTest {

    static final int N = 120;
    static final int K = 3;

    /** {@code N} 2-d points around {@code K} centres on a circle of radius 3, unit noise; truth = centre. */
    static final int[] TRUTH = new int[N];
    static final Pool POOL;

    static {
        SplittableRandom random = new SplittableRandom(11);
        double[][] x = new double[N][2];
        for (int i = 0; i < N; i++) {
            TRUTH[i] = random.nextInt(K);
            double angle = 2 * Math.PI * TRUTH[i] / K;
            x[i][0] = 3 * Math.cos(angle) + TestModels.gaussian(random);
            x[i][1] = 3 * Math.sin(angle) + TestModels.gaussian(random);
        }
        POOL = Pool.of(PoolInputs.of(Nd4j.create(x)), K);
    }

    /** A learner whose models count the ids they embed. */
    static final class CountingLearner implements Learner<EmbeddingModel> {
        final AtomicInteger embedded = new AtomicInteger();
        final List<Integer> embeddedPerModel = new ArrayList<>();

        @Override
        public EmbeddingModel fit(dev.al4j.core.TrainingData data, dev.al4j.core.Progress progress) {
            EmbeddingModel inner = new NearestMeanLearner().fit(data, progress);
            int index = embeddedPerModel.size();
            embeddedPerModel.add(0);
            return new EmbeddingModel() {
                @Override
                public int numClasses() {
                    return inner.numClasses();
                }

                @Override
                public INDArray probabilities(Pool pool, int[] ids) {
                    return inner.probabilities(pool, ids);
                }

                @Override
                public int embeddingSize() {
                    return inner.embeddingSize();
                }

                @Override
                public dev.al4j.core.Predictions predict(Pool pool, int[] ids) {
                    embedded.addAndGet(ids.length);
                    embeddedPerModel.set(index, embeddedPerModel.get(index) + ids.length);
                    return inner.predict(pool, ids);
                }
            };
        }
    }

    /** Thrown to simulate the process dying. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    /** Each round's query. */
    static final class QueryLog implements LoopListener {
        final Map<Integer, List<Integer>> queries = new TreeMap<>();

        @Override
        public void onQueryDone(int round, Selection selection) {
            List<Integer> ids = new ArrayList<>();
            for (int id : selection.ids()) {
                ids.add(id);
            }
            queries.put(round, ids);
        }
    }

    static LoopBuilder builder(Learner<?> learner, QueryStrategy strategy) {
        return ActiveLearningLoop.builder().pool(POOL).learner(learner).strategy(strategy)
                .oracle(Oracles.simulated(TRUTH)).initialSize(6).batchSize(6).budget(36).seed(3);
    }

    @Test
    void theFirstModelEmbedsThePoolOnceAndLaterRoundsReuseTheClustering() {
        CountingLearner learner = new CountingLearner();
        QueryLog log = new QueryLog();
        try (ActiveLearningLoop loop = builder(learner, Strategies.clusterMargin().withSeed(4)).listener(log)
                .build()) {
            loop.run();
        }
        assertEquals(6, log.queries.size(), "rounds 0 (random initial set) to 5");
        // Round 1's model embeds every pool id once (its forward pass also gives the round's margins); the models
        // of rounds 2 to 5 (and the last fit's) embed nothing.
        assertEquals(N, learner.embeddedPerModel.get(0), learner.embeddedPerModel.toString());
        assertEquals(N, learner.embedded.get(), learner.embeddedPerModel.toString());
        assertTrue(learner.embeddedPerModel.size() >= 6, learner.embeddedPerModel.toString());
    }

    @Test
    void withInputsFeaturesAResumedRunAsksTheQueriesOfAnUninterruptedOne() {
        ClusterMargin cm = Strategies.clusterMargin().withClusteringFeatures(ClusterMargin.Features.INPUTS)
                .withClusterCount(8).withSeed(4);
        QueryLog reference = new QueryLog();
        try (ActiveLearningLoop loop = builder(new NearestMeanLearner(), cm).listener(reference).build()) {
            loop.run();
        }
        for (int crashAt : new int[] {2, 4}) {
            LabelStore store = LabelStore.inMemory();
            AtomicInteger calls = new AtomicInteger();
            // A fresh strategy object per process, as after a restart: its cache starts empty.
            ClusterMargin first = Strategies.clusterMargin().withClusteringFeatures(ClusterMargin.Features.INPUTS)
                    .withClusterCount(8).withSeed(4);
            QueryStrategy crashing = new QueryStrategy() {
                @Override
                public Selection select(Pool pool, dev.al4j.core.Model model, int budget) {
                    if (calls.incrementAndGet() == crashAt) {
                        throw new Crash("in query " + crashAt);
                    }
                    return first.select(pool, model, budget);
                }

                @Override
                public String toString() {
                    return first.toString(); // the run's stored configuration names the strategy
                }
            };
            QueryLog before = new QueryLog();
            assertThrows(Crash.class, () -> {
                try (ActiveLearningLoop loop = builder(new NearestMeanLearner(), crashing).labelStore(store)
                        .listener(before).build()) {
                    loop.run();
                }
            });
            QueryLog after = new QueryLog();
            ClusterMargin restarted = Strategies.clusterMargin()
                    .withClusteringFeatures(ClusterMargin.Features.INPUTS).withClusterCount(8).withSeed(4);
            try (ActiveLearningLoop loop = builder(new NearestMeanLearner(), restarted).labelStore(store)
                    .listener(after).build()) {
                loop.run();
            }
            Map<Integer, List<Integer>> all = new TreeMap<>(before.queries);
            all.putAll(after.queries);
            assertEquals(reference.queries, all, "crash in query " + crashAt);
            assertTrue(after.queries.containsKey(5) && !after.queries.containsKey(1), after.queries.keySet().toString());
        }
        // The clustering the restarted object made is the one an object that ran from round 1 made.
        PrecomputedModel any = Fixtures.random(N, K, 2, 1);
        assertEquals(cm.clustering(POOL, any), Strategies.clusterMargin()
                .withClusteringFeatures(ClusterMargin.Features.INPUTS).withClusterCount(8).withSeed(4)
                .clustering(POOL, any));
    }
}
