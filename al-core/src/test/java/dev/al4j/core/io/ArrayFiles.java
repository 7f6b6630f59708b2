package dev.al4j.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test fixtures: random arrays of each element type and hand-built file bytes. */
final class ArrayFiles {

    /**
     * NumPy's dtype code of each type (without the byte-order character) and IDX's type code, from the two formats'
     * documentation. Written out here rather than taken from {@link Npy} and {@link Idx}, so that a wrong code in a
     * reader cannot hide behind itself in the tests that build files with these.
     */
    private static final Map<ElementType, String> NPY_CODES = Map.of(ElementType.FLOAT32, "f4",
            ElementType.FLOAT64, "f8", ElementType.INT8, "i1", ElementType.UINT8, "u1", ElementType.INT16, "i2",
            ElementType.INT32, "i4", ElementType.INT64, "i8", ElementType.BOOL, "b1");
    private static final Map<ElementType, Integer> IDX_CODES = Map.of(ElementType.UINT8, 0x08,
            ElementType.INT8, 0x09, ElementType.INT16, 0x0B, ElementType.INT32, 0x0C, ElementType.FLOAT32, 0x0D,
            ElementType.FLOAT64, 0x0E);

    private ArrayFiles() {}

    /** The NumPy dtype code of {@code type} without its byte-order character: {@code "f4"} for FLOAT32. */
    static String npyCode(ElementType type) {
        return NPY_CODES.get(type);
    }

    /** The IDX type code of {@code type}: {@code 0x0D} for FLOAT32; an {@link AssertionError} if IDX has none. */
    static int idxCode(ElementType type) {
        Integer code = IDX_CODES.get(type);
        if (code == null) {
            throw new AssertionError(type);
        }
        return code;
    }

    /** A data array of {@code type} with {@code n} random values covering the type's range, seeded. */
    static Object randomData(ElementType type, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Object data = type.allocate(n);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32:
                    ((float[]) data)[i] = i % 7 == 3 ? Float.NaN : (float) (r.nextGaussian() * 1e3);
                    break;
                case FLOAT64:
                    ((double[]) data)[i] = i % 7 == 3 ? Double.NEGATIVE_INFINITY : r.nextGaussian() * 1e-3;
                    break;
                case INT8:
                case UINT8:
                    ((byte[]) data)[i] = (byte) r.nextInt(256);
                    break;
                case INT16:
                    ((short[]) data)[i] = (short) r.nextInt(65536);
                    break;
                case INT32:
                    ((int[]) data)[i] = r.nextInt();
                    break;
                case INT64:
                    ((long[]) data)[i] = r.nextLong();
                    break;
                case BOOL:
                    ((boolean[]) data)[i] = r.nextBoolean();
                    break;
                default:
                    throw new AssertionError(type);
            }
        }
        return data;
    }

    static int product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return (int) p;
    }

    /** An ND4J array of {@code type} and {@code shape} over {@code data}. */
    static INDArray array(ElementType type, long[] shape, Object data) {
        return new RawArray("test", type, shape, false, data).toINDArray();
    }

    /** The elements of {@code array} in C order as a data array of its element type. */
    static Object dataOf(INDArray array) {
        ElementType type = ElementType.of(array.dataType());
        if (array.length() == 0) {
            return type.allocate(0);
        }
        return type.extract(array.dup('c'));
    }

    /** The bytes of {@code data} in {@code order}. */
    static byte[] encode(ElementType type, Object data, ByteOrder order) {
        int n = java.lang.reflect.Array.getLength(data);
        ByteBuffer b = ByteBuffer.allocate(n * type.width()).order(order);
        type.encode(data, 0, n, b);
        return b.array();
    }

    /** A .npy file: magic, version {@code major}.0, the header text as given (no padding added), then data. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(8 + (major == 1 ? 2 : 4) + text.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        return b.put(text).put(data).array();
    }

    /** An IDX file: magic {@code 00 00 type rank}, dimensions, then the data bytes as given. */
    static byte[] idx(int typeCode, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
