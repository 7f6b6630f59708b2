package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * k-center on Spark: the exact mode picks what {@code Strategies.kCenterGreedy()} picks on the same floats (with and
 * without labeled samples), and its radius is the textbook {@code max_i min_j ‖x_i − c_j‖}; the scalable mode's
 * radius stays within its bound, 4 times the exact greedy's (the greedy is a 2-approximation of the optimum, the
 * composable core set a 4-approximation).
 */
class KCenterOnSparkTest {

    static final int N = 2000;
    static final int D = 16;
    static final int K = 4;

    static float[][] x;
    static SparkPool pool;
    static SparkPool unlabeledPool;
    static Pool single;
    static Pool unlabeledSingle;
    static Model model;

    @BeforeAll
    static void data() {
        SplittableRandom random = new SplittableRandom(5);
        x = SparkTests.blobs(N, D, 12, random);
        int[] labeled = new int[20];
        int[] labels = new int[20];
        for (int j = 0; j < 20; j++) {
            labeled[j] = 1 + 97 * j;
            labels[j] = j % K;
        }
        SparkPool base = SparkPool.of(SparkTests.dataset("e", x, 4, 3)).withEmbeddingsColumn("e");
        pool = base.withLabeled(SparkTests.longs(labeled), labels);
        unlabeledPool = base;
        single = SparkTests.pool(N, K, labeled, labels);
        unlabeledSingle = Pool.withoutInputs(N, K);
        float[][] p = SparkTests.probabilities(N, K, 1.0, random);
        model = SparkTests.model(p).embeddings(Nd4j.create(SparkTests.flat(x), new long[] {N, D}, 'c')).build();
    }

    /** {@code max_i min_j ‖x_i − c_j‖} over the candidates, in double, the centres being labeled ids and picks. */
    static double naiveRadius(long[] labeled, long[] picks) {
        java.util.Set<Long> centres = new java.util.HashSet<>();
        for (long id : labeled) {
            centres.add(id);
        }
        for (long id : picks) {
            centres.add(id);
        }
        java.util.Set<Long> labeledSet = new java.util.HashSet<>();
        for (long id : labeled) {
            labeledSet.add(id);
        }
        double worst = 0;
        for (int i = 0; i < N; i++) {
            if (labeledSet.contains((long) i)) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (long c : centres) {
                double s = 0;
                for (int k = 0; k < D; k++) {
                    double v = x[i][k] - x[(int) c][k];
                    s += v * v;
                }
                best = Math.min(best, s);
            }
            worst = Math.max(worst, best);
        }
        return Math.sqrt(worst);
    }

    @Test
    void exactModePicksWhatTheSingleMachineGreedyPicks() {
        SparkSelection s = SparkStrategies.kCenterGreedy().select(pool, 20);
        Selection expected = Strategies.kCenterGreedy().select(single, model, 20);
        assertArrayEquals(SparkTests.longs(expected.ids()), s.ids());
        // The single machine takes the distances to the labeled set from a gemm: equal up to float rounding.
        assertArrayEquals(expected.scores().orElseThrow(), s.scores(), 1e-4);
        assertEquals(naiveRadius(pool.labeledIds(), s.ids()), s.radius().orElseThrow(), 1e-4);
    }

    @Test
    void exactModeWithoutLabelsStartsNearTheMeanAsTheSingleMachineDoes() {
        SparkSelection s = SparkStrategies.kCenterGreedy().select(unlabeledPool, 10);
        Selection expected = Strategies.kCenterGreedy().select(unlabeledSingle, model, 10);
        assertArrayEquals(SparkTests.longs(expected.ids()), s.ids());
        assertEquals(Double.POSITIVE_INFINITY, s.scores()[0]);
        assertArrayEquals(expected.scores().orElseThrow(), s.scores(), 1e-4);
    }

    @Test
    void scalableModeStaysWithinFourTimesTheExactRadius() {
        for (int b : new int[] {5, 12}) {
            SparkSelection exact = SparkStrategies.kCenterGreedy().select(pool, b);
            SparkSelection fast = SparkStrategies.kCenterGreedy().withMode(Mode.SCALABLE).select(pool, b);
            assertEquals(b, fast.size());
            assertEquals(b, java.util.Arrays.stream(fast.ids()).distinct().count(), "distinct ids");
            for (long id : fast.ids()) {
                assertTrue(id >= 0 && id < N && java.util.Arrays.stream(pool.labeledIds()).noneMatch(l -> l == id),
                        "a candidate: " + id);
            }
            double r = fast.radius().orElseThrow();
            assertEquals(naiveRadius(pool.labeledIds(), fast.ids()), r, 1e-4);
            assertTrue(r <= 4 * exact.radius().orElseThrow(), "radius " + r + " vs exact "
                    + exact.radius().orElseThrow());
        }
    }

    @Test
    void aBudgetAboveTheCandidatesTakesThemAllAndCoversWithRadiusZero() {
        SparkPool small = SparkPool.of(SparkTests.dataset("e", java.util.Arrays.copyOf(x, 12), 3, 4))
                .withEmbeddingsColumn("e");
        for (Mode mode : Mode.values()) {
            SparkSelection s = SparkStrategies.kCenterGreedy().withMode(mode).select(small, 20);
            assertEquals(12, s.size());
            assertEquals(0.0, s.radius().orElseThrow());
        }
        assertEquals(0, SparkStrategies.kCenterGreedy().select(small, 0).size());
    }

    @Test
    void toStringEchoesTheMode() {
        assertEquals("SparkStrategies.kCenterGreedy()", SparkStrategies.kCenterGreedy().toString());
        assertEquals("SparkStrategies.kCenterGreedy().withMode(Mode.SCALABLE)",
                SparkStrategies.kCenterGreedy().withMode(Mode.SCALABLE).toString());
    }
}
