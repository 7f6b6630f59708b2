package dev.al4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.al4j.core.io.Idx;
import dev.al4j.core.io.MalformedArrayFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FashionMnistTest {

    private static FashionMnist bundled;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        bundled = FashionMnist.bundled();
    }

    @Test
    void bundledSubsetHasTheDocumentedSizeAndRanges() {
        assertEquals(10_000, bundled.trainSize());
        assertEquals(2_000, bundled.testSize());
        assertEquals(10, bundled.numClasses());
        assertArrayEquals(new long[] {28, 28}, bundled.imageShape());
        INDArray train = bundled.trainInputs();
        INDArray test = bundled.testInputs();
        assertEquals(DataType.FLOAT, train.dataType());
        assertArrayEquals(new long[] {10_000, 784}, train.shape());
        assertArrayEquals(new long[] {2_000, 784}, test.shape());
        // Pixels 0..255 divided by 255: both extremes occur in both splits.
        assertEquals(0.0, train.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, train.maxNumber().doubleValue(), 0.0);
        assertEquals(0.0, test.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, test.maxNumber().doubleValue(), 0.0);
        for (int[] labels : new int[][] {bundled.trainLabels(), bundled.testLabels()}) {
            assertTrue(Arrays.stream(labels).allMatch(y -> y >= 0 && y < 10), "labels in [0, 10)");
        }
    }

    @Test
    void bundledSubsetIsThePrefixOfTheOfficialFiles() {
        // Values read from the official files with NumPy (see the resources' README): labels of the first five
        // samples, and the first training image's pixel sum 76247 and pixel (14, 14) = 217.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0}, Arrays.copyOf(bundled.trainLabels(), 5));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, Arrays.copyOf(bundled.testLabels(), 5));
        INDArray first = bundled.trainInputs().getRow(0);
        assertEquals(76247 / 255.0, first.sumNumber().doubleValue(), 1e-2);
        assertEquals(217 / 255f, first.getFloat(14 * 28 + 14), 1e-7f);
        // Class counts as in the README's table.
        assertArrayEquals(new int[] {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000},
                MakeFashionMnistSubset.counts(bundled.trainLabels()));
        assertArrayEquals(new int[] {200, 203, 214, 190, 219, 195, 197, 200, 194, 188},
                MakeFashionMnistSubset.counts(bundled.testLabels()));
    }

    @Test
    void accessorsReturnCopies() {
        INDArray inputs = bundled.trainInputs();
        inputs.assign(7);
        int[] labels = bundled.trainLabels();
        labels[0] = 5;
        assertEquals(1.0, bundled.trainInputs().maxNumber().doubleValue(), 0.0);
        assertEquals(9, bundled.trainLabels()[0]);
    }

    @Test
    void describesItself() {
        assertEquals("FashionMnist.bundled() [train 10000, test 2000, 28x28 pixels, 10 classes]", bundled.toString());
        assertEquals("Ankle boot", bundled.classNames().get(9));
        assertEquals(10, bundled.classNames().size());
    }

    /** Writes a tiny data set: 3 training and 2 test images of 2x2 pixels. */
    private void writeTinySet(boolean gzip) throws IOException {
        String gz = gzip ? ".gz" : "";
        Idx.write(dir.resolve(FashionMnist.TRAIN_IMAGES + gz), Nd4j.create(
                new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}, new long[] {3, 2, 2}, DataType.UINT8));
        Idx.writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS + gz), new int[] {9, 0, 4});
        Idx.write(dir.resolve(FashionMnist.TEST_IMAGES), Nd4j.create(
                new byte[] {10, 20, 30, 40, 50, 60, 70, 80}, new long[] {2, 2, 2}, DataType.UINT8));
        Idx.writeLabels(dir.resolve(FashionMnist.TEST_LABELS + gz), new int[] {1, 2});
    }

    @Test
    void fromDirectoryReadsPlainAndGzipFiles() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            writeTinySet(gzip);
            FashionMnist data = FashionMnist.fromDirectory(dir);
            assertEquals(3, data.trainSize());
            assertArrayEquals(new long[] {3, 4}, data.trainInputs().shape());
            // 255 / 255 = 1, 51 / 255 = 0.2, 102 / 255 = 0.4
            assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f}, data.trainInputs().getRow(0).toFloatVector(), 1e-7f);
            assertArrayEquals(new int[] {9, 0, 4}, data.trainLabels());
            assertArrayEquals(new int[] {1, 2}, data.testLabels());
            assertArrayEquals(new long[] {2, 2}, data.imageShape());
            for (String name : Files.list(dir).map(p -> p.getFileName().toString()).toArray(String[]::new)) {
                Files.delete(dir.resolve(name));
            }
        }
    }

    @Test
    void fromDirectoryExplainsWhatIsWrong() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromDirectory(dir));
        assertEquals("dir " + dir + " must hold train-images-idx3-ubyte.gz or train-images-idx3-ubyte",
                missing.getMessage());

        writeTinySet(true);
        Idx.writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"), new int[] {9, 10, 4});
        IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromDirectory(dir));
        assertTrue(badLabel.getMessage().endsWith("train label 1 is 10, expected a class in [0, 10)"),
                badLabel.getMessage());

        Idx.writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"), new int[] {9, 0});
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromDirectory(dir));
        assertTrue(count.getMessage().contains("holds 3 images but"), count.getMessage());
        assertTrue(count.getMessage().endsWith("holds 2 labels"), count.getMessage());

        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1});
        MalformedArrayFileException truncated = assertThrows(MalformedArrayFileException.class,
                () -> FashionMnist.fromDirectory(dir));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        assertThrows(IllegalArgumentException.class, () -> FashionMnist.fromDirectory(dir.resolve("nowhere")));
    }

    @Test
    void fullDebianFilesWhenInstalled() throws IOException {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(debian.resolve("t10k-labels-idx1-ubyte.gz")),
                "the Debian package dataset-fashion-mnist is not installed");
        FashionMnist full = FashionMnist.fromDirectory(debian);
        assertEquals(60_000, full.trainSize());
        assertEquals(10_000, full.testSize());
        // The bundled subset is the prefix of the full files.
        assertArrayEquals(bundled.testLabels(), Arrays.copyOf(full.testLabels(), 2_000));
        assertEquals(bundled.testInputs(), full.testInputs().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2_000), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        // Fashion-MNIST is exactly balanced: 6 000 training and 1 000 test images per class.
        int[] perClass = MakeFashionMnistSubset.counts(full.trainLabels());
        assertTrue(Arrays.stream(perClass).allMatch(c -> c == 6_000), Arrays.toString(perClass));
    }
}
