package dev.al4j.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A validated array copied once, in C order, into a Java array (a {@code double[]} for a {@code DOUBLE} array, a
 * {@code float[]} for any other type, which converts exactly: every valid probability of a half-precision or integer
 * array is a float), read as rows of {@code columns} values: every dimension but the last counts rows. Gathers rows
 * by id with one {@code System.arraycopy} per run of consecutive ids (all candidates, sorted, is one run), with no
 * ND4J op; {@link #rows} builds the {@code INDArray} of the source's data type from the gathered values, so the
 * values are those {@code Nd4j.pullRows} gives. Immutable, thread-safe. The copy costs 4 bytes per value (8 for
 * {@code DOUBLE}) on the heap.
 */
final class RowTable {

    /** The source's data type, which {@link #rows} keeps. */
    final DataType dataType;
    private final int columns;
    private final float[] floats; // null when doubles holds the values
    private final double[] doubles; // null when floats holds them

    /** Copies {@code source}; its length must fit a Java array ({@link Checks#checkProbabilities} ensures it). */
    RowTable(INDArray source, int columns) {
        this.dataType = source.dataType();
        this.columns = columns;
        INDArray c = source.dup('c'); // a fresh C-order array: its buffer is exactly its values
        if (dataType == DataType.DOUBLE) {
            this.doubles = c.data().asDouble();
            this.floats = null;
        } else {
            this.floats = (dataType == DataType.FLOAT ? c : c.castTo(DataType.FLOAT)).data().asFloat();
            this.doubles = null;
        }
        long copied = doubles != null ? doubles.length : floats.length;
        Checks.checkState(copied == source.length(), "copied %d values from an array of length %d", copied,
                source.length());
    }

    /**
     * Rows {@code ids[i] + offset}, in that order, as an array of the source's data type and the given shape (whose
     * length is {@code ids.length * columns}).
     */
    INDArray rows(int[] ids, int offset, long... shape) {
        if (ids.length == 0) {
            return Nd4j.create(dataType, shape);
        }
        if (doubles != null) {
            return Nd4j.create(gather(doubles, ids, offset), shape, 'c');
        }
        INDArray out = Nd4j.create(gather(floats, ids, offset), shape, 'c');
        return dataType == DataType.FLOAT ? out : out.castTo(dataType);
    }

    /**
     * Rows {@code ids[i] + offset}, in that order, row-major as floats: a {@code DOUBLE} source is rounded to
     * nearest, as {@code castTo(DataType.FLOAT)} rounds it, so the values equal those of {@code rows(...)} read as
     * floats.
     */
    float[] floatRows(int[] ids, int offset) {
        if (floats != null) {
            return gather(floats, ids, offset);
        }
        float[] out = new float[Math.multiplyExact(ids.length, columns)];
        for (int i = 0; i < ids.length; ) {
            int run = run(ids, i);
            int from = (ids[i] + offset) * columns;
            for (int at = i * columns, end = (i + run) * columns; at < end; at++, from++) {
                out[at] = (float) doubles[from];
            }
            i += run;
        }
        return out;
    }

    /**
     * The {@code float} values themselves, or {@code null} when this table holds doubles: lent read-only to
     * {@link RowArrays#sharedProbabilityRows} readers.
     */
    float[] sharedFloats() {
        return floats;
    }

    private float[] gather(float[] source, int[] ids, int offset) {
        float[] out = new float[Math.multiplyExact(ids.length, columns)];
        for (int i = 0; i < ids.length; ) {
            int run = run(ids, i);
            System.arraycopy(source, (ids[i] + offset) * columns, out, i * columns, run * columns);
            i += run;
        }
        return out;
    }

    private double[] gather(double[] source, int[] ids, int offset) {
        double[] out = new double[Math.multiplyExact(ids.length, columns)];
        for (int i = 0; i < ids.length; ) {
            int run = run(ids, i);
            System.arraycopy(source, (ids[i] + offset) * columns, out, i * columns, run * columns);
            i += run;
        }
        return out;
    }

    /** The length of the run of consecutive ids starting at {@code ids[from]} (at least 1). */
    static int run(int[] ids, int from) {
        int run = 1;
        while (from + run < ids.length && ids[from + run] == ids[from] + run) {
            run++;
        }
        return run;
    }
}
