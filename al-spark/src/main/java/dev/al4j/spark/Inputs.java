package dev.al4j.spark;

import dev.al4j.strategies.UncertaintyScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and validates a {@link SparkPool}'s columns: the schema on the driver, then one pass over the rows (nulls,
 * lengths, NaN, probability rows, labeled ids present) and one aggregation for duplicate ids, before any strategy's
 * long work. Every failure is one {@link IllegalArgumentException} naming the column and, for a row, its id.
 */
final class Inputs {

    /** What a strategy reads. */
    enum Output {
        PROBABILITIES("probabilities"), EMBEDDINGS("embeddings"), MC_PROBABILITIES("MC probabilities");

        final String description;

        Output(String description) {
            this.description = description;
        }
    }

    /** The validated shape: row count, labeled rows found, and the width of the column read. */
    record Shape(long rows, long candidates, int width, int passes) {}

    private Inputs() {}

    /** The column {@code output} is read from, or the error naming the option a caller forgot. */
    static String column(SparkPool pool, Output output, String strategy) {
        return switch (output) {
            case PROBABILITIES -> pool.probabilitiesColumn().orElseThrow(() -> new IllegalArgumentException(
                    "strategy " + strategy + " needs a probabilities column (withProbabilitiesColumn)"));
            case EMBEDDINGS -> pool.embeddingsColumn().orElseThrow(() -> new IllegalArgumentException(
                    "strategy " + strategy + " needs an embeddings column (withEmbeddingsColumn)"));
            case MC_PROBABILITIES -> pool.mcProbabilitiesColumn().orElseThrow(() -> new IllegalArgumentException(
                    "strategy " + strategy + " needs an MC probabilities column (withMcProbabilitiesColumn)"));
        };
    }

    /**
     * Validates the id column and {@code output}'s column of {@code pool}: schema, then every row, then distinct
     * ids. O(N·width) work in one pass plus one shuffle of the ids.
     */
    static Shape validate(SparkPool pool, Output output, String strategy) {
        String column = column(pool, output, strategy);
        StructType schema = pool.data().schema();
        checkIdType(schema, pool.idColumn());
        checkArrayType(schema, column, output == Output.MC_PROBABILITIES ? 2 : 1);
        long[] labeled = sortedLabeled(pool);
        boolean probabilities = output != Output.EMBEDDINGS;
        boolean nested = output == Output.MC_PROBABILITIES;
        JavaRDD<Row> rows = pool.data().select(functions.col(pool.idColumn()), functions.col(column)).toJavaRDD();
        List<Summary> summaries = rows.mapPartitions(
                (Iterator<Row> it) -> Collections.singletonList(summarise(it, column, nested, probabilities, labeled))
                        .iterator()).collect();
        long count = 0;
        long found = 0;
        Summary first = null;
        for (Summary s : summaries) {
            if (s.problem != null) {
                throw new IllegalArgumentException(s.problem);
            }
            count += s.rows;
            found += s.labeledFound;
            if (s.rows > 0) {
                if (first == null) {
                    first = s;
                } else if (s.width != first.width || s.passes != first.passes) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "column \"%s\": rows of different lengths: id %d has %s, id %d has %s", column,
                            first.firstId, first.describe(nested), s.firstId, s.describe(nested)));
                }
            }
        }
        if (found < labeled.length) {
            long missing = missingLabeled(rows, labeled);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "labeled id %d is not in the data (column \"%s\")", missing, pool.idColumn()));
        }
        List<Row> duplicates = pool.data().groupBy(functions.col(pool.idColumn())).count()
                .filter(functions.col("count").gt(1)).limit(1).collectAsList();
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "column \"%s\": id %s appears %d times, ids"
                    + " must be distinct", pool.idColumn(), duplicates.get(0).get(0), duplicates.get(0).getLong(1)));
        }
        int width = first == null ? 0 : first.width;
        if (probabilities && first != null) {
            int[] labels = pool.labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= width) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "the label of labeled id %d must be"
                            + " in [0, %d) (K from column \"%s\"), found %d", pool.labeledIds()[i], width, column,
                            labels[i]));
                }
            }
        }
        return new Shape(count, count - labeled.length, width, first == null ? 0 : first.passes);
    }

    static long[] sortedLabeled(SparkPool pool) {
        long[] labeled = pool.labeledIds();
        Arrays.sort(labeled);
        return labeled;
    }

    static boolean isLabeled(long[] sortedLabeled, long id) {
        return sortedLabeled.length > 0 && Arrays.binarySearch(sortedLabeled, id) >= 0;
    }

    private static void checkIdType(StructType schema, String id) {
        DataType type = fieldType(schema, id);
        if (!type.equals(DataTypes.LongType) && !type.equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "column \"%s\" must hold long or int ids, found %s", id, type.simpleString()));
        }
    }

    private static void checkArrayType(StructType schema, String column, int depth) {
        DataType type = fieldType(schema, column);
        DataType element = type;
        for (int i = 0; i < depth; i++) {
            if (!(element instanceof ArrayType a)) {
                throw wrongType(column, type, depth);
            }
            element = a.elementType();
        }
        if (!element.equals(DataTypes.FloatType) && !element.equals(DataTypes.DoubleType)) {
            throw wrongType(column, type, depth);
        }
    }

    private static IllegalArgumentException wrongType(String column, DataType type, int depth) {
        String expected = depth == 1 ? "array<float> or array<double>"
                : "array<array<float>> or array<array<double>> (T passes of K probabilities)";
        return new IllegalArgumentException(String.format(Locale.ROOT, "column \"%s\" must be %s, found %s", column,
                expected, type.simpleString()));
    }

    private static DataType fieldType(StructType schema, String column) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f.dataType();
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "column \"%s\" not found; the data has %s",
                column, Arrays.toString(schema.fieldNames())));
    }

    /** One partition's findings. */
    static final class Summary implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        long labeledFound;
        long firstId;
        int width = -1;
        int passes = -1;
        String problem;

        String describe(boolean nested) {
            return nested ? passes + " passes of " + width + " values" : width + " values";
        }
    }

    private static Summary summarise(Iterator<Row> it, String column, boolean nested, boolean probabilities,
            long[] labeled) {
        Summary s = new Summary();
        while (it.hasNext() && s.problem == null) {
            Row row = it.next();
            if (row.isNullAt(0)) {
                s.problem = "column \"" + row.schema().fieldNames()[0] + "\": a row has a null id";
                break;
            }
            long id = ((Number) row.get(0)).longValue();
            if (row.isNullAt(1)) {
                s.problem = String.format(Locale.ROOT, "column \"%s\": the row of id %d is null", column, id);
                break;
            }
            float[][] passes;
            try {
                passes = nested ? RowValues.nested(row, 1, column, id)
                        : new float[][] {RowValues.flat(row, 1, column, id)};
            } catch (IllegalArgumentException e) {
                s.problem = e.getMessage();
                break;
            }
            int width = passes.length == 0 ? 0 : passes[0].length;
            if (s.width < 0) {
                s.width = width;
                s.passes = passes.length;
                s.firstId = id;
            }
            s.problem = checkRow(passes, s, id, column, nested, probabilities);
            s.rows++;
            if (isLabeled(labeled, id)) {
                s.labeledFound++;
            }
        }
        return s;
    }

    private static String checkRow(float[][] passes, Summary s, long id, String column, boolean nested,
            boolean probabilities) {
        if (passes.length != s.passes || (nested && passes.length == 0)) {
            return String.format(Locale.ROOT, "column \"%s\": rows of different lengths: id %d has %d passes, id %d"
                    + " has %d (or a row with no pass)", column, s.firstId, s.passes, id, passes.length);
        }
        for (int t = 0; t < passes.length; t++) {
            float[] v = passes[t];
            if (v.length != s.width || v.length == 0) {
                return String.format(Locale.ROOT, "column \"%s\": rows of different lengths: id %d has %d values,"
                        + " id %d has %d%s", column, s.firstId, s.width, id, v.length, nested ? " in pass " + t : "");
            }
            for (int c = 0; c < v.length; c++) {
                if (!Float.isFinite(v[c])) {
                    return String.format(Locale.ROOT, "column \"%s\": the row of id %d holds %s at index %d", column,
                            id, Float.isNaN(v[c]) ? "NaN" : "infinity", c);
                }
            }
            if (probabilities && !UncertaintyScores.isProbabilityRow(v, 0, v.length)) {
                return String.format(Locale.ROOT, "column \"%s\": the row of id %d%s is not a probability row"
                        + " (entries in [0, 1] summing to 1 within 0.001; logits need a softmax first): %s", column,
                        id, nested ? " (pass " + t + ")" : "", Arrays.toString(v));
            }
        }
        return null;
    }

    private static long missingLabeled(JavaRDD<Row> rows, long[] labeled) {
        List<Long> present = rows.mapPartitions((Iterator<Row> it) -> {
            List<Long> out = new ArrayList<>();
            while (it.hasNext()) {
                Row r = it.next();
                long id = ((Number) r.get(0)).longValue();
                if (isLabeled(labeled, id)) {
                    out.add(id);
                }
            }
            return out.iterator();
        }).collect();
        java.util.Set<Long> set = new java.util.HashSet<>(present);
        for (long id : labeled) {
            if (!set.contains(id)) {
                return id;
            }
        }
        throw new IllegalStateException("every labeled id was found on the second look");
    }
}
