package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.BayesianUncertaintySampling.Measure;

/**
 * Ensemble uncertainty sampling (Beluch, Genewein, Nürnberger and Köhler 2018, "The power of ensembles for active
 * learning in image classification", CVPR; seed 001, Weng's overview, "Ensemble and Approximated Ensemble"; seed
 * 003, sec. 2.2, "Model aspect"): selects the {@code b} candidates with the highest score of one {@link Measure}
 * computed over the {@code C} members of a {@link Committee} of independently trained networks, in place of
 * {@code T} MC-dropout passes. Beluch et al. find that a naive ensemble (members trained separately, differing by
 * their random initialisation) with the variation ratio gives better-calibrated uncertainty than MC dropout; they
 * use {@code C = 5} members, the default of {@code al4j run --ensemble-size}.
 * <ul>
 *   <li>{@link Strategies#ensembleVariationRatio()}: {@code 1 − f_m / C}, {@code f_m} the number of members whose
 *       predicted class is the modal one (Freeman 1965; Beluch et al.'s best acquisition);</li>
 *   <li>{@link Strategies#ensembleBald()}: {@code H[mean_c p_c] − mean_c H[p_c]}, the mutual information with the
 *       members as samples of the parameters (Houlsby et al. 2011);</li>
 *   <li>{@link Strategies#ensembleMeanStd()}: {@code (1/K) Σ_k sqrt(E_c[p_ck²] − E_c[p_ck]²)}
 *       (Kampffmeyer et al. 2016);</li>
 *   <li>{@link Strategies#ensembleEntropy()}: the entropy {@code H[mean_c p_c]} of the ensemble's mean prediction.</li>
 * </ul>
 *
 * <p><b>One piece of code with the MC strategies.</b> A committee is a {@code StochasticModel} whose passes are its
 * members ({@link Committee#stochasticProbabilities}); this strategy requires a {@code Committee} and runs
 * {@link BayesianUncertaintySampling} of the same measure with {@code withPasses(C)} on it. So its scores and
 * selection are those of {@link Strategies#bald()} (and siblings) on a model whose {@code C} passes are the members'
 * probabilities, bit for bit ({@code EnsembleSamplingTest}). Two scores coincide with query-by-committee ones in
 * exact arithmetic: {@code ensembleEntropy} is {@link Strategies#consensusEntropy()} (the same kernel) and
 * {@code ensembleBald} is {@link Strategies#maxDisagreement()} (the mean KL form of the same mutual information,
 * equal up to rounding); they are listed under both names so that the ensemble family of Beluch et al. is complete.
 *
 * <p>The model must be a {@link Committee} (of at least two members, as {@link Committee#of} demands); any other model
 * fails at once with an {@link IllegalArgumentException} naming this strategy and {@code Committee}, even an
 * MC-dropout model that would give passes of its own. There is no randomness: the members are deterministic.
 *
 * <p>Cost: one forward pass of each of the {@code C} members over the N candidates; O(C·N·K) time to score
 * ({@code C·N·K} logarithms for BALD, none for the variation ratio and MeanSTD), O(N + b log b) to select; O(C·N·K)
 * memory for the members' probabilities pulled as floats. Training the ensemble costs {@code C} times one network's
 * training per round ({@link Committee#learner}). Immutable and thread-safe.
 *
 * <pre>{@code
 * Learner<Committee> ensemble = Committee.learner(Collections.nCopies(5, mlpLearner)); // members differ by seed
 * Committee members = ensemble.fit(TrainingData.of(pool, 7));
 * Selection next = Strategies.ensembleVariationRatio().select(pool, members, 100);
 * }</pre>
 */
public final class EnsembleSampling implements QueryStrategy, AcquisitionFunction {

    private final Measure measure;

    private EnsembleSampling(Measure measure) {
        this.measure = measure;
    }

    /**
     * The strategy for {@code measure} over a committee's members; {@link Strategies#ensembleBald()} and its siblings
     * are the usual entry.
     */
    public static EnsembleSampling of(Measure measure) {
        return new EnsembleSampling(Checks.checkNotNull(measure, "measure"));
    }

    /** The uncertainty measure. */
    public Measure measure() {
        return measure;
    }

    /** The MC strategy of the same measure with one pass per member of {@code committee}. */
    private BayesianUncertaintySampling overMembers(Committee committee) {
        return BayesianUncertaintySampling.of(measure).withPasses(committee.size());
    }

    /**
     * Scores {@code ids} from one {@code probabilities} call per member.
     *
     * @throws IllegalArgumentException when the model is not a {@link Committee}, its class count differs from the
     *     pool's, or a member's probabilities have the wrong shape, hold NaN or infinity, or have rows that do not
     *     sum to 1
     */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        Checks.checkNotNull(model, "model");
        Committee committee = Capabilities.require(model, Committee.class, this);
        return overMembers(committee).score(pool, committee, ids);
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        Checks.checkNotNull(model, "model");
        Committee committee = Capabilities.require(model, Committee.class, this); // fail fast, even for budget 0
        return overMembers(committee).select(pool, committee, budget);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnsembleSampling e && measure == e.measure;
    }

    @Override
    public int hashCode() {
        return measure.name().hashCode() * 31 + 7;
    }

    @Override
    public String toString() {
        switch (measure) {
            case VARIATION_RATIO:
                return "Strategies.ensembleVariationRatio()";
            case BALD:
                return "Strategies.ensembleBald()";
            case MEAN_STD:
                return "Strategies.ensembleMeanStd()";
            case ENTROPY:
                return "Strategies.ensembleEntropy()";
            default:
                return "EnsembleSampling.of(BayesianUncertaintySampling.Measure." + measure.name() + ")";
        }
    }
}
