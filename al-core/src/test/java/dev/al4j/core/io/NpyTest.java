package dev.al4j.core.io;

import static dev.al4j.core.io.ArrayFiles.concat;
import static dev.al4j.core.io.ArrayFiles.encode;
import static dev.al4j.core.io.ArrayFiles.gzip;
import static dev.al4j.core.io.ArrayFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

class NpyTest {

    @TempDir
    Path dir;

    private static final long[][] SHAPES = {
        {}, {0}, {1}, {7}, {0, 3}, {3, 0}, {2, 3}, {3, 1, 4}, {1, 1, 1, 1}, {2, 0, 5}, {130}
    };

    static Stream<Arguments> typesAndShapes() {
        return Arrays.stream(ElementType.values())
                .flatMap(t -> Arrays.stream(SHAPES).map(s -> Arguments.of(t, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndShapes")
    void writeThenReadGivesTheSameArray(ElementType type, long[] shape) throws IOException {
        Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), 31L * Arrays.hashCode(shape));
        INDArray original = ArrayFiles.array(type, shape, data);
        Path file = dir.resolve("a.npy");
        Npy.write(file, original);

        INDArray back = Npy.read(file);
        assertEquals(type.dataType(), back.dataType());
        assertArrayEquals(shape, back.shape());
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(back)), "values differ");
        // The header is padded so that the data starts on a 64-byte boundary, as NumPy writes it.
        long dataBytes = (long) ArrayFiles.product(shape) * type.width();
        assertEquals(0, (Files.size(file) - dataBytes) % 64);
        // The same through a stream, and through gzip.
        INDArray fromStream = Npy.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(fromStream)));
        Path gz = dir.resolve("a.npy.gz");
        Files.write(gz, gzip(Files.readAllBytes(file)));
        INDArray fromGzip = Npy.read(gz);
        assertArrayEquals(shape, fromGzip.shape());
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(fromGzip)));
    }

    @Test
    void writeOfAViewWritesOnlyTheView() throws IOException {
        INDArray m = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DataType.FLOAT);
        Path file = dir.resolve("col.npy");
        Npy.write(file, m.getColumn(1)); // the column [2, 5]
        assertArrayEquals(new float[] {2, 5}, Npy.read(file).toFloatVector());
        Npy.write(file, m.transpose()); // [[1, 4], [2, 5], [3, 6]] in C order
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, (float[]) ArrayFiles.dataOf(Npy.read(file)));
    }

    @Test
    void writeToAStreamLeavesItOpen() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Nd4j.createFromArray(7L, 8L));
        Npy.write(out, Nd4j.createFromArray(9L)); // still writable
        byte[] first = Arrays.copyOf(out.toByteArray(), 128 + 16); // a 128-byte header, then 2 int64
        assertArrayEquals(new int[] {7, 8}, Npy.readInts(new ByteArrayInputStream(first)));
    }

    @Test
    void writerHeaderIsTheOneNumpyWrites() {
        // Header text as numpy 1.24's np.save writes it: 10 bytes of magic, version and length, then the dict
        // (60 characters here), padded with spaces and a final '\n' to a multiple of 64 bytes in total: 128.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        String expected = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        byte[] header = Npy.header("<f4", new long[] {3, 4});
        assertEquals(128, header.length);
        assertEquals(expected, new String(header, 10, 118, StandardCharsets.US_ASCII));
        assertEquals("(5,)", shapeText(Npy.header("<f8", new long[] {5})));
        assertEquals("()", shapeText(Npy.header("<f8", new long[0])));
    }

    private static String shapeText(byte[] header) {
        String s = new String(header, StandardCharsets.US_ASCII);
        return s.substring(s.indexOf("'shape': ") + 9, s.indexOf("), }") + 1);
    }

    // ---- hand-made files -------------------------------------------------------------------------------------

    @Test
    void readsVersion1Version2AndVersion3Headers() throws IOException {
        byte[] data = encode(ElementType.FLOAT32, new float[] {1.5f, -2f, 0.25f}, ByteOrder.LITTLE_ENDIAN);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n";
        for (int major = 1; major <= 3; major++) {
            INDArray a = Npy.read(new ByteArrayInputStream(npy(major, header, data)));
            assertArrayEquals(new long[] {3}, a.shape(), "version " + major);
            assertArrayEquals(new float[] {1.5f, -2f, 0.25f}, a.toFloatVector(), "version " + major);
        }
    }

    @Test
    void version3HeaderMayHoldUtf8() throws IOException {
        // Format 3.0 exists for UTF-8 text in headers (e.g. field names); a key with non-ASCII text is not one of
        // the three keys, so check instead that UTF-8 whitespace-free text decodes: a plain header in 3.0.
        byte[] data = encode(ElementType.INT32, new int[] {4}, ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = npy(3, "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (1,)}", data);
        assertArrayEquals(new int[] {4}, Npy.readInts(new ByteArrayInputStream(bytes)));
        byte[] bad = npy(3, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,)}", data);
        bad[12] = (byte) 0xC3; // a UTF-8 lead byte followed by '\'' (not a continuation byte)
        assertMalformed(bad, "not valid UTF-8");
    }

    @Test
    void acceptsTheHeaderVariantsWritersProduce() throws IOException {
        byte[] data = encode(ElementType.INT64, new long[] {1, 2, 3, 4, 5, 6}, ByteOrder.LITTLE_ENDIAN);
        String[] headers = {
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }          \n",
            "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<i8\"}",
            "{'descr':'<i8','fortran_order':False,'shape':(2,3)}",
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 3L), }\n", // NumPy under Python 2
            "  {\t'descr' : '<i8' ,\n'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }  \n",
        };
        for (String h : headers) {
            INDArray a = Npy.read(new ByteArrayInputStream(npy(1, h, data)));
            assertArrayEquals(new long[] {2, 3}, a.shape(), h);
            assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, (long[]) ArrayFiles.dataOf(a), h);
        }
    }

    @Test
    void fortranOrderIsReturnedInCOrder() throws IOException {
        // Fortran order stores columns first: [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        byte[] data = encode(ElementType.INT32, new int[] {1, 4, 2, 5, 3, 6}, ByteOrder.LITTLE_ENDIAN);
        INDArray a = Npy.read(new ByteArrayInputStream(
                npy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", data)));
        assertEquals('c', a.ordering());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, (int[]) ArrayFiles.dataOf(a));
        assertArrayEquals(new int[] {1, 2, 3}, a.getRow(0).toIntVector());
    }

    @Test
    void bigEndianIsConverted() throws IOException {
        byte[] data = encode(ElementType.FLOAT64, new double[] {0.1, -3e300}, ByteOrder.BIG_ENDIAN);
        INDArray a = Npy.read(new ByteArrayInputStream(
                npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", data)));
        assertArrayEquals(new double[] {0.1, -3e300}, a.toDoubleVector());
        // >i2 bytes 0x01 0x02 are 258.
        byte[] shorts = npy(1, "{'descr': '>i2', 'fortran_order': False, 'shape': (1,), }", new byte[] {1, 2});
        assertArrayEquals(new int[] {258}, Npy.readInts(new ByteArrayInputStream(shorts)));
    }

    @Test
    void boolAndUint8() throws IOException {
        INDArray b = Npy.read(new ByteArrayInputStream(npy(1,
                "{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }", new byte[] {0, 1, 2, 0})));
        assertEquals(DataType.BOOL, b.dataType());
        // NumPy reads any non-zero byte as True.
        assertArrayEquals(new boolean[] {false, true, true, false}, (boolean[]) ArrayFiles.dataOf(b));
        INDArray u = Npy.read(new ByteArrayInputStream(npy(1,
                "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[] {0, (byte) 200, -1})));
        assertEquals(DataType.UINT8, u.dataType());
        assertArrayEquals(new int[] {0, 200, 255}, u.castTo(DataType.INT32).toIntVector());
    }

    @Test
    void readIntsWidensAndChecksTheRange() throws IOException {
        byte[] ok = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                encode(ElementType.INT64, new long[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE},
                        ByteOrder.LITTLE_ENDIAN));
        assertArrayEquals(new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE},
                Npy.readInts(new ByteArrayInputStream(ok)));
        byte[] tooBig = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
                encode(ElementType.INT64, new long[] {5, 1L << 31}, ByteOrder.LITTLE_ENDIAN));
        assertMalformedInts(tooBig, "value 2147483648 at index 1 does not fit in an int");
        byte[] floats = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        assertMalformedInts(floats, "expected an integer array");
        byte[] matrix = npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", new byte[4]);
        assertMalformedInts(matrix, "expected a 1-D array of integers, found shape [1, 1]");
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    private static final String F4_3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";

    @Test
    void rejectsWrongMagicAndVersions() {
        byte[] ok = npy(1, F4_3, new byte[12]);
        byte[] magic = ok.clone();
        magic[1] = 'X';
        assertMalformed(magic, "not a .npy file: expected the magic string \\x93NUMPY, found \\x93XUMPY");
        byte[] v4 = ok.clone();
        v4[6] = 4;
        assertMalformed(v4, "unsupported .npy format version 4.0");
        byte[] v11 = ok.clone();
        v11[7] = 1;
        assertMalformed(v11, "unsupported .npy format version 1.1");
        assertMalformed(new byte[] {(byte) 0x93, 'N', 'U'}, "truncated: expected 8 bytes of magic and version");
        assertMalformed(new byte[0], "truncated");
        assertMalformed("PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1), "not a .npy file");
    }

    @Test
    void rejectsTruncatedFiles(@TempDir Path tmp) throws IOException {
        byte[] ok = npy(1, F4_3, new byte[12]);
        byte[] shortData = Arrays.copyOf(ok, ok.length - 1);
        // A plain file: compared with the file length before reading the data.
        Path file = tmp.resolve("short.npy");
        Files.write(file, shortData);
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated: the header declares 3 elements of FLOAT32 "
                + "(12 bytes)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but the file has only 11 bytes left"), e.getMessage());
        // A stream: noticed when the data ends.
        assertMalformed(shortData, "truncated: the header declares 3 elements of FLOAT32 (12 bytes), but the data "
                + "ends after 11 bytes");
        assertMalformed(gzip(shortData), "but the data ends after 11 bytes");
        // Cut inside the header.
        assertMalformed(Arrays.copyOf(ok, 30), "truncated: expected " + F4_3.length() + " bytes of header");
        assertMalformed(Arrays.copyOf(ok, 9), "truncated: expected 2 bytes of header length");
        // A truncated gzip stream.
        byte[] gz = gzip(ok);
        assertMalformed(Arrays.copyOf(gz, gz.length - 5), "corrupt gzip data");
    }

    @Test
    void rejectsTrailingBytes(@TempDir Path tmp) throws IOException {
        byte[] longer = concat(npy(1, F4_3, new byte[12]), new byte[] {1, 2});
        assertMalformed(longer, "unexpected bytes after the data");
        Path file = tmp.resolve("long.npy");
        Files.write(file, longer);
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("2 unexpected bytes after the data"), e.getMessage());
    }

    @Test
    void rejectsAbsurdSizesWithoutAllocating(@TempDir Path tmp) throws IOException {
        // 2e9 doubles would be 16 GB: far above the test JVM's heap, so an allocation would fail with an
        // OutOfMemoryError instead of this message.
        byte[] huge = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }", new byte[64]);
        Path file = tmp.resolve("huge.npy");
        Files.write(file, huge);
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("declares 2000000000 elements of FLOAT64 (16000000000 bytes)"),
                e.getMessage());
        assertMalformed(huge, "but the data ends after 64 bytes");
        assertMalformed(gzip(huge), "but the data ends after 64 bytes");
        assertMalformed(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                new byte[0]), "absurd shape [4294967296, 4294967296]: dimension 0 is 4294967296");
        assertMalformed(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }",
                new byte[0]), "absurd shape [65536, 65536]: more than 2147483639 elements");
        // An empty array whose other dimensions overflow is refused too (its strides would).
        assertMalformed(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 65536, 65536), }",
                new byte[0]), "more than 2147483639 elements");
        assertMalformed(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                new byte[0]), "does not fit in 64 bits");
        assertMalformed(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(33) + "), }",
                new byte[4]), "absurd shape: more than 32 dimensions");
        byte[] longHeader = npy(2, F4_3, new byte[12]);
        longHeader[8] = (byte) 0xFF;
        longHeader[9] = (byte) 0xFF;
        longHeader[10] = (byte) 0xFF;
        longHeader[11] = (byte) 0x7F;
        assertMalformed(longHeader, "absurd header length 2147483647 bytes");
    }

    @Test
    void rejectsUnsupportedDtypes() {
        for (String d : new String[] {"<c16", "<f2", "<u4", "|O", "<U5", "f4", "=f4", "|f4", "<f", "", "<i16"}) {
            assertMalformed(npy(1, "{'descr': '" + d + "', 'fortran_order': False, 'shape': (1,), }", new byte[16]),
                    "unsupported dtype '" + d + "'");
        }
        assertMalformed(npy(1, "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }",
                new byte[8]), "unsupported dtype [('x', '<f4'), ('y', '<i4')]: only simple dtypes are supported");
    }

    @Test
    void rejectsMalformedHeaders() {
        String[][] cases = {
            {"{'descr': '<f4', 'shape': (3,), }", "expected exactly the keys descr, fortran_order and shape, found"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': True}", "found [descr, fortran_order, shape, x]"},
            {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", "key 'descr' appears twice"},
            {"{'descr': '<f4', 'fortran_order': 0, 'shape': (3,)}", "expected a string, True, False or a tuple"},
            {"{'descr': '<f4', 'fortran_order': 'no', 'shape': (3,)}", "fortran_order must be True or False, found 'no'"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': True}", "shape must be a tuple of integers, found true"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (-3,)}", "negative dimension"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,)}", "expected ',' or ')' in the shape"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,}", "expected an integer in the shape"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,)", "unexpected end of header"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,)} x", "unexpected text after the closing '}'"},
            {"{'descr': '<f4 , 'fortran_order': False, 'shape': (3,)}", "at character 18: expected ',' or '}'"},
            {"{'descr': '<f4', 'fortran_order': False 'shape': (3,)}", "expected ',' or '}'"},
            {"['descr', '<f4']", "expected '{'"},
            {"", "unexpected end of header"},
            {"{'de\\scr': '<f4'}", "escapes in strings are not supported"},
            {"{'descr: '<f4'}", "expected ':'"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x}", "unterminated string"},
        };
        for (String[] c : cases) {
            assertMalformed(npy(1, c[0], new byte[12]), c[1]);
        }
    }

    @Test
    void ioErrorsStayIoExceptions() {
        Path missing = dir.resolve("missing.npy");
        assertThrows(NoSuchFileException.class, () -> Npy.read(missing));
        assertThrows(IOException.class, () -> Npy.read(dir)); // a directory
    }

    @Test
    void writeRejectsUnsupportedTypes() {
        INDArray half = Nd4j.create(DataType.FLOAT16, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(dir.resolve("h.npy"), half));
        assertEquals("array must have data type FLOAT, DOUBLE, INT, LONG, UBYTE, BOOL, BYTE or SHORT, found HALF",
                e.getMessage());
        assertThrows(NullPointerException.class, () -> Npy.write(dir.resolve("n.npy"), null));
    }

    static void assertMalformed(byte[] bytes, String expectedPart) {
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().startsWith("stream: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart),
                () -> "expected the message to contain \"" + expectedPart + "\", found: " + e.getMessage());
    }

    private static void assertMalformedInts(byte[] bytes, String expectedPart) {
        MalformedArrayFileException e = assertThrows(MalformedArrayFileException.class,
                () -> Npy.readInts(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(expectedPart),
                () -> "expected the message to contain \"" + expectedPart + "\", found: " + e.getMessage());
    }
}
