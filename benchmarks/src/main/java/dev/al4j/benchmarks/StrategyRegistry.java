package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The strategies the query benchmarks run, by the name used in {@code @Param("strategy")}: each name is the
 * {@link Strategies} factory that builds it (seeded where the strategy is random), with what it reads, whether it
 * is a batch strategy (its floor is {@code b} passes over the candidates' outputs), its expected cost and, where the
 * SCAL paper's Table 1 lists it, the paper's query time in entropy units.
 *
 * <p>Not here: BatchBALD (its greedy joint entropy costs {@code O(b·N·K·T·C)}, hours at b = 1 000; benchmark it on a
 * small budget by hand), the committee strategies (they need a {@code Committee}, not precomputed outputs), and
 * learning loss (it needs its own trained loss-prediction head; {@code EndToEndRoundBenchmark} runs it).
 */
public final class StrategyRegistry {

    /** Which outputs a strategy reads per candidate. */
    public enum Reads {
        /** {@code K} probabilities. */
        PROBABILITIES,
        /** {@code T·K} MC-dropout probabilities. */
        MC_PASSES,
        /** {@code d} embedding features and {@code K} probabilities. */
        EMBEDDINGS
    }

    /**
     * One registered strategy.
     *
     * @param name the {@code @Param} value
     * @param factory builds the strategy
     * @param reads the outputs it reads
     * @param batch whether it is a batch strategy that makes about {@code b} passes over the candidates
     * @param cost its time cost, as its javadoc states it
     * @param growth the exponent of N in that cost with b, L, d, K and T fixed (the expected slope of log time
     *     against log N; an {@code N log b} or {@code N log N} term counts as 1)
     * @param paperLabel the name in the SCAL paper's Table 1, or empty
     * @param paperUnits the paper's query time relative to entropy, or empty
     */
    public record Entry(String name, Supplier<QueryStrategy> factory, Reads reads, boolean batch, String cost,
            double growth, Optional<String> paperLabel, OptionalDouble paperUnits) {

        public QueryStrategy create() {
            return factory.get();
        }
    }

    /** Rows of the SCAL paper's Table 1 that no strategy here reproduces on precomputed outputs. */
    public static final Map<String, Double> PAPER_ONLY = Map.of(
            "Learning Loss (needs its trained loss head: end-to-end table)", 1.8,
            "SCAL (FeatureSim on supervised-contrastive features; its query is featureSimilarity)", 1.37);

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        // Growth in N with b, L, d, K, T fixed: every cost below is linear in N, so each entry's growth is 1.
        // Caveats the scaling table's readers need: k-means is linear only while its Lloyd iteration count I stays
        // the same (it stops early when no assignment changes, which happens sooner at small N; at most 10);
        // Cluster-Margin's M² term is constant once N exceeds its cap M; FeatureSim's N log N order would add
        // log(6/5)/log(10) = 0.08 to the exponent between 10⁵ and 10⁶ if it dominated (it does not: the gemms do);
        // DFM's fit depends on L, not on N.
        // --- random and single-model uncertainty: one pass over N·K probabilities, then top-b.
        add("random", Strategies::random, Reads.PROBABILITIES, false, "O(N + b)", null, Double.NaN);
        add("entropy", Strategies::entropy, Reads.PROBABILITIES, false, "O(N·K + N log b)", "Entropy", 1.0);
        add("margin", Strategies::margin, Reads.PROBABILITIES, false, "O(N·K + N log b)", null, Double.NaN);
        add("leastConfidence", Strategies::leastConfidence, Reads.PROBABILITIES, false, "O(N·K + N log b)", null,
                Double.NaN);
        // --- MC dropout: one pass over T·N·K probabilities.
        add("bald", Strategies::bald, Reads.MC_PASSES, false, "O(T·N·K + N log b)", "BALD", 35.7);
        add("meanStd", Strategies::meanStd, Reads.MC_PASSES, false, "O(T·N·K + N log b)", null, Double.NaN);
        add("entropyMc", Strategies::entropyMc, Reads.MC_PASSES, false, "O(T·N·K + N log b)", null, Double.NaN);
        add("variationRatioMc", Strategies::variationRatioMc, Reads.MC_PASSES, false, "O(T·N·K + N log b)", null,
                Double.NaN);
        // --- diversity and hybrids (issue 4): seeded where random; batch = about b passes over N·(d + K).
        add("kCenterGreedy", Strategies::kCenterGreedy, Reads.EMBEDDINGS, true, "O((L + b)·N·d)", "CoreSet", 15.2);
        add("badge", () -> Strategies.badge().withSeed(1), Reads.EMBEDDINGS, true, "O(b·N·(d + K))", null,
                Double.NaN);
        add("kMeans", () -> Strategies.kMeans().withSeed(1), Reads.EMBEDDINGS, true, "O((1 + I)·b·N·d), I ≤ 10",
                null, Double.NaN);
        add("dbal", () -> Strategies.dbal().withSeed(1), Reads.EMBEDDINGS, false,
                "O(N·(d + K) + (1 + I)·b·ρb·d)", null, Double.NaN);
        add("clusterMargin", Strategies::clusterMargin, Reads.EMBEDDINGS, false, "first query O(n²·d) average linkage of n ≤ 20 000 pool ids, then O(N·K)",
                null, Double.NaN);
        // --- the seed papers' methods (issue 5)
        add("featureSimilarity", Strategies::featureSimilarity, Reads.EMBEDDINGS, false,
                "O(N·L·d / K + N log N)", "FeatureSim", 1.32);
        add("deepFeatureModeling", Strategies::deepFeatureModeling, Reads.EMBEDDINGS, false,
                "O(Σ_k L_k·d·min(L_k, d) + N·d·r)", "DFM", 1.38);
        add("contrastiveActiveLearning", Strategies::contrastiveActiveLearning, Reads.EMBEDDINGS, false,
                "O(N·L·d + N·L log k)", null, Double.NaN);
    }

    private StrategyRegistry() {}

    /** Registers a strategy whose cost is linear in N once b, L, d, K and T are fixed (all of them today). */
    private static void add(String name, Supplier<? extends QueryStrategy> factory, Reads reads, boolean batch,
            String cost, String paperLabel, double paperUnits) {
        ENTRIES.put(name, new Entry(name, factory::get, reads, batch, cost, 1.0, Optional.ofNullable(paperLabel),
                Double.isNaN(paperUnits) ? OptionalDouble.empty() : OptionalDouble.of(paperUnits)));
    }

    /** Every registered strategy, in table order. */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    /** The entry called {@code name}, or empty. */
    public static Optional<Entry> find(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }

    /**
     * The entry called {@code name}.
     *
     * @throws IllegalArgumentException naming the registered names when there is none
     */
    public static Entry get(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("strategy must be one of " + ENTRIES.keySet() + ", found '" + name
                    + "'");
        }
        return e;
    }

    /** Prints the registered names separated by commas, for {@code -p strategy=...}. */
    public static void main(String[] args) {
        System.out.println(String.join(",", ENTRIES.keySet()));
    }
}
