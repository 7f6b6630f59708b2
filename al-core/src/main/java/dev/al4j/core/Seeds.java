package dev.al4j.core;

/**
 * Derives independent 64-bit seeds from a seed and a few integers with SplitMix64 (Steele, Lea and Flood 2014), so
 * that every random draw in al4j is a pure function of the user's seed and of where it happens, never of a global
 * random generator or of the order in which work is done. The one home of SplitMix64 in al4j. Stateless,
 * thread-safe.
 *
 * <pre>{@code
 * long fitSeed = Seeds.mix(seed, round, 3);          // a seed for (round, purpose 3)
 * long member = Seeds.element(seed, index);           // element index of the SplitMix64 sequence from seed
 * }</pre>
 */
public final class Seeds {

    /** SplitMix64's increment, the odd integer nearest 2^64 / φ. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** A seed derived from {@code seed} and the given integers; different inputs give unrelated outputs. */
    public static long mix(long seed, long... parts) {
        long h = finish(seed + GOLDEN_GAMMA);
        for (long p : parts) {
            h = finish(h ^ finish(p + GOLDEN_GAMMA));
        }
        return h;
    }

    /**
     * Element {@code index} (from 0) of the SplitMix64 sequence that starts at {@code base}:
     * {@code finish(base + (index + 1)·γ)}.
     */
    public static long element(long base, long index) {
        return finish(base + (index + 1) * GOLDEN_GAMMA);
    }

    /** SplitMix64's output function: a bijection of the 64-bit integers that scatters nearby inputs. */
    public static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
