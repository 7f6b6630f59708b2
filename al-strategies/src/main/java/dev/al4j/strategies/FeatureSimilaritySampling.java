package dev.al4j.strategies;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Feature-similarity selection, the query of supervised contrastive active learning (SCAL): Krishnan, Sinha, Ahuja,
 * Subedar, Tickoo and Iyer, "Mitigating Sampling Bias and Improving Robustness in Active Learning", 2021, eq. 2
 * (seed 000 in {@code shared/seeds/}; {@code al4j run --strategies scal} runs it on the supervised contrastive
 * learner, as the paper does, and {@code feature-sim} on the run's cross-entropy network).
 *
 * <p>Each candidate {@code x} with predicted class {@code c = argmax p(x)} gets the score
 * {@code s(x) = max over labeled x' of class c of cos(z(x), z(x'))}, where {@code z} are the model's penultimate
 * features and {@code c} ranges over the labels the pool already has. The query picks, in every predicted class,
 * the candidates <em>least</em> similar to what is labeled in that class, {@code b / K} per class, so that the
 * acquired labels stay spread over the classes (the paper's remedy for sampling bias). SCAL is this selection on a
 * model trained with the supervised contrastive loss (al-dl4j provides that training); on any other
 * {@link EmbeddingModel} it is the paper's feature-similarity baseline.
 *
 * <p><b>Budget split</b> (the paper only says {@code b / K} per class). Each predicted class {@code c} has
 * {@code n_c} candidates. Quotas are filled like water: every class with candidates left gets an equal share
 * {@code floor(remaining / active)}, capped at what it has; a class that runs out leaves its unused share to the
 * others, and the sharing repeats until the budget is spent or no candidates are left. When fewer picks remain than
 * classes still active, the last picks go one each to the active classes whose next-in-line candidate has the lowest
 * score (ties toward the lower id), not to fixed class ids, so no class is favoured by its number. As a result, any
 * two classes' quotas differ by at most one unless the smaller one has run out of candidates.
 *
 * <p><b>Classes without labeled samples</b> have nothing to be similar to: their candidates score {@code -1}, the
 * lowest cosine, and are picked first within their class's quota. With no labels at all, every candidate scores
 * {@code -1} and the query reduces to a balanced split over predicted classes, lowest ids first. A zero feature
 * vector has cosine 0 with everything (norms are floored at {@code 1e-12}).
 *
 * <p><b>Precision</b>: the features are read as float32 (a {@code DOUBLE} array is rounded to nearest, as
 * {@code castTo(DataType.FLOAT)} rounds it); the labeled rows are normalised in double, the dot products and the
 * candidates' squared norms are summed in float, their quotient is taken in double. Equal candidate rows get equal
 * scores, whatever their position, chunk or thread.
 *
 * <p><b>Pick order</b>: round-robin over classes: first every class's least similar candidate, then every class's
 * second, and so on; within one round lower scores first, ties toward the lower id. Any prefix of the selection is
 * therefore balanced too. {@link Selection#scores()} holds each pick's similarity {@code s(x)}: lower was picked
 * first.
 *
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates (a
 * {@code PrecomputedModel} hands its rows over as Java arrays, with no ND4J op), read in chunks of 8 192 candidates;
 * norms O((N + L) d); then, per chunk and predicted class, the candidates' dot products with the normalised labeled
 * features of that class as a blocked matrix product in plain Java (tiles of 512 candidates, column-major, that
 * HotSpot vectorises; on every processor once a chunk has more than 4 M multiply-adds), summed in float:
 * O(sum over c of N_c L_c d) = O(N L d / K) for balanced classes, O(N L d) at worst; the split and the order
 * O(N log N). Memory: O(L d) for the labeled features, one chunk's features (16 MB at d = 512) and one 512-row tile
 * per thread, and O(N) for the scores, whatever N is. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy scal = Strategies.featureSimilarity();
 * Selection next = scal.select(pool, supConModel, 1000);
 * int[] ids = next.ids();
 * }</pre>
 */
public final class FeatureSimilaritySampling implements QueryStrategy {

    /** The score of a candidate whose predicted class has no labeled sample: the lowest cosine. */
    public static final double NO_LABELED_SAMPLE_SCORE = -1.0;

    private static final double NORM_FLOOR = 1e-12;

    FeatureSimilaritySampling() {}

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget, EmbeddingModel.class, this,
                (m, candidates, start) -> select(pool, m, budget, candidates, start));
    }

    private Selection select(Pool pool, EmbeddingModel m, int budget, int[] candidates, long start) {
        int k = pool.numClasses();
        FeatureRows rows = FeatureRows.labeled(pool, m);
        Scorer scorer = new Scorer(rows.labeled, rows.labels, k, rows.dimension,
                Runtime.getRuntime().availableProcessors());
        int[] predicted = new int[candidates.length];
        double[] similarity = new double[candidates.length];
        rows.forEachChunk(pool, m, candidates, (from, count, classes, x) -> {
            System.arraycopy(classes, 0, predicted, from, count);
            scorer.score(x, classes, similarity, from);
        });
        int[] order = balancedLeastSimilar(similarity, candidates, predicted, k, budget);
        return Selection.atPositions(order, candidates, similarity, start);
    }

    /**
     * Eq. 2 for every candidate: the largest cosine similarity between its features and those of the labeled
     * samples of its predicted class, or {@link #NO_LABELED_SAMPLE_SCORE} when that class has none.
     *
     * @param candidates row-major {@code [n, d]} candidate features
     * @param predicted the predicted class of each candidate
     * @param labeled row-major {@code [L, d]} labeled features
     * @param labels the label of each labeled row
     * @param threads the most threads to use
     */
    static double[] maxSameClassCosine(float[] candidates, int[] predicted, float[] labeled, int[] labels, int k,
            int d, int threads) {
        double[] out = new double[predicted.length];
        new Scorer(labeled, labels, k, d, threads).score(candidates, predicted, out, 0);
        return out;
    }

    /**
     * Eq. 2 against one labeled set. {@code max_j cos(z, l_j) = max_j (z · l_j/‖l_j‖) / ‖z‖}: the labeled rows are
     * normalised once (in double, rounded to float), each candidate's largest dot product with its class's normalised
     * rows is one blocked pass ({@link ClassTiles#maxDots}, summed in float), and the maximum is divided by the
     * candidate's norm afterwards, which saves normalising the {@code N × d} candidates. Norms are floored at
     * {@code 1e-12}. Tested against the pairwise definition in double ({@code FeatureSimilaritySamplingTest}).
     */
    static final class Scorer {
        private final int k;
        private final int d;
        private final float[][] units; // per class: row-major [L_c, d] normalised labeled features (length 0: none)
        private final int[] counts; // L_c
        private final Scratch[] scratch;

        Scorer(float[] labeled, int[] labels, int k, int d, int threads) {
            this.k = k;
            this.d = d;
            this.counts = new int[k];
            for (int c : labels) {
                counts[c]++;
            }
            this.units = new float[k][];
            int[] fill = new int[k];
            for (int c = 0; c < k; c++) {
                units[c] = new float[counts[c] * d];
            }
            double[] sums = squaredNorms(labeled, labels.length, d);
            for (int j = 0; j < labels.length; j++) {
                int c = labels[j];
                double norm = Math.max(Math.sqrt(sums[j]), NORM_FLOOR);
                float[] u = units[c];
                for (int q = 0, at = fill[c] * d, from = j * d; q < d; q++) {
                    u[at + q] = (float) (labeled[from + q] / norm);
                }
                fill[c]++;
            }
            this.scratch = new Scratch[Math.max(1, threads)];
        }

        /**
         * {@code Σ_q x[j][q]²} in double for each of the {@code n} rows of the row-major {@code [n, d]} {@code x}, summed
         * feature by feature in order; four rows at a time, so that four independent chains of additions overlap (the
         * same bits as one row at a time: each row's sum is the same sequence of operations).
         */
        static double[] squaredNorms(float[] x, int n, int d) {
            double[] out = new double[n];
            int j = 0;
            for (; j + 3 < n; j += 4) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int q = 0, a0 = j * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d; q < d; q++) {
                    double x0 = x[a0 + q], x1 = x[a1 + q], x2 = x[a2 + q], x3 = x[a3 + q];
                    s0 += x0 * x0;
                    s1 += x1 * x1;
                    s2 += x2 * x2;
                    s3 += x3 * x3;
                }
                out[j] = s0;
                out[j + 1] = s1;
                out[j + 2] = s2;
                out[j + 3] = s3;
            }
            for (; j < n; j++) {
                double sum = 0;
                for (int q = j * d, end = q + d; q < end; q++) {
                    sum += (double) x[q] * x[q];
                }
                out[j] = sum;
            }
            return out;
        }

        /** Scores the {@code predicted.length} row-major rows of {@code x} into {@code out[offset..]}. */
        void score(float[] x, int[] predicted, double[] out, int offset) {
            List<ClassTiles.Unit> work = new ArrayList<>();
            long products = 0;
            for (ClassTiles.Unit u : ClassTiles.units(predicted, k, ClassTiles.FLOAT_TILE)) {
                if (counts[u.cls()] == 0) {
                    for (int i = u.from(); i < u.to(); i++) {
                        out[offset + u.rows()[i]] = NO_LABELED_SAMPLE_SCORE;
                    }
                } else {
                    work.add(u);
                    products += (long) u.width() * counts[u.cls()] * d;
                }
            }
            ClassTiles.run(work, products, scratch, g -> new Scratch(d), (u, s) -> {
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.squaredNorms(s.columns, w, d, s.norms);
                ClassTiles.maxDots(s.columns, w, units[u.cls()], counts[u.cls()], d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    out[offset + u.rows()[u.from() + r]] = s.best[r] / Math.max(Math.sqrt(s.norms[r]), NORM_FLOOR);
                }
            });
        }
    }

    /** One worker's buffers: a float tile, two tile-wide rows and a block of accumulator rows. */
    private static final class Scratch {
        final float[][] columns;
        final float[] norms = new float[ClassTiles.FLOAT_TILE];
        final float[] best = new float[ClassTiles.FLOAT_TILE];
        final float[][] acc = new float[ClassTiles.DOT_BLOCK][ClassTiles.FLOAT_TILE];

        Scratch(int d) {
            columns = new float[d][ClassTiles.FLOAT_TILE];
        }
    }

    /**
     * The balanced least-similar selection described in the class javadoc.
     *
     * @param similarity one score per candidate position
     * @param ids the pool id of each position (for ties)
     * @param predicted the predicted class of each position
     * @return the chosen positions in pick order
     */
    static int[] balancedLeastSimilar(double[] similarity, int[] ids, int[] predicted, int k, int budget) {
        int n = similarity.length;
        Comparator<Integer> bySimilarityThenId = Comparator.<Integer>comparingDouble(i -> similarity[i])
                .thenComparingInt(i -> ids[i]);
        int[][] byClass = LabeledAndCandidates.groupByClass(predicted, k);
        List<int[]> sortedByClass = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            sortedByClass.add(Arrays.stream(byClass[c]).boxed().sorted(bySimilarityThenId)
                    .mapToInt(Integer::intValue).toArray());
        }
        int[] quota = new int[k];
        int remaining = Math.min(budget, n);
        while (remaining > 0) {
            int active = 0;
            for (int c = 0; c < k; c++) {
                if (quota[c] < byClass[c].length) {
                    active++;
                }
            }
            int share = remaining / active; // active >= 1 since remaining <= candidates left
            if (share == 0) {
                // Fewer picks left than active classes: one each to the classes whose next candidate scores lowest.
                List<Integer> next = new ArrayList<>();
                for (int c = 0; c < k; c++) {
                    if (quota[c] < byClass[c].length) {
                        next.add(sortedByClass.get(c)[quota[c]]);
                    }
                }
                next.sort(bySimilarityThenId);
                for (int j = 0; j < remaining; j++) {
                    quota[predicted[next.get(j)]]++;
                }
                remaining = 0;
            } else {
                for (int c = 0; c < k; c++) {
                    int add = Math.min(share, byClass[c].length - quota[c]);
                    quota[c] += add;
                    remaining -= add;
                }
            }
        }
        // Round-robin pick order: rank within class first, then score, then id.
        int total = Arrays.stream(quota).sum();
        Integer[] picked = new Integer[total];
        int[] rank = new int[n];
        int j = 0;
        for (int c = 0; c < k; c++) {
            int[] sorted = sortedByClass.get(c);
            for (int r = 0; r < quota[c]; r++) {
                picked[j++] = sorted[r];
                rank[sorted[r]] = r;
            }
        }
        Arrays.sort(picked, Comparator.<Integer>comparingInt(i -> rank[i]).thenComparing(bySimilarityThenId));
        return Arrays.stream(picked).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSimilaritySampling;
    }

    @Override
    public int hashCode() {
        return FeatureSimilaritySampling.class.hashCode();
    }

    @Override
    public String toString() {
        return "Strategies.featureSimilarity()";
    }
}
