package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Metric;
import dev.al4j.core.Pool;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Factories for the per-round evaluation metrics, and the measures of whole experiments that papers report.
 *
 * <p>The factories return immutable, thread-safe {@link Metric}s that the loop evaluates after every round; their
 * {@link Metric#name() names} are the column names of reports: {@code accuracy}, {@code ece}, {@code brier},
 * {@code nll}. Two more kinds run the round's model on data of their own (seed 000, §4.2, Figure 4):
 * {@link #oodAuroc} (column {@code ood_auroc}), the AUROC of out-of-distribution detection against a second set, and
 * {@link #onShiftedData} (columns {@code shift_accuracy}, {@code shift_ece}, ...), a metric on a shifted copy of the
 * test set.
 *
 * <pre>{@code
 * ActiveLearningLoop loop = ActiveLearningLoop.builder()
 *         ...
 *         .evaluation(testPool, testLabels, Metrics.accuracy(), Metrics.expectedCalibrationError(),
 *                 Metrics.brier(), Metrics.negativeLogLikelihood())
 *         .build();
 * double aubc = Metrics.aubc(loop.run());
 * }</pre>
 *
 * <p>The static measures work on plain arrays: AUBC and final accuracy of a learning curve, AUROC of an
 * out-of-distribution score, sampling bias and class distribution of the acquired labels, group accuracies, mean ±
 * std over trials, and {@link #winTieLoss() win–tie–loss} rankings. Every one validates its input and names the
 * argument, the value and the expectation in its {@link IllegalArgumentException}.
 */
public final class Metrics {

    private Metrics() {}

    // --- per-round metrics (dev.al4j.core.Metric) ----------------------------------------------------------------

    /** Classification accuracy of the arg-max class; report column {@code accuracy}. */
    public static Accuracy accuracy() {
        return Accuracy.INSTANCE;
    }

    /**
     * Expected calibration error with {@value ExpectedCalibrationError#DEFAULT_BINS} equal-width bins (change with
     * {@link ExpectedCalibrationError#withBins(int)}); report column {@code ece}.
     */
    public static ExpectedCalibrationError expectedCalibrationError() {
        return ExpectedCalibrationError.DEFAULT;
    }

    /** The multi-class Brier score; report column {@code brier}. */
    public static BrierScore brier() {
        return BrierScore.INSTANCE;
    }

    /** Negative log-likelihood with probabilities clipped at {@value NegativeLogLikelihood#EPSILON}; column {@code nll}. */
    public static NegativeLogLikelihood negativeLogLikelihood() {
        return NegativeLogLikelihood.INSTANCE;
    }

    /**
     * AUROC of out-of-distribution detection by the maximum softmax probability: the loop's evaluation set is the
     * in-distribution positives, {@code outOfDistribution} the negatives (seed 000, §4.2, Figure 4a; see
     * {@link OutOfDistributionAuroc} for the score and why); report column {@code ood_auroc}. Needs the model:
     * evaluated by the loop, not on precomputed probabilities alone.
     *
     * @param outOfDistribution the OOD samples, with inputs of the loop pool's sample shape
     * @throws IllegalArgumentException for an empty pool or one without inputs
     */
    public static OutOfDistributionAuroc oodAuroc(Pool outOfDistribution) {
        return new OutOfDistributionAuroc(outOfDistribution, OutOfDistributionAuroc.NAME);
    }

    /**
     * {@code metric} evaluated on a shifted copy of the data instead of the loop's evaluation set (seed 000, §4.2,
     * Figure 4b–c: accuracy and ECE under Gaussian blur); report column {@code shift_<metric name>}.
     *
     * @param pool the shifted samples, with inputs of the loop pool's sample shape and its classes
     * @param labels their true classes
     * @param metric the measure, e.g. {@link #accuracy()}
     * @throws IllegalArgumentException for an empty pool, one without inputs, or labels of another length or outside
     *     {@code [0, K)}
     */
    public static ShiftedDataMetric onShiftedData(Pool pool, int[] labels, Metric metric) {
        Checks.checkNotNull(metric, "metric");
        return new ShiftedDataMetric(pool, labels, metric, ShiftedDataMetric.PREFIX + metric.name());
    }

    // --- learning curves -----------------------------------------------------------------------------------------

    /**
     * Area under the budget curve (AUBC; Zhan et al., "A Comparative Survey of Deep Active Learning", 2022): the area
     * under accuracy as a function of the number of labels, by the trapezoid rule, divided by the range of label
     * counts, so that it lies in [0, 1] and equals the accuracy of a flat curve.
     * {@code AUBC = Σ_i (x_{i+1} − x_i)(y_i + y_{i+1}) / 2 / (x_last − x_first)}.
     *
     * <p>A curve of one point (or whose label counts are all equal, e.g. rounds in which the oracle answered nothing)
     * has no width; its AUBC is then the mean of its accuracies, the limit of the formula for a flat curve. Repeated
     * label counts elsewhere add no area.
     *
     * @param labeledCounts the number of labels at each point, non-decreasing, {@code >= 0}
     * @param accuracies the accuracy at each point, in [0, 1]
     * @throws IllegalArgumentException for empty or differently sized arrays, decreasing or negative counts, or
     *     accuracies outside [0, 1] or NaN
     */
    public static double aubc(int[] labeledCounts, double[] accuracies) {
        checkCurve(labeledCounts, accuracies);
        int n = accuracies.length;
        double width = (double) labeledCounts[n - 1] - labeledCounts[0];
        if (width == 0) {
            double sum = 0;
            for (double a : accuracies) {
                sum += a;
            }
            return sum / n;
        }
        double area = 0;
        for (int i = 0; i + 1 < n; i++) {
            area += ((double) labeledCounts[i + 1] - labeledCounts[i]) * (accuracies[i] + accuracies[i + 1]) / 2;
        }
        return area / width;
    }

    /**
     * AUBC of a loop's {@code accuracy} metric over its rounds' labeled counts.
     *
     * @throws IllegalArgumentException when the loop has no rounds or did not evaluate {@link #accuracy()}
     */
    public static double aubc(LoopResult result) {
        Checks.checkNotNull(result, "result");
        return aubc(result.labeledCounts(), result.metric(Accuracy.NAME));
    }

    /**
     * Final accuracy (F-acc): the accuracy after the last round.
     *
     * @param accuracies the accuracy at each round, in [0, 1]
     * @throws IllegalArgumentException when empty, or when a value is outside [0, 1] or NaN
     */
    public static double finalAccuracy(double[] accuracies) {
        Checks.checkNotNull(accuracies, "accuracies");
        Checks.checkArgument(accuracies.length > 0, "accuracies must not be empty, found length 0");
        checkFractions(accuracies, "accuracies");
        return accuracies[accuracies.length - 1];
    }

    /**
     * F-acc of a loop's {@code accuracy} metric.
     *
     * @throws IllegalArgumentException when the loop has no rounds or did not evaluate {@link #accuracy()}
     */
    public static double finalAccuracy(LoopResult result) {
        Checks.checkNotNull(result, "result");
        return finalAccuracy(result.metric(Accuracy.NAME));
    }

    // --- out-of-distribution detection ---------------------------------------------------------------------------

    /**
     * AUROC of an out-of-distribution detector: the probability that a random OOD sample scores higher than a random
     * in-distribution sample, ties counted half, i.e. the Mann–Whitney statistic
     * {@code (#{s_ood > s_in} + ½ #{s_ood = s_in}) / (n_in · n_ood)}. Scores must grow with "OOD-ness" (entropy, 1 −
     * max probability, ...); negate a confidence before passing it. 0.5 is chance, 1 perfect separation.
     *
     * <p>Cost: {@code O(n log n)} for {@code n = n_in + n_ood}: both arrays are sorted once and merged.
     *
     * @throws IllegalArgumentException when either array is empty or holds NaN or infinity
     */
    public static double auroc(double[] inDistributionScores, double[] oodScores) {
        double[] in = sortedFiniteCopy(inDistributionScores, "inDistributionScores");
        double[] ood = sortedFiniteCopy(oodScores, "oodScores");
        // Walk the OOD scores upwards; below counts in-distribution scores < s, upTo those <= s. Both only grow.
        int below = 0;
        int upTo = 0;
        double twiceWins = 0; // 2·(wins + ties/2), kept integral until the end
        for (double s : ood) {
            while (below < in.length && in[below] < s) {
                below++;
            }
            if (upTo < below) {
                upTo = below;
            }
            while (upTo < in.length && in[upTo] <= s) {
                upTo++;
            }
            twiceWins += 2.0 * below + (upTo - below);
        }
        return twiceWins / (2.0 * in.length * ood.length);
    }

    // --- acquired labels -----------------------------------------------------------------------------------------

    /**
     * Sampling bias of the acquired labels (Krishnan, Sinha, Ahuja, Subedar, Tickoo and Iyer, "Mitigating Sampling
     * Bias and Improving Robustness in Active Learning", 2021, eqs. 4–5): {@code 1 − H(p) / H(u)}, where {@code p}
     * is the class distribution of the labels, {@code H} the Shannon entropy and {@code u} the balanced distribution
     * over all {@code K} classes, so {@code H(u) = ln K}. It is 0 for balanced labels and 1 when one class holds
     * every label; classes never labeled count as imbalance. With {@code K = 1} no imbalance is possible (the label
     * distribution is the balanced one) and the bias is 0.
     *
     * @param classCounts labels per class, length {@code K >= 1}, every count {@code >= 0}, at least one positive
     *     (e.g. {@link dev.al4j.core.RoundResult#labeledClassCounts()})
     * @throws IllegalArgumentException for an empty array, a negative count, or no labels at all
     */
    public static double samplingBias(int[] classCounts) {
        double[] p = classDistribution(classCounts);
        if (p.length == 1) {
            return 0.0;
        }
        double entropy = 0;
        for (double q : p) {
            if (q > 0) {
                entropy -= q * Math.log(q);
            }
        }
        // Clamp the rounding of a perfectly balanced set (H(p) computed slightly above ln K) to 0.
        return Math.max(0.0, 1.0 - entropy / Math.log(p.length));
    }

    /**
     * The class distribution of the acquired labels: each class's share of all labels.
     *
     * @param classCounts labels per class, length {@code K >= 1}, every count {@code >= 0}, at least one positive
     * @return {@code K} fractions summing to 1
     * @throws IllegalArgumentException for an empty array, a negative count, or no labels at all
     */
    public static double[] classDistribution(int[] classCounts) {
        Checks.checkNotNull(classCounts, "classCounts");
        Checks.checkArgument(classCounts.length > 0, "classCounts must hold one count per class, found length 0");
        long total = 0;
        for (int c = 0; c < classCounts.length; c++) {
            if (classCounts[c] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "classCounts[%d] must be >= 0, found %d", c, classCounts[c]));
            }
            total += classCounts[c];
        }
        Checks.checkArgument(total > 0, "classCounts must count at least one label, found all zero %s",
                Arrays.toString(classCounts));
        double[] p = new double[classCounts.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = classCounts[c] / (double) total;
        }
        return p;
    }

    /**
     * Counts labels per class.
     *
     * @param labels class labels in {@code [0, numClasses)}
     * @param numClasses {@code K >= 1}
     * @return {@code K} counts
     * @throws IllegalArgumentException for a label outside {@code [0, K)} or {@code K < 1}
     */
    public static int[] classCounts(int[] labels, int numClasses) {
        Checks.checkNotNull(labels, "labels");
        Checks.checkPositive(numClasses, "numClasses");
        ProbabilityMatrix.checkLabels(labels, numClasses);
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    // --- group robustness ----------------------------------------------------------------------------------------

    /**
     * Accuracy within each group, e.g. the four (bird, background) groups of Waterbirds in the survey's robustness
     * study.
     *
     * @param probabilities {@code [n, K]} class probabilities
     * @param labels {@code n} true classes
     * @param groups {@code n} group ids, each {@code >= 0}
     * @return accuracy by group id, for every group present, in increasing id order
     * @throws IllegalArgumentException as {@link Metric#evaluate}, or for a group array of another length or a
     *     negative group id
     */
    public static SortedMap<Integer, Double> groupAccuracies(INDArray probabilities, int[] labels, int[] groups) {
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        checkGroups(groups, m.rows);
        SortedMap<Integer, int[]> tally = new TreeMap<>(); // group -> {correct, total}
        for (int i = 0; i < m.rows; i++) {
            int[] t = tally.computeIfAbsent(groups[i], g -> new int[2]);
            if (m.predicted(i) == m.labels[i]) {
                t[0]++;
            }
            t[1]++;
        }
        SortedMap<Integer, Double> result = new TreeMap<>();
        tally.forEach((g, t) -> result.put(g, (double) t[0] / t[1]));
        return Collections.unmodifiableSortedMap(result);
    }

    /**
     * Worst-group accuracy: the lowest of {@link #groupAccuracies}.
     *
     * @throws IllegalArgumentException as {@link #groupAccuracies}
     */
    public static double worstGroupAccuracy(INDArray probabilities, int[] labels, int[] groups) {
        return Collections.min(groupAccuracies(probabilities, labels, groups).values());
    }

    /**
     * Mismatch-group accuracy: the accuracy over all samples of the given groups taken together, e.g. on Waterbirds
     * the groups whose background does not match the bird (waterbirds on land, landbirds on water), where a model
     * that learned the background as a shortcut fails.
     *
     * @param mismatchGroups the ids of the mismatch groups, at least one
     * @throws IllegalArgumentException as {@link #groupAccuracies}, or when no mismatch group is given or no sample
     *     belongs to one
     */
    public static double mismatchGroupAccuracy(INDArray probabilities, int[] labels, int[] groups,
            int... mismatchGroups) {
        Checks.checkNotNull(mismatchGroups, "mismatchGroups");
        Checks.checkArgument(mismatchGroups.length > 0, "mismatchGroups must name at least one group, found none");
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        checkGroups(groups, m.rows);
        int[] wanted = mismatchGroups.clone();
        Arrays.sort(wanted);
        int correct = 0;
        int total = 0;
        for (int i = 0; i < m.rows; i++) {
            if (Arrays.binarySearch(wanted, groups[i]) >= 0) {
                total++;
                if (m.predicted(i) == m.labels[i]) {
                    correct++;
                }
            }
        }
        Checks.checkArgument(total > 0, "no sample belongs to mismatchGroups %s", Arrays.toString(mismatchGroups));
        return (double) correct / total;
    }

    // --- over trials and data sets -------------------------------------------------------------------------------

    /**
     * Mean and sample standard deviation (divisor {@code n − 1}; 0 for one value) of a measure over trials.
     *
     * @throws IllegalArgumentException when empty or when a value is NaN or infinite
     */
    public static MeanStd meanStd(double... values) {
        Checks.checkNotNull(values, "values");
        Checks.checkArgument(values.length > 0, "values must not be empty, found length 0");
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            checkFinite(values[i], "values", i);
            sum += values[i];
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0.0;
        return new MeanStd(mean, std, values.length);
    }

    /**
     * Win–tie–loss ranking of strategies across data sets (survey Table 9): a win needs a lead of more than
     * {@value WinTieLoss#DEFAULT_MARGIN}; strategies rank by {@code 2·wins + ties}.
     */
    public static WinTieLoss winTieLoss() {
        return WinTieLoss.DEFAULT;
    }

    // --- checks --------------------------------------------------------------------------------------------------

    private static void checkCurve(int[] labeledCounts, double[] accuracies) {
        Checks.checkNotNull(labeledCounts, "labeledCounts");
        Checks.checkNotNull(accuracies, "accuracies");
        Checks.checkArgument(labeledCounts.length > 0, "labeledCounts must not be empty, found length 0");
        Checks.checkArgument(labeledCounts.length == accuracies.length,
                "labeledCounts and accuracies must have the same length, found %d and %d", labeledCounts.length,
                accuracies.length);
        for (int i = 0; i < labeledCounts.length; i++) {
            if (labeledCounts[i] < 0 || (i > 0 && labeledCounts[i] < labeledCounts[i - 1])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "labeledCounts must be >= 0 and non-decreasing, found %d at index %d after %s",
                        labeledCounts[i], i, i > 0 ? String.valueOf(labeledCounts[i - 1]) : "nothing"));
            }
        }
        checkFractions(accuracies, "accuracies");
    }

    private static void checkFractions(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s[%d] must be in [0, 1], found %s", name, i, values[i]));
            }
        }
    }

    private static void checkFinite(double value, String name, int index) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s[%d] must be finite, found %s", name,
                    index, value));
        }
    }

    private static double[] sortedFiniteCopy(double[] scores, String name) {
        Checks.checkNotNull(scores, name);
        Checks.checkArgument(scores.length > 0, "%s must not be empty, found length 0", name);
        double[] copy = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            checkFinite(scores[i], name, i);
            copy[i] = scores[i] + 0.0; // -0.0 + 0.0 == +0.0, so the sort order agrees with == on zeros
        }
        Arrays.sort(copy);
        return copy;
    }

    private static void checkGroups(int[] groups, int rows) {
        Checks.checkNotNull(groups, "groups");
        Checks.checkArgument(groups.length == rows, "groups must have one id per label (%d labels), found %d ids",
                rows, groups.length);
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "groups[%d] must be >= 0, found %d",
                        i, groups[i]));
            }
        }
    }
}
