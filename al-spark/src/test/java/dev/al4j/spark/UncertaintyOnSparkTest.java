package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The uncertainty strategies on Spark select exactly what the single-machine strategies select on the same floats:
 * ids, order and scores (compared bit for bit), with ties (duplicated rows) broken toward the lower id, whatever the
 * row order and partitioning.
 */
class UncertaintyOnSparkTest {

    static final int N = 3000;
    static final int K = 10;
    static final int T = 5;
    static final int NMC = 1200;

    static float[][] probs;
    static SparkPool pool;
    static Pool single;
    static Model model;
    static int[] labeled;

    static SparkPool mcPool;
    static Pool mcSingle;
    static Model mcModel;

    @BeforeAll
    static void data() {
        SplittableRandom random = new SplittableRandom(17);
        probs = SparkTests.probabilities(N, K, 3.0, random);
        // Ties: 40 copies of one row and 40 of another, spread over the ids, so a budget cuts inside a tie.
        for (int j = 0; j < 40; j++) {
            probs[100 + 37 * j] = probs[7].clone();
            probs[101 + 37 * j] = probs[8].clone();
        }
        labeled = new int[50];
        int[] labels = new int[50];
        for (int j = 0; j < 50; j++) {
            labeled[j] = 3 + 59 * j;
            labels[j] = j % K;
        }
        pool = SparkPool.of(SparkTests.dataset("p", probs, 5, 1)).withProbabilitiesColumn("p")
                .withLabeled(SparkTests.longs(labeled), labels);
        single = SparkTests.pool(N, K, labeled, labels);
        model = SparkTests.model(probs).build();

        float[][][] passes = new float[T][][]; // [T][n][K]
        for (int t = 0; t < T; t++) {
            passes[t] = SparkTests.probabilities(NMC, K, 2.0, random);
        }
        for (int j = 0; j < 20; j++) { // a tie in every pass
            for (int t = 0; t < T; t++) {
                passes[t][200 + 31 * j] = passes[t][5].clone();
            }
        }
        float[][][] rows = new float[NMC][T][]; // per row: T passes of K
        float[] flat = new float[T * NMC * K];
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < NMC; i++) {
                rows[i][t] = passes[t][i];
                System.arraycopy(passes[t][i], 0, flat, (t * NMC + i) * K, K);
            }
        }
        int[] mcLabeled = {0, 11, 500};
        int[] mcLabels = {1, 2, 3};
        mcPool = SparkPool.of(SparkTests.dataset("mc", rows, 3, 2)).withMcProbabilitiesColumn("mc")
                .withLabeled(SparkTests.longs(mcLabeled), mcLabels);
        mcSingle = SparkTests.pool(NMC, K, mcLabeled, mcLabels);
        mcModel = SparkTests.model(passes[0]).mcProbabilities(Nd4j.create(flat, new long[] {T, NMC, K}, 'c')).build();
    }

    static void assertSame(SparkStrategy spark, QueryStrategy local, SparkPool sp, Pool p, Model m, int budget) {
        SparkSelection s = spark.select(sp, budget);
        Selection expected = local.select(p, m, budget);
        assertArrayEquals(SparkTests.longs(expected.ids()), s.ids(), spark + " ids");
        assertArrayEquals(expected.scores().orElseThrow(), s.scores(), 0.0, spark + " scores");
    }

    @Test
    void entropyEqualsTheSingleMachineSelection() {
        assertSame(SparkStrategies.entropy(), Strategies.entropy(), pool, single, model, 300);
    }

    @Test
    void marginLeastConfidenceAndVariationRatioEqualTheSingleMachineSelections() {
        assertSame(SparkStrategies.margin(), Strategies.margin(), pool, single, model, 120);
        assertSame(SparkStrategies.leastConfidence(), Strategies.leastConfidence(), pool, single, model, 120);
        assertSame(SparkStrategies.variationRatio(), Strategies.variationRatio(), pool, single, model, 7);
    }

    @Test
    void aBudgetInsideATieTakesTheLowerIds() {
        // Rows 7 and 100 + 37j (40 copies) score the same; find the budget that ends inside that tie.
        Selection all = Strategies.entropy().select(single, model, N);
        double tied = Strategies.entropy().score(single, model, new int[] {7})[0];
        int first = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.scores().orElseThrow()[i] == tied) {
                first = i;
                break;
            }
        }
        assertSame(SparkStrategies.entropy(), Strategies.entropy(), pool, single, model, first + 5);
        long[] ids = SparkStrategies.entropy().select(pool, first + 5).ids();
        long[] tail = java.util.Arrays.copyOfRange(ids, first, first + 5);
        assertArrayEquals(new long[] {7, 100, 137, 174, 211}, tail, "the tie's lowest ids, ascending");
    }

    @Test
    void aBudgetAboveTheCandidatesSelectsThemAllAndZeroSelectsNothing() {
        assertSame(SparkStrategies.margin(), Strategies.margin(), pool, single, model, N + 5);
        assertEquals(N - 50, SparkStrategies.margin().select(pool, N + 5).size());
        assertEquals(0, SparkStrategies.entropy().select(pool, 0).size());
    }

    @Test
    void baldAndMeanStdEqualTheSingleMachineSelections() {
        assertSame(SparkStrategies.bald(), Strategies.bald(), mcPool, mcSingle, mcModel, 150);
        assertSame(SparkStrategies.meanStd(), Strategies.meanStd(), mcPool, mcSingle, mcModel, 150);
    }

    @Test
    void theMcFormsEqualTheSingleMachineSelections() {
        assertSame(SparkStrategies.entropyMc(), Strategies.entropyMc(), mcPool, mcSingle, mcModel, 60);
        assertSame(SparkStrategies.marginMc(), Strategies.marginMc(), mcPool, mcSingle, mcModel, 60);
        assertSame(SparkStrategies.leastConfidenceMc(), Strategies.leastConfidenceMc(), mcPool, mcSingle, mcModel,
                60);
        assertSame(SparkStrategies.variationRatioMc(), Strategies.variationRatioMc(), mcPool, mcSingle, mcModel,
                60);
    }

    @Test
    void doubleColumnsAndIntIdsReadAsTheSameFloats() {
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> d = pool.data().select(
                pool.data().col("id").cast("int").as("key"), pool.data().col("p").cast("array<double>").as("q"));
        SparkPool other = SparkPool.of(d).withIdColumn("key").withProbabilitiesColumn("q")
                .withLabeled(pool.labeledIds(), pool.labels());
        assertSame(SparkStrategies.entropy(), Strategies.entropy(), other, single, model, 50);
    }

    @Test
    void factoriesEchoHowToBuildThem() {
        assertEquals("SparkStrategies.entropy()", SparkStrategies.entropy().toString());
        assertEquals("SparkStrategies.bald()", SparkStrategies.bald().toString());
        assertEquals(SparkStrategies.margin(), SparkStrategies.margin());
        assertEquals(SparkStrategies.margin().hashCode(), SparkStrategies.margin().hashCode());
    }
}
