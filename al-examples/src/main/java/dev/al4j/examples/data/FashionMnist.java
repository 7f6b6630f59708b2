package dev.al4j.examples.data;

import dev.al4j.core.Checks;
import dev.al4j.core.io.Idx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; © Zalando SE, MIT licence): 28×28 grey-scale images of clothes
 * in 10 classes, as flat float32 inputs {@code [n, 784]} scaled to {@code [0, 1]} and integer labels.
 *
 * <p>{@link #bundled()} reads the subset shipped in this jar (the first 10 000 training and the first 2 000 test
 * images of the official files; see {@code dev/al4j/examples/fashion-mnist/README.md}), so examples and tests run
 * without any download. {@link #fromDirectory(Path)} reads the full data set from the four standard IDX files,
 * plain or gzip, e.g. Debian's {@code /usr/share/datasets/fashion-mnist/} (package {@code dataset-fashion-mnist}).
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.bundled();
 * Pool pool = Pool.of(data.trainInputs(), data.numClasses());
 * int[] truth = data.trainLabels();
 * }</pre>
 *
 * <p>Immutable and thread-safe: every accessor returns a fresh copy (an input matrix of 10 000 rows is 31 MB; keep
 * the copy rather than calling the accessor in a loop).
 */
public final class FashionMnist {

    /** Number of classes. */
    public static final int NUM_CLASSES = 10;

    /** Class names by label, as in the data set's documentation. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The standard file names, without {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The standard file names, without {@code .gz}. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The standard file names, without {@code .gz}. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The standard file names, without {@code .gz}. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Classpath folder of the bundled subset. */
    static final String RESOURCE_DIR = "/dev/al4j/examples/fashion-mnist/";

    private final String origin;
    private final INDArray trainInputs;
    private final int[] trainLabels;
    private final INDArray testInputs;
    private final int[] testLabels;
    private final long[] imageShape;

    private FashionMnist(String origin, Split train, Split test) {
        Checks.checkArgument(Arrays.equals(train.imageShape, test.imageShape),
                "%s: training images are %s but test images are %s", origin, Arrays.toString(train.imageShape),
                Arrays.toString(test.imageShape));
        this.origin = origin;
        this.trainInputs = train.inputs;
        this.trainLabels = train.labels;
        this.testInputs = test.inputs;
        this.testLabels = test.labels;
        this.imageShape = train.imageShape;
    }

    /**
     * The subset bundled in this jar: 10 000 training and 2 000 test samples.
     *
     * @throws IllegalStateException if the resources are missing from the class path (a broken build)
     */
    public static FashionMnist bundled() {
        try {
            Split train = Split.read("train", resource(TRAIN_IMAGES), resource(TRAIN_LABELS));
            Split test = Split.read("test", resource(TEST_IMAGES), resource(TEST_LABELS));
            return new FashionMnist("FashionMnist.bundled()", train, test);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled Fashion-MNIST subset", e);
        }
    }

    /**
     * Reads the four standard files from {@code dir}: {@code train-images-idx3-ubyte}, {@code
     * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each either
     * plain or with {@code .gz} (gzip is recognised by content; the {@code .gz} name is tried first).
     *
     * @throws IllegalArgumentException if a file is missing, or the files are not matching Fashion-MNIST-style
     *     images and labels (a {@link dev.al4j.core.io.MalformedArrayFileException} for a malformed file)
     * @throws IOException for an I/O failure
     */
    public static FashionMnist fromDirectory(Path dir) throws IOException {
        Checks.checkNotNull(dir, "dir");
        Checks.checkArgument(Files.isDirectory(dir), "dir must be a directory, found %s", dir);
        Split train = Split.read("train", file(dir, TRAIN_IMAGES), file(dir, TRAIN_LABELS));
        Split test = Split.read("test", file(dir, TEST_IMAGES), file(dir, TEST_LABELS));
        return new FashionMnist("FashionMnist.fromDirectory(Path.of(\"" + dir + "\"))", train, test);
    }

    /** Training inputs, float32 {@code [trainSize, 784]} in {@code [0, 1]}; a fresh copy. */
    public INDArray trainInputs() {
        return trainInputs.dup();
    }

    /** Training labels in {@code [0, 10)}; a fresh copy. */
    public int[] trainLabels() {
        return trainLabels.clone();
    }

    /** Test inputs, float32 {@code [testSize, 784]} in {@code [0, 1]}; a fresh copy. */
    public INDArray testInputs() {
        return testInputs.dup();
    }

    /** Test labels in {@code [0, 10)}; a fresh copy. */
    public int[] testLabels() {
        return testLabels.clone();
    }

    /** Number of training samples. */
    public int trainSize() {
        return trainLabels.length;
    }

    /** Number of test samples. */
    public int testSize() {
        return testLabels.length;
    }

    /** Number of classes: 10. */
    public int numClasses() {
        return NUM_CLASSES;
    }

    /** Class names by label. */
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    /** Image height and width in pixels ({@code [28, 28]}); the inputs are these rows flattened. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [train %d, test %d, %dx%d pixels, %d classes]", origin, trainSize(),
                testSize(), imageShape[0], imageShape[1], NUM_CLASSES);
    }

    private static Source resource(String name) {
        String gz = RESOURCE_DIR + name + ".gz";
        return new Source(gz) {
            @Override
            InputStream open() throws IOException {
                InputStream in = FashionMnist.class.getResourceAsStream(gz);
                if (in == null) {
                    throw new IllegalStateException("the bundled Fashion-MNIST resource " + gz
                            + " is missing from the class path");
                }
                return in;
            }
        };
    }

    private static Source file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        Path plain = dir.resolve(name);
        Path chosen = Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
        Checks.checkArgument(chosen != null, "dir %s must hold %s or %s", dir, gz.getFileName(),
                plain.getFileName());
        return new Source(chosen.toString()) {
            @Override
            InputStream open() throws IOException {
                return Files.newInputStream(chosen);
            }
        };
    }

    /** Where one file comes from: a path or a class-path resource. */
    private abstract static class Source {
        final String name;

        Source(String name) {
            this.name = name;
        }

        abstract InputStream open() throws IOException;
    }

    /** One split's inputs and labels, checked against each other. */
    private static final class Split {
        final INDArray inputs;
        final int[] labels;
        final long[] imageShape;

        private Split(INDArray inputs, int[] labels, long[] imageShape) {
            this.inputs = inputs;
            this.labels = labels;
            this.imageShape = imageShape;
        }

        static Split read(String split, Source imagesSource, Source labelsSource) throws IOException {
            INDArray images;
            try (InputStream in = imagesSource.open()) {
                images = Idx.read(in);
            }
            int[] labels;
            try (InputStream in = labelsSource.open()) {
                labels = Idx.readLabels(in);
            }
            Checks.checkArgument(images.dataType() == DataType.UINT8 && images.rank() == 3,
                    "%s must hold unsigned-byte images [n, height, width], found %s %s", imagesSource.name,
                    images.dataType(), Arrays.toString(images.shape()));
            long n = images.size(0);
            Checks.checkArgument(n == labels.length, "%s holds %d images but %s holds %d labels", imagesSource.name,
                    n, labelsSource.name, labels.length);
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i];
                Checks.checkArgument(label >= 0 && label < NUM_CLASSES,
                        "%s: %s label %d is %d, expected a class in [0, %d)", labelsSource.name, split, i, label,
                        NUM_CLASSES);
            }
            long[] imageShape = {images.size(1), images.size(2)};
            INDArray inputs = images.castTo(DataType.FLOAT).reshape('c', n, imageShape[0] * imageShape[1])
                    .divi(255.0);
            return new Split(inputs, labels, imageShape);
        }
    }
}
