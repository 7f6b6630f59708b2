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

/**
 * k-means sampling (the "KMeansSampling" baseline of DeepAL, Huang 2021, and of the core-set paper's comparison;
 * "KMeans" in seed 003, Table 6):
 * k-means with {@code k = b} on the candidates' embeddings (k-means++ seeding, then Lloyd iterations), then the
 * candidate nearest each centroid. Clusters come in seeding order; if some cluster ends up empty (duplicate
 * embeddings), the remaining candidates farthest from their centroid fill the batch, so exactly {@code min(b, N)}
 * distinct ids come back. With {@code b >= N} every candidate is returned, ascending.
 *
 * <p>Lloyd stops when no assignment changes or after {@link #withMaxIterations} updates (default 10: most of the
 * movement happens in the first few, and each costs a full {@code N × b × d} pass).
 *
 * <p>Each candidate joins the centroid nearest by the squared Euclidean distance summed in double (ties to the
 * earlier centroid), so near-ties are ordered as float64 orders them (before 2026-12-07 they followed the float32
 * scores of an ND4J gemm, which could differ in the last bits; the numpy script, in float64, agrees with the new order).
 *
 * <p>The k-means++ seeds are drawn by {@link D2Sampler} (the sampler behind {@link BadgeSampling}): each seed follows
 * the textbook D² distribution exactly, but since 2026-12-07 the random stream is used differently, so a seed selects
 * other ids than before that date (and than the textbook draw with that seed); a seed still fixes the selection,
 * whatever the thread count ({@code KMeansSamplingTest.seedingFollowsTheTextbookD2Distribution} checks the
 * distribution with a chi-square test).
 *
 * <p>Cost: O((1 + I)·b·N·d) time for I Lloyd iterations, at most, and far less on clustered embeddings: the seeding
 * refreshes only the rows it proposes (one full pass in all), the first assignment and the iterations skip, exactly,
 * the distances that triangle-inequality bounds rule out (Yinyang's group bounds and Elkan's centroid-pair bound:
 * on SCAL-like data about 2 % of the N·b distances per iteration, each a SIMD sum when the JVM has the Vector API
 * module); see {@code LloydKMeans}. Memory O((N + b)·d + 64·N + b²): a float copy of the embeddings, 65 floats of
 * bounds per candidate, the {@code b²} centroid pairs. On {@link #withParallelism} threads.
 * Seeded at construction; immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy kMeans = Strategies.kMeans().withSeed(3);
 * Selection next = kMeans.select(pool, model, 100);   // model: an EmbeddingModel
 * }</pre>
 */
public final class KMeansSampling implements QueryStrategy {

    static final int DEFAULT_MAX_ITERATIONS = 10;

    private final long seed;
    private final int maxIterations;
    private final int parallelism;

    private KMeansSampling(long seed, int maxIterations, int parallelism) {
        this.seed = seed;
        this.maxIterations = maxIterations;
        this.parallelism = parallelism;
    }

    /** k-means sampling with seed 0, at most 10 Lloyd iterations, every processor. */
    public static KMeansSampling create() {
        return new KMeansSampling(0, DEFAULT_MAX_ITERATIONS, 0);
    }

    /** A copy with another seed for the k-means++ seeding. */
    public KMeansSampling withSeed(long seed) {
        return new KMeansSampling(seed, maxIterations, parallelism);
    }

    /** A copy that runs at most {@code iterations >= 0} Lloyd updates (0: the k-means++ seeds are the centroids). */
    public KMeansSampling withMaxIterations(int iterations) {
        return new KMeansSampling(seed, Checks.checkNonNegative(iterations, "maxIterations"), parallelism);
    }

    /**
     * A copy whose Java passes use at most {@code threads} threads (ND4J's gemm keeps its own BLAS threads); the
     * selection does not depend on it.
     */
    public KMeansSampling withParallelism(int threads) {
        return new KMeansSampling(seed, maxIterations, Parallelism.check(threads));
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        EmbeddingModel m = QueryOutputs.begin(pool, model, budget, EmbeddingModel.class, this);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], System.nanoTime() - start);
        }
        EmbeddingTiles x = ModelOutputs.read(m, pool, candidates, false).embeddings;
        if (budget >= candidates.length) {
            return Selection.of(candidates, System.nanoTime() - start);
        }
        LloydKMeans.Clustering clustering = LloydKMeans.run(x, null, budget, maxIterations,
                new SplittableRandom(seed), Parallelism.threads(parallelism));
        int[] rows = LloydKMeans.representatives(clustering, budget);
        int[] ids = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids[i] = candidates[rows[i]];
        }
        return Selection.of(ids, System.nanoTime() - start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KMeansSampling s && s.seed == seed && s.maxIterations == maxIterations
                && s.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, maxIterations, parallelism);
    }

    @Override
    public String toString() {
        return selectionDescription()
                + (parallelism > 0 ? ".withParallelism(" + parallelism + ")" : "");
    }

    /** {@link #toString()} without the thread count, which changes no selection. */
    @Override
    public String selectionDescription() {
        return "Strategies.kMeans().withSeed(" + seed + ")"
                + (maxIterations != DEFAULT_MAX_ITERATIONS ? ".withMaxIterations(" + maxIterations + ")" : "");
    }
}
