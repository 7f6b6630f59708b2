package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterMarginTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.clusterMargin();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    /**
     * Textbook average linkage, O(M³): Euclidean distances in double; repeatedly merge the two clusters whose mean
     * pairwise member distance is smallest (lower indices on ties) until {@code clusters} remain.
     */
    static Set<Set<Integer>> naiveClusters(float[] x, int m, int d, int clusters) {
        double[][] dist = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double e = (double) x[i * d + k] - x[j * d + k];
                    s += e * e;
                }
                dist[i][j] = Math.sqrt(s);
            }
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            groups.add(new ArrayList<>(List.of(i)));
        }
        while (groups.size() > clusters) {
            int bestA = -1;
            int bestB = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < groups.size(); a++) {
                for (int b = a + 1; b < groups.size(); b++) {
                    double s = 0;
                    for (int i : groups.get(a)) {
                        for (int j : groups.get(b)) {
                            s += dist[i][j];
                        }
                    }
                    s /= groups.get(a).size() * groups.get(b).size();
                    if (s < best) {
                        best = s;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            groups.get(bestA).addAll(groups.remove(bestB));
        }
        Set<Set<Integer>> out = new HashSet<>();
        for (List<Integer> g : groups) {
            out.add(new HashSet<>(g));
        }
        return out;
    }

    static Set<Set<Integer>> partition(int[] labels) {
        List<Set<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            while (groups.size() <= labels[i]) {
                groups.add(new HashSet<>());
            }
            groups.get(labels[i]).add(i);
        }
        return new HashSet<>(groups);
    }

    @Test
    void linkageEqualsTheNaiveAlgorithm() {
        for (int[] c : new int[][] {{40, 3}, {90, 7}}) {
            int m = c[0];
            int d = c[1];
            float[] x = Fixtures.gaussian(m, d, 31L * m);
            AverageLinkage.Dendrogram tree = AverageLinkage.cluster(
                    AverageLinkage.distances(EmbeddingTiles.ofRows(x, m, d)), m);
            for (int clusters : new int[] {1, 2, 5, m / 3, m - 1, m}) {
                assertEquals(naiveClusters(x, m, d, clusters), partition(tree.cut(clusters)),
                        "m=" + m + " clusters=" + clusters);
            }
        }
    }

    @Test
    void tiledDistancesEqualTheTextbookDistances() {
        // ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y in float with clamping, against sqrt(Σ (x − y)²) in double.
        int m = 1100;
        int d = 9;
        float[] x = Fixtures.gaussian(m, d, 4);
        float[] dist = AverageLinkage.distances(EmbeddingTiles.ofRows(x, m, d));
        for (int i = 0; i < m; i += 7) {
            for (int j = 0; j < m; j += 5) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double e = (double) x[i * d + k] - x[j * d + k];
                    s += e * e;
                }
                assertEquals(Math.sqrt(s), dist[i * m + j], 1e-4 * (1 + Math.sqrt(s)), i + "," + j);
            }
        }
    }

    @Test
    void thresholdCutMergesExactlyTheCloseGroups() {
        // 1-D points {0, 1} and {10, 11.5}: merges at heights 1 (0-1), 1.5 (10-11.5), then the average of the four
        // cross distances (10 + 11.5 + 9 + 10.5) / 4 = 10.25. A threshold of 2 keeps two clusters; 20 one.
        float[] x = {0, 1, 10, 11.5f};
        AverageLinkage.Dendrogram tree = AverageLinkage.cluster(
                AverageLinkage.distances(EmbeddingTiles.ofRows(x, 4, 1)), 4);
        double[] heights = tree.heights().clone();
        Arrays.sort(heights);
        assertArrayEquals(new double[] {1, 1.5, 10.25}, heights, 1e-6);
        assertArrayEquals(new int[] {0, 0, 1, 1}, tree.cutAt(2));
        assertArrayEquals(new int[] {0, 0, 0, 0}, tree.cutAt(20));
        assertArrayEquals(new int[] {0, 1, 2, 3}, tree.cutAt(0.5));
    }

    @Test
    void roundRobinVisitsSmallestClustersFirst() {
        // ranked rows (most uncertain first): 5, 3, 8, 1, 7, 2; clusters: {5, 3, 8} = 0, {1} = 1, {7, 2} = 2.
        // Visit order by size: 1 (size 1), 2 (size 2), 0 (size 3). Round 1: 1, 7, 5; round 2: 2, 3; round 3: 8.
        int[] labelOfRow = new int[10];
        labelOfRow[5] = 0;
        labelOfRow[3] = 0;
        labelOfRow[8] = 0;
        labelOfRow[1] = 1;
        labelOfRow[7] = 2;
        labelOfRow[2] = 2;
        int[] ranked = {5, 3, 8, 1, 7, 2};
        assertArrayEquals(new int[] {1, 7, 5, 2, 3, 8}, ClusterMargin.roundRobin(ranked, labelOfRow, 3, 6));
        assertArrayEquals(new int[] {1, 7, 5, 2}, ClusterMargin.roundRobin(ranked, labelOfRow, 3, 4));
    }

    @Test
    void handCheckedSelection() {
        // Six candidates in two 1-D blobs, margins from the probabilities: id 0 (.6,.4) m .2, id 1 (.55,.45) m .1,
        // id 2 (.9,.1) m .8 at blob A {0, 0.5, 1}; id 3 (.52,.48) m .04, id 4 (.7,.3) m .4, id 5 (.95,.05) m .9 at blob
        // B {50, 50.5, 51}. b = 2, ρ = 2: the 4 lowest margins are ids 3, 1, 0, 4; cut into 2 clusters {1, 0} and
        // {3, 4}; equal sizes, so the cluster of id 3 (most uncertain) goes first: picks 3 then 1.
        double[][] p = {{.6, .4}, {.55, .45}, {.9, .1}, {.52, .48}, {.7, .3}, {.95, .05}};
        double[][] z = {{0}, {0.5}, {1}, {50}, {50.5}, {51}};
        PrecomputedModel model = Fixtures.model(p, z);
        Selection s = Strategies.clusterMargin().withMarginFactor(2).select(Pool.withoutInputs(6, 2), model, 2);
        assertArrayEquals(new int[] {3, 1}, s.ids());
        assertArrayEquals(new double[] {0.96, 0.9}, s.scores().orElseThrow(), 1e-6); // 1 - margin
        // A cap of 3 clustered points: ids 3, 1, 0 into 2 clusters {3} and {1, 0}: picks 3, 1.
        assertArrayEquals(new int[] {3, 1}, Strategies.clusterMargin().withMarginFactor(2).withMaxClusteredPoints(3)
                .select(Pool.withoutInputs(6, 2), model, 2).ids());
        // A cap of 1: only id 3 is clustered; the batch is completed in margin order with id 1.
        assertArrayEquals(new int[] {3, 1, 0}, Strategies.clusterMargin().withMaxClusteredPoints(1)
                .select(Pool.withoutInputs(6, 2), model, 3).ids());
        // Threshold 5 cuts into the two blobs whatever b is: with b = 4 and ρ = 1.5 the 6 candidates form clusters
        // {0, 1, 2} and {3, 4, 5}, visited from the one holding id 3: 3, 1, 4, 0.
        assertArrayEquals(new int[] {3, 1, 4, 0}, Strategies.clusterMargin().withMarginFactor(1.5)
                .withDistanceThreshold(5).select(Pool.withoutInputs(6, 2), model, 4).ids());
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.clusterMargin()", Strategies.clusterMargin().toString());
        assertEquals("Strategies.clusterMargin().withMarginFactor(5.0).withMaxClusteredPoints(100)"
                + ".withDistanceThreshold(2.5)", Strategies.clusterMargin().withMarginFactor(5)
                        .withMaxClusteredPoints(100).withDistanceThreshold(2.5).toString());
        assertEquals(Strategies.clusterMargin().withMarginFactor(5), Strategies.clusterMargin().withMarginFactor(5));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMarginFactor(0.9));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMaxClusteredPoints(0));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withDistanceThreshold(-1));
    }
}
