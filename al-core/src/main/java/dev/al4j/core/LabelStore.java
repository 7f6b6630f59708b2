package dev.al4j.core;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where every label received is written before the loop moves on. The in-memory store ({@link #inMemory()}) keeps
 * them for the life of the JVM; the SQLite store ({@link #sqlite(Path)}) keeps them in one file across crashes, so
 * that a loop restarted on it resumes where it stopped.
 *
 * <p>Implementations must be thread-safe. A relabelled id keeps its history: {@link #records()} holds every record,
 * {@link #labels()} the latest oracle label of each id.
 *
 * <p>A loop writes through a {@link Run}, opened with {@link #openRun(String, Map)}: the labels, queries and round
 * results of one run id, under a lease that keeps a second loop off the same run. The default {@code openRun} keeps
 * the run's queries and results in memory and writes labels with {@link #append(List)}; a store that overrides it
 * (both stores here do) can resume a run.
 */
public interface LabelStore {

    /** The run id of {@link #append(List)} and of a loop built without {@code runId(...)}. */
    String DEFAULT_RUN = "default";

    /** Stores the records, all or none, before returning. */
    void append(List<LabelRecord> records);

    /** Every record so far, in the order stored (for a store holding several runs: of all runs). */
    List<LabelRecord> records();

    /** The latest {@link LabelRecord.Source#ORACLE} label of each id, in the order first labeled. */
    default Map<Integer, Integer> labels() {
        return latestOracleLabels(records());
    }

    /**
     * Opens run {@code runId} for one loop: creates it with {@code configuration}, or, when it exists, checks that
     * the stored configuration is the same and returns what was stored so that the loop can resume.
     *
     * <p>The default keeps queries and round results in memory only and writes labels with {@link #append(List)}:
     * it cannot resume and does not guard against two loops on one run id.
     *
     * @param runId the run id, non-empty
     * @param configuration what must be equal for a resume to be exact (pool size, classes, seed, strategy, ...),
     *     in a stable order
     * @throws IllegalStateException when the stored configuration differs (the message names every difference), or
     *     when another loop holds the run (the message names the holder)
     */
    default Run openRun(String runId, Map<String, String> configuration) {
        RunConfiguration.checkRunId(runId);
        Checks.checkNotNull(configuration, "configuration");
        return new InMemoryRun(runId, this::append).open().orElseThrow();
    }

    /** A new, empty store in memory. */
    static LabelStore inMemory() {
        return new InMemoryLabelStore();
    }

    /**
     * A durable store in one SQLite file (created when absent), written in WAL mode with every write committed and
     * synced before the call returns. Needs {@code org.xerial:sqlite-jdbc} on the class path (an optional dependency
     * of al-core). Close it when done.
     *
     * @throws IllegalStateException when the SQLite driver is not on the class path
     * @throws IllegalArgumentException when {@code file} exists but is not an al4j label store
     * @throws java.io.UncheckedIOException when the file cannot be opened or created
     */
    static SqliteLabelStore sqlite(Path file) {
        return SqliteLabelStore.open(file);
    }

    /**
     * One run of a loop in a store: its labels, the queries issued and the results of the rounds done. Every write
     * is durable (for a durable store) when the method returns. A run is used by one loop at a time; closing it
     * releases the run for another loop.
     */
    interface Run extends AutoCloseable {

        /** The run id. */
        String id();

        /** This run's label records, in the order stored. */
        List<LabelRecord> records();

        /** The queries issued, in order; all but the {@link #outstanding()} one were closed. */
        List<Query> queries();

        /** The last query issued, when it was not closed yet. */
        Optional<Query> outstanding();

        /** The results of the rounds done, in order. */
        List<RoundResult> rounds();

        /** Records a new outstanding query. */
        void issue(Query query);

        /**
         * Records a new outstanding query together with records that belong to it but answer nothing: the
         * {@link LabelRecord.Source#PSEUDO pseudo-labels} chosen with it ({@link PseudoLabeler}). Both stores of
         * al4j write the two in one transaction, so that a resumed run finds the query's pseudo-labels whenever it
         * finds the query. This default, for other implementations, writes {@link #issue(Query)} then
         * {@link #append(List)}: a {@code Run} that supports resuming should override it with one transaction.
         */
        default void issue(Query query, List<LabelRecord> records) {
            issue(query);
            if (!records.isEmpty()) {
                append(records);
            }
        }

        /**
         * Stores answers to the outstanding query in one transaction, and closes the query when {@code close}:
         * both or neither are stored.
         *
         * @throws IllegalStateException when {@code query} is not the outstanding query
         */
        void answer(Query query, List<LabelRecord> records, boolean close);

        /** Stores records that answer no query (pseudo-labels, imports). */
        void append(List<LabelRecord> records);

        /** Stores a round's result. */
        void record(RoundResult result);

        /** Releases the run; idempotent. Writes after closing fail. */
        @Override
        void close();
    }

    private static Map<Integer, Integer> latestOracleLabels(List<LabelRecord> records) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.ORACLE) {
                out.put(r.id(), r.label());
            }
        }
        return out;
    }
}
