package dev.al4j.spark;

import dev.al4j.core.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Greedy k-center on Spark (the core-set strategy of Sener &amp; Savarese, ICLR 2018, Algorithm 1: repeatedly the
 * candidate farthest from its nearest labeled or picked sample, a 2-approximation of the minimax cover radius), on
 * the embeddings column, in one of two {@link Mode modes}:
 * <ul>
 *   <li>{@link Mode#EXACT}: the single-machine algorithm pick by pick. The candidates' rows are cached per partition
 *       with each row's squared distance to its nearest centre; every pick is one distributed job: each partition
 *       brings its minima up to date against the centres added since its last job and returns its farthest row, the
 *       driver takes the farthest of those (ties toward the lower id). The picks equal
 *       {@code Strategies.kCenterGreedy().select(...)}'s on the same values (the same float sums; the single-machine
 *       strategy computes the distances to the labeled set by a gemm, so a near-tie at float precision could in
 *       principle break differently). <b>Slow for large b</b>: {@code b} Spark jobs, each with its scheduling cost
 *       (tens of milliseconds in local mode, more on a cluster) and a pass over the cached rows.</li>
 *   <li>{@link Mode#SCALABLE}: the composable core set of Malkomes et al. (NeurIPS 2015, "Fast distributed k-center
 *       clustering with outliers on massive data"): greedy k-center with {@code b} picks inside each partition (the
 *       labeled samples as fixed centres), then greedy over the union of the partitions' picks on the driver. Its
 *       cover radius is at most 4 times the optimum (greedy is a 2-approximation on each part and on the union), so
 *       at most 4 times the exact mode's. Two distributed jobs whatever {@code b}.</li>
 * </ul>
 * Both report the {@linkplain SparkSelection#radius() radius} they reach, {@code max_i min_j ‖x_i − c_j‖} over the
 * candidates, with one more pass. Scores: each pick's distance to its nearest earlier centre ({@code +∞} for the
 * first pick when nothing is labeled, the candidate nearest the candidates' mean, as on one machine).
 *
 * <p>Cost, for N candidates in P partitions, L labeled, dimension d: exact O(N·(L + b)·d) work in {@code b + 3} jobs,
 * O(N·d) cached floats, {@code O((L + b)·d)} floats sent to each task per job; scalable O(N·(L + b)·d) work in 3
 * jobs, {@code O(P·b·d)} floats collected by the driver, O(P·b·(L + b)·d) driver work. Immutable and thread-safe.
 *
 * <pre>{@code
 * SparkSelection exact = SparkStrategies.kCenterGreedy().select(pool, 100);
 * SparkSelection fast = SparkStrategies.kCenterGreedy().withMode(Mode.SCALABLE).select(pool, 10_000);
 * double radius = fast.radius().orElseThrow();
 * }</pre>
 */
public final class KCenterOnSpark implements SparkStrategy {

    private final Mode mode;

    private KCenterOnSpark(Mode mode) {
        this.mode = mode;
    }

    static KCenterOnSpark create() {
        return new KCenterOnSpark(Mode.EXACT);
    }

    /** A copy running in {@code mode}. */
    public KCenterOnSpark withMode(Mode mode) {
        return new KCenterOnSpark(Checks.checkNotNull(mode, "mode"));
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    @Override
    public SparkSelection select(SparkPool pool, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        Inputs.Shape shape = Inputs.validate(pool, Inputs.Output.EMBEDDINGS, toString());
        int b = (int) Math.min(budget, shape.candidates());
        if (b == 0) {
            return SparkSelection.of(new long[0], new double[0], System.nanoTime() - start);
        }
        int d = shape.width();
        String column = Inputs.column(pool, Inputs.Output.EMBEDDINGS, toString());
        long[] labeled = Inputs.sortedLabeled(pool);
        JavaRDD<Row> rows = pool.data().select(functions.col(pool.idColumn()), functions.col(column)).toJavaRDD();
        float[] labeledRows = labeledRows(rows, labeled, column, d);
        JavaRDD<Block> blocks = rows.mapPartitions((Iterator<Row> it) -> Collections.singletonList(
                Block.read(it, labeled, column, d)).iterator()).persist(StorageLevel.MEMORY_ONLY());
        try {
            return mode == Mode.EXACT ? exact(blocks, labeledRows, labeled.length, d, b, start)
                    : scalable(blocks, labeledRows, labeled.length, d, b, start);
        } finally {
            blocks.unpersist(false);
        }
    }

    private static SparkSelection exact(JavaRDD<Block> blocks, float[] labeledRows, int l, int d, int b,
            long start) {
        float[] centres = Arrays.copyOf(labeledRows, (l + b) * d);
        long[] ids = new long[b];
        double[] scores = new double[b];
        int p = 0;
        if (l == 0) {
            Farthest first = nearestToMean(blocks, d);
            ids[0] = first.id;
            scores[0] = Double.POSITIVE_INFINITY;
            System.arraycopy(first.row, 0, centres, l * d, d);
            p = 1;
        }
        for (; p < b; p++) {
            float[] now = Arrays.copyOf(centres, (l + p) * d);
            long[] picked = Arrays.copyOf(ids, p);
            Arrays.sort(picked);
            Farthest best = null;
            for (Farthest f : blocks.map(block -> block.refreshAndFindFarthest(now, d, picked)).collect()) {
                if (f != null && (best == null || f.squaredDistance > best.squaredDistance
                        || (f.squaredDistance == best.squaredDistance && f.id < best.id))) {
                    best = f;
                }
            }
            ids[p] = best.id;
            scores[p] = Math.sqrt(best.squaredDistance);
            System.arraycopy(best.row, 0, centres, (l + p) * d, d);
        }
        double radius = coverRadius(blocks, centres, d, true);
        return SparkSelection.of(ids, scores, radius, System.nanoTime() - start);
    }

    private static SparkSelection scalable(JavaRDD<Block> blocks, float[] labeledRows, int l, int d, int b,
            long start) {
        List<Block> parts = blocks.map(block -> block.localGreedy(labeledRows, l, d, b)).collect();
        int u = 0;
        for (Block part : parts) {
            u += part.ids.length;
        }
        long[] unionIds = new long[u];
        float[] union = new float[u * d];
        int at = 0;
        for (Block part : parts) {
            System.arraycopy(part.ids, 0, unionIds, at, part.ids.length);
            System.arraycopy(part.x, 0, union, at * d, part.x.length);
            at += part.ids.length;
        }
        CoverKernel.Picks picks = CoverKernel.greedy(union, unionIds, u, d, labeledRows, l, b);
        int m = picks.rows().length;
        long[] ids = new long[m];
        double[] scores = new double[m];
        float[] centres = Arrays.copyOf(labeledRows, (l + m) * d);
        for (int p = 0; p < m; p++) {
            int r = picks.rows()[p];
            ids[p] = unionIds[r];
            scores[p] = Math.sqrt(picks.squaredRadii()[p]);
            System.arraycopy(union, r * d, centres, (l + p) * d, d);
        }
        double radius = coverRadius(blocks, centres, d, false);
        return SparkSelection.of(ids, scores, radius, System.nanoTime() - start);
    }

    /** {@code max_i min_j ‖x_i − c_j‖} over every candidate; {@code cached}: the blocks' minima are up to date. */
    private static double coverRadius(JavaRDD<Block> blocks, float[] centres, int d, boolean cached) {
        float max = 0f;
        for (float m : blocks.map(block -> block.coverSquaredRadius(centres, d, cached)).collect()) {
            max = Math.max(max, m);
        }
        return Math.sqrt(max);
    }

    private static Farthest nearestToMean(JavaRDD<Block> blocks, int d) {
        double[] sum = new double[d];
        long n = 0;
        for (Block.Sum s : blocks.map(block -> new Block.Sum(CoverKernel.sum(block.x, block.ids.length, d),
                block.ids.length)).collect()) {
            for (int k = 0; k < d; k++) {
                sum[k] += s.sum()[k];
            }
            n += s.count();
        }
        float[] mean = CoverKernel.mean(sum, n);
        Farthest best = null;
        for (Farthest f : blocks.map(block -> block.nearest(mean, d)).collect()) {
            if (f != null && (best == null || f.squaredDistance < best.squaredDistance
                    || (f.squaredDistance == best.squaredDistance && f.id < best.id))) {
                best = f;
            }
        }
        return best;
    }

    private static float[] labeledRows(JavaRDD<Row> rows, long[] labeled, String column, int d) {
        if (labeled.length == 0) {
            return new float[0];
        }
        List<Farthest> found = rows.filter(r -> Inputs.isLabeled(labeled, RowValues.id(r, 0)))
                .map(r -> new Farthest(RowValues.id(r, 0), 0f, RowValues.flat(r, 1, column, RowValues.id(r, 0))))
                .collect();
        float[] out = new float[found.size() * d];
        for (int i = 0; i < found.size(); i++) {
            System.arraycopy(found.get(i).row, 0, out, i * d, d);
        }
        return out;
    }

    /** A partition's candidate row with its squared distance (farthest from or nearest to something). */
    record Farthest(long id, float squaredDistance, float[] row) implements Serializable {}

    /**
     * One partition's candidates, cached: ids, rows ({@code n·d} floats) and each row's squared distance to the
     * nearest of the first {@code stamp} centres. The minima are a memo: a block that Spark recomputes after an
     * eviction starts again at {@code stamp = 0} and catches up against all centres, with the same result.
     */
    static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;
        final long[] ids;
        final float[] x;
        final float[] minDist;
        int stamp;

        Block(long[] ids, float[] x) {
            this.ids = ids;
            this.x = x;
            this.minDist = new float[ids.length];
            Arrays.fill(minDist, Float.POSITIVE_INFINITY);
        }

        record Sum(double[] sum, long count) implements Serializable {}

        static Block read(Iterator<Row> it, long[] labeled, String column, int d) {
            List<Long> ids = new ArrayList<>();
            float[] x = new float[1024 * d];
            while (it.hasNext()) {
                Row row = it.next();
                long id = RowValues.id(row, 0);
                if (Inputs.isLabeled(labeled, id)) {
                    continue;
                }
                if ((ids.size() + 1) * d > x.length) {
                    x = Arrays.copyOf(x, x.length * 2);
                }
                RowValues.copy(RowValues.flat(row, 1, column, id), x, ids.size() * d);
                ids.add(id);
            }
            long[] out = new long[ids.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.get(i);
            }
            return new Block(out, Arrays.copyOf(x, out.length * d));
        }

        synchronized Farthest refreshAndFindFarthest(float[] centres, int d, long[] pickedSorted) {
            refresh(centres, d);
            boolean[] skip = new boolean[ids.length];
            for (int i = 0; i < ids.length; i++) {
                skip[i] = Inputs.isLabeled(pickedSorted, ids[i]);
            }
            int f = CoverKernel.farthest(minDist, ids, ids.length, skip);
            return f < 0 ? null : new Farthest(ids[f], minDist[f], Arrays.copyOfRange(x, f * d, (f + 1) * d));
        }

        private void refresh(float[] centres, int d) {
            int count = centres.length / d;
            CoverKernel.refresh(x, ids.length, d, minDist, centres, stamp, count);
            stamp = count;
        }

        Farthest nearest(float[] point, int d) {
            int f = CoverKernel.nearest(x, ids, ids.length, d, point);
            return f < 0 ? null : new Farthest(ids[f], CoverKernel.squaredDistance(x, f * d, point, 0, d),
                    Arrays.copyOfRange(x, f * d, (f + 1) * d));
        }

        synchronized float coverSquaredRadius(float[] centres, int d, boolean cached) {
            float[] m = minDist;
            if (cached) {
                refresh(centres, d);
            } else {
                m = new float[ids.length];
                Arrays.fill(m, Float.POSITIVE_INFINITY);
                CoverKernel.refresh(x, ids.length, d, m, centres, 0, centres.length / d);
            }
            float max = 0f;
            for (float v : m) {
                max = Math.max(max, v);
            }
            return max;
        }

        /** The partition's own greedy picks (ids and rows), the labeled rows as fixed centres. */
        Block localGreedy(float[] labeledRows, int l, int d, int b) {
            CoverKernel.Picks picks = CoverKernel.greedy(x, ids, ids.length, d, labeledRows, l, b);
            int m = picks.rows().length;
            long[] outIds = new long[m];
            float[] outX = new float[m * d];
            for (int p = 0; p < m; p++) {
                outIds[p] = ids[picks.rows()[p]];
                System.arraycopy(x, picks.rows()[p] * d, outX, p * d, d);
            }
            return new Block(outIds, outX);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KCenterOnSpark k && k.mode == mode;
    }

    @Override
    public int hashCode() {
        return mode.hashCode();
    }

    @Override
    public String toString() {
        return "SparkStrategies.kCenterGreedy()" + (mode == Mode.EXACT ? "" : ".withMode(Mode." + mode + ")");
    }
}
