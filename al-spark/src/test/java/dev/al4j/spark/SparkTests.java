package dev.al4j.spark;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One local[2] SparkSession for every test class of the module (started once per test JVM, on the loopback address,
 * without web UI), and the small data sets the tests compare on: row-major arrays with their Spark rows and the
 * single-machine pool and model over the same floats.
 */
final class SparkTests {

    private static SparkSession spark;

    private SparkTests() {}

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("al-spark tests")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    /** {@code n} rows of {@code k} random probabilities (a softmax of Gaussian logits times {@code scale}). */
    static float[][] probabilities(int n, int k, double scale, SplittableRandom random) {
        float[][] p = new float[n][k];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(scale * random.nextDouble(-1, 1));
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                p[i][c] = (float) (z[c] / sum);
            }
        }
        return p;
    }

    /** {@code n} Gaussian points of dimension {@code d} around {@code centres} random cluster centres. */
    static float[][] blobs(int n, int d, int centres, SplittableRandom random) {
        float[][] c = new float[centres][d];
        for (float[] row : c) {
            for (int k = 0; k < d; k++) {
                row[k] = (float) (10 * random.nextDouble(-1, 1));
            }
        }
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            float[] centre = c[random.nextInt(centres)];
            for (int k = 0; k < d; k++) {
                x[i][k] = centre[k] + (float) random.nextDouble(-1, 1);
            }
        }
        return x;
    }

    static float[] flat(float[][] rows) {
        int w = rows[0].length;
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    /** Rows {@code (id = i, column = values[i])} in a shuffled order, in {@code partitions} partitions. */
    static Dataset<Row> dataset(String column, Object[] values, int partitions, long seed) {
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add(column,
                values instanceof float[][][] ? DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType))
                        : DataTypes.createArrayType(DataTypes.FloatType), true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(RowFactory.create((long) i, values[i]));
        }
        java.util.Collections.shuffle(rows, new java.util.Random(seed));
        return spark().createDataFrame(rows, schema).repartition(partitions).cache();
    }

    /** Rows {@code (id = i, p = probs[i], e = emb[i])} in a shuffled order, in {@code partitions} partitions. */
    static Dataset<Row> dataset(float[][] probs, float[][] emb, int partitions, long seed) {
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("p", DataTypes.createArrayType(DataTypes.FloatType), true)
                .add("e", DataTypes.createArrayType(DataTypes.FloatType), true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            rows.add(RowFactory.create((long) i, probs[i], emb[i]));
        }
        java.util.Collections.shuffle(rows, new java.util.Random(seed));
        return spark().createDataFrame(rows, schema).repartition(partitions).cache();
    }

    /** The single-machine pool of {@code n} ids with these labels. */
    static Pool pool(int n, int k, int[] labeled, int[] labels) {
        return Pool.withoutInputs(n, k).withLabels(labeled, labels);
    }

    static PrecomputedModel.Builder model(float[][] probabilities) {
        return PrecomputedModel.builder(Nd4j.create(flat(probabilities), new long[] {probabilities.length,
                probabilities[0].length}, 'c'));
    }

    static long[] longs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
