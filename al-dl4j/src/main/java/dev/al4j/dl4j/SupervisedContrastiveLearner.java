package dev.al4j.dl4j;

import dev.al4j.core.Augmenter;
import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * SCAL's two-stage training (Krishnan, Sinha, Ahuja, Subedar, Tickoo and Iyer 2021, "Mitigating Sampling Bias and
 * Improving Robustness in Active Learning", seed 000, §3.1 and eq. 1): first the encoder (any {@link Architecture}'s
 * body) with a projection head is trained with the {@link SupervisedContrastiveLoss} (Khosla et al. 2020, temperature
 * 0.07) on <em>augmented batches</em>, then the projection head is dropped and a linear softmax classifier is trained
 * with cross-entropy on the frozen encoder's embeddings.
 *
 * <p><b>Augmented batches (eq. 1).</b> Seed 000's eq. 1 sums over the samples {@code i ∈ I} of an augmented batch:
 * every sample of a mini-batch of {@code b} comes in two augmented views, so the loss sees {@code 2b} anchors, and each
 * anchor's positives {@code P(i)} hold at least its own other view (plus both views of every other sample of its
 * class). The views come from the {@link Augmenter} given with {@link #withAugmenter} (e.g.
 * {@code ImageAugmenter.of(1, 28, 28)}: random flips and crops), each drawn with its own seed mixed from the fit's
 * seed, the epoch, the sample's row in the training data and the view, so training is a pure function of data and seed.
 * <b>Without an augmenter</b> the augmentation is the identity: the two views of a sample are identical copies. That
 * is eq. 1 with {@code Aug(x) = x}, and it keeps eq. 1's structure, every anchor with a positive, at twice the cost of
 * a single view; a batch of single views would instead leave an anchor whose class has no other sample in the batch
 * without any loss (eq. 1 divides by {@code |P(i)| = 0} there). The DL4J score of a step is the mean over the
 * {@code 2b} anchors (eq. 1 divided by {@code 2b}, as for every DL4J loss). Early stopping's validation split is
 * scored on two views as well (views drawn once).
 *
 * <p>The result is an ordinary {@link Dl4jModel}: its embedding is the frozen encoder's penultimate output (what SCAL's
 * feature-similarity and diversity scores use), its probabilities come from the classifier, and with dropout on the
 * architecture it offers MC dropout over the classifier. The classifier is trained on embeddings of the original
 * (unaugmented) inputs computed once in inference mode (BatchNorm on running statistics), which is exactly training it
 * on a frozen encoder.
 *
 * <p>Cost: {@code encoder epochs · 2L} forward/backward passes through the network ({@code O((2b)²·D)} extra per batch
 * for the loss) plus the augmentation, one inference pass over the L labeled samples, and
 * {@code classifier epochs · L · d · K} for the classifier.
 *
 * <p>Immutable and thread-safe (given a thread-safe augmenter, as {@link Augmenter} requires); the same data and seed
 * give the same model.
 *
 * <pre>{@code
 * Learner<Dl4jModel> scal = SupervisedContrastiveLearner.of(Architectures.resNet18(),
 *         Training.sgd(0.1).withMomentum(0.9).withWeightDecay(5e-4).withEpochs(200).withLearningRateDecay(0.1, 160))
 *         .withAugmenter(ImageAugmenter.of(3, 32, 32));
 * }</pre>
 */
public final class SupervisedContrastiveLearner implements Learner<Dl4jModel> {

    static final int DEFAULT_PROJECTION = 128;

    private final Architecture architecture;
    private final Training encoder;
    private final Training classifier;
    private final double temperature;
    private final int projectionHidden; // 0 = the embedding size
    private final int projectionSize;
    private final int inferenceBatchSize;
    private final int defaultPasses;
    private final Augmenter augmenter; // null = identical views

    private SupervisedContrastiveLearner(Architecture architecture, Training encoder, Training classifier,
            double temperature, int projectionHidden, int projectionSize, int inferenceBatchSize, int defaultPasses,
            Augmenter augmenter) {
        this.architecture = architecture;
        this.encoder = encoder;
        this.classifier = classifier;
        this.temperature = temperature;
        this.projectionHidden = projectionHidden;
        this.projectionSize = projectionSize;
        this.inferenceBatchSize = inferenceBatchSize;
        this.defaultPasses = defaultPasses;
        this.augmenter = augmenter;
    }

    /**
     * Contrastive training of {@code architecture}'s encoder as {@code encoder} says; the classifier then trains with
     * {@code Training.adam(1e-3)} for 20 epochs. Projection head: embedding → dense (embedding size) ReLU → 128.
     */
    public static SupervisedContrastiveLearner of(Architecture architecture, Training encoder) {
        Checks.checkNotNull(architecture, "architecture");
        Checks.checkNotNull(encoder, "encoder");
        Checks.checkArgument(!encoder.warmStart(), "warm start is not supported by SupervisedContrastiveLearner, "
                + "found %s", encoder);
        return new SupervisedContrastiveLearner(architecture, encoder, Training.defaults(),
                SupervisedContrastiveLoss.DEFAULT_TEMPERATURE, 0, DEFAULT_PROJECTION,
                Dl4jLearner.DEFAULT_INFERENCE_BATCH, Dl4jLearner.DEFAULT_PASSES, null);
    }

    /** The training of the linear classifier on frozen embeddings (warm start not supported). */
    public SupervisedContrastiveLearner withClassifierTraining(Training training) {
        Checks.checkNotNull(training, "training");
        Checks.checkArgument(!training.warmStart(), "warm start is not supported for the classifier, found %s",
                training);
        return new SupervisedContrastiveLearner(architecture, encoder, training, temperature, projectionHidden,
                projectionSize, inferenceBatchSize, defaultPasses, augmenter);
    }

    /** The loss's temperature {@code τ > 0} (default 0.07). */
    public SupervisedContrastiveLearner withTemperature(double temperature) {
        Checks.checkPositive(temperature, "temperature");
        return new SupervisedContrastiveLearner(architecture, encoder, classifier, temperature, projectionHidden,
                projectionSize, inferenceBatchSize, defaultPasses, augmenter);
    }

    /** The projection head's hidden width and output size (default: the embedding size, and 128). */
    public SupervisedContrastiveLearner withProjection(int hidden, int size) {
        Checks.checkPositive(hidden, "hidden");
        Checks.checkPositive(size, "size");
        return new SupervisedContrastiveLearner(architecture, encoder, classifier, temperature, hidden, size,
                inferenceBatchSize, defaultPasses, augmenter);
    }

    /** The models' inference mini-batch size (default 1024). */
    public SupervisedContrastiveLearner withInferenceBatchSize(int rows) {
        Checks.checkPositive(rows, "rows");
        return new SupervisedContrastiveLearner(architecture, encoder, classifier, temperature, projectionHidden,
                projectionSize, rows, defaultPasses, augmenter);
    }

    /** The number of MC-dropout passes the models offer by default (default 20). */
    public SupervisedContrastiveLearner withDefaultPasses(int passes) {
        Checks.checkPositive(passes, "passes");
        return new SupervisedContrastiveLearner(architecture, encoder, classifier, temperature, projectionHidden,
                projectionSize, inferenceBatchSize, passes, augmenter);
    }

    /**
     * The augmentation that makes the two views of every sample in the contrastive stage (seed 000, eq. 1's augmented
     * batch); it receives inputs in the pool's sample shape ({@code [b, sampleShape...]}) and one seed per row. Without
     * one, the views are identical copies (see the class comment).
     */
    public SupervisedContrastiveLearner withAugmenter(Augmenter augmenter) {
        Checks.checkNotNull(augmenter, "augmenter");
        return new SupervisedContrastiveLearner(architecture, encoder, classifier, temperature, projectionHidden,
                projectionSize, inferenceBatchSize, defaultPasses, augmenter);
    }

    /** The contrastive stage's augmentation, if any. */
    public java.util.Optional<Augmenter> augmenter() {
        return java.util.Optional.ofNullable(augmenter);
    }

    /**
     * Eq. 1's augmented batch: rows {@code [0, b)} are the first views of the batch's samples, rows {@code [b, 2b)}
     * the second, labels repeated. View {@code v} of the sample in training-data row {@code r} is augmented with the
     * seed {@code Seeds.mix(seed, epoch, r, v)}.
     *
     * @param inputs network inputs {@code [b, inputShape...]}
     * @param sampleShape the shape of one pool sample, in which the augmenter works
     */
    static EpochLoop.Batch twoViews(INDArray inputs, INDArray oneHot, int[] rows, int epoch, Augmenter augmenter,
            long[] sampleShape, long seed) {
        INDArray[] views = new INDArray[2];
        for (int v = 0; v < 2; v++) {
            if (augmenter == null) {
                views[v] = inputs;
                continue;
            }
            long[] seeds = new long[rows.length];
            for (int j = 0; j < rows.length; j++) {
                seeds[j] = Seeds.mix(seed, epoch, rows[j], v);
            }
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = rows.length;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            INDArray augmented = augmenter.augment(inputs.dup('c').reshape('c', shape), seeds);
            Checks.checkState(Arrays.equals(augmented.shape(), shape), "%s returned shape %s for inputs of shape %s",
                    augmenter, Arrays.toString(augmented.shape()), Arrays.toString(shape));
            views[v] = augmented.castTo(inputs.dataType()).reshape('c', inputs.shape());
        }
        return new EpochLoop.Batch(Nd4j.concat(0, views), Nd4j.concat(0, oneHot, oneHot));
    }

    @Override
    public Dl4jModel fit(TrainingData data, Progress progress) {
        long[] sampleShape = Dl4jLearner.checkFit(this, data, progress);
        long seed = data.seed();
        int n = data.size();
        int k = data.numClasses();
        int total = encoder.epochs() + classifier.epochs();
        INDArray y = EpochLoop.oneHot(data.labels(), k);

        // Stage 1: encoder + projection head, supervised contrastive loss.
        Architecture.Built contrastive = architecture.buildContrastive(
                Dl4jLearner.baseConfiguration(encoder, Seeds.mix(seed, 11)), sampleShape,
                projectionHidden > 0 ? projectionHidden : embeddingSize(sampleShape, k), projectionSize,
                new SupervisedContrastiveLoss(temperature));
        ComputationGraph encoderNet = new ComputationGraph(contrastive.configuration());
        encoderNet.init();
        long[] inputShape = contrastive.inputShape();
        INDArray flat = Dl4jModel.toNetworkInput(data.inputs(), inputShape).reshape('c', n, -1);
        long viewSeed = Seeds.mix(seed, 17);
        EpochLoop.Result stage1 = EpochLoop.run(encoderNet, flat, inputShape, y, encoder, Seeds.mix(seed, 12),
                (x, oneHot, rows, epoch) -> twoViews(x, oneHot, rows, epoch, augmenter, sampleShape, viewSeed),
                EpochLoop.Targets.ONE_HOT, new EpochLoop.ProgressSpan(progress, 0, total), this + " encoder");

        // Stage 2: linear classifier on the frozen encoder's embeddings (inference mode).
        String embedding = contrastive.embedding().vertex();
        int d = contrastive.embedding().size();
        INDArray features = Nd4j.create(DataType.FLOAT, n, d);
        for (int from = 0; from < n; from += inferenceBatchSize) {
            int to = Math.min(n, from + inferenceBatchSize);
            INDArray x = EpochLoop.rows(flat, range(from, to), inputShape);
            features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(encoderNet.output(List.of(embedding), false, new INDArray[] {x}, null)[0]);
        }
        long dropoutSeed = Seeds.mix(seed, 14);
        ComputationGraph head = new ComputationGraph(Dl4jLearner.baseConfiguration(classifier, Seeds.mix(seed, 13))
                .graphBuilder().addInputs(Architecture.INPUT).setInputTypes(InputType.feedForward(d))
                .addLayer(Architecture.OUTPUT, Architecture.classifier(d, k, architecture.embeddingDropout(),
                        dropoutSeed, new LossMCXENT()),
                        Architecture.INPUT)
                .setOutputs(Architecture.OUTPUT).build());
        head.init();
        EpochLoop.Result stage2 = EpochLoop.run(head, features, new long[] {d}, y, classifier, Seeds.mix(seed, 15),
                EpochLoop.Targets.ONE_HOT, new EpochLoop.ProgressSpan(progress, encoder.epochs(), total),
                this + " classifier");

        // The usable network: the architecture's graph with the encoder's body and the trained classifier.
        Architecture.Built built = architecture.build(Dl4jLearner.baseConfiguration(classifier, Seeds.mix(seed, 16)),
                sampleShape, k, dropoutSeed);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        for (Layer layer : net.getLayers()) {
            String name = layer.getConfig().getLayerName();
            Layer source = name.equals(Architecture.OUTPUT) ? head.getLayer(name) : encoderNet.getLayer(name);
            for (Map.Entry<String, INDArray> p : source.paramTable().entrySet()) {
                layer.setParam(p.getKey(), p.getValue());
            }
        }
        double[] losses = concat(stage1.losses(), stage2.losses());
        double[] validation = concat(stage1.validationLosses(), stage2.validationLosses());
        return new Dl4jModel(net, built, architecture, encoder, k, seed, losses, validation, inferenceBatchSize,
                defaultPasses, progress);
    }

    private int embeddingSize(long[] sampleShape, int k) {
        // The size is known once the body is built; building a configuration is cheap (no parameters allocated).
        return architecture.build(Dl4jLearner.baseConfiguration(encoder, 0), sampleShape, k, 0).embedding().size();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SupervisedContrastiveLearner l && architecture.equals(l.architecture)
                && encoder.equals(l.encoder) && classifier.equals(l.classifier) && temperature == l.temperature
                && projectionHidden == l.projectionHidden && projectionSize == l.projectionSize
                && inferenceBatchSize == l.inferenceBatchSize && defaultPasses == l.defaultPasses
                && Objects.equals(augmenter, l.augmenter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, encoder, classifier, temperature, projectionHidden, projectionSize,
                inferenceBatchSize, defaultPasses, augmenter);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SupervisedContrastiveLearner.of(").append(architecture).append(", ")
                .append(encoder).append(')');
        if (!classifier.equals(Training.defaults())) {
            s.append(".withClassifierTraining(").append(classifier).append(')');
        }
        if (temperature != SupervisedContrastiveLoss.DEFAULT_TEMPERATURE) {
            s.append(".withTemperature(").append(temperature).append(')');
        }
        if (projectionHidden != 0 || projectionSize != DEFAULT_PROJECTION) {
            s.append(".withProjection(").append(projectionHidden).append(", ").append(projectionSize).append(')');
        }
        if (inferenceBatchSize != Dl4jLearner.DEFAULT_INFERENCE_BATCH) {
            s.append(".withInferenceBatchSize(").append(inferenceBatchSize).append(')');
        }
        if (defaultPasses != Dl4jLearner.DEFAULT_PASSES) {
            s.append(".withDefaultPasses(").append(defaultPasses).append(')');
        }
        if (augmenter != null) {
            s.append(".withAugmenter(").append(augmenter).append(')');
        }
        return s.toString();
    }
}
