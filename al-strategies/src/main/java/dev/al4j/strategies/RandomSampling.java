package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Seeds;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;

/**
 * Random sampling, the baseline every active-learning study compares against: selects {@code b} candidates
 * uniformly at random without replacement, and reads no model output.
 *
 * <p>How: every pool id gets a pseudo-random priority in {@code [0, 1)}, a hash of (seed, id) by the SplitMix64
 * finaliser (Steele, Lea and Flood 2014), and the {@code b} candidates with the highest priorities are selected
 * (through {@link TopK#top}, ties toward the lower id). Since the priorities are independent of everything the
 * loop decides, the top {@code b} of any candidate set is a uniform random sample of it; the selection is a pure
 * function of (candidates, budget, seed), whatever order the candidates come in, and one seed used over several
 * rounds behaves like drawing without replacement from one random permutation of the pool.
 *
 * <p>As an {@link AcquisitionFunction} it returns those priorities, e.g. to break ties or add noise in a hybrid.
 *
 * <p>Cost: O(N log b) time and O(N) memory for the N candidates; no forward pass. The model is not read and may be
 * {@code null}. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy baseline = Strategies.random().withSeed(7);
 * Selection next = baseline.select(pool, model, 100);
 * Selection same = Strategies.random().withSeed(7).select(pool, null, 100);
 * }</pre>
 */
public final class RandomSampling implements QueryStrategy, AcquisitionFunction {

    private final long seed;
    private final long base; // Seeds.finish(seed): seeds that differ by a little start far apart

    private RandomSampling(long seed) {
        this.seed = seed;
        this.base = Seeds.finish(seed);
    }

    /** Random sampling with seed 0. */
    public static RandomSampling create() {
        return new RandomSampling(0L);
    }

    /** A copy with another seed. */
    public RandomSampling withSeed(long seed) {
        return new RandomSampling(seed);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The priorities of {@code ids} in {@code [0, 1)}; the pool and model are not read. */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        Checks.checkNotNull(ids, "ids");
        double[] out = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = priority(ids[i]);
        }
        return out;
    }

    /**
     * Selects {@code min(budget, candidates)} candidates at random; the result carries no scores.
     *
     * @throws IllegalArgumentException for a negative budget
     */
    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        int[] candidates = pool.candidates();
        int[] order = TopK.top(score(pool, model, candidates), candidates, budget);
        int[] ids = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = candidates[order[i]];
        }
        return Selection.of(ids, System.nanoTime() - start);
    }

    /**
     * A uniform double in [0, 1) from (seed, id): element {@code id} of the SplitMix64 sequence that starts at the
     * mixed seed, i.e. {@code mix(mix(seed) + (id + 1)·γ)}, top 53 bits.
     */
    private double priority(int id) {
        return (Seeds.element(base, id) >>> 11) * 0x1.0p-53;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomSampling r && seed == r.seed;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "Strategies.random()" + (seed == 0 ? "" : ".withSeed(" + JavaLiterals.ofLong(seed) + ")");
    }
}
