package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label stores themselves: what they keep, across reopening, under misuse and under concurrency. */
class LabelStoreTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-11-22T05:00:00.123456789Z");

    static LabelRecord rec(int round, int id, int label) {
        return new LabelRecord(round, id, label, LabelRecord.Source.ORACLE, "ann", T0.plusSeconds(id));
    }

    static Map<String, String> config(String... kv) {
        Map<String, String> c = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            c.put(kv[i], kv[i + 1]);
        }
        return c;
    }

    @Test
    void recordsSurviveReopeningExactlyWithTheirHistory() {
        Path file = dir.resolve("a.db");
        List<LabelRecord> written = List.of(rec(0, 5, 1), rec(0, 9, 0),
                new LabelRecord(1, 5, 2, LabelRecord.Source.ORACLE, "bob \u00e9\u4e2d\n=x", T0), // relabel of 5
                new LabelRecord(1, 3, 1, LabelRecord.Source.PSEUDO, "", T0.plusNanos(1)));
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            store.append(written.subList(0, 2));
            store.append(written.subList(2, 4));
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            assertEquals(written, store.records());
            assertEquals(written, store.records(LabelStore.DEFAULT_RUN));
            // the latest oracle label of each id, in the order first labeled; pseudo-labels are not oracle labels
            assertEquals(Map.of(5, 2, 9, 0), store.labels());
            assertEquals(List.of(5, 9), new ArrayList<>(store.labels().keySet()));
            assertEquals(List.of(), store.records("other"));
        }
    }

    static LabelRecord pseudo(int round, int id, int label) {
        return new LabelRecord(round, id, label, LabelRecord.Source.PSEUDO, "", T0.plusMillis(id));
    }

    @Test
    void aQuerysPseudoLabelsAreStoredWithItOrNotAtAllAndRoundsKeepTheirCount() {
        Query q0 = new Query(0, Selection.of(new int[] {4, 2}, 10));
        Query q1 = new Query(1, Selection.of(new int[] {1}, 20));
        List<LabelRecord> pseudo = List.of(pseudo(1, 6, 2), pseudo(1, 0, 1));
        RoundResult r0 = new RoundResult(0, 2, 2, 2, new int[] {1, 1, 0}, Map.of(), 10, 5);
        RoundResult r1 = new RoundResult(1, 3, 1, 1, new int[] {2, 1, 0}, Map.of(), 20, 6, 2);
        Map<String, String> cfg = config("pool.size", "8");
        Path file = dir.resolve("pseudo.db");
        try (SqliteLabelStore sqlite = LabelStore.sqlite(file)) {
            for (LabelStore store : new LabelStore[] {LabelStore.inMemory(), sqlite}) {
                try (LabelStore.Run run = store.openRun("r", cfg)) {
                    run.issue(q0);
                    // refused (a query is outstanding): neither the query nor its pseudo-labels are stored
                    assertThrows(IllegalStateException.class, () -> run.issue(q1, pseudo));
                    assertEquals(List.of(), run.records(), store.toString());
                    run.answer(q0, List.of(rec(0, 4, 0), rec(0, 2, 1)), true);
                    run.record(r0);
                    run.issue(q1, pseudo);
                    assertEquals(q1, run.outstanding().orElseThrow());
                    run.answer(q1, List.of(rec(1, 1, 0)), true);
                    run.record(r1);
                }
                try (LabelStore.Run run = store.openRun("r", cfg)) {
                    assertEquals(List.of(rec(0, 4, 0), rec(0, 2, 1), pseudo.get(0), pseudo.get(1), rec(1, 1, 0)),
                            run.records(), store.toString());
                    assertEquals(List.of(r0, r1), run.rounds());
                    assertEquals(2, run.rounds().get(1).pseudoLabels());
                }
                // pseudo-labels are never oracle labels
                assertEquals(Map.of(4, 0, 2, 1, 1, 0), store.labels(), store.toString());
            }
        }
    }

    @Test
    void aFileWrittenBeforePseudoLabelsIsReadAndGetsTheColumn() throws SQLException {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            // the schema of al4j's first store version, as written before RoundResult had pseudoLabels
            st.execute("CREATE TABLE al4j_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            st.execute("INSERT INTO al4j_meta VALUES ('schema_version', '1')");
            st.execute("CREATE TABLE al4j_rounds(run_id TEXT NOT NULL, round INTEGER NOT NULL, "
                    + "labeled_count INTEGER NOT NULL, queried INTEGER NOT NULL, answered INTEGER NOT NULL, "
                    + "class_counts TEXT NOT NULL, metrics TEXT NOT NULL, query_nanos INTEGER NOT NULL, "
                    + "fit_nanos INTEGER NOT NULL, PRIMARY KEY (run_id, round))");
            st.execute("INSERT INTO al4j_rounds VALUES ('r', 0, 3, 3, 3, '1,2', '', 7, 8)");
        }
        RoundResult old = new RoundResult(0, 3, 3, 3, new int[] {1, 2}, Map.of(), 7, 8);
        RoundResult next = new RoundResult(1, 4, 1, 1, new int[] {2, 2}, Map.of(), 9, 10, 5);
        try (SqliteLabelStore store = LabelStore.sqlite(file); LabelStore.Run run = store.openRun("r", config())) {
            assertEquals(List.of(old), run.rounds());
            assertEquals(0, run.rounds().get(0).pseudoLabels());
            run.record(next);
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file); LabelStore.Run run = store.openRun("r", config())) {
            assertEquals(List.of(old, next), run.rounds());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT value FROM al4j_meta WHERE key = 'schema_version'");
            rs.next();
            assertEquals("1", rs.getString(1), "the added column is additive: the schema version stays 1");
        }
    }

    @Test
    void theFileIsInWalModeAndEveryCommitIsSynced() throws SQLException {
        Path file = dir.resolve("wal.db");
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            store.append(List.of(rec(0, 1, 0)));
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("2", store.pragma("synchronous"), "2 = FULL");
            assertTrue(Files.exists(Path.of(file + "-wal")), "the write-ahead log is beside the file");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            var rs = st.executeQuery("PRAGMA journal_mode");
            rs.next();
            assertEquals("wal", rs.getString(1), "WAL is a property of the file: a reader sees it too");
        }
    }

    @Test
    void aRunKeepsItsQueriesAndRoundsExactly() {
        Path file = dir.resolve("run.db");
        Query q0 = new Query(0, Selection.of(new int[] {4, 2, 7}, 1234));
        Query q1 = new Query(1, Selection.of(new int[] {1, 0}, new double[] {Double.NaN, -0.0}, 99));
        Query q2 = new Query(2, Selection.of(new int[] {3}, new double[] {0.1 + 0.2}, 5));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 1.0 / 3);
        metrics.put("auroc", Double.NaN);
        metrics.put("nll", Double.POSITIVE_INFINITY);
        metrics.put("odd=name\\with\nstuff", -0.0);
        RoundResult r0 = new RoundResult(0, 3, 3, 3, new int[] {1, 2}, metrics, 1234, 777);
        RoundResult r1 = new RoundResult(1, 4, 2, 1, new int[] {2, 2}, Map.of(), 99, 0);
        Map<String, String> cfg = config("pool.size", "8", "strategy", "Strategies.x()\nwith=odd\\chars");
        try (SqliteLabelStore store = LabelStore.sqlite(file); LabelStore.Run run = store.openRun("r", cfg)) {
            run.issue(q0);
            assertThrows(IllegalStateException.class, () -> run.issue(q1), "one query outstanding at a time");
            run.answer(q0, List.of(rec(0, 4, 1), rec(0, 2, 0)), false);
            run.answer(q0, List.of(rec(0, 7, 1)), true);
            run.record(r0);
            run.issue(q1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> run.answer(q0, List.of(rec(0, 1, 1)), true));
            assertTrue(e.getMessage().contains("not the outstanding query"), e.getMessage());
            run.answer(q1, List.of(rec(1, 1, 0)), true);
            run.record(r1);
            run.issue(q2);
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file); LabelStore.Run run = store.openRun("r", cfg)) {
            assertEquals(List.of(q0, q1, q2), run.queries());
            assertEquals(q2, run.outstanding().orElseThrow());
            assertEquals(List.of(1234L, 99L, 5L), run.queries().stream()
                    .map(q -> q.selection().queryTime().toNanos()).toList());
            assertArrayEquals(new double[] {Double.NaN, -0.0}, run.queries().get(1).selection().scores().orElseThrow());
            assertTrue(run.queries().get(0).selection().scores().isEmpty());
            assertEquals(List.of(r0, r1), run.rounds());
            assertEquals(new ArrayList<>(metrics.keySet()), new ArrayList<>(run.rounds().get(0).metrics().keySet()));
            assertEquals(777, run.rounds().get(0).fitNanos());
            assertEquals(List.of(rec(0, 4, 1), rec(0, 2, 0), rec(0, 7, 1), rec(1, 1, 0)), run.records());
            assertEquals(cfg, store.configuration("r").orElseThrow());
            assertEquals(List.of("r"), store.runIds());
        }
    }

    @Test
    void aDifferentConfigurationIsRefusedNamingEachDifference() {
        for (LabelStore store : stores("config")) {
            store.openRun("r", config("pool.size", "8", "seed", "1", "budget", "10")).close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> store.openRun("r", config("pool.size", "8", "seed", "2", "learner", "L")));
            assertTrue(e.getMessage().contains("seed: stored 1, now 2"), e.getMessage());
            assertTrue(e.getMessage().contains("budget: stored 10, now (absent)"), e.getMessage());
            assertTrue(e.getMessage().contains("learner: stored (absent), now L"), e.getMessage());
            assertTrue(e.getMessage().contains("start a new run with another runId"), e.getMessage());
            store.openRun("r", config("pool.size", "8", "seed", "1", "budget", "10")).close();
            close(store);
        }
    }

    @Test
    void aRunIsOpenInOneLoopAtATime() {
        for (LabelStore store : stores("lease")) {
            LabelStore.Run first = store.openRun("r", config());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.openRun("r", config()));
            assertTrue(e.getMessage().contains("run 'r'") && e.getMessage().contains("already open"),
                    e.getMessage());
            store.openRun("s", config()).close(); // another run id: fine
            first.close();
            first.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> first.append(List.of(rec(0, 1, 1))));
            store.openRun("r", config()).close();
            close(store);
        }
    }

    @Test
    void aSecondStoreInstanceInThisJvmIsRefusedToo() {
        Path file = dir.resolve("two-instances.db");
        SqliteLabelStore a = LabelStore.sqlite(file);
        try (SqliteLabelStore b = LabelStore.sqlite(file)) {
            LabelStore.Run run = a.openRun("r", config());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.openRun("r", config()));
            assertTrue(e.getMessage().contains("already open in another loop of this JVM"), e.getMessage());
            a.close(); // closing the store releases its runs
            b.openRun("r", config()).close();
            assertThrows(IllegalStateException.class, () -> run.append(List.of(rec(0, 1, 1))));
            assertThrows(IllegalStateException.class, () -> a.records(), "a closed store");
        } finally {
            a.close();
        }
    }

    @Test
    void aBrokenLeaseStopsTheOldHolderFromWriting() {
        try (SqliteLabelStore store = LabelStore.sqlite(dir.resolve("break.db"))) {
            LabelStore.Run old = store.openRun("r", config());
            old.append(List.of(rec(0, 1, 1)));
            store.releaseLease("r");
            LabelStore.Run now;
            // the old holder is still open in this JVM, but its lease row is gone: a new holder may take the run
            now = store.openRun("r", config());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> old.append(List.of(rec(0, 2, 1))));
            assertTrue(e.getMessage().contains("lost its lease to process " + ProcessHandle.current().pid()),
                    e.getMessage());
            now.append(List.of(rec(0, 3, 0)));
            assertEquals(List.of(rec(0, 1, 1), rec(0, 3, 0)), store.records("r"), "the refused write left nothing");
        }
    }

    @Test
    void aLeaseOfADeadProcessIsTakenOverAndOneFromAnotherHostIsNot() throws Exception {
        Path file = dir.resolve("stale.db");
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor();
        String host = InetAddress.getLocalHost().getHostName();
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            store.openRun("dead", config()).close();
            store.openRun("remote", config()).close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement("INSERT INTO al4j_leases(run_id, token, host, pid, "
                        + "process_start, acquired) VALUES (?, 't', ?, ?, '', '2026-01-01T00:00:00Z')")) {
            ps.setString(1, "dead");
            ps.setString(2, host);
            ps.setLong(3, gone.pid());
            ps.executeUpdate();
            ps.setString(1, "remote");
            ps.setString(2, "elsewhere.example");
            ps.setLong(3, ProcessHandle.current().pid());
            ps.executeUpdate();
        }
        try (SqliteLabelStore store = LabelStore.sqlite(file)) {
            store.openRun("dead", config()).close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> store.openRun("remote", config()));
            assertTrue(e.getMessage().contains("held by process " + ProcessHandle.current().pid()
                    + " on host elsewhere.example"), e.getMessage());
            assertTrue(e.getMessage().contains("releaseLease(\"remote\")"), e.getMessage());
            store.releaseLease("remote");
            store.openRun("remote", config()).close();
        }
    }

    @Test
    void twoThreadsRacingForOneRunGetItOnceAndThreadsOnOtherRunsLoseNothing() throws Exception {
        Path file = dir.resolve("race.db");
        try (SqliteLabelStore a = LabelStore.sqlite(file); SqliteLabelStore b = LabelStore.sqlite(file)) {
            for (int i = 0; i < 10; i++) {
                String runId = "race-" + i;
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger opened = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                List<LabelRecord> none = List.of();
                List<Thread> threads = new ArrayList<>();
                for (SqliteLabelStore s : new SqliteLabelStore[] {a, b}) {
                    threads.add(new Thread(() -> {
                        try {
                            start.await();
                            LabelStore.Run run = s.openRun(runId, config());
                            opened.incrementAndGet();
                            run.append(none);
                        } catch (IllegalStateException e) {
                            refused.incrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(1, opened.get(), runId);
                assertEquals(1, refused.get(), runId);
            }
            // four writers, two per store instance, each on its own run
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                SqliteLabelStore s = w % 2 == 0 ? a : b;
                String runId = "writer-" + w;
                writers.add(new Thread(() -> {
                    try (LabelStore.Run run = s.openRun(runId, config())) {
                        for (int id = 0; id < 25; id++) {
                            run.append(List.of(rec(0, id, id % 3)));
                        }
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread t : writers) {
                t.join();
            }
            for (int w = 0; w < 4; w++) {
                assertEquals(25, a.records("writer-" + w).size());
            }
        }
        assertEquals("ok", CrashResumeTest.integrityCheck(file));
    }

    @Test
    void filesThatAreNotLabelStoresAreRefused() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a database, it is a shopping list: eggs, milk, SQLite format 3?\n"
                .repeat(20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelStore.sqlite(text));
        assertTrue(e.getMessage().contains("is not an al4j label store"), e.getMessage());
        assertEquals(List.of("this is not a database, it is a shopping list: eggs, milk, SQLite format 3?"),
                Files.readAllLines(text).stream().distinct().toList(), "the file was not touched");

        Path foreign = dir.resolve("foreign.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers(id INTEGER)");
        }
        e = assertThrows(IllegalArgumentException.class, () -> LabelStore.sqlite(foreign));
        assertTrue(e.getMessage().contains("not an al4j label store (it has the tables [customers])"),
                e.getMessage());

        UncheckedIOException io = assertThrows(UncheckedIOException.class,
                () -> LabelStore.sqlite(dir.resolve("missing/dir/x.db")));
        assertTrue(io.getMessage().contains("its directory does not exist"), io.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelStore.sqlite(dir));
        assertTrue(e.getMessage().contains("file must be a file, found the directory"), e.getMessage());
        assertThrows(NullPointerException.class, () -> LabelStore.sqlite(null));
    }

    @Test
    void runIdsAreChecked() {
        try (SqliteLabelStore store = LabelStore.sqlite(dir.resolve("ids.db"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.openRun("a\tb", config()));
            assertTrue(e.getMessage().contains("runId must be 1 to 200 characters without control characters, "
                    + "found 'a\tb'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.openRun("", config()));
            assertThrows(IllegalArgumentException.class, () -> store.records("x".repeat(201)));
        }
    }

    @Test
    void withoutTheDriverTheStoreSaysWhichDependencyIsMissing() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("sqlite-jdbc")).collect(Collectors.joining(File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classPath, NoDriverProbe.class.getName(),
                dir.resolve("x.db").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            out = r.lines().collect(Collectors.joining("\n"));
        }
        assertEquals(0, p.waitFor());
        assertEquals("java.lang.IllegalStateException: LabelStore.sqlite needs the SQLite JDBC driver "
                + "(org.sqlite.JDBC), which is not on the class path: add the dependency org.xerial:sqlite-jdbc "
                + "(al-core declares it optional) or use another LabelStore", out);
    }

    @Property(tries = 12)
    void anySequenceOfAppendsReadsBackTheSameInBothStores(
            @ForAll("batches") @Size(max = 6) List<List<LabelRecord>> batches) throws IOException {
        Path tmp = Files.createTempDirectory("al4j-prop");
        try {
            List<LabelRecord> all = batches.stream().flatMap(List::stream).toList();
            LabelStore memory = LabelStore.inMemory();
            try (SqliteLabelStore store = LabelStore.sqlite(tmp.resolve("p.db"));
                    LabelStore.Run run = store.openRun("p", config("k", "v"))) {
                for (List<LabelRecord> batch : batches) {
                    run.append(batch);
                    memory.append(batch);
                }
            }
            try (SqliteLabelStore store = LabelStore.sqlite(tmp.resolve("p.db"))) {
                assertEquals(all, store.records("p"));
                assertEquals(memory.records(), store.records());
                assertEquals(memory.labels(), store.labels());
            }
        } finally {
            try (var paths = Files.walk(tmp)) {
                for (Path p : paths.sorted((x, y) -> y.compareTo(x)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<List<LabelRecord>>> batches() {
        Arbitrary<LabelRecord> record = Combinators.combine(Arbitraries.integers().between(0, 50),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 9),
                Arbitraries.of(LabelRecord.Source.values()), Arbitraries.strings().ofMaxLength(12),
                Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(0, 999_999_999))
                .as((round, id, label, source, annotator, seconds, nanos) -> new LabelRecord(round, id, label, source,
                        annotator, Instant.ofEpochSecond(seconds, nanos)));
        return record.list().ofMaxSize(8).list();
    }

    private List<LabelStore> stores(String name) {
        return List.of(LabelStore.inMemory(), LabelStore.sqlite(dir.resolve(name + ".db")));
    }

    private static void close(LabelStore store) {
        if (store instanceof SqliteLabelStore s) {
            s.close();
        }
    }
}
