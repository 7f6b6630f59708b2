package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BADGE on Spark: the exact mode draws what the textbook k-means++ seeding draws for the same seed; both
 * modes report the D² cost that a naive computation on the materialised gradient embeddings gives; the scalable mode
 * (k-means‖) stays within k-means++'s bound {@code 8(ln b + 2)} of the exact mode's cost.
 */
class BadgeOnSparkTest {

    static final int N = 1500;
    static final int K = 5;
    static final int D = 8;

    static float[][] probs;
    static float[][] emb;
    static SparkPool pool;
    static Pool single;
    static Model model;

    @BeforeAll
    static void data() {
        SplittableRandom random = new SplittableRandom(23);
        probs = SparkTests.probabilities(N, K, 3.0, random);
        emb = SparkTests.blobs(N, D, 8, random);
        int[] labeled = {2, 50, 700, 1499};
        int[] labels = {0, 1, 2, 3};
        Dataset<Row> d = SparkTests.dataset(probs, emb, 3, 5);
        pool = SparkPool.of(d).withProbabilitiesColumn("p").withEmbeddingsColumn("e")
                .withLabeled(SparkTests.longs(labeled), labels);
        single = SparkTests.pool(N, K, labeled, labels);
        model = SparkTests.model(probs).embeddings(Nd4j.create(SparkTests.flat(emb), new long[] {N, D}, 'c')).build();
    }

    /** The materialised gradient embedding {@code (p − onehot(argmax p)) ⊗ z} of row i, in double. */
    static double[] gradient(int i) {
        float[] a = GradientBlock.residual(probs[i]);
        double[] g = new double[K * D];
        for (int c = 0; c < K; c++) {
            for (int k = 0; k < D; k++) {
                g[c * D + k] = (double) a[c] * emb[i][k];
            }
        }
        return g;
    }

    static double naiveCost(long[] picks) {
        double[][] centres = Arrays.stream(picks).mapToObj(id -> gradient((int) id)).toArray(double[][]::new);
        double total = 0;
        for (int i = 0; i < N; i++) {
            if (single.isLabeled(i)) {
                continue;
            }
            double[] g = gradient(i);
            double best = Double.POSITIVE_INFINITY;
            for (double[] c : centres) {
                double s = 0;
                for (int j = 0; j < g.length; j++) {
                    s += (g[j] - c[j]) * (g[j] - c[j]);
                }
                best = Math.min(best, s);
            }
            total += best;
        }
        return total;
    }

    /**
     * The textbook k-means++ seeding of BADGE on the materialised gradients, the reference of the exact mode: the
     * unlabeled row of largest ‖g‖ first (lowest id on ties), then per pick one draw {@code u = U·ΣD²} from
     * {@code SplittableRandom(seed)} and the first row, in id order, whose running D² sum exceeds {@code u}. Scores
     * are the distances {@code √D²} at the pick. (The single-machine {@code Strategies.badge()} draws from the same
     * distribution through a sum tree of stale bounds, so its draws for a seed are other ones.)
     */
    static Selection textbook(long seed, int b) {
        int[] candidates = single.candidates();
        double[][] g = Arrays.stream(candidates).mapToObj(BadgeOnSparkTest::gradient).toArray(double[][]::new);
        double[] d2 = new double[candidates.length];
        int first = 0;
        for (int i = 0; i < g.length; i++) {
            d2[i] = Arrays.stream(g[i]).map(v -> v * v).sum();
            first = d2[i] > d2[first] ? i : first;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[b];
        double[] scores = new double[b];
        boolean[] picked = new boolean[g.length];
        int pick = first;
        for (int j = 0; j < b; j++) {
            ids[j] = candidates[pick];
            scores[j] = Math.sqrt(d2[pick]);
            picked[pick] = true;
            for (int i = 0; i < g.length; i++) {
                double s = 0;
                for (int c = 0; c < g[i].length; c++) {
                    s += (g[i][c] - g[pick][c]) * (g[i][c] - g[pick][c]);
                }
                d2[i] = picked[i] ? 0 : j == 0 ? s : Math.min(d2[i], s);
            }
            double u = random.nextDouble() * Arrays.stream(d2).sum();
            double running = 0;
            for (int i = 0; i < g.length && j + 1 < b; i++) {
                running += d2[i];
                if (d2[i] > 0 && running > u) {
                    pick = i;
                    break;
                }
            }
        }
        return Selection.of(ids, scores, 0);
    }

    @Test
    void exactModeDrawsWhatTheTextbookSeedingDraws() {
        for (long seed : new long[] {1, 7}) {
            SparkSelection s = SparkStrategies.badge().withSeed(seed).select(pool, 8);
            Selection expected = textbook(seed, 8);
            assertArrayEquals(SparkTests.longs(expected.ids()), s.ids(), "seed " + seed);
            assertArrayEquals(expected.scores().orElseThrow(), s.scores(), 1e-6);
            assertEquals(naiveCost(s.ids()), s.cost().orElseThrow(), 1e-6 * naiveCost(s.ids()));
        }
    }

    @Test
    void exactModeStartsWhereTheSingleMachineBadgeStarts() {
        // Both start from the unlabeled row of largest ‖g‖, then draw from the textbook D² distribution.
        for (long seed : new long[] {1, 7}) {
            long first = SparkStrategies.badge().withSeed(seed).select(pool, 2).ids()[0];
            assertEquals(Strategies.badge().withSeed(seed).select(single, model, 2).ids()[0], first);
        }
    }

    @Test
    void scalableModeStaysWithinTheKMeansPlusPlusBoundOfTheExactCost() {
        int b = 8;
        SparkSelection exact = SparkStrategies.badge().withSeed(3).select(pool, b);
        SparkSelection fast = SparkStrategies.badge().withMode(Mode.SCALABLE).withSeed(3).select(pool, b);
        assertEquals(b, fast.size());
        assertEquals(b, Arrays.stream(fast.ids()).distinct().count());
        for (long id : fast.ids()) {
            assertTrue(!single.isLabeled((int) id), "a candidate: " + id);
        }
        double cost = fast.cost().orElseThrow();
        assertEquals(naiveCost(fast.ids()), cost, 1e-6 * cost);
        assertTrue(cost <= 8 * (Math.log(b) + 2) * exact.cost().orElseThrow(),
                cost + " vs exact " + exact.cost().orElseThrow());
        assertEquals(fast.ids()[0], exact.ids()[0], "both start at the largest gradient");
    }

    @Test
    void budgetsAboveTheCandidatesTakeThemAll() {
        SparkPool small = SparkPool.of(SparkTests.dataset(Arrays.copyOf(probs, 9), Arrays.copyOf(emb, 9), 2, 1))
                .withProbabilitiesColumn("p").withEmbeddingsColumn("e");
        for (Mode mode : Mode.values()) {
            SparkSelection s = SparkStrategies.badge().withMode(mode).select(small, 20);
            assertEquals(9, s.size(), mode.toString());
            assertEquals(9, Arrays.stream(s.ids()).distinct().count());
            assertEquals(0.0, s.cost().orElseThrow(), 1e-9);
        }
    }

    @Test
    void toStringEchoesModeAndSeed() {
        assertEquals("SparkStrategies.badge().withMode(Mode.SCALABLE).withSeed(4)",
                SparkStrategies.badge().withMode(Mode.SCALABLE).withSeed(4).toString());
        assertEquals("SparkStrategies.badge()", SparkStrategies.badge().toString());
    }
}
