package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;

/** The {@code withParallelism} option of the diversity strategies: its check and the thread count it stands for. */
final class Parallelism {

    private Parallelism() {}

    /** The parallelism to use: {@code configured}, or every available processor when it is 0. */
    static int threads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Checks a {@code withParallelism} argument. */
    static int check(int threads) {
        Checks.checkArgument(threads >= 1, "parallelism must be >= 1, found %d", threads);
        return threads;
    }
}
