package dev.al4j.dl4j;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Capabilities;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.TopK;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.StrategyCatalog.Reads;
import dev.al4j.strategies.StrategyCatalog.Setup;
import dev.al4j.strategies.UncertaintyScores;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Query strategies that need models trained by this module (the general strategies are in
 * {@code dev.al4j.strategies.Strategies}), and {@link #catalog()}: every strategy by name, this module's included.
 */
public final class Dl4jStrategies {

    private Dl4jStrategies() {}

    /** Stochastic inferences per training step of Ask-n-Learn's default calibration, VWCC (Seo et al. 2019 use 5). */
    public static final int VWCC_PASSES = 5;

    private static final StrategyCatalog CATALOG = Strategies.catalog().plus(List.of(
            Entry.trainingItsOwn("scal", "featureSimilarity", Reads.EMBEDDINGS,
                    "O(N·L·d / K + N log N) on its encoder's embeddings", s -> Strategies.featureSimilarity(),
                    Dl4jStrategies::scalLearner),
            Entry.trainingItsOwn("ask-n-learn", "askNLearn", Reads.EMBEDDINGS_AND_INPUTS,
                    "O(b·N·(d + K)) after A augmented passes over the U unconfident candidates",
                    s -> Strategies.askNLearn(s.augmenter("ask-n-learn")).withSeed(s.seed()),
                    s -> dl4j(s, "ask-n-learn").withCalibration(ConfidenceCalibration.varianceWeighted(VWCC_PASSES))),
            Entry.trainingItsOwn("pal", "pal", Reads.INPUTS,
                    "epochs·4L training passes, K − 1 fine-tunings on ≤ b picks, K·4N scoring passes",
                    s -> pal(dl4j(s, "pal").architecture(), dl4j(s, "pal").training()).withSeed(s.seed()),
                    s -> s.learner("pal")),
            Entry.trainingItsOwn("learning-loss", "learningLoss", Reads.PREDICTED_LOSS, "O(N log b)",
                    s -> learningLoss(), s -> dl4j(s, "learning-loss").withLossPrediction()),
            Entry.trainingItsOwn("label-dispersion", "labelDispersion", Reads.EPOCH_PREDICTIONS,
                    "T inference passes per candidate, O(T·N·K + N log b)", s -> labelDispersion(),
                    s -> dl4j(s, "label-dispersion").withEpochPredictions()),
            Entry.of("adv-bim", "advBim", Reads.INPUT_GRADIENTS,
                    "≤ I forward and I backward passes per candidate, I ≤ 50", s -> advBim()),
            Entry.of("adv-deepfool", "advDeepFool", Reads.INPUT_GRADIENTS,
                    "≤ I forward and I·K backward passes per candidate, I ≤ 50", s -> advDeepFool()),
            Entry.trainingItsOwn("waal", "waal", Reads.CRITIC_SCORES,
                    "epochs·⌈max(L, U)/B⌉ adversarial steps on 2B samples; one pass per candidate, O(N·d·m + N·K)",
                    s -> waal(), Dl4jStrategies::waalLearner),
            Entry.trainingItsOwn("vaal", "vaal", Reads.INPUTS,
                    "epochs·⌈max(L, N)/B⌉ steps of a VAE and a discriminator on 2B samples, then N scoring passes",
                    s -> vaal().withSeed(s.seed()), s -> s.learner("vaal"))));

    /**
     * Every strategy by its kebab-case name: {@code Strategies.catalog()} followed by this module's, whose loops
     * train networks of their own, built from the setup's learner (which must be a {@link Dl4jLearner}):
     * <ul>
     *   <li>{@code scal} (seed 000): a {@link SupervisedContrastiveLearner} of the learner's architecture and
     *       training (eq. 1; with the setup's augmenter when it has one, else two identical views), then
     *       {@code Strategies.featureSimilarity()} (eq. 2) on its embeddings;
     *   <li>{@code ask-n-learn} (seed 002, Algorithm 1): the learner calibrated with VWCC
     *       ({@code ConfidenceCalibration.varianceWeighted(5)}, eq. 2), and {@code Strategies.askNLearn} with the
     *       setup's augmenter and seed;
     *   <li>{@code pal} (seed 004, Algorithm 1): {@link #pal} with the learner's architecture and training;
     *   <li>{@code learning-loss}: the learner {@code withLossPrediction()} and {@link #learningLoss()};
     *   <li>{@code label-dispersion}: the learner {@code withEpochPredictions()} and {@link #labelDispersion()};
     *   <li>{@code waal} (Shui et al. 2020; seed 003, Tables 6 and 9): a {@link WaalLearner} of the learner's
     *       architecture and training (adversarial training on labeled and unlabeled samples; the loop's accuracy is
     *       that classifier's) and {@link #waal()};
     *   <li>{@code vaal} (seed 001; seed 003's VAAL): {@link #vaal()} with the setup's seed, which trains a β-VAE and
     *       a discriminator of its own at every query; the learner is the setup's, for the task model only.
     * </ul>
     * and two that run on the learner's own {@link Dl4jModel}, reading its input gradients: {@code adv-bim}
     * ({@link #advBim()}) and {@code adv-deepfool} ({@link #advDeepFool()}).
     *
     * <pre>{@code
     * Setup setup = Setup.ofSeed(7).withLearner(Dl4jLearner.of(Architectures.mlp(), training));
     * StrategyCatalog.Entry pal = Dl4jStrategies.catalog().get("pal");
     * LoopBuilder loop = ActiveLearningLoop.builder().strategy(pal.create(setup)).learner(pal.learner(setup));
     * }</pre>
     */
    public static StrategyCatalog catalog() {
        return CATALOG;
    }

    /** The setup's learner as a {@link Dl4jLearner}, or an error naming the strategy. */
    private static Dl4jLearner dl4j(Setup setup, String strategy) {
        if (!(setup.learner(strategy) instanceof Dl4jLearner learner)) {
            throw new IllegalArgumentException("strategy " + strategy + " builds its networks from a Dl4jLearner, "
                    + "found " + setup.learner(strategy));
        }
        return learner;
    }

    /** WAAL's learner: the setup's architecture and training, trained adversarially ({@link WaalLearner}). */
    private static WaalLearner waalLearner(Setup setup) {
        Dl4jLearner base = dl4j(setup, "waal");
        return WaalLearner.of(base.architecture(), base.training());
    }

    /**
     * WAAL's query (Shui et al. 2020, as seed 003 runs it): the candidates with the highest
     * {@code 10·d(z) − ½(‖log p‖₂ + ‖log p‖₁)}, critic score against uncertainty; see {@link WaalSampling}. Needs a
     * {@link WassersteinCriticModel}, i.e. a model from {@link WaalLearner}.
     */
    public static WaalSampling waal() {
        return WaalSampling.of();
    }

    /** SCAL's learner (seed 000 eq. 1): the setup's architecture and training with the supervised contrastive loss. */
    private static dev.al4j.core.Learner<?> scalLearner(Setup setup) {
        Dl4jLearner base = dl4j(setup, "scal");
        SupervisedContrastiveLearner scal = SupervisedContrastiveLearner.of(base.architecture(), base.training())
                .withDefaultPasses(setup.passes());
        return setup.augmenter().map(scal::withAugmenter).orElse(scal);
    }

    /**
     * Learning Loss (Yoo and Kweon 2019, "Learning Loss for Active Learning"): the candidates with the highest loss
     * predicted by the model's loss-prediction module. Needs a {@link LossPredictionModel}, e.g. from
     * {@code Dl4jLearner.of(...).withLossPrediction()}. Cost: one forward pass per candidate, {@code O(N log b)} to
     * pick; ties go to the lower id. Immutable and thread-safe.
     *
     * <pre>{@code
     * Dl4jLearner learner = Dl4jLearner.of(Architectures.resNet18(), training).withLossPrediction();
     * Selection next = Dl4jStrategies.learningLoss().select(pool, learner.fit(TrainingData.of(pool, 1)), 1000);
     * }</pre>
     */
    public static TopK learningLoss() {
        return TopK.of(PredictedLoss.INSTANCE, "Dl4jStrategies.learningLoss()");
    }

    /** The acquisition function of Learning Loss: the predicted loss itself. */
    private enum PredictedLoss implements AcquisitionFunction {
        INSTANCE;

        @Override
        public double[] score(Pool pool, Model model, int[] ids) {
            LossPredictionModel m = Capabilities.require(model, LossPredictionModel.class,
                    "Dl4jStrategies.learningLoss()");
            return m.predictedLosses(pool, ids).castTo(DataType.DOUBLE).toDoubleVector();
        }

        @Override
        public String toString() {
            return "PredictedLoss";
        }
    }

    /**
     * Label dispersion (Bengar et al. 2021, as seed 001 describes it in "Forgetting Events"; the issue and the brief
     * attribute it to Hu et al., whose ICLR 2019 paper is about partial feedback): the candidates whose predicted
     * label changed most across the training epochs. With {@code ŷ_t(x)} the label the network predicted for
     * {@code x} at the end of recorded epoch {@code t = 1..T}, {@code c* = argmax_c Σ_t 1[ŷ_t(x) = c]} and
     * {@code f_x = Σ_t 1[ŷ_t(x) = c*]},
     * <pre>    dispersion(x) = 1 − f_x / T,</pre>
     * in {@code [0, 1 − 1/min(K, T)]}: 0 when every epoch agrees. Seed 001's copy has lost the formula's typesetting
     * ("Let's see across the training time," is followed by nothing); this is the paper's definition, which the
     * text's "low if the model consistently assigns the same label ... high if the prediction changes often" matches.
     * It is Freeman's variation ratio over epochs instead of MC-dropout passes, so it is computed by exactly
     * {@code UncertaintyScores.variationRatioMc} on the {@code [T, N, K]} probabilities (a predicted label is the
     * argmax, ties to the lower class).
     *
     * <p>Needs an {@link EpochPredictionModel}, e.g. from {@code Dl4jLearner.of(...).withEpochPredictions()}; any
     * other model is refused with a message naming both. Cost: {@code T} inference passes per candidate
     * ({@code T} recorded epochs), {@code 4·T·N·K} bytes for the probabilities, {@code O(T·N·K)} to count the votes
     * and {@code O(N log b)} to pick; ties (frequent: the score takes at most {@code T} values) go to the lower id.
     * Immutable and thread-safe.
     *
     * <pre>{@code
     * Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3)).withEpochPredictions();
     * Selection next = Dl4jStrategies.labelDispersion().select(pool, learner.fit(TrainingData.of(pool, 1)), 1000);
     * }</pre>
     */
    public static TopK labelDispersion() {
        return TopK.of(EpochDispersion.INSTANCE, "Dl4jStrategies.labelDispersion()");
    }

    /** The acquisition function of label dispersion: the variation ratio of the recorded epochs' predictions. */
    private enum EpochDispersion implements AcquisitionFunction {
        INSTANCE;

        @Override
        public double[] score(Pool pool, Model model, int[] ids) {
            EpochPredictionModel m = Capabilities.require(model, EpochPredictionModel.class,
                    "Dl4jStrategies.labelDispersion()");
            return UncertaintyScores.variationRatioMc(m.epochProbabilities(pool, ids));
        }

        @Override
        public String toString() {
            return "EpochDispersion";
        }
    }

    /**
     * AdvBIM (Ducoffe and Precioso 2018, as seed 003 runs it): the candidates closest to the decision boundary, the
     * distance measured by the basic iterative method's perturbation that flips the predicted label. Needs a
     * {@link Dl4jModel} and a pool with inputs. Defaults: step {@code ε = 0.05}, at most 50 iterations. See
     * {@link AdversarialSampling}.
     */
    public static AdversarialSampling advBim() {
        return AdversarialSampling.of(AdversarialSampling.Attack.BIM);
    }

    /**
     * AdvDeepFool (Ducoffe and Precioso 2018; seed 003): the candidates closest to the decision boundary, the distance
     * measured by DeepFool's minimal perturbation that flips the predicted label. Needs a {@link Dl4jModel} and a
     * pool with inputs. Default: at most 50 iterations. See {@link AdversarialSampling}.
     */
    public static AdversarialSampling advDeepFool() {
        return AdversarialSampling.of(AdversarialSampling.Attack.DEEP_FOOL);
    }

    /**
     * VAAL (Sinha, Ebrahimi and Darrell 2019): a β-VAE and a discriminator on its latent space, trained adversarially
     * on the labeled samples and the candidates at every query; the candidates the discriminator finds least likely
     * labeled. Needs a pool with inputs; the model is not used. Defaults: latent size 32, {@code β = 1}, adversary
     * weight 1, {@code Training.adam(1e-3).withEpochs(30).withBatchSize(128)}, seed 0. See
     * {@link VariationalAdversarialActiveLearning}.
     */
    public static VariationalAdversarialActiveLearning vaal() {
        return VariationalAdversarialActiveLearning.defaults();
    }

    /**
     * PAL (Bhatnagar et al. 2021): a scoring network with rotation-prediction and classification heads, trained with
     * {@code training} on the labeled samples at every query, and sub-queries with a fine-tuned diversity score; see
     * {@link PretextActiveLearning}. Defaults: {@code λ₁ = λ₂ = 1}, 5 sub-queries, seed 0.
     */
    public static PretextActiveLearning pal(Architecture architecture, Training training) {
        dev.al4j.core.Checks.checkNotNull(architecture, "architecture");
        dev.al4j.core.Checks.checkNotNull(training, "training");
        return new PretextActiveLearning(architecture, training, 1, 1, 5, 0);
    }
}
