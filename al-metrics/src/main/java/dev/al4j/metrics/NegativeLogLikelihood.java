package dev.al4j.metrics;

/**
 * Negative log-likelihood (mean cross-entropy) of the true labels: {@code −(1/n) Σ_i ln max(p_{i,y_i}, ε)} with
 * {@code ε =} {@value #EPSILON}. Lower is better.
 *
 * <p>The clip keeps a single zero probability on the true class (common with float32 softmax outputs) from making
 * the mean infinite: one such sample adds at most {@code −ln ε ≈ 34.5 / n}. The value of ε is scikit-learn's
 * long-standing {@code log_loss} default, so numbers are comparable with Python pipelines.
 *
 * <p>Cost: one pass over the {@code n·K} probabilities, copied once into a {@code double[]}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * double nll = Metrics.negativeLogLikelihood().evaluate(probabilities, labels);
 * }</pre>
 */
public final class NegativeLogLikelihood extends PerSampleMetric {

    /** The column name in reports: {@value}. */
    public static final String NAME = "nll";

    /** Probabilities of the true class below this are raised to it before the logarithm. */
    public static final double EPSILON = 1e-15;

    static final NegativeLogLikelihood INSTANCE = new NegativeLogLikelihood();

    private NegativeLogLikelihood() {
        super(NAME, "Metrics.negativeLogLikelihood()");
    }

    /** {@code −ln max(p_true, ε)}, in {@code [0, −ln ε]}. */
    @Override
    double sample(ProbabilityMatrix m, int i) {
        // Checks tolerates entries up to 1 + 1e-3; clip above too so a sample never gives a negative loss.
        double p = Math.min(1.0, Math.max(m.values[i * m.classes + m.labels[i]], EPSILON));
        return -Math.log(p);
    }
}
