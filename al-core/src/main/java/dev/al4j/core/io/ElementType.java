package dev.al4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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
    /** {@code float[]}. */
    FLOAT32(4, DataType.FLOAT) {
        @Override
        Object allocate(int length) {
            return new float[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.asFloatBuffer().get((float[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.asFloatBuffer().put((float[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((float[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return compact.data().asFloat();
        }
    },
    /** {@code double[]}. */
    FLOAT64(8, DataType.DOUBLE) {
        @Override
        Object allocate(int length) {
            return new double[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.asDoubleBuffer().get((double[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.asDoubleBuffer().put((double[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((double[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return compact.data().asDouble();
        }
    },
    /** {@code byte[]}, values -128..127. */
    INT8(1, DataType.INT8) {
        @Override
        Object allocate(int length) {
            return new byte[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.get((byte[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.put((byte[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((byte[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return narrowToBytes(compact.castTo(DataType.INT32).data().asInt());
        }

        @Override
        long intValue(Object data, int index) {
            return ((byte[]) data)[index];
        }
    },
    /** {@code byte[]} holding the raw bits: read a value with {@code b & 0xFF}. */
    UINT8(1, DataType.UINT8) {
        @Override
        Object allocate(int length) {
            return new byte[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.get((byte[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.put((byte[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((byte[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return narrowToBytes(compact.castTo(DataType.INT32).data().asInt());
        }

        @Override
        long intValue(Object data, int index) {
            return ((byte[]) data)[index] & 0xFF;
        }
    },
    /** {@code short[]}. */
    INT16(2, DataType.INT16) {
        @Override
        Object allocate(int length) {
            return new short[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.asShortBuffer().get((short[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.asShortBuffer().put((short[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((short[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            int[] ints = compact.castTo(DataType.INT32).data().asInt();
            short[] shorts = new short[ints.length];
            for (int i = 0; i < ints.length; i++) {
                shorts[i] = (short) ints[i];
            }
            return shorts;
        }

        @Override
        long intValue(Object data, int index) {
            return ((short[]) data)[index];
        }
    },
    /** {@code int[]}. */
    INT32(4, DataType.INT32) {
        @Override
        Object allocate(int length) {
            return new int[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.asIntBuffer().get((int[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.asIntBuffer().put((int[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((int[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return compact.data().asInt();
        }

        @Override
        long intValue(Object data, int index) {
            return ((int[]) data)[index];
        }
    },
    /** {@code long[]}. */
    INT64(8, DataType.INT64) {
        @Override
        Object allocate(int length) {
            return new long[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            src.asLongBuffer().get((long[]) dst, offset, count);
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            dst.asLongBuffer().put((long[]) src, offset, count);
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((long[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            return compact.data().asLong();
        }

        @Override
        long intValue(Object data, int index) {
            return ((long[]) data)[index];
        }
    },
    /** {@code boolean[]}; any non-zero byte reads as {@code true}, as in NumPy. */
    BOOL(1, DataType.BOOL) {
        @Override
        Object allocate(int length) {
            return new boolean[length];
        }

        @Override
        void decode(ByteBuffer src, Object dst, int offset, int count) {
            boolean[] out = (boolean[]) dst;
            for (int i = 0; i < count; i++) {
                out[offset + i] = src.get() != 0;
            }
        }

        @Override
        void encode(Object src, int offset, int count, ByteBuffer dst) {
            boolean[] in = (boolean[]) src;
            for (int i = 0; i < count; i++) {
                dst.put(in[offset + i] ? (byte) 1 : (byte) 0);
            }
        }

        @Override
        INDArray create(Object data, long[] shape) {
            return Nd4j.create((boolean[]) data, shape, dataType());
        }

        @Override
        Object extract(INDArray compact) {
            int[] ints = compact.castTo(DataType.INT32).data().asInt();
            boolean[] out = new boolean[ints.length];
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i] != 0;
            }
            return out;
        }
    };

    /** Bytes moved per chunk when decoding or encoding; a multiple of every width. */
    static final int CHUNK_BYTES = 1 << 16;

    private final int width;
    private final DataType dataType;

    ElementType(int width, DataType dataType) {
        this.width = width;
        this.dataType = dataType;
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
    abstract Object allocate(int length);

    /** Decodes {@code count} elements from {@code src} (its position and byte order) into {@code dst[offset..]}. */
    abstract void decode(ByteBuffer src, Object dst, int offset, int count);

    /** Encodes {@code src[offset..offset+count)} into {@code dst} at its position, in its byte order. */
    abstract void encode(Object src, int offset, int count, ByteBuffer dst);

    /** An ND4J array in C order over a non-empty data array whose length is the product of {@code shape}. */
    abstract INDArray create(Object data, long[] shape);

    /** The data array of a compact C-order array of this type (its buffer holds exactly its elements). */
    abstract Object extract(INDArray compact);

    /** The integer value at {@code index}; only for integer types. */
    long intValue(Object data, int index) {
        throw new UnsupportedOperationException(name() + " is not an integer type");
    }

    /** Whether {@link #intValue} is defined. */
    boolean isInteger() {
        return this == INT8 || this == UINT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** A copy of {@code data} (a data array of this type) resized to {@code length}. */
    Object resize(Object data, int length) {
        switch (this) {
            case FLOAT32:
                return Arrays.copyOf((float[]) data, length);
            case FLOAT64:
                return Arrays.copyOf((double[]) data, length);
            case INT8:
            case UINT8:
                return Arrays.copyOf((byte[]) data, length);
            case INT16:
                return Arrays.copyOf((short[]) data, length);
            case INT32:
                return Arrays.copyOf((int[]) data, length);
            case INT64:
                return Arrays.copyOf((long[]) data, length);
            case BOOL:
                return Arrays.copyOf((boolean[]) data, length);
            default:
                throw new AssertionError(this);
        }
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
        int length = java.lang.reflect.Array.getLength(data);
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

    private static byte[] narrowToBytes(int[] ints) {
        byte[] bytes = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            bytes[i] = (byte) ints[i];
        }
        return bytes;
    }
}
