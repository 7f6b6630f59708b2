package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BatchBald}: the strategy contract, hand-checked picks, and equality with brute-force BatchBALD. */
class BatchBaldStrategyTest extends QueryStrategyContract {

    /** 1 000 sampled configurations instead of 10 000: the same code path, ten times faster for the contract. */
    @Override
    protected QueryStrategy strategy() {
        return Strategies.batchBald().withSeed(5).withSamples(1000);
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true; // budget 6 over 3 classes stays exact (3^5 = 243 configurations)
    }

    /**
     * T = 4 passes, K = 2, four samples. Sample 0 splits the passes {ω1, ω2} from {ω3, ω4} with certainty; sample 1
     * is an exact copy of it; sample 2 splits {ω1, ω3} from {ω2, ω4} with 95 % confidence; sample 3 is [0.5, 0.5]
     * under every pass.
     */
    private static PrecomputedModel duplicates() {
        float[][] x0 = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
        float[][] x2 = {{0.95f, 0.05f}, {0.05f, 0.95f}, {0.95f, 0.05f}, {0.05f, 0.95f}};
        float[][] x3 = {{0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}};
        float[][][] samples = {x0, x0, x2, x3};
        INDArray mc = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 4, 2);
        for (int pass = 0; pass < 4; pass++) {
            for (int i = 0; i < 4; i++) {
                for (int y = 0; y < 2; y++) {
                    mc.putScalar(new long[] {pass, i, y}, samples[i][pass][y]);
                }
            }
        }
        return PrecomputedModel.builder(mc.mean(0)).mcProbabilities(mc).build();
    }

    @Test
    void batchBaldSkipsTheDuplicateThatBaldPicks() {
        Pool pool = Pool.withoutInputs(4, 2);
        PrecomputedModel model = duplicates();
        // BALD: samples 0 and 1: H[0.5, 0.5] − 0 = ln 2; sample 2: ln 2 − H[0.95, 0.05] = 0.693147 − 0.198515
        // = 0.494632; sample 3: 0. Top-2 BALD takes the two copies.
        assertArrayEquals(new int[] {0, 1}, Strategies.bald().select(pool, model, 2).ids());
        // BatchBALD: first pick sample 0 (ln 2, tie with its copy broken toward the lower id). Then its label
        // reveals whether ω is in {ω1, ω2} or {ω3, ω4}: the copy's label is then certain (gain 0), while sample 2
        // still has p = [0.5, 0.5] given that label, so its gain is ln 2 − 0.198515 = 0.494632.
        double h95 = -(0.95 * Math.log(0.95) + 0.05 * Math.log(0.05));
        Selection s = Strategies.batchBald().select(pool, model, 3);
        assertArrayEquals(new int[] {0, 2, 1}, s.ids());
        double[] gains = s.scores().orElseThrow();
        assertEquals(Math.log(2), gains[0], 1e-6);
        assertEquals(Math.log(2) - h95, gains[1], 1e-6);
        // Third: the copy and sample 3 both add nothing; the copy has the lower id. (Given y0 and y2 the pass is
        // known up to ω1 vs ω2 (95 % vs 5 % for y2), so the copy's label is still determined.)
        assertEquals(0, gains[2], 1e-6);
        // The sampled estimate (from the second pick on) picks the same and agrees within Monte Carlo error.
        Selection sampled = Strategies.batchBald().withExactLimit(1).withSamples(4000).withSeed(3)
                .select(pool, model, 2);
        assertArrayEquals(new int[] {0, 2}, sampled.ids());
        assertArrayEquals(Arrays.copyOf(gains, 2), sampled.scores().orElseThrow(), 0.02);
    }

    @Test
    void aBatchOfOneIsBaldsTopPick() {
        for (long seed = 1; seed <= 5; seed++) {
            Pool pool = pool(50, 4, 10, seed);
            PrecomputedModel model = TestModels.random(50, 4, 2, 6, seed);
            Selection bald = Strategies.bald().select(pool, model, 1);
            Selection batch = Strategies.batchBald().select(pool, model, 1);
            assertArrayEquals(bald.ids(), batch.ids(), "seed " + seed);
            assertEquals(bald.scores().orElseThrow()[0], batch.scores().orElseThrow()[0], 1e-9);
        }
    }

    @Property(tries = 12)
    void exactGreedyEqualsBruteForceGreedy(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        int n = 9;
        int k = 3;
        int t = 4;
        Pool pool = pool(n, k, 2, seed);
        PrecomputedModel model = TestModels.random(n, k, 2, t, seed);
        Selection s = Strategies.batchBald().select(pool, model, 4);
        NaiveBatchBald.Result naive = NaiveBatchBald.greedy(NaiveBatchBald.probabilities(pool, model, t),
                pool.candidates(), 4);
        assertArrayEquals(naive.ids(), s.ids());
        assertArrayEquals(naive.gains(), s.scores().orElseThrow(), 1e-9);
    }

    @Property(tries = 12)
    void exactGainsAreNonNegativeNonIncreasingAndSumToTheBatchInformation(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        // The joint mutual information is monotone and submodular (Kirsch et al. 2019), so greedy gains
        // are >= 0 and never grow.
        int n = 14;
        int k = 3;
        int t = 5;
        Pool pool = Pool.withoutInputs(n, k);
        PrecomputedModel model = TestModels.random(n, k, 2, t, seed);
        Selection s = Strategies.batchBald().select(pool, model, 5);
        double[] gains = s.scores().orElseThrow();
        for (int i = 0; i < gains.length; i++) {
            assertTrue(gains[i] >= -1e-12, "gain " + i + " = " + gains[i]);
            assertTrue(i == 0 || gains[i] <= gains[i - 1] + 1e-12, "gains " + Arrays.toString(gains));
        }
        double batchInformation = NaiveBatchBald.mutualInformation(NaiveBatchBald.probabilities(pool, model, t),
                s.ids());
        assertEquals(batchInformation, Arrays.stream(gains).sum(), 1e-9);
    }

    @Test
    void sampledModeIsSeeded() {
        Pool pool = Pool.withoutInputs(40, 5);
        PrecomputedModel model = TestModels.random(40, 5, 2, 6, 9);
        BatchBald sampled = Strategies.batchBald().withExactLimit(1).withSamples(60);
        Selection a = sampled.withSeed(1).select(pool, model, 8);
        assertEquals(a, sampled.withSeed(1).select(pool, model, 8));
        // Another seed draws other configurations: the estimated gains differ (the picks may coincide).
        assertNotEquals(Arrays.toString(a.scores().orElseThrow()),
                Arrays.toString(sampled.withSeed(2).select(pool, model, 8).scores().orElseThrow()));
    }

    @Test
    void aPlainModelFailsFastNamingStrategyAndCapability() {
        Pool pool = Pool.withoutInputs(5, 2);
        var plain = FixedOutputsModel.plain(2, Nd4j.ones(5, 2).divi(2));
        for (int budget : new int[] {0, 3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Strategies.batchBald().withSeed(4).select(pool, plain, budget));
            assertTrue(e.getMessage().contains("Strategies.batchBald().withSeed(4)")
                    && e.getMessage().contains("StochasticModel"), e.getMessage());
        }
    }

    @Test
    void invalidPassesAreRejected() {
        Pool pool = Pool.withoutInputs(3, 2);
        INDArray p = Nd4j.create(new float[][] {{0.5f, 0.5f}, {0.9f, 0.1f}, {0.2f, 0.8f}});
        INDArray good = Nd4j.stack(0, p, p);
        INDArray inf = good.dup();
        inf.putScalar(new long[] {1, 2, 0}, Double.POSITIVE_INFINITY);
        INDArray unnormalised = good.dup();
        unnormalised.putScalar(new long[] {0, 1, 1}, 0.5);
        assertRejected(pool, new FixedOutputsModel(2, p, inf), "infinity");
        assertRejected(pool, new FixedOutputsModel(2, p, unnormalised), "sums to");
        assertRejected(pool, new FixedOutputsModel(2, p, Nd4j.stack(0, p, p, p)), "2 passes");
        INDArray threeClasses = Nd4j.ones(2, 3, 3).divi(3);
        assertRejected(pool, new FixedOutputsModel(2, p, threeClasses), "columns (classes)");
        assertRejected(pool, new FixedOutputsModel(3, p, threeClasses), "model has 3 classes but the pool has 2");
    }

    private static void assertRejected(Pool pool, FixedOutputsModel model, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.batchBald().withPasses(2).select(pool, model, 2));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.batchBald()", Strategies.batchBald().toString());
        BatchBald all = Strategies.batchBald().withPasses(20).withSeed(7).withSamples(500).withExactLimit(64);
        assertEquals("Strategies.batchBald().withPasses(20).withSeed(7).withSamples(500).withExactLimit(64)",
                all.toString());
        assertEquals(all, Strategies.batchBald().withExactLimit(64).withSamples(500).withSeed(7).withPasses(20));
        assertEquals(all.hashCode(),
                Strategies.batchBald().withExactLimit(64).withSamples(500).withSeed(7).withPasses(20).hashCode());
        assertNotEquals(all, all.withSeed(8));
        assertEquals(20, all.passes().orElseThrow());
        assertTrue(Strategies.batchBald().passes().isEmpty());
        for (Runnable bad : new Runnable[] {
            () -> Strategies.batchBald().withPasses(0),
            () -> Strategies.batchBald().withSamples(0),
            () -> Strategies.batchBald().withExactLimit(-1),
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().contains("must be >= 1"), e.getMessage());
        }
    }
}
