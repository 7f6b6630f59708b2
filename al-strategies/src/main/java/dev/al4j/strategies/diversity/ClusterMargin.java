package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cluster-Margin (Citovsky, DeSalvo, Gentile, Karydas, Rajagopalan, Rostamizadeh &amp; Kumar, "Batch Active Learning
 * at Scale", NeurIPS 2021, Algorithm 1): hierarchical agglomerative clustering with average linkage of the
 * embeddings, then the {@code k_m = ρ·b} lowest-margin candidates (margin {@code p₍₁₎ − p₍₂₎}) grouped by cluster;
 * clusters are visited round-robin, smallest first, each visit taking its next candidate in margin order.
 *
 * <p>The paper clusters the whole pool once and reuses the clustering across rounds; a {@link QueryStrategy} is a
 * pure function of its inputs, so here each call clusters, and only the points that can be picked: the
 * {@code M = min(N, ⌈ρ·b⌉, maxClusteredPoints)} lowest-margin candidates (ties toward the lower id). Average
 * linkage needs the full {@code M × M} distance matrix ({@code 4·M²} bytes), so {@code M} is capped by
 * {@link #withMaxClusteredPoints} (default 4 096, 64 MiB). The dendrogram is cut into {@code b} clusters, or at
 * the linkage height given by {@link #withDistanceThreshold} (the paper's ε). If {@code b > M}, the batch is
 * completed with the next lowest-margin candidates. Equal-size clusters are visited in the order of their most
 * uncertain member (margin order, ties toward the lower id). The score of each pick is its margin uncertainty {@code 1 − (p₍₁₎ − p₍₂₎)}.
 *
 * <p>Cost: O(N·(d + K)) to read, O(M²·d) for the distances (ND4J gemm, on its BLAS threads) and O(M²) for the
 * clustering; memory O(N·(d + K) + M²). Deterministic; immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy cm = Strategies.clusterMargin().withMarginFactor(10);
 * Selection next = cm.select(pool, model, 100);   // model: an EmbeddingModel
 * }</pre>
 */
public final class ClusterMargin implements QueryStrategy {

    static final double DEFAULT_FACTOR = 10;
    static final int DEFAULT_MAX_POINTS = 4096;
    static final int MAX_POINTS = 46_340; // 46 340² < 2³¹

    private final double factor;
    private final int maxPoints;
    private final double threshold; // NaN: cut into b clusters

    private ClusterMargin(double factor, int maxPoints, double threshold) {
        this.factor = factor;
        this.maxPoints = maxPoints;
        this.threshold = threshold;
    }

    /** Cluster-Margin with {@code ρ = 10}, at most 4 096 clustered points, cut into b clusters. */
    public static ClusterMargin create() {
        return new ClusterMargin(DEFAULT_FACTOR, DEFAULT_MAX_POINTS, Double.NaN);
    }

    /** A copy that considers the {@code ⌈ρ·b⌉} lowest-margin candidates, {@code ρ >= 1}. */
    public ClusterMargin withMarginFactor(double rho) {
        Checks.checkArgument(rho >= 1 && rho < Double.POSITIVE_INFINITY, "marginFactor must be finite and >= 1, found %s",
                rho);
        return new ClusterMargin(rho, maxPoints, threshold);
    }

    /**
     * A copy that clusters at most {@code points} candidates, {@code 1 <= points <= 46 340} (memory
     * {@code 4·points²} bytes; the bound keeps the matrix within one Java array).
     */
    public ClusterMargin withMaxClusteredPoints(int points) {
        Checks.checkArgument(points >= 1 && points <= MAX_POINTS, "maxClusteredPoints must be in [1, %d], found %d",
                MAX_POINTS, points);
        return new ClusterMargin(factor, points, threshold);
    }

    /** A copy that cuts the dendrogram at average-linkage height {@code epsilon > 0} instead of into b clusters. */
    public ClusterMargin withDistanceThreshold(double epsilon) {
        return new ClusterMargin(factor, maxPoints, Checks.checkPositive(epsilon, "distanceThreshold"));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        EmbeddingModel m = Queries.begin(pool, model, budget, this);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        ModelOutputs out = ModelOutputs.read(m, pool, candidates, true);
        double[] uncertainty = MarginUncertainty.scores(out.probabilities, out.numClasses);
        int n = candidates.length;
        int b = Math.min(budget, n);
        int points = (int) Math.min(Math.min(n, Math.ceil(factor * b)), maxPoints);
        int[] ranked = TopK.top(uncertainty, candidates, Math.max(points, b)); // most uncertain first
        int[] clustered = Arrays.copyOf(ranked, points);
        int[] sortedRows = clustered.clone();
        Arrays.sort(sortedRows); // row order = id order
        int[] labels = clusterLabels(DiverseMiniBatch.subset(out.embeddings, sortedRows), b);
        int[] labelOfRow = new int[n];
        Arrays.fill(labelOfRow, -1);
        int clusters = 0;
        for (int i = 0; i < points; i++) {
            labelOfRow[sortedRows[i]] = labels[i];
            clusters = Math.max(clusters, labels[i] + 1);
        }
        int[] order = roundRobin(clustered, labelOfRow, clusters, b);
        int[] ids = new int[b];
        double[] scores = new double[b];
        int m2 = 0;
        for (int row : order) {
            ids[m2] = candidates[row];
            scores[m2++] = uncertainty[row];
        }
        for (int i = points; m2 < b; i++) { // b > M: the next lowest margins
            ids[m2] = candidates[ranked[i]];
            scores[m2++] = uncertainty[ranked[i]];
        }
        return Selection.of(ids, scores, System.nanoTime() - start);
    }

    private int[] clusterLabels(EmbeddingTiles x, int b) {
        AverageLinkage.Dendrogram tree = AverageLinkage.cluster(
                AverageLinkage.distances(x), x.size());
        return Double.isNaN(threshold) ? tree.cut(b) : tree.cutAt(threshold);
    }

    /**
     * Round-robin over clusters, smallest first (equal sizes: the cluster whose first member in {@code ranked}
     * comes first), each visit taking the cluster's next member in {@code ranked} order, until {@code want} rows or
     * all clustered rows are taken.
     */
    static int[] roundRobin(int[] ranked, int[] labelOfRow, int clusters, int want) {
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            members.add(new ArrayList<>());
        }
        int[] firstRank = new int[clusters];
        Arrays.fill(firstRank, Integer.MAX_VALUE);
        for (int r = 0; r < ranked.length; r++) {
            int c = labelOfRow[ranked[r]];
            members.get(c).add(ranked[r]);
            firstRank[c] = Math.min(firstRank[c], r);
        }
        Integer[] visit = new Integer[clusters];
        for (int c = 0; c < clusters; c++) {
            visit[c] = c;
        }
        Arrays.sort(visit, (p, q) -> members.get(p).size() != members.get(q).size()
                ? Integer.compare(members.get(p).size(), members.get(q).size())
                : Integer.compare(firstRank[p], firstRank[q]));
        int total = Math.min(want, ranked.length);
        int[] out = new int[total];
        int m = 0;
        for (int round = 0; m < total; round++) {
            for (int c : visit) {
                if (m < total && round < members.get(c).size()) {
                    out[m++] = members.get(c).get(round);
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterMargin s && s.factor == factor && s.maxPoints == maxPoints
                && Objects.equals(s.threshold, threshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(factor, maxPoints, threshold);
    }

    @Override
    public String toString() {
        return "Strategies.clusterMargin()"
                + (factor != DEFAULT_FACTOR ? ".withMarginFactor(" + factor + ")" : "")
                + (maxPoints != DEFAULT_MAX_POINTS ? ".withMaxClusteredPoints(" + maxPoints + ")" : "")
                + (Double.isNaN(threshold) ? "" : ".withDistanceThreshold(" + threshold + ")");
    }
}
