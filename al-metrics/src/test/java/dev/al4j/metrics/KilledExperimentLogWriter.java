package dev.al4j.metrics;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ExperimentLogTest}: appends three rounds through a reporter and then halts the JVM
 * without closing the log or running shutdown hooks, as a crash or {@code kill -9} would.
 */
public final class KilledExperimentLogWriter {

    private KilledExperimentLogWriter() {}

    public static void main(String[] args) throws Exception {
        ExperimentLog log = ExperimentLog.create(Path.of(args[0]));
        RoundReporter reporter = log.reporter("Strategies.entropy()", 4);
        for (int round = 0; round < 3; round++) {
            reporter.onRoundEnd(ExperimentLogTest.round(round));
        }
        Runtime.getRuntime().halt(3);
    }
}
