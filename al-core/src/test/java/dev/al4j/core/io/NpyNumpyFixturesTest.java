package dev.al4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Files written by NumPy 1.24 ({@code src/test/resources/dev/al4j/core/io/numpy/make_fixtures.py} says how each was
 * made); the expected values below are the expressions in that script, evaluated by hand.
 */
class NpyNumpyFixturesTest {

    // np.arange(12, dtype=float32).reshape(3, 4) * 0.5 - 1
    private static final float[] A = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4f, 4.5f};

    static Path fixture(String name) {
        try {
            return Path.of(NpyNumpyFixturesTest.class.getResource("numpy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_3x4_v1.npy", "f4_3x4_v2.npy", "f4_3x4_v3.npy", "f4_3x4_fortran.npy",
        "f4_3x4_v1.npy.gz"})
    void float32InEveryVersionAndOrder(String name) throws IOException {
        INDArray a = Npy.read(fixture(name));
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertArrayEquals(A, (float[]) ArrayFiles.dataOf(a));
        assertArrayEquals(new float[] {0.5f, 2.5f, 4.5f}, a.getColumn(3).toFloatVector()); // rows end in 0.5, 2.5, 4.5
    }

    @Test
    void bigEndianFloat64() throws IOException {
        INDArray a = Npy.read(fixture("f8_big_endian_2x3.npy")); // np.arange(6).reshape(2, 3) / 4 as >f8
        assertEquals(DataType.DOUBLE, a.dataType());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1, 1.25}, (double[]) ArrayFiles.dataOf(a));
    }

    @Test
    void integerVectors() throws IOException {
        assertArrayEquals(new int[] {0, 5, Integer.MAX_VALUE, -7}, Npy.readInts(fixture("i8_ids.npy")));
        assertArrayEquals(new int[] {3, 1, 4, 1, 5, 9, 2, 6}, Npy.readInts(fixture("i4_labels.npy")));
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class,
                () -> Npy.readInts(fixture("i8_too_big.npy")));
        assertTrue(e.getMessage().contains("value 2147483648 at index 1 does not fit in an int"), e.getMessage());
        INDArray ids = Npy.read(fixture("i8_ids.npy"));
        assertEquals(DataType.INT64, ids.dataType());
    }

    @Test
    void uint8BoolScalarEmptyAndFortranInt16() throws IOException {
        INDArray u = Npy.read(fixture("u1_2x2x3.npy")); // np.arange(0, 240, 20, dtype=uint8).reshape(2, 2, 3)
        assertEquals(DataType.UINT8, u.dataType());
        assertArrayEquals(new long[] {2, 2, 3}, u.shape());
        assertArrayEquals(new int[] {0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220},
                (int[]) ArrayFiles.dataOf(u.castTo(DataType.INT32)));

        INDArray b = Npy.read(fixture("b1_5.npy"));
        assertEquals(DataType.BOOL, b.dataType());
        assertArrayEquals(new boolean[] {true, false, true, true, false}, (boolean[]) ArrayFiles.dataOf(b));

        INDArray s = Npy.read(fixture("f8_scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals(2.25, s.getDouble(0), 0.0);

        INDArray e = Npy.read(fixture("f4_empty_0x3.npy"));
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertTrue(e.isEmpty());

        // np.asfortranarray(np.arange(12, dtype=int16).reshape(2, 3, 2) - 6): C-order values -6..5.
        INDArray f = Npy.read(fixture("i2_fortran_2x3x2.npy"));
        assertEquals(DataType.INT16, f.dataType());
        assertArrayEquals(new long[] {2, 3, 2}, f.shape());
        assertArrayEquals(new int[] {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5},
                (int[]) ArrayFiles.dataOf(f.castTo(DataType.INT32)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_3x4_v1.npy", "f8_scalar.npy", "f4_empty_0x3.npy", "i8_ids.npy", "i4_labels.npy",
        "u1_2x2x3.npy", "b1_5.npy"})
    void writerReproducesNumpyBytes(String name, @TempDir Path dir) throws IOException {
        // np.save writes a version 1.0 header padded to 64 bytes; al4j's writer gives the same bytes.
        Path copy = dir.resolve(name);
        Npy.write(copy, Npy.read(fixture(name)));
        assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(copy));
    }

}
