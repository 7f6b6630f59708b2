package dev.al4j.spark;

import dev.al4j.core.Checks;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * k-means sampling on Spark (the "KMeansSampling" baseline of DeepAL and of seed 003, Table 6, as al-strategies'
 * {@code KMeansSampling}): Spark MLlib's {@link KMeans} with {@code k = b} on the candidates' embeddings (its
 * k-means‖ initialisation, Bahmani et al. 2012, then at most 10 Lloyd iterations, seeded), then the candidate nearest
 * each centroid (ties toward the lower id), in MLlib's centroid order. A cluster left empty is replaced by the
 * candidate farthest from its centroid among those not chosen, so exactly {@code min(b, N)} distinct ids come back;
 * with {@code b >= N} every candidate, ascending. Not equal to the single-machine selection (another seeding and
 * another random stream), the same method. The {@linkplain SparkSelection#cost() cost} is MLlib's k-means training
 * cost {@code Σ_i min_c ‖x_i − μ_c‖²}; the selection has no per-id scores (NaN).
 *
 * <p>Cost: MLlib's O(I·N·b·d) work in O(I) jobs, then one pass O(N·b·d) for the representatives;
 * {@code O(P·b)} pairs collected by the driver. Immutable and thread-safe.
 *
 * <pre>{@code
 * SparkSelection next = SparkStrategies.kMeans().withSeed(3).select(pool, 100);
 * }</pre>
 */
public final class KMeansOnSpark implements SparkStrategy {

    static final int MAX_ITERATIONS = 10;

    private final long seed;

    private KMeansOnSpark(long seed) {
        this.seed = seed;
    }

    static KMeansOnSpark create() {
        return new KMeansOnSpark(0L);
    }

    /** A copy with another seed for MLlib's initialisation. */
    public KMeansOnSpark withSeed(long seed) {
        return new KMeansOnSpark(seed);
    }

    @Override
    public SparkSelection select(SparkPool pool, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        Inputs.Shape shape = Inputs.validate(pool, Inputs.Output.EMBEDDINGS, toString());
        String column = Inputs.column(pool, Inputs.Output.EMBEDDINGS, toString());
        long[] labeled = Inputs.sortedLabeled(pool);
        Dataset<Row> rows = pool.data().select(functions.col(pool.idColumn()).cast("long").as("id"),
                functions.col(column).as("emb"));
        if (labeled.length > 0) {
            rows = rows.filter(functions.not(functions.col("id").isin(Arrays.stream(labeled).boxed().toArray())));
        }
        if (budget == 0 || shape.candidates() == 0) {
            return SparkSelection.of(new long[0], new double[0], System.nanoTime() - start);
        }
        if (budget >= shape.candidates()) {
            long[] all = rows.select("id").sort("id").collectAsList().stream().mapToLong(r -> r.getLong(0))
                    .toArray();
            return SparkSelection.withCost(all, nans(all.length), 0.0, System.nanoTime() - start);
        }
        Dataset<Row> features = rows.select(functions.col("id"),
                org.apache.spark.ml.functions.array_to_vector(functions.col("emb")).as("features")).cache();
        try {
            KMeansModel model = new KMeans().setK(budget).setSeed(seed).setMaxIter(MAX_ITERATIONS)
                    .setFeaturesCol("features").fit(features);
            Vector[] centres = model.clusterCenters();
            double[][] c = new double[centres.length][];
            for (int j = 0; j < c.length; j++) {
                c[j] = centres[j].toArray();
            }
            int b = budget;
            List<Nearest> parts = features.toJavaRDD().mapPartitions((Iterator<Row> it) ->
                    Collections.singletonList(Nearest.of(it, c, b)).iterator()).collect();
            long[] ids = representatives(parts, c.length, b);
            return SparkSelection.withCost(ids, nans(ids.length), model.summary().trainingCost(),
                    System.nanoTime() - start);
        } finally {
            features.unpersist();
        }
    }

    private static double[] nans(int n) {
        double[] s = new double[n];
        Arrays.fill(s, Double.NaN);
        return s;
    }

    /** Per cluster the nearest row (ties toward the lower id), and the b rows farthest from their centroid. */
    static final class Nearest implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] best;
        final long[] bestId;
        final TopScores farthest;

        Nearest(int k, int b) {
            best = new double[k];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            bestId = new long[k];
            Arrays.fill(bestId, Long.MAX_VALUE);
            farthest = new TopScores(b);
        }

        static Nearest of(Iterator<Row> it, double[][] c, int b) {
            Nearest n = new Nearest(c.length, b);
            while (it.hasNext()) {
                Row row = it.next();
                long id = row.getLong(0);
                double[] x = ((Vector) row.get(1)).toArray();
                int cluster = 0;
                double dist = Double.POSITIVE_INFINITY;
                for (int j = 0; j < c.length; j++) {
                    double s = 0;
                    for (int k = 0; k < x.length; k++) {
                        double v = x[k] - c[j][k];
                        s += v * v;
                    }
                    if (s < dist) {
                        dist = s;
                        cluster = j;
                    }
                }
                if (dist < n.best[cluster] || (dist == n.best[cluster] && id < n.bestId[cluster])) {
                    n.best[cluster] = dist;
                    n.bestId[cluster] = id;
                }
                n.farthest.offer(dist, id);
            }
            return n;
        }
    }

    private static long[] representatives(List<Nearest> parts, int k, int b) {
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        long[] bestId = new long[k];
        Arrays.fill(bestId, Long.MAX_VALUE);
        TopScores farthest = new TopScores(b);
        for (Nearest p : parts) {
            for (int j = 0; j < k; j++) {
                if (p.best[j] < best[j] || (p.best[j] == best[j] && p.bestId[j] < bestId[j])) {
                    best[j] = p.best[j];
                    bestId[j] = p.bestId[j];
                }
            }
            farthest.addAll(p.farthest);
        }
        java.util.LinkedHashSet<Long> chosen = new java.util.LinkedHashSet<>();
        for (int j = 0; j < k; j++) {
            if (bestId[j] != Long.MAX_VALUE) {
                chosen.add(bestId[j]);
            }
        }
        for (long id : farthest.toSelection(0).ids()) {
            if (chosen.size() >= b) {
                break;
            }
            chosen.add(id);
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KMeansOnSpark x && x.seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(seed);
    }

    @Override
    public String toString() {
        return "SparkStrategies.kMeans()" + (seed == 0 ? "" : ".withSeed(" + seed + ")");
    }
}
