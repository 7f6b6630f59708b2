package dev.al4j.strategies;

import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * BatchBALD (Kirsch, van Amersfoort and Gal 2019, "BatchBALD: Efficient and Diverse Batch Acquisition for Deep
 * Bayesian Active Learning", NeurIPS; described in seed 001, Weng's overview, in {@code shared/seeds/}): selects
 * a batch that is informative <i>jointly</i>, by greedily maximising
 * the mutual information between the batch's labels and the model parameters,
 * {@code a(x_1..x_b) = I(y_1..y_b; ω) = H(y_1..y_b) − Σ_i E_ω[H(y_i | ω)]}, estimated from the {@code T} stochastic
 * passes of a {@link StochasticModel} as equally weighted samples of {@code ω}. Unlike top-{@code b} BALD it does not
 * pick near-duplicates: once a point is picked, a copy of it adds little information.
 *
 * <p>Greedy (the paper's Algorithm 1, a {@code 1 − 1/e} approximation since {@code a} is submodular): pick
 * {@code n} is the candidate {@code x} that maximises {@code I(y_x; ω | y_1..y_{n−1}) = H(y_1..y_{n−1}, y_x) −
 * H(y_1..y_{n−1}) − E_ω[H(y_x | ω)]}; the first pick is BALD's top pick. The joint entropy is computed as in the
 * paper's efficient implementation:
 * <ul>
 *   <li><b>exactly</b>, over all {@code K^{n−1}} class configurations of the picked points, while they number at
 *       most {@link #withExactLimit(int) exactLimit} (default 10 000);</li>
 *   <li><b>by sampling</b> beyond: {@link #withSamples(int) M} configurations (default 10 000, rounded up to a
 *       multiple of {@code T}) drawn from the joint predictive distribution, stratified over the passes and seeded
 *       by {@link #withSeed(long)}; an unbiased Monte Carlo estimate of the joint entropy.</li>
 * </ul>
 * {@link Selection#scores()} holds each pick's gain {@code I(y_x; ω | y_1..y_{n−1})} in nats; their sum is the
 * batch's {@code a(x_1..x_b)}. Gains within {@code 1e-12} nats count as ties, broken toward the lower id.
 *
 * <p>Cost, for N candidates, T passes, K classes, budget b and {@code C = min(K^{n−1}, exactLimit)} or {@code M}
 * configurations at pick {@code n}: {@code T} stochastic forward passes over the candidates, then per pick a
 * {@code [N·K, T] × [T, C]} matrix product and {@code N·K·C} logarithms, so {@code O(b·N·K·T·C)} time in all.
 * <b>Memory</b>: {@code 8·T·N·K} bytes (native) for the passes as doubles during the greedy loop, and up to
 * {@code 20·T·N·K} bytes while they are prepared (a float copy, a double copy on the heap, the native array); at most
 * {@code 8·T·max(exactLimit, M + T)} bytes for the configuration table, and two blocks of
 * {@code 2^22} doubles (64 MiB) for the joint probabilities of a block of candidates, whatever N, b and C. For large
 * pools, pre-filter the candidates (e.g. the top few thousand by BALD) as Kirsch et al. do.
 *
 * <p>The model must be a {@link StochasticModel}; any other model fails at once with an
 * {@link IllegalArgumentException} naming this strategy and the capability. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy strategy = Strategies.batchBald().withPasses(20).withSeed(7);
 * Selection next = strategy.select(pool, mcDropoutModel, 10);
 * double batchInformation = Arrays.stream(next.scores().orElseThrow()).sum();
 * }</pre>
 */
public final class BatchBald implements QueryStrategy {

    static final int DEFAULT_SAMPLES = 10_000;
    static final int DEFAULT_EXACT_LIMIT = 10_000;
    private static final int MODEL_DEFAULT = QueryOutputs.MODEL_DEFAULT_PASSES;
    private static final double TIE_TOLERANCE = 1e-12;

    private final int passes; // MODEL_DEFAULT: the model's defaultPasses()
    private final long seed;
    private final int samples;
    private final int exactLimit;

    private BatchBald(int passes, long seed, int samples, int exactLimit) {
        this.passes = passes;
        this.seed = seed;
        this.samples = samples;
        this.exactLimit = exactLimit;
    }

    /** BatchBALD with the model's default passes, seed 0, 10 000 samples and an exact limit of 10 000. */
    public static BatchBald create() {
        return new BatchBald(MODEL_DEFAULT, 0L, DEFAULT_SAMPLES, DEFAULT_EXACT_LIMIT);
    }

    /** A copy that asks the model for {@code passes >= 1} stochastic passes. */
    public BatchBald withPasses(int passes) {
        Checks.checkArgument(passes >= 1, "passes must be >= 1, found %d", passes);
        return new BatchBald(passes, seed, samples, exactLimit);
    }

    /** A copy whose model passes and configuration samples use {@code seed}. */
    public BatchBald withSeed(long seed) {
        return new BatchBald(passes, seed, samples, exactLimit);
    }

    /** A copy that draws {@code samples >= 1} configurations once the exact enumeration is too large. */
    public BatchBald withSamples(int samples) {
        Checks.checkArgument(samples >= 1, "samples must be >= 1, found %d", samples);
        return new BatchBald(passes, seed, samples, exactLimit);
    }

    /**
     * A copy that enumerates the picked points' class configurations exactly while there are at most
     * {@code configurations >= 1} of them ({@code 1} samples from the second pick on).
     */
    public BatchBald withExactLimit(int configurations) {
        Checks.checkArgument(configurations >= 1, "exactLimit must be >= 1, found %d", configurations);
        return new BatchBald(passes, seed, samples, configurations);
    }

    /** The number of passes, or empty when the model's default is used. */
    public OptionalInt passes() {
        return passes == MODEL_DEFAULT ? OptionalInt.empty() : OptionalInt.of(passes);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The number of sampled configurations. */
    public int samples() {
        return samples;
    }

    /** The largest number of configurations enumerated exactly. */
    public int exactLimit() {
        return exactLimit;
    }

    /**
     * Selects {@code min(budget, candidates)} candidates greedily.
     *
     * @throws IllegalArgumentException for a negative budget, a model that is not a {@link StochasticModel}, a class
     *     count that differs from the pool's, or passes with the wrong shape, NaN or infinity, or rows that do not
     *     sum to 1
     */
    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        StochasticModel stochastic = Capabilities.require(model, StochasticModel.class, this);
        Checks.checkClasses(pool, model);
        Checks.checkNonNegative(budget, "budget");
        int[] candidates = pool.candidates();
        int b = Math.min(budget, candidates.length);
        if (b == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        int n = candidates.length;
        int k = pool.numClasses();
        int t = QueryOutputs.passes(stochastic, passes);
        Checks.checkArgument((long) n * k * t < Integer.MAX_VALUE,
                "%s holds the passes of all candidates in memory: N*K*T = %d*%d*%d is too large; pre-filter the "
                        + "candidates", this, n, k, t);
        float[][] samplesByPass = QueryOutputs.passes(pool, stochastic, candidates, t, seed,
                "model stochastic probabilities");
        double[] expectedEntropy = UncertaintyScores.expectedEntropy(samplesByPass, n, k);
        INDArray byCandidate = candidateRows(samplesByPass, n, k); // [N·K, T]
        samplesByPass = null; // the float copy is no longer needed; let a large one be collected

        JointEntropy joint = new JointEntropy(t, k, exactLimit, samples, new SplittableRandom(seed));
        boolean[] taken = new boolean[n];
        int[] ids = new int[b];
        double[] gains = new double[b];
        for (int pick = 0; pick < b; pick++) {
            double[] withCandidate = joint.withCandidates(byCandidate, n);
            double picked = joint.entropy();
            int best = -1;
            double bestGain = 0;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double gain = withCandidate[i] - picked - expectedEntropy[i];
                if (best < 0 || gain > bestGain + TIE_TOLERANCE
                        || (Math.abs(gain - bestGain) <= TIE_TOLERANCE && candidates[i] < candidates[best])) {
                    best = i;
                    bestGain = gain;
                }
            }
            taken[best] = true;
            ids[pick] = candidates[best];
            gains[pick] = bestGain;
            if (pick + 1 < b) {
                joint.add(point(byCandidate, best, k, t));
            }
        }
        return Selection.of(ids, gains, System.nanoTime() - start);
    }

    /** The passes as {@code [N·K, T]} doubles, each pass's row divided by its sum: row {@code i·K + y}, column j. */
    static INDArray candidateRows(float[][] passes, int n, int k) {
        int t = passes.length;
        double[] data = new double[n * k * t];
        double[] row = new double[k];
        for (int j = 0; j < t; j++) {
            for (int i = 0; i < n; i++) {
                UncertaintyScores.loadNormalised(passes[j], i * k, k, row, 0);
                for (int y = 0; y < k; y++) {
                    data[(i * k + y) * t + j] = row[y];
                }
            }
        }
        return Nd4j.create(data, new long[] {(long) n * k, t}, 'c');
    }

    /** Candidate {@code i}'s probabilities as {@code [T, K]} row-major doubles: one small pull per pick. */
    private static double[] point(INDArray byCandidate, int i, int k, int t) {
        double[] rows = byCandidate.get(NDArrayIndex.interval((long) i * k, (long) (i + 1) * k), NDArrayIndex.all())
                .dup('c').data().asDouble(); // [K, T]
        double[] out = new double[t * k];
        for (int y = 0; y < k; y++) {
            for (int j = 0; j < t; j++) {
                out[j * k + y] = rows[y * t + j];
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchBald b && passes == b.passes && seed == b.seed && samples == b.samples
                && exactLimit == b.exactLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(passes, seed, samples, exactLimit);
    }

    @Override
    public String toString() {
        return "Strategies.batchBald()" + (passes == MODEL_DEFAULT ? "" : ".withPasses(" + passes + ")")
                + (seed == 0 ? "" : ".withSeed(" + JavaLiterals.ofLong(seed) + ")")
                + (samples == DEFAULT_SAMPLES ? "" : ".withSamples(" + samples + ")")
                + (exactLimit == DEFAULT_EXACT_LIMIT ? "" : ".withExactLimit(" + exactLimit + ")");
    }
}
