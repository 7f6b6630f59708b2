package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;

/**
 * The strategies the diversity benchmarks compare, by the name used in {@code @Param}: the {@link StrategyRegistry}
 * names (the same seeded strategies as the query-time table), plus one-thread versions and the one-gemv-per-pick
 * k-center baseline.
 */
final class Variants {

    private Variants() {}

    static QueryStrategy byName(String name) {
        return switch (name) {
            case "kCenterGreedy1Thread" -> Strategies.kCenterGreedy().withParallelism(1);
            case "kCenterGemvBaseline" -> new KCenterGemvBaseline();
            case "badge1Thread" -> Strategies.badge().withSeed(1).withParallelism(1);
            default -> StrategyRegistry.find(name).map(StrategyRegistry.Entry::create).orElseThrow(() ->
                    new IllegalArgumentException("unknown strategy variant: " + name));
        };
    }
}
