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
     * The same seeding given the residuals {@code a = p − onehot(y)}, row-major {@code [n, K]}: the first pick is the
     * largest {@code ‖g‖} (ties toward the lower row), the others are {@link D2Sampler}'s D² draws (stale bounds and
     * rejection: the textbook distribution with one full pass instead of {@code b − 1}). The refreshed {@code D²}
     * values are bit-identical to the full passes' (the same float dot products summed in the same order, the same
     * double formula). The draws consume the random stream differently from the textbook draw, so a seed fixes the
     * selection but not the textbook's selection for that seed
     * ({@code BadgeSamplingTest.drawsFollowTheTextbookD2Distribution} checks the distribution).
     */
    static Picks kMeansPlusPlusOnResiduals(EmbeddingTiles z, float[] a, int k, int b, SplittableRandom random,
            int threads) {
        return kMeansPlusPlusOnResiduals(z, a, k, b, random, threads, D2Sampler.FULL_REFRESH_SHARE);
    }

    /**
     * The same, with every row refreshed at a rejection once the single-row refreshes since the last full refresh have
     * computed {@code fullRefreshShare} times the distances a full refresh would (0: at every rejection; for tests).
     */
    static Picks kMeansPlusPlusOnResiduals(EmbeddingTiles z, float[] a, int k, int b, SplittableRandom random,
            int threads, double fullRefreshShare) {
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
        int first = 0;
        for (int i = 1; i < n; i++) {
            if (gNorms[i] > gNorms[first]) {
                first = i;
            }
        }
        D2Sampler.Draws draws = D2Sampler.draw(n, null, first, b, new GradientDistances(z, a, k, gNorms, b, threads),
                random, fullRefreshShare);
        double[] distances = new double[b];
        distances[0] = Math.sqrt(gNorms[first]);
        for (int p = 1; p < b; p++) {
            distances[p] = Math.sqrt(draws.squaredDistances()[p]);
        }
        return new Picks(draws.rows(), distances);
    }

    /**
     * {@code ‖g_i − g_c‖²} between gradient embeddings, factored (see the class comment): the dot products
     * {@code z_i·z_c} summed in float over the coordinates ascending, in the single-row refreshes (vectorised over the
     * centres) as in the full passes ({@link EmbeddingTiles#dots}, vectorised over the rows), so both give the same
     * bits, then the formula in double.
     */
    private static final class GradientDistances implements D2Sampler.Metric {
        private final EmbeddingTiles z;
        private final float[] a;
        private final int k;
        private final double[] gNorms;
        private final int threads;
        private final int[] rows;
        private final float[][] centreColumns; // coordinate c of centre j at [c][j]: refreshes vectorise over j
        private final float[] row;
        private final float[] acc;

        GradientDistances(EmbeddingTiles z, float[] a, int k, double[] gNorms, int b, int threads) {
            this.z = z;
            this.a = a;
            this.k = k;
            this.gNorms = gNorms;
            this.threads = threads;
            this.rows = new int[b];
            this.centreColumns = new float[z.dimension()][b];
            this.row = new float[z.dimension()];
            this.acc = new float[b];
        }

        @Override
        public void addCentre(int j, int centre) {
            rows[j] = centre;
            z.copyRow(centre, row, 0);
            for (int c = 0; c < row.length; c++) {
                centreColumns[c][j] = row[c];
            }
        }

        @Override
        public double nearest(int i, int from, int to) {
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

        @Override
        public void lowerAll(int from, int to, double[] bound, int[] stamp, boolean[] picked) {
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
        }
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
