package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;

/** The strategies the diversity benchmarks compare, by the name used in {@code @Param}. */
final class Variants {

    private Variants() {}

    static QueryStrategy byName(String name) {
        return switch (name) {
            case "kCenterGreedy" -> Strategies.kCenterGreedy();
            case "kCenterGreedy1Thread" -> Strategies.kCenterGreedy().withParallelism(1);
            case "kCenterGemvBaseline" -> new KCenterGemvBaseline();
            case "badge" -> Strategies.badge().withSeed(1);
            case "badge1Thread" -> Strategies.badge().withSeed(1).withParallelism(1);
            case "kMeans" -> Strategies.kMeans().withSeed(1);
            case "dbal" -> Strategies.dbal().withSeed(1);
            case "clusterMargin" -> Strategies.clusterMargin();
            default -> throw new IllegalArgumentException("unknown strategy variant: " + name);
        };
    }
}
