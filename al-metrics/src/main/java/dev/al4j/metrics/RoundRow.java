package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.RoundResult;
import java.util.Map;

/**
 * One row of an experiment report: one round of one trial of one strategy. Measures that were not evaluated are NaN
 * (an empty CSV field, a JSON {@code null}).
 *
 * @param strategy the strategy's name as the experiment calls it, e.g. {@code Strategies.entropy()}; no line breaks
 * @param trial the trial (repetition), {@code >= 0}
 * @param round the loop's round (0 is the initial random set), {@code >= 0}
 * @param labeled labeled samples after the round
 * @param accuracy the {@code accuracy} metric
 * @param ece the {@code ece} metric (expected calibration error)
 * @param brier the {@code brier} metric
 * @param nll the {@code nll} metric (negative log-likelihood)
 * @param samplingBias {@link Metrics#samplingBias} of the labels after the round
 * @param queryMs the strategy's query time in milliseconds (the random draw in round 0)
 * @param fitMs the training time in milliseconds
 */
public record RoundRow(String strategy, int trial, int round, int labeled, double accuracy, double ece, double brier,
        double nll, double samplingBias, double queryMs, double fitMs) {

    /** Checks the identifying fields. */
    public RoundRow {
        checkStrategy(strategy);
        Checks.checkNonNegative(trial, "trial");
        Checks.checkNonNegative(round, "round");
        Checks.checkNonNegative(labeled, "labeled");
    }

    /**
     * The row of a finished round: metrics by name ({@link Accuracy#NAME}, {@link ExpectedCalibrationError#NAME},
     * {@link BrierScore#NAME}, {@link NegativeLogLikelihood#NAME}; NaN when absent), sampling bias from
     * {@link RoundResult#labeledClassCounts()} (NaN while nothing is labeled), times from nanoseconds.
     */
    public static RoundRow of(String strategy, int trial, RoundResult result) {
        Checks.checkNotNull(result, "result");
        Map<String, Double> m = result.metrics();
        int[] counts = result.labeledClassCounts();
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        double bias = total > 0 ? Metrics.samplingBias(counts) : Double.NaN;
        return new RoundRow(strategy, trial, result.round(), result.labeledCount(), m.getOrDefault(Accuracy.NAME,
                Double.NaN), m.getOrDefault(ExpectedCalibrationError.NAME, Double.NaN),
                m.getOrDefault(BrierScore.NAME, Double.NaN), m.getOrDefault(NegativeLogLikelihood.NAME, Double.NaN),
                bias, result.queryNanos() / 1e6, result.fitNanos() / 1e6);
    }

    static String checkStrategy(String strategy) {
        Checks.checkNotNull(strategy, "strategy");
        Checks.checkArgument(!strategy.isBlank() && strategy.indexOf('\n') < 0 && strategy.indexOf('\r') < 0,
                "strategy must be a non-blank name without line breaks, found '%s'", strategy);
        return strategy;
    }
}
