package dev.al4j.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** Array cells of a {@link Row} as Java {@code float}s (the precision al4j's strategies score in). */
final class RowValues {

    private RowValues() {}

    /** The id in column {@code i} ({@code long} or {@code int}). */
    static long id(Row row, int i) {
        return ((Number) row.get(i)).longValue();
    }

    /** An {@code array<float|double>} cell. */
    static float[] flat(Row row, int i, String column, long id) {
        return floats(row.getList(i), column, id);
    }

    /** An {@code array<array<float|double>>} cell, one array per pass. */
    static float[][] nested(Row row, int i, String column, long id) {
        List<Object> outer = row.getList(i);
        float[][] out = new float[outer.size()][];
        for (int t = 0; t < out.length; t++) {
            Object inner = outer.get(t);
            if (inner == null) {
                throw nullValue(column, id);
            }
            out[t] = floats(scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) inner), column,
                    id);
        }
        return out;
    }

    /** Copies {@code values} into {@code dst} from {@code offset}, or fails when its length is not {@code width}. */
    static void copy(float[] values, float[] dst, int offset) {
        System.arraycopy(values, 0, dst, offset, values.length);
    }

    private static float[] floats(List<?> values, String column, long id) {
        float[] out = new float[values.size()];
        for (int c = 0; c < out.length; c++) {
            Object v = values.get(c);
            if (v == null) {
                throw nullValue(column, id);
            }
            out[c] = ((Number) v).floatValue();
        }
        return out;
    }

    private static IllegalArgumentException nullValue(String column, long id) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "column \"%s\": the row of id %d holds a null value", column, id));
    }
}
