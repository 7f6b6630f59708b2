package dev.al4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link LabelStore} in one SQLite file, through JDBC ({@code org.xerial:sqlite-jdbc}, an optional
 * dependency of al-core: add it to your build to use this class). Open it with {@link LabelStore#sqlite(Path)}.
 *
 * <p><b>Durability.</b> The file is in WAL mode with {@code synchronous=FULL}: every write is one transaction,
 * committed and fsync'ed before the method returns, so a label survives a killed process and also a power loss or
 * an OS crash. ({@code synchronous=NORMAL} in WAL mode would survive a killed process too, but may lose the last
 * commits on power loss; a label costs a person's time, and a commit per answer batch is cheap next to it.)
 *
 * <p><b>What is stored</b>, per run id: the run's configuration (checked when a loop resumes), every label record
 * (round, pool id, label, source, annotator, time; a relabel is a new record, history is kept), every query issued
 * (ids in pick order, scores, open or closed) and every round's result (counts and metric values, exactly). A
 * query's pseudo-labels ({@link PseudoLabeler}) are stored with it, in one transaction. That is all an
 * {@link ActiveLearningLoop} needs to resume a run exactly.
 *
 * <p><b>One loop per run.</b> {@link #openRun(String, Map)} takes a lease on the run id (a row naming host, process
 * and a token). A second loop on the same run id, in this JVM or another process on this host, is refused while the
 * holder lives; a lease left by a process that died (killed, crashed) is taken over. A lease held from another host
 * cannot be checked; {@link #releaseLease(String)} breaks it. Every write checks that its run still holds the lease,
 * so a loop that lost it cannot write. Loops on different run ids share one file freely.
 *
 * <p>Thread-safe: one connection, used under this object's lock. Close the store when done.
 *
 * <pre>{@code
 * try (SqliteLabelStore store = LabelStore.sqlite(Path.of("labels.db"))) {
 *     ActiveLearningLoop loop = ActiveLearningLoop.builder()...labelStore(store).runId("exp-1").build();
 *     loop.run();   // after a crash, the same code resumes the run
 * }
 * }</pre>
 */
public final class SqliteLabelStore implements LabelStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLabelStore.class);
    private static final String DRIVER = "org.sqlite.JDBC";
    private static final String SCHEMA_VERSION = "1";
    /** Lease tokens of runs open in this JVM, on any store instance. */
    private static final Set<String> OPEN_TOKENS = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();
    private static final String PROCESS_START = ProcessHandle.current().info().startInstant().map(Instant::toString)
            .orElse("");
    private static volatile String host;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS al4j_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS al4j_runs(run_id TEXT PRIMARY KEY, configuration TEXT NOT NULL, "
                + "created TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS al4j_leases(run_id TEXT PRIMARY KEY, token TEXT NOT NULL, host TEXT NOT NULL, "
                + "pid INTEGER NOT NULL, process_start TEXT NOT NULL, acquired TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS al4j_labels(seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, "
                + "round INTEGER NOT NULL CHECK (round >= 0), pool_id INTEGER NOT NULL CHECK (pool_id >= 0), "
                + "label INTEGER NOT NULL CHECK (label >= 0), "
                + "source TEXT NOT NULL CHECK (source IN ('ORACLE', 'PSEUDO')), annotator TEXT NOT NULL, "
                + "time TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS al4j_labels_by_run ON al4j_labels(run_id, seq)",
        "CREATE TABLE IF NOT EXISTS al4j_queries(run_id TEXT NOT NULL, round INTEGER NOT NULL, ids TEXT NOT NULL, "
                + "scores TEXT, query_nanos INTEGER NOT NULL, closed INTEGER NOT NULL, issued TEXT NOT NULL, "
                + "PRIMARY KEY (run_id, round))",
        "CREATE TABLE IF NOT EXISTS al4j_rounds(run_id TEXT NOT NULL, round INTEGER NOT NULL, "
                + "labeled_count INTEGER NOT NULL, queried INTEGER NOT NULL, answered INTEGER NOT NULL, "
                + "class_counts TEXT NOT NULL, metrics TEXT NOT NULL, query_nanos INTEGER NOT NULL, "
                + "fit_nanos INTEGER NOT NULL, pseudo_labels INTEGER NOT NULL DEFAULT 0, "
                + "PRIMARY KEY (run_id, round))",
    };

    private final Path file;
    private final Connection connection;
    private final List<SqlRun> openRuns = new ArrayList<>();
    private boolean closed;

    private SqliteLabelStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    static SqliteLabelStore open(Path file) {
        Checks.checkNotNull(file, "file");
        try {
            Class.forName(DRIVER);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("LabelStore.sqlite needs the SQLite JDBC driver (" + DRIVER + "), which "
                    + "is not on the class path: add the dependency org.xerial:sqlite-jdbc (al-core declares it "
                    + "optional) or use another LabelStore", e);
        }
        Path absolute = file.toAbsolutePath().normalize();
        Checks.checkArgument(!Files.isDirectory(absolute), "file must be a file, found the directory %s", absolute);
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UncheckedIOException(new IOException("cannot create the label store " + absolute
                    + ": its directory does not exist"));
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot open the label store " + absolute + ": "
                    + e.getMessage(), e));
        }
        SqliteLabelStore store = new SqliteLabelStore(absolute, connection);
        try {
            store.initialise();
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return store;
    }

    private void initialise() {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = 30000");
            String mode;
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = rs.next() ? rs.getString(1) : "?";
            }
            Checks.checkState("wal".equalsIgnoreCase(mode), "label store %s: SQLite could not switch to WAL mode "
                    + "(journal mode is '%s'); is the file on a network file system?", file, mode);
            st.execute("PRAGMA synchronous = FULL");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            boolean foreign = tables.stream().anyMatch(t -> !t.startsWith("al4j_") && !t.startsWith("sqlite_"));
            Checks.checkArgument(!foreign || tables.contains("al4j_meta"), "file %s is a SQLite database but not an "
                    + "al4j label store (it has the tables %s); use a new file", file, tables);
        } catch (SQLException e) {
            throw new IllegalArgumentException("file " + file + " is not an al4j label store (" + e.getMessage()
                    + ")", e);
        }
        write("create the schema", () -> {
            for (String sql : SCHEMA) {
                try (Statement st = connection.createStatement()) {
                    st.execute(sql);
                }
            }
            addPseudoLabelsColumn();
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT OR IGNORE INTO al4j_meta(key, value) VALUES ('schema_version', ?)")) {
                ps.setString(1, SCHEMA_VERSION);
                ps.executeUpdate();
            }
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT value FROM al4j_meta WHERE key = 'schema_version'")) {
                String version = rs.next() ? rs.getString(1) : "?";
                Checks.checkState(SCHEMA_VERSION.equals(version), "label store %s has schema version %s; this al4j "
                        + "reads version %s", file, version, SCHEMA_VERSION);
            }
            return null;
        });
    }

    /**
     * Adds {@code al4j_rounds.pseudo_labels} to a file written before al4j had pseudo-labels. The column is additive
     * (default 0, which is what those rounds had), so the schema version stays 1 and an older al4j still reads the
     * file.
     */
    private void addPseudoLabelsColumn() throws SQLException {
        boolean present = false;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA table_info(al4j_rounds)")) {
            while (rs.next()) {
                present |= "pseudo_labels".equals(rs.getString("name"));
            }
        }
        if (!present) {
            try (Statement st = connection.createStatement()) {
                st.execute("ALTER TABLE al4j_rounds ADD COLUMN pseudo_labels INTEGER NOT NULL DEFAULT 0");
            }
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Appends to the run {@value LabelStore#DEFAULT_RUN}, without taking its lease (for imports and tools). */
    @Override
    public void append(List<LabelRecord> records) {
        List<LabelRecord> copy = checkRecords(records);
        write("append labels", () -> {
            insertLabels(DEFAULT_RUN, copy);
            return null;
        });
    }

    /** Every record of every run, in the order stored. */
    @Override
    public List<LabelRecord> records() {
        return read("read labels", () -> selectLabels(null));
    }

    /** The records of one run, in the order stored (empty for an unknown run). */
    public List<LabelRecord> records(String runId) {
        RunConfiguration.checkRunId(runId);
        return read("read labels", () -> selectLabels(runId));
    }

    /** The run ids in this store that have a configuration (were opened by a loop), in creation order. */
    public List<String> runIds() {
        return read("read runs", () -> {
            List<String> out = new ArrayList<>();
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT run_id FROM al4j_runs ORDER BY rowid")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The stored configuration of a run, in the order the loop gave it. */
    public Optional<Map<String, String>> configuration(String runId) {
        RunConfiguration.checkRunId(runId);
        return read("read a run", () -> storedConfiguration(runId));
    }

    /**
     * Opens a run for one loop, taking its lease. See the class comment for when a second loop is refused.
     *
     * @throws IllegalStateException when the stored configuration differs, or another live loop holds the run
     */
    @Override
    public Run openRun(String runId, Map<String, String> configuration) {
        RunConfiguration.checkRunId(runId);
        Checks.checkNotNull(configuration, "configuration");
        String token = UUID.randomUUID().toString();
        String me = host();
        synchronized (this) {
            try {
                openLease(runId, configuration, token, me);
            } catch (RuntimeException e) {
                OPEN_TOKENS.remove(token);
                throw e;
            }
            SqlRun run = new SqlRun(runId, token);
            openRuns.add(run);
            return run;
        }
    }

    private void openLease(String runId, Map<String, String> configuration, String token, String me) {
        write("open run '" + runId + "'", () -> {
            Optional<Map<String, String>> stored = storedConfiguration(runId);
            if (stored.isPresent()) {
                RunConfiguration.checkSame(runId, toString(), stored.get(), configuration);
            } else {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO al4j_runs(run_id, configuration, created) VALUES (?, ?, ?)")) {
                    ps.setString(1, runId);
                    ps.setString(2, RunConfiguration.encode(configuration));
                    ps.setString(3, Instant.now().toString());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT token, host, pid, process_start, acquired FROM al4j_leases WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        checkStale(runId, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), me);
                    }
                }
            }
            // Registered before the commit, so that a thread of this JVM that reads the row next sees it open.
            OPEN_TOKENS.add(token);
            try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO al4j_leases"
                    + "(run_id, token, host, pid, process_start, acquired) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, runId);
                ps.setString(2, token);
                ps.setString(3, me);
                ps.setLong(4, PID);
                ps.setString(5, PROCESS_START);
                ps.setString(6, Instant.now().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void checkStale(String runId, String token, String holderHost, long pid, String start, String since,
            String me) {
        String holder = "process " + pid + " on host " + holderHost + " (since " + since + ")";
        Checks.checkState(!OPEN_TOKENS.contains(token), "run '%s' in %s is already open in another loop of this "
                + "JVM; close that loop (or let it finish) first, or use another runId", runId, this);
        Checks.checkState(holderHost.equals(me), "run '%s' in %s is held by %s; another host's process cannot be "
                + "checked: if it is gone, call releaseLease(\"%s\") first", runId, this, holder, runId);
        if (pid != PID || !start.equals(PROCESS_START)) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            boolean alive = process.isPresent() && process.get().isAlive() && (start.isEmpty()
                    || process.get().info().startInstant().map(Instant::toString).map(start::equals).orElse(true));
            Checks.checkState(!alive, "run '%s' in %s is held by a live loop in %s; stop it first, or use another "
                    + "runId", runId, this, holder);
        }
        LOG.warn("run '{}' in {}: taking over the lease left by {}, which is gone", runId, this, holder);
    }

    /**
     * Breaks the lease on a run whatever holds it, e.g. after a crash on another host. The old holder's writes fail
     * from then on.
     */
    public void releaseLease(String runId) {
        RunConfiguration.checkRunId(runId);
        write("release the lease of run '" + runId + "'", () -> {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM al4j_leases WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Releases the leases of the runs opened here and closes the connection; idempotent. */
    @Override
    public void close() {
        List<SqlRun> runs;
        synchronized (this) {
            if (closed) {
                return;
            }
            runs = new ArrayList<>(openRuns);
        }
        for (SqlRun run : runs) {
            run.close();
        }
        synchronized (this) {
            closed = true;
            try {
                connection.close();
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("label store " + file + ": close failed: "
                        + e.getMessage(), e));
            }
        }
    }

    /** The value of a PRAGMA on this store's connection (for tests: {@code synchronous}, {@code journal_mode}). */
    synchronized String pragma(String name) {
        Checks.checkArgument(name.matches("[a-z_]+"), "pragma name must be lower-case letters, found %s", name);
        return read("read a pragma", () -> {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public String toString() {
        return "LabelStore.sqlite(" + file + ")";
    }

    // ---- the run ----

    private final class SqlRun implements Run {
        private final String id;
        private final String token;
        private boolean open = true;

        SqlRun(String id, String token) {
            this.id = id;
            this.token = token;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<LabelRecord> records() {
            return read("read labels", () -> selectLabels(id));
        }

        @Override
        public List<Query> queries() {
            return read("read queries", () -> selectQueries(id, false));
        }

        @Override
        public Optional<Query> outstanding() {
            return read("read queries", () -> selectQueries(id, true).stream().findFirst());
        }

        @Override
        public List<RoundResult> rounds() {
            return read("read rounds", () -> {
                List<RoundResult> out = new ArrayList<>();
                try (PreparedStatement ps = connection.prepareStatement("SELECT round, labeled_count, queried, "
                        + "answered, class_counts, metrics, query_nanos, fit_nanos, pseudo_labels FROM al4j_rounds "
                        + "WHERE run_id = ? ORDER BY round")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Double> metrics = new LinkedHashMap<>();
                            RunConfiguration.decode(rs.getString(6))
                                    .forEach((name, value) -> metrics.put(name, Double.valueOf(value)));
                            out.add(new RoundResult(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                                    decodeInts(rs.getString(5)), metrics, rs.getLong(7), rs.getLong(8),
                                    rs.getInt(9)));
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public void issue(Query query) {
            issue(query, List.of());
        }

        @Override
        public void issue(Query query, List<LabelRecord> records) {
            Checks.checkNotNull(query, "query");
            List<LabelRecord> copy = checkRecords(records);
            write("store the query of round " + query.round(), () -> {
                checkLease();
                Optional<Query> open = selectQueries(id, true).stream().findFirst();
                Checks.checkState(open.isEmpty(), "run '%s' already has an outstanding query (round %d)", id,
                        open.map(Query::round).orElse(-1));
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO al4j_queries(run_id, round, ids, "
                        + "scores, query_nanos, closed, issued) VALUES (?, ?, ?, ?, ?, 0, ?)")) {
                    ps.setString(1, id);
                    ps.setInt(2, query.round());
                    ps.setString(3, encodeInts(query.ids()));
                    ps.setString(4, query.selection().scores().map(SqliteLabelStore::encodeDoubles).orElse(null));
                    ps.setLong(5, query.selection().queryTime().toNanos());
                    ps.setString(6, Instant.now().toString());
                    ps.executeUpdate();
                }
                insertLabels(id, copy);
                return null;
            });
        }

        @Override
        public void answer(Query query, List<LabelRecord> records, boolean close) {
            Checks.checkNotNull(query, "query");
            List<LabelRecord> copy = checkRecords(records);
            write("store answers of round " + query.round(), () -> {
                checkLease();
                Optional<Query> open = selectQueries(id, true).stream().findFirst();
                Checks.checkState(open.isPresent() && open.get().round() == query.round()
                        && open.get().selection().equals(query.selection()), "run '%s': answers are for round %d, "
                        + "which is not the outstanding query", id, query.round());
                insertLabels(id, copy);
                if (close) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "UPDATE al4j_queries SET closed = 1 WHERE run_id = ? AND round = ?")) {
                        ps.setString(1, id);
                        ps.setInt(2, query.round());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }

        @Override
        public void append(List<LabelRecord> records) {
            List<LabelRecord> copy = checkRecords(records);
            write("append labels", () -> {
                checkLease();
                insertLabels(id, copy);
                return null;
            });
        }

        @Override
        public void record(RoundResult result) {
            Checks.checkNotNull(result, "result");
            write("store the result of round " + result.round(), () -> {
                checkLease();
                try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO al4j_rounds(run_id, "
                        + "round, labeled_count, queried, answered, class_counts, metrics, query_nanos, fit_nanos, "
                        + "pseudo_labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    Map<String, String> metrics = new LinkedHashMap<>();
                    // Double.toString round-trips exactly, NaN included (a SQLite REAL column would turn NaN into NULL).
                    result.metrics().forEach((name, value) -> metrics.put(name, Double.toString(value)));
                    ps.setString(1, id);
                    ps.setInt(2, result.round());
                    ps.setInt(3, result.labeledCount());
                    ps.setInt(4, result.queried());
                    ps.setInt(5, result.answered());
                    ps.setString(6, encodeInts(result.labeledClassCounts()));
                    ps.setString(7, RunConfiguration.encode(metrics));
                    ps.setLong(8, result.queryNanos());
                    ps.setLong(9, result.fitNanos());
                    ps.setInt(10, result.pseudoLabels());
                    ps.executeUpdate();
                }
                return null;
            });
        }

        @Override
        public void close() {
            synchronized (SqliteLabelStore.this) {
                if (!open) {
                    return;
                }
                open = false;
                openRuns.remove(this);
                OPEN_TOKENS.remove(token);
                if (closed) {
                    return;
                }
                write("release run '" + id + "'", () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "DELETE FROM al4j_leases WHERE run_id = ? AND token = ?")) {
                        ps.setString(1, id);
                        ps.setString(2, token);
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
        }

        /** Inside a write transaction: this run must still hold its lease. */
        private void checkLease() throws SQLException {
            Checks.checkState(open, "run '%s' was closed; open it again to write", id);
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT token, pid, host FROM al4j_leases WHERE run_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean held = false;
                    String holder = " (it was released)";
                    if (rs.next()) {
                        held = token.equals(rs.getString(1));
                        holder = " to process " + rs.getLong(2) + " on host " + rs.getString(3);
                    }
                    Checks.checkState(held, "run '%s' in %s lost its lease%s; nothing was written", id,
                            SqliteLabelStore.this, holder);
                }
            }
        }

        @Override
        public String toString() {
            return "Run[" + id + " in " + file + "]";
        }
    }

    // ---- SQL helpers ----

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one immediate (write-locked) transaction and commits it; rolls back on any failure. */
    private synchronized <T> T write(String what, SqlWork<T> work) {
        Checks.checkState(!closed, "label store %s is closed", file);
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
            }
            boolean committed = false;
            try {
                T result = work.run();
                try (Statement st = connection.createStatement()) {
                    st.execute("COMMIT");
                }
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    try (Statement st = connection.createStatement()) {
                        st.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // the transaction may already be gone; the original failure is what matters
                    }
                }
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("label store " + file + ": could not " + what + ": "
                    + e.getMessage(), e));
        }
    }

    /** Runs {@code work} in one read transaction (a consistent snapshot). */
    private synchronized <T> T read(String what, SqlWork<T> work) {
        Checks.checkState(!closed, "label store %s is closed", file);
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("BEGIN");
            }
            try {
                return work.run();
            } finally {
                try (Statement st = connection.createStatement()) {
                    st.execute("COMMIT");
                }
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("label store " + file + ": could not " + what + ": "
                    + e.getMessage(), e));
        }
    }

    private Optional<Map<String, String>> storedConfiguration(String runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT configuration FROM al4j_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RunConfiguration.decode(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private void insertLabels(String runId, List<LabelRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO al4j_labels(run_id, round, pool_id, "
                + "label, source, annotator, time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (LabelRecord r : records) {
                ps.setString(1, runId);
                ps.setInt(2, r.round());
                ps.setInt(3, r.id());
                ps.setInt(4, r.label());
                ps.setString(5, r.source().name());
                ps.setString(6, r.annotator());
                ps.setString(7, r.time().toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<LabelRecord> selectLabels(String runId) throws SQLException {
        String sql = "SELECT round, pool_id, label, source, annotator, time FROM al4j_labels"
                + (runId == null ? "" : " WHERE run_id = ?") + " ORDER BY seq";
        List<LabelRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (runId != null) {
                ps.setString(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LabelRecord(rs.getInt(1), rs.getInt(2), rs.getInt(3),
                            LabelRecord.Source.valueOf(rs.getString(4)), rs.getString(5),
                            Instant.parse(rs.getString(6))));
                }
            }
        }
        return out;
    }

    private List<Query> selectQueries(String runId, boolean openOnly) throws SQLException {
        List<Query> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT round, ids, scores, query_nanos FROM "
                + "al4j_queries WHERE run_id = ?" + (openOnly ? " AND closed = 0" : "") + " ORDER BY round")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String scores = rs.getString(3);
                    out.add(new Query(rs.getInt(1), Selection.of(decodeInts(rs.getString(2)),
                            scores == null ? null : decodeDoubles(scores), rs.getLong(4))));
                }
            }
        }
        return out;
    }

    private static List<LabelRecord> checkRecords(List<LabelRecord> records) {
        Checks.checkNotNull(records, "records");
        for (LabelRecord r : records) {
            Checks.checkNotNull(r, "record");
        }
        return List.copyOf(records);
    }

    private static String encodeInts(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static int[] decodeInts(String text) {
        return text.isEmpty() ? new int[0] : Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static String encodeDoubles(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    private static double[] decodeDoubles(String text) {
        return text.isEmpty() ? new double[0]
                : Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String host() {
        String h = host;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "unknown-host";
            }
            host = h;
        }
        return h;
    }
}
