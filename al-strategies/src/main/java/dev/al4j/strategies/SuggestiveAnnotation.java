package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Suggestive Annotation, SA (Yang, Zhang, Chen, Zhang and Chen 2017, "Suggestive Annotation: A Deep Active Learning
 * Framework for Biomedical Image Segmentation", MICCAI; seed 001, Weng's overview, "Hybrid"): a two-step hybrid of
 * uncertainty and representativeness.
 * <ol>
 *   <li><b>Uncertainty.</b> A {@link Committee} of {@code C} networks, each trained on a bootstrap resample of the
 *       labeled set ({@link Committee#bootstrapLearner}), scores each candidate by the disagreement of its members:
 *       the variance of their probabilities, averaged over the classes, {@code u(x) = (1/K) Σ_k Var_c[p_ck(x)]}
 *       (population variance over the members; Yang et al. average the per-pixel variance of their FCNs' outputs
 *       over an image, here a sample has one output per class). The {@code ρ·b} most uncertain candidates form
 *       {@code S_c} (ties toward the lower id).</li>
 *   <li><b>Representativeness.</b> From {@code S_c}, the {@code b} samples {@code S_a} chosen greedily to maximise
 *       {@code F(S_a) = Σ_{x ∈ S_u} max_{s ∈ S_a} cos(x, s)}, {@code S_u} the unlabeled candidates of the query (the
 *       loop's candidate subset, or every unlabeled sample): Yang et al.'s generalised maximum set cover (seed 001
 *       states F and the greedy: start from {@code S_a = ∅, F = 0} and add, {@code b} times, the sample of
 *       {@code S_c} that makes {@code F(S_a ∪ {s})} largest; ties toward the lower id). {@code F} is monotone and
 *       submodular, so the greedy keeps Nemhauser et al.'s {@code 1 − 1/e} guarantee.</li>
 * </ol>
 *
 * <p><b>{@code ρ} (the paper's {@code K/k}).</b> Yang et al. pick {@code K} uncertain images and keep {@code k} of
 * them (seed 001 names both but its copy drops the values; the paper uses {@code K = 16}, {@code k = 8}, a factor of
 * 2). al4j's queries have a budget {@code b}, so {@code K = ρ·b} with {@code ρ = 2} by default
 * ({@link #withCandidateFactor(int)}); {@code ρ = 1} is pure uncertainty (the greedy then only orders the picks), a
 * large {@code ρ} tends to pure representativeness. When fewer than {@code ρ·b} candidates exist, all are in
 * {@code S_c}.
 *
 * <p><b>Which embedding.</b> Yang et al. describe each image by its network's encoding; with {@code C} members there
 * are {@code C} descriptors per sample. al4j uses the mean over members of their cosine similarities,
 * {@code cos(x, s) = (1/C) Σ_c cos(e_c(x), e_c(s))}: no member is privileged, and it is the plain cosine of the
 * concatenation of the members' unit-normalised embeddings scaled by {@code 1/√C}, so one matrix product computes it.
 * A zero embedding has cosine 0 with everything (norms are floored at {@code 1e-12}).
 *
 * <p><b>Exact greedy, computed lazily.</b> After the first pick every candidate's gain
 * {@code Σ_x max(0, cos(x, s) − cover(x))} is computed once; afterwards a candidate's last gain bounds its current one
 * (the cover only grows, and rounding is monotone, so the bound holds in floating point too), and a candidate is
 * re-scored only when it tops the queue of bounds (Minoux 1978's lazy greedy). The picks are those of the plain
 * greedy, which a naive in-test reference checks ({@code SuggestiveAnnotationTest}).
 *
 * <p>The model must be a {@link Committee} whose members are {@link EmbeddingModel}s; anything else fails at once with
 * an {@link IllegalArgumentException} naming this strategy. The selection's scores are the greedy's marginal gains
 * {@code F(S ∪ {s}) − F(S)} at each pick ({@code F({s})} for the first). There is no randomness (the randomness is in
 * the bootstrap resamples, seeded by the training data's seed).
 *
 * <p>Cost, for N candidates, {@code C} members with embeddings of {@code d} features in all and
 * {@code m = min(N, ρb)}: one forward pass of each member (probabilities and embeddings together), O(C·N·K) for the
 * variances, O(N + m log m) for {@code S_c}; the candidate-by-pool cosine pass, one {@code [m, d] × [d, N]} matrix
 * product, O(m·N·d) time and O(m·N) memory (4 bytes each: 80 MB for {@code m = 2 000}, N = 10 000); the greedy
 * O(m·N) for the first two steps and O(N) per re-scored candidate, at most O(b·m·N) in all. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Learner<Committee> bootstrap = Committee.bootstrapLearner(Collections.nCopies(4, mlpLearner));
 * Committee members = bootstrap.fit(TrainingData.of(pool, 7));
 * Selection next = Strategies.suggestiveAnnotation().withCandidateFactor(2).select(pool, members, 100);
 * }</pre>
 */
public final class SuggestiveAnnotation implements QueryStrategy {

    /** The default {@code ρ}: {@code S_c} holds {@code 2b} candidates, as Yang et al.'s {@code K = 16, k = 8}. */
    public static final int DEFAULT_CANDIDATE_FACTOR = 2;

    /** The floor of an embedding's norm, as in FeatureSim: a zero vector has cosine 0 with everything. */
    private static final double NORM_FLOOR = 1e-12;

    private final int candidateFactor;

    private SuggestiveAnnotation(int candidateFactor) {
        this.candidateFactor = candidateFactor;
    }

    /** The strategy with {@code ρ =} {@link #DEFAULT_CANDIDATE_FACTOR}; {@link Strategies#suggestiveAnnotation()}. */
    static SuggestiveAnnotation create() {
        return new SuggestiveAnnotation(DEFAULT_CANDIDATE_FACTOR);
    }

    /**
     * A copy whose uncertain set {@code S_c} holds the {@code factor·b} most uncertain candidates.
     *
     * @throws IllegalArgumentException when {@code factor < 1}
     */
    public SuggestiveAnnotation withCandidateFactor(int factor) {
        Checks.checkArgument(factor >= 1, "candidate factor must be >= 1, found %d", factor);
        return new SuggestiveAnnotation(factor);
    }

    /** {@code ρ}: {@code S_c} holds {@code ρ·b} candidates. */
    public int candidateFactor() {
        return candidateFactor;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Committee committee = QueryOutputs.begin(pool, model, budget, Committee.class, this);
        EmbeddingModel[] members = embeddingMembers(committee); // fail fast, even for a zero budget
        int[] candidates = QueryOutputs.candidates(pool, budget);
        if (candidates == null) {
            return QueryOutputs.empty(start);
        }
        // Ascending ids: the sums over S_u then run in one order whatever order the pool lists its candidates in.
        int[] ids = candidates.clone();
        Arrays.sort(ids);
        int n = ids.length;
        int k = pool.numClasses();
        float[][] probabilities = new float[members.length][];
        float[][] embeddings = new float[members.length][];
        int[] dims = new int[members.length];
        for (int c = 0; c < members.length; c++) {
            dims[c] = members[c].embeddingSize();
            Checks.checkArgument(dims[c] >= 1, "committee member %d must have embeddingSize() >= 1, found %d", c,
                    dims[c]);
            QueryOutputs.Rows rows = QueryOutputs.predicted(pool, members[c], ids, dims[c], null);
            probabilities[c] = rows.probabilities();
            embeddings[c] = rows.embeddings();
        }
        double[] uncertainty = UncertaintyScores.meanVariance(probabilities, n, k);
        int m = (int) Math.min(n, (long) candidateFactor * budget);
        int[] uncertain = TopK.top(uncertainty, ids, m); // positions in ids, most uncertain first
        float[] similarity = cosines(meanCosineRows(embeddings, dims, n), n, uncertain);
        int[] uncertainIds = new int[m];
        for (int j = 0; j < m; j++) {
            uncertainIds[j] = ids[uncertain[j]];
        }
        double[] gains = new double[Math.min(budget, m)];
        int[] picks = greedyMaxCover(similarity, uncertainIds, n, gains.length, gains);
        int[] picked = new int[picks.length];
        for (int i = 0; i < picks.length; i++) {
            picked[i] = uncertainIds[picks[i]];
        }
        return Selection.of(picked, gains, System.nanoTime() - start);
    }

    private EmbeddingModel[] embeddingMembers(Committee committee) {
        List<Model> members = committee.members();
        EmbeddingModel[] out = new EmbeddingModel[members.size()];
        for (int c = 0; c < out.length; c++) {
            Model member = members.get(c);
            Checks.checkArgument(member.supports(EmbeddingModel.class), "%s needs a Committee of EmbeddingModels, but "
                    + "committee member %d (%s) gives no embeddings", this, c, member.getClass().getSimpleName());
            out[c] = (EmbeddingModel) member;
        }
        return out;
    }

    /**
     * Rows {@code [n, Σ d_c]}: each sample's member embeddings, each normalised to length {@code 1/√C} (norm floored
     * at {@code 1e-12}) and concatenated, so that the dot product of two rows is the mean of the members' cosines.
     */
    static float[] meanCosineRows(float[][] embeddings, int[] dims, int n) {
        int width = Arrays.stream(dims).sum();
        float[] out = new float[Math.multiplyExact(n, width)];
        double scale = 1 / Math.sqrt(embeddings.length);
        int offset = 0;
        for (int c = 0; c < embeddings.length; c++) {
            int d = dims[c];
            float[] e = embeddings[c];
            for (int i = 0; i < n; i++) {
                double squares = 0;
                for (int j = 0; j < d; j++) {
                    double v = e[i * d + j];
                    squares += v * v;
                }
                double factor = scale / Math.max(Math.sqrt(squares), NORM_FLOOR);
                for (int j = 0; j < d; j++) {
                    out[i * width + offset + j] = (float) (e[i * d + j] * factor);
                }
            }
            offset += d;
        }
        return out;
    }

    /**
     * The cosines {@code [m, n]} (row-major) between the rows at {@code positions} and every row of {@code unit}
     * ({@code n} rows of unit length): one matrix product.
     */
    private static float[] cosines(float[] unit, int n, int[] positions) {
        int width = unit.length / n;
        INDArray all = Nd4j.create(unit, new long[] {n, width}, 'c');
        INDArray chosen = Nd4j.pullRows(all, 1, positions);
        return QueryOutputs.toFloats(chosen.mmul(all.transpose()));
    }

    /**
     * The greedy maximum cover: {@code b} of the {@code m} rows of {@code similarity} ({@code [m, n]} row-major,
     * row {@code j} the similarities of candidate {@code ids[j]} to the {@code n} samples of {@code S_u}), each step
     * adding the row that makes {@code F(S) = Σ_x max_{s ∈ S} similarity[s][x]} largest (ties toward the lower id).
     * Writes each pick's marginal gain to {@code gains} and returns the picks' row indices in pick order.
     */
    static int[] greedyMaxCover(float[] similarity, int[] ids, int n, int b, double[] gains) {
        int m = ids.length;
        int[] picks = new int[b];
        if (b == 0) {
            return picks;
        }
        double[] bound = new double[m];
        // First pick: F({s}) = Σ_x similarity[s][x] (cosines may be negative, so it is not a gain over a zero cover).
        int first = 0;
        for (int j = 0; j < m; j++) {
            double f = 0;
            for (int x = 0; x < n; x++) {
                f += similarity[j * n + x];
            }
            bound[j] = f;
            if (f > bound[first] || (f == bound[first] && ids[j] < ids[first])) {
                first = j;
            }
        }
        picks[0] = first;
        gains[0] = bound[first];
        double[] cover = new double[n];
        for (int x = 0; x < n; x++) {
            cover[x] = similarity[first * n + x];
        }
        boolean[] taken = new boolean[m];
        taken[first] = true;
        int[] fresh = new int[m]; // the step at which bound[j] was last computed exactly
        PriorityQueue<Integer> queue = new PriorityQueue<>(Math.max(1, m),
                (a, c) -> bound[a] != bound[c] ? Double.compare(bound[c], bound[a]) : Integer.compare(ids[a], ids[c]));
        for (int j = 0; j < m; j++) {
            if (!taken[j]) {
                bound[j] = gain(similarity, j, cover, n);
                fresh[j] = 1;
                queue.add(j);
            }
        }
        for (int step = 1; step < b; step++) {
            while (true) {
                int j = queue.poll();
                if (fresh[j] != step) {
                    bound[j] = gain(similarity, j, cover, n);
                    fresh[j] = step;
                }
                Integer next = queue.peek();
                // j's gain is exact; every other gain is at most its bound, and the queue's head has the largest.
                if (next == null || bound[j] > bound[next] || (bound[j] == bound[next] && ids[j] < ids[next])) {
                    picks[step] = j;
                    gains[step] = bound[j];
                    for (int x = 0; x < n; x++) {
                        cover[x] = Math.max(cover[x], similarity[j * n + x]);
                    }
                    break;
                }
                queue.add(j);
            }
        }
        return picks;
    }

    /** {@code Σ_x max(0, similarity[j][x] − cover[x])}: the gain of adding row {@code j} to a non-empty set. */
    private static double gain(float[] similarity, int j, double[] cover, int n) {
        double g = 0;
        int at = j * n;
        for (int x = 0; x < n; x++) {
            double d = similarity[at + x] - cover[x];
            if (d > 0) {
                g += d;
            }
        }
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuggestiveAnnotation s && candidateFactor == s.candidateFactor;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(candidateFactor) * 31 + 11;
    }

    @Override
    public String toString() {
        return "Strategies.suggestiveAnnotation()"
                + (candidateFactor == DEFAULT_CANDIDATE_FACTOR ? "" : ".withCandidateFactor(" + candidateFactor + ")");
    }
}
