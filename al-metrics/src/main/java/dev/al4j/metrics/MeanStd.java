package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.util.Locale;

/**
 * The mean and sample standard deviation of a measure over trials, as papers report it ({@code 0.8123 ± 0.0051}).
 *
 * @param mean the arithmetic mean
 * @param std the sample standard deviation (divisor {@code n − 1}); 0 for a single value
 * @param count the number of values
 */
public record MeanStd(double mean, double std, int count) {

    /** Checks that the count is positive and the standard deviation non-negative. */
    public MeanStd {
        Checks.checkPositive(count, "count");
        Checks.checkArgument(std >= 0 || Double.isNaN(mean), "std must be >= 0, found %s", std);
    }

    /** {@code mean ± std} with {@code decimals} digits after the point, e.g. {@code 0.8123 ± 0.0051}. */
    public String format(int decimals) {
        Checks.checkNonNegative(decimals, "decimals");
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f, mean, std);
    }

    /** {@link #format(int)} with 4 decimals. */
    @Override
    public String toString() {
        return format(4);
    }
}
