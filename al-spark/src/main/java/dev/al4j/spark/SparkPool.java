package dev.al4j.spark;

import dev.al4j.core.Checks;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A pool on Spark: a {@code Dataset<Row>} with one row per sample, a {@code long} (or {@code int}) id column and the
 * model outputs as array columns, plus the labeled ids and their labels (small: held by the driver). Which columns
 * hold which output is named by the caller; a strategy reads only the ones it needs:
 * <ul>
 *   <li>probabilities: {@code array<float>} or {@code array<double>}, {@code K} class probabilities per row;</li>
 *   <li>embeddings: {@code array<float>} or {@code array<double>}, {@code d} features per row;</li>
 *   <li>MC probabilities: {@code array<array<float|double>>}, {@code T} passes of {@code K} probabilities per row.</li>
 * </ul>
 * Values are read as {@code float}s, as al4j's single-machine strategies read them, so the same numbers give the same
 * selection. The candidates are every row whose id is not labeled.
 *
 * <p>Immutable; thread-safe as far as the {@code Dataset} is. {@code equals} compares the dataset by identity.
 *
 * <pre>{@code
 * SparkPool pool = SparkPool.of(spark.read().parquet("outputs.parquet"))
 *         .withIdColumn("id").withProbabilitiesColumn("probs").withLabeled(new long[] {3, 9}, new int[] {0, 2});
 * SparkSelection next = SparkStrategies.entropy().select(pool, 1000);
 * }</pre>
 */
public final class SparkPool {

    private final Dataset<Row> data;
    private final String idColumn;
    private final String probabilitiesColumn;
    private final String embeddingsColumn;
    private final String mcProbabilitiesColumn;
    private final long[] labeledIds;
    private final int[] labels;

    private SparkPool(Dataset<Row> data, String idColumn, String probabilitiesColumn, String embeddingsColumn,
            String mcProbabilitiesColumn, long[] labeledIds, int[] labels) {
        this.data = data;
        this.idColumn = idColumn;
        this.probabilitiesColumn = probabilitiesColumn;
        this.embeddingsColumn = embeddingsColumn;
        this.mcProbabilitiesColumn = mcProbabilitiesColumn;
        this.labeledIds = labeledIds;
        this.labels = labels;
    }

    /** A pool over {@code data}: id column {@code "id"}, no output column named yet, nothing labeled. */
    public static SparkPool of(Dataset<Row> data) {
        return new SparkPool(Checks.checkNotNull(data, "data"), "id", null, null, null, new long[0], new int[0]);
    }

    /** A copy whose ids are in {@code column} ({@code long} or {@code int}, distinct, not null). */
    public SparkPool withIdColumn(String column) {
        return new SparkPool(data, checkName(column, "idColumn"), probabilitiesColumn, embeddingsColumn,
                mcProbabilitiesColumn, labeledIds, labels);
    }

    /** A copy whose class probabilities are in {@code column}. */
    public SparkPool withProbabilitiesColumn(String column) {
        return new SparkPool(data, idColumn, checkName(column, "probabilitiesColumn"), embeddingsColumn,
                mcProbabilitiesColumn, labeledIds, labels);
    }

    /** A copy whose embeddings (penultimate features) are in {@code column}. */
    public SparkPool withEmbeddingsColumn(String column) {
        return new SparkPool(data, idColumn, probabilitiesColumn, checkName(column, "embeddingsColumn"),
                mcProbabilitiesColumn, labeledIds, labels);
    }

    /** A copy whose MC-dropout probabilities ({@code T} arrays of {@code K} per row) are in {@code column}. */
    public SparkPool withMcProbabilitiesColumn(String column) {
        return new SparkPool(data, idColumn, probabilitiesColumn, embeddingsColumn,
                checkName(column, "mcProbabilitiesColumn"), labeledIds, labels);
    }

    /**
     * A copy with these labeled ids and their labels (same length, ids distinct; labels {@code >= 0}; whether each id
     * is in the data and each label below {@code K} is checked when a strategy runs, before any long work).
     */
    public SparkPool withLabeled(long[] ids, int[] labels) {
        Checks.checkNotNull(ids, "ids");
        Checks.checkNotNull(labels, "labels");
        Checks.checkArgument(ids.length == labels.length, "labeled ids and labels must have the same length, found"
                + " %d and %d", ids.length, labels.length);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            Checks.checkArgument(seen.add(ids[i]), "labeled ids must be distinct, found id %d twice", ids[i]);
            Checks.checkArgument(labels[i] >= 0, "labels[%d] must be >= 0, found %d", i, labels[i]);
        }
        return new SparkPool(data, idColumn, probabilitiesColumn, embeddingsColumn, mcProbabilitiesColumn,
                ids.clone(), labels.clone());
    }

    /** The rows. */
    public Dataset<Row> data() {
        return data;
    }

    /** The id column's name. */
    public String idColumn() {
        return idColumn;
    }

    /** The probabilities column, if named. */
    public Optional<String> probabilitiesColumn() {
        return Optional.ofNullable(probabilitiesColumn);
    }

    /** The embeddings column, if named. */
    public Optional<String> embeddingsColumn() {
        return Optional.ofNullable(embeddingsColumn);
    }

    /** The MC probabilities column, if named. */
    public Optional<String> mcProbabilitiesColumn() {
        return Optional.ofNullable(mcProbabilitiesColumn);
    }

    /** The labeled ids (a copy), in the order given. */
    public long[] labeledIds() {
        return labeledIds.clone();
    }

    /** Their labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    private static String checkName(String column, String name) {
        Checks.checkNotNull(column, name);
        Checks.checkArgument(!column.isBlank(), "%s must not be blank, found \"%s\"", name, column);
        return column;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparkPool p && p.data == data && p.idColumn.equals(idColumn)
                && Objects.equals(p.probabilitiesColumn, probabilitiesColumn)
                && Objects.equals(p.embeddingsColumn, embeddingsColumn)
                && Objects.equals(p.mcProbabilitiesColumn, mcProbabilitiesColumn)
                && Arrays.equals(p.labeledIds, labeledIds) && Arrays.equals(p.labels, labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(data), idColumn, probabilitiesColumn, embeddingsColumn,
                mcProbabilitiesColumn, Arrays.hashCode(labeledIds), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SparkPool.of(data)");
        if (!idColumn.equals("id")) {
            b.append(".withIdColumn(\"").append(idColumn).append("\")");
        }
        if (probabilitiesColumn != null) {
            b.append(".withProbabilitiesColumn(\"").append(probabilitiesColumn).append("\")");
        }
        if (embeddingsColumn != null) {
            b.append(".withEmbeddingsColumn(\"").append(embeddingsColumn).append("\")");
        }
        if (mcProbabilitiesColumn != null) {
            b.append(".withMcProbabilitiesColumn(\"").append(mcProbabilitiesColumn).append("\")");
        }
        if (labeledIds.length > 0) {
            b.append(".withLabeled(<").append(labeledIds.length).append(" ids>, <labels>)");
        }
        return b.toString();
    }
}
