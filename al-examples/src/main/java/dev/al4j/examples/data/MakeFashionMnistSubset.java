package dev.al4j.examples.data;

import dev.al4j.core.io.Idx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Writes the Fashion-MNIST subset bundled with al4j: the first {@code nTrain} training and the first {@code nTest}
 * test images and labels of the official files, as gzip IDX files with the standard names, then prints the class
 * balance of each subset. Taking a prefix (not a random sample) keeps the subset reproducible from the files alone.
 *
 * <p>Usage: {@code MakeFashionMnistSubset [sourceDir [targetDir [nTrain [nTest]]]]}; defaults:
 * {@code /usr/share/datasets/fashion-mnist} (Debian package {@code dataset-fashion-mnist}),
 * {@code al-examples/src/main/resources/dev/al4j/examples/fashion-mnist}, 10000 and 2000. The output is
 * byte-for-byte reproducible (gzip without a time stamp).
 */
public final class MakeFashionMnistSubset {

    private MakeFashionMnistSubset() {}

    /** Runs the generator; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        Path source = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Path target = Path.of(args.length > 1 ? args[1] : "al-examples/src/main/resources/dev/al4j/examples/fashion-mnist");
        int nTrain = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int nTest = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        Files.createDirectories(target);
        PrintStream out = System.out;
        int[] train = copyPrefix(source, target, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, nTrain);
        int[] test = copyPrefix(source, target, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, nTest);
        out.printf(Locale.ROOT, "wrote %d training and %d test samples to %s%n", nTrain, nTest, target);
        out.print(balanceTable(train, test));
    }

    /** Copies the first {@code n} images and labels; returns the labels written. */
    static int[] copyPrefix(Path source, Path target, String imagesName, String labelsName, int n)
            throws IOException {
        INDArray images = Idx.read(source.resolve(imagesName + ".gz"));
        int[] labels = Idx.readLabels(source.resolve(labelsName + ".gz"));
        if (n < 0 || n > images.size(0) || images.size(0) != labels.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "n must be in [0, %d] (the images in %s, which has %d labels), found %d", images.size(0),
                    imagesName, labels.length, n));
        }
        INDArray prefix = images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all());
        int[] labelPrefix = Arrays.copyOf(labels, n);
        Path imagesOut = target.resolve(imagesName + ".gz");
        Path labelsOut = target.resolve(labelsName + ".gz");
        Idx.write(imagesOut, prefix);
        Idx.writeLabels(labelsOut, labelPrefix);
        // Read back what was written: the subset must equal the source's prefix exactly.
        if (!Idx.read(imagesOut).equals(prefix) || !Arrays.equals(Idx.readLabels(labelsOut), labelPrefix)) {
            throw new IllegalStateException("the written subset differs from the source's first " + n + " samples");
        }
        return labelPrefix;
    }

    /** Counts per class of each split, as a small text table. */
    static String balanceTable(int[] train, int[] test) {
        int[] trainCounts = counts(train);
        int[] testCounts = counts(test);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-3s %-12s %6s %6s%n", "#", "class", "train",
                "test"));
        for (int k = 0; k < FashionMnist.NUM_CLASSES; k++) {
            s.append(String.format(Locale.ROOT, "%-3d %-12s %6d %6d%n", k, FashionMnist.CLASS_NAMES.get(k),
                    trainCounts[k], testCounts[k]));
        }
        return s.toString();
    }

    static int[] counts(int[] labels) {
        int[] c = new int[FashionMnist.NUM_CLASSES];
        for (int label : labels) {
            c[label]++;
        }
        return c;
    }
}
