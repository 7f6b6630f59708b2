package dev.al4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The benchmarked scoring variants compute what the strategies compute, on small instances of their fixtures. */
class ScoringBenchmarksTest {

    private static int[] allIds(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void singleModelBenchmarksAgreeWithTheStrategies() {
        UncertaintyScoringBenchmark b = new UncertaintyScoringBenchmark();
        b.n = 3000;
        b.k = 10;
        b.setUp();
        int[] ids = allIds(b.n);
        double[] entropy = b.entropy();
        assertArrayEquals(Strategies.entropy().score(b.pool, b.model, ids), entropy, 0.0);
        assertArrayEquals(Strategies.margin().score(b.pool, b.model, ids), b.margin(), 0.0);
        assertArrayEquals(Strategies.leastConfidence().score(b.pool, b.model, ids), b.leastConfidence(), 0.0);
        for (double h : entropy) {
            assertTrue(h >= 0 && h <= Math.log(10) + 1e-12, "entropy " + h);
        }
        // The query: the 1 000 highest entropies, highest first, ties toward the lower id.
        Selection query = b.entropyQuery();
        int[] expected = IntStream.range(0, b.n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -entropy[i]).thenComparingInt(i -> i))
                .limit(1000).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, query.ids());
        assertArrayEquals(topIds(b.margin(), 1000), b.marginQuery().ids());
        assertArrayEquals(topIds(b.leastConfidence(), 1000), b.leastConfidenceQuery().ids());
    }

    /** The ids 0..n-1 of the {@code b} highest scores, highest first, ties toward the lower id. */
    private static int[] topIds(double[] scores, int b) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(b).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void bayesianBenchmarksAgreeWithTheStrategies() {
        BayesianScoringBenchmark b = new BayesianScoringBenchmark();
        b.t = 6;
        b.n = 1500;
        b.k = 10;
        b.setUp();
        Pool pool = Pool.withoutInputs(b.n, b.k);
        PrecomputedModel model = PrecomputedModel.builder(b.samples.mean(0)).mcProbabilities(b.samples).build();
        int[] ids = allIds(b.n);
        double[] bald = b.bald();
        double[] entropyMc = b.entropyMc();
        assertArrayEquals(Strategies.bald().score(pool, model, ids), bald, 0.0);
        assertArrayEquals(Strategies.meanStd().score(pool, model, ids), b.meanStd(), 0.0);
        assertArrayEquals(Strategies.entropyMc().score(pool, model, ids), entropyMc, 0.0);
        for (int i = 0; i < b.n; i++) {
            assertTrue(bald[i] >= 0 && bald[i] <= entropyMc[i] + 1e-12, "BALD " + bald[i]);
        }
        assertEquals(b.n, Arrays.stream(bald).filter(Double::isFinite).count());
        assertArrayEquals(topIds(bald, 1000), b.baldQuery().ids());
        assertArrayEquals(topIds(b.meanStd(), 1000), b.meanStdQuery().ids());
    }
}
