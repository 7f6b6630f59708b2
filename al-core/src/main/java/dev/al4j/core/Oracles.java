package dev.al4j.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Factories for {@link Oracle}s that simulate an annotator from ground truth.
 *
 * <pre>{@code
 * Oracle exact = Oracles.simulated(trueLabels);
 * Oracle sloppy = Oracles.noisy(trueLabels, 10, 0.1, 42);   // 10 % of answers flipped
 * }</pre>
 */
public final class Oracles {

    private Oracles() {}

    /** An oracle that answers every id with its true label. The array is copied. */
    public static Oracle simulated(int[] truth) {
        Checks.checkNotNull(truth, "truth");
        return new Simulated(truth.clone(), 0, 0, 0);
    }

    /**
     * An oracle that answers with the true label, except that with probability {@code flipRate} it answers a
     * different class drawn uniformly from the other {@code numClasses - 1}. Each id's answer is a fixed function of
     * (seed, id): asking twice, or in another order, gives the same answer, as a person who made a mistake would
     * repeat it.
     */
    public static Oracle noisy(int[] truth, int numClasses, double flipRate, long seed) {
        Checks.checkNotNull(truth, "truth");
        Checks.checkPositive(numClasses, "numClasses");
        Checks.checkInRange(flipRate, 0, 1, "flipRate");
        for (int i = 0; i < truth.length; i++) {
            Checks.checkLabel(truth[i], numClasses, "truth[" + i + "]");
        }
        Checks.checkArgument(flipRate == 0 || numClasses >= 2, "flipRate %s needs at least 2 classes, found %d",
                flipRate, numClasses);
        return new Simulated(truth.clone(), numClasses, flipRate, seed);
    }

    private static final class Simulated implements Oracle {
        private final int[] truth;
        private final int numClasses;
        private final double flipRate;
        private final long seed;

        Simulated(int[] truth, int numClasses, double flipRate, long seed) {
            this.truth = truth;
            this.numClasses = numClasses;
            this.flipRate = flipRate;
            this.seed = seed;
        }

        @Override
        public Answers label(int[] ids) {
            Checks.checkNotNull(ids, "ids");
            int[] labels = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                Checks.checkId(ids[i], truth.length, "ids[" + i + "]");
                int label = truth[ids[i]];
                if (flipRate > 0) {
                    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (ids[i] + 1L)));
                    if (random.nextDouble() < flipRate) {
                        label = (label + 1 + random.nextInt(numClasses - 1)) % numClasses;
                    }
                }
                labels[i] = label;
            }
            return Answers.of(ids, labels);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Simulated s && Arrays.equals(truth, s.truth) && numClasses == s.numClasses
                    && flipRate == s.flipRate && seed == s.seed;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(truth), numClasses, flipRate, seed);
        }

        @Override
        public String toString() {
            return flipRate == 0 ? "Oracles.simulated(" + truth.length + " labels)"
                    : "Oracles.noisy(" + truth.length + " labels, " + numClasses + ", " + flipRate + ", " + seed + ")";
        }
    }
}
