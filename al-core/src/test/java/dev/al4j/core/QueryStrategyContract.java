package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract every {@link QueryStrategy} keeps (STYLE.md rule 12). A strategy's test extends this class and
 * returns the strategy from {@link #strategy()}; the tests below then check: distinct ids, only candidates,
 * exactly {@code min(budget, candidates)} of them, same seed ⇒ same selection, candidate order does not matter,
 * one-candidate and one-class pools work, invalid outputs and budgets are rejected.
 */
public abstract class QueryStrategyContract {

    /** The strategy under test, with a fixed seed if it has randomness. */
    protected abstract QueryStrategy strategy();

    /**
     * A model over {@code pool} for the strategy. The default has every capability (probabilities, 8-d embeddings,
     * 5 MC passes); override when the strategy needs something else.
     */
    protected Model model(Pool pool, long seed) {
        return TestModels.random(pool.size(), pool.numClasses(), 8, 5, seed);
    }

    /** Whether the strategy reads model outputs at all (random sampling does not). */
    protected boolean readsModelOutputs() {
        return true;
    }

    /** Whether relabelling pool ids permutes the selection the same way (deterministic strategies without ties). */
    protected boolean equivariantUnderRelabelling() {
        return false;
    }

    /** A pool of {@code n} samples with {@code labeled} of them labeled, labels cycling over {@code k} classes. */
    protected static Pool pool(int n, int k, int labeled, long seed) {
        Pool pool = Pool.withoutInputs(n, k);
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        int[] chosen = Arrays.copyOf(ids, labeled);
        int[] labels = new int[labeled];
        Arrays.setAll(labels, i -> i % k);
        return pool.withLabels(chosen, labels);
    }

    @Test
    void selectsDistinctCandidatesOnlyAndExactlyTheBudget() {
        for (long seed = 1; seed <= 3; seed++) {
            Pool pool = pool(60, 4, 12, seed);
            Model model = model(pool, seed);
            for (int budget : new int[] {1, 5, 17}) {
                Selection s = strategy().select(pool, model, budget);
                assertEquals(budget, s.size(), "selection size for budget " + budget);
                assertDistinctCandidates(pool, s);
            }
        }
    }

    @Test
    void respectsACandidateSubset() {
        Pool pool = pool(60, 3, 10, 4);
        int[] subset = Arrays.stream(pool.unlabeled()).filter(id -> id % 3 == 0).toArray();
        Pool restricted = pool.withCandidates(subset);
        Selection s = strategy().select(restricted, model(pool, 4), 6);
        assertEquals(Math.min(6, subset.length), s.size());
        assertDistinctCandidates(restricted, s);
    }

    @Test
    void budgetAboveCandidateCountReturnsEveryCandidate() {
        Pool pool = pool(30, 3, 22, 5);
        Selection s = strategy().select(pool, model(pool, 5), 100);
        int[] picked = s.ids();
        Arrays.sort(picked);
        assertArrayEquals(pool.candidates(), picked);
    }

    @Test
    void zeroBudgetSelectsNothing() {
        Pool pool = pool(30, 3, 5, 6);
        assertEquals(0, strategy().select(pool, model(pool, 6), 0).size());
    }

    @Test
    void negativeBudgetIsRejected() {
        Pool pool = pool(30, 3, 5, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strategy().select(pool, model(pool, 7), -3));
        assertTrue(e.getMessage().contains("budget") && e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void sameSeedGivesSameSelection() {
        Pool pool = pool(50, 4, 10, 8);
        Model model = model(pool, 8);
        assertArrayEquals(strategy().select(pool, model, 9).ids(), strategy().select(pool, model, 9).ids());
    }

    @Test
    void candidateOrderDoesNotMatter() {
        Pool pool = pool(50, 4, 10, 9);
        int[] candidates = pool.candidates();
        int[] reversed = new int[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            reversed[i] = candidates[candidates.length - 1 - i];
        }
        Model model = model(pool, 9);
        assertArrayEquals(strategy().select(pool.withCandidates(candidates), model, 7).ids(),
                strategy().select(pool.withCandidates(reversed), model, 7).ids());
    }

    @Test
    void oneCandidatePoolWorks() {
        Pool pool = pool(20, 3, 19, 10);
        Selection s = strategy().select(pool, model(pool, 10), 5);
        assertArrayEquals(pool.candidates(), s.ids());
    }

    @Test
    void oneClassPoolWorks() {
        Pool pool = pool(25, 1, 5, 11);
        Selection s = strategy().select(pool, model(pool, 11), 4);
        assertEquals(4, s.size());
        assertDistinctCandidates(pool, s);
    }

    @Test
    void invalidModelOutputsAreRejected() {
        assumeTrue(readsModelOutputs(), "the strategy reads no model outputs");
        Pool pool = pool(30, 3, 6, 12);
        Model clean = model(pool, 12);
        assumeTrue(clean instanceof PrecomputedModel, "poisoning needs a PrecomputedModel");
        assertThrows(IllegalArgumentException.class,
                () -> strategy().select(pool, TestModels.poisoned((PrecomputedModel) clean), 5));
    }

    @Test
    void classCountMismatchIsRejected() {
        assumeTrue(readsModelOutputs(), "the strategy reads no model outputs");
        Pool pool = pool(30, 3, 6, 13);
        Model wrong = model(Pool.withoutInputs(30, 4), 13);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strategy().select(pool, wrong, 5));
        assertTrue(e.getMessage().contains("class"), e.getMessage());
    }

    @Test
    void relabellingIdsPermutesTheSelection() {
        assumeTrue(equivariantUnderRelabelling(), "the strategy is not expected to be equivariant");
        int n = 40;
        Pool pool = pool(n, 3, 8, 14);
        PrecomputedModel model = (PrecomputedModel) model(pool, 14);
        int[] perm = new int[n]; // new id of old id i is perm[i]
        Arrays.setAll(perm, i -> (i * 7 + 3) % n);
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) {
            inverse[perm[i]] = i;
        }
        int[] labeledOld = pool.labeled();
        int[] labeledNew = Arrays.stream(labeledOld).map(i -> perm[i]).toArray();
        Pool permutedPool = Pool.withoutInputs(n, 3).withLabels(labeledNew, pool.labelsOf(labeledOld));
        int[] all = new int[n];
        Arrays.setAll(all, i -> inverse[i]);
        PrecomputedModel.Builder b = PrecomputedModel.builder(model.probabilities(pool, all));
        if (model.supports(EmbeddingModel.class)) {
            b.embeddings(model.predict(pool, all).embeddings());
        }
        if (model.supports(StochasticModel.class)) {
            b.mcProbabilities(model.stochasticProbabilities(pool, all, model.defaultPasses(), 0));
        }
        Selection original = strategy().select(pool, model, 6);
        Selection permuted = strategy().select(permutedPool, b.build(), 6);
        assertArrayEquals(Arrays.stream(original.ids()).map(i -> perm[i]).toArray(), permuted.ids());
    }

    /** Asserts the selection's ids are distinct candidates of {@code pool}. */
    protected static void assertDistinctCandidates(Pool pool, Selection s) {
        Set<Integer> candidates = new HashSet<>();
        for (int id : pool.candidates()) {
            candidates.add(id);
        }
        Set<Integer> seen = new HashSet<>();
        for (int id : s.ids()) {
            assertTrue(candidates.contains(id), "id " + id + " is not a candidate");
            assertTrue(seen.add(id), "id " + id + " selected twice");
            assertTrue(!pool.isLabeled(id), "id " + id + " is labeled");
        }
    }

    /** A probability matrix from rows, as float32. */
    protected static INDArray probabilities(double[][] rows) {
        return Nd4j.create(rows).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }
}
