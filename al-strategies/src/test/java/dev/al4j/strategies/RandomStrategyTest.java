package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Strategies#random()} keeps the strategy contract, is seeded, and samples uniformly. */
class RandomStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.random().withSeed(42);
    }

    @Override
    protected boolean readsModelOutputs() {
        return false;
    }

    @Test
    void needsNoModel() {
        Pool pool = pool(40, 3, 10, 1);
        Selection s = Strategies.random().withSeed(3).select(pool, null, 5);
        assertEquals(5, s.size());
        assertDistinctCandidates(pool, s);
        assertFalse(s.scores().isPresent(), "random sampling has no scores");
    }

    @Test
    void differentSeedsGiveDifferentSelections() {
        Pool pool = pool(200, 3, 0, 2);
        int[] a = Strategies.random().withSeed(1).select(pool, null, 20).ids();
        int[] b = Strategies.random().withSeed(2).select(pool, null, 20).ids();
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void everyCandidateIsPickedAboutEquallyOftenAcrossSeeds() {
        // 2 000 seeds each pick 5 of 20 candidates: each id is expected 2000 * 5/20 = 500 times, with a binomial
        // standard deviation of sqrt(2000 * 0.25 * 0.75) = 19.4; 500 +- 100 is more than 5 standard deviations.
        Pool pool = Pool.withoutInputs(20, 2);
        int[] counts = new int[20];
        for (long seed = 0; seed < 2000; seed++) {
            for (int id : Strategies.random().withSeed(seed).select(pool, null, 5).ids()) {
                counts[id]++;
            }
        }
        for (int id = 0; id < 20; id++) {
            assertTrue(Math.abs(counts[id] - 500) < 100, "id " + id + " picked " + counts[id] + " times");
        }
    }

    @Test
    void aSecondRoundContinuesTheSamePermutation() {
        // The priorities are a fixed function of (seed, id): after labeling the first 5 picks, the next 5 picks
        // are the 6th to 10th of a 10-pick query on the original pool.
        Pool pool = Pool.withoutInputs(50, 2);
        RandomSampling random = Strategies.random().withSeed(9);
        int[] ten = random.select(pool, null, 10).ids();
        int[] first = Arrays.copyOf(ten, 5);
        Pool next = pool.withLabels(first, new int[5]);
        assertArrayEquals(Arrays.copyOfRange(ten, 5, 10), random.select(next, null, 5).ids());
    }

    @Test
    void valueSemantics() {
        assertEquals(Strategies.random().withSeed(7), Strategies.random().withSeed(7));
        assertEquals(Strategies.random().withSeed(7).hashCode(), Strategies.random().withSeed(7).hashCode());
        assertFalse(Strategies.random().withSeed(7).equals(Strategies.random().withSeed(8)));
        assertEquals("Strategies.random()", Strategies.random().toString());
        assertEquals("Strategies.random().withSeed(7)", Strategies.random().withSeed(7).toString());
        assertEquals("Strategies.random().withSeed(-8000000000L)",
                Strategies.random().withSeed(-8_000_000_000L).toString());
        assertEquals(Strategies.random(), Strategies.random().withSeed(0));
    }
}
