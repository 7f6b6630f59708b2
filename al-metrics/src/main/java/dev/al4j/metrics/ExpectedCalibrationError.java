package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Expected calibration error with equal-width confidence bins (Guo, Pleiss, Sun and Weinberger, "On Calibration of
 * Modern Neural Networks", ICML 2017, eq. 3): {@code ECE = Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)|}, where the
 * confidence of a sample is its largest class probability, its prediction the arg-max class (lower class on ties),
 * and bin {@code m} of {@code M} holds the confidences in {@code ((m−1)/M, m/M]}. The first bin also holds confidence
 * 0 and the last bin holds confidence 1.0 (and the up-to-{@code 1e-3} excess that the row-sum tolerance allows).
 * Lower is better; 0 means every bin's accuracy equals its mean confidence.
 *
 * <p>Cost: one pass over the {@code n·K} probabilities, copied once into a {@code double[]}, plus {@code O(M)}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Metric ece = Metrics.expectedCalibrationError().withBins(10);
 * double value = ece.evaluate(probabilities, labels);
 * }</pre>
 */
public final class ExpectedCalibrationError implements Metric {

    /** The column name in reports, whatever the number of bins: {@value}. */
    public static final String NAME = "ece";

    /** The number of bins unless {@link #withBins(int)} says otherwise (Guo et al. use 15). */
    public static final int DEFAULT_BINS = 15;

    static final ExpectedCalibrationError DEFAULT = new ExpectedCalibrationError(DEFAULT_BINS);

    private final int bins;

    private ExpectedCalibrationError(int bins) {
        this.bins = bins;
    }

    /**
     * The same measure with {@code bins} equal-width bins.
     *
     * @throws IllegalArgumentException unless {@code bins >= 1}
     */
    public ExpectedCalibrationError withBins(int bins) {
        Checks.checkPositive(bins, "bins");
        return new ExpectedCalibrationError(bins);
    }

    /** The number of equal-width confidence bins. */
    public int bins() {
        return bins;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @return the expected calibration error, in [0, 1]
     * @throws IllegalArgumentException for empty input, a row count that differs from the label count, invalid
     *     probabilities (outside [0, 1], NaN, rows not summing to 1) or labels outside {@code [0, K)}
     */
    @Override
    public double evaluate(INDArray probabilities, int[] labels) {
        double ece = 0;
        int n = labels == null ? 0 : labels.length;
        for (Bin bin : reliability(probabilities, labels)) {
            if (bin.count() > 0) {
                ece += (double) bin.count() / n * Math.abs(bin.accuracy() - bin.confidence());
            }
        }
        return ece;
    }

    /**
     * The reliability diagram behind the error: one entry per bin, in order of confidence, empty bins included.
     *
     * @throws IllegalArgumentException as {@link #evaluate}
     */
    public List<Bin> reliability(INDArray probabilities, int[] labels) {
        ProbabilityMatrix m = ProbabilityMatrix.of(probabilities, labels);
        int[] count = new int[bins];
        int[] correct = new int[bins];
        double[] confidenceSum = new double[bins];
        for (int i = 0; i < m.rows; i++) {
            int predicted = m.predicted(i);
            double confidence = m.values[i * m.classes + predicted];
            int b = binOf(confidence, bins);
            count[b]++;
            confidenceSum[b] += confidence;
            if (predicted == m.labels[i]) {
                correct[b]++;
            }
        }
        List<Bin> result = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            double accuracy = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
            double confidence = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
            result.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], accuracy, confidence));
        }
        return Collections.unmodifiableList(result);
    }

    /** The bin of a confidence: {@code ceil(c·M) − 1}, clamped to {@code [0, M − 1]}, so that 1.0 is in the last. */
    static int binOf(double confidence, int bins) {
        int b = (int) Math.ceil(confidence * bins) - 1;
        return Math.max(0, Math.min(bins - 1, b));
    }

    /**
     * One confidence bin {@code (lower, upper]}.
     *
     * @param lower the bin's lower edge
     * @param upper the bin's upper edge
     * @param count samples whose confidence falls in the bin
     * @param accuracy the fraction of them predicted correctly, NaN when the bin is empty
     * @param confidence their mean confidence, NaN when the bin is empty
     */
    public record Bin(double lower, double upper, int count, double accuracy, double confidence) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpectedCalibrationError e && e.bins == bins;
    }

    @Override
    public int hashCode() {
        return 31 * ExpectedCalibrationError.class.hashCode() + bins;
    }

    @Override
    public String toString() {
        return bins == DEFAULT_BINS ? "Metrics.expectedCalibrationError()"
                : "Metrics.expectedCalibrationError().withBins(" + bins + ")";
    }
}
