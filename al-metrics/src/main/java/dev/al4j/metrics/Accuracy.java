package dev.al4j.metrics;

/**
 * Classification accuracy: the fraction of samples whose arg-max class equals the true label (ties in the arg-max go
 * to the lower class, as everywhere in al4j).
 *
 * <p>Cost: one pass over the {@code n·K} probabilities, copied once into a {@code double[]}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * double acc = Metrics.accuracy().evaluate(probabilities, labels);
 * }</pre>
 */
public final class Accuracy extends PerSampleMetric {

    /** The column name in reports: {@value}. */
    public static final String NAME = "accuracy";

    static final Accuracy INSTANCE = new Accuracy();

    private Accuracy() {
        super(NAME, "Metrics.accuracy()");
    }

    /** 1 when the arg-max class is the label, else 0: the mean is the fraction correct, in [0, 1]. */
    @Override
    double sample(ProbabilityMatrix m, int i) {
        return m.predicted(i) == m.labels[i] ? 1 : 0;
    }
}
