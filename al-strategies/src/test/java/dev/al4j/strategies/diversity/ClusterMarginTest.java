package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Predictions;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.core.TopK;
import dev.al4j.strategies.Strategies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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


    // ---- the round-robin ----

    @Test
    void roundRobinVisitsSmallestGroupsFirstAndPicksAtRandomWithinEach() {
        // ranked ids (lowest margin first): 5, 3, 8, 1, 7, 2; clusters: {5, 3, 8} = 0, {1} = 1, {7, 2} = 2.
        // Groups by size: {1}, {7, 2}, {5, 3, 8}. Pass 1 takes 1, one of {7, 2}, one of {5, 3, 8}; pass 2 the other
        // of {7, 2} and a second of {5, 3, 8}; pass 3 the last of {5, 3, 8}.
        int[] ranked = {5, 3, 8, 1, 7, 2};
        int[] clusterOf = {0, 0, 0, 1, 2, 2};
        Set<Integer> pair = Set.of(7, 2);
        Set<Integer> triple = Set.of(5, 3, 8);
        int[] firstOfTriple = new int[9];
        for (long seed = 0; seed < 3000; seed++) {
            int[] out = ClusterMargin.roundRobin(ranked, clusterOf, 6, new SplittableRandom(seed));
            assertEquals(1, out[0]);
            assertTrue(pair.contains(out[1]) && pair.contains(out[3]) && out[1] != out[3], Arrays.toString(out));
            assertEquals(triple, Set.of(out[2], out[4], out[5]), Arrays.toString(out));
            assertArrayEquals(Arrays.copyOf(out, 4),
                    ClusterMargin.roundRobin(ranked, clusterOf, 4, new SplittableRandom(seed)), "a prefix");
            firstOfTriple[out[2]]++;
        }
        // The pick within a group is uniform (the paper's random round-robin), not the margin order: each of the
        // three is first about 1 000 times in 3 000 (binomial sd 26; the bounds are 7.7 sd wide).
        for (int id : triple) {
            assertTrue(firstOfTriple[id] > 800 && firstOfTriple[id] < 1200, id + ": " + firstOfTriple[id]);
        }
    }

    @Test
    void equalSizeGroupsGoInMarginOrderOfTheirFirstMember() {
        // ranked 4, 9, 6, 2 with clusters 1, 0, 0, 1: both groups have 2; the group of id 4 (rank 0) goes first.
        for (long seed = 0; seed < 50; seed++) {
            int[] out = ClusterMargin.roundRobin(new int[] {4, 9, 6, 2}, new int[] {1, 0, 0, 1}, 4,
                    new SplittableRandom(seed));
            assertTrue(Set.of(4, 2).contains(out[0]) && Set.of(9, 6).contains(out[1])
                    && Set.of(4, 2).contains(out[2]) && Set.of(9, 6).contains(out[3]), Arrays.toString(out));
        }
    }

    // ---- whole selections by hand ----

    /**
     * Six ids in two 1-D blobs, A = {0, 0.5, 1} (ids 0, 1, 2) and B = {50, 50.5, 51} (ids 3, 4, 5), with margins
     * p₍₁₎ − p₍₂₎: id 0 (.6, .4) .2, id 1 (.55, .45) .1, id 2 (.9, .1) .8, id 3 (.52, .48) .04, id 4 (.7, .3) .4,
     * id 5 (.95, .05) .9. Cut into 2 clusters the blobs are the clusters.
     */
    static PrecomputedModel blobs() {
        double[][] p = {{.6, .4}, {.55, .45}, {.9, .1}, {.52, .48}, {.7, .3}, {.95, .05}};
        double[][] z = {{0}, {0.5}, {1}, {50}, {50.5}, {51}};
        return Fixtures.model(p, z);
    }

    @Test
    void handCheckedSelections() {
        PrecomputedModel model = blobs();
        Pool pool = Pool.withoutInputs(6, 2);
        for (long seed = 0; seed < 20; seed++) {
            ClusterMargin cm = Strategies.clusterMargin().withClusterCount(2).withSeed(seed);
            // b = 2, ρ = 1.5: k_m = 3 lowest margins 3 (.04), 1 (.1), 0 (.2); groups {3} (B) and {1, 0} (A); the
            // singleton first, then one of {1, 0} at random.
            Selection s = cm.withMarginFactor(1.5).select(pool, model, 2);
            assertEquals(3, s.ids()[0]);
            assertTrue(s.ids()[1] == 1 || s.ids()[1] == 0, Arrays.toString(s.ids()));
            assertEquals(0.96, s.scores().orElseThrow()[0], 1e-6); // 1 − margin
            assertEquals(s.ids()[1] == 1 ? 0.9 : 0.8, s.scores().orElseThrow()[1], 1e-6);
            // b = 4, ρ = 1.5: k_m = 6, all ids; groups B {3, 4, 5} and A {1, 0, 2} tie on size, B holds the lowest
            // margin (id 3) and goes first: B, A, B, A.
            int[] four = cm.withMarginFactor(1.5).select(pool, model, 4).ids();
            for (int i = 0; i < 4; i++) {
                assertEquals(i % 2 == 0, four[i] >= 3, Arrays.toString(four));
            }
            // The paper's distance threshold ε = 5 gives the same two clusters (merges at 0.5 and 0.75 within a blob,
            // about 50 between).
            assertArrayEquals(four, Strategies.clusterMargin().withDistanceThreshold(5).withSeed(seed)
                    .withMarginFactor(1.5).select(pool, model, 4).ids());
        }
        // ρ = 1, b = 1: k_m = 1, the lowest margin alone.
        assertArrayEquals(new int[] {3}, Strategies.clusterMargin().withMarginFactor(1).select(pool, model, 1).ids());
        // The default cut of 6 points is ⌈6 / 10⌉ = 1 cluster: every pick is a random one among the k_m = 6.
        assertEquals(1, Strategies.clusterMargin().clustering(pool, model).clusterCount());
    }

    // ---- the clustering: once per pool, what it is, what it is made from ----

    /** An {@link EmbeddingModel} over a {@link PrecomputedModel} that counts the ids it is asked to embed. */
    static final class CountingModel implements EmbeddingModel {
        final PrecomputedModel inner;
        final AtomicInteger embedded = new AtomicInteger();

        CountingModel(PrecomputedModel inner) {
            this.inner = inner;
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return inner.probabilities(pool, ids);
        }

        @Override
        public int embeddingSize() {
            return inner.embeddingSize();
        }

        @Override
        public Predictions predict(Pool pool, int[] ids) {
            embedded.addAndGet(ids.length);
            return inner.predict(pool, ids);
        }
    }

    @Test
    void clustersOncePerPoolAndReusesItEveryRound() {
        int n = 80;
        Pool pool = Pool.of(PoolInputs.of(Nd4j.zeros(DataType.FLOAT, n, 3)), 3).withLabels(new int[] {4, 9},
                new int[] {0, 1});
        ClusterMargin cm = Strategies.clusterMargin().withSeed(5);
        CountingModel first = new CountingModel(Fixtures.random(n, 3, 4, 1));
        Selection round1 = cm.select(pool, first, 5);
        assertEquals(n, first.embedded.get(), "round 1 embeds every pool id once (clustering and margins)");
        ClusterMargin.Clustering clustering = cm.clustering(pool, first);
        assertEquals(n, clustering.clusteredCount());
        assertEquals(8, clustering.clusterCount(), "⌈80 / 10⌉");
        // Later rounds: new models with other embeddings, more labels; nothing is embedded, the clustering stays.
        for (int round = 2; round <= 5; round++) {
            pool = pool.withLabels(round1.ids(), new int[round1.size()]);
            CountingModel later = new CountingModel(Fixtures.random(n, 3, 4, 10L * round));
            round1 = cm.select(pool, later, 5);
            assertEquals(0, later.embedded.get(), "round " + round);
            assertEquals(clustering, cm.clustering(pool, later), "round " + round);
            assertEquals(0, later.embedded.get(), "round " + round);
        }
        // A fresh object computes it again, from the model it is given: here a different clustering.
        CountingModel other = new CountingModel(Fixtures.random(n, 3, 4, 99));
        ClusterMargin.Clustering fresh = Strategies.clusterMargin().withSeed(5).clustering(pool, other);
        assertEquals(n, other.embedded.get());
        assertNotEquals(clustering, fresh);
        // The same object on a new run over the same inputs (an initial set that does not hold round 1's labeled
        // ids 4 and 9): clustered again.
        Pool newRun = Pool.of(pool.inputs().orElseThrow(), 3).withLabels(new int[] {4, 11}, new int[] {0, 1});
        assertEquals(fresh, cm.clustering(newRun, other));
        assertEquals(2 * n, other.embedded.get());
        // The selection agrees with one made by a strategy given that clustering explicitly.
        CountingModel m = new CountingModel(Fixtures.random(n, 3, 4, 7));
        assertArrayEquals(cm.select(newRun, m, 6).ids(),
                Strategies.clusterMargin().withSeed(5).withClustering(fresh).select(newRun, m, 6).ids());
    }

    @Test
    void aGivenClusteringNeedsOnlyProbabilities() {
        // Ids 0..5 as blobs A and B; a probabilities-only model (no embeddings).
        ClusterMargin.Clustering c = ClusterMargin.Clustering.of(new int[] {7, 7, 7, 2, 2, 2});
        assertEquals(2, c.clusterCount());
        PrecomputedModel probabilitiesOnly = PrecomputedModel.of(blobs().probabilities(Pool.withoutInputs(6, 2),
                new int[] {0, 1, 2, 3, 4, 5}));
        int[] four = Strategies.clusterMargin().withMarginFactor(1.5).withClustering(c)
                .select(Pool.withoutInputs(6, 2), probabilitiesOnly, 4).ids();
        for (int i = 0; i < 4; i++) {
            assertEquals(i % 2 == 0, four[i] >= 3, Arrays.toString(four));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin()
                .withClustering(c).select(Pool.withoutInputs(7, 2), blobs(), 2));
        assertTrue(e.getMessage().contains("the clustering given has 6 pool ids but the pool has 7"), e.getMessage());
        // Without a clustering, EMBEDDINGS needs an EmbeddingModel and says so.
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin()
                .select(Pool.withoutInputs(6, 2), probabilitiesOnly, 2));
        assertTrue(e.getMessage().contains("EmbeddingModel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterMargin.Clustering.of(new int[] {0, -2}));
        assertThrows(IllegalArgumentException.class, () -> ClusterMargin.Clustering.of(new int[] {-1, -1}));
        assertArrayEquals(new int[] {7, 7, 7, 2, 2, 2}, c.clusterOfIds());
    }

    @Test
    void clusteringEqualsNaiveAverageLinkageOfTheEmbeddings() {
        int n = 40;
        int d = 3;
        float[] z = Fixtures.gaussian(n, d, 21);
        PrecomputedModel model = Fixtures.model(TestModels.softmaxRows(n, 2, 2.0, new SplittableRandom(3)),
                Fixtures.rows(z, n, d));
        Pool pool = Pool.withoutInputs(n, 2);
        for (int clusters : new int[] {1, 4, 13}) {
            ClusterMargin.Clustering c = Strategies.clusterMargin().withClusterCount(clusters).clustering(pool, model);
            assertEquals(naiveClusters(z, n, d, clusters), partition(c.clusterOfIds()), "clusters=" + clusters);
        }
        // A named subset: only those ids are clustered (the rest -1), as the naive algorithm on their rows.
        int[] ids = {38, 2, 17, 5, 30, 11, 23, 8, 35, 14, 26, 0};
        ClusterMargin.Clustering c = Strategies.clusterMargin().withClusteredIds(ids).withClusterCount(3)
                .clustering(pool, model);
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        float[] sub = new float[sorted.length * d];
        int[] labels = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            System.arraycopy(z, sorted[i] * d, sub, i * d, d);
            labels[i] = c.clusterOf(sorted[i]);
        }
        assertEquals(naiveClusters(sub, sorted.length, d, 3), partition(labels));
        assertEquals(sorted.length, c.clusteredCount());
        assertEquals(n - sorted.length, Arrays.stream(c.clusterOfIds()).filter(v -> v == -1).count());
    }

    @Test
    void inputsFeaturesClusterTheFlattenedInputsAndNeedNoEmbeddings() {
        int n = 30;
        float[] x = Fixtures.gaussian(n, 4, 8);
        Pool pool = Pool.of(PoolInputs.of(Nd4j.create(x, new long[] {n, 2, 2}, 'c')), 3);
        PrecomputedModel probabilitiesOnly = PrecomputedModel.of(
                Nd4j.create(TestModels.softmaxRows(n, 3, 2.0, new SplittableRandom(4))));
        ClusterMargin cm = Strategies.clusterMargin().withClusteringFeatures(ClusterMargin.Features.INPUTS)
                .withClusterCount(5);
        assertEquals(naiveClusters(x, n, 4, 5), partition(cm.clustering(pool, probabilitiesOnly).clusterOfIds()));
        assertEquals(6, cm.select(pool, probabilitiesOnly, 6).size());
        // A pure function of the pool: a fresh object (a restarted run) with another model and more labels gets the
        // same clustering.
        PrecomputedModel other = Fixtures.random(n, 3, 4, 77);
        assertEquals(cm.clustering(pool, probabilitiesOnly), Strategies.clusterMargin()
                .withClusteringFeatures(ClusterMargin.Features.INPUTS).withClusterCount(5)
                .clustering(pool.withLabels(new int[] {3, 8}, new int[] {0, 2}), other));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cm.select(Pool.withoutInputs(n, 3), probabilitiesOnly, 2));
        assertTrue(e.getMessage().contains("Features.INPUTS") && e.getMessage().contains("has none"), e.getMessage());
    }

    @Test
    void aRandomSubsetIsSeededAndItsCandidatesComeFirst() {
        int n = 30;
        PrecomputedModel model = Fixtures.random(n, 3, 4, 2);
        Pool pool = Pool.withoutInputs(n, 3);
        ClusterMargin.Clustering c = Strategies.clusterMargin().withClusteredSubset(10).withSeed(4)
                .clustering(pool, model);
        assertEquals(10, c.clusteredCount());
        assertEquals(c, Strategies.clusterMargin().withClusteredSubset(10).withSeed(4).clustering(pool, model));
        assertNotEquals(c, Strategies.clusterMargin().withClusteredSubset(10).withSeed(5).clustering(pool, model));
        assertEquals(n, Strategies.clusterMargin().withClusteredSubset(n + 5).clustering(pool, model)
                .clusteredCount(), "a subset larger than the pool is the pool");
        // b = 14 > 10 clustered candidates: the 10 clustered ones first, then the 4 lowest margins of the others.
        Selection s = Strategies.clusterMargin().withClusteredSubset(10).withSeed(4).select(pool, model, 14);
        int[] clustered = IntStream.range(0, n).filter(id -> c.clusterOf(id) >= 0).toArray();
        int[] head = Arrays.copyOf(s.ids(), 10);
        Arrays.sort(head);
        assertArrayEquals(clustered, head);
        int[] others = IntStream.range(0, n).filter(id -> c.clusterOf(id) < 0).toArray();
        double[] u = Strategies.margin().score(pool, model, others);
        int[] top = TopK.top(u, others, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(others[top[i]], s.ids()[10 + i]);
        }
    }

    @Test
    void tooManyPointsFailsNamingTheOptionNeverCapsSilently() {
        int n = 30;
        PrecomputedModel model = Fixtures.random(n, 3, 4, 2);
        Pool pool = Pool.withoutInputs(n, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.clusterMargin().withMaxClusteredPoints(20).select(pool, model, 3));
        assertEquals("Cluster-Margin would cluster 30 points (every pool id), more than maxClusteredPoints = 20: "
                + "average linkage keeps a 30 x 30 float distance matrix (0.0 GiB). Cluster fewer points with "
                + "withClusteredSubset(int) or withClusteredIds(int[]), or raise withMaxClusteredPoints(int) "
                + "(at most 46340)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMaxClusteredPoints(20)
                .withClusteredIds(IntStream.range(0, 25).toArray()).select(pool, model, 3));
        assertTrue(e.getMessage().contains("25 points (the ids of withClusteredIds)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMaxClusteredPoints(20)
                .withClusteredSubset(21).select(pool, model, 3));
        assertTrue(e.getMessage().contains("21 points (the random subset of withClusteredSubset)"), e.getMessage());
        // The default cap, 20 000, and what it would say for Fashion-MNIST's 60 000.
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin()
                .select(Pool.withoutInputs(60_000, 3), model, 3));
        assertTrue(e.getMessage().contains("60000 points (every pool id), more than maxClusteredPoints = 20000: "
                + "average linkage keeps a 60000 x 60000 float distance matrix (13.4 GiB)"), e.getMessage());
        // At the cap it runs.
        assertEquals(3, Strategies.clusterMargin().withMaxClusteredPoints(20).withClusteredSubset(20)
                .select(pool, model, 3).size());
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        assertEquals("Strategies.clusterMargin()", Strategies.clusterMargin().toString());
        assertEquals("Strategies.clusterMargin().withMarginFactor(5.0).withMaxClusteredPoints(100)"
                + ".withDistanceThreshold(2.5).withClusteredSubset(50).withSeed(7)", Strategies.clusterMargin()
                        .withMarginFactor(5).withMaxClusteredPoints(100).withDistanceThreshold(2.5)
                        .withClusteredSubset(50).withSeed(7).toString());
        assertEquals("Strategies.clusterMargin().withClusterCount(12)"
                + ".withClusteringFeatures(ClusterMargin.Features.INPUTS).withClusteredIds(new int[] {1, 5, 9})"
                + ".withSeed(-3000000000L)", Strategies.clusterMargin().withDistanceThreshold(1).withClusterCount(12)
                        .withClusteringFeatures(ClusterMargin.Features.INPUTS).withClusteredSubset(4)
                        .withClusteredIds(new int[] {9, 1, 5}).withSeed(-3_000_000_000L).toString());
        assertEquals("Strategies.clusterMargin().withClustering(/* Clustering[2 of 3 ids in 1 clusters] */)",
                Strategies.clusterMargin().withClustering(ClusterMargin.Clustering.of(new int[] {0, -1, 0}))
                        .toString());
        assertEquals(Strategies.clusterMargin().withMarginFactor(5), Strategies.clusterMargin().withMarginFactor(5));
        assertEquals(Strategies.clusterMargin().withClusteredIds(new int[] {3, 1}).hashCode(),
                Strategies.clusterMargin().withClusteredIds(new int[] {1, 3}).hashCode());
        assertNotEquals(Strategies.clusterMargin(), Strategies.clusterMargin().withSeed(1));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMarginFactor(0.9));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMaxClusteredPoints(0));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withMaxClusteredPoints(46_341));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withDistanceThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withClusterCount(0));
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withClusteredSubset(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.clusterMargin().withClusteredIds(new int[] {3, 1, 3}));
        assertEquals("clusteredIds must not repeat, found 3 twice", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.clusterMargin().withClusteredIds(new int[0]));
        assertThrows(IndexOutOfBoundsException.class, () -> Strategies.clusterMargin()
                .withClusteredIds(new int[] {1, 40}).select(Pool.withoutInputs(30, 3), Fixtures.random(30, 3, 4, 2),
                        3));
    }
}
