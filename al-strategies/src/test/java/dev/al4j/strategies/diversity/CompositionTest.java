package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.Strategies;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code prefilter(margin, 3).then(kCenterGreedy())} keeps the contract; weighted sums and validation. */
class CompositionTest extends QueryStrategyContract {

    private static final AcquisitionFunction MARGIN = Strategies.margin();

    /** Scores each id by its own value: lets the tests read normalisation by hand. */
    private static AcquisitionFunction fixed(double[] byId, String name) {
        return new AcquisitionFunction() {
            @Override
            public double[] score(Pool pool, Model model, int[] ids) {
                return Arrays.stream(ids).mapToDouble(i -> byId[i]).toArray();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Override
    protected QueryStrategy strategy() {
        return Strategies.prefilter(MARGIN, 3).then(Strategies.kCenterGreedy());
    }

    @Test
    void weightedSumNormalisesEachTermByHand() {
        // Term a over ids 0..3: (1, 3, 5, 9) -> min-max (0, .25, .5, 1); term b: (10, 10, 10, 10) is constant -> 0;
        // term c: (-2, 0, 2, -2) -> (0, .5, 1, 0). Weights 2, 5, 1: (0, .5 + .5, 1 + 1, 2 + 0) = (0, 1, 2, 2).
        AcquisitionFunction a = fixed(new double[] {1, 3, 5, 9}, "a");
        AcquisitionFunction b = fixed(new double[] {10, 10, 10, 10}, "b");
        AcquisitionFunction c = fixed(new double[] {-2, 0, 2, -2}, "c");
        double[] s = Strategies.weightedSum(a, 2).plus(b, 5).plus(c, 1).score(Pool.withoutInputs(4, 2), null,
                new int[] {0, 1, 2, 3});
        assertArrayEquals(new double[] {0, 1, 2, 2}, s, 1e-12);
        assertEquals("Strategies.weightedSum(a, 2.0).plus(b, 5.0).plus(c, 1.0)",
                Strategies.weightedSum(a, 2).plus(b, 5).plus(c, 1).toString());
        assertEquals(Strategies.weightedSum(a, 2).plus(c, 1), Strategies.weightedSum(a, 2).plus(c, 1));
    }

    @Test
    void compositionArgumentsAreValidatedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.weightedSum(MARGIN, 0));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.weightedSum(MARGIN, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Strategies.weightedSum(MARGIN, 1).plus(MARGIN, -1));
        assertThrows(NullPointerException.class, () -> Strategies.weightedSum(null, 1));
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.prefilter(MARGIN, 0.5));
        assertTrue(e.getMessage().contains("factor") && e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.prefilter(MARGIN, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> Strategies.prefilter(null, 2));
        assertThrows(NullPointerException.class, () -> Strategies.prefilter(MARGIN, 2).then(null));
    }

    @Test
    void prefilterKeepsTheTopCandidatesThenRunsTheSecondStage() {
        // The prefilter with factor 2 keeps the 2b highest-margin candidates; k-center then picks among exactly
        // those, which equals k-center run on a pool restricted to them.
        Pool pool = pool(120, 3, 20, 3);
        PrecomputedModel model = Fixtures.random(120, 3, 5, 3);
        int[] top = TopK.of(MARGIN).select(pool, model, 16).ids();
        Arrays.sort(top);
        Selection hybrid = Strategies.prefilter(MARGIN, 2).then(Strategies.kCenterGreedy()).select(pool, model, 8);
        Selection direct = Strategies.kCenterGreedy().select(pool.withCandidates(top), model, 8);
        assertArrayEquals(direct.ids(), hybrid.ids());
        assertEquals("Strategies.prefilter(Strategies.margin(), 2.0).then(Strategies.kCenterGreedy())",
                Strategies.prefilter(MARGIN, 2).then(Strategies.kCenterGreedy()).toString());
    }

    @Test
    void composesWithTheFacadesUncertaintyScores() {
        // Each min-max-normalised term lies in [0, 1], so the sum of weights 1 and 2 lies in [0, 3]; the top of the
        // mix is the prefilter's candidate set, and BADGE picks b distinct ids from it.
        Pool pool = pool(80, 4, 10, 2);
        PrecomputedModel model = Fixtures.random(80, 4, 6, 2);
        AcquisitionFunction mix = Strategies.weightedSum(Strategies.entropy(), 1).plus(Strategies.margin(), 2);
        double[] s = mix.score(pool, model, pool.candidates());
        assertTrue(Arrays.stream(s).allMatch(v -> v >= 0 && v <= 3), Arrays.toString(s));
        assertTrue(Arrays.stream(s).max().orElseThrow() >= 2); // the top margin term alone gives 2
        Selection picked = Strategies.prefilter(mix, 2).then(Strategies.badge().withSeed(1)).select(pool, model, 6);
        int[] allowed = TopK.of(mix).select(pool, model, 12).ids();
        assertEquals(6, picked.size());
        for (int id : picked.ids()) {
            assertTrue(Arrays.stream(allowed).anyMatch(a -> a == id), "id " + id + " outside the prefilter");
        }
    }

    @Test
    void theModelRunsOncePerCandidate() {
        // A counting model: every id the hybrid asks about is counted; candidates must be read exactly once, the
        // labeled ids (needed by k-center) once too.
        Pool pool = pool(60, 3, 10, 4);
        Counting model = new Counting(Fixtures.random(60, 3, 4, 4));
        Strategies.prefilter(Strategies.weightedSum(MARGIN, 1).plus(MARGIN, 2), 2)
                .then(Strategies.kCenterGreedy()).select(pool, model, 5);
        for (int id = 0; id < 60; id++) {
            assertEquals(1, model.reads[id], "reads of id " + id);
        }
    }

    /** An EmbeddingModel that counts how often each id is read. */
    private static final class Counting implements EmbeddingModel {
        final PrecomputedModel inner;
        final int[] reads;

        Counting(PrecomputedModel inner) {
            this.inner = inner;
            this.reads = new int[inner.size()];
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            for (int id : ids) {
                reads[id]++;
            }
            return inner.probabilities(pool, ids);
        }

        @Override
        public int embeddingSize() {
            return inner.embeddingSize();
        }

        @Override
        public Predictions predict(Pool pool, int[] ids) {
            for (int id : ids) {
                reads[id]++;
            }
            return inner.predict(pool, ids);
        }
    }
}
