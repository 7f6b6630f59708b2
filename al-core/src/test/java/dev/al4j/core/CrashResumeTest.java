package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume across processes: a child JVM ({@link ResumeChild}) runs the loop on a SQLite store and is killed
 * with SIGKILL ({@link Process#destroyForcibly()}) at exact points (during a fit, during a query, during an oracle
 * call, between two answers of one batch); a new child resumes on the same file. The final labels and metrics must
 * equal those of a run that was never interrupted, every query must be the uninterrupted run's query of that round,
 * and no id whose answer was stored may be asked again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashResumeTest {

    static String reference;
    static Map<Integer, List<Integer>> referenceQueries;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterruptedRun() {
        LoopResumeTest.QueryLog log = new LoopResumeTest.QueryLog();
        try (ActiveLearningLoop loop = LoopFixture.builder(LoopResumeTest.NONE, 7).listener(log).build()) {
            reference = LoopFixture.describe(loop.run());
            referenceQueries = log.queries;
        }
    }

    /** A child JVM driven line by line. */
    final class Child implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final Writer in;
        final List<String> lines = new ArrayList<>();
        boolean killed;

        Child(Path store, String runId, String mode) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), ResumeChild.class.getName(), store.toString(), runId, mode);
            pb.redirectError(dir.resolve("child-" + runId + "-" + System.nanoTime() + ".err").toFile());
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /**
         * Reads the child's lines, letting it go on at every pause, until {@code killAt} accepts a pause line (then
         * SIGKILL, and true) or the child ends (false).
         */
        boolean drive(BiPredicate<String, List<String>> killAt) throws IOException, InterruptedException {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("?")) {
                    if (killAt.test(line, lines)) {
                        process.destroyForcibly();
                        process.waitFor();
                        killed = true;
                        return true;
                    }
                    in.write("go\n");
                    in.flush();
                }
            }
            int code = process.waitFor();
            assertEquals(0, code, "child exit code; its lines: " + lines);
            return false;
        }

        /** The first line starting with {@code prefix}, without it. */
        String first(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
                    .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static String last(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return lines.get(i);
            }
        }
        return "";
    }

    static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    static String ids(List<Integer> ids) {
        return LoopFixture.ids(ids.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void killedAtFourPointsAndResumedGivesTheUninterruptedRun() throws Exception {
        Path store = dir.resolve("crash.db");
        List<Child> launches = new ArrayList<>();
        // 1. SIGKILL during the fit of round 1 (6 + 4 labels)
        try (Child c = new Child(store, "exp", "run")) {
            launches.add(c);
            assertTrue(c.drive((line, seen) -> line.equals("?FIT labeled=10")));
        }
        // 2. during the strategy's query of round 3
        try (Child c = new Child(store, "exp", "run")) {
            launches.add(c);
            assertTrue(c.drive((line, seen) -> line.equals("?STRATEGY") && last(seen, "QUERY ").equals("QUERY 3")));
            assertEquals("[]", c.first("START pid=").replaceAll(".* unanswered=", ""));
        }
        // 3. a person answering one by one, killed between the 2nd and 3rd answer of round 4
        try (Child c = new Child(store, "exp", "human")) {
            launches.add(c);
            assertTrue(c.drive((line, seen) -> line.startsWith("?ANSWER 4 ") && count(seen, "?ANSWER 4 ") == 2));
        }
        List<Integer> round4 = referenceQueries.get(4);
        // 4. the oracle of run() is asked only the 2 unanswered ids of round 4; killed during its call in round 5
        try (Child c = new Child(store, "exp", "run")) {
            launches.add(c);
            assertTrue(c.drive((line, seen) -> line.equals("?ORACLE labeled=22")));
            assertTrue(c.first("START pid=").endsWith(" unanswered=" + ids(round4.subList(2, 4))), c.lines.get(0));
            int round4End = c.lines.indexOf("ROUND 4");
            List<String> asks = c.lines.subList(0, round4End).stream().filter(l -> l.startsWith("ASK ")).toList();
            assertEquals(List.of("ASK " + round4.get(2), "ASK " + round4.get(3)), asks);
        }
        // 5. the person again: round 5's query, unanswered as the oracle call died, then to the end
        try (Child c = new Child(store, "exp", "human")) {
            launches.add(c);
            assertFalse(c.drive((line, seen) -> false));
            assertTrue(c.first("START pid=").endsWith(" unanswered=" + ids(referenceQueries.get(5))),
                    c.lines.get(0));
            assertEquals(reference, c.first("RESULT "));
        }

        for (int i = 0; i < launches.size(); i++) {
            Child c = launches.get(i);
            // every query any launch saw is the uninterrupted run's query of that round
            for (String line : c.lines) {
                if (line.startsWith("ISSUED ") || line.startsWith("HUMAN ")) {
                    String[] parts = line.split(" ");
                    int round = Integer.parseInt(parts[1]);
                    assertEquals(ids(referenceQueries.get(round)), parts[2], "launch " + (i + 1) + ": " + line);
                }
            }
            // no launch asks for an id whose label was stored before it started
            Set<String> stored = startLabeled(c);
            for (String line : c.lines) {
                if (line.startsWith("ASK ")) {
                    assertFalse(stored.contains(line.substring(4)), "launch " + (i + 1) + " asked again " + line);
                }
            }
        }
        assertTrue(launches.subList(0, 4).stream().allMatch(c -> c.killed));
        // labels stored when each launch started: none; rounds 0-1 (6 + 4); rounds 0-2; + round 3 and 2 answers of
        // round 4; rounds 0-4
        int[] expected = {0, 10, 14, 20, 22};
        for (int i = 0; i < launches.size(); i++) {
            assertEquals(expected[i], startLabeled(launches.get(i)).size(), "launch " + (i + 1));
        }
        try (SqliteLabelStore s = LabelStore.sqlite(store)) {
            LoopResumeTest.assertEachIdLabeledOnce(s.records("exp"), "after four kills");
        }
        assertEquals("ok", integrityCheck(store));
        assertEquals(0, countRows(store, "al4j_leases"), "the finished run released its lease");
    }

    @Test
    void twoProcessesShareAStoreOnDifferentRunsAndTheSecondOnOneRunIsRefused() throws Exception {
        Path file = dir.resolve("shared.db");
        try (Child child = new Child(file, "p1", "run")) {
            // let the child open its run and stop at its first pause point
            String pid = null;
            String line;
            while ((line = child.out.readLine()) != null) {
                child.lines.add(line);
                if (line.startsWith("START pid=")) {
                    pid = line.substring("START pid=".length()).split(" ")[0];
                }
                if (line.startsWith("?")) {
                    break;
                }
            }
            assertTrue(pid != null, "child started: " + child.lines);
            try (SqliteLabelStore store = LabelStore.sqlite(file)) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> LoopFixture.builder(LoopResumeTest.NONE, 7).labelStore(store).runId("p1").build());
                assertTrue(e.getMessage().contains("is held by a live loop in process " + pid), e.getMessage());
                // both processes now write to the file at the same time, on different runs
                Thread driver = new Thread(() -> {
                    try {
                        child.in.write("go\n");
                        child.in.flush();
                        child.drive((l, seen) -> false);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                });
                driver.start();
                try (ActiveLearningLoop p2 = LoopFixture.builder(LoopResumeTest.NONE, 7).labelStore(store)
                        .runId("p2").build()) {
                    assertEquals(reference, LoopFixture.describe(p2.run()));
                }
                driver.join(240_000);
                assertFalse(driver.isAlive());
                assertEquals(reference, child.first("RESULT "));
                LoopResumeTest.assertEachIdLabeledOnce(store.records("p1"), "p1");
                LoopResumeTest.assertEachIdLabeledOnce(store.records("p2"), "p2");
            }
        }
        assertEquals("ok", integrityCheck(file));
    }

    @Test
    void theLeaseOfAKilledProcessIsTakenOver() throws Exception {
        Path file = dir.resolve("stale.db");
        try (Child child = new Child(file, "held", "hold")) {
            assertTrue(child.drive((line, seen) -> line.equals("?HOLDING")));
        }
        assertEquals(1, countRows(file, "al4j_leases"), "the killed child left its lease");
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(LoopResumeTest.NONE, 7).labelStore(store).runId("held")
                        .build()) {
            assertEquals(reference, LoopFixture.describe(loop.run()));
        }
    }

    /** The labeled ids a launch reported when it started. */
    static Set<String> startLabeled(Child c) {
        String list = c.first("START pid=").replaceAll(".*labeled=\\[", "").replaceAll("].*", "");
        return list.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(list.split(",")));
    }

    static String integrityCheck(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int countRows(Path file, String table) throws SQLException {
        assertTrue(Files.exists(file));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
