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
 * {@code ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² − 2(a_i·a_c)(z_i·z_c)}, clamped at 0 against float cancellation. Each pick
 * costs one pass {@code z_i·z_c} over the candidates' features. {@code BadgeSamplingTest.factoredEqualsMaterialised}
 * proves the picks equal those of the materialised algorithm with the same seed.
 *
 * <p>Cost: O(b·N·(d + K)) time in b passes over the {@code N × d} features, on {@link #withParallelism} threads;
 * memory O(N·(d + K)). Randomness comes from a {@link SplittableRandom} seeded at construction. Immutable and
 * thread-safe.
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
        long start = System.nanoTime();
        EmbeddingModel m = QueryOutputs.begin(pool, model, budget, EmbeddingModel.class, this);
        int[] candidates = QueryOutputs.candidates(pool, budget);
        if (candidates == null) {
            return QueryOutputs.empty(start);
        }
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

    /** The same seeding given the residuals {@code a = p − onehot(y)}, row-major {@code [n, K]}. */
    static Picks kMeansPlusPlusOnResiduals(EmbeddingTiles z, float[] a, int k, int b, SplittableRandom random,
            int threads) {
        int n = z.size();
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
        double[] d2 = new double[n];
        java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
        boolean[] picked = new boolean[n];
        int[] rows = new int[b];
        double[] distances = new double[b];
        int pick = 0;
        for (int i = 1; i < n; i++) {
            if (gNorms[i] > gNorms[pick]) {
                pick = i;
            }
        }
        distances[0] = Math.sqrt(gNorms[pick]);
        for (int p = 0; p < b; p++) {
            rows[p] = pick;
            picked[pick] = true;
            d2[pick] = 0;
            if (p == b - 1) {
                break;
            }
            int centre = pick;
            float[] zc = z.row(centre);
            double gc = gNorms[centre];
            int ac = centre * k;
            z.forEachTile(threads, (t, scratch) -> {
                z.dots(t, zc, scratch);
                int base = EmbeddingTiles.tileStart(t);
                int count = z.rowsIn(t);
                for (int r = 0; r < count; r++) {
                    int i = base + r;
                    if (picked[i]) {
                        continue;
                    }
                    double aa = 0;
                    int ai = i * k;
                    for (int c = 0; c < k; c++) {
                        aa += (double) a[ai + c] * a[ac + c];
                    }
                    // ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² − 2 (a_i·a_c)(z_i·z_c); see the class comment.
                    double v = Math.max(0.0, gNorms[i] + gc - 2.0 * aa * scratch[r]);
                    if (v < d2[i]) {
                        d2[i] = v;
                    }
                }
            });
            pick = sample(d2, picked, random);
            distances[p + 1] = Math.sqrt(d2[pick]);
        }
        return new Picks(rows, distances);
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
