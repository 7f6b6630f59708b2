package dev.al4j.core.io;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An array just parsed from a file: element type, shape and a primitive Java data array, before any ND4J memory is
 * allocated. Package-private: the public readers return {@link INDArray}s or {@code int[]}s.
 */
final class RawArray {

    private final String source;
    private final ElementType type;
    private final long[] shape;
    private final boolean fortranOrder;
    private final Object data;

    RawArray(String source, ElementType type, long[] shape, boolean fortranOrder, Object data) {
        this.source = source;
        this.type = type;
        this.shape = shape.clone();
        this.fortranOrder = fortranOrder;
        this.data = data;
    }

    ElementType type() {
        return type;
    }

    long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape (1 for a rank-0 array). */
    int length() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The parsed data array, in file order (C, or Fortran when {@link #fortranOrder}). Not copied. */
    Object data() {
        return data;
    }

    boolean fortranOrder() {
        return fortranOrder;
    }

    /** A new ND4J array in C order with the matching data type. */
    INDArray toINDArray() {
        if (length() == 0) {
            return Nd4j.create(type.dataType(), shape);
        }
        if (!fortranOrder || shape.length < 2) {
            return type.create(data, shape);
        }
        // Fortran-order data of shape (a, b, c) is the C-order data of shape (c, b, a), transposed.
        int rank = shape.length;
        long[] reversed = new long[rank];
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            reversed[i] = shape[rank - 1 - i];
            axes[i] = rank - 1 - i;
        }
        return type.create(data, reversed).permute(axes).dup('c');
    }

    /**
     * The values of a 1-D integer array as {@code int[]}.
     *
     * @throws MalformedArrayFileException for another rank, a non-integer type or a value outside the int range
     */
    int[] toInts() {
        if (shape.length != 1) {
            throw new MalformedArrayFileException(String.format(Locale.ROOT,
                    "%s: expected a 1-D array of integers, found shape %s", source, Arrays.toString(shape)));
        }
        if (!type.isInteger()) {
            throw new MalformedArrayFileException(String.format(Locale.ROOT,
                    "%s: expected an integer array (int8/uint8/int16/int32/int64), found %s", source, type));
        }
        if (type == ElementType.INT32) {
            return ((int[]) data).clone();
        }
        int n = length();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = type.intValue(data, i);
            if (v != (int) v) {
                throw new MalformedArrayFileException(String.format(Locale.ROOT,
                        "%s: value %d at index %d does not fit in an int (range [%d, %d])", source, v, i,
                        Integer.MIN_VALUE, Integer.MAX_VALUE));
            }
            out[i] = (int) v;
        }
        return out;
    }
}
