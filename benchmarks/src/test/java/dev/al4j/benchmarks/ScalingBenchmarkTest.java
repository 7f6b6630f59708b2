package dev.al4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.StrategyCatalog;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link ScalingBenchmark} on a small instance: every strategy of its grid runs on the outputs it reads, the
 * strategies are the registry's, and the k-means iteration cap applies to k-means only.
 */
class ScalingBenchmarkTest {

    private static ScalingBenchmark small(String strategy, String kMeansMaxIterations) {
        ScalingBenchmark b = new ScalingBenchmark();
        b.strategy = strategy;
        b.candidates = 500;
        b.labeled = 80;
        b.dimension = 24;
        b.classes = 10;
        b.passes = 4;
        b.budget = 40;
        b.kMeansMaxIterations = kMeansMaxIterations;
        b.setUp();
        return b;
    }

    @Test
    void everyStrategyOfTheGridRunsOnTheOutputsItReads() throws NoSuchFieldException {
        List<String> grid = List.of(ScalingBenchmark.class.getField("strategy").getAnnotation(Param.class).value());
        assertEquals(List.of("entropy", "bald", "kCenterGreedy", "badge", "kMeans", "featureSimilarity",
                "deepFeatureModeling"), grid, "the strategies issue 9 asks for");
        for (String name : grid) {
            ScalingBenchmark b = small(name, ScalingBenchmark.DEFAULT);
            StrategyCatalog.Reads reads = StrategyRegistry.get(name).reads();
            assertEquals(reads == StrategyCatalog.Reads.EMBEDDINGS, b.setting.model().supports(EmbeddingModel.class),
                    name);
            assertEquals(reads == StrategyCatalog.Reads.MC_PASSES, b.setting.model().supports(StochasticModel.class),
                    name);
            assertEquals(StrategyRegistry.get(name).create(), b.query, name + " is the registry's strategy");
            Selection s = b.select();
            assertEquals(40, s.size(), name);
            assertEquals(40, Arrays.stream(s.ids()).distinct().count(), name);
            assertTrue(Arrays.stream(s.ids()).allMatch(id -> id < 500), name + " picks candidates only");
        }
    }

    @Test
    void theCandidateGridIsTheIssuesSizes() throws NoSuchFieldException {
        assertEquals(List.of("10000", "100000", "1000000"),
                List.of(ScalingBenchmark.class.getField("candidates").getAnnotation(Param.class).value()));
    }

    @Test
    void kMeansIterationCapAppliesToKMeansOnly() {
        QueryStrategy kMeans = StrategyRegistry.get("kMeans").create();
        assertSame(kMeans, ScalingBenchmark.withIterationCap(kMeans, ScalingBenchmark.DEFAULT));
        assertEquals(Strategies.kMeans().withSeed(1).withMaxIterations(2),
                ScalingBenchmark.withIterationCap(kMeans, "2"));
        QueryStrategy entropy = StrategyRegistry.get("entropy").create();
        assertSame(entropy, ScalingBenchmark.withIterationCap(entropy, "2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalingBenchmark.withIterationCap(kMeans, "two"));
        assertTrue(e.getMessage().contains("kMeansMaxIterations") && e.getMessage().contains("'two'"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScalingBenchmark.withIterationCap(kMeans, "-1"));
        // The capped strategy runs and gives the budget.
        assertEquals(40, small("kMeans", "1").select().size());
    }
}
