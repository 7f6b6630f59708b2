package dev.al4j.strategies;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Contrastive active learning (CAL): Margatina, Vernikos, Barrault and Aletras, "Active Learning by Acquiring
 * Contrastive Examples", EMNLP 2021, Algorithm 1 (described in seed 001, Weng's overview, in {@code shared/seeds/}).
 *
 * <p>A contrastive candidate is close to labeled samples in feature space but predicted differently from them. For
 * each candidate {@code x} with predicted distribution {@code q = p(y|x)}, al4j finds its {@code k} nearest labeled
 * samples {@code x_1..x_k} by Euclidean distance between penultimate features and scores
 * {@code s(x) = (1/k) sum_j KL(p(y|x_j) || q)}, the neighbours' <em>predicted</em> distributions (not their labels)
 * against the candidate's, in the direction of the paper's Algorithm 1 and its reference code. The {@code b}
 * highest scores are picked, highest first, ties toward the lower id.
 *
 * <p>Details: neighbours at equal distance are taken in ascending pool id; when fewer than {@code k} samples are
 * labeled, all of them are the neighbours; probabilities under {@code 1e-12} count as {@code 1e-12} inside the
 * logarithm (with {@code 0 log 0 = 0}), so a confident zero does not make the score infinite. The query needs at
 * least one labeled sample.
 *
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates; distances as
 * {@code |l|^2 - 2 z.l} (the candidate's own norm does not change its neighbours) from one gemm per block of
 * candidates, O(N L d), blocked so that at most 4 M distances are held at once; the {@code k} nearest per row with
 * a bounded heap, O(N L log k); the KL terms through {@code KL(p||q) = sum p log p - sum p log q}, O(N k K).
 * Memory O((N + L)(d + K)) plus the distance block. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy cal = Strategies.contrastiveActiveLearning().withNeighbours(10);
 * Selection next = cal.select(pool, model, 1000);
 * int[] ids = next.ids();
 * }</pre>
 */
public final class ContrastiveActiveLearning implements QueryStrategy, AcquisitionFunction {

    /** The default number of neighbours, as in the paper. */
    public static final int DEFAULT_NEIGHBOURS = 10;

    static final double PROBABILITY_FLOOR = 1e-12;

    private static final long BLOCK_ENTRIES = 1L << 22;

    private final int neighbours;

    private ContrastiveActiveLearning(int neighbours) {
        this.neighbours = neighbours;
    }

    static ContrastiveActiveLearning create() {
        return new ContrastiveActiveLearning(DEFAULT_NEIGHBOURS);
    }

    /**
     * Uses the {@code k} nearest labeled samples.
     *
     * @throws IllegalArgumentException unless {@code k >= 1}
     */
    public ContrastiveActiveLearning withNeighbours(int k) {
        Checks.checkPositive(k, "neighbours");
        return new ContrastiveActiveLearning(k);
    }

    /** The number of neighbours {@code k}. */
    public int neighbours() {
        return neighbours;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return TopK.of(this, toString()).select(pool, model, budget);
    }

    /**
     * The mean KL divergence from each id's nearest labeled neighbours' predictions to its own.
     *
     * @throws IllegalArgumentException when the pool has no labeled sample
     */
    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        EmbeddingModel m = QueryOutputs.beginScores(pool, model, ids, EmbeddingModel.class, this);
        Checks.checkArgument(pool.labeledCount() >= 1,
                "%s needs at least one labeled sample to find neighbours, but the pool has %d", this,
                pool.labeledCount());
        if (ids.length == 0) {
            return new double[0];
        }
        LabeledAndCandidates data = LabeledAndCandidates.predict(pool, m, ids);
        return meanNeighbourKl(data.embeddings, data.probabilities, data.labeledEmbeddings, data.labeledProbabilities,
                neighbours);
    }

    /**
     * The CAL score of every candidate row.
     *
     * @param candidates {@code [n, d]} candidate features
     * @param candidateProbabilities {@code [n, K]}
     * @param labeled {@code [L, d]} labeled features, rows in ascending pool id ({@code L >= 1})
     * @param labeledProbabilities {@code [L, K]} the model's predictions for the labeled rows
     * @param k the number of neighbours
     */
    static double[] meanNeighbourKl(INDArray candidates, INDArray candidateProbabilities, INDArray labeled,
            INDArray labeledProbabilities, int k) {
        int n = candidates.rows();
        int l = labeled.rows();
        int classes = candidateProbabilities.columns();
        int kk = Math.min(k, l);
        double[] p = labeledProbabilities.dup('c').data().asDouble();
        double[] q = candidateProbabilities.dup('c').data().asDouble();
        double[] negativeEntropy = new double[l];
        for (int j = 0; j < l; j++) {
            double s = 0;
            for (int c = 0; c < classes; c++) {
                double v = p[j * classes + c];
                if (v > 0) {
                    s += v * Math.log(Math.max(v, PROBABILITY_FLOOR));
                }
            }
            negativeEntropy[j] = s;
        }
        double[] labeledNorms = labeled.mul(labeled).sum(1).toDoubleVector();
        double[] out = new double[n];
        int block = (int) Math.max(1, Math.min(n, BLOCK_ENTRIES / l));
        double[] keys = new double[kk];
        int[] nearest = new int[kk];
        double[] meanP = new double[classes];
        for (int from = 0; from < n; from += block) {
            int to = Math.min(n, from + block);
            INDArray zb = candidates.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
            double[] dots = Nd4j.gemm(zb, labeled, false, true).dup('c').data().asDouble();
            for (int i = from; i < to; i++) {
                int row = (i - from) * l;
                int size = nearestNeighbours(dots, row, labeledNorms, kk, keys, nearest);
                java.util.Arrays.fill(meanP, 0);
                double meanNegativeEntropy = 0;
                for (int t = 0; t < size; t++) {
                    int j = nearest[t];
                    meanNegativeEntropy += negativeEntropy[j];
                    for (int c = 0; c < classes; c++) {
                        meanP[c] += p[j * classes + c];
                    }
                }
                // mean_j KL(p_j || q) = mean_j sum_c p_jc log p_jc - sum_c (mean_j p_jc) log q_c
                double crossTerm = 0;
                for (int c = 0; c < classes; c++) {
                    crossTerm += meanP[c] * Math.log(Math.max(q[i * classes + c], PROBABILITY_FLOOR));
                }
                out[i] = (meanNegativeEntropy - crossTerm) / size;
            }
        }
        return out;
    }

    /**
     * The {@code kk} labeled rows nearest to one candidate, by key {@code |l_j|^2 - 2 z.l_j}, ties toward the lower
     * row, via a bounded max-heap whose root is the worst kept neighbour. Returns how many were found (= kk).
     */
    private static int nearestNeighbours(double[] dots, int rowStart, double[] labeledNorms, int kk, double[] keys,
            int[] nearest) {
        int l = labeledNorms.length;
        int size = 0;
        for (int j = 0; j < l; j++) {
            double key = labeledNorms[j] - 2 * dots[rowStart + j];
            if (size < kk) {
                keys[size] = key;
                nearest[size] = j;
                siftUp(keys, nearest, size++);
            } else if (key < keys[0]) { // equal keys keep the earlier (lower) row already held
                keys[0] = key;
                nearest[0] = j;
                siftDown(keys, nearest, size);
            }
        }
        return size;
    }

    private static boolean worse(double ka, int ja, double kb, int jb) {
        return ka > kb || (ka == kb && ja > jb);
    }

    private static void siftUp(double[] keys, int[] idx, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(keys[i], idx[i], keys[parent], idx[parent])) {
                return;
            }
            swap(keys, idx, i, parent);
            i = parent;
        }
    }

    private static void siftDown(double[] keys, int[] idx, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int right = left + 1;
            int top = i;
            if (left < size && worse(keys[left], idx[left], keys[top], idx[top])) {
                top = left;
            }
            if (right < size && worse(keys[right], idx[right], keys[top], idx[top])) {
                top = right;
            }
            if (top == i) {
                return;
            }
            swap(keys, idx, i, top);
            i = top;
        }
    }

    private static void swap(double[] keys, int[] idx, int a, int b) {
        double tk = keys[a];
        keys[a] = keys[b];
        keys[b] = tk;
        int ti = idx[a];
        idx[a] = idx[b];
        idx[b] = ti;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContrastiveActiveLearning c && neighbours == c.neighbours;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(neighbours);
    }

    @Override
    public String toString() {
        return neighbours == DEFAULT_NEIGHBOURS ? "Strategies.contrastiveActiveLearning()"
                : "Strategies.contrastiveActiveLearning().withNeighbours(" + neighbours + ")";
    }
}
