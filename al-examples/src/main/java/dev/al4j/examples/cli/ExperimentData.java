package dev.al4j.examples.cli;

import dev.al4j.examples.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The data of an {@code al4j run} experiment: a training split (the pool, with its true labels for the simulated
 * oracle) and a test split (for the per-round metrics). From the bundled Fashion-MNIST subset, a directory of IDX
 * files, or four {@code .npy} files; then cut to the first {@code n} pool samples and shaped for the learner.
 * Immutable: every step returns a new instance.
 */
final class ExperimentData {

    private final String description;
    private final INDArray trainInputs; // [N, ...]: flat rows, or images [N, C, H, W]
    private final int[] trainLabels;
    private final INDArray testInputs;
    private final int[] testLabels;
    private final int numClasses;
    private final long[] imageShape; // [C, H, W] when the rows are images (flat or not), else null

    private ExperimentData(String description, INDArray trainInputs, int[] trainLabels, INDArray testInputs,
            int[] testLabels, int numClasses, long[] imageShape) {
        this.description = description;
        this.trainInputs = trainInputs;
        this.trainLabels = trainLabels;
        this.testInputs = testInputs;
        this.testLabels = testLabels;
        this.numClasses = numClasses;
        this.imageShape = imageShape;
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
                testInputs, testLabels, numClasses, imageShape);
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
        return new ExperimentData(description, image(trainInputs, learner.minImageSide()), trainLabels,
                image(testInputs, learner.minImageSide()), testLabels, numClasses, imageShape);
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
