package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Every bad input of issue 17 fails with one IllegalArgumentException naming the column or id. */
class BadInputTest {

    static final StructType PROBS = new StructType().add("id", DataTypes.LongType)
            .add("p", DataTypes.createArrayType(DataTypes.FloatType));

    /** Ten good rows {@code (i, [0.25, 0.75])}, then {@code extra}. */
    static Dataset<Row> rows(StructType schema, Object[]... extra) {
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < 10; i++) {
            rows.add(RowFactory.create(i, new float[] {0.25f, 0.75f}));
        }
        for (Object[] r : extra) {
            rows.add(RowFactory.create(r));
        }
        return SparkTests.spark().createDataFrame(rows, schema).repartition(2);
    }

    static String message(SparkStrategy strategy, SparkPool pool) {
        return assertThrows(IllegalArgumentException.class, () -> strategy.select(pool, 3)).getMessage();
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        SparkPool pool = SparkPool.of(rows(PROBS)).withProbabilitiesColumn("probs");
        assertEquals("column \"probs\" not found; the data has [id, p]", message(SparkStrategies.entropy(), pool));
        assertEquals("column \"key\" not found; the data has [id, p]",
                message(SparkStrategies.entropy(), SparkPool.of(rows(PROBS)).withIdColumn("key")
                        .withProbabilitiesColumn("p")));
    }

    @Test
    void aColumnTheStrategyNeedsButNobodyNamedIsReported() {
        assertEquals("strategy SparkStrategies.entropy() needs a probabilities column (withProbabilitiesColumn)",
                message(SparkStrategies.entropy(), SparkPool.of(rows(PROBS))));
        assertEquals("strategy SparkStrategies.kCenterGreedy() needs an embeddings column (withEmbeddingsColumn)",
                message(SparkStrategies.kCenterGreedy(), SparkPool.of(rows(PROBS)).withProbabilitiesColumn("p")));
    }

    @Test
    void wronglyTypedColumnsAreReportedWithTheirType() {
        StructType strings = new StructType().add("id", DataTypes.LongType).add("p", DataTypes.StringType);
        Dataset<Row> d = SparkTests.spark().createDataFrame(List.of(RowFactory.create(1L, "0.5,0.5")), strings);
        assertEquals("column \"p\" must be array<float> or array<double>, found string",
                message(SparkStrategies.entropy(), SparkPool.of(d).withProbabilitiesColumn("p")));
        StructType stringIds = new StructType().add("id", DataTypes.StringType)
                .add("p", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> e = SparkTests.spark().createDataFrame(
                List.of(RowFactory.create("a", new float[] {1f})), stringIds);
        assertEquals("column \"id\" must hold long or int ids, found string",
                message(SparkStrategies.entropy(), SparkPool.of(e).withProbabilitiesColumn("p")));
        assertEquals("column \"p\" must be array<array<float>> or array<array<double>> (T passes of K"
                + " probabilities), found array<float>",
                message(SparkStrategies.bald(), SparkPool.of(rows(PROBS)).withMcProbabilitiesColumn("p")));
    }

    @Test
    void rowsOfDifferentLengthsAreReportedWithBothIds() {
        SparkPool pool = SparkPool.of(rows(PROBS, new Object[] {42L, new float[] {0.2f, 0.3f, 0.5f}}).coalesce(1))
                .withProbabilitiesColumn("p");
        String m = message(SparkStrategies.entropy(), pool);
        assertEquals(true, m.startsWith("column \"p\": rows of different lengths: id "), m);
        assertEquals(true, m.contains("id 42 has 3"), m);
    }

    @Test
    void nanAndInfinityAreReportedWithTheId() {
        assertEquals("column \"p\": the row of id 42 holds NaN at index 1", message(SparkStrategies.entropy(),
                SparkPool.of(rows(PROBS, new Object[] {42L, new float[] {0.5f, Float.NaN}}))
                        .withProbabilitiesColumn("p")));
        assertEquals("column \"p\": the row of id 43 holds infinity at index 0",
                message(SparkStrategies.kCenterGreedy(), SparkPool.of(rows(PROBS,
                        new Object[] {43L, new float[] {Float.NEGATIVE_INFINITY, 1f}})).withEmbeddingsColumn("p")));
    }

    @Test
    void logitsAreNotProbabilities() {
        String m = message(SparkStrategies.margin(), SparkPool.of(rows(PROBS,
                new Object[] {44L, new float[] {2.5f, -1f}})).withProbabilitiesColumn("p"));
        assertEquals(true, m.startsWith("column \"p\": the row of id 44 is not a probability row"), m);
    }

    @Test
    void nullRowsAndNullIdsAreReported() {
        assertEquals("column \"p\": the row of id 45 is null", message(SparkStrategies.entropy(),
                SparkPool.of(rows(PROBS, new Object[] {45L, null})).withProbabilitiesColumn("p")));
        assertEquals("column \"id\": a row has a null id", message(SparkStrategies.entropy(),
                SparkPool.of(rows(PROBS, new Object[] {null, new float[] {0.5f, 0.5f}}))
                        .withProbabilitiesColumn("p")));
    }

    @Test
    void duplicateIdsAreReported() {
        assertEquals("column \"id\": id 7 appears 2 times, ids must be distinct", message(SparkStrategies.entropy(),
                SparkPool.of(rows(PROBS, new Object[] {7L, new float[] {0.5f, 0.5f}}))
                        .withProbabilitiesColumn("p")));
    }

    @Test
    void labeledIdsAbsentFromTheDataAndLabelsAboveKAreReported() {
        SparkPool pool = SparkPool.of(rows(PROBS)).withProbabilitiesColumn("p");
        assertEquals("labeled id 999 is not in the data (column \"id\")", message(SparkStrategies.entropy(),
                pool.withLabeled(new long[] {3, 999}, new int[] {0, 1})));
        assertEquals("the label of labeled id 3 must be in [0, 2) (K from column \"p\"), found 2",
                message(SparkStrategies.entropy(), pool.withLabeled(new long[] {3}, new int[] {2})));
        assertEquals("labeled ids must be distinct, found id 3 twice", assertThrows(IllegalArgumentException.class,
                () -> pool.withLabeled(new long[] {3, 3}, new int[] {0, 1})).getMessage());
    }

    @Test
    void aNegativeBudgetIsRefused() {
        SparkPool pool = SparkPool.of(rows(PROBS)).withProbabilitiesColumn("p");
        assertEquals("budget must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
                () -> SparkStrategies.entropy().select(pool, -1)).getMessage());
    }
}
