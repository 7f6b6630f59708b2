package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.StrategyCatalog.Reads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The strategies the query benchmarks run: entries of {@link Strategies#catalog()} (which says how to build each, what
 * it reads and its cost), named in {@code @Param("strategy")} by their factory method
 * ({@link StrategyCatalog.Entry#method()}, e.g. {@code kCenterGreedy}) and built with seed {@value StrategyRegistry#SEED}. This class
 * adds only what the benchmark reports need: whether a strategy is a batch strategy (its floor is {@code b} passes
 * over the candidates' outputs), the exponent of N in its cost and, where the SCAL paper's Table 1 lists it, the
 * paper's query time in entropy units.
 *
 * <p>Not here: BatchBALD (its greedy joint entropy costs {@code O(b·N·K·T·C)}, hours at b = 1 000; benchmark it on a
 * small budget by hand), the committee strategies (they need a {@code Committee}, not precomputed outputs), and
 * learning loss (it needs its own trained loss-prediction head; {@code EndToEndRoundBenchmark} runs it).
 */
public final class StrategyRegistry {

    /** The seed every benchmarked strategy is built with (the randomised ones use it). */
    public static final long SEED = 1;

    /**
     * One benchmarked strategy.
     *
     * @param strategy the catalog's entry
     * @param batch whether it is a batch strategy that makes about {@code b} passes over the candidates
     * @param paperLabel the name in the SCAL paper's Table 1, or empty
     * @param paperUnits the paper's query time relative to entropy, or empty
     */
    public record Entry(StrategyCatalog.Entry strategy, boolean batch, Optional<String> paperLabel,
            OptionalDouble paperUnits) {

        /** The {@code @Param} value: the catalog entry's factory method, e.g. {@code kCenterGreedy}. */
        public String name() {
            return strategy.method();
        }

        /** The strategy, seeded with {@value StrategyRegistry#SEED}. */
        public QueryStrategy create() {
            return strategy.create(SEED);
        }

        /** The outputs it reads. */
        public Reads reads() {
            return strategy.reads();
        }

        /** Its time cost, as its javadoc states it. */
        public String cost() {
            return strategy.cost();
        }

        /**
         * The exponent of N in its cost with b, L, d, K and T fixed (the expected slope of log time against log N; an
         * {@code N log b} or {@code N log N} term counts as 1): 1 for every strategy here.
         */
        public double growth() {
            return 1.0;
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
        add("random", false, null, Double.NaN);
        add("entropy", false, "Entropy", 1.0);
        add("margin", false, null, Double.NaN);
        add("least-confidence", false, null, Double.NaN);
        // --- MC dropout: one pass over T·N·K probabilities.
        add("bald", false, "BALD", 35.7);
        add("mean-std", false, null, Double.NaN);
        add("entropy-mc", false, null, Double.NaN);
        add("var-ratio-mc", false, null, Double.NaN);
        // --- diversity and hybrids (issue 4): batch = about b passes over N·(d + K).
        add("kcenter", true, "CoreSet", 15.2);
        add("badge", true, null, Double.NaN);
        add("kmeans", true, null, Double.NaN);
        add("dbal", false, null, Double.NaN);
        add("cluster-margin", false, null, Double.NaN);
        // --- the seed papers' methods (issue 5)
        add("feature-sim", false, "FeatureSim", 1.32);
        add("dfm", false, "DFM", 1.38);
        add("cal", false, null, Double.NaN);
    }

    private StrategyRegistry() {}

    /** Benchmarks the catalog's strategy {@code catalogName}. */
    private static void add(String catalogName, boolean batch, String paperLabel, double paperUnits) {
        Entry e = new Entry(Strategies.catalog().get(catalogName), batch, Optional.ofNullable(paperLabel),
                Double.isNaN(paperUnits) ? OptionalDouble.empty() : OptionalDouble.of(paperUnits));
        ENTRIES.put(e.name(), e);
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
