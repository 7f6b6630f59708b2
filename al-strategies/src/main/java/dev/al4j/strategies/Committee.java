package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Seeds;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * <p><b>An ensemble is a committee whose passes are its members.</b> A committee is also a {@link StochasticModel}:
 * its {@code C} "stochastic passes" are its members' probabilities, member {@code c} as pass {@code c}. So the
 * variation ratio, BALD, MeanSTD and the entropy of the mean run over an ensemble of independently trained networks
 * (Beluch et al. 2018, "The power of ensembles for active learning in image classification", CVPR; seed 001, Weng's
 * overview, "Ensemble and Approximated Ensemble") with exactly the code that runs them over MC-dropout passes:
 * {@link Strategies#ensembleBald()} and its siblings ({@link EnsembleSampling}). The members are deterministic: the
 * pass seed is ignored, and a committee gives exactly {@code C} passes.
 *
 * <p>Two learners build committees each round: {@link #learner(List)} fits every member on the same labeled data with
 * its own seed (Beluch et al.'s ensembles: members differ by their initialisation and data order), and
 * {@link #bootstrapLearner(List)} fits member {@code c} on a bootstrap resample of the labeled data (Yang et al.
 * 2017's Suggestive Annotation, {@link SuggestiveAnnotation}).
 *
 * <p>Immutable and thread-safe when its members are.
 *
 * <pre>{@code
 * Committee committee = Committee.of(List.of(modelA, modelB, modelC));
 * Selection next = Strategies.voteEntropy().select(pool, committee, 100);
 * Learner<Committee> learner = Committee.learner(List.of(mlp, mlp, mlp)); // members differ by seed
 * Selection byMembers = Strategies.ensembleBald().select(pool, learner.fit(data), 100);
 * }</pre>
 */
public final class Committee implements StochasticModel {

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

    /**
     * A learner that fits member {@code c} on a bootstrap resample of the data: as many rows as the data has, drawn
     * uniformly with replacement ({@link #bootstrap}), with the seed of member {@code c} as {@link #learner(List)}
     * derives it, which also draws the resample. Yang et al. 2017 (Suggestive Annotation; seed 001, "Hybrid") train
     * their ensemble this way, so that the members' disagreement measures the uncertainty of the labeled set.
     *
     * @param memberLearners at least two learners of models over the same classes
     */
    public static Learner<Committee> bootstrapLearner(List<? extends Learner<?>> memberLearners) {
        Checks.checkNotNull(memberLearners, "memberLearners");
        Checks.checkArgument(memberLearners.size() >= 2, "a committee needs at least 2 member learners, found %d",
                memberLearners.size());
        List<Learner<?>> learners = List.copyOf(memberLearners);
        return (data, progress) -> {
            List<Model> fitted = new ArrayList<>(learners.size());
            for (int i = 0; i < learners.size(); i++) {
                fitted.add(learners.get(i).fit(bootstrap(data, memberSeed(data.seed(), i)), progress));
            }
            return of(fitted);
        };
    }

    /**
     * A bootstrap resample of {@code data}: {@code n = data.size()} rows drawn uniformly with replacement by a
     * {@link SplittableRandom} seeded with {@code seed} (row {@code j} of the result is row {@code draw_j} of the data:
     * its id, input and label), with {@code seed} as the fit's seed. The same data and seed give the same resample.
     */
    static TrainingData bootstrap(TrainingData data, long seed) {
        int n = data.size();
        SplittableRandom random = new SplittableRandom(seed);
        int[] rows = new int[n];
        int[] ids = new int[n];
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            int r = random.nextInt(n);
            rows[j] = r;
            ids[j] = data.ids()[r];
            labels[j] = data.labels()[r];
        }
        INDArray inputs = data.inputs();
        INDArray drawn = null;
        if (inputs != null && n > 0) {
            long[] shape = inputs.shape();
            INDArray flat = inputs.reshape('c', n, inputs.length() / n);
            drawn = Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
        }
        return new TrainingData(ids, drawn, labels, data.numClasses(), seed);
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
            INDArray p = memberProbabilities(i, pool, ids);
            sum = sum == null ? p.dup() : sum.addi(p.castTo(sum.dataType()));
        }
        return sum.divi(members.size());
    }

    /** The number of members {@code C}: a committee's passes are its members. */
    @Override
    public int defaultPasses() {
        return members.size();
    }

    /**
     * The members' probabilities as passes, {@code [C, ids.length, K]}: pass {@code c} is member {@code c}'s
     * probabilities (one forward pass of each member). The members are deterministic, so {@code seed} is ignored.
     *
     * @throws IllegalArgumentException when {@code passes} is not the number of members {@code C}
     */
    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        Checks.checkArgument(passes == members.size(), "a committee of %d members gives exactly %d passes (one per "
                + "member), asked for passes = %d", members.size(), members.size(), passes);
        INDArray[] perMember = new INDArray[members.size()];
        for (int i = 0; i < perMember.length; i++) {
            INDArray p = memberProbabilities(i, pool, ids);
            perMember[i] = i == 0 ? p : p.castTo(perMember[0].dataType());
        }
        return Nd4j.stack(0, perMember);
    }

    /** Member {@code i}'s probabilities, checked to be {@code [ids.length, K]}. */
    private INDArray memberProbabilities(int i, Pool pool, int[] ids) {
        INDArray p = members.get(i).probabilities(pool, ids);
        Checks.checkArgument(p != null && p.rank() == 2 && p.rows() == ids.length && p.columns() == numClasses,
                "committee member %d must return [%d, %d] probabilities, found %s", i, ids.length, numClasses,
                p == null ? "null" : Arrays.toString(p.shape()));
        return p;
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
