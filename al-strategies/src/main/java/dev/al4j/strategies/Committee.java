package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Seeds;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A committee of models, as query-by-committee strategies ({@link Strategies#voteEntropy()},
 * {@link Strategies#consensusEntropy()}, {@link Strategies#maxDisagreement()}) need: a {@link Model} whose members
 * are models over the same classes.
 *
 * <p>Why a model and not a list handed to the strategy: a strategy is an immutable configuration built once, while
 * the models change every round. Making the committee the {@code model} argument of
 * {@code QueryStrategy.select(pool, model, budget)} keeps the strategies' signature, lets the
 * {@link dev.al4j.core.ActiveLearningLoop} train a fresh committee each round through {@link #learner(List)}, and
 * makes the committee a capability like the others: a committee strategy given any other model fails at once,
 * naming the strategy and {@code Committee}. As a plain {@link Model} a committee predicts the consensus, the mean of
 * its members' probabilities, so every single-model strategy also works on it.
 *
 * <p>Immutable and thread-safe when its members are.
 *
 * <pre>{@code
 * Committee committee = Committee.of(List.of(modelA, modelB, modelC));
 * Selection next = Strategies.voteEntropy().select(pool, committee, 100);
 * Learner<Committee> learner = Committee.learner(List.of(mlp, mlp, mlp)); // members differ by seed
 * }</pre>
 */
public final class Committee implements Model {

    private final List<Model> members;
    private final int numClasses;

    private Committee(List<Model> members) {
        this.members = members;
        this.numClasses = members.get(0).numClasses();
    }

    /**
     * A committee of at least two members with the same number of classes.
     *
     * @throws IllegalArgumentException for fewer than two members or differing class counts
     */
    public static Committee of(List<? extends Model> members) {
        Checks.checkNotNull(members, "members");
        Checks.checkArgument(members.size() >= 2, "a committee needs at least 2 members, found %d", members.size());
        List<Model> copy = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            copy.add(Checks.checkNotNull(members.get(i), "members[" + i + "]"));
        }
        int k = copy.get(0).numClasses();
        for (int i = 1; i < copy.size(); i++) {
            Checks.checkArgument(copy.get(i).numClasses() == k,
                    "committee members must have the same number of classes: members[0] has %d, members[%d] has %d",
                    k, i, copy.get(i).numClasses());
        }
        return new Committee(List.copyOf(copy));
    }

    /** A committee of the given members; see {@link #of(List)}. */
    public static Committee of(Model first, Model second, Model... more) {
        List<Model> all = new ArrayList<>();
        all.add(first);
        all.add(second);
        all.addAll(Arrays.asList(more));
        return of(all);
    }

    /**
     * A learner that fits every member learner on the same data and returns their committee. Member {@code i} fits
     * with a seed derived from the data's seed and {@code i}, so that a committee of identical learners still has
     * members that differ (by their initialisation and data order).
     *
     * @param memberLearners at least two learners of models over the same classes
     */
    public static Learner<Committee> learner(List<? extends Learner<?>> memberLearners) {
        Checks.checkNotNull(memberLearners, "memberLearners");
        Checks.checkArgument(memberLearners.size() >= 2, "a committee needs at least 2 member learners, found %d",
                memberLearners.size());
        List<Learner<?>> learners = List.copyOf(memberLearners);
        return (data, progress) -> {
            List<Model> fitted = new ArrayList<>(learners.size());
            for (int i = 0; i < learners.size(); i++) {
                TrainingData memberData = new TrainingData(data.ids(), data.inputs(), data.labels(),
                        data.numClasses(), memberSeed(data.seed(), i));
                fitted.add(learners.get(i).fit(memberData, progress));
            }
            return of(fitted);
        };
    }

    /** A seed for member {@code index}: distinct members get well-separated seeds (a SplitMix64 step). */
    static long memberSeed(long seed, int index) {
        return Seeds.element(seed, index);
    }

    /** The members, in the order given (an unmodifiable list). */
    public List<Model> members() {
        return members;
    }

    /** The number of members {@code C}. */
    public int size() {
        return members.size();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** The consensus: the mean of the members' probabilities, {@code [ids.length, K]}. */
    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        INDArray sum = null;
        for (int i = 0; i < members.size(); i++) {
            INDArray p = members.get(i).probabilities(pool, ids);
            Checks.checkArgument(p != null && p.rank() == 2 && p.rows() == ids.length && p.columns() == numClasses,
                    "committee member %d must return [%d, %d] probabilities, found %s", i, ids.length, numClasses,
                    p == null ? "null" : Arrays.toString(p.shape()));
            sum = sum == null ? p.dup() : sum.addi(p.castTo(sum.dataType()));
        }
        return sum.divi(members.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Committee c && members.equals(c.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "Committee" + members;
    }
}
