package dev.al4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.al4j.core.io.Idx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MakeFashionMnistSubsetTest {

    @TempDir
    Path source;

    @TempDir
    Path target;

    @Test
    void copiesThePrefixOfEachSplit() throws IOException {
        // 4 images of 1x2 pixels: 0 1 | 2 3 | 4 5 | 6 7; labels 3 1 4 1.
        INDArray images = Nd4j.create(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {4, 1, 2}, DataType.UINT8);
        Idx.write(source.resolve("train-images-idx3-ubyte.gz"), images);
        Idx.writeLabels(source.resolve("train-labels-idx1-ubyte.gz"), new int[] {3, 1, 4, 1});

        int[] labels = MakeFashionMnistSubset.copyPrefix(source, target, "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte", 3);
        assertArrayEquals(new int[] {3, 1, 4}, labels);
        INDArray written = Idx.read(target.resolve("train-images-idx3-ubyte.gz"));
        assertArrayEquals(new long[] {3, 1, 2}, written.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, written.castTo(DataType.INT32).reshape(6).toIntVector());
        assertArrayEquals(new int[] {3, 1, 4}, Idx.readLabels(target.resolve("train-labels-idx1-ubyte.gz")));
        assertEquals(0x1f, Files.readAllBytes(target.resolve("train-labels-idx1-ubyte.gz"))[0]); // gzip

        assertThrows(IllegalArgumentException.class, () -> MakeFashionMnistSubset.copyPrefix(source, target,
                "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 5));
    }

    @Test
    void balanceTableCountsEachClass() {
        String table = MakeFashionMnistSubset.balanceTable(new int[] {0, 0, 9}, new int[] {9});
        String[] lines = table.split("\n");
        assertEquals(11, lines.length);
        assertEquals("0   T-shirt/top       2      0", lines[1]);
        assertEquals("9   Ankle boot        1      1", lines[10]);
    }
}
