package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
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
 * MC-dropout passes when the architecture has dropout; with {@link #withEpochPredictions()}, the class
 * probabilities after each training epoch ({@link EpochPredictionModel}).
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
    private final int epochStride; // 0 = no epoch predictions
    private final AtomicReference<Dl4jModel> previous = new AtomicReference<>(); // used with warm start only

    private Dl4jLearner(Architecture architecture, Training training, int inferenceBatchSize, int defaultPasses,
            ConfidenceCalibration calibration, Architecture.LossModule lossModule, int epochStride) {
        this.calibration = calibration;
        this.lossModule = lossModule;
        this.epochStride = epochStride;
        this.architecture = architecture;
        this.training = training;
        this.inferenceBatchSize = inferenceBatchSize;
        this.defaultPasses = defaultPasses;
    }

    /**
     * Checks the arguments of a network learner's {@code fit}: both given, the data with inputs and at least one
     * sample.
     *
     * @return the shape of one sample
     */
    static long[] checkFit(Learner<?> learner, TrainingData data, Progress progress) {
        Checks.checkNotNull(data, "data");
        Checks.checkNotNull(progress, "progress");
        Checks.checkArgument(data.inputs() != null, "%s needs training inputs, but the training data has none",
                learner);
        Checks.checkArgument(data.size() > 0, "%s needs at least one labeled sample, found 0", learner);
        return Arrays.copyOfRange(data.inputs().shape(), 1, data.inputs().rank());
    }

    /** A learner for {@code architecture} trained as {@code training} says. */
    public static Dl4jLearner of(Architecture architecture, Training training) {
        Checks.checkNotNull(architecture, "architecture");
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, DEFAULT_INFERENCE_BATCH, DEFAULT_PASSES, null, null, 0);
    }

    /** A learner for {@code architecture} with {@link Training#defaults()}. */
    public static Dl4jLearner of(Architecture architecture) {
        return of(architecture, Training.defaults());
    }

    /** The mini-batch size of the models' inference (default 1024 rows). */
    public Dl4jLearner withInferenceBatchSize(int rows) {
        Checks.checkPositive(rows, "rows");
        return new Dl4jLearner(architecture, training, rows, defaultPasses, calibration, lossModule, epochStride);
    }

    /**
     * The number of MC-dropout passes {@code T} the models offer by default (default 20): seed 000 (appendix A.3)
     * uses 50, seed 003 (appendix D.2) 10. Strategies that ask for MC samples without a number use it.
     */
    public Dl4jLearner withDefaultPasses(int passes) {
        Checks.checkPositive(passes, "passes");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, passes, calibration, lossModule,
                epochStride);
    }

    /** A learner with another training configuration. */
    public Dl4jLearner withTraining(Training training) {
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule,
                epochStride);
    }

    /**
     * Trains with one of Ask-n-Learn's calibrated objectives (seed 002: VWCC, eq. 2, or LWCC, eq. 3; see
     * {@link ConfidenceCalibration}) instead of plain cross-entropy. VWCC needs an architecture with dropout.
     */
    public Dl4jLearner withCalibration(ConfidenceCalibration calibration) {
        Checks.checkNotNull(calibration, "calibration");
        Checks.checkArgument(!calibration.needsDropout() || architecture.dropout() > 0,
                "%s needs an architecture with dropout > 0, found %s", calibration, architecture);
        Checks.checkArgument(!calibration.needsDropout()
                || architecture.dropoutPlacement() == DropoutPlacement.EMBEDDING,
                "%s needs the dropout on the embedding (DropoutPlacement.EMBEDDING), found %s", calibration,
                architecture);
        Checks.checkArgument(lossModule == null, "%s cannot be combined with loss prediction", calibration);
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule,
                epochStride);
    }

    /**
     * Adds Yoo and Kweon's (2019, "Learning Loss for Active Learning") loss-prediction module to the network, as
     * seeds 000 (appendix A.3) and 003 (appendix D.2) use it: branches of width 128 on the architecture's
     * intermediate features, margin ranking loss (eq. 2) with ξ = 1, weight λ = 1, trained jointly with the
     * classifier; the models then offer {@link LossPredictionModel} for {@link Dl4jStrategies#learningLoss()}.
     * Same as {@code withLossPrediction(0.6)}: the module's gradient stops flowing into the target network after
     * 120 of 200 epochs, scaled to the training's epochs.
     *
     * <p>The target loss of each sample is its cross-entropy from the training forward pass itself (the pass whose
     * loss trains the classifier: same dropout masks, BatchNorm on batch statistics), recomputed by one extra
     * training-mode forward pass per step that reproduces {@code fit}'s pass exactly and changes nothing, and
     * detached as in the paper. Seed 003's variant (co-training, then 20 more epochs for the module alone with the
     * classifier frozen) is not offered. Not combinable with early stopping or calibration.
     */
    public Dl4jLearner withLossPrediction() {
        return withLossPrediction(Architecture.LossModule.PAPER_GRADIENT_STOP);
    }

    /**
     * As {@link #withLossPrediction()}, with the fraction of the training epochs in {@code [0, 1]} after which the
     * loss-prediction module's gradient no longer reaches the target network (the paper's {@code detach()} of the
     * features): the first {@code round(gradientStop · epochs)} epochs train the target network with both losses,
     * the rest with its own loss only while the module keeps learning. 0.6 is the paper's 120 of 200; 1 lets it flow
     * throughout; 0 never lets it in.
     */
    public Dl4jLearner withLossPrediction(double gradientStop) {
        Checks.checkArgument(calibration == null, "loss prediction cannot be combined with %s", calibration);
        Checks.checkArgument(gradientStop >= 0 && gradientStop <= 1, "gradientStop must be in [0, 1], found %s",
                gradientStop);
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, null,
                new Architecture.LossModule(128, 1.0, gradientStop), epochStride);
    }

    /**
     * Makes the models remember the network as it stood at the end of every training epoch, so that they offer
     * {@link EpochPredictionModel} (the class probabilities of any pool sample after each epoch) for label
     * dispersion ({@link Dl4jStrategies#labelDispersion()}). Same as {@code withEpochPredictions(1)}.
     *
     * <p>Cost: training is unchanged but for one copy of the parameters per recorded epoch, which the model keeps:
     * {@code T · P} floats for {@code T} recorded epochs and {@code P} parameters (the MLP 784-256-256-256-10,
     * 335 000 parameters, over 20 epochs: 27 MB; a ResNet-18 of 11 M parameters: 45 MB per epoch, so record every
     * few epochs with {@link #withEpochPredictions(int)}). Each {@link EpochPredictionModel#epochProbabilities} call
     * then runs {@code T} inference passes over the samples it is asked about (the candidates of a query, not the
     * whole pool), which is what recording the candidates' predictions at the end of each epoch would have cost.
     */
    public Dl4jLearner withEpochPredictions() {
        return withEpochPredictions(1);
    }

    /**
     * As {@link #withEpochPredictions()}, recording the end of every {@code every}-th epoch only (epochs
     * {@code every, 2·every, ...}, counted from 1) and of the last epoch run, whatever its number, so that at least
     * one epoch is recorded and memory stays at {@code ⌈epochs / every⌉ + 1} parameter copies at most.
     */
    public Dl4jLearner withEpochPredictions(int every) {
        Checks.checkPositive(every, "every");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule,
                every);
    }

    /** Trains with plain cross-entropy (the default). */
    public Dl4jLearner withoutCalibration() {
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses, null, lossModule,
                epochStride);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Training training() {
        return training;
    }

    @Override
    public Dl4jModel fit(TrainingData data, Progress progress) {
        long[] sampleShape = checkFit(this, data, progress);
        Checks.checkArgument(lossModule == null || !training.earlyStopping(),
                "loss prediction cannot be combined with early stopping, found %s", training);
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
                calibration == null ? new LossMCXENT() : calibration.loss(), lossModule, training.epochs(),
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
        Dl4jModel.EpochWeights.Recorder recorder = new Dl4jModel.EpochWeights.Recorder(epochStride);
        EpochLoop.Result result = EpochLoop.run(net, flat, built.inputShape(),
                EpochLoop.oneHot(data.labels(), data.numClasses()), training, seed,
                lossModule != null ? Dl4jLearner::withTrainingPassLosses : EpochLoop.Targets.ONE_HOT,
                EpochLoop.ProgressSpan.of(progress, training.epochs()), architecture,
                epochStride > 0 ? recorder : EpochLoop.EpochEnd.NONE);
        return new Dl4jModel(net, built, architecture, training, data.numClasses(), seed, result.losses(),
                result.validationLosses(), inferenceBatchSize, defaultPasses, progress, recorder.recorded());
    }

    /**
     * The one-hot labels and each sample's cross-entropy {@code [b, 1]} from the training forward pass of this step:
     * {@code feedForward(x, true)} before {@code fit} repeats exactly the pass {@code fit} makes (training mode,
     * BatchNorm on the batch's statistics, and the same dropout masks, which {@link SeededDropout} and
     * {@link McDropoutVertex} draw from the iteration and epoch that {@code fit} has not advanced yet) and changes no
     * parameter (BatchNorm's running statistics included). The losses are labels,
     * i.e. constants: the paper's {@code detach()}.
     */
    static INDArray[] withTrainingPassLosses(ComputationGraph net, INDArray x, INDArray oneHot, int iteration) {
        INDArray p = net.feedForward(x, true).get(Architecture.OUTPUT);
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
                && java.util.Objects.equals(lossModule, l.lossModule) && epochStride == l.epochStride;
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, training, inferenceBatchSize, defaultPasses, calibration, lossModule, epochStride);
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
            s.append(lossModule.gradientStop() == Architecture.LossModule.PAPER_GRADIENT_STOP
                    ? ".withLossPrediction()" : ".withLossPrediction(" + lossModule.gradientStop() + ")");
        }
        if (epochStride > 0) {
            s.append(epochStride == 1 ? ".withEpochPredictions()" : ".withEpochPredictions(" + epochStride + ")");
        }
        return s.toString();
    }
}
