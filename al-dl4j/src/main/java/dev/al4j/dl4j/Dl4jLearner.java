package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Progress;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Trains a Deeplearning4j network of a given {@link Architecture} with a given {@link Training} configuration and
 * returns an immutable {@link Dl4jModel}: class probabilities and penultimate embeddings from one forward pass, and
 * MC-dropout passes when the architecture has dropout.
 *
 * <p>Every fit starts from a fresh initialisation (as in the papers) unless {@link Training#withWarmStart} is on.
 * The network's seed, the shuffling of mini-batches and the dropout masks all derive from
 * {@link TrainingData#seed()}: the same data and seed give the same weights. Inputs may have any sample shape the
 * architecture accepts; the MLP flattens {@code [n, 1, 28, 28]} to {@code [n, 784]}. Training costs
 * {@code epochs · L} forward and backward passes.
 *
 * <p>Thread-safety: the learner is immutable and {@code fit} may run concurrently on several threads, except with
 * warm start, where the learner remembers the last model it produced (an atomic reference) and each fit starts from
 * it: a warm-start learner belongs to one loop at a time.
 *
 * <pre>{@code
 * Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
 * Dl4jModel model = learner.fit(TrainingData.of(pool, 42));
 * Predictions p = model.predict(pool, pool.candidates());
 * }</pre>
 */
public final class Dl4jLearner implements Learner<Dl4jModel> {

    static final int DEFAULT_INFERENCE_BATCH = 1024;
    static final int DEFAULT_PASSES = 20;

    private final Architecture architecture;
    private final Training training;
    private final int inferenceBatchSize;
    private final int defaultPasses;
    private final ConfidenceCalibration calibration; // null = plain cross-entropy
    private final Architecture.LossModule lossModule; // null = none
    private final AtomicReference<Dl4jModel> previous = new AtomicReference<>(); // used with warm start only

    private Dl4jLearner(Architecture architecture, Training training, int inferenceBatchSize, int defaultPasses,
            ConfidenceCalibration calibration, Architecture.LossModule lossModule) {
        this.calibration = calibration;
        this.lossModule = lossModule;
        this.architecture = architecture;
        this.training = training;
        this.inferenceBatchSize = inferenceBatchSize;
        this.defaultPasses = defaultPasses;
    }

    /** A learner for {@code architecture} trained as {@code training} says. */
    public static Dl4jLearner of(Architecture architecture, Training training) {
        Checks.checkNotNull(architecture, "architecture");
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, DEFAULT_INFERENCE_BATCH, DEFAULT_PASSES, null, null);
    }

    /** A learner for {@code architecture} with {@link Training#defaults()}. */
    public static Dl4jLearner of(Architecture architecture) {
        return of(architecture, Training.defaults());
    }

    /** The mini-batch size of the models' inference (default 1024 rows). */
    public Dl4jLearner withInferenceBatchSize(int rows) {
        Checks.checkPositive(rows, "rows");
        return new Dl4jLearner(architecture, training, rows, defaultPasses, calibration, lossModule);
    }

    /** The number of MC-dropout passes the models offer by default (default 20). */
    public Dl4jLearner withDefaultPasses(int passes) {
        Checks.checkPositive(passes, "passes");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, passes, calibration, lossModule);
    }

    /** A learner with another training configuration. */
    public Dl4jLearner withTraining(Training training) {
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule);
    }

    /**
     * Trains with one of Ask-n-Learn's calibrated objectives (seed 002: VWCC, eq. 2, or LWCC, eq. 3; see
     * {@link ConfidenceCalibration}) instead of plain cross-entropy. VWCC needs an architecture with dropout.
     */
    public Dl4jLearner withCalibration(ConfidenceCalibration calibration) {
        Checks.checkNotNull(calibration, "calibration");
        Checks.checkArgument(!calibration.needsDropout() || architecture.dropout() > 0,
                "%s needs an architecture with dropout > 0, found %s", calibration, architecture);
        Checks.checkArgument(lossModule == null, "%s cannot be combined with loss prediction", calibration);
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule);
    }

    /**
     * Adds Yoo and Kweon's (2019) loss-prediction module to the network (branches of width 128 on the
     * architecture's intermediate features, margin ranking loss with ξ = 1, weight λ = 1), trained jointly with the
     * classifier; the models then offer {@link LossPredictionModel} for {@link Dl4jStrategies#learningLoss()}.
     *
     * <p>The target loss of each sample is its cross-entropy under the current weights, computed by an inference
     * forward pass before each step (one extra forward pass per step) and treated as a constant, as the paper
     * detaches it. The paper stops the module's gradient into the backbone after 120 of 200 epochs; al4j lets it
     * flow throughout. Not combinable with early stopping or calibration.
     */
    public Dl4jLearner withLossPrediction() {
        Checks.checkArgument(calibration == null, "loss prediction cannot be combined with %s", calibration);
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, null,
                new Architecture.LossModule(128, 1.0));
    }

    /** Trains with plain cross-entropy (the default). */
    public Dl4jLearner withoutCalibration() {
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, null, lossModule);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Training training() {
        return training;
    }

    @Override
    public Dl4jModel fit(TrainingData data, Progress progress) {
        Checks.checkNotNull(data, "data");
        Checks.checkNotNull(progress, "progress");
        Checks.checkArgument(data.inputs() != null, "%s needs training inputs, but the training data has none", this);
        Checks.checkArgument(data.size() > 0, "%s needs at least one labeled sample, found 0", this);
        Checks.checkArgument(lossModule == null || !training.earlyStopping(),
                "loss prediction cannot be combined with early stopping, found %s", training);
        long[] sampleShape = Arrays.copyOfRange(data.inputs().shape(), 1, data.inputs().rank());
        Dl4jModel start = training.warmStart() ? previous.get() : null;
        if (start != null && !start.accepts(sampleShape, data.numClasses())) {
            start = null;
        }
        Dl4jModel model = train(data, sampleShape, start, progress);
        if (training.warmStart()) {
            previous.set(model);
        }
        return model;
    }

    private Dl4jModel train(TrainingData data, long[] sampleShape, Dl4jModel start, Progress progress) {
        long seed = data.seed();
        Architecture.Built built = architecture.build(baseConfiguration(training, Seeds.mix(seed, 1)), sampleShape,
                data.numClasses(), Seeds.mix(seed, 4),
                calibration == null ? new LossMCXENT() : calibration.loss(), lossModule,
                calibration == null ? 1 : calibration.passes());
        ComputationGraph net;
        if (start == null) {
            net = new ComputationGraph(built.configuration());
            net.init();
        } else {
            net = start.copyOfNetwork();
            net.getConfiguration().setEpochCount(0);
        }
        INDArray x = Dl4jModel.toNetworkInput(data.inputs(), built.inputShape());
        INDArray flat = x.reshape('c', data.size(), -1);
        EpochLoop.Result result = EpochLoop.run(net, flat, built.inputShape(),
                EpochLoop.oneHot(data.labels(), data.numClasses()), training, seed,
                lossModule != null ? Dl4jLearner::withTargetLosses : EpochLoop.Targets.ONE_HOT,
                EpochLoop.ProgressSpan.of(progress, training.epochs()), architecture);
        return new Dl4jModel(net, built, architecture, training, data.numClasses(), seed, result.losses(),
                result.validationLosses(), inferenceBatchSize, defaultPasses, progress);
    }

    /** The one-hot labels and each sample's cross-entropy under the current weights, {@code [b, 1]}. */
    private static INDArray[] withTargetLosses(ComputationGraph net, INDArray x, INDArray oneHot, int iteration) {
        INDArray p = net.output(java.util.List.of(Architecture.OUTPUT), false, new INDArray[] {x}, null)[0];
        INDArray pTrue = p.mul(oneHot).sum(1).reshape(oneHot.size(0), 1);
        INDArray loss = org.nd4j.linalg.ops.transforms.Transforms.log(
                org.nd4j.linalg.ops.transforms.Transforms.max(pTrue, 1e-10), false).negi();
        return new INDArray[] {oneHot, loss};
    }

    /** Seed, float32, the optimiser and weight decay of {@code training}. */
    static NeuralNetConfiguration.Builder baseConfiguration(Training training, long seed) {
        // No workspaces: DL4J 1.0.0-M2.1's workspaces break ComputationGraph.output(layerNames, ...) (asking for the
        // first layer alone leaves a workspace open; custom losses leak a closed workspace as the current one), and
        // measured training speed was the same without them.
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .updater(training.updater());
        if (training.weightDecay() > 0) {
            b.l2(training.weightDecay()).l2Bias(training.weightDecay());
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dl4jLearner l && architecture.equals(l.architecture) && training.equals(l.training)
                && inferenceBatchSize == l.inferenceBatchSize && defaultPasses == l.defaultPasses
                && java.util.Objects.equals(calibration, l.calibration)
                && java.util.Objects.equals(lossModule, l.lossModule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Dl4jLearner.of(").append(architecture).append(", ").append(training)
                .append(')');
        if (inferenceBatchSize != DEFAULT_INFERENCE_BATCH) {
            s.append(".withInferenceBatchSize(").append(inferenceBatchSize).append(')');
        }
        if (defaultPasses != DEFAULT_PASSES) {
            s.append(".withDefaultPasses(").append(defaultPasses).append(')');
        }
        if (calibration != null) {
            s.append(".withCalibration(").append(calibration).append(')');
        }
        if (lossModule != null) {
            s.append(".withLossPrediction()");
        }
        return s.toString();
    }
}
