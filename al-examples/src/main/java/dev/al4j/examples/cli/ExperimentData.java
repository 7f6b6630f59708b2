package dev.al4j.examples.cli;

import dev.al4j.core.PoolInputs;
import dev.al4j.examples.data.FashionMnist;
import dev.al4j.examples.data.GaussianBlur;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The data of an {@code al4j run} experiment: a training split (the pool, with its true labels for the simulated
 * oracle) and a test split (for the per-round metrics). From the bundled Fashion-MNIST subset, a directory of IDX
 * files, or four {@code .npy} files; then cut to the first {@code n} pool samples and shaped for the learner.
 * Immutable: every step returns a new instance.
 *
 * <p>For the robustness measures of seed 000 (§4.2, Figure 4) it can also hold three evaluation-only sets, each
 * shaped like the test split: the test samples of held-out classes ({@link #withHeldOutClasses}, out-of-distribution
 * for a network trained on the other classes), a separate out-of-distribution set ({@link #withOodData}) and a
 * Gaussian-blurred copy of the in-distribution test split ({@link #withShiftBlur}).
 */
final class ExperimentData {

    private final String description;
    private final INDArray trainInputs; // [N, ...]: flat rows, or images [N, C, H, W]
    private final int[] trainLabels;
    private final INDArray testInputs;
    private final int[] testLabels;
    private final int numClasses;
    private final long[] imageShape; // [C, H, W] when the rows are images (flat or not), else null
    private final INDArray heldOutInputs; // test samples of the held-out classes, or null
    private final INDArray oodDataInputs; // a separate OOD set, or null
    private final INDArray shiftedTestInputs; // the test split blurred, or null

    private ExperimentData(String description, INDArray trainInputs, int[] trainLabels, INDArray testInputs,
            int[] testLabels, int numClasses, long[] imageShape) {
        this(description, trainInputs, trainLabels, testInputs, testLabels, numClasses, imageShape, null, null, null);
    }

    private ExperimentData(String description, INDArray trainInputs, int[] trainLabels, INDArray testInputs,
            int[] testLabels, int numClasses, long[] imageShape, INDArray heldOutInputs, INDArray oodDataInputs,
            INDArray shiftedTestInputs) {
        this.description = description;
        this.trainInputs = trainInputs;
        this.trainLabels = trainLabels;
        this.testInputs = testInputs;
        this.testLabels = testLabels;
        this.numClasses = numClasses;
        this.imageShape = imageShape;
        this.heldOutInputs = heldOutInputs;
        this.oodDataInputs = oodDataInputs;
        this.shiftedTestInputs = shiftedTestInputs;
    }

    /** Fashion-MNIST: the bundled subset, or the four IDX files in {@code dir}. */
    static ExperimentData fashionMnist(Path dir) throws IOException {
        FashionMnist data = dir == null ? FashionMnist.bundled() : FashionMnist.fromDirectory(dir);
        long[] side = data.imageShape();
        return new ExperimentData(dir == null ? "bundled Fashion-MNIST subset" : dir.toString(), data.trainInputs(),
                data.trainLabels(), data.testInputs(), data.testLabels(), data.numClasses(),
                new long[] {1, side[0], side[1]});
    }

    /**
     * Four {@code .npy} files: features {@code [N, ...]} and {@code [M, ...]} with the same sample shape (float32 or
     * float64), labels as integer vectors of lengths {@code N} and {@code M}. The number of classes is one more than
     * the largest label of either split. Features of rank 3 ({@code [N, H, W]}) or 4 ({@code [N, C, H, W]}) are
     * images for the convolutional learners.
     */
    static ExperimentData npy(Path trainFeatures, Path trainLabelsFile, Path testFeatures, Path testLabelsFile) {
        INDArray train = readFeatures("--train-features", trainFeatures);
        INDArray test = readFeatures("--test-features", testFeatures);
        long[] trainSample = Arrays.copyOfRange(train.shape(), 1, train.rank());
        long[] testSample = Arrays.copyOfRange(test.shape(), 1, test.rank());
        if (!Arrays.equals(trainSample, testSample)) {
            throw new IllegalArgumentException("--train-features and --test-features must have the same sample shape, "
                    + "found " + Arrays.toString(train.shape()) + " and " + Arrays.toString(test.shape()));
        }
        int[] trainY = readLabels("--train-labels", trainLabelsFile, train.size(0));
        int[] testY = readLabels("--test-labels", testLabelsFile, test.size(0));
        int k = Math.max(Arrays.stream(trainY).max().orElse(0), Arrays.stream(testY).max().orElse(0)) + 1;
        if (k < 2) {
            throw new IllegalArgumentException("--train-labels and --test-labels must hold at least 2 classes, found "
                    + "only class 0");
        }
        long[] images = trainSample.length == 2 ? new long[] {1, trainSample[0], trainSample[1]}
                : trainSample.length == 3 ? trainSample : null;
        INDArray trainInputs = trainSample.length == 2 ? train.reshape('c', train.size(0), 1, trainSample[0],
                trainSample[1]) : train;
        INDArray testInputs = testSample.length == 2 ? test.reshape('c', test.size(0), 1, testSample[0],
                testSample[1]) : test;
        return new ExperimentData(trainFeatures + " / " + testFeatures, trainInputs, trainY, testInputs, testY, k,
                images);
    }

    private static INDArray readFeatures(String option, Path file) {
        INDArray x = ArrayFiles.readReal(option, file, -1, "[N, ...]");
        if (x.rank() < 2 || x.size(0) < 1 || x.rank() > 4) {
            throw ArrayFiles.bad(option, file, "expected features [N, d], [N, H, W] or [N, C, H, W] with N >= 1, "
                    + "found %s", Arrays.toString(x.shape()));
        }
        return x;
    }

    private static int[] readLabels(String option, Path file, long rows) {
        int[] y = ArrayFiles.readInts(option, file);
        if (y.length != rows) {
            throw ArrayFiles.bad(option, file, "expected %d labels (one per feature row), found %d", rows, y.length);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw ArrayFiles.bad(option, file, "labels must be classes >= 0, found %d at index %d", y[i], i);
            }
        }
        return y;
    }

    /** The same data with only the first {@code n} pool samples ({@code n <= 0} or {@code n >= N}: all). */
    ExperimentData firstPoolSamples(int n) {
        if (n <= 0 || n >= trainLabels.length) {
            return this;
        }
        INDArrayIndex[] rows = new INDArrayIndex[trainInputs.rank()];
        Arrays.fill(rows, NDArrayIndex.all());
        rows[0] = NDArrayIndex.interval(0, n);
        return new ExperimentData(description, trainInputs.get(rows).dup('c'), Arrays.copyOf(trainLabels, n),
                testInputs, testLabels, numClasses, imageShape, heldOutInputs, oodDataInputs, shiftedTestInputs);
    }

    /**
     * The same data without the given classes: their samples leave the pool and the test split, their test samples
     * become the held-out out-of-distribution set ({@link #heldOutInputs()}), and the remaining classes are
     * renumbered {@code 0..K'−1} in increasing order of their original label ({@code K' = K − held.size()}).
     *
     * @param held distinct classes in {@code [0, K)}, leaving at least 2 classes
     * @throws IllegalArgumentException naming {@code --ood-classes} for a class out of range or given twice, fewer
     *     than 2 classes left, or a split left without samples of the kept or (test) of the held-out classes
     */
    ExperimentData withHeldOutClasses(List<Integer> held) {
        boolean[] out = new boolean[numClasses];
        for (int c : held) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("--ood-classes: class " + c + " is not in [0, " + numClasses + ")");
            }
            if (out[c]) {
                throw new IllegalArgumentException("--ood-classes: class " + c + " is given twice");
            }
            out[c] = true;
        }
        int kept = numClasses - held.size();
        if (kept < 2) {
            throw new IllegalArgumentException("--ood-classes " + held + " holds out " + held.size() + " of the "
                    + numClasses + " classes; at least 2 classes must stay in distribution");
        }
        int[] newLabel = new int[numClasses];
        for (int c = 0, next = 0; c < numClasses; c++) {
            newLabel[c] = out[c] ? -1 : next++;
        }
        int[] trainKept = rowsWhere(trainLabels, out, false);
        int[] testKept = rowsWhere(testLabels, out, false);
        int[] testHeld = rowsWhere(testLabels, out, true);
        if (trainKept.length == 0 || testKept.length == 0 || testHeld.length == 0) {
            throw new IllegalArgumentException("--ood-classes " + held + ": the pool keeps " + trainKept.length
                    + " samples, the test split " + testKept.length + " in-distribution and " + testHeld.length
                    + " held-out samples; each must be at least 1");
        }
        return new ExperimentData(description + ", classes " + held + " held out", select(trainInputs, trainKept),
                relabel(trainLabels, trainKept, newLabel), select(testInputs, testKept),
                relabel(testLabels, testKept, newLabel), kept, imageShape, select(testInputs, testHeld), oodDataInputs,
                shiftedTestInputs);
    }

    /**
     * The same data with a separate out-of-distribution set from a {@code .npy} file: float32/float64 samples of
     * the data's sample shape, or, for image data, the same images as {@code [M, d]}, {@code [M, H, W]} or
     * {@code [M, C, H, W]}; stored in the test split's layout.
     *
     * @throws IllegalArgumentException naming {@code --ood-data} and the file when it cannot be read or its samples
     *     have another shape
     */
    ExperimentData withOodData(Path file) {
        INDArray x = readFeatures("--ood-data", file);
        long[] sample = Arrays.copyOfRange(x.shape(), 1, x.rank());
        long[] want = Arrays.copyOfRange(testInputs.shape(), 1, testInputs.rank());
        long size = Arrays.stream(want).reduce(1, (a, b) -> a * b);
        boolean same = Arrays.equals(sample, want);
        if (!same && imageShape != null) {
            long[] hw = {imageShape[1], imageShape[2]};
            long[] flat = {size};
            same = Arrays.equals(sample, imageShape) || Arrays.equals(sample, flat)
                    || imageShape[0] == 1 && Arrays.equals(sample, hw);
        }
        if (!same) {
            throw ArrayFiles.bad("--ood-data", file, "expected samples of shape %s like the test split, found %s",
                    Arrays.toString(want), Arrays.toString(x.shape()));
        }
        long[] shape = testInputs.shape().clone();
        shape[0] = x.size(0);
        INDArray rows = x.reshape('c', shape);
        return new ExperimentData(description, trainInputs, trainLabels, testInputs, testLabels, numClasses,
                imageShape, heldOutInputs, rows.dataType() == testInputs.dataType() ? rows
                        : rows.castTo(testInputs.dataType()), shiftedTestInputs);
    }

    /**
     * The same data with a Gaussian-blurred copy of the (in-distribution) test split ({@link GaussianBlur}), the
     * dataset shift of seed 000; its labels are the test labels.
     *
     * @throws IllegalArgumentException naming {@code --shift-blur} when the features are flat vectors or sigma is
     *     out of range
     */
    ExperimentData withShiftBlur(double sigma) {
        if (imageShape == null) {
            throw new IllegalArgumentException("--shift-blur blurs images, but the features are flat vectors "
                    + Arrays.toString(testInputs.shape()) + "; give image features ([N, H, W] or [N, C, H, W] .npy, "
                    + "or --data)");
        }
        if (!(sigma > 0 && sigma <= 100)) {
            throw new IllegalArgumentException("--shift-blur must be a standard deviation in (0, 100] pixels, found "
                    + sigma);
        }
        long n = testInputs.size(0);
        INDArray images = testInputs.reshape('c', n, imageShape[0], imageShape[1], imageShape[2]);
        INDArray blurred = GaussianBlur.blur(images, sigma).reshape('c', testInputs.shape());
        return new ExperimentData(description, trainInputs, trainLabels, testInputs, testLabels, numClasses,
                imageShape, heldOutInputs, oodDataInputs, blurred);
    }

    private static int[] rowsWhere(int[] labels, boolean[] held, boolean wanted) {
        return IntStream.range(0, labels.length).filter(i -> held[labels[i]] == wanted).toArray();
    }

    private static INDArray select(INDArray x, int[] rows) {
        return PoolInputs.of(x).rows(rows);
    }

    private static int[] relabel(int[] labels, int[] rows, int[] newLabel) {
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = newLabel[labels[rows[i]]];
        }
        return y;
    }

    /**
     * The inputs shaped for {@code learner}: as they are for the MLP (it flattens any sample), images
     * {@code [N, C, H, W]} for the convolutional networks, zero-padded (centred) up to the network's smallest side
     * when smaller (VGG-16 needs 32 × 32; Fashion-MNIST's 28 × 28 images become 32 × 32).
     *
     * @throws IllegalArgumentException when the network needs images and the features are flat vectors
     */
    /** One sample's image shape {@code [C, H, W]}, or {@code null} when the features are flat vectors. */
    long[] imageShape() {
        return imageShape == null ? null : imageShape.clone();
    }

    /**
     * The pool's rows as images {@code [N, C, H, W]} (a view, no padding), for a strategy that transforms images
     * while the learner is the MLP.
     *
     * @throws IllegalArgumentException naming {@code strategy} when the features are flat vectors
     */
    INDArray trainImages(String strategy) {
        if (imageShape == null) {
            throw new IllegalArgumentException("strategy " + strategy + " transforms images, but the features are flat "
                    + "vectors " + Arrays.toString(trainInputs.shape()) + "; give image features ([N, H, W] or "
                    + "[N, C, H, W] .npy, or --data)");
        }
        return trainInputs.rank() == 4 ? trainInputs
                : trainInputs.reshape('c', trainInputs.size(0), imageShape[0], imageShape[1], imageShape[2]);
    }

    ExperimentData shapedFor(LearnerName learner) {
        if (!learner.needsImages()) {
            return this;
        }
        if (imageShape == null) {
            throw new IllegalArgumentException("--learner " + learner + " needs image features [N, H, W] or "
                    + "[N, C, H, W], found flat features " + Arrays.toString(trainInputs.shape())
                    + "; use --learner mlp");
        }
        int side = learner.minImageSide();
        return new ExperimentData(description, image(trainInputs, side), trainLabels, image(testInputs, side),
                testLabels, numClasses, imageShape, heldOutInputs == null ? null : image(heldOutInputs, side),
                oodDataInputs == null ? null : image(oodDataInputs, side),
                shiftedTestInputs == null ? null : image(shiftedTestInputs, side));
    }

    private INDArray image(INDArray rows, int minSide) {
        long n = rows.size(0);
        INDArray images = rows.reshape('c', n, imageShape[0], imageShape[1], imageShape[2]);
        long h = Math.max(imageShape[1], minSide);
        long w = Math.max(imageShape[2], minSide);
        if (h == imageShape[1] && w == imageShape[2]) {
            return images;
        }
        INDArray padded = Nd4j.zeros(images.dataType(), n, imageShape[0], h, w);
        long top = (h - imageShape[1]) / 2;
        long left = (w - imageShape[2]) / 2;
        padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + imageShape[1]),
                NDArrayIndex.interval(left, left + imageShape[2])).assign(images);
        return padded;
    }

    String description() {
        return description;
    }

    INDArray trainInputs() {
        return trainInputs;
    }

    int[] trainLabels() {
        return trainLabels.clone();
    }

    INDArray testInputs() {
        return testInputs;
    }

    int[] testLabels() {
        return testLabels.clone();
    }

    /** The test samples of the held-out classes ({@link #withHeldOutClasses}), if any. */
    Optional<INDArray> heldOutInputs() {
        return Optional.ofNullable(heldOutInputs);
    }

    /** The separate out-of-distribution samples ({@link #withOodData}), if any. */
    Optional<INDArray> oodDataInputs() {
        return Optional.ofNullable(oodDataInputs);
    }

    /** The blurred copy of the test split ({@link #withShiftBlur}), if any; its labels are {@link #testLabels()}. */
    Optional<INDArray> shiftedTestInputs() {
        return Optional.ofNullable(shiftedTestInputs);
    }

    int trainSize() {
        return trainLabels.length;
    }

    int testSize() {
        return testLabels.length;
    }

    int numClasses() {
        return numClasses;
    }
}
