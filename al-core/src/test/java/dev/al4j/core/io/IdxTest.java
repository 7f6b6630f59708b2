package dev.al4j.core.io;

import static dev.al4j.core.io.ArrayFiles.concat;
import static dev.al4j.core.io.ArrayFiles.gzip;
import static dev.al4j.core.io.ArrayFiles.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class IdxTest {

    @TempDir
    Path dir;

    private static final ElementType[] IDX_TYPES = {ElementType.UINT8, ElementType.INT8, ElementType.INT16,
        ElementType.INT32, ElementType.FLOAT32, ElementType.FLOAT64};
    private static final long[][] SHAPES = {{0}, {1}, {9}, {2, 3}, {0, 28, 28}, {3, 28, 28}, {2, 0, 3}, {1, 1, 1, 2}};

    static Stream<Arguments> typesAndShapes() {
        return Arrays.stream(IDX_TYPES).flatMap(t -> Arrays.stream(SHAPES).map(s -> Arguments.of(t, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndShapes")
    void writeThenReadGivesTheSameArray(ElementType type, long[] shape) throws IOException {
        Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), 17L * Arrays.hashCode(shape));
        INDArray original = ArrayFiles.array(type, shape, data);
        for (String name : new String[] {"a-idx", "a-idx.gz"}) {
            Path file = dir.resolve(name);
            Idx.write(file, original);
            boolean gzipped = Files.readAllBytes(file)[0] == 0x1f;
            assertEquals(name.endsWith(".gz"), gzipped, name);
            INDArray back = Idx.read(file);
            assertEquals(type.dataType(), back.dataType(), name);
            assertArrayEquals(shape, back.shape(), name);
            assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(back)), name + ": values differ");
        }
    }

    @Test
    void handMadeMnistStyleFiles() throws IOException {
        // Labels: magic 00 00 08 01, count 3, then the label bytes 5 0 9.
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 9};
        assertArrayEquals(new int[] {5, 0, 9}, Idx.readLabels(new ByteArrayInputStream(labels)));
        // Images: 00 00 08 03, dims 2 x 1 x 2, pixels 0 255 128 7; unsigned, so 0xFF reads as 255.
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, -1, -128, 7};
        INDArray a = Idx.read(new ByteArrayInputStream(images));
        assertEquals(DataType.UINT8, a.dataType());
        assertArrayEquals(new long[] {2, 1, 2}, a.shape());
        assertArrayEquals(new int[] {0, 255, 128, 7}, (int[]) ArrayFiles.dataOf(a.castTo(DataType.INT32)));
    }

    @Test
    void handMadeFilesOfEveryOtherType() throws IOException {
        // 0x09 signed byte: ff 80 -> -1, -128.
        INDArray b = Idx.read(new ByteArrayInputStream(idx(0x09, new int[] {2}, new byte[] {-1, -128})));
        assertEquals(DataType.INT8, b.dataType());
        assertArrayEquals(new int[] {-1, -128}, b.castTo(DataType.INT32).toIntVector());
        // 0x0B short, big-endian: 01 02 -> 258, ff fe -> -2.
        INDArray s = Idx.read(new ByteArrayInputStream(idx(0x0B, new int[] {2}, new byte[] {1, 2, -1, -2})));
        assertEquals(DataType.INT16, s.dataType());
        assertArrayEquals(new int[] {258, -2}, s.castTo(DataType.INT32).toIntVector());
        // 0x0C int: 00 01 00 00 -> 65536.
        assertArrayEquals(new int[] {65536},
                Idx.readLabels(new ByteArrayInputStream(idx(0x0C, new int[] {1}, new byte[] {0, 1, 0, 0}))));
        // 0x0D float: 3f c0 00 00 is 1.5f (sign 0, exponent 127, mantissa .1b).
        INDArray f = Idx.read(new ByteArrayInputStream(idx(0x0D, new int[] {1, 1}, new byte[] {0x3f, -64, 0, 0})));
        assertEquals(DataType.FLOAT, f.dataType());
        assertEquals(1.5f, f.getFloat(0, 0), 0f);
        // 0x0E double: c0 04 00 .. 00 is -2.5 (sign 1, exponent 1024, mantissa .01b).
        INDArray d = Idx.read(new ByteArrayInputStream(idx(0x0E, new int[] {1}, new byte[] {-64, 4, 0, 0, 0, 0, 0, 0})));
        assertEquals(DataType.DOUBLE, d.dataType());
        assertEquals(-2.5, d.getDouble(0), 0.0);
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 2, 4, 2};
        Path gzipWithoutSuffix = dir.resolve("labels-idx1-ubyte");
        Files.write(gzipWithoutSuffix, gzip(labels));
        assertArrayEquals(new int[] {4, 2}, Idx.readLabels(gzipWithoutSuffix));
        Path plainWithSuffix = dir.resolve("labels-idx1-ubyte.gz");
        Files.write(plainWithSuffix, labels);
        assertArrayEquals(new int[] {4, 2}, Idx.readLabels(plainWithSuffix));
        assertArrayEquals(new int[] {4, 2}, Idx.readLabels(new ByteArrayInputStream(gzip(labels))));
    }

    @Test
    void writeLabelsRoundTripsAndChecksTheRange() throws IOException {
        Path file = dir.resolve("labels.gz");
        int[] labels = {0, 9, 255, 3};
        Idx.writeLabels(file, labels);
        assertArrayEquals(labels, Idx.readLabels(file));
        // The bytes MNIST's own label files use: 00 00 08 01, count, labels.
        Path plain = dir.resolve("labels");
        Idx.writeLabels(plain, new int[] {1, 2});
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1, 2}, Files.readAllBytes(plain));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.writeLabels(plain, new int[] {1, 256}));
        assertEquals("labels[1] must be in [0, 255] for an unsigned-byte IDX file, found 256", e.getMessage());
    }

    @Test
    void gzipOutputIsDeterministic() throws IOException {
        INDArray a = ArrayFiles.array(ElementType.UINT8, new long[] {4, 5},
                ArrayFiles.randomData(ElementType.UINT8, 20, 3));
        Idx.write(dir.resolve("x.gz"), a);
        Idx.write(dir.resolve("y.gz"), a);
        assertArrayEquals(Files.readAllBytes(dir.resolve("x.gz")), Files.readAllBytes(dir.resolve("y.gz")));
    }

    @Test
    void writeRejectsWhatIdxCannotHold() {
        assertEquals("array must have data type UBYTE, BYTE, SHORT, INT, FLOAT or DOUBLE, found LONG",
                assertThrows(IllegalArgumentException.class,
                        () -> Idx.write(dir.resolve("l"), Nd4j.createFromArray(1L, 2L))).getMessage());
        assertEquals("array must have rank in [1, 32] for IDX, found shape []",
                assertThrows(IllegalArgumentException.class,
                        () -> Idx.write(dir.resolve("s"), Nd4j.scalar(1f))).getMessage());
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    @Test
    void rejectsWrongMagicTypesAndRanks() {
        assertMalformed(new byte[] {1, 0, 8, 1, 0, 0, 0, 0}, "not an IDX file: the magic number must start with two "
                + "zero bytes, found 01 00 08 01");
        assertMalformed(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, "not an IDX file");
        assertMalformed(new byte[] {0, 0, 0x0A, 1, 0, 0, 0, 0}, "unsupported IDX element type 0x0a");
        assertMalformed(new byte[] {0, 0, 0x08, 0}, "unsupported number of dimensions 0; expected 1 to 32");
        assertMalformed(new byte[] {0, 0, 0x08, (byte) 255, 0}, "unsupported number of dimensions 255");
        assertMalformed(new byte[] {0, 0}, "truncated: expected 4 bytes of magic number at offset 0, but the "
                + "stream ended after 2");
        assertMalformed(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, "truncated: expected 12 bytes of dimensions");
    }

    @Test
    void rejectsNegativeAndAbsurdDimensions() {
        assertMalformed(idx(0x08, new int[] {Integer.MIN_VALUE}, new byte[0]),
                "malformed shape [-2147483648]: dimension 0 is negative (-2147483648)");
        assertMalformed(idx(0x08, new int[] {65536, 65536}, new byte[10]),
                "absurd shape [65536, 65536]: more than 2147483639 elements");
        assertMalformed(idx(0x08, new int[] {0, 65536, 65536}, new byte[0]), "more than 2147483639 elements");
        // 2^31 - 1 doubles would need 16 GB; the reader fails on the data it has instead of allocating.
        byte[] huge = idx(0x0E, new int[] {Integer.MAX_VALUE}, new byte[16]);
        assertMalformed(huge, "absurd shape [2147483647]: dimension 0 is 2147483647, at most 2147483639");
        byte[] big = idx(0x0E, new int[] {2_000_000_000}, new byte[16]);
        assertMalformed(big, "truncated: the header declares 2000000000 elements of FLOAT64 (16000000000 bytes), "
                + "but the data ends after 16 bytes");
        assertMalformed(gzip(big), "but the data ends after 16 bytes");
    }

    @Test
    void rejectsTruncatedAndOverlongFiles() throws IOException {
        byte[] ok = idx(0x0C, new int[] {2, 2}, new byte[16]);
        Path file = dir.resolve("short-idx");
        Files.write(file, Arrays.copyOf(ok, ok.length - 3));
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class, () -> Idx.read(file));
        assertEquals(file + ": truncated: the header declares 4 elements of INT32 (16 bytes) at offset 12, but "
                + "the file has only 13 bytes left", e.getMessage());
        assertMalformed(Arrays.copyOf(ok, ok.length - 3), "but the data ends after 13 bytes");
        byte[] gz = gzip(ok);
        assertMalformed(Arrays.copyOf(gz, gz.length - 1), "corrupt gzip data");
        assertMalformed(Arrays.copyOf(gz, 5), "corrupt gzip header");
        byte[] broken = gz.clone();
        broken[broken.length - 6] ^= 0x10; // inside the CRC-32 trailer
        assertMalformed(broken, "corrupt gzip data");

        byte[] longer = concat(ok, new byte[] {9});
        assertMalformed(longer, "unexpected bytes after the data");
        Files.write(file, longer);
        e = assertThrows(MalformedArrayFileException.class, () -> Idx.read(file));
        assertEquals(file + ": 1 unexpected bytes after the data (offset 28)", e.getMessage());
    }

    @Test
    void readLabelsWantsOneDimensionOfIntegers() {
        assertMalformedLabels(idx(0x08, new int[] {1, 2}, new byte[2]),
                "expected a 1-D array of integers, found shape [1, 2]");
        assertMalformedLabels(idx(0x0D, new int[] {1}, new byte[4]), "expected an integer array");
    }

    @Test
    void ioErrorsStayIoExceptions() {
        assertThrows(NoSuchFileException.class, () -> Idx.read(dir.resolve("missing")));
        assertThrows(IOException.class, () -> Idx.readLabels(dir));
    }

    @Test
    void largeFileReadsInChunks() throws IOException {
        // 300 000 bytes spans several 64 KiB chunks, and the unknown-length path grows its buffer several times.
        byte[] pixels = (byte[]) ArrayFiles.randomData(ElementType.UINT8, 300_000, 5);
        INDArray a = ArrayFiles.array(ElementType.UINT8, new long[] {300, 1000}, pixels);
        Path file = dir.resolve("big-idx.gz");
        Idx.write(file, a);
        assertArrayEquals(pixels, (byte[]) ArrayFiles.dataOf(Idx.read(file)));
        assertArrayEquals(pixels, (byte[]) Idx.parse(new ByteArrayInputStream(Files.readAllBytes(file))).data());
        float[] floats = (float[]) ArrayFiles.randomData(ElementType.FLOAT32, 70_000, 6);
        byte[] raw = idx(0x0D, new int[] {70_000}, ArrayFiles.encode(ElementType.FLOAT32, floats, ByteOrder.BIG_ENDIAN));
        assertArrayEquals(floats, (float[]) Idx.parse(new ByteArrayInputStream(raw)).data());
    }

    static void assertMalformed(byte[] bytes, String expectedPart) {
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class,
                () -> Idx.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().startsWith("stream: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart),
                () -> "expected the message to contain \"" + expectedPart + "\", found: " + e.getMessage());
    }

    private static void assertMalformedLabels(byte[] bytes, String expectedPart) {
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class,
                () -> Idx.readLabels(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(expectedPart),
                () -> "expected the message to contain \"" + expectedPart + "\", found: " + e.getMessage());
    }
}
