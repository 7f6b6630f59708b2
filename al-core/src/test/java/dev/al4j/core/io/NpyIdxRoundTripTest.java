package dev.al4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Properties: writing then reading is the identity, for random element types, shapes (rank 0 to 4) and values. */
class NpyIdxRoundTripTest {

    @Provide
    Arbitrary<long[]> shapes() {
        return Arbitraries.longs().between(0, 6).array(long[].class).ofMaxSize(4);
    }

    @Property(tries = 300)
    void npyWriteThenReadIsTheIdentity(@ForAll ElementType type, @ForAll("shapes") long[] shape,
            @ForAll long seed) throws IOException {
        Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, ArrayFiles.array(type, shape, data));
        byte[] bytes = out.toByteArray();
        // Header padded to 64 bytes, then exactly the data.
        assertEquals(0, (bytes.length - (long) ArrayFiles.product(shape) * type.width()) % 64);
        INDArray back = Npy.read(new ByteArrayInputStream(bytes));
        assertEquals(type.dataType(), back.dataType());
        assertArrayEquals(shape, back.shape());
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(back)));
    }

    @Property(tries = 300)
    void npyReadsFortranOrderAsTheTransposeOfCOrder(@ForAll @IntRange(min = 1, max = 5) int rows,
            @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) throws IOException {
        // The same bytes, read as Fortran order [rows, cols], are the C-order array [cols, rows] transposed.
        float[] data = (float[]) ArrayFiles.randomData(ElementType.FLOAT32, rows * cols, seed);
        byte[] bytes = ArrayFiles.encode(ElementType.FLOAT32, data, ByteOrder.LITTLE_ENDIAN);
        INDArray f = Npy.read(new ByteArrayInputStream(ArrayFiles.npy(1, "{'descr': '<f4', 'fortran_order': True, "
                + "'shape': (" + rows + ", " + cols + ")}", bytes)));
        INDArray c = Npy.read(new ByteArrayInputStream(ArrayFiles.npy(1, "{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (" + cols + ", " + rows + ")}", bytes)));
        assertArrayEquals((float[]) ArrayFiles.dataOf(c.transpose()), (float[]) ArrayFiles.dataOf(f));
        // Naive reference: element (i, j) of a Fortran-order array sits at offset i + j * rows.
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(Float.floatToIntBits(data[i + j * rows]), Float.floatToIntBits(f.getFloat(i, j)));
            }
        }
    }

    @Property(tries = 300)
    void bigEndianNpyReadsLikeLittleEndian(@ForAll ElementType type, @ForAll("shapes") long[] shape,
            @ForAll long seed) throws IOException {
        Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), seed);
        // '>' for multi-byte types; 1-byte types have no byte order ('|').
        String descr = (type.width() == 1 ? "|" : ">") + ArrayFiles.npyCode(type);
        INDArray fromBig = Npy.read(new ByteArrayInputStream(ArrayFiles.npy(2, "{'descr': '" + descr
                + "', 'fortran_order': False, 'shape': " + shapeText(shape) + "}",
                ArrayFiles.encode(type, data, ByteOrder.BIG_ENDIAN))));
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(fromBig)));
    }

    @Property(tries = 300)
    void idxWriteThenReadIsTheIdentity(@ForAll("idxTypes") ElementType type, @ForAll("shapes") long[] shape,
            @ForAll long seed, @ForAll boolean gzip) throws IOException {
        if (shape.length == 0) {
            shape = new long[] {3}; // IDX has no rank-0 arrays
        }
        Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), seed);
        int[] dims = java.util.Arrays.stream(shape).mapToInt(d -> (int) d).toArray();
        byte[] bytes = ArrayFiles.idx(ArrayFiles.idxCode(type), dims,
                ArrayFiles.encode(type, data, ByteOrder.BIG_ENDIAN));
        INDArray back = Idx.read(new ByteArrayInputStream(gzip ? ArrayFiles.gzip(bytes) : bytes));
        assertEquals(type.dataType(), back.dataType());
        assertArrayEquals(shape, back.shape());
        assertTrue(Objects.deepEquals(data, ArrayFiles.dataOf(back)));
    }

    @Provide
    Arbitrary<ElementType> idxTypes() {
        return Arbitraries.of(ElementType.UINT8, ElementType.INT8, ElementType.INT16, ElementType.INT32,
                ElementType.FLOAT32, ElementType.FLOAT64);
    }

    private static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        return s.append(")").toString();
    }
}
