package dev.al4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.al4j.core.Selection;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The seed-paper benchmark's fixture works at a small size: every variant returns the budget of distinct ids. */
class SeedPaperQueryBenchmarkTest {

    @Test
    void everyVariantSelectsTheBudget() {
        for (String strategy : new String[] {"entropy", "featureSimilarity", "deepFeatureModeling",
            "contrastiveActiveLearning"}) {
            SeedPaperQueryBenchmark b = new SeedPaperQueryBenchmark();
            b.strategy = strategy;
            b.candidates = 600;
            b.dimension = 32;
            b.classes = 5;
            b.labeled = 60;
            b.budget = 50;
            b.setUp();
            Selection s = b.query();
            assertEquals(50, s.size(), strategy);
            assertEquals(50, Arrays.stream(s.ids()).distinct().filter(id -> id < 600).count(), strategy);
        }
    }
}
