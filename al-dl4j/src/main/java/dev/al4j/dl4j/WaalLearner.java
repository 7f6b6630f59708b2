package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAAL's training (Shui, Zhou, Gagné and Wang, "Deep Active Learning: Unified and Principled Method for Query and
 * Training", AISTATS 2020; seed 003 describes it in §2.1.2, §2.1.3 and §2.2 and runs it, Tables 6 and 9; the paper is
 * not among the seeds, so its equation numbers are not cited here): the feature extractor
 * {@code z = f(x)} and classifier {@code h} of an {@link Architecture}, and a critic {@code d} on {@code z}
 * ({@link WassersteinCritic}), trained on the labeled <em>and</em> the unlabeled samples by the min-max problem
 * <pre>
 *   min_{f,h} max_d   mean_l CE(h(f(x)), y) + α·( mean_u d(f(x)) − γ·mean_l d(f(x)) ) − α·λ_gp·GP(d)
 * </pre>
 * where {@code mean_u d − γ·mean_l d} estimates the Wasserstein distance between the unlabeled and labeled feature
 * distributions (the paper's distribution-matching term; {@code γ = L/U}, the authors' correction for the unequal
 * set sizes) and {@code GP = mean (‖∇_z d‖ − 1)²} over the labeled features, the unlabeled features and random
 * interpolates of labeled–unlabeled pairs (Gulrajani et al.'s gradient penalty, keeping {@code d} near
 * 1-Lipschitz). As in the authors' code, the problem is solved by alternating steps on every mini-batch of
 * {@code B} labeled and {@code B} unlabeled samples: one step of {@code f} and {@code h} on
 * {@code CE + α·(mean_u d − γ·mean_l d)} with the critic fixed, then one step of the critic on
 * {@code −α·(mean_u d − γ·mean_l d) + α·λ_gp·GP} with the features fixed. An epoch is {@code ⌈max(L, U)/B⌉} such
 * steps: the smaller set is cycled (the authors' "redundancy trick"), so every unlabeled sample is seen once per epoch.
 *
 * <p>Defaults are the authors': {@code α = 2·10⁻³} (their {@code alpha}), {@code λ_gp = 2} (their critic step's
 * penalty weight), critic width 50, critic sigmoid output; the critic is trained with the same optimiser and learning
 * rate as the network (the authors use one optimiser setting for all three parts). Differences, each because the
 * reference is unclear or DL4J lacks the piece: the critic has no dropout; the penalty is subtracted from the
 * critic's objective (the authors' code adds it, which would push the critic away from the Lipschitz constraint the
 * penalty exists for); the authors also add {@code 5·α·GP} to the feature step, but computed on detached features
 * with the critic frozen it changes no gradient and is left out; the step of {@code f} and {@code h} minimises half
 * the objective above (DL4J averages over the {@code 2B} rows of the joint mini-batch), which Adam's scale invariance
 * makes the same step.
 *
 * <p>The unlabeled samples are the pool's samples not in the training data: the loop passes its pool to
 * {@link #fit(TrainingData, Pool, Progress)}; {@link #fit(TrainingData, Progress)} alone has no pool and fails. Works
 * with every {@link Architecture} (the critic reads the embedding: 256 values for the default MLP, which the survey
 * study uses; the pooled features of the CNNs); with BatchNorm or dropout before the embedding the feature step's
 * critic gradient is taken on a training-mode pass that repeats {@code fit}'s (as {@link Dl4jLearner} does for
 * Learning Loss). No warm start or early stopping.
 *
 * <p>Cost per epoch: {@code ⌈max(L, U)/B⌉} steps, each two training-mode forward passes and one forward–backward pass
 * of the network on {@code 2B} samples plus {@code O(B·d·m)} for the critic: roughly {@code 3·max(L, U)/L} times a
 * plain fit on the labeled samples (e.g. 30 times at L = 500, U = 4 500). Measured on one core for the default MLP
 * on 784 inputs at {@code B = 64}: about 24 ms per step, of which DL4J's own fit is 13 ms (benchmarks/README.md,
 * "WAAL's and VAAL's training steps"); the survey's round at {@code U ≈ 59 500}, 20 epochs, is about 18 600 steps,
 * 7–12 minutes. Immutable and thread-safe: {@code fit} may run concurrently.
 *
 * <pre>{@code
 * WaalLearner learner = WaalLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
 * ActiveLearningLoop loop = ActiveLearningLoop.builder().pool(pool).learner(learner)
 *         .strategy(Dl4jStrategies.waal()).oracle(oracle).initialSize(500).batchSize(250).budget(2000).build();
 * }</pre>
 */
public final class WaalLearner implements Learner<WaalModel> {

    private static final Logger LOG = LoggerFactory.getLogger(WaalLearner.class);

    /** The authors' weight {@code α} of the critic term. */
    public static final double DEFAULT_ALPHA = 2e-3;

    /** The authors' weight {@code λ_gp} of the gradient penalty in the critic's step. */
    public static final double DEFAULT_GRADIENT_PENALTY = 2;

    /** The name of the network output through which the critic's gradient reaches the features. */
    static final String CRITIC_LINK = "critic_link";

    private final Architecture architecture;
    private final Training training;
    private final double alpha;
    private final double gradientPenalty;

    private WaalLearner(Architecture architecture, Training training, double alpha, double gradientPenalty) {
        this.architecture = architecture;
        this.training = training;
        this.alpha = alpha;
        this.gradientPenalty = gradientPenalty;
    }

    /**
     * A WAAL learner for {@code architecture} trained as {@code training} says ({@code training}'s epochs count
     * passes over the larger of the labeled and unlabeled sets).
     *
     * @throws IllegalArgumentException when {@code training} has warm start or early stopping
     */
    public static WaalLearner of(Architecture architecture, Training training) {
        Checks.checkNotNull(architecture, "architecture");
        Checks.checkNotNull(training, "training");
        Checks.checkArgument(!training.warmStart() && !training.earlyStopping(),
                "WAAL trains from scratch on all its data: no warm start or early stopping, found %s", training);
        return new WaalLearner(architecture, training, DEFAULT_ALPHA, DEFAULT_GRADIENT_PENALTY);
    }

    /** The weight {@code α >= 0} of the critic term in the feature step and the critic step (default 2e-3). */
    public WaalLearner withAlpha(double alpha) {
        Checks.checkArgument(alpha >= 0 && alpha < Double.POSITIVE_INFINITY, "alpha must be finite and >= 0, found %s",
                alpha);
        return new WaalLearner(architecture, training, alpha, gradientPenalty);
    }

    /** The weight {@code λ_gp >= 0} of the gradient penalty in the critic's step (default 2). */
    public WaalLearner withGradientPenalty(double weight) {
        Checks.checkArgument(weight >= 0 && weight < Double.POSITIVE_INFINITY,
                "weight must be finite and >= 0, found %s", weight);
        return new WaalLearner(architecture, training, alpha, weight);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Training training() {
        return training;
    }

    public double alpha() {
        return alpha;
    }

    public double gradientPenalty() {
        return gradientPenalty;
    }

    /**
     * Always fails: WAAL also trains on the pool's unlabeled samples, which the training data does not hold.
     *
     * @throws UnsupportedOperationException always; call {@link #fit(TrainingData, Pool, Progress)}
     */
    @Override
    public WaalModel fit(TrainingData data, Progress progress) {
        throw new UnsupportedOperationException(this + " trains on the pool's unlabeled samples too: call "
                + "fit(data, pool, progress) with the pool the data came from (ActiveLearningLoop does)");
    }

    /**
     * Trains on {@code data} (labeled) and on the samples of {@code pool} whose ids are not in {@code data.ids()}
     * (unlabeled). With no unlabeled sample left, the classifier is trained on cross-entropy alone.
     */
    @Override
    public WaalModel fit(TrainingData data, Pool pool, Progress progress) {
        long[] sampleShape = Dl4jLearner.checkFit(this, data, progress);
        Checks.checkNotNull(pool, "pool");
        PoolInputs poolInputs = pool.requireInputs(toString());
        Checks.checkArgument(pool.numClasses() == data.numClasses(),
                "pool has %d classes but the training data has %d", pool.numClasses(), data.numClasses());
        Checks.checkArgument(Arrays.equals(poolInputs.sampleShape(), sampleShape),
                "pool samples have shape %s but the training inputs have %s", Arrays.toString(poolInputs.sampleShape()),
                Arrays.toString(sampleShape));
        Checks.checkIds(data.ids(), pool.size(), "data.ids");
        return train(data, poolInputs, complement(data.ids(), pool.size()), sampleShape, progress);
    }

    /** The ids in {@code [0, n)} not in {@code ids}, ascending. */
    static int[] complement(int[] ids, int n) {
        boolean[] in = new boolean[n];
        for (int id : ids) {
            in[id] = true;
        }
        int[] out = new int[n - (int) java.util.stream.IntStream.range(0, n).filter(i -> in[i]).count()];
        for (int i = 0, j = 0; i < n; i++) {
            if (!in[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    private WaalModel train(TrainingData data, PoolInputs poolInputs, int[] unlabeled, long[] sampleShape,
            Progress progress) {
        long seed = data.seed();
        int k = data.numClasses();
        Architecture.Built built = architecture.buildWithEmbeddingLoss(
                Dl4jLearner.baseConfiguration(training, Seeds.mix(seed, 1)), sampleShape, k, Seeds.mix(seed, 4),
                CRITIC_LINK, new InjectedGradientLoss());
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        long[] inputShape = built.inputShape();
        String embedding = built.embedding().vertex();
        WassersteinCritic critic = WassersteinCritic.initial(built.embedding().size(), WassersteinCritic.WIDTH,
                Seeds.mix(seed, 5), DataType.FLOAT);
        GradientUpdater<?> criticUpdater = criticUpdater(training, critic.parameters().length());

        INDArray labeledFlat = Dl4jModel.toNetworkInput(data.inputs(), inputShape).reshape('c', data.size(), -1);
        int[] y = data.labels();
        int l = data.size();
        // one-hot labels with a row of zeros after them (row l): the unlabeled half's labels, so that one pullRows
        // makes a step's whole label matrix
        INDArray oneHot = Nd4j.concat(0, EpochLoop.oneHot(y, k), Nd4j.zeros(DataType.FLOAT, 1, k));
        int cachedBatch = -1;
        INDArray coefficients = null;
        INDArray mask = null;
        int u = unlabeled.length;
        double gamma = u == 0 ? 0 : (double) l / u;
        int epochs = training.epochs();
        int batch = training.batchSize();
        double[] classification = new double[epochs];
        double[] wasserstein = new double[epochs];
        int criticIteration = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            long started = System.nanoTime();
            int n = Math.max(l, u);
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            EpochLoop.shuffle(order, new SplittableRandom(Seeds.mix(seed, 3, epoch)));
            SplittableRandom interpolation = new SplittableRandom(Seeds.mix(seed, 6, epoch));
            double ceSum = 0;
            double wSum = 0;
            int steps = 0;
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(n, from + batch) - from;
                int[] lRows = new int[b];
                int[] uIds = new int[u == 0 ? 0 : b];
                int[] labelRows = new int[u == 0 ? b : 2 * b]; // lRows, then the zero row for every unlabeled row
                Arrays.fill(labelRows, b, labelRows.length, l);
                for (int i = 0; i < b; i++) {
                    lRows[i] = order[from + i] % l;
                    labelRows[i] = lRows[i];
                    if (u > 0) {
                        uIds[i] = unlabeled[order[from + i] % u];
                    }
                }
                INDArray xl = EpochLoop.rows(labeledFlat, lRows, inputShape);
                INDArray labels = Nd4j.pullRows(oneHot, 1, labelRows);
                if (u == 0) {
                    Map<String, INDArray> ff = net.feedForward(xl, true);
                    ceSum += crossEntropy(ff.get(Architecture.OUTPUT), y, lRows) * b;
                    INDArray noGradient = Nd4j.zeros(DataType.FLOAT, b, built.embedding().size());
                    net.fit(new INDArray[] {xl}, new INDArray[] {labels, noGradient});
                    steps += b;
                    continue;
                }
                INDArray xu = Dl4jModel.toNetworkInput(
                        poolInputs.rows(uIds).reshape('c', b, -1).castTo(DataType.FLOAT), inputShape);
                INDArray x = Nd4j.concat(0, xl, xu);

                // Feature step: CE on the labeled half, α·(mean_u d − γ·mean_l d) through the critic, held fixed.
                Map<String, INDArray> ff = net.feedForward(x, true);
                INDArray z = ff.get(embedding);
                ceSum += crossEntropy(ff.get(Architecture.OUTPUT), y, lRows) * b;
                WassersteinCritic.ScoresAndGradients scored = critic.scoresAndInputGradients(z);
                float[] d = scored.scores().toFloatVector();
                double labeledMean = 0;
                double unlabeledMean = 0;
                for (int i = 0; i < b; i++) {
                    labeledMean += d[i];
                    unlabeledMean += d[b + i];
                }
                double estimate = unlabeledMean / b - gamma * labeledMean / b;
                wSum += estimate * b;
                if (b != cachedBatch) { // the same for every full batch: made once
                    cachedBatch = b;
                    // DL4J averages the 2B rows: row coefficients α (unlabeled) and −αγ (labeled) make the step's
                    // objective ½·(mean_l CE + α·(mean_u d − γ·mean_l d)).
                    coefficients = rowCoefficients(b, alpha, -alpha * gamma).reshape(2L * b, 1);
                    mask = rowCoefficients(b, 0, 1).reshape(2L * b, 1); // the CE on the labeled half only
                }
                INDArray injected = scored.inputGradients().muliColumnVector(coefficients);
                net.fit(new INDArray[] {x}, new INDArray[] {labels, injected}, null, new INDArray[] {mask, null});

                // Critic step on the updated features: minimise −α·(mean_u d − γ·mean_l d) + α·λ_gp·GP.
                INDArray z2 = net.feedForward(x, true).get(embedding);
                criticStep(critic, criticUpdater, z2, gamma, alpha, gradientPenalty, interpolation, criticIteration++,
                        epoch);
                steps += b;
            }
            net.incrementEpochCount();
            classification[epoch] = ceSum / steps;
            wasserstein[epoch] = wSum / steps;
            LOG.debug("{}: epoch {}/{} cross-entropy {} critic estimate {} ({} ms)", this, epoch + 1, epochs,
                    classification[epoch], wasserstein[epoch], (System.nanoTime() - started) / 1_000_000);
            progress.update("fit", epoch + 1, epochs);
        }
        Dl4jModel classifier = new Dl4jModel(net, built, architecture, training, k, seed, classification,
                new double[0], Dl4jLearner.DEFAULT_INFERENCE_BATCH, Dl4jLearner.DEFAULT_PASSES, progress);
        return new WaalModel(classifier, critic, classification, wasserstein);
    }

    /**
     * One step of the critic on features {@code z [2b, d]} (labeled rows first, then as many unlabeled): minimises
     * {@code −α·(mean_u d − γ·mean_l d) + α·λ_gp·GP} over the labeled rows, the unlabeled rows and one random
     * interpolate of each labeled–unlabeled row pair, through {@code updater} (the training's optimiser). The score
     * term's rows are among the penalty's points, so both gradients come from one pass of the critic
     * ({@link WassersteinCritic#objective}).
     */
    static void criticStep(WassersteinCritic critic, GradientUpdater<?> updater, INDArray z, double gamma,
            double alpha, double gradientPenalty, SplittableRandom interpolation, int iteration, int epoch) {
        int b = (int) (z.size(0) / 2);
        INDArray points = z;
        int offset = 0;
        if (gradientPenalty > 0) {
            INDArray zl = z.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
            INDArray zu = z.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
            points = Nd4j.concat(0, interpolates(zu, zl, interpolation), z);
            offset = b;
        }
        // the score weights of −α·(mean_u d − γ·mean_l d): αγ/b on labeled rows, −α/b on unlabeled, 0 on interpolates
        float[] c = new float[offset + 2 * b];
        Arrays.fill(c, offset, offset + b, (float) (alpha * gamma / b));
        Arrays.fill(c, offset + b, offset + 2 * b, (float) (-alpha / b));
        INDArray gradient = critic.objective(points, Nd4j.createFromArray(c), alpha * gradientPenalty, true)
                .gradient();
        INDArray update = gradient.reshape(1, gradient.length());
        updater.applyUpdater(update, iteration, epoch);
        critic.step(update);
    }

    /** The critic's optimiser: {@code training}'s, over {@code parameters} values. */
    static GradientUpdater<?> criticUpdater(Training training, long parameters) {
        IUpdater optimiser = training.updater();
        long stateSize = optimiser.stateSize(parameters);
        return optimiser.instantiate(stateSize == 0 ? null : Nd4j.zeros(DataType.FLOAT, 1, stateSize), true);
    }

    /** {@code [2b]}: {@code labeled} for the first {@code b} rows, {@code unlabeled} for the next {@code b}. */
    private static INDArray rowCoefficients(int b, double unlabeled, double labeled) {
        float[] c = new float[2 * b];
        Arrays.fill(c, 0, b, (float) labeled);
        Arrays.fill(c, b, 2 * b, (float) unlabeled);
        return Nd4j.createFromArray(c);
    }

    /** {@code zu + ε·(zl − zu)} with {@code ε ~ U(0, 1)} per row pair. */
    private static INDArray interpolates(INDArray zu, INDArray zl, SplittableRandom random) {
        float[] eps = new float[(int) zu.size(0)];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) random.nextDouble();
        }
        INDArray e = Nd4j.createFromArray(eps).reshape(eps.length, 1);
        return zl.sub(zu).muliColumnVector(e).addi(zu);
    }

    /**
     * The mean cross-entropy {@code −mean_i log max(p_i[y_{rows_i}], 1e-10)} of the first {@code rows.length} rows of
     * probabilities {@code [≥ b, K]} against the labels {@code y} of the training rows {@code rows}: one copy of the
     * probabilities out of ND4J, the rest in Java (a handful of small ND4J ops per step otherwise).
     */
    static double crossEntropy(INDArray probabilities, int[] y, int[] rows) {
        int b = rows.length;
        int k = (int) probabilities.size(1);
        float[] p = probabilities.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).dup('c').data().asFloat();
        double sum = 0;
        for (int i = 0; i < b; i++) {
            sum -= Math.log(Math.max(p[i * k + y[rows[i]]], 1e-10));
        }
        return sum / b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaalLearner w && architecture.equals(w.architecture) && training.equals(w.training)
                && Double.compare(alpha, w.alpha) == 0 && Double.compare(gradientPenalty, w.gradientPenalty) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, training, alpha, gradientPenalty);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("WaalLearner.of(").append(architecture).append(", ").append(training)
                .append(')');
        if (alpha != DEFAULT_ALPHA) {
            s.append(".withAlpha(").append(alpha).append(')');
        }
        if (gradientPenalty != DEFAULT_GRADIENT_PENALTY) {
            s.append(".withGradientPenalty(").append(gradientPenalty).append(')');
        }
        return s.toString();
    }
}
