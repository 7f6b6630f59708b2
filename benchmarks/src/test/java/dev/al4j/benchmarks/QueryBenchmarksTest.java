package dev.al4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Param;

/**
 * The query benchmarks run what they claim on small instances of their fixtures: every registered strategy picks
 * distinct candidates, entropy picks the naive top-b, and the shared fixture is what its javadoc says.
 */
class QueryBenchmarksTest {

    private static QueryTimeBenchmark small(String strategy) {
        QueryTimeBenchmark b = new QueryTimeBenchmark();
        b.strategy = strategy;
        b.candidates = 600;
        b.labeled = 100;
        b.dimension = 32;
        b.classes = 10;
        b.passes = 5;
        b.budget = 50;
        b.setUp();
        return b;
    }

    private static List<String> paramValues(Class<?> type) throws NoSuchFieldException {
        return List.of(type.getField("strategy").getAnnotation(Param.class).value());
    }

    @Test
    void queryTimeTableCoversTheRegistryInOrder() throws NoSuchFieldException {
        List<String> names = StrategyRegistry.entries().stream().map(StrategyRegistry.Entry::name).toList();
        assertEquals(names, paramValues(QueryTimeBenchmark.class));
        assertTrue(names.containsAll(paramValues(ScalingBenchmark.class)));
        List<String> endToEnd = new java.util.ArrayList<>(paramValues(EndToEndRoundBenchmark.class));
        assertTrue(endToEnd.remove(EndToEndRoundBenchmark.LEARNING_LOSS));
        assertTrue(names.containsAll(endToEnd));
        assertThrows(IllegalArgumentException.class, () -> StrategyRegistry.get("noSuchStrategy"));
    }

    @Test
    void everyRegisteredStrategyPicksDistinctCandidates() {
        for (StrategyRegistry.Entry e : StrategyRegistry.entries()) {
            QueryTimeBenchmark b = small(e.name());
            Selection s = b.select();
            Set<Integer> candidates = Arrays.stream(b.setting.pool().candidates()).boxed().collect(Collectors.toSet());
            assertEquals(50, s.size(), e.name());
            assertEquals(50, Arrays.stream(s.ids()).distinct().count(), e.name());
            assertTrue(Arrays.stream(s.ids()).allMatch(candidates::contains), e.name());
        }
    }

    @Test
    void entropyQueryIsTheNaiveTopB() {
        QueryTimeBenchmark b = small("entropy");
        int[] candidates = b.setting.pool().candidates();
        INDArray p = b.setting.model().probabilities(b.setting.pool(), candidates);
        double[] h = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            for (int c = 0; c < b.classes; c++) {
                double q = p.getDouble(i, c);
                h[i] -= q > 0 ? q * Math.log(q) : 0;
            }
        }
        int[] expected = IntStream.range(0, candidates.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -h[i]).thenComparingInt(i -> i)).limit(b.budget)
                .mapToInt(i -> candidates[i]).toArray();
        assertArrayEquals(expected, b.select().ids());
    }

    @Test
    void fixtureHasTheRequestedOutputsAndLabels() {
        ScalSetting s = ScalSetting.builder().candidates(300).labeled(40).dimension(16).classes(4).passes(3).seed(5)
                .build();
        assertEquals(340, s.pool().size());
        assertEquals(300, s.pool().candidates().length);
        assertEquals(340, s.model().size());
        assertEquals(16, s.model().embeddingSize());
        assertEquals(3, s.model().defaultPasses());
        assertTrue(s.model().supports(EmbeddingModel.class) && s.model().supports(StochasticModel.class));
        int[] labeled = s.pool().labeled();
        assertEquals(300, labeled[0]);
        // A labeled sample's label is its blob's class: the class its probabilities favour by +3 logits, so the
        // label should be the arg-max far more often than 1 in 4.
        INDArray p = s.model().probabilities(s.pool(), labeled);
        int[] labels = s.pool().labelsOf(labeled);
        long agree = IntStream.range(0, labeled.length).filter(i -> p.getRow(i).argMax().getInt(0) == labels[i])
                .count();
        assertTrue(agree > labeled.length / 2, "arg-max agrees with the label on " + agree + " of 40");
        ScalSetting again = ScalSetting.builder().candidates(300).labeled(40).dimension(16).classes(4).passes(3)
                .seed(5).build();
        int[] all = IntStream.range(0, 340).toArray();
        assertEquals(s.model().predict(s.pool(), all).embeddings(), again.model().predict(again.pool(), all)
                .embeddings());
        ScalSetting noEmbeddings = ScalSetting.builder().candidates(50).labeled(0).embeddings(false).build();
        assertTrue(!noEmbeddings.model().supports(EmbeddingModel.class));
        assertTrue(!noEmbeddings.model().supports(StochasticModel.class));
    }

    @Test
    void bandwidthPassesAgreeWithTheNaiveDistance() {
        MemoryBandwidthBenchmark b = new MemoryBandwidthBenchmark();
        b.rows = 1001;
        b.cols = 37; // not a multiple of 8: the tail loop runs
        b.setUp();
        float[] all = b.allCores().clone();
        float[] one = b.oneCore().clone();
        for (int i = 0; i < b.rows; i++) {
            double naive = 0;
            for (int j = 0; j < b.cols; j++) {
                double d = b.matrix[i * b.cols + j] - b.centre[j];
                naive += d * d;
            }
            assertEquals(naive, all[i], 1e-4 * naive, "row " + i);
            assertEquals(all[i], one[i], 0.0f, "row " + i);
        }
    }

    @Test
    void endToEndRoundRunsOnASmallPool() {
        endToEndOnASmallPool("entropy");
    }

    @Test
    void endToEndLearningLossRunsOnASmallPool() {
        endToEndOnASmallPool(EndToEndRoundBenchmark.LEARNING_LOSS);
    }

    private static void endToEndOnASmallPool(String strategy) {
        EndToEndRoundBenchmark b = new EndToEndRoundBenchmark();
        b.strategy = strategy;
        b.candidates = 300;
        b.labeled = 60;
        b.budget = 20;
        b.epochs = 1;
        b.setUp();
        Selection round = b.round();
        Selection query = b.query();
        assertEquals(20, round.size());
        // The same seed gives the same network, so the round's fit equals the one in setup: same picks.
        assertArrayEquals(query.ids(), round.ids());
        assertTrue(Arrays.stream(query.ids()).allMatch(id -> id < 300));
    }
}
