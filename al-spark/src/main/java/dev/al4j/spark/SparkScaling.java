package dev.al4j.spark;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Spark scaling table of {@code benchmarks/README.md}: wall-clock time of each al-spark strategy on synthetic
 * Parquet pools of growing size (validation and every Spark job included), beside the single-machine strategy on
 * in-memory arrays of the same size and distribution. One timed run per cell after one warm-up run on the smallest
 * size: a scaling picture, not a JMH measurement.
 *
 * <pre>{@code
 * java @al-spark/spark-jvm.options -Xmx8g -cp "al-spark/target/al4j-spark.jar:$(cat al-spark/target/spark-classpath.txt)" \
 *     dev.al4j.spark.SparkScaling local[2] /tmp/al4j-spark-bench 100000,1000000,10000000 100000,1000000 100
 * }</pre>
 * Arguments: master, a scratch directory for the Parquet files, the entropy sizes (K = 10), the k-center/BADGE sizes
 * (d = 128, K = 10), the budget of k-center and BADGE (entropy selects 1000).
 */
public final class SparkScaling {

    private SparkScaling() {}

    public static void main(String[] args) throws Exception {
        String master = args[0];
        Path dir = Path.of(args[1]);
        long[] entropySizes = sizes(args[2]);
        long[] denseSizes = sizes(args[3]);
        int b = Integer.parseInt(args[4]);
        Files.createDirectories(dir);
        SparkSession spark = SparkSelect.session(master);
        List<String> lines = new ArrayList<>();
        lines.add("| strategy | N | d | b | al-spark local[2] (s) | single machine (s) |");
        lines.add("|---|---|---|---|---|---|");
        // warm-up: the JIT, Spark's code generation, ND4J's start-up
        run(spark, dir, "entropy", entropySizes[0], 0, 1000, false);
        runLocal("entropy", (int) entropySizes[0], 0, 1000);
        for (long n : entropySizes) {
            lines.add(row("entropy", n, 0, 1000, run(spark, dir, "entropy", n, 0, 1000, false),
                    runLocal("entropy", (int) n, 0, 1000)));
            System.err.println(lines.get(lines.size() - 1));
        }
        for (long n : denseSizes) {
            for (String s : new String[] {"kcenter", "badge"}) {
                double local = runLocal(s, (int) n, 128, b);
                lines.add(row(s + " exact", n, 128, b, run(spark, dir, s, n, 128, b, false), local));
                System.err.println(lines.get(lines.size() - 1));
                lines.add(row(s + " scalable", n, 128, b, run(spark, dir, s, n, 128, b, true), local));
                System.err.println(lines.get(lines.size() - 1));
            }
        }
        System.out.println(String.join("\n", lines));
        spark.stop();
    }

    private static long[] sizes(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static String row(String strategy, long n, int d, int b, double spark, double local) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %d | %.1f | %s |", strategy, n, d == 0 ? "–" : d, b,
                spark, Double.isNaN(local) ? "–" : String.format(Locale.ROOT, "%.2f", local));
    }

    /** Seconds for one al-spark selection on the Parquet pool of n rows (written first if absent). */
    private static double run(SparkSession spark, Path dir, String strategy, long n, int d, int b,
            boolean scalable) {
        Path file = dir.resolve("pool-" + n + "-" + d + ".parquet");
        if (!Files.exists(file)) {
            write(spark, file, n, d);
        }
        SparkPool pool = SparkPool.of(spark.read().parquet(file.toString())).withProbabilitiesColumn("probs");
        pool = d == 0 ? pool : pool.withEmbeddingsColumn("emb");
        Mode mode = scalable ? Mode.SCALABLE : Mode.EXACT;
        SparkStrategy s = SparkSelect.strategy(strategy, mode, 0L);
        long start = System.nanoTime();
        SparkSelection selection = s.select(pool, b);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "%s %s n=%d: %.1f s, radius %s, cost %s%n", strategy, mode, n, seconds,
                selection.radius(), selection.cost());
        return seconds;
    }

    /** Probabilities: a softmax of 10 uniform logits times 3; embeddings: d standard normals. */
    private static void write(SparkSession spark, Path file, long n, int d) {
        StringBuilder logits = new StringBuilder("array(");
        for (int c = 0; c < 10; c++) {
            logits.append(c == 0 ? "" : ", ").append("exp(3 * rand(").append(c + 1).append("))");
        }
        logits.append(")");
        List<String> cols = new ArrayList<>(List.of("id", "CAST(transform(l, x -> x / aggregate(l, 0D, (s, y) -> s + y))"
                + " AS array<float>) AS probs"));
        if (d > 0) {
            StringBuilder emb = new StringBuilder("CAST(array(");
            for (int k = 0; k < d; k++) {
                emb.append(k == 0 ? "" : ", ").append("randn(").append(100 + k).append(")");
            }
            cols.add(emb.append(") AS array<float>) AS emb").toString());
        }
        spark.range(n).selectExpr("id", logits + " AS l").selectExpr(cols.toArray(new String[0])).write()
                .parquet(file.toString());
    }

    /** Seconds for the single-machine strategy on in-memory arrays of the same shape (NaN when too big here). */
    private static double runLocal(String strategy, int n, int d, int b) {
        SplittableRandom random = new SplittableRandom(1);
        float[] p = new float[n * 10];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                double v = Math.exp(3 * random.nextDouble());
                p[i * 10 + c] = (float) v;
                sum += v;
            }
            for (int c = 0; c < 10; c++) {
                p[i * 10 + c] = (float) (p[i * 10 + c] / sum);
            }
        }
        PrecomputedModel.Builder builder = PrecomputedModel.builder(Nd4j.create(p, new long[] {n, 10}, 'c'));
        if (d > 0) {
            float[] e = new float[n * d];
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) gaussian(random);
            }
            builder.embeddings(Nd4j.create(e, new long[] {n, d}, 'c'));
        }
        Model model = builder.build();
        Pool pool = Pool.withoutInputs(n, 10);
        Supplier<QueryStrategy> s = switch (strategy) {
            case "entropy" -> Strategies::entropy;
            case "kcenter" -> Strategies::kCenterGreedy;
            default -> Strategies::badge;
        };
        long start = System.nanoTime();
        s.get().select(pool, model, b);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
