package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Greedy k-center (the core-set strategy of Sener &amp; Savarese, "Active Learning for Convolutional Neural Networks:
 * A Core-Set Approach", ICLR 2018, Algorithm 1): repeatedly picks the candidate whose embedding is farthest from its
 * nearest labeled or already picked sample, {@code u = argmax_i min_j Δ(x_i, x_j)}, which is a 2-approximation of
 * the minimax-radius cover.
 *
 * <p>The squared Euclidean distance of every candidate to the labeled set is computed once, with the dot products
 * from ND4J gemm ({@code ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y}, clamped at 0); then after each pick one vectorised Java
 * pass updates the minima with the distance to the new centre, summed in float in the textbook order.
 * {@code KCenterGreedyTest.picksEqualTheNaiveAlgorithm} checks the picks against the naive O(N·b·L) loop. When nothing is labeled, the first pick is the candidate
 * nearest the candidates' mean (a central sample; ties toward the lower id). Ties always break toward the lower id.
 * The score of each pick is its distance to the nearest labeled or earlier pick (infinite for that first central
 * pick).
 *
 * <p>Optionally ({@link #withPcaDimensions}) candidates and labeled embeddings are first projected onto their top
 * {@code m} principal components, as DeepAL+ does to save memory and time when {@code d} is large.
 *
 * <p>Cost: O((L + b)·N·d) time: one blocked gemm against the labeled set (on ND4J's BLAS threads), then b passes
 * over the {@code N × d} candidate embeddings spread over {@link #withParallelism} threads; memory O((N + L)·d). With PCA add O((N + L)·d² + d³) time. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * QueryStrategy coreSet = Strategies.kCenterGreedy();
 * Selection next = coreSet.select(pool, model, 1000);   // model: an EmbeddingModel
 * }</pre>
 */
public final class KCenterGreedy implements QueryStrategy {

    private final int pcaDimensions; // 0: none
    private final int parallelism; // 0: all processors

    private KCenterGreedy(int pcaDimensions, int parallelism) {
        this.pcaDimensions = pcaDimensions;
        this.parallelism = parallelism;
    }

    /** Greedy k-center on the raw embeddings, using every processor. */
    public static KCenterGreedy create() {
        return new KCenterGreedy(0, 0);
    }

    /**
     * A copy that first projects embeddings onto their top {@code m} principal components (of candidates and labeled
     * samples together). When {@code m >= d} the embeddings are used as they are.
     */
    public KCenterGreedy withPcaDimensions(int m) {
        Checks.checkPositive(m, "pcaDimensions");
        return new KCenterGreedy(m, parallelism);
    }

    /**
     * A copy whose Java passes use at most {@code threads} threads (ND4J's gemm keeps its own BLAS threads); the
     * selection does not depend on it.
     */
    public KCenterGreedy withParallelism(int threads) {
        return new KCenterGreedy(pcaDimensions, Queries.checkParallelism(threads));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        EmbeddingModel m = Queries.begin(pool, model, budget, this);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        int[] labeled = pool.labeled();
        EmbeddingTiles x = ModelOutputs.read(m, pool, candidates, false).embeddings;
        EmbeddingTiles y = labeled.length == 0 ? null : ModelOutputs.read(m, pool, labeled, false).embeddings;
        if (pcaDimensions > 0 && pcaDimensions < x.dimension()) {
            float[] basis = y == null ? Pca.basis(pcaDimensions, x) : Pca.basis(pcaDimensions, x, y);
            x = x.project(basis, pcaDimensions);
            y = y == null ? null : y.project(basis, pcaDimensions);
        }
        float[] labeledRows = null;
        if (y != null) {
            labeledRows = new float[Math.multiplyExact(y.size(), y.dimension())];
            for (int i = 0; i < y.size(); i++) {
                y.copyRow(i, labeledRows, i * y.dimension());
            }
        }
        Picks picks = greedy(x, labeledRows, Math.min(budget, candidates.length), Queries.threads(parallelism));
        int[] ids = new int[picks.rows.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = candidates[picks.rows[i]];
        }
        return Selection.of(ids, picks.radii, System.nanoTime() - start);
    }

    /** Rows picked, in order, and each one's distance to the nearest earlier centre. */
    record Picks(int[] rows, double[] radii) {}

    /**
     * The greedy on rows of {@code x}; {@code labeled} holds the row-major labeled embeddings or {@code null}.
     * Package-private so that benchmarks and tests can run the kernel on arrays.
     */
    static Picks greedy(EmbeddingTiles x, float[] labeled, int b, int threads) {
        int n = x.size();
        float[] minDist = new float[n]; // squared; -1 marks a picked row
        java.util.Arrays.fill(minDist, Float.POSITIVE_INFINITY);
        int tiles = x.tileCount();
        int[] tileBest = new int[tiles];
        float[] tileBestValue = new float[tiles];
        int first;
        if (labeled != null && labeled.length > 0) {
            initialDistances(x, labeled, minDist);
            first = argMax(minDist, 0, n);
        } else {
            first = nearestToMean(x, threads);
        }
        int[] rows = new int[b];
        double[] radii = new double[b];
        int pick = first;
        for (int p = 0; p < b; p++) {
            rows[p] = pick;
            radii[p] = Math.sqrt(minDist[pick]);
            minDist[pick] = -1f;
            if (p == b - 1) {
                break;
            }
            float[] c = x.row(pick);
            x.forEachTile(threads, (t, scratch) -> {
                int count = x.rowsIn(t);
                int base = EmbeddingTiles.tileStart(t);
                x.squaredDistances(t, c, scratch);
                int best = -1;
                float bestValue = Float.NEGATIVE_INFINITY;
                for (int r = 0; r < count; r++) {
                    float v = Math.min(minDist[base + r], scratch[r]);
                    minDist[base + r] = v;
                    if (v > bestValue) { // strict: ties keep the lower row
                        bestValue = v;
                        best = base + r;
                    }
                }
                tileBest[t] = best;
                tileBestValue[t] = bestValue;
            });
            int next = -1;
            float nextValue = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < tiles; t++) {
                if (tileBestValue[t] > nextValue) {
                    nextValue = tileBestValue[t];
                    next = tileBest[t];
                }
            }
            pick = next;
        }
        return new Picks(rows, radii);
    }

    /**
     * {@code minDist[i] = min_j ‖x_i − y_j‖²} over the labeled rows, by {@code ‖x‖² + ‖y‖² − 2x·y} with the dot
     * products from ND4J gemm (several times faster here than the vectorised Java loops; clamped at 0 against float
     * cancellation). {@code KCenterGreedyTest.picksEqualTheNaiveAlgorithm} checks the picks against textbook
     * distances. O(N·L·d) time, O(d·TILE + GEMM_BLOCK·TILE) extra memory.
     */
    static void initialDistances(EmbeddingTiles x, float[] labeled, float[] minDist) {
        int d = x.dimension();
        int l = labeled.length / d;
        INDArray y = Nd4j.create(labeled, new long[] {l, d}, 'c');
        float[] yNorms = new float[l];
        for (int j = 0; j < l; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double v = labeled[j * d + k];
                s += v * v;
            }
            yNorms[j] = (float) s;
        }
        INDArray yn = Nd4j.create(yNorms, new long[] {l, 1}, 'c');
        double[] xNorms = x.squaredNorms();
        float[] out = new float[EmbeddingTiles.TILE];
        for (int t = 0; t < x.tileCount(); t++) {
            x.minSquaredDistances(t, x.tileMatrix(t), y, yn, xNorms, out);
            System.arraycopy(out, 0, minDist, EmbeddingTiles.tileStart(t), x.rowsIn(t));
        }
    }

    private static int argMax(float[] values, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The row nearest the mean of all rows (mean in double, then rounded to float), ties toward the lower row. */
    static int nearestToMean(EmbeddingTiles x, int threads) {
        int n = x.size();
        int d = x.dimension();
        double[] sum = new double[d];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            x.copyRow(i, row, 0);
            for (int k = 0; k < d; k++) {
                sum[k] += row[k];
            }
        }
        float[] mean = new float[d];
        for (int k = 0; k < d; k++) {
            mean[k] = (float) (sum[k] / n);
        }
        float[] dist = new float[n];
        x.forEachTile(threads, (t, scratch) -> {
            x.squaredDistances(t, mean, scratch);
            System.arraycopy(scratch, 0, dist, EmbeddingTiles.tileStart(t), x.rowsIn(t));
        });
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (dist[i] < dist[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KCenterGreedy k && k.pcaDimensions == pcaDimensions && k.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pcaDimensions, parallelism);
    }

    @Override
    public String toString() {
        return "Strategies.kCenterGreedy()" + (pcaDimensions > 0 ? ".withPcaDimensions(" + pcaDimensions + ")" : "")
                + (parallelism > 0 ? ".withParallelism(" + parallelism + ")" : "");
    }
}
