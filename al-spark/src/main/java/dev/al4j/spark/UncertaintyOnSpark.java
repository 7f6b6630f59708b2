package dev.al4j.spark;

import dev.al4j.core.Checks;
import dev.al4j.strategies.BayesianUncertaintySampling;
import dev.al4j.strategies.UncertaintySampling;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Uncertainty sampling on Spark: the candidates of highest uncertainty, scored per partition by al-strategies' own
 * kernels ({@link UncertaintySampling.Measure#scoreRows}, {@link BayesianUncertaintySampling.Measure#scoreRows}) on
 * primitive arrays, then an exact distributed top-{@code b}: each partition keeps its best {@code b} (score, id)
 * pairs, the driver merges them. The selection — ids, order and scores — equals the single-machine
 * {@code Strategies.entropy().select(...)} (and its siblings) on the same values, ties toward the lower id: same
 * float inputs, same kernel, same order.
 *
 * <p>Measures: entropy, margin, least confidence and variation ratio on a probabilities column (seed 001's and
 * Settles 2009's uncertainty scores; see {@link UncertaintySampling}); BALD (Houlsby et al. 2011, Gal et al. 2017),
 * MeanSTD and the MC forms on an MC probabilities column (see {@link BayesianUncertaintySampling}).
 *
 * <p>Cost: one validation pass and one shuffle of the ids (duplicates), then one scoring pass, O(N·K) (MC: O(N·T·K))
 * work spread over the partitions, in chunks of {@value #CHUNK} rows (O(CHUNK·T·K) memory per task); the driver
 * receives at most {@code P·b} pairs for {@code P} partitions and merges them in O(P·b·log b). Nothing is shuffled
 * for the selection itself. Immutable and thread-safe.
 *
 * <pre>{@code
 * SparkSelection next = SparkStrategies.entropy().select(pool, 1000);
 * SparkSelection mi = SparkStrategies.bald().select(pool.withMcProbabilitiesColumn("mc"), 1000);
 * }</pre>
 */
public final class UncertaintyOnSpark implements SparkStrategy {

    /** Rows scored per kernel call in a task. */
    static final int CHUNK = 4096;

    private final UncertaintySampling.Measure single;
    private final BayesianUncertaintySampling.Measure mc;
    private final String name;

    private UncertaintyOnSpark(UncertaintySampling.Measure single, BayesianUncertaintySampling.Measure mc,
            String name) {
        this.single = single;
        this.mc = mc;
        this.name = name;
    }

    static UncertaintyOnSpark of(UncertaintySampling.Measure measure, String name) {
        return new UncertaintyOnSpark(Checks.checkNotNull(measure, "measure"), null, name);
    }

    static UncertaintyOnSpark of(BayesianUncertaintySampling.Measure measure, String name) {
        return new UncertaintyOnSpark(null, Checks.checkNotNull(measure, "measure"), name);
    }

    @Override
    public SparkSelection select(SparkPool pool, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        Inputs.Output output = single != null ? Inputs.Output.PROBABILITIES : Inputs.Output.MC_PROBABILITIES;
        Inputs.Shape shape = Inputs.validate(pool, output, toString());
        if (budget == 0 || shape.candidates() == 0) {
            return SparkSelection.of(new long[0], new double[0], System.nanoTime() - start);
        }
        String column = Inputs.column(pool, output, toString());
        long[] labeled = Inputs.sortedLabeled(pool);
        int k = shape.width();
        int t = shape.passes();
        UncertaintySampling.Measure singleMeasure = single;
        BayesianUncertaintySampling.Measure mcMeasure = mc;
        List<TopScores> parts = pool.data().select(functions.col(pool.idColumn()), functions.col(column))
                .toJavaRDD().mapPartitions((Iterator<Row> it) -> Collections.singletonList(
                        topOfPartition(it, singleMeasure, mcMeasure, column, labeled, k, t, budget)).iterator())
                .collect();
        return TopScores.merge(parts, budget).toSelection(System.nanoTime() - start);
    }

    private static TopScores topOfPartition(Iterator<Row> it, UncertaintySampling.Measure single,
            BayesianUncertaintySampling.Measure mc, String column, long[] labeled, int k, int t, int budget) {
        TopScores top = new TopScores(budget);
        long[] ids = new long[CHUNK];
        float[][] values = new float[single != null ? 1 : t][CHUNK * k];
        int n = 0;
        while (it.hasNext()) {
            Row row = it.next();
            long id = RowValues.id(row, 0);
            if (Inputs.isLabeled(labeled, id)) {
                continue;
            }
            ids[n] = id;
            if (single != null) {
                RowValues.copy(RowValues.flat(row, 1, column, id), values[0], n * k);
            } else {
                float[][] passes = RowValues.nested(row, 1, column, id);
                for (int p = 0; p < t; p++) {
                    RowValues.copy(passes[p], values[p], n * k);
                }
            }
            if (++n == CHUNK) {
                score(single, mc, values, ids, n, k, top);
                n = 0;
            }
        }
        if (n > 0) {
            float[][] rest = new float[values.length][];
            for (int p = 0; p < values.length; p++) {
                rest[p] = Arrays.copyOf(values[p], n * k);
            }
            score(single, mc, rest, ids, n, k, top);
        }
        return top;
    }

    private static void score(UncertaintySampling.Measure single, BayesianUncertaintySampling.Measure mc,
            float[][] values, long[] ids, int n, int k, TopScores top) {
        double[] scores = single != null ? single.scoreRows(values[0], n, k) : mc.scoreRows(values, n, k);
        for (int i = 0; i < n; i++) {
            top.offer(scores[i], ids[i]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UncertaintyOnSpark u && u.single == single && u.mc == mc;
    }

    @Override
    public int hashCode() {
        return Objects.hash(single, mc);
    }

    @Override
    public String toString() {
        return "SparkStrategies." + name + "()";
    }
}
