package dev.al4j.dl4j;

/**
 * Derives independent 64-bit seeds from a seed and a few integers (SplitMix64's finaliser over a running mix), so
 * that every random draw in this package is a pure function of the user's seed and of where it happens, never of a
 * global random generator or of the order in which work is done.
 */
final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** A seed derived from {@code seed} and the given integers; different inputs give unrelated outputs. */
    static long mix(long seed, long... parts) {
        long h = finish(seed + GOLDEN);
        for (long p : parts) {
            h = finish(h ^ finish(p + GOLDEN));
        }
        return h;
    }

    /** SplitMix64's output function (Steele, Lea and Flood 2014). */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
