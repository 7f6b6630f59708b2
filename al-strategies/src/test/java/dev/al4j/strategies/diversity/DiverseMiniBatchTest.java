package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.UncertaintyScores;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class DiverseMiniBatchTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.dbal().withSeed(2);
    }

    @Test
    void marginUncertaintyIsHandChecked() {
        // 1 - (p1 - p2): (.7, .2, .1) -> .5; (.4, .4, .2) -> 1; (1, 0, 0) -> 0; (.1, .3, .6) -> .7.
        float[] p = {.7f, .2f, .1f, .4f, .4f, .2f, 1f, 0f, 0f, .1f, .3f, .6f};
        assertArrayEquals(new double[] {.5, 1, 0, .7}, UncertaintyScores.margin(Nd4j.create(p, new long[] {4, 3}, 'c')), 1e-6);
    }

    @Test
    void equalsTheNaiveAlgorithm() {
        // DBAL by hand: margin scores, top ρ·b by TopK, weighted k-means (the naive one of KMeansSamplingTest) on
        // those rows in id order, the member nearest each centre.
        int n = 300;
        int d = 6;
        int b = 12;
        Pool pool = pool(n, 4, 30, 8);
        PrecomputedModel model = Fixtures.random(n, 4, d, 8);
        int[] candidates = pool.candidates();
        float[] p = QueryOutputs.toFloats(model.probabilities(pool, candidates));
        float[] z = QueryOutputs.toFloats(model.predict(pool, candidates).embeddings());
        double[] scores = UncertaintyScores.margin(Nd4j.create(p, new long[] {candidates.length, 4}, 'c'));
        int[] kept = TopK.top(scores, candidates, 3 * b);
        Arrays.sort(kept);
        float[] x = new float[kept.length * d];
        double[] w = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            System.arraycopy(z, kept[i] * d, x, i * d, d);
            w[i] = scores[kept[i]];
        }
        // The seeds are k-means++'s D² draws (their distribution: KMeansSamplingTest); Lloyd from them is the naive one.
        float[] seeds = LloydKMeans.seed(EmbeddingTiles.ofRows(x, kept.length, d), w, b, new SplittableRandom(9), 1);
        int[] rows = KMeansSamplingTest.naiveKMeans(x, kept.length, d, w, b, 10, seeds);
        int[] expected = Arrays.stream(rows).map(r -> candidates[kept[r]]).toArray();
        Selection s = Strategies.dbal().withPrefilterFactor(3).withSeed(9).select(pool, model, b);
        assertArrayEquals(expected, s.ids());
        for (int i = 0; i < b; i++) {
            assertEquals(scores[Arrays.binarySearch(candidates, s.ids()[i])], s.scores().orElseThrow()[i], 0.0);
        }
    }

    @Test
    void factorOneTakesExactlyTheMostUncertain() {
        // With ρ = 1 the b kept candidates are b clusters of one: the selection is the top-b margin set.
        Pool pool = pool(80, 3, 10, 5);
        PrecomputedModel model = Fixtures.random(80, 3, 4, 5);
        int[] top = TopK.of(Strategies.margin()).select(pool, model, 9).ids();
        int[] dbal = Strategies.dbal().withPrefilterFactor(1).select(pool, model, 9).ids();
        Arrays.sort(top);
        Arrays.sort(dbal);
        assertArrayEquals(top, dbal);
    }

    @Test
    void aCustomAcquisitionReadsTheSameOutputsAndNegativeScoresAreShifted() {
        // Negated margin uncertainty: all scores <= 0, so weights are shifted; the selection still has b distinct
        // candidates among the top ρ·b by that score (the most confident ones).
        AcquisitionFunction confident = (pool, model, ids) -> Arrays.stream(
                Strategies.margin().score(pool, model, ids)).map(v -> -v).toArray();
        Pool pool = pool(100, 3, 10, 6);
        PrecomputedModel model = Fixtures.random(100, 3, 4, 6);
        Selection s = Strategies.dbal().withAcquisition(confident).withPrefilterFactor(2).select(pool, model, 10);
        assertEquals(10, s.size());
        assertDistinctCandidates(pool, s);
        int[] allowed = TopK.of(confident).select(pool, model, 20).ids();
        for (int id : s.ids()) {
            assertTrue(Arrays.stream(allowed).anyMatch(a -> a == id), "id " + id + " outside the top 2b");
        }
    }

    @Test
    void badAcquisitionOutputIsRejected() {
        AcquisitionFunction nan = (pool, model, ids) -> {
            double[] s = new double[ids.length];
            s[0] = Double.NaN;
            return s;
        };
        Pool pool = pool(30, 3, 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.dbal().withAcquisition(nan).select(pool, Fixtures.random(30, 3, 4, 6), 4));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.dbal().withSeed(0)", Strategies.dbal().toString());
        assertEquals("Strategies.dbal().withPrefilterFactor(4.0).withSeed(1).withMaxIterations(2)",
                Strategies.dbal().withPrefilterFactor(4).withSeed(1).withMaxIterations(2).toString());
        assertEquals(Strategies.dbal().withSeed(1), Strategies.dbal().withSeed(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.dbal().withPrefilterFactor(0.5));
        assertTrue(e.getMessage().contains("prefilterFactor") && e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.dbal().withPrefilterFactor(Double.NaN));
        assertThrows(NullPointerException.class, () -> Strategies.dbal().withAcquisition(null));
    }
}
