package dev.al4j.strategies.diversity;

import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cluster-Margin (Citovsky, DeSalvo, Gentile, Karydas, Rajagopalan, Rostamizadeh &amp; Kumar, "Batch Active Learning
 * at Scale", NeurIPS 2021, Algorithm 1; seed 003, section 2.1: "It first runs hierarchical agglomerate clustering
 * with average-linkage as pre-processing [...] Cluster-Margin only runs clustering once as pre-processing").
 *
 * <p><b>What it computes.</b> Two steps, as in the paper:
 * <ol>
 *   <li><b>Once, as preprocessing of the pool:</b> hierarchical agglomerative clustering with average linkage
 *       (UPGMA, Euclidean; {@link AverageLinkage}) of the pool's points, every pool id (labeled ones too) or the
 *       subset named by {@link #withClusteredIds} / {@link #withClusteredSubset}. The dendrogram is cut at the
 *       paper's distance threshold {@code ε} ({@link #withDistanceThreshold}) or into a number of clusters
 *       ({@link #withClusterCount}); the default, al4j's choice since a threshold has no scale-free default, is
 *       {@code ⌈n / 10⌉} clusters for {@code n} clustered points (mean cluster size 10). The clustering is then
 *       reused, unchanged, in every round.</li>
 *   <li><b>Each round:</b> the {@code k_m = ⌈ρ·b⌉} clustered candidates with the lowest margin
 *       {@code p₍₁₎ − p₍₂₎} (ties toward the lower id; {@link #withMarginFactor}, ρ = 10 by default, al4j's choice)
 *       are grouped by their precomputed cluster; the groups are sorted by size ascending (the number of those
 *       {@code k_m} candidates in each; equal sizes: the group holding the lower-margin candidate first) and
 *       visited round-robin, smallest first, each visit taking one member at random (the paper's "random
 *       round-robin sampling from clusters", its Figure 1; seeded by {@link #withSeed}), until {@code b} are
 *       chosen. If fewer than {@code b} clustered
 *       candidates remain (a subset was clustered and is used up), the batch is completed with the remaining
 *       candidates of lowest margin. The score of each pick is its margin uncertainty {@code 1 − (p₍₁₎ − p₍₂₎)}.</li>
 * </ol>
 *
 * <p><b>Which points are clustered, from what, and when</b> ({@link #withClusteringFeatures}):
 * <ul>
 *   <li>{@link Features#EMBEDDINGS} (default, the paper's): the penultimate embeddings of the model passed to the
 *       first {@code select} call for a pool. In an {@code ActiveLearningLoop} that is round 1's model, trained on
 *       the random initial set, as in the paper (the model trained on the seed set). The strategy remembers the
 *       clustering (below) and uses it for every later round of that pool. A resumed loop (a new process) first
 *       calls it in the round it resumes at, so it clusters with that round's model and its later selections may
 *       differ from those of an uninterrupted run. For exact reproducibility use {@link Features#INPUTS}, or compute
 *       the clustering once with {@link #clustering(Pool, Model)}, save {@link Clustering#clusterOfIds()} and pass
 *       it back with {@link #withClustering}.</li>
 *   <li>{@link Features#INPUTS}: the pool's raw inputs, each flattened to a vector (Fashion-MNIST: 784 pixels). A
 *       pure function of the pool: identical after a restart. Needs a pool with inputs.</li>
 *   <li>{@link #withClustering(Clustering)}: a clustering the caller made (or saved); nothing is clustered, and the
 *       model needs only probabilities.</li>
 * </ul>
 *
 * <p><b>The remembered clustering.</b> A strategy object keeps the clusterings it computed in a small internal
 * cache (the 4 most recent), so that the configured object stays immutable in everything it exposes (value
 * {@code equals}, {@code hashCode}, {@code toString} ignore the cache) and thread-safe (the cache is synchronised;
 * two threads that miss at once both compute the same clustering). An entry is found again for a pool with the same
 * {@link PoolInputs} object (every pool derived by {@code withLabels}/{@code withCandidates} shares it; for a pool
 * without inputs, the same model object instead), the same size, and whose labeled ids include every id labeled when
 * the entry was made. That last condition tells apart two runs (trials) over the same pool: a new run starts from a
 * different initial set and gets its own clustering, while the rounds of one run, which only add labels, reuse it.
 * The cache holds the inputs and models only weakly; each entry costs {@code 4·N} bytes. So, unlike most al4j
 * strategies, whose {@code select} is a pure function of its arguments and seed, a default Cluster-Margin's
 * selection also depends on the first model it saw for the pool: the paper's algorithm is stateful by design. Given
 * a clustering, or with {@link Features#INPUTS}, it is a pure function again (and deterministic: same seed, same
 * selection).
 *
 * <p><b>Cost.</b> Once per pool, for {@code n} clustered points of dimension {@code d}: the forward pass over them
 * (EMBEDDINGS), {@code O(n²·d)} for the distances (ND4J gemm) and {@code O(n²)} for the nearest-neighbour-chain
 * merges, with {@code 4·n²} bytes for the distance matrix (freed afterwards). n is capped by
 * {@link #withMaxClusteredPoints} (default 20 000, a 1.5 GiB matrix): past the cap {@code select} fails with an
 * {@link IllegalArgumentException} naming the option; nothing is dropped silently. Measured once on this
 * project's shared 2-core machine (random Gaussian points, d = 256, the width of the MLP's last hidden layer):
 * n = 10 000 about 8 s (0.4 GB), n = 20 000 about 47 s (20 s distances, 27 s merges; 1.6 GB), growing as n² and
 * faster than n² once the matrix is far larger than the caches. Each round: one forward pass for the
 * probabilities of the N candidates, {@code O(N·K)} for the margins, {@code O(N log k_m)} for the lowest
 * {@code k_m}, {@code O(k_m)} for the round-robin; memory {@code O(N·K)} plus two arrays of the pool's size.
 *
 * <pre>{@code
 * QueryStrategy cm = Strategies.clusterMargin().withClusteredSubset(20_000).withSeed(7);
 * Selection next = cm.select(pool, model, 1000);   // round 1 clusters 20 000 ids; later rounds reuse it
 * }</pre>
 */
public final class ClusterMargin implements QueryStrategy {

    /** What the preprocessing clusters. */
    public enum Features {
        /** The embeddings of the model given to the first {@code select} call for a pool (the paper's). */
        EMBEDDINGS,
        /** The pool's raw inputs, flattened: a pure function of the pool, the same after a restart. */
        INPUTS
    }

    static final double DEFAULT_FACTOR = 10;
    /** The default cap on the number of clustered points: a {@code 4·20 000²}-byte (1.5 GiB) distance matrix. */
    public static final int DEFAULT_MAX_CLUSTERED_POINTS = 20_000;
    /** The largest cap: {@code 46 340² < 2³¹}, so the distance matrix fits one Java array (8 GiB). */
    public static final int MAX_CLUSTERED_POINTS = 46_340;
    /** The default mean cluster size: the dendrogram is cut into {@code ⌈n / 10⌉} clusters. */
    static final int DEFAULT_POINTS_PER_CLUSTER = 10;
    private static final int CACHE_ENTRIES = 4;

    private final double factor;
    private final int maxPoints;
    private final double threshold; // NaN unless cut at a distance
    private final int clusterCount; // 0 unless cut into a number of clusters
    private final Features features;
    private final int[] clusteredIds; // sorted; null unless named
    private final int subsetSize; // 0 unless a random subset
    private final long seed;
    private final Clustering given; // null unless withClustering
    private final Cache cache = new Cache(); // not part of the value: see the class javadoc

    private ClusterMargin(double factor, int maxPoints, double threshold, int clusterCount, Features features,
            int[] clusteredIds, int subsetSize, long seed, Clustering given) {
        this.factor = factor;
        this.maxPoints = maxPoints;
        this.threshold = threshold;
        this.clusterCount = clusterCount;
        this.features = features;
        this.clusteredIds = clusteredIds;
        this.subsetSize = subsetSize;
        this.seed = seed;
        this.given = given;
    }

    /**
     * Cluster-Margin with {@code ρ = 10}, clustering every pool id by the first model's embeddings into
     * {@code ⌈N / 10⌉} clusters, at most 20 000 clustered points, seed 0.
     */
    public static ClusterMargin create() {
        return new ClusterMargin(DEFAULT_FACTOR, DEFAULT_MAX_CLUSTERED_POINTS, Double.NaN, 0, Features.EMBEDDINGS,
                null, 0, 0, null);
    }

    /** A copy that considers the {@code k_m = ⌈ρ·b⌉} lowest-margin clustered candidates, {@code ρ >= 1}. */
    public ClusterMargin withMarginFactor(double rho) {
        Checks.checkArgument(rho >= 1 && rho < Double.POSITIVE_INFINITY,
                "marginFactor must be finite and >= 1, found %s", rho);
        return new ClusterMargin(rho, maxPoints, threshold, clusterCount, features, clusteredIds, subsetSize, seed,
                given);
    }

    /**
     * A copy that clusters at most {@code points} points, {@code 1 <= points <=} {@value #MAX_CLUSTERED_POINTS}
     * (memory {@code 4·points²} bytes). {@code select} fails with an {@link IllegalArgumentException} when the pool,
     * or the named subset, has more points than this.
     */
    public ClusterMargin withMaxClusteredPoints(int points) {
        Checks.checkArgument(points >= 1 && points <= MAX_CLUSTERED_POINTS,
                "maxClusteredPoints must be in [1, %d], found %d", MAX_CLUSTERED_POINTS, points);
        return new ClusterMargin(factor, points, threshold, clusterCount, features, clusteredIds, subsetSize, seed,
                given);
    }

    /**
     * A copy that cuts the dendrogram at average-linkage height {@code epsilon > 0} (the paper's {@code ε}: clusters
     * are the groups merged at distances {@code <= ε}) instead of into a number of clusters.
     */
    public ClusterMargin withDistanceThreshold(double epsilon) {
        Checks.checkArgument(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY,
                "distanceThreshold must be finite and > 0, found %s", epsilon);
        return new ClusterMargin(factor, maxPoints, epsilon, 0, features, clusteredIds, subsetSize, seed, given);
    }

    /**
     * A copy that cuts the dendrogram into {@code clusters >= 1} clusters (fewer points, as many clusters as points)
     * instead of at a distance.
     */
    public ClusterMargin withClusterCount(int clusters) {
        Checks.checkPositive(clusters, "clusterCount");
        return new ClusterMargin(factor, maxPoints, Double.NaN, clusters, features, clusteredIds, subsetSize, seed,
                given);
    }

    /** A copy that clusters {@code features} (default {@link Features#EMBEDDINGS}). */
    public ClusterMargin withClusteringFeatures(Features features) {
        Checks.checkNotNull(features, "features");
        return new ClusterMargin(factor, maxPoints, threshold, clusterCount, features, clusteredIds, subsetSize, seed,
                given);
    }

    /**
     * A copy that clusters only the pool ids {@code ids} (distinct, {@code >= 0}; each must be an id of the pool it
     * is used with) instead of every pool id. Candidates outside them are picked only when the clustered candidates
     * run out. Replaces a {@link #withClusteredSubset} setting.
     */
    public ClusterMargin withClusteredIds(int[] ids) {
        Checks.checkNotNull(ids, "clusteredIds");
        Checks.checkArgument(ids.length >= 1, "clusteredIds must name at least one id, found none");
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            Checks.checkArgument(sorted[i] >= 0, "clusteredIds must be pool ids >= 0, found %d", sorted[i]);
            Checks.checkArgument(i == 0 || sorted[i] != sorted[i - 1], "clusteredIds must not repeat, found %d twice",
                    sorted[i]);
        }
        return new ClusterMargin(factor, maxPoints, threshold, clusterCount, features, sorted, 0, seed, given);
    }

    /**
     * A copy that clusters a random subset of {@code size >= 1} pool ids (all of them when the pool is no larger),
     * drawn uniformly from every pool id with the strategy's seed, so the same for every round and after a restart.
     * Candidates outside it are picked only when the clustered candidates run out. Replaces a
     * {@link #withClusteredIds} setting.
     */
    public ClusterMargin withClusteredSubset(int size) {
        Checks.checkPositive(size, "clusteredSubset");
        return new ClusterMargin(factor, maxPoints, threshold, clusterCount, features, null, size, seed, given);
    }

    /** A copy with seed {@code seed} for the random subset and the random picks within clusters (default 0). */
    public ClusterMargin withSeed(long seed) {
        return new ClusterMargin(factor, maxPoints, threshold, clusterCount, features, clusteredIds, subsetSize, seed,
                given);
    }

    /**
     * A copy that uses {@code clustering} for every pool it is given (which must have
     * {@link Clustering#poolSize()} ids) and clusters nothing itself; the options about what and how to cluster are
     * then unused.
     */
    public ClusterMargin withClustering(Clustering clustering) {
        Checks.checkNotNull(clustering, "clustering");
        return new ClusterMargin(factor, maxPoints, threshold, clusterCount, features, clusteredIds, subsetSize, seed,
                clustering);
    }

    /**
     * The clustering this strategy uses for {@code pool}: the one given by {@link #withClustering}, the one it
     * remembers for this pool, or a new one computed now (from {@code model}'s embeddings with
     * {@link Features#EMBEDDINGS}) and remembered.
     *
     * @throws IllegalArgumentException when more points would be clustered than {@link #withMaxClusteredPoints}
     *     allows, a named id is outside the pool, the model lacks embeddings (EMBEDDINGS) or the pool has no inputs
     *     (INPUTS)
     */
    public Clustering clustering(Pool pool, Model model) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkClasses(pool, model);
        return clusteringAndScores(pool, model, null).clustering;
    }

    private record Prepared(Clustering clustering, double[] uncertainty) {}

    /**
     * The clustering for {@code pool} and, when {@code candidates} is not null, the margin uncertainty of each
     * candidate, read in the same forward pass as the embeddings when the clustering is computed from them.
     */
    private Prepared clusteringAndScores(Pool pool, Model model, int[] candidates) {
        if (given != null) {
            Checks.checkArgument(given.poolSize() == pool.size(),
                    "the clustering given has %d pool ids but the pool has %d", given.poolSize(), pool.size());
            return new Prepared(given, candidates == null ? null : margins(pool, model, candidates));
        }
        Object key = pool.inputs().<Object>map(in -> in).orElse(model);
        Clustering known = cache.find(key, pool);
        if (known != null) {
            return new Prepared(known, candidates == null ? null : margins(pool, model, candidates));
        }
        int[] ids = idsToCluster(pool.size());
        checkCap(ids.length, pool.size());
        EmbeddingTiles x;
        double[] uncertainty = null;
        if (features == Features.EMBEDDINGS) {
            EmbeddingModel m = Capabilities.require(model, EmbeddingModel.class, this);
            int[] read = candidates == null ? ids : union(ids, candidates);
            read = read.length == ids.length ? ids : read; // both sorted: equal
            ModelOutputs out = ModelOutputs.read(m, pool, read, candidates != null);
            x = read == ids ? out.embeddings : DiverseMiniBatch.subset(out.embeddings, rowsOf(ids, read));
            if (candidates != null) {
                // The margins of the candidates from the outputs just read: no second forward pass.
                uncertainty = DiverseMiniBatch.MARGIN.score(pool, new OutputCache(m, pool, out), candidates);
            }
        } else {
            x = inputs(pool, ids);
            uncertainty = candidates == null ? null : margins(pool, model, candidates);
        }
        Clustering made = Clustering.ofRows(pool.size(), ids, cut(x));
        cache.put(key, pool, made);
        return new Prepared(made, uncertainty);
    }

    private int[] idsToCluster(int poolSize) {
        if (clusteredIds != null) {
            Checks.checkIds(clusteredIds, poolSize, "clusteredIds");
            return clusteredIds;
        }
        int[] all = new int[poolSize];
        Arrays.setAll(all, i -> i);
        if (subsetSize == 0 || subsetSize >= poolSize) {
            return all;
        }
        // A partial Fisher–Yates shuffle: the first subsetSize entries are a uniform random subset.
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < subsetSize; i++) {
            int j = i + random.nextInt(poolSize - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] subset = Arrays.copyOf(all, subsetSize);
        Arrays.sort(subset);
        return subset;
    }

    private void checkCap(int points, int poolSize) {
        if (points > maxPoints) {
            String what = clusteredIds != null ? "the ids of withClusteredIds"
                    : points < poolSize ? "the random subset of withClusteredSubset" : "every pool id";
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Cluster-Margin would cluster %d points (%s), more than maxClusteredPoints = %d: average linkage "
                            + "keeps a %d x %d float distance matrix (%.1f GiB). Cluster fewer points with "
                            + "withClusteredSubset(int) or withClusteredIds(int[]), or raise withMaxClusteredPoints(int) "
                            + "(at most %d)", points, what, maxPoints, points, points,
                    4.0 * points * points / (1L << 30), MAX_CLUSTERED_POINTS));
        }
    }

    /** The cluster of each row of {@code x}, cut as configured. */
    private int[] cut(EmbeddingTiles x) {
        int n = x.size();
        AverageLinkage.Dendrogram tree = AverageLinkage.cluster(AverageLinkage.distances(x), n);
        if (!Double.isNaN(threshold)) {
            return tree.cutAt(threshold);
        }
        int count = clusterCount > 0 ? clusterCount
                : (n + DEFAULT_POINTS_PER_CLUSTER - 1) / DEFAULT_POINTS_PER_CLUSTER;
        return tree.cut(count);
    }

    /** The pool's inputs of {@code ids}, flattened to vectors, read in chunks and checked finite. */
    private EmbeddingTiles inputs(Pool pool, int[] ids) {
        PoolInputs in = pool.inputs().orElseThrow(() -> new IllegalArgumentException(
                this + " clusters the pool's inputs (Features.INPUTS), but the pool has none"));
        long size = 1;
        for (long s : in.sampleShape()) {
            size *= s;
        }
        Checks.checkArgument(size >= 1 && size <= Integer.MAX_VALUE / ModelOutputs.CHUNK,
                "Features.INPUTS needs inputs of 1 to %d values per sample, found %d",
                Integer.MAX_VALUE / ModelOutputs.CHUNK, size);
        int d = (int) size;
        EmbeddingTiles tiles = EmbeddingTiles.allocate(ids.length, d);
        for (int from = 0; from < ids.length; from += ModelOutputs.CHUNK) {
            int count = Math.min(ModelOutputs.CHUNK, ids.length - from);
            int[] chunk = Arrays.copyOfRange(ids, from, from + count);
            INDArray rows = in.rows(chunk);
            float[] v = QueryOutputs.toFloats(rows.reshape('c', count, d));
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "inputs must be finite, found %s for id %d", v[i], chunk[i / d]));
                }
            }
            tiles.setRows(from, v, 0, count);
        }
        return tiles;
    }

    private static double[] margins(Pool pool, Model model, int[] candidates) {
        return DiverseMiniBatch.MARGIN.score(pool, model, candidates);
    }

    /** The sorted union of two id lists, {@code a} sorted. */
    private static int[] union(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[m++] = all[i];
            }
        }
        return Arrays.copyOf(all, m);
    }

    /** The position of each of {@code ids} in the sorted {@code in}, which holds them all. */
    private static int[] rowsOf(int[] ids, int[] in) {
        int[] rows = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = Arrays.binarySearch(in, ids[i]);
        }
        return rows;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget,
                (candidates, start) -> select(pool, model, budget, candidates, start));
    }

    private Selection select(Pool pool, Model model, int budget, int[] candidates, long start) {
        Prepared prepared = clusteringAndScores(pool, model, candidates);
        Clustering clustering = prepared.clustering;
        double[] uncertainty = prepared.uncertainty;
        int n = candidates.length;
        int b = Math.min(budget, n);
        // The clustered candidates (positions in candidates) and their clusters.
        int[] eligible = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (clustering.clusterOf(candidates[i]) >= 0) {
                eligible[count++] = i;
            }
        }
        eligible = Arrays.copyOf(eligible, count);
        double[] eligibleScores = new double[count];
        int[] eligibleIds = new int[count];
        for (int i = 0; i < count; i++) {
            eligibleScores[i] = uncertainty[eligible[i]];
            eligibleIds[i] = candidates[eligible[i]];
        }
        int km = (int) Math.min(count, Math.ceil(factor * b));
        int[] ranked = TopK.top(eligibleScores, eligibleIds, km); // lowest margin first
        int[] rankedIds = new int[ranked.length];
        int[] rankedClusters = new int[ranked.length];
        for (int r = 0; r < ranked.length; r++) {
            rankedIds[r] = eligibleIds[ranked[r]];
            rankedClusters[r] = clustering.clusterOf(rankedIds[r]);
        }
        int[] picked = roundRobin(rankedIds, rankedClusters, b, new SplittableRandom(seed));
        int[] ids = Arrays.copyOf(picked, b);
        double[] scores = new double[b];
        int m = picked.length;
        if (m < b) { // the clustered candidates ran out: the lowest margins among the others
            boolean[] taken = new boolean[pool.size()];
            for (int id : picked) {
                taken[id] = true;
            }
            int[] rest = Arrays.stream(candidates).filter(id -> !taken[id]).toArray();
            double[] restScores = new double[rest.length];
            for (int i = 0, j = 0; i < n; i++) {
                if (!taken[candidates[i]]) {
                    restScores[j++] = uncertainty[i];
                }
            }
            for (int r : TopK.top(restScores, rest, b - m)) {
                ids[m++] = rest[r];
            }
        }
        int[] position = new int[pool.size()];
        for (int i = 0; i < n; i++) {
            position[candidates[i]] = i;
        }
        for (int i = 0; i < b; i++) {
            scores[i] = uncertainty[position[ids[i]]];
        }
        return Selection.of(ids, scores, System.nanoTime() - start);
    }

    /**
     * The paper's random round-robin: {@code ranked} are ids in margin order (lowest first) and {@code clusterOf}
     * their clusters. Groups by cluster, sorts the groups by size ascending (equal sizes: the group whose first
     * member comes first in {@code ranked}), shuffles each group with {@code random} (groups in that order, members
     * starting from margin order, so the result does not depend on id numbering), then takes one member of each
     * group per pass, smallest group first, until {@code want} ids or all of them are taken.
     */
    static int[] roundRobin(int[] ranked, int[] clusterOf, int want, SplittableRandom random) {
        List<List<Integer>> groups = new ArrayList<>();
        java.util.Map<Integer, List<Integer>> byCluster = new java.util.HashMap<>();
        for (int r = 0; r < ranked.length; r++) {
            List<Integer> group = byCluster.get(clusterOf[r]);
            if (group == null) {
                group = new ArrayList<>();
                byCluster.put(clusterOf[r], group);
                groups.add(group); // in the order of each group's first (lowest-margin) member
            }
            group.add(ranked[r]);
        }
        groups.sort((p, q) -> Integer.compare(p.size(), q.size())); // stable: ties keep first-member order
        for (List<Integer> g : groups) {
            for (int i = g.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer t = g.get(i);
                g.set(i, g.get(j));
                g.set(j, t);
            }
        }
        int total = Math.min(want, ranked.length);
        int[] out = new int[total];
        int m = 0;
        for (int pass = 0; m < total; pass++) {
            for (List<Integer> g : groups) {
                if (m < total && pass < g.size()) {
                    out[m++] = g.get(pass);
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterMargin s && Double.compare(s.factor, factor) == 0 && s.maxPoints == maxPoints
                && Double.compare(s.threshold, threshold) == 0 && s.clusterCount == clusterCount
                && s.features == features && Arrays.equals(s.clusteredIds, clusteredIds)
                && s.subsetSize == subsetSize && s.seed == seed && Objects.equals(s.given, given);
    }

    @Override
    public int hashCode() {
        return Objects.hash(factor, maxPoints, threshold, clusterCount, features, Arrays.hashCode(clusteredIds),
                subsetSize, seed, given);
    }

    /** How to build it; defaults are left out, and long id lists and given clusterings are summarised. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Strategies.clusterMargin()");
        if (factor != DEFAULT_FACTOR) {
            s.append(".withMarginFactor(").append(factor).append(')');
        }
        if (maxPoints != DEFAULT_MAX_CLUSTERED_POINTS) {
            s.append(".withMaxClusteredPoints(").append(maxPoints).append(')');
        }
        if (!Double.isNaN(threshold)) {
            s.append(".withDistanceThreshold(").append(threshold).append(')');
        }
        if (clusterCount > 0) {
            s.append(".withClusterCount(").append(clusterCount).append(')');
        }
        if (features != Features.EMBEDDINGS) {
            s.append(".withClusteringFeatures(ClusterMargin.Features.").append(features).append(')');
        }
        if (clusteredIds != null) {
            s.append(".withClusteredIds(new int[] {").append(clusteredIds.length <= 10
                    ? Arrays.toString(clusteredIds).replaceAll("[\\[\\]]", "")
                    : "/* " + clusteredIds.length + " ids */").append("})");
        }
        if (subsetSize > 0) {
            s.append(".withClusteredSubset(").append(subsetSize).append(')');
        }
        if (seed != 0) {
            s.append(".withSeed(").append(seed).append(seed == (int) seed ? "" : "L").append(')');
        }
        if (given != null) {
            s.append(".withClustering(/* ").append(given).append(" */)");
        }
        return s.toString();
    }

    /**
     * A flat clustering of pool ids, the result of Cluster-Margin's preprocessing: for each pool id its cluster
     * ({@code >= 0}) or {@code -1} when the id was not clustered. Immutable; value {@code equals}.
     */
    public static final class Clustering {

        private final int[] clusterOf;
        private final int clusters;
        private final int clustered;

        private Clustering(int[] clusterOf) {
            this.clusterOf = clusterOf;
            int max = -1;
            int count = 0;
            for (int c : clusterOf) {
                max = Math.max(max, c);
                count += c >= 0 ? 1 : 0;
            }
            boolean[] used = new boolean[max + 1];
            int distinct = 0;
            for (int c : clusterOf) {
                if (c >= 0 && !used[c]) {
                    used[c] = true;
                    distinct++;
                }
            }
            this.clusters = distinct;
            this.clustered = count;
        }

        /**
         * A clustering from the cluster of each pool id {@code 0..N-1} ({@code clusterOfIds.length = N}): a cluster
         * number {@code >= 0} (any numbering) or {@code -1} for an id left out. The array is copied.
         *
         * @throws IllegalArgumentException when the array is empty, a value is below {@code -1}, or no id is
         *     clustered
         */
        public static Clustering of(int[] clusterOfIds) {
            Checks.checkNotNull(clusterOfIds, "clusterOfIds");
            Checks.checkArgument(clusterOfIds.length >= 1, "clusterOfIds must cover a pool of >= 1 ids, found 0");
            boolean any = false;
            for (int i = 0; i < clusterOfIds.length; i++) {
                Checks.checkArgument(clusterOfIds[i] >= -1,
                        "clusterOfIds[%d] must be a cluster >= 0 or -1 (not clustered), found %d", i, clusterOfIds[i]);
                any |= clusterOfIds[i] >= 0;
            }
            Checks.checkArgument(any, "clusterOfIds must cluster at least one id, found only -1");
            return new Clustering(clusterOfIds.clone());
        }

        /** The clustering of {@code ids} (ascending) with {@code labels[i]} the cluster of {@code ids[i]}. */
        static Clustering ofRows(int poolSize, int[] ids, int[] labels) {
            int[] clusterOf = new int[poolSize];
            Arrays.fill(clusterOf, -1);
            for (int i = 0; i < ids.length; i++) {
                clusterOf[ids[i]] = labels[i];
            }
            return new Clustering(clusterOf);
        }

        /** The number {@code N} of pool ids it covers. */
        public int poolSize() {
            return clusterOf.length;
        }

        /** The number of distinct clusters. */
        public int clusterCount() {
            return clusters;
        }

        /** The number of clustered ids. */
        public int clusteredCount() {
            return clustered;
        }

        /** The cluster of pool id {@code id}, or {@code -1} when it was not clustered. */
        public int clusterOf(int id) {
            return clusterOf[Checks.checkId(id, clusterOf.length, "id")];
        }

        /** The cluster of every pool id, {@code -1} for ids not clustered: a copy, to save and pass to {@link #of}. */
        public int[] clusterOfIds() {
            return clusterOf.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Clustering c && Arrays.equals(c.clusterOf, clusterOf);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(clusterOf);
        }

        @Override
        public String toString() {
            return "Clustering[" + clustered + " of " + clusterOf.length + " ids in " + clusters + " clusters]";
        }
    }

    /**
     * The clusterings a strategy object computed, most recent first, at most {@value #CACHE_ENTRIES}. See the class
     * javadoc for when an entry matches.
     */
    private static final class Cache {
        private record Entry(WeakReference<Object> key, int poolSize, int[] labeledWhenMade, Clustering clustering) {}

        private final Deque<Entry> entries = new ArrayDeque<>();

        synchronized Clustering find(Object key, Pool pool) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                Object k = e.key.get();
                if (k == null) {
                    it.remove();
                } else if (k == key && e.poolSize == pool.size() && allLabeled(pool, e.labeledWhenMade)) {
                    return e.clustering;
                }
            }
            return null;
        }

        synchronized void put(Object key, Pool pool, Clustering clustering) {
            entries.addFirst(new Entry(new WeakReference<>(key), pool.size(), pool.labeled(), clustering));
            while (entries.size() > CACHE_ENTRIES) {
                entries.removeLast();
            }
        }

        private static boolean allLabeled(Pool pool, int[] ids) {
            for (int id : ids) {
                if (!pool.isLabeled(id)) {
                    return false;
                }
            }
            return true;
        }
    }
}
