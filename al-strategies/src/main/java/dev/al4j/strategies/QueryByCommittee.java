package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.List;

/**
 * Query by committee (Seung, Opper and Sompolinsky 1992): selects the {@code b} candidates on which the members of
 * a {@link Committee} disagree most, under one {@link Disagreement} measure (Settles 2009, "Active Learning
 * Literature Survey", sec. 3.2; seed 001, Weng's overview in {@code shared/seeds/}, describes QBC and ensembles):
 * <ul>
 *   <li>{@link Disagreement#VOTE_ENTROPY vote entropy} (Dagan and Engelson 1995):
 *       {@code −Σ_k (V_k/C) log(V_k/C)}, {@code V_k} the number of the {@code C} members whose predicted class is
 *       {@code k} (a member's tie goes to the lower class index);</li>
 *   <li>{@link Disagreement#CONSENSUS_ENTROPY consensus entropy}: the entropy {@code H[p̄]} of the consensus
 *       {@code p̄ = (1/C) Σ_c p_c};</li>
 *   <li>{@link Disagreement#MAX_DISAGREEMENT max disagreement}: the mean Kullback-Leibler divergence of the members
 *       from the consensus, {@code (1/C) Σ_c KL(p_c ‖ p̄)} (McCallum and Nigam 1998), which equals
 *       {@code H[p̄] − (1/C) Σ_c H[p_c]}: BALD with the members in place of MC-dropout passes. (modAL's function of
 *       this name takes the largest divergence over members instead of the mean.)</li>
 * </ul>
 * The scores are those of {@link UncertaintyScores}; higher = more informative.
 *
 * <p><b>How a committee is given.</b> The committee is the {@code model} argument of
 * {@link #select(Pool, Model, int)}: a {@link Committee} of member models (e.g. {@code Committee.of(m1, m2, m3)},
 * or trained each round by {@code Committee.learner(...)}). A strategy stays an immutable configuration, usable in
 * the {@link dev.al4j.core.ActiveLearningLoop} whose models change every round; any model that is not a
 * {@code Committee} fails at once with an {@link IllegalArgumentException} naming the strategy and the capability.
 *
 * <p>Cost: one forward pass of each of the {@code C} members over the N candidates; O(C·N·K) time to score, O(N log
 * b) to select; O(C·N·K) memory for the members' probabilities pulled as floats. Immutable and thread-safe.
 *
 * <pre>{@code
 * Committee committee = Committee.of(List.of(modelA, modelB, modelC));
 * QueryStrategy strategy = Strategies.voteEntropy();
 * Selection next = strategy.select(pool, committee, 100);
 * }</pre>
 */
public final class QueryByCommittee implements QueryStrategy, AcquisitionFunction {

    /** How the members' disagreement is measured. */
    public enum Disagreement {
        /** Entropy of the members' votes, in {@code [0, log min(K, C)]}. */
        VOTE_ENTROPY("voteEntropy"),
        /** Entropy of the consensus, in {@code [0, log K]}. */
        CONSENSUS_ENTROPY("consensusEntropy"),
        /** Mean KL divergence of the members from the consensus, in {@code [0, H[p̄]]}. */
        MAX_DISAGREEMENT("maxDisagreement");

        private final String factory;

        Disagreement(String factory) {
            this.factory = factory;
        }

        double[] score(float[][] members, int n, int k) {
            switch (this) {
                case VOTE_ENTROPY:
                    return UncertaintyScores.voteEntropy(members, n, k);
                case CONSENSUS_ENTROPY:
                    return UncertaintyScores.consensusEntropy(members, n, k);
                case MAX_DISAGREEMENT:
                    return UncertaintyScores.maxDisagreement(members, n, k);
                default:
                    throw new AssertionError(this);
            }
        }
    }

    private final Disagreement disagreement;

    private QueryByCommittee(Disagreement disagreement) {
        this.disagreement = disagreement;
    }

    /** The strategy for {@code disagreement}; {@link Strategies#voteEntropy()} and its siblings are the usual entry. */
    public static QueryByCommittee of(Disagreement disagreement) {
        return new QueryByCommittee(Checks.checkNotNull(disagreement, "disagreement"));
    }

    /** The disagreement measure. */
    public Disagreement disagreement() {
        return disagreement;
    }

    /**
     * Scores {@code ids} with one {@code probabilities} call per member.
     *
     * @throws IllegalArgumentException when the model is not a {@link Committee}, a member's class count differs
     *     from the pool's, or a member's probabilities have the wrong shape, hold NaN or infinity, or have rows that
     *     do not sum to 1
     */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        Committee committee = Capabilities.require(model, Committee.class, this);
        Checks.checkClasses(pool, model);
        Checks.checkNotNull(ids, "ids");
        List<Model> members = committee.members();
        for (int c = 0; c < members.size(); c++) {
            Checks.checkArgument(members.get(c).numClasses() == pool.numClasses(),
                    "committee member %d has %d classes but the pool has %d", c, members.get(c).numClasses(),
                    pool.numClasses());
        }
        if (ids.length == 0) {
            return new double[0];
        }
        float[][] outputs = new float[members.size()][];
        for (int c = 0; c < members.size(); c++) {
            outputs[c] = QueryOutputs.probabilities(pool, members.get(c), ids,
                    "committee member " + c + " probabilities");
        }
        return disagreement.score(outputs, ids.length, pool.numClasses());
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        Capabilities.require(model, Committee.class, this); // fail fast, even for a zero budget
        return TopK.of(this, toString()).select(pool, model, budget);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryByCommittee q && disagreement == q.disagreement;
    }

    @Override
    public int hashCode() {
        return disagreement.name().hashCode();
    }

    @Override
    public String toString() {
        return "Strategies." + disagreement.factory + "()";
    }
}
