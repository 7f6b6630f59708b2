package dev.al4j.spark;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * BADGE on Spark (Ash et al., ICLR 2020, Algorithm 1; seed 003 runs it as "BADGE(KMeans++)", Table 6): k-means++
 * seeding on the gradient embeddings {@code g_i = (p_i − onehot(ŷ_i)) ⊗ z_i}, computed factored (see
 * {@link GradientBlock}; never materialised), on the probabilities and embeddings columns. Two {@link Mode modes}:
 * <ul>
 *   <li>{@link Mode#EXACT}: the textbook k-means++ seeding, pick by pick. The candidates are
 *       sorted by id and cached per partition with their {@code D²}; the first pick is the largest {@code ‖g‖} (ties
 *       toward the lower id); each next pick costs two jobs: every partition updates its {@code D²} against the new
 *       centre and returns its sum, the driver draws {@code u = U·Σ D²} from a {@code SplittableRandom(seed)} and the
 *       partition holding {@code u} in the running sum (in id order) returns the row: the textbook draws for the seed,
 *       up to the association of the floating-point sums (partition sums added on the driver), which can move a draw
 *       that falls within rounding of a boundary. The single-machine {@code Strategies.badge().withSeed(seed)} draws
 *       from the same distribution through a sum tree of stale bounds, so its picks for a seed are other ones.
 *       <b>Slow for large b</b>: {@code 2b} Spark jobs.</li>
 *   <li>{@link Mode#SCALABLE}: k-means‖ (Bahmani, Moseley, Vattani, Kumar and Vassilvitskii, "Scalable K-Means++",
 *       VLDB 2012, Algorithm 2): from the largest-{@code ‖g‖} row, {@value #ROUNDS} rounds in which every row joins the
 *       candidate centres independently with probability {@code min(1, ℓ·D²/ψ)}, {@code ℓ = b} (oversampling factor
 *       1), then weighted k-means++ on the driver over the {@code O(ROUNDS·b)} candidates, each weighted by the number
 *       of rows nearest to it. {@code 2·ROUNDS + 3} jobs whatever {@code b}. Its expected D² cost is within
 *       {@code O(log b)} of the optimum, as k-means++'s ({@code 8(ln b + 2)}). Each round's coin flips come from a
 *       {@code SplittableRandom} seeded by (seed, round, partition): the same data in the same partitions and seed
 *       give the same selection; another partitioning gives another (equally valid) sample.</li>
 * </ul>
 * Both report the {@linkplain SparkSelection#cost() D² cost} {@code Σ_i min_c ‖g_i − g_c‖²} over the candidates that
 * their picks reach. Scores: each pick's gradient-embedding distance to the nearest earlier pick ({@code ‖g‖} for the
 * first).
 *
 * <p>Cost, for N candidates, d features, K classes: exact O(b·N·(d + K)) work in {@code 2b + 4} jobs and a sort of
 * the rows by id (one shuffle), O(N·(d + K)) cached floats; scalable O(ROUNDS·b·N·(d + K)) work in a fixed number of
 * jobs, O(ROUNDS·b·(d + K)) floats collected by the driver and O(ROUNDS·b²·(d + K)) driver work. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SparkSelection next = SparkStrategies.badge().withSeed(7).select(pool, 100);
 * SparkSelection fast = SparkStrategies.badge().withMode(Mode.SCALABLE).select(pool, 1000);
 * double cost = fast.cost().orElseThrow();
 * }</pre>
 */
public final class BadgeOnSpark implements SparkStrategy {

    /** k-means‖ rounds (Bahmani et al. find 5 rounds with {@code ℓ ≥ b} enough). */
    static final int ROUNDS = 5;

    private final Mode mode;
    private final long seed;

    private BadgeOnSpark(Mode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    static BadgeOnSpark create() {
        return new BadgeOnSpark(Mode.EXACT, 0L);
    }

    /** A copy running in {@code mode}. */
    public BadgeOnSpark withMode(Mode mode) {
        return new BadgeOnSpark(Checks.checkNotNull(mode, "mode"), seed);
    }

    /** A copy with another seed for the D² sampling. */
    public BadgeOnSpark withSeed(long seed) {
        return new BadgeOnSpark(mode, seed);
    }

    @Override
    public SparkSelection select(SparkPool pool, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        Inputs.Shape probs = Inputs.validate(pool, Inputs.Output.PROBABILITIES, toString());
        Inputs.Shape emb = Inputs.validate(pool, Inputs.Output.EMBEDDINGS, toString());
        int b = (int) Math.min(budget, probs.candidates());
        if (b == 0) {
            return SparkSelection.of(new long[0], new double[0], System.nanoTime() - start);
        }
        String p = Inputs.column(pool, Inputs.Output.PROBABILITIES, toString());
        String e = Inputs.column(pool, Inputs.Output.EMBEDDINGS, toString());
        long[] labeled = Inputs.sortedLabeled(pool);
        int k = probs.width();
        int d = emb.width();
        JavaRDD<Row> rows = pool.data().select(functions.col(pool.idColumn()), functions.col(p), functions.col(e))
                .sort(functions.col(pool.idColumn())).toJavaRDD();
        JavaRDD<GradientBlock> blocks = rows.mapPartitions((Iterator<Row> it) -> Collections.singletonList(
                GradientBlock.read(it, labeled, p, e, k, d)).iterator()).persist(StorageLevel.MEMORY_ONLY());
        try {
            return mode == Mode.EXACT ? exact(blocks, b, start) : scalable(blocks, b, start);
        } finally {
            blocks.unpersist(false);
        }
    }

    private SparkSelection exact(JavaRDD<GradientBlock> blocks, int b, long start) {
        SplittableRandom random = new SplittableRandom(seed);
        GradientBlock.Candidate first = largestGradient(blocks);
        GradientBlock.Centres centres = GradientBlock.Centres.none().plus(first);
        long[] ids = new long[b];
        double[] scores = new double[b];
        ids[0] = first.id();
        scores[0] = Math.sqrt(first.gNorm());
        for (int pick = 1; pick < b; pick++) {
            GradientBlock.Centres now = centres;
            long[] picked = sorted(Arrays.copyOf(ids, pick));
            List<double[]> sums = blocks.map(block -> {
                block.refresh(now, picked);
                return new double[] {block.sum(), block.lowestUnpicked()};
            }).collect();
            double total = 0;
            for (double[] s : sums) {
                total += s[0];
            }
            double u = random.nextDouble() * total; // one draw per pick, the textbook k-means++ draw
            GradientBlock.Candidate chosen;
            if (total > 0) {
                chosen = draw(blocks, sums, u, now, picked);
            } else {
                long lowest = Long.MAX_VALUE;
                for (double[] s : sums) {
                    lowest = Math.min(lowest, (long) s[1]);
                }
                long id = lowest;
                chosen = blocks.map(block -> Objects.requireNonNullElse(block.find(id), NONE)).collect().stream()
                        .filter(c -> c != NONE).findFirst().orElseThrow();
            }
            ids[pick] = chosen.id();
            scores[pick] = Math.sqrt(chosen.value());
            centres = centres.plus(chosen);
        }
        return SparkSelection.withCost(ids, scores, cost(blocks, centres, sorted(ids), true),
                System.nanoTime() - start);
    }

    private static final GradientBlock.Candidate NONE = new GradientBlock.Candidate(-1, new float[0], new float[0],
            0, 0);

    /** The row holding {@code u} in the running sum of {@code D²} in partition (= id) order. */
    private static GradientBlock.Candidate draw(JavaRDD<GradientBlock> blocks, List<double[]> sums, double u,
            GradientBlock.Centres centres, long[] picked) {
        double prefix = 0;
        int target = -1;
        int lastPositive = -1;
        for (int j = 0; j < sums.size(); j++) {
            double s = sums.get(j)[0];
            if (s > 0) {
                lastPositive = j;
                if (prefix + s > u) {
                    target = j;
                    break;
                }
                prefix += s;
            }
        }
        if (target < 0) { // u rounded up to the total: the last row of positive weight
            target = lastPositive;
            prefix = 0;
            for (int j = 0; j < target; j++) {
                prefix += sums.get(j)[0];
            }
        }
        int part = target;
        double from = prefix;
        List<GradientBlock.Candidate> found = blocks.mapPartitionsWithIndex((Integer index,
                Iterator<GradientBlock> it) -> {
            List<GradientBlock.Candidate> out = new ArrayList<>();
            if (index == part) {
                GradientBlock block = it.next();
                block.refresh(centres, picked); // a no-op unless Spark recomputed the block
                out.add(block.draw(from, u));
            }
            return out.iterator();
        }, true).collect();
        return found.get(0);
    }

    private SparkSelection scalable(JavaRDD<GradientBlock> blocks, int b, long start) {
        GradientBlock.Candidate first = largestGradient(blocks);
        List<GradientBlock.Candidate> pool = new ArrayList<>();
        pool.add(first);
        GradientBlock.Centres centres = GradientBlock.Centres.none().plus(first);
        double psi = refreshAndSum(blocks, centres);
        double l = b;
        for (int round = 0; round < ROUNDS && psi > 0; round++) {
            double threshold = psi;
            long roundSeed = seed * 31 + round;
            List<GradientBlock.Candidate> sampled = blocks.mapPartitionsWithIndex((Integer index,
                    Iterator<GradientBlock> it) -> {
                SplittableRandom r = new SplittableRandom(roundSeed * 1_000_003L + index);
                List<GradientBlock.Candidate> out = new ArrayList<>();
                while (it.hasNext()) {
                    GradientBlock block = it.next();
                    for (int i = 0; i < block.ids.length; i++) {
                        double w = block.d2[i];
                        if (w > 0 && r.nextDouble() < Math.min(1.0, l * w / threshold)) {
                            out.add(block.candidate(i, w));
                        }
                    }
                }
                return out.iterator();
            }, true).collect();
            for (GradientBlock.Candidate c : sampled) {
                centres = centres.plus(c);
                pool.add(c);
            }
            psi = refreshAndSum(blocks, centres);
        }
        // Weights: the rows nearest each candidate centre (the memo's nearest index), summed over the partitions.
        int c = centres.size();
        long[] weights = new long[c];
        for (long[] w : blocks.map(block -> {
            long[] out = new long[c];
            for (int i = 0; i < block.ids.length; i++) {
                if (block.nearest[i] >= 0) {
                    out[block.nearest[i]]++;
                }
            }
            return out;
        }).collect()) {
            for (int j = 0; j < c; j++) {
                weights[j] += w[j];
            }
        }
        int[] chosen = weightedSeeding(centres, weights, Math.min(b, c), new SplittableRandom(seed));
        GradientBlock.Centres picks = GradientBlock.Centres.none();
        long[] ids = new long[chosen.length];
        double[] scores = new double[chosen.length];
        for (int j = 0; j < chosen.length; j++) {
            GradientBlock.Candidate cand = pool.get(chosen[j]);
            ids[j] = cand.id();
            scores[j] = j == 0 ? Math.sqrt(cand.gNorm()) : Math.sqrt(distanceToNearest(picks, cand));
            picks = picks.plus(cand);
        }
        if (ids.length < b) { // every row is a candidate centre already, or D² vanished: fill by lowest id
            long[] more = lowestOthers(blocks, sorted(ids), b - ids.length);
            int m = ids.length;
            ids = Arrays.copyOf(ids, m + more.length);
            scores = Arrays.copyOf(scores, m + more.length);
            for (int j = 0; j < more.length; j++) {
                long id = more[j];
                GradientBlock.Candidate cand = blocks.map(block -> Objects.requireNonNullElse(block.find(id), NONE))
                        .collect().stream().filter(x -> x != NONE).findFirst().orElseThrow();
                ids[m + j] = id;
                scores[m + j] = Math.sqrt(distanceToNearest(picks, cand));
                picks = picks.plus(cand);
            }
        }
        return SparkSelection.withCost(ids, scores, cost(blocks, picks, sorted(ids), false),
                System.nanoTime() - start);
    }

    /** Weighted k-means++ over the candidate centres: the first (largest ‖g‖) first, then D²·weight draws. */
    private static int[] weightedSeeding(GradientBlock.Centres centres, long[] weights, int b,
            SplittableRandom random) {
        int c = centres.size();
        GradientBlock cands = new GradientBlock(centres.ids(), centres.z(), centres.a(),
                centres.z().length / c, centres.a().length / c);
        int[] out = new int[b];
        boolean[] taken = new boolean[c];
        out[0] = 0;
        taken[0] = true;
        GradientBlock.Centres chosen = GradientBlock.Centres.none().plus(cands.candidate(0, 0));
        for (int p = 1; p < b; p++) {
            cands.refresh(chosen, sorted(Arrays.stream(out, 0, p).mapToLong(j -> centres.ids()[j]).toArray()));
            double total = 0;
            for (int j = 0; j < c; j++) {
                total += taken[j] ? 0 : cands.d2[j] * weights[j];
            }
            int pick = -1;
            if (total > 0) {
                double u = random.nextDouble() * total;
                double running = 0;
                for (int j = 0; j < c; j++) {
                    double w = taken[j] ? 0 : cands.d2[j] * weights[j];
                    if (w > 0) {
                        running += w;
                        pick = j;
                        if (running > u) {
                            break;
                        }
                    }
                }
            } else {
                for (int j = 0; j < c && pick < 0; j++) {
                    pick = taken[j] ? -1 : j;
                }
            }
            out[p] = pick;
            taken[pick] = true;
            chosen = chosen.plus(cands.candidate(pick, 0));
        }
        return out;
    }

    private static double distanceToNearest(GradientBlock.Centres centres, GradientBlock.Candidate cand) {
        GradientBlock one = new GradientBlock(new long[] {cand.id()}, cand.z(), cand.a(), cand.z().length,
                cand.a().length);
        one.refresh(centres, null);
        return one.d2[0];
    }

    private static GradientBlock.Candidate largestGradient(JavaRDD<GradientBlock> blocks) {
        GradientBlock.Candidate best = null;
        for (GradientBlock.Candidate c : blocks.map(block -> Objects.requireNonNullElse(block.largestGradient(),
                NONE)).collect()) {
            if (c != NONE && (best == null || c.gNorm() > best.gNorm()
                    || (c.gNorm() == best.gNorm() && c.id() < best.id()))) {
                best = c;
            }
        }
        return best;
    }

    private static double refreshAndSum(JavaRDD<GradientBlock> blocks, GradientBlock.Centres centres) {
        double total = 0;
        for (double s : blocks.map(block -> {
            block.refresh(centres, null);
            return block.sum();
        }).collect()) {
            total += s;
        }
        return total;
    }

    /** {@code Σ_i min_c ‖g_i − g_c‖²} over every candidate; {@code cached}: the blocks' D² hold these centres. */
    private static double cost(JavaRDD<GradientBlock> blocks, GradientBlock.Centres centres, long[] picked,
            boolean cached) {
        double total = 0;
        for (double s : blocks.map(block -> {
            if (cached) {
                block.refresh(centres, picked);
                return block.sum();
            }
            GradientBlock fresh = new GradientBlock(block.ids, block.z, block.a, block.d, block.k);
            fresh.refresh(centres, picked); // a pick is its own centre: D² = 0 exactly
            double sum = 0;
            for (double v : fresh.d2) {
                sum += v;
            }
            return sum;
        }).collect()) {
            total += s;
        }
        return total;
    }

    private static long[] lowestOthers(JavaRDD<GradientBlock> blocks, long[] excluded, int m) {
        List<Long> all = new ArrayList<>();
        for (long[] part : blocks.map(block -> Arrays.stream(block.ids).filter(id -> !Inputs.isLabeled(excluded, id))
                .sorted().limit(m).toArray()).collect()) {
            for (long id : part) {
                all.add(id);
            }
        }
        Collections.sort(all);
        return all.stream().limit(m).mapToLong(Long::longValue).toArray();
    }

    private static long[] sorted(long[] ids) {
        long[] s = ids.clone();
        Arrays.sort(s);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BadgeOnSpark x && x.mode == mode && x.seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, seed);
    }

    @Override
    public String toString() {
        return "SparkStrategies.badge()" + (mode == Mode.EXACT ? "" : ".withMode(Mode." + mode + ")")
                + (seed == 0 ? "" : ".withSeed(" + seed + ")");
    }
}
