package dev.al4j.strategies;

import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * <p><b>Pick order</b>: round-robin over classes: first every class's least similar candidate, then every class's
 * second, and so on; within one round lower scores first, ties toward the lower id. Any prefix of the selection is
 * therefore balanced too. {@link Selection#scores()} holds each pick's similarity {@code s(x)}: lower was picked
 * first.
 *
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates; norms,
 * O((N + L) d); then one gemm per predicted class between its candidates and the labeled features of that
 * class, blocked so that at most 4 M similarities are held at once: O(sum over c of N_c L_c d) = O(N L d / K)
 * for balanced classes, O(N L d) at worst; the split and the order O(N log N). Memory O((N + L) d) for the features
 * plus at most 4 M similarities. Immutable and thread-safe.
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

    /** Most similarities held at once by one gemm block. */
    private static final long BLOCK_ENTRIES = 1L << 22;

    private static final double NORM_FLOOR = 1e-12;

    FeatureSimilaritySampling() {}

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNonNegative(budget, "budget");
        Checks.checkArgument(model.numClasses() == pool.numClasses(), "model has %d classes but the pool has %d",
                model.numClasses(), pool.numClasses());
        EmbeddingModel m = Capabilities.require(model, EmbeddingModel.class, this);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        LabeledAndCandidates data = LabeledAndCandidates.predict(pool, m, candidates);
        int[] predicted = data.predictedClasses();
        double[] similarity = maxSameClassCosine(data.embeddings, predicted, data.labeledEmbeddings, data.labels,
                pool.numClasses());
        int[] order = balancedLeastSimilar(similarity, candidates, predicted, pool.numClasses(), budget);
        int[] ids = new int[order.length];
        double[] scores = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = candidates[order[i]];
            scores[i] = similarity[order[i]];
        }
        return Selection.of(ids, scores, System.nanoTime() - start);
    }

    /**
     * Eq. 2 for every candidate: the largest cosine similarity between its features and those of the labeled
     * samples of its predicted class, or {@link #NO_LABELED_SAMPLE_SCORE} when that class has none.
     *
     * @param candidates {@code [n, d]} candidate features
     * @param predicted the predicted class of each candidate
     * @param labeled {@code [L, d]} labeled features
     * @param labels the label of each labeled row
     */
    static double[] maxSameClassCosine(INDArray candidates, int[] predicted, INDArray labeled, int[] labels, int k) {
        int n = predicted.length;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        // max_j cos(z, l_j) = max_j (z . l_j / |l_j|) / |z|: only the labeled side is normalised up front, and each
        // row maximum is divided by the candidate's norm afterwards, saving a pass over the N x d candidates.
        double[] candidateNorms = candidates.norm2(1).toDoubleVector();
        INDArray lHat = labels.length == 0 ? null : normalizeRows(labeled);
        int[][] candidatesByClass = LabeledAndCandidates.groupByClass(predicted, k);
        int[][] labeledByClass = LabeledAndCandidates.groupByClass(labels, k);
        for (int c = 0; c < k; c++) {
            int[] rows = candidatesByClass[c];
            if (rows.length == 0) {
                continue;
            }
            if (labeledByClass[c].length == 0) {
                for (int r : rows) {
                    out[r] = NO_LABELED_SAMPLE_SCORE;
                }
                continue;
            }
            INDArray lc = Nd4j.pullRows(lHat, 1, labeledByClass[c]);
            int block = (int) Math.max(1, Math.min(rows.length, BLOCK_ENTRIES / labeledByClass[c].length));
            for (int from = 0; from < rows.length; from += block) {
                int[] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + block));
                INDArray zb = Nd4j.pullRows(candidates, 1, part);
                double[] best = Nd4j.gemm(zb, lc, false, true).max(1).toDoubleVector();
                for (int i = 0; i < part.length; i++) {
                    out[part[i]] = best[i] / Math.max(candidateNorms[part[i]], NORM_FLOOR);
                }
            }
        }
        return out;
    }

    /** Rows divided by their L2 norm, floored at {@code 1e-12}. */
    static INDArray normalizeRows(INDArray x) {
        INDArray norms = Transforms.max(x.norm2(1), NORM_FLOOR, false).reshape(x.rows(), 1);
        return x.divColumnVector(norms);
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
