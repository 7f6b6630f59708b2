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
 * @param oodAuroc the {@value ExperimentLog#OOD_AUROC} metric: AUROC of out-of-distribution detection against the
 *     held-out classes ({@link Metrics#oodAuroc})
 * @param oodDataAuroc the {@value ExperimentLog#OOD_DATA_AUROC} metric: the same against a separate OOD data set
 * @param shiftAccuracy the {@value ExperimentLog#SHIFT_ACCURACY} metric: accuracy on shifted test data
 *     ({@link Metrics#onShiftedData})
 * @param shiftEce the {@value ExperimentLog#SHIFT_ECE} metric: ECE on shifted test data
 */
public record RoundRow(String strategy, int trial, int round, int labeled, double accuracy, double ece, double brier,
        double nll, double samplingBias, double queryMs, double fitMs, double oodAuroc, double oodDataAuroc,
        double shiftAccuracy, double shiftEce) {

    /** Checks the identifying fields. */
    public RoundRow {
        checkStrategy(strategy);
        Checks.checkNonNegative(trial, "trial");
        Checks.checkNonNegative(round, "round");
        Checks.checkNonNegative(labeled, "labeled");
    }

    /**
     * A row without the robustness measures (they are NaN): the eleven columns of the report files written before
     * al4j measured robustness ({@link ExperimentLog#LEGACY_COLUMNS}).
     */
    public RoundRow(String strategy, int trial, int round, int labeled, double accuracy, double ece, double brier,
            double nll, double samplingBias, double queryMs, double fitMs) {
        this(strategy, trial, round, labeled, accuracy, ece, brier, nll, samplingBias, queryMs, fitMs, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }

    /** The same row with another trial number (as when {@code al4j report} renumbers merged trials). */
    public RoundRow withTrial(int trial) {
        return new RoundRow(strategy, trial, round, labeled, accuracy, ece, brier, nll, samplingBias, queryMs, fitMs,
                oodAuroc, oodDataAuroc, shiftAccuracy, shiftEce);
    }

    /**
     * The row of a finished round: metrics by name ({@link Accuracy#NAME}, {@link ExpectedCalibrationError#NAME},
     * {@link BrierScore#NAME}, {@link NegativeLogLikelihood#NAME}, {@value ExperimentLog#OOD_AUROC},
     * {@value ExperimentLog#OOD_DATA_AUROC}, {@value ExperimentLog#SHIFT_ACCURACY}, {@value ExperimentLog#SHIFT_ECE};
     * NaN when absent), sampling bias from
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
                bias, result.queryNanos() / 1e6, result.fitNanos() / 1e6,
                m.getOrDefault(ExperimentLog.OOD_AUROC, Double.NaN), m.getOrDefault(ExperimentLog.OOD_DATA_AUROC,
                        Double.NaN), m.getOrDefault(ExperimentLog.SHIFT_ACCURACY, Double.NaN),
                m.getOrDefault(ExperimentLog.SHIFT_ECE, Double.NaN));
    }

    static String checkStrategy(String strategy) {
        Checks.checkNotNull(strategy, "strategy");
        Checks.checkArgument(!strategy.isBlank() && strategy.indexOf('\n') < 0 && strategy.indexOf('\r') < 0,
                "strategy must be a non-blank name without line breaks, found '%s'", strategy);
        return strategy;
    }
}
