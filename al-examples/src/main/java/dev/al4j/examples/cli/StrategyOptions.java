package dev.al4j.examples.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The strategy options shared by {@code al4j select} and {@code al4j run}: each one configures one strategy and is
 * refused when none of the chosen strategies takes it (a typo should not be ignored silently). Value ranges are
 * checked by the strategies themselves when built.
 */
final class StrategyOptions {

    /** The options, by the strategy that takes them. */
    enum Kind {
        PCA_DIMS("--pca-dims"),
        COMPONENTS("--components"),
        NEIGHBOURS("--neighbours"),
        PREFILTER("--prefilter"),
        CLUSTER_SUBSET("--cluster-subset");

        private final String flag;

        Kind(String flag) {
            this.flag = flag;
        }

        /** The option as written on the command line. */
        String flag() {
            return flag;
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

    OptionalInt pcaDims() {
        return pcaDims == null ? OptionalInt.empty() : OptionalInt.of(pcaDims);
    }

    OptionalInt components() {
        return components == null ? OptionalInt.empty() : OptionalInt.of(components);
    }

    OptionalInt neighbours() {
        return neighbours == null ? OptionalInt.empty() : OptionalInt.of(neighbours);
    }

    OptionalDouble prefilter() {
        return prefilter == null ? OptionalDouble.empty() : OptionalDouble.of(prefilter);
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
    void checkApplies(Collection<StrategyName> strategies) {
        for (Kind kind : Kind.values()) {
            if (given(kind) && strategies.stream().noneMatch(s -> s.option().orElse(null) == kind)) {
                String takers = java.util.Arrays.stream(StrategyName.values())
                        .filter(s -> s.option().orElse(null) == kind).map(StrategyName::cliName)
                        .collect(Collectors.joining(", "));
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s applies to %s only, not to %s",
                        kind.flag(), takers.isEmpty() ? "no strategy available in this build" : takers,
                        strategies.stream().map(StrategyName::cliName).collect(Collectors.joining(", "))));
            }
        }
    }
}
