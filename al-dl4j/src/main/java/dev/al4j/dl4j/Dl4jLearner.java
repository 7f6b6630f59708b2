package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Progress;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    private final AtomicReference<Dl4jModel> previous = new AtomicReference<>(); // used with warm start only

    private Dl4jLearner(Architecture architecture, Training training, int inferenceBatchSize, int defaultPasses) {
        this.architecture = architecture;
        this.training = training;
        this.inferenceBatchSize = inferenceBatchSize;
        this.defaultPasses = defaultPasses;
    }

    /** A learner for {@code architecture} trained as {@code training} says. */
    public static Dl4jLearner of(Architecture architecture, Training training) {
        Checks.checkNotNull(architecture, "architecture");
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, DEFAULT_INFERENCE_BATCH, DEFAULT_PASSES);
    }

    /** A learner for {@code architecture} with {@link Training#defaults()}. */
    public static Dl4jLearner of(Architecture architecture) {
        return of(architecture, Training.defaults());
    }

    /** The mini-batch size of the models' inference (default 1024 rows). */
    public Dl4jLearner withInferenceBatchSize(int rows) {
        Checks.checkPositive(rows, "rows");
        return new Dl4jLearner(architecture, training, rows, defaultPasses);
    }

    /** The number of MC-dropout passes the models offer by default (default 20). */
    public Dl4jLearner withDefaultPasses(int passes) {
        Checks.checkPositive(passes, "passes");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, passes);
    }

    /** A learner with another training configuration. */
    public Dl4jLearner withTraining(Training training) {
        Checks.checkNotNull(training, "training");
        return new Dl4jLearner(architecture, training, inferenceBatchSize, defaultPasses);
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
                data.numClasses(), Seeds.mix(seed, 4));
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
                EpochLoop.oneHot(data.labels(), data.numClasses()), training, seed, EpochLoop.Targets.ONE_HOT,
                EpochLoop.ProgressSpan.of(progress, training.epochs()), architecture);
        return new Dl4jModel(net, built, architecture, training, data.numClasses(), seed, result.losses(),
                result.validationLosses(), inferenceBatchSize, defaultPasses, progress);
    }

    /** Seed, float32, the optimiser and weight decay of {@code training}. */
    static NeuralNetConfiguration.Builder baseConfiguration(Training training, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(training.updater());
        if (training.weightDecay() > 0) {
            b.l2(training.weightDecay()).l2Bias(training.weightDecay());
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dl4jLearner l && architecture.equals(l.architecture) && training.equals(l.training)
                && inferenceBatchSize == l.inferenceBatchSize && defaultPasses == l.defaultPasses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, training, inferenceBatchSize, defaultPasses);
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
        return s.toString();
    }
}
