package dev.al4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element types the array readers know, each with its width, its ND4J data type, and how to move values
 * between bytes (in either byte order), a primitive Java array and an {@link INDArray}.
 *
 * <p>Reading fills a primitive Java array first: that keeps the parsing free of ND4J and lets a truncated file fail
 * before any native memory is touched. Each constant's data array has the Java type named in its comment.
 */
enum ElementType {
    // One row per type: its width, its ND4J type, its Java data array, and the few operations that need the array's
    // static type (bulk moves through a typed buffer view, ND4J's typed create and read-back). Everything else is
    // written once below, for all types.
    /** {@code float[]}. */
    FLOAT32(4, DataType.FLOAT, float[].class,
            (src, dst, at, n) -> src.asFloatBuffer().get((float[]) dst, at, n),
            (src, at, n, dst) -> dst.asFloatBuffer().put((float[]) src, at, n),
            (data, shape, type) -> Nd4j.create((float[]) data, shape, type),
            compact -> compact.data().asFloat(), null),
    /** {@code double[]}. */
    FLOAT64(8, DataType.DOUBLE, double[].class,
            (src, dst, at, n) -> src.asDoubleBuffer().get((double[]) dst, at, n),
            (src, at, n, dst) -> dst.asDoubleBuffer().put((double[]) src, at, n),
            (data, shape, type) -> Nd4j.create((double[]) data, shape, type),
            compact -> compact.data().asDouble(), null),
    /** {@code byte[]}, values -128..127. */
    INT8(1, DataType.INT8, byte[].class, ElementType::decodeBytes, ElementType::encodeBytes,
            ElementType::createBytes, ElementType::extractBytes, (data, i) -> ((byte[]) data)[i]),
    /** {@code byte[]} holding the raw bits: read a value with {@code b & 0xFF}. */
    UINT8(1, DataType.UINT8, byte[].class, ElementType::decodeBytes, ElementType::encodeBytes,
            ElementType::createBytes, ElementType::extractBytes, (data, i) -> ((byte[]) data)[i] & 0xFF),
    /** {@code short[]}. */
    INT16(2, DataType.INT16, short[].class,
            (src, dst, at, n) -> src.asShortBuffer().get((short[]) dst, at, n),
            (src, at, n, dst) -> dst.asShortBuffer().put((short[]) src, at, n),
            (data, shape, type) -> Nd4j.create((short[]) data, shape, type),
            ElementType::extractShorts, (data, i) -> ((short[]) data)[i]),
    /** {@code int[]}. */
    INT32(4, DataType.INT32, int[].class,
            (src, dst, at, n) -> src.asIntBuffer().get((int[]) dst, at, n),
            (src, at, n, dst) -> dst.asIntBuffer().put((int[]) src, at, n),
            (data, shape, type) -> Nd4j.create((int[]) data, shape, type),
            compact -> compact.data().asInt(), (data, i) -> ((int[]) data)[i]),
    /** {@code long[]}. */
    INT64(8, DataType.INT64, long[].class,
            (src, dst, at, n) -> src.asLongBuffer().get((long[]) dst, at, n),
            (src, at, n, dst) -> dst.asLongBuffer().put((long[]) src, at, n),
            (data, shape, type) -> Nd4j.create((long[]) data, shape, type),
            compact -> compact.data().asLong(), (data, i) -> ((long[]) data)[i]),
    /** {@code boolean[]}; any non-zero byte reads as {@code true}, as in NumPy. */
    BOOL(1, DataType.BOOL, boolean[].class, ElementType::decodeBooleans, ElementType::encodeBooleans,
            (data, shape, type) -> Nd4j.create((boolean[]) data, shape, type), ElementType::extractBooleans, null);

    /** Bytes moved per chunk when decoding or encoding; a multiple of every width. */
    static final int CHUNK_BYTES = 1 << 16;

    private final int width;
    private final DataType dataType;
    private final Class<?> componentType;
    private final Decoder decoder;
    private final Encoder encoder;
    private final Creator creator;
    private final Extractor extractor;
    private final IntReader intReader; // null for the non-integer types

    ElementType(int width, DataType dataType, Class<?> arrayType, Decoder decoder, Encoder encoder, Creator creator,
            Extractor extractor, IntReader intReader) {
        this.width = width;
        this.dataType = dataType;
        this.componentType = arrayType.getComponentType();
        this.decoder = decoder;
        this.encoder = encoder;
        this.creator = creator;
        this.extractor = extractor;
        this.intReader = intReader;
    }

    /** Bytes per element. */
    int width() {
        return width;
    }

    /** The matching ND4J data type. */
    DataType dataType() {
        return dataType;
    }

    /** A new zeroed data array of this type. */
    Object allocate(int length) {
        return Array.newInstance(componentType, length);
    }

    /** Decodes {@code count} elements from {@code src} (its position and byte order) into {@code dst[offset..]}. */
    void decode(ByteBuffer src, Object dst, int offset, int count) {
        decoder.decode(src, dst, offset, count);
    }

    /** Encodes {@code src[offset..offset+count)} into {@code dst} at its position, in its byte order. */
    void encode(Object src, int offset, int count, ByteBuffer dst) {
        encoder.encode(src, offset, count, dst);
    }

    /** An ND4J array in C order over a non-empty data array whose length is the product of {@code shape}. */
    INDArray create(Object data, long[] shape) {
        return creator.create(data, shape, dataType);
    }

    /** The data array of a compact C-order array of this type (its buffer holds exactly its elements). */
    Object extract(INDArray compact) {
        return extractor.extract(compact);
    }

    /** The integer value at {@code index}; only for integer types. */
    long intValue(Object data, int index) {
        if (intReader == null) {
            throw new UnsupportedOperationException(name() + " is not an integer type");
        }
        return intReader.read(data, index);
    }

    /** Whether {@link #intValue} is defined. */
    boolean isInteger() {
        return intReader != null;
    }

    /** A copy of {@code data} (a data array of this type) resized to {@code length}. */
    Object resize(Object data, int length) {
        Object copy = allocate(length);
        System.arraycopy(data, 0, copy, 0, Math.min(length, Array.getLength(data)));
        return copy;
    }

    /** The element type of an ND4J data type, or {@code null} when there is none here. */
    static ElementType of(DataType dataType) {
        for (ElementType t : values()) {
            if (t.dataType == dataType) {
                return t;
            }
        }
        return null;
    }

    /**
     * Writes the elements of {@code array} (of this type) in C order to {@code out} in {@code order}, in chunks of
     * {@link #CHUNK_BYTES}.
     */
    void write(INDArray array, OutputStream out, ByteOrder order) throws IOException {
        if (array.length() == 0) {
            return;
        }
        INDArray compact = array.dup('c');
        Object data = extract(compact);
        int length = Array.getLength(data);
        if (length != array.length()) {
            throw new IllegalStateException("ND4J returned " + length + " elements for an array of length "
                    + array.length());
        }
        int perChunk = CHUNK_BYTES / width;
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(order);
        for (int done = 0; done < length; done += perChunk) {
            int n = Math.min(perChunk, length - done);
            chunk.clear();
            encode(data, done, n, chunk);
            out.write(chunk.array(), 0, n * width);
        }
    }

    // ---- the operations shared by several rows ----------------------------------------------------------------

    private static void decodeBytes(ByteBuffer src, Object dst, int offset, int count) {
        src.get((byte[]) dst, offset, count);
    }

    private static void encodeBytes(Object src, int offset, int count, ByteBuffer dst) {
        dst.put((byte[]) src, offset, count);
    }

    private static INDArray createBytes(Object data, long[] shape, DataType type) {
        return Nd4j.create((byte[]) data, shape, type);
    }

    private static void decodeBooleans(ByteBuffer src, Object dst, int offset, int count) {
        boolean[] out = (boolean[]) dst;
        for (int i = 0; i < count; i++) {
            out[offset + i] = src.get() != 0;
        }
    }

    private static void encodeBooleans(Object src, int offset, int count, ByteBuffer dst) {
        boolean[] in = (boolean[]) src;
        for (int i = 0; i < count; i++) {
            dst.put(in[offset + i] ? (byte) 1 : (byte) 0);
        }
    }

    // ND4J reads narrow types back only through a wider one: read them as int and narrow each value.

    private static int[] extractInts(INDArray compact) {
        return compact.castTo(DataType.INT32).data().asInt();
    }

    private static Object extractBytes(INDArray compact) {
        int[] ints = extractInts(compact);
        byte[] out = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = (byte) ints[i];
        }
        return out;
    }

    private static Object extractShorts(INDArray compact) {
        int[] ints = extractInts(compact);
        short[] out = new short[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = (short) ints[i];
        }
        return out;
    }

    private static Object extractBooleans(INDArray compact) {
        int[] ints = extractInts(compact);
        boolean[] out = new boolean[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i] != 0;
        }
        return out;
    }

    @FunctionalInterface
    private interface Decoder {
        void decode(ByteBuffer src, Object dst, int offset, int count);
    }

    @FunctionalInterface
    private interface Encoder {
        void encode(Object src, int offset, int count, ByteBuffer dst);
    }

    @FunctionalInterface
    private interface Creator {
        INDArray create(Object data, long[] shape, DataType type);
    }

    @FunctionalInterface
    private interface Extractor {
        Object extract(INDArray compact);
    }

    @FunctionalInterface
    private interface IntReader {
        long read(Object data, int index);
    }
}
