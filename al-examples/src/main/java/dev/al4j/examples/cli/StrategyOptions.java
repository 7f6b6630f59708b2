package dev.al4j.examples.cli;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.ContrastiveActiveLearning;
import dev.al4j.strategies.DeepFeatureModelingSampling;
import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.diversity.ClusterMargin;
import dev.al4j.strategies.diversity.DiverseMiniBatch;
import dev.al4j.strategies.diversity.KCenterGreedy;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The strategy options shared by {@code al4j select} and {@code al4j run}: each one configures one strategy and is
 * refused when none of the chosen strategies takes it (a typo should not be ignored silently). Value ranges are
 * checked by the strategies themselves when built.
 */
final class StrategyOptions {

    /** The options, each with the catalog name of the one strategy that takes it. */
    enum Kind {
        PCA_DIMS("--pca-dims", "kcenter"),
        COMPONENTS("--components", "dfm"),
        NEIGHBOURS("--neighbours", "cal"),
        PREFILTER("--prefilter", "dbal"),
        CLUSTER_SUBSET("--cluster-subset", "cluster-margin");

        private final String flag;
        private final String strategy;

        Kind(String flag, String strategy) {
            this.flag = flag;
            this.strategy = strategy;
        }

        /** The option as written on the command line. */
        String flag() {
            return flag;
        }

        /** The catalog name of the strategy that takes it. */
        String strategy() {
            return strategy;
        }
    }

    @Option(names = "--pca-dims", paramLabel = "M",
            description = "kcenter: project the embeddings on their first M principal components first.")
    Integer pcaDims;

    @Option(names = "--components", paramLabel = "N",
            description = "dfm: principal components per class.")
    Integer components;

    @Option(names = "--neighbours", paramLabel = "K",
            description = "cal: nearest labeled neighbours compared with each candidate.")
    Integer neighbours;

    @Option(names = "--prefilter", paramLabel = "RHO",
            description = "dbal: keep the RHO * budget most informative candidates before clustering.")
    Double prefilter;

    /** Cluster-Margin's clustered ids without {@code --cluster-subset}: its default memory cap. */
    static final int DEFAULT_CLUSTER_SUBSET = dev.al4j.strategies.diversity.ClusterMargin.DEFAULT_MAX_CLUSTERED_POINTS;

    @Option(names = "--cluster-subset", paramLabel = "N",
            description = "cluster-margin: cluster a random subset of N pool ids once (average linkage, O(N²) "
                    + "memory), reused every round (default: 20000; a pool of at most N ids is clustered whole).")
    Integer clusterSubset;

    OptionalInt clusterSubset() {
        return clusterSubset == null ? OptionalInt.empty() : OptionalInt.of(clusterSubset);
    }

    /** The option {@code strategy} takes, if any. */
    Optional<Kind> takenBy(Entry strategy) {
        return Arrays.stream(Kind.values()).filter(k -> k.strategy().equals(strategy.name())).findFirst();
    }

    /**
     * {@code built}, the catalog's {@code strategy}, with the option it takes when given (Cluster-Margin's clustered
     * subset always: {@link #DEFAULT_CLUSTER_SUBSET} without {@code --cluster-subset}).
     *
     * @throws IllegalArgumentException when the option's value is out of the strategy's range
     */
    QueryStrategy configure(Entry strategy, QueryStrategy built) {
        Kind kind = takenBy(strategy).orElse(null);
        if (kind == null) {
            return built;
        }
        switch (kind) {
            case PCA_DIMS:
                return pcaDims == null ? built : ((KCenterGreedy) built).withPcaDimensions(pcaDims);
            case COMPONENTS:
                return components == null ? built : ((DeepFeatureModelingSampling) built).withComponents(components);
            case NEIGHBOURS:
                return neighbours == null ? built : ((ContrastiveActiveLearning) built).withNeighbours(neighbours);
            case PREFILTER:
                return prefilter == null ? built : ((DiverseMiniBatch) built).withPrefilterFactor(prefilter);
            case CLUSTER_SUBSET:
                return ((ClusterMargin) built).withClusteredSubset(clusterSubset().orElse(DEFAULT_CLUSTER_SUBSET));
            default:
                throw new AssertionError(kind);
        }
    }

    private boolean given(Kind kind) {
        switch (kind) {
            case PCA_DIMS:
                return pcaDims != null;
            case COMPONENTS:
                return components != null;
            case NEIGHBOURS:
                return neighbours != null;
            case PREFILTER:
                return prefilter != null;
            case CLUSTER_SUBSET:
                return clusterSubset != null;
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Checks that every option given is taken by at least one of {@code strategies}.
     *
     * @throws IllegalArgumentException naming the option and the strategies that would take it
     */
    void checkApplies(Collection<Entry> strategies) {
        for (Kind kind : Kind.values()) {
            if (given(kind) && strategies.stream().noneMatch(s -> s.name().equals(kind.strategy()))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s applies to %s only, not to %s",
                        kind.flag(), kind.strategy(),
                        strategies.stream().map(Entry::name).collect(Collectors.joining(", "))));
            }
        }
    }
}
