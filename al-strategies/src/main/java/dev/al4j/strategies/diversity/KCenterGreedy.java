package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Objects;

/**
 * Greedy k-center (the core-set strategy of Sener &amp; Savarese, "Active Learning for Convolutional Neural Networks:
 * A Core-Set Approach", ICLR 2018, Algorithm 1): repeatedly picks the candidate whose embedding is farthest from its
 * nearest labeled or already picked sample, {@code u = argmax_i min_j Δ(x_i, x_j)}, which is a 2-approximation of
 * the minimax-radius cover.
 *
 * <p>The squared Euclidean distance of every candidate to its nearest labeled sample is computed once, as the
 * minimum of textbook float sums {@code Σ_k (x[k] − y[k])²}, but without computing most of the N·L of them: the
 * labeled rows are grouped under about {@code 2√L} pivots ({@link PivotGroups}), and a group whose pivot is so far
 * that the triangle inequality (widened by a float rounding bound) rules out all its members is skipped, exactly. The
 * picks then skip work exactly too: a row's
 * distance to its nearest centre only falls as centres are added, so a stale value is an upper bound; the rows sit
 * in a max-heap of these bounds, and only a row that reaches the top is refreshed, against only the centres added
 * since its last refresh (float sums in the textbook order, so the values and the picks are bit-identical to the
 * naive loop's; {@code KCenterGreedyTest.picksEqualTheNaiveAlgorithm} and
 * {@code lazyBoundsPickLikeTheNaiveAlgorithmOnTiesDuplicatesAndOddSizes} check it). When nothing is labeled, the
 * first pick is the candidate nearest the candidates' mean (a central sample; ties toward the lower id). Ties always
 * break toward the lower id. The score of each pick is its distance to the nearest labeled or earlier pick (infinite
 * for that first central pick).
 *
 * <p>Optionally ({@link #withPcaDimensions}) candidates and labeled embeddings are first projected onto their top
 * {@code m} principal components, as DeepAL+ does to save memory and time when {@code d} is large.
 *
 * <p>Cost: O(G·N·d + V·d) time for the labeled distances, with {@code G ≈ 2√L} pivots and {@code V ≤ N·L} the
 * member distances the group skips leave (on clustered embeddings about one group per candidate, {@code V ≈ N·√L/2};
 * on unclustered ones the pass falls back to all N·L distances in vectorised Java passes, about twice the time of
 * the BLAS gemm it replaced), plus O(G·L·d) to build the groups; then
 * O(R·d + N log N) for the picks, where R ≤ b·N is the number of row-centre distances the lazy bounds refresh (on
 * clustered embeddings a few percent of b·N; in the worst case, every row refreshed after every pick, the naive
 * b·N); memory O((N + L + b)·d). With PCA add O((N + L)·d² + d³) time. The picks run on one thread; {@link
 * #withParallelism} bounds the threads of the labeled-distance, mean and PCA passes. Immutable and thread-safe.
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
     * A copy whose passes over the candidates use at most {@code threads} threads; the selection does not depend on
     * it.
     */
    public KCenterGreedy withParallelism(int threads) {
        return new KCenterGreedy(pcaDimensions, Parallelism.check(threads));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget, EmbeddingModel.class, this,
                (m, candidates, start) -> select(pool, m, budget, candidates, start));
    }

    private Selection select(Pool pool, EmbeddingModel m, int budget, int[] candidates, long start) {
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
        Picks picks = greedy(x, labeledRows, Math.min(budget, candidates.length), Parallelism.threads(parallelism));
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
     *
     * <p>Lazy bounds instead of b full passes. A row's squared distance to its nearest centre only falls as centres
     * are added, so a value computed against the first {@code s} centres is an upper bound of the current one. The
     * rows sit in a max-heap keyed by (bound, then lower row first); when the top row's bound is stale it is
     * refreshed against the centres added since its last refresh only, and sifted down; when the top row is fresh it
     * is the farthest row, ties toward the lower row, because every other row's bound is at least its true value.
     * A refreshed bound is the minimum of the same float distances the full pass computes (summed in the same
     * order), so picks and radii are bit-identical to the naive loop's ({@code KCenterGreedyTest}).
     */
    static Picks greedy(EmbeddingTiles x, float[] labeled, int b, int threads) {
        int n = x.size();
        int d = x.dimension();
        float[] bound = new float[n]; // squared distance to the nearest of the centres counted in stamp
        java.util.Arrays.fill(bound, Float.POSITIVE_INFINITY);
        int first;
        if (labeled != null && labeled.length > 0) {
            initialDistances(x, labeled, bound, threads);
            first = argMax(bound, 0, n);
        } else {
            first = nearestToMean(x, threads);
        }
        int[] stamp = new int[n]; // bound[i] covers the labeled rows and picks 0..stamp[i]-1
        float[][] centres = new float[d][b]; // coordinate k of pick j at centres[k][j]: refreshes vectorise over j
        LazyHeap heap = new LazyHeap(n, bound, first);
        int[] rows = new int[b];
        double[] radii = new double[b];
        float[] row = new float[d];
        float[] acc = new float[b];
        int pick = first;
        for (int p = 0; ; p++) {
            rows[p] = pick;
            radii[p] = Math.sqrt(bound[pick]);
            x.copyRow(pick, row, 0);
            for (int k = 0; k < d; k++) {
                centres[k][p] = row[k];
            }
            if (p == b - 1) {
                break;
            }
            int centresNow = p + 1;
            while (true) {
                int top = heap.top();
                int from = stamp[top];
                if (from == centresNow) {
                    break;
                }
                bound[top] = Math.min(bound[top], x.minSquaredDistance(top, centres, from, centresNow, row, acc));
                stamp[top] = centresNow;
                heap.siftDownTop();
            }
            pick = heap.pop();
        }
        return new Picks(rows, radii);
    }

    /**
     * A binary max-heap of rows ordered by {@code key} descending, then row ascending; keys only ever decrease, and
     * only at the top ({@link #siftDownTop}).
     */
    static final class LazyHeap {
        private final int[] heap;
        private final float[] key;
        private int size;

        /** Every row of {@code 0..n-1} except {@code without}. */
        LazyHeap(int n, float[] key, int without) {
            this.key = key;
            this.heap = new int[n];
            for (int i = 0; i < n; i++) {
                if (i != without) {
                    heap[size++] = i;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        int top() {
            return heap[0];
        }

        int size() {
            return size;
        }

        int pop() {
            int top = heap[0];
            heap[0] = heap[--size];
            if (size > 0) {
                siftDown(0);
            }
            return top;
        }

        void siftDownTop() {
            siftDown(0);
        }

        private boolean above(int a, int b) {
            return key[a] > key[b] || (key[a] == key[b] && a < b);
        }

        private void siftDown(int i) {
            int moving = heap[i];
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int child = l + 1 < size && above(heap[l + 1], heap[l]) ? l + 1 : l;
                if (!above(heap[child], moving)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = moving;
        }
    }

    /**
     * {@code minDist[i] = min_j Σ_k (x_i[k] − y_j[k])²} over the labeled rows (float sums over {@code k} ascending, the
     * textbook operations and order, as the picks' refreshes), computing only the few distances that can be the
     * minimum: {@link PivotGroups} skips whole groups of labeled rows by the triangle inequality, exactly, on up to
     * {@code threads} threads. {@code KCenterGreedyTest.labeledDistancesEqualTheTextbookMinimumBitForBit} and
     * {@code PivotGroupsTest} check it against all N·L textbook distances.
     */
    static void initialDistances(EmbeddingTiles x, float[] labeled, float[] minDist, int threads) {
        PivotGroups.of(labeled, x.dimension()).nearestSquaredDistances(x, threads, minDist);
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
        return selectionDescription()
                + (parallelism > 0 ? ".withParallelism(" + parallelism + ")" : "");
    }

    /** {@link #toString()} without the thread count, which changes no selection. */
    @Override
    public String selectionDescription() {
        return "Strategies.kCenterGreedy()" + (pcaDimensions > 0 ? ".withPcaDimensions(" + pcaDimensions + ")" : "");
    }
}
