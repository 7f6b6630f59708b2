package dev.al4j.examples.cli;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.util.Locale;
import java.util.function.LongFunction;

/** The strategies the command line knows, by their command-line names. */
enum StrategyName {
    RANDOM(seed -> Strategies.random().withSeed(seed)),
    ENTROPY(seed -> Strategies.entropy()),
    MARGIN(seed -> Strategies.margin()),
    LEAST_CONFIDENCE(seed -> Strategies.leastConfidence()),
    VAR_RATIO(seed -> Strategies.variationRatio());

    private final LongFunction<QueryStrategy> factory;

    StrategyName(LongFunction<QueryStrategy> factory) {
        this.factory = factory;
    }

    /** The strategy, seeded where it has randomness. */
    QueryStrategy create(long seed) {
        return factory.apply(seed);
    }

    /** The name on the command line, e.g. {@code least-confidence}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The strategy with command-line name {@code name}, or an error listing the known names. */
    static StrategyName parse(String name) {
        for (StrategyName s : values()) {
            if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + known());
    }

    /** The known command-line names, comma-separated. */
    static String known() {
        StringBuilder names = new StringBuilder();
        for (StrategyName s : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(s.cliName());
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return cliName();
    }

    /** Picocli's converter from a command-line name. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<StrategyName> {
        @Override
        public StrategyName convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
