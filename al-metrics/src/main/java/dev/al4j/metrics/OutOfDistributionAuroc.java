package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.Metric;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AUROC of out-of-distribution (OOD) detection by the model's maximum softmax probability (MSP), evaluated by the loop
 * each round: the in-distribution samples are the loop's evaluation set (the positives), the OOD samples a pool this
 * metric holds (the negatives); each sample's in-distribution score is {@code max_k p_k}, the confidence of the
 * predicted class, and the value is {@code P(s_in > s_ood)}, ties counted half ({@link Metrics#auroc}, with both
 * scores negated so that they grow with OOD-ness). 0.5 is chance, 1 perfect separation.
 *
 * <p>Seed 000 (§4.2, Figure 4a) reports this AUROC for robustness to out-of-distribution data (Fashion-MNIST or
 * CIFAR-10 against SVHN), but scores each method with the acquisition score it selects with. al4j uses the MSP for
 * every strategy instead: one score makes the strategies' models comparable, and it exists for strategies with no
 * per-sample score (random, k-center, BADGE) and needs no labeled pool (FeatureSim, DFM score against the labeled
 * set). The MSP baseline is Hendrycks and Gimpel, "A Baseline for Detecting Misclassified and Out-of-Distribution
 * Examples in Neural Networks", 2017.
 *
 * <p>Cost per round: one forward pass of the model over the OOD pool (in the model's mini-batches) plus
 * {@code O((n + m) log(n + m))} for the AUROC of {@code n} in- and {@code m} out-of-distribution samples. Immutable
 * and thread-safe (the pool is immutable; the model is not kept).
 *
 * <pre>{@code
 * Pool ood = Pool.of(PoolInputs.of(oodImages), k);
 * loopBuilder.evaluation(test, testLabels, Metrics.accuracy(), Metrics.oodAuroc(ood));
 * }</pre>
 */
public final class OutOfDistributionAuroc implements Metric {

    /** The default report column: {@value}. */
    public static final String NAME = "ood_auroc";

    private final Pool outOfDistribution;
    private final String name;

    OutOfDistributionAuroc(Pool outOfDistribution, String name) {
        Checks.checkNotNull(outOfDistribution, "outOfDistribution");
        Checks.checkArgument(outOfDistribution.size() > 0, "outOfDistribution must hold at least one sample, found 0");
        Checks.checkArgument(outOfDistribution.inputs().isPresent(), "outOfDistribution must have inputs for the "
                + "model to run on, found a pool without inputs");
        this.outOfDistribution = outOfDistribution;
        this.name = checkName(name);
    }

    /**
     * The same metric reported under another column name, e.g. {@code ood_data_auroc} for a second OOD set.
     *
     * @throws IllegalArgumentException for a blank name or one with characters other than letters, digits and
     *     {@code _}
     */
    public OutOfDistributionAuroc withName(String name) {
        return new OutOfDistributionAuroc(outOfDistribution, name);
    }

    /** The out-of-distribution samples. */
    public Pool outOfDistribution() {
        return outOfDistribution;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Not available: the AUROC needs the model's probabilities on the OOD samples; the loop calls
     * {@link #evaluate(Model, INDArray, int[])}. For precomputed probabilities of both sets use
     * {@link #auroc(INDArray, INDArray)}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double evaluate(INDArray probabilities, int[] labels) {
        throw new UnsupportedOperationException(this + " needs the model to score its out-of-distribution samples; "
                + "call evaluate(model, probabilities, labels) or OutOfDistributionAuroc.auroc(inProbs, oodProbs)");
    }

    /**
     * The AUROC of the MSP separating the evaluation set ({@code probabilities}, in-distribution) from this metric's
     * OOD pool, scored by {@code model}.
     *
     * @throws IllegalArgumentException for invalid probabilities, or when the model's classes differ from theirs
     */
    @Override
    public double evaluate(Model model, INDArray probabilities, int[] labels) {
        Checks.checkNotNull(model, "model");
        int[] all = new int[outOfDistribution.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return auroc(probabilities, model.probabilities(outOfDistribution, all));
    }

    /**
     * The AUROC of the maximum softmax probability separating in-distribution rows (positives) from OOD rows
     * (negatives): {@code (#{msp_in > msp_ood} + ½ #{msp_in = msp_ood}) / (n · m)}.
     *
     * @param inDistribution {@code [n, K]} class probabilities of in-distribution samples, {@code n >= 1}
     * @param outOfDistribution {@code [m, K]} class probabilities of OOD samples, {@code m >= 1}
     * @throws IllegalArgumentException for empty or invalid probability matrices or different {@code K}
     */
    public static double auroc(INDArray inDistribution, INDArray outOfDistribution) {
        Checks.checkNotNull(inDistribution, "inDistribution");
        Checks.checkNotNull(outOfDistribution, "outOfDistribution");
        Checks.checkArgument(inDistribution.rank() == 2 && outOfDistribution.rank() == 2
                && inDistribution.columns() == outOfDistribution.columns(), "inDistribution and outOfDistribution "
                + "must be [n, K] and [m, K] with the same K, found %s and %s",
                Arrays.toString(inDistribution.shape()), Arrays.toString(outOfDistribution.shape()));
        // Negated MSP grows with OOD-ness, the convention of Metrics.auroc; P(-s_ood > -s_in) = P(s_in > s_ood).
        return Metrics.auroc(negatedMaxProbabilities(inDistribution, "inDistribution"),
                negatedMaxProbabilities(outOfDistribution, "outOfDistribution"));
    }

    private static double[] negatedMaxProbabilities(INDArray probabilities, String name) {
        Checks.checkArgument(probabilities.rows() > 0, "%s must have at least one row, found 0", name);
        Checks.checkProbabilities(probabilities, -1, -1, name);
        int n = probabilities.rows();
        int k = probabilities.columns();
        double[] values = ProbabilityMatrix.toRowMajorDoubles(probabilities, n, k);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double max = values[i * k];
            for (int c = 1; c < k; c++) {
                max = Math.max(max, values[i * k + c]);
            }
            scores[i] = -max;
        }
        return scores;
    }

    static String checkName(String name) {
        Checks.checkNotNull(name, "name");
        Checks.checkArgument(name.matches("[A-Za-z0-9_]+"), "name must be letters, digits and '_', found '%s'", name);
        return name;
    }

    /** Equal when both hold the same OOD pool (by identity; pools have no value equality) under the same name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OutOfDistributionAuroc m && m.outOfDistribution == outOfDistribution
                && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(outOfDistribution) + name.hashCode();
    }

    @Override
    public String toString() {
        return "Metrics.oodAuroc(<" + outOfDistribution.size() + " samples>)"
                + (name.equals(NAME) ? "" : ".withName(\"" + name + "\")");
    }
}
