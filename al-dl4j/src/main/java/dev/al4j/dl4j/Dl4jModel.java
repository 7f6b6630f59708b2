package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.InputModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Predictions;
import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
import dev.al4j.core.StochasticModel;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trained Deeplearning4j network, produced by {@link Dl4jLearner}: class probabilities and penultimate embeddings
 * of pool samples from one forward pass, MC-dropout passes (Gal and Ghahramani 2016) when its architecture has
 * dropout ({@link #supports} tells), predicted losses when it was trained with a loss-prediction module
 * ({@link Dl4jLearner#withLossPrediction()}), and the class probabilities after each recorded training epoch when
 * it was trained {@link Dl4jLearner#withEpochPredictions()}.
 *
 * <p>Inference reads the pool's inputs by id, one mini-batch at a time (1024 rows by default), so a query over a
 * large pool never builds one huge input array. Cost: one forward pass per sample for {@link #predict} and
 * {@link #probabilities}; {@link #stochasticProbabilities} with dropout on the embedding
 * ({@link DropoutPlacement#EMBEDDING}) runs the body once per sample and only the classifier {@code T} times
 * ({@code O(T·n·d·K)} on top); with dropout after the convolutional blocks ({@link DropoutPlacement#AFTER_CONV_BLOCKS},
 * seed 000) it runs the whole network {@code T} times per sample.
 *
 * <p><b>MC dropout without batch statistics.</b> DL4J's {@code output(x, true)} would switch on dropout <em>and</em>
 * BatchNorm's batch statistics. Here every layer but dropout runs in inference mode (BatchNorm uses, and never
 * updates, its running mean and variance). With dropout on the embedding, the classifier is applied to {@code T}
 * copies of the embedding with inverted-dropout masks ({@code m/(1−r)}, {@code m ~ Bernoulli(1−r)}); with dropout
 * after the blocks, the network's {@link McDropoutVertex dropout vertices} apply such masks inside an inference
 * forward pass. The mask of sample {@code id} in pass {@code t} is a pure function of {@code (seed, t, id)} (and of
 * the vertex): results do not depend on batch size, on the order of ids or on other threads.
 *
 * <p>Thread-safety: immutable from the outside. DL4J's {@code ComputationGraph} keeps per-call state in its layers,
 * so every inference call holds the network's lock for each mini-batch: concurrent callers are safe and take turns
 * (ND4J already uses all cores within one call, so cloning the network per caller would buy little and cost a copy
 * of all weights).
 */
public final class Dl4jModel implements EmbeddingModel, StochasticModel, InputModel, LossPredictionModel,
        EpochPredictionModel {

    private final ComputationGraph net; // guarded by itself
    private final long[] inputShape;
    private final String embeddingVertex;
    private final int embeddingSize;
    private final Architecture architecture;
    private final Training training;
    private final int numClasses;
    private final long seed;
    private final double[] losses;
    private final double[] validationLosses;
    private final int inferenceBatchSize;
    private final int defaultPasses;
    private final Progress progress;
    private final boolean lossModule;
    private final EpochWeights epochWeights;

    /**
     * The parameters of the network at the end of recorded training epochs ({@link Dl4jLearner#withEpochPredictions}):
     * {@code params.get(t)} is a private copy of {@code net.params()} (BatchNorm's running statistics included) after
     * epoch {@code epochs[t]}, counted from 1. Never changed once recorded.
     */
    record EpochWeights(int[] epochs, List<INDArray> params) {

        static final EpochWeights NONE = new EpochWeights(new int[0], List.of());

        boolean isEmpty() {
            return epochs.length == 0;
        }

        /** Records the end of every {@code every}-th epoch and of the last epoch run; one per fit. */
        static final class Recorder implements EpochLoop.EpochEnd {
            private final int every;
            private final List<Integer> epochs = new java.util.ArrayList<>();
            private final List<INDArray> params = new java.util.ArrayList<>();

            Recorder(int every) {
                this.every = every;
            }

            @Override
            public void after(ComputationGraph net, int epoch, boolean last) {
                if ((epoch + 1) % every == 0 || last) {
                    epochs.add(epoch + 1);
                    params.add(net.params().dup());
                }
            }

            EpochWeights recorded() {
                return new EpochWeights(epochs.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(params));
            }
        }
    }

    Dl4jModel(ComputationGraph net, Architecture.Built built, Architecture architecture, Training training,
            int numClasses, long seed, double[] losses, double[] validationLosses, int inferenceBatchSize,
            int defaultPasses, Progress progress) {
        this(net, built, architecture, training, numClasses, seed, losses, validationLosses, inferenceBatchSize,
                defaultPasses, progress, EpochWeights.NONE);
    }

    Dl4jModel(ComputationGraph net, Architecture.Built built, Architecture architecture, Training training,
            int numClasses, long seed, double[] losses, double[] validationLosses, int inferenceBatchSize,
            int defaultPasses, Progress progress, EpochWeights epochWeights) {
        this.epochWeights = epochWeights;
        this.net = net;
        this.inputShape = built.inputShape();
        this.embeddingVertex = built.embedding().vertex();
        this.embeddingSize = built.embedding().size();
        this.architecture = architecture;
        this.training = training;
        this.numClasses = numClasses;
        this.seed = seed;
        this.losses = losses;
        this.validationLosses = validationLosses;
        this.inferenceBatchSize = inferenceBatchSize;
        this.defaultPasses = defaultPasses;
        this.progress = progress;
        this.lossModule = net.getConfiguration().getNetworkOutputs().contains(Architecture.LOSS_PREDICTION);
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int embeddingSize() {
        return embeddingSize;
    }

    @Override
    public int defaultPasses() {
        return defaultPasses;
    }

    /** The architecture this model was trained with. */
    public Architecture architecture() {
        return architecture;
    }

    /** The training configuration this model was trained with. */
    public Training training() {
        return training;
    }

    /** The seed of the fit that produced this model. */
    public long seed() {
        return seed;
    }

    /** The mean training loss (cross-entropy plus weight decay) of each epoch run, in order. */
    public double[] trainingLosses() {
        return losses.clone();
    }

    /** The validation loss after each epoch run, when early stopping was on; empty otherwise. */
    public double[] validationLosses() {
        return validationLosses.clone();
    }

    /** The number of trainable parameters (BatchNorm running statistics excluded). */
    public long trainableParameters() {
        return Parameters.trainable(net);
    }

    /** A copy of the trained network, for use outside al4j (changing it does not change this model). */
    public ComputationGraph network() {
        return copyOfNetwork();
    }

    ComputationGraph copyOfNetwork() {
        synchronized (net) {
            ComputationGraph copy = net.clone();
            // clone() resets the counters that learning-rate schedules and Adam's bias correction read
            copy.getConfiguration().setEpochCount(net.getConfiguration().getEpochCount());
            copy.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount());
            return copy;
        }
    }

    boolean accepts(long[] sampleShape, int classes) {
        if (classes != numClasses) {
            return false;
        }
        try {
            return Arrays.equals(architecture.networkInputShape(sampleShape), inputShape);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Only with dropout above 0 does this model offer {@link StochasticModel}. */
    @Override
    public boolean supports(Class<? extends Model> capability) {
        if (capability == StochasticModel.class) {
            return architecture.dropout() > 0;
        }
        if (capability == LossPredictionModel.class) {
            return lossModule;
        }
        if (capability == EpochPredictionModel.class) {
            return !epochWeights.isEmpty();
        }
        return capability.isInstance(this);
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        return run(pool, ids, false).probabilities();
    }

    @Override
    public Predictions predict(Pool pool, int[] ids) {
        return run(pool, ids, true).predictions();
    }

    /**
     * Class probabilities of inputs that are not pool samples (augmented copies, new data), shaped like the pool's
     * samples: {@code [n, sampleShape...]}. Runs in mini-batches like every other call.
     *
     * @return {@code [n, K]}, in the order of the rows of {@code inputs}
     */
    @Override
    public INDArray probabilities(INDArray inputs) {
        Checks.checkNotNull(inputs, "inputs");
        Checks.checkArgument(inputs.rank() >= 2, "inputs must be [n, sampleShape...], found shape %s",
                Arrays.toString(inputs.shape()));
        long[] sampleShape = Arrays.copyOfRange(inputs.shape(), 1, inputs.rank());
        Checks.checkArgument(Arrays.equals(architecture.networkInputShape(sampleShape), inputShape),
                "inputs of sample shape %s do not fit %s, which was trained on inputs of shape %s",
                Arrays.toString(sampleShape), this, Arrays.toString(inputShape));
        int n = (int) inputs.size(0);
        INDArray flat = inputs.reshape('c', n, -1);
        INDArray probs = Nd4j.create(DataType.FLOAT, n, numClasses);
        for (int from = 0; from < n; from += inferenceBatchSize) {
            int to = Math.min(n, from + inferenceBatchSize);
            INDArray x = toNetworkInput(flat.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'),
                    inputShape);
            INDArray out;
            synchronized (net) {
                out = net.output(List.of(Architecture.OUTPUT), false, new INDArray[] {x}, null)[0];
            }
            probs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out);
        }
        return probs;
    }

    private record Outputs(INDArray probabilities, INDArray embeddings) {
        Predictions predictions() {
            return new Predictions(probabilities, embeddings);
        }
    }

    private Outputs run(Pool pool, int[] ids, boolean withEmbeddings) {
        PoolInputs inputs = checkRequest(pool, ids);
        int n = ids.length;
        INDArray probs = Nd4j.create(DataType.FLOAT, n, numClasses);
        INDArray emb = withEmbeddings ? Nd4j.create(DataType.FLOAT, n, embeddingSize) : null;
        List<String> wanted = withEmbeddings ? List.of(embeddingVertex, Architecture.OUTPUT)
                : List.of(Architecture.OUTPUT);
        int batches = batches(n);
        for (int b = 0; b < batches; b++) {
            int from = b * inferenceBatchSize;
            int to = Math.min(n, from + inferenceBatchSize);
            INDArray x = toNetworkInput(inputs.rows(Arrays.copyOfRange(ids, from, to)), inputShape);
            INDArray[] out;
            synchronized (net) {
                out = net.output(wanted, false, new INDArray[] {x}, null);
            }
            probs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out[out.length - 1]);
            if (withEmbeddings) {
                emb.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out[0]);
            }
            progress.update("inference", b + 1, batches);
        }
        return new Outputs(probs, emb);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the model was trained without a loss-prediction module
     *     ({@link Dl4jLearner#withLossPrediction()})
     */
    @Override
    public INDArray predictedLosses(Pool pool, int[] ids) {
        Checks.checkState(lossModule, "%s has no loss-prediction module; train it with "
                + "Dl4jLearner.withLossPrediction()", this);
        PoolInputs inputs = checkRequest(pool, ids);
        int n = ids.length;
        INDArray result = Nd4j.create(DataType.FLOAT, n);
        int batches = batches(n);
        for (int b = 0; b < batches; b++) {
            int from = b * inferenceBatchSize;
            int to = Math.min(n, from + inferenceBatchSize);
            INDArray x = toNetworkInput(inputs.rows(Arrays.copyOfRange(ids, from, to)), inputShape);
            INDArray out;
            synchronized (net) {
                out = net.output(List.of(Architecture.LOSS_PREDICTION), false, new INDArray[] {x}, null)[0];
            }
            result.get(NDArrayIndex.interval(from, to)).assign(out.reshape(to - from));
            progress.update("inference", b + 1, batches);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the model was trained without {@link Dl4jLearner#withEpochPredictions()}
     */
    @Override
    public int[] recordedEpochs() {
        checkEpochWeights();
        return epochWeights.epochs().clone();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs {@code T} inference passes per sample, in mini-batches, on a private copy of the network loaded with
     * each recorded epoch's parameters in turn (so the model's own network is neither changed nor locked for long).
     * Every layer is in inference mode: dropout off, BatchNorm on the running statistics of that epoch.
     *
     * @throws IllegalStateException when the model was trained without {@link Dl4jLearner#withEpochPredictions()}
     */
    @Override
    public INDArray epochProbabilities(Pool pool, int[] ids) {
        checkEpochWeights();
        PoolInputs inputs = checkRequest(pool, ids);
        List<INDArray> params = epochWeights.params();
        int epochs = params.size();
        int n = ids.length;
        INDArray result = Nd4j.create(DataType.FLOAT, epochs, n, numClasses);
        ComputationGraph copy = copyOfNetwork();
        int batches = batches(n);
        for (int b = 0; b < batches; b++) {
            int from = b * inferenceBatchSize;
            int to = Math.min(n, from + inferenceBatchSize);
            INDArray x = toNetworkInput(inputs.rows(Arrays.copyOfRange(ids, from, to)), inputShape);
            for (int t = 0; t < epochs; t++) {
                copy.setParams(params.get(t));
                INDArray out = copy.output(List.of(Architecture.OUTPUT), false, new INDArray[] {x}, null)[0];
                result.get(NDArrayIndex.point(t), NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out);
            }
            progress.update("epoch-predictions", b + 1, batches);
        }
        return result;
    }

    private void checkEpochWeights() {
        Checks.checkState(!epochWeights.isEmpty(), "%s recorded no training epochs; train it with "
                + "Dl4jLearner.withEpochPredictions()", this);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the architecture has no dropout (see {@link #supports})
     */
    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        Checks.checkState(architecture.dropout() > 0, "MC dropout needs an architecture with dropout > 0, but this "
                + "model was trained with %s (dropout 0); use withDropout(rate) on the architecture", architecture);
        Checks.checkPositive(passes, "passes");
        PoolInputs inputs = checkRequest(pool, ids);
        if (architecture.dropoutPlacement() == DropoutPlacement.AFTER_CONV_BLOCKS) {
            return wholeNetworkPasses(inputs, ids, passes, seed);
        }
        int n = ids.length;
        INDArray result = Nd4j.create(DataType.FLOAT, passes, n, numClasses);
        int batches = batches(n);
        Layer head = net.getLayer(Architecture.OUTPUT);
        for (int b = 0; b < batches; b++) {
            int from = b * inferenceBatchSize;
            int to = Math.min(n, from + inferenceBatchSize);
            int[] batchIds = Arrays.copyOfRange(ids, from, to);
            INDArray x = toNetworkInput(inputs.rows(batchIds), inputShape);
            INDArray embedding;
            synchronized (net) {
                embedding = net.output(List.of(embeddingVertex), false, new INDArray[] {x}, null)[0];
            }
            // [T·b, d]: pass-major copies of the embedding, each row multiplied by its own dropout mask.
            INDArray masked = Nd4j.concat(0, repeat(embedding, passes)).muli(masks(batchIds, passes, seed));
            INDArray out;
            synchronized (net) {
                out = head.activate(masked, false, LayerWorkspaceMgr.noWorkspaces());
            }
            result.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(out.reshape('c', passes, to - from, numClasses));
            progress.update("mc-dropout", b + 1, batches);
        }
        return result;
    }

    /**
     * MC dropout with the dropout inside the body ({@link DropoutPlacement#AFTER_CONV_BLOCKS}): {@code T} inference
     * forward passes of the whole network per batch, every {@link McDropoutVertex} on with the masks of
     * {@code (seed, t, id)}, every other layer in inference mode (BatchNorm on its running statistics, unchanged).
     */
    private INDArray wholeNetworkPasses(PoolInputs inputs, int[] ids, int passes, long seed) {
        int n = ids.length;
        INDArray result = Nd4j.create(DataType.FLOAT, passes, n, numClasses);
        int batches = batches(n);
        for (int b = 0; b < batches; b++) {
            int from = b * inferenceBatchSize;
            int to = Math.min(n, from + inferenceBatchSize);
            int[] batchIds = Arrays.copyOfRange(ids, from, to);
            INDArray x = toNetworkInput(inputs.rows(batchIds), inputShape);
            for (int t = 0; t < passes; t++) {
                INDArray out;
                synchronized (net) {
                    List<McDropoutVertex.Impl> dropouts = dropoutVertices();
                    try {
                        for (McDropoutVertex.Impl d : dropouts) {
                            d.startPass(seed, t, batchIds);
                        }
                        out = net.output(List.of(Architecture.OUTPUT), false, new INDArray[] {x}, null)[0];
                    } finally {
                        for (McDropoutVertex.Impl d : dropouts) {
                            d.endPass();
                        }
                    }
                }
                result.get(NDArrayIndex.point(t), NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out);
            }
            progress.update("mc-dropout", b + 1, batches);
        }
        return result;
    }

    /** The network's body dropout vertices. */
    private List<McDropoutVertex.Impl> dropoutVertices() {
        List<McDropoutVertex.Impl> found = new java.util.ArrayList<>();
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : net.getVertices()) {
            if (v instanceof McDropoutVertex.Impl d) {
                found.add(d);
            }
        }
        return found;
    }

    /**
     * Inverted-dropout masks {@code [T·b, d]}, row {@code t·b + i} for sample {@code ids[i]} in pass {@code t}:
     * each entry is {@code 1/(1−r)} with probability {@code 1−r}, else 0, drawn from a generator seeded by
     * {@code (seed, t, id)} alone.
     */
    INDArray masks(int[] ids, int passes, long seed) {
        int b = ids.length;
        return DropoutMasks.inverted(architecture.dropout(), passes * b, embeddingSize,
                row -> Seeds.mix(seed, row / b, ids[row % b]));
    }

    /** Writes the mask of {@code (seed, pass, id)} into {@code out[offset, offset + d)}. */
    void mask(long seed, int pass, int id, float[] out, int offset) {
        DropoutMasks.fill(architecture.dropout(), Seeds.mix(seed, pass, id), out, offset, embeddingSize);
    }

    private static INDArray[] repeat(INDArray a, int times) {
        INDArray[] copies = new INDArray[times];
        Arrays.fill(copies, a);
        return copies;
    }

    private int batches(int n) {
        return (n + inferenceBatchSize - 1) / inferenceBatchSize;
    }

    private PoolInputs checkRequest(Pool pool, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(ids, "ids");
        Checks.checkArgument(pool.numClasses() == numClasses, "pool has %d classes but %s was trained on %d",
                pool.numClasses(), this, numClasses);
        PoolInputs inputs = pool.requireInputs(toString());
        long[] sampleShape = inputs.sampleShape();
        Checks.checkArgument(Arrays.equals(architecture.networkInputShape(sampleShape), inputShape),
                "pool samples of shape %s do not fit %s, which was trained on inputs of shape %s",
                Arrays.toString(sampleShape), this, Arrays.toString(inputShape));
        for (int i = 0; i < ids.length; i++) {
            Checks.checkId(ids[i], pool.size(), "ids[" + i + "]");
        }
        return inputs;
    }

    /**
     * Runs {@code task} on the walker of this network's input gradients, holding the network's lock (the walker sets
     * the vertices' inputs and epsilons).
     */
    <T> T withInputGradients(java.util.function.Function<InputGradients, T> task) {
        synchronized (net) {
            return task.apply(InputGradients.of(net));
        }
    }

    /** The network inputs of pool samples {@code ids}, {@code [n, networkInputShape...]} float32, checked. */
    INDArray networkInputs(Pool pool, int[] ids) {
        PoolInputs inputs = checkRequest(pool, ids);
        return toNetworkInput(inputs.rows(ids), inputShape);
    }

    /** The rows per mini-batch of inference. */
    int inferenceBatchSize() {
        return inferenceBatchSize;
    }

    /** {@code [n, inputShape...]} float32 from {@code [n, ...]} rows with the same number of values per row. */
    static INDArray toNetworkInput(INDArray rows, long[] inputShape) {
        long[] shape = new long[inputShape.length + 1];
        shape[0] = rows.size(0);
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        INDArray x = rows.dataType() == DataType.FLOAT ? rows : rows.castTo(DataType.FLOAT);
        return Arrays.equals(x.shape(), shape) ? x : x.reshape('c', shape);
    }

    @Override
    public String toString() {
        return "Dl4jModel[" + architecture + ", " + numClasses + " classes, seed " + seed + "]";
    }
}
