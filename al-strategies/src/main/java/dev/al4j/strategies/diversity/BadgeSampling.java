package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BADGE (Ash, Zhang, Krishnamurthy, Langford &amp; Agarwal, "Deep Batch Active Learning by Diverse, Uncertain
 * Gradient Lower Bounds", ICLR 2020, Algorithm 1; seed 003 runs it as "BADGE(KMeans++)", Table 6, and seed 002
 * builds Ask-n-Learn on it): k-means++ seeding on the hallucinated last-layer gradient
 * embeddings {@code g_i = (p_i − onehot(ŷ_i)) ⊗ z_i}, with {@code ŷ_i = argmax p_i} (ties toward the lower class) and
 * {@code z_i} the penultimate features. The first pick is the candidate with the largest {@code ‖g‖} (ties toward
 * the lower id); each next pick is drawn with probability proportional to {@code D²(i)}, the squared distance to the
 * nearest pick so far. If every remaining {@code D²} is zero (e.g. a one-class model, where every {@code g} is zero)
 * the lowest remaining id is taken. The score of each pick is its {@code D} when picked ({@code ‖g‖} for the first).
 *
 * <p>The {@code N × K·d} gradient embeddings are never formed: with {@code a_i = p_i − onehot(ŷ_i)},
 * {@code <g_i, g_j> = (a_i·a_j)(z_i·z_j)} and {@code ‖g_i‖² = ‖a_i‖²‖z_i‖²}, so
 * {@code ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² − 2(a_i·a_c)(z_i·z_c)}, clamped at 0 against float cancellation.
 * {@code BadgeSamplingTest.distancesEqualTheMaterialisedOnes} proves the factored {@code D²} equal to the
 * materialised ones.
 *
 * <p>The D² draws skip work without changing their distribution: a row's {@code D²} only falls as picks are added,
 * so a stale value is an upper bound; a row is proposed in proportion to its bound (a sum tree), refreshed against
 * the picks added since it was last refreshed, and accepted with probability {@code D²/bound} (see
 * {@code kMeansPlusPlusOnResiduals}). Each pick is drawn with exactly the textbook probability
 * {@code D²(i)/Σ D²} ({@code BadgeSamplingTest.drawsFollowTheTextbookD2Distribution}, a chi-square test against the
 * exact probabilities), but the random stream is used differently: since 2026-12-07 a seed selects other ids than
 * the textbook draw (and than al4j before then) with the same seed; a seed still fixes the selection, whatever the
 * thread count.
 *
 * <p>Cost: O(N·(d + K)) for the first full pass, then O(R·(d + K)) for the R row-pick distances the refreshes
 * compute (R ≤ b·N; on clustered embeddings a small fraction of it) plus O(log N) per proposal; when proposals keep
 * being rejected, full passes over the picks since the last one (on {@link #withParallelism} threads), so at worst the
 * textbook's b passes over the {@code N × d} features. Memory O(N·(d + K) + b·d). Randomness comes from a
 * {@link SplittableRandom} seeded at construction. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy badge = Strategies.badge().withSeed(7);
 * Selection next = badge.select(pool, model, 1000);   // model: an EmbeddingModel
 * }</pre>
 */
public final class BadgeSampling implements QueryStrategy {

    private final long seed;
    private final int parallelism;

    private BadgeSampling(long seed, int parallelism) {
        this.seed = seed;
        this.parallelism = parallelism;
    }

    /** BADGE with seed 0, using every processor. */
    public static BadgeSampling create() {
        return new BadgeSampling(0, 0);
    }

    /** A copy with another seed for the D² sampling. */
    public BadgeSampling withSeed(long seed) {
        return new BadgeSampling(seed, parallelism);
    }

    /** A copy that uses at most {@code threads} threads; the selection does not depend on it. */
    public BadgeSampling withParallelism(int threads) {
        return new BadgeSampling(seed, Parallelism.check(threads));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return select(pool, model, budget, null);
    }

    /**
     * Chooses the class {@code y_i} of each candidate's gradient embedding {@code (p_i − onehot(y_i)) ⊗ z_i}, for
     * {@link #selectWithLabels}.
     */
    @FunctionalInterface
    public interface GradientLabels {

        /**
         * @param ids the candidates' pool ids
         * @param probabilities their {@code [ids.length, K]} probabilities, validated, from the query's one forward
         *     pass
         * @return one class in {@code [0, K)} per id
         */
        int[] labels(int[] ids, INDArray probabilities);
    }

    /**
     * BADGE with gradient embeddings built from labels the caller chooses instead of the argmax (Ask-n-Learn's
     * pseudo-labels): {@code g_i = (p_i − onehot(y_i)) ⊗ z_i} with {@code y = labels.labels(ids, p)}; everything
     * else (one forward pass, first pick, D² sampling with this seed, scores) is as in {@link #select}.
     *
     * @throws IllegalArgumentException when {@code labels} returns the wrong number of labels or a class outside
     *     {@code [0, K)}
     */
    public Selection selectWithLabels(Pool pool, Model model, int budget, GradientLabels labels) {
        Checks.checkNotNull(labels, "labels");
        return select(pool, model, budget, labels);
    }

    private Selection select(Pool pool, Model model, int budget, GradientLabels labels) {
        return QueryOutputs.select(pool, model, budget, EmbeddingModel.class, this,
                (m, candidates, start) -> select(pool, m, budget, labels, candidates, start));
    }

    private Selection select(Pool pool, EmbeddingModel m, int budget, GradientLabels labels, int[] candidates,
            long start) {
        ModelOutputs out = ModelOutputs.read(m, pool, candidates, true);
        int k = out.numClasses;
        float[] a = labels == null ? residuals(out.probabilities, k)
                : residuals(out.probabilities, k, labels.labels(candidates.clone(),
                        Nd4j.create(out.probabilities, new long[] {candidates.length, k}, 'c')));
        Picks picks = kMeansPlusPlusOnResiduals(out.embeddings, a, k, Math.min(budget, candidates.length),
                new SplittableRandom(seed), Parallelism.threads(parallelism));
        int[] ids = new int[picks.rows.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = candidates[picks.rows[i]];
        }
        return Selection.of(ids, picks.distances, System.nanoTime() - start);
    }

    /** The residuals {@code a = p − onehot(y)} for given labels {@code y}, row-major; checks the labels. */
    static float[] residuals(float[] probabilities, int k, int[] labels) {
        int n = probabilities.length / k;
        Checks.checkArgument(labels != null && labels.length == n,
                "labels must hold one class per candidate (%d), found %s", n,
                labels == null ? "null" : String.valueOf(labels.length));
        float[] a = probabilities.clone();
        for (int i = 0; i < n; i++) {
            Checks.checkLabel(labels[i], k, "labels[" + i + "]");
            a[i * k + labels[i]] -= 1f;
        }
        return a;
    }

    /** Rows picked, in order, and each one's gradient-embedding distance to the nearest earlier pick. */
    record Picks(int[] rows, double[] distances) {}

    /**
     * The residuals {@code a = p − onehot(argmax p)} of the row-major {@code [n, K]} probabilities, row-major.
     */
    static float[] residuals(float[] probabilities, int k) {
        float[] a = probabilities.clone();
        int n = probabilities.length / k;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probabilities[i * k + c] > probabilities[i * k + best]) {
                    best = c;
                }
            }
            a[i * k + best] -= 1f;
        }
        return a;
    }

    /** Factored k-means++ seeding on the gradient embeddings. Package-private for benchmarks and tests. */
    static Picks kMeansPlusPlus(EmbeddingTiles z, float[] probabilities, int k, int b, SplittableRandom random,
            int threads) {
        return kMeansPlusPlusOnResiduals(z, residuals(probabilities, k), k, b, random, threads);
    }

    /**
     * The same seeding given the residuals {@code a = p − onehot(y)}, row-major {@code [n, K]}.
     *
     * <p>Stale bounds and rejection instead of b full passes (the direction of issue 16). A row's {@code D²} only
     * falls as centres are added, so a value computed against the first {@code s} centres is an upper bound
     * {@code B(i) ≥ D²(i)}. A pick proposes a row {@code i} with probability {@code B(i)/ΣB} from a {@link SumTree},
     * refreshes it against the centres added since its last refresh only (so {@code B(i) = D²(i)} from then on), and
     * accepts it with probability {@code D²(i)/B_old(i)}; otherwise it proposes again. Whatever the bounds, a
     * proposal is accepted with probability {@code D²(i)/ΣB} for row {@code i}, so the accepted row has probability
     * {@code D²(i)/ΣD²}: the distribution of the textbook draw, with one full pass (the first centre) instead of
     * {@code b − 1}. When proposals keep being rejected (the bounds have gone stale), every row is refreshed in
     * full passes over the centres added since the last such refresh, on {@code threads} threads; this changes the
     * bounds, not the distribution. The refreshed {@code D²} values are bit-identical to the full passes' (the same
     * float dot products summed in the same order, the same double formula). The draws consume the random stream
     * differently from the textbook draw, so a seed fixes the selection but not the textbook's selection for that
     * seed ({@code BadgeSamplingTest.drawsFollowTheTextbookD2Distribution} checks the distribution).
     */
    static Picks kMeansPlusPlusOnResiduals(EmbeddingTiles z, float[] a, int k, int b, SplittableRandom random,
            int threads) {
        return kMeansPlusPlusOnResiduals(z, a, k, b, random, threads, FULL_REFRESH_SHARE);
    }

    /**
     * The same, with every row refreshed at a rejection once the single-row refreshes since the last full refresh have
     * computed {@code fullRefreshShare} times the distances a full refresh would (0: at every rejection; for tests).
     */
    static Picks kMeansPlusPlusOnResiduals(EmbeddingTiles z, float[] a, int k, int b, SplittableRandom random,
            int threads, double fullRefreshShare) {
        int n = z.size();
        int d = z.dimension();
        double[] zNorms = z.squaredNorms();
        double[] gNorms = new double[n]; // ‖g_i‖² = ‖a_i‖² ‖z_i‖²
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                double v = a[i * k + c];
                s += v * v;
            }
            gNorms[i] = s * zNorms[i];
        }
        int[] rows = new int[b];
        double[] distances = new double[b];
        int pick = 0;
        for (int i = 1; i < n; i++) {
            if (gNorms[i] > gNorms[pick]) {
                pick = i;
            }
        }
        rows[0] = pick;
        distances[0] = Math.sqrt(gNorms[pick]);
        if (b == 1) {
            return new Picks(rows, distances);
        }
        boolean[] picked = new boolean[n];
        picked[pick] = true;
        float[][] centreColumns = new float[d][b]; // coordinate k of centre j at [k][j]: refreshes vectorise over j
        float[] centre = z.row(pick);
        for (int c = 0; c < d; c++) {
            centreColumns[c][0] = centre[c];
        }
        double[] bound = new double[n]; // D² against centres 0..stamp[i]-1
        java.util.Arrays.fill(bound, Double.POSITIVE_INFINITY);
        bound[pick] = 0;
        int[] stamp = new int[n];
        int refreshedTo = 0; // every row's stamp is at least this
        Refresh full = new Refresh(z, a, k, gNorms, bound, stamp, picked, rows, threads);
        full.run(refreshedTo, 1);
        refreshedTo = 1;
        SumTree tree = new SumTree(bound);
        float[] row = new float[d];
        float[] acc = new float[b];
        long pairsSinceFull = 0; // row-centre distances of single-row refreshes since the last full refresh
        for (int p = 1; p < b; p++) {
            int centresNow = p;
            while (true) {
                double total = tree.total();
                if (!(total > 0)) { // every bound, hence every D², is 0: the textbook takes the lowest unpicked row
                    pick = 0;
                    while (picked[pick]) {
                        pick++;
                    }
                    break;
                }
                int i = tree.find(random.nextDouble() * total);
                double proposed = bound[i];
                if (stamp[i] < centresNow) {
                    pairsSinceFull += centresNow - stamp[i];
                    double v = nearest(z, i, a, k, gNorms, rows, centreColumns, stamp[i], centresNow, row, acc);
                    bound[i] = Math.min(bound[i], v);
                    stamp[i] = centresNow;
                    tree.set(i, bound[i]);
                }
                if (bound[i] == proposed || random.nextDouble() * proposed < bound[i]) {
                    pick = i;
                    break;
                }
                if (pairsSinceFull >= fullRefreshShare * (centresNow - refreshedTo) * (double) n) {
                    full.run(refreshedTo, centresNow);
                    refreshedTo = centresNow;
                    pairsSinceFull = 0;
                    tree = new SumTree(bound);
                }
            }
            rows[p] = pick;
            distances[p] = Math.sqrt(bound[pick]);
            picked[pick] = true;
            bound[pick] = 0;
            tree.set(pick, 0);
            z.copyRow(pick, row, 0);
            for (int c = 0; c < d; c++) {
                centreColumns[c][p] = row[c];
            }
        }
        return new Picks(rows, distances);
    }

    /**
     * When proposals are rejected, every row is refreshed in full passes (vectorised over the rows, on every thread)
     * once the single-row refreshes since the last full refresh have computed this share of the distances that full
     * refresh computes: a safety valve against bounds gone stale everywhere (e.g. many duplicate rows), which keeps
     * the single-row work (checked at each rejection) within a quarter of the full passes'. On SCAL-like data (50 blobs, b = 10³) it is never pulled: the
     * single-row refreshes compute 22 % of the textbook's N·b distances at N = 10⁴ and 0.5 % at 10⁵. (A rule of "32
     * rejections in one pick" made 331 full passes at 10⁵, 20 s against 3 s.)
     */
    static final double FULL_REFRESH_SHARE = 0.25;

    /**
     * {@code ‖g_i − g_j‖²} for the centres {@code j = rows[from..to)}, minimum over them, with the dot products
     * {@code z_i·z_j} summed in float over the coordinates ascending (as {@link EmbeddingTiles#dots}, so bit-identical
     * to the full pass) and the formula of the class comment in double. {@code row} and {@code acc} are scratch.
     */
    private static double nearest(EmbeddingTiles z, int i, float[] a, int k, double[] gNorms, int[] rows,
            float[][] centreColumns, int from, int to, float[] row, float[] acc) {
        int d = z.dimension();
        z.copyRow(i, row, 0);
        java.util.Arrays.fill(acc, from, to, 0f);
        for (int c = 0; c < d; c++) {
            float zc = row[c];
            float[] col = centreColumns[c];
            for (int j = from; j < to; j++) {
                acc[j] += col[j] * zc;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        int ai = i * k;
        for (int j = from; j < to; j++) {
            int centre = rows[j];
            int ac = centre * k;
            double aa = 0;
            for (int c = 0; c < k; c++) {
                aa += (double) a[ai + c] * a[ac + c];
            }
            double v = Math.max(0.0, gNorms[i] + gNorms[centre] - 2.0 * aa * acc[j]);
            best = Math.min(best, v);
        }
        return best;
    }

    /** Lowers every unpicked row's bound by full passes over the centres {@code rows[from..to)}. */
    private static final class Refresh {
        private final EmbeddingTiles z;
        private final float[] a;
        private final int k;
        private final double[] gNorms;
        private final double[] bound;
        private final int[] stamp;
        private final boolean[] picked;
        private final int[] rows;
        private final int threads;

        Refresh(EmbeddingTiles z, float[] a, int k, double[] gNorms, double[] bound, int[] stamp, boolean[] picked,
                int[] rows, int threads) {
            this.z = z;
            this.a = a;
            this.k = k;
            this.gNorms = gNorms;
            this.bound = bound;
            this.stamp = stamp;
            this.picked = picked;
            this.rows = rows;
            this.threads = threads;
        }

        void run(int from, int to) {
            for (int j = from; j < to; j++) {
                int centre = rows[j];
                int centreIndex = j;
                float[] zc = z.row(centre);
                double gc = gNorms[centre];
                int ac = centre * k;
                z.forEachTile(threads, (t, scratch) -> {
                    z.dots(t, zc, scratch);
                    int base = EmbeddingTiles.tileStart(t);
                    int count = z.rowsIn(t);
                    for (int r = 0; r < count; r++) {
                        int i = base + r;
                        if (picked[i] || stamp[i] > centreIndex) {
                            continue; // already counted (the same value again would change nothing)
                        }
                        double aa = 0;
                        int ai = i * k;
                        for (int c = 0; c < k; c++) {
                            aa += (double) a[ai + c] * a[ac + c];
                        }
                        // ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² − 2 (a_i·a_c)(z_i·z_c); see the class comment.
                        double v = Math.max(0.0, gNorms[i] + gc - 2.0 * aa * scratch[r]);
                        if (v < bound[i]) {
                            bound[i] = v;
                        }
                    }
                });
            }
            for (int i = 0; i < stamp.length; i++) {
                stamp[i] = Math.max(stamp[i], to);
            }
        }
    }

    /**
     * Draws a row with probability proportional to {@code weights} (picked rows have weight 0): one uniform draw
     * {@code u ∈ [0, Σw)}, then the first row whose running sum exceeds {@code u}. When every weight is 0, the
     * lowest unpicked row. Consumes exactly one {@code nextDouble()} per call.
     */
    static int sample(double[] weights, boolean[] picked, SplittableRandom random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = random.nextDouble() * total;
        if (total > 0) {
            double running = 0;
            int last = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 0) {
                    running += weights[i];
                    last = i;
                    if (running > u) {
                        return i;
                    }
                }
            }
            return last; // u rounded up to the total
        }
        for (int i = 0; i < picked.length; i++) {
            if (!picked[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no row left to pick");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BadgeSampling s && s.seed == seed && s.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, parallelism);
    }

    @Override
    public String toString() {
        return selectionDescription()
                + (parallelism > 0 ? ".withParallelism(" + parallelism + ")" : "");
    }

    /** {@link #toString()} without the thread count, which changes no selection. */
    @Override
    public String selectionDescription() {
        return "Strategies.badge().withSeed(" + seed + ")";
    }
}
