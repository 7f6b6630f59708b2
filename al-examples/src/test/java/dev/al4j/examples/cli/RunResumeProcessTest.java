package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code al4j run --out DIR} killed with SIGKILL at several points and started again with the same command goes on
 * where it stopped: the final rows equal those of a run that was never stopped, times aside. Every run is a fresh
 * JVM, as a user's would be.
 */
class RunResumeProcessTest {

    /** Two strategies, two trials, five rounds each on a tiny pool: 20 rows, a few seconds of training in all. */
    private static final List<String> RUN = List.of("run", "--pool-size", "300", "--initial", "30", "--batch", "30",
            "--budget", "150", "--epochs", "1", "--trials", "2", "--subset", "0", "--strategies", "random,entropy");

    private static final int ROWS = 2 * 2 * 5;

    @TempDir
    Path dir;

    @Test
    void aRunKilledAtSeveralPointsResumesToTheUninterruptedRows() throws Exception {
        Path whole = dir.resolve("whole");
        Process uninterrupted = start(whole, "whole");
        assertTrue(uninterrupted.waitFor(300, TimeUnit.SECONDS), "uninterrupted run finished");
        assertEquals(0, uninterrupted.exitValue(), log("whole"));
        List<RoundRow> expected = ExperimentLog.readCsv(whole.resolve(ExperimentLog.CSV_FILE));
        assertEquals(ROWS, expected.size());

        Path resumed = dir.resolve("resumed");
        // Killed while the first fit runs (the store exists, no row yet), inside the first trial, at the start of
        // the second trial, and inside the second strategy.
        List<Predicate<Path>> killPoints = List.of(
                d -> Files.exists(d.resolve(RunCommand.LABEL_STORE)),
                d -> rows(d) >= 2,
                d -> rows(d) >= 6,
                d -> rows(d) >= 13);
        int segment = 0;
        for (Predicate<Path> point : killPoints) {
            Process p = start(resumed, "segment-" + segment);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!point.test(resumed) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "segment " + segment + " still running at its kill point: " + log("segment-"
                    + segment));
            p.destroyForcibly(); // SIGKILL
            p.waitFor(60, TimeUnit.SECONDS);
            segment++;
        }
        assertTrue(rows(resumed) < ROWS, "the kills left work to do");
        Process last = start(resumed, "last");
        assertTrue(last.waitFor(300, TimeUnit.SECONDS), "resumed run finished");
        assertEquals(0, last.exitValue(), log("last"));
        assertTrue(log("last").contains("labeled"), log("last"));

        List<RoundRow> actual = ExperimentLog.readCsv(resumed.resolve(ExperimentLog.CSV_FILE));
        assertEquals(withoutTimes(expected), withoutTimes(actual));
        assertEquals(withoutTimes(expected), withoutTimes(ExperimentLog.readJsonLines(
                resumed.resolve(ExperimentLog.JSON_LINES_FILE))));
        // The finished directory, run again, only reads: the rows stay the same, times included.
        Process again = start(resumed, "again");
        assertTrue(again.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), log("again"));
        assertEquals(actual, ExperimentLog.readCsv(resumed.resolve(ExperimentLog.CSV_FILE)));

        // Another command on the same directory is refused, naming the difference.
        List<String> other = new ArrayList<>(RUN);
        other.set(other.indexOf("150"), "180");
        Process refused = start(resumed, "refused", other);
        assertTrue(refused.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        String err = Files.readString(dir.resolve("refused.err"), StandardCharsets.UTF_8);
        assertTrue(err.contains("--budget: stored 150, now 180"), err);
        assertFalse(err.contains("runId"), err);
        assertEquals(actual, ExperimentLog.readCsv(resumed.resolve(ExperimentLog.CSV_FILE)));
    }

    private Process start(Path out, String name) throws IOException {
        return start(out, name, RUN);
    }

    private Process start(Path out, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Al4j.class.getName()));
        command.addAll(args);
        command.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".out")) + Files.readString(dir.resolve(name + ".err"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int rows(Path out) {
        try {
            Path csv = out.resolve(ExperimentLog.CSV_FILE);
            return Files.exists(csv) ? ExperimentLog.readCsv(csv).size() : 0;
        } catch (IOException | RuntimeException e) {
            return 0; // being rewritten
        }
    }

    private static List<String> withoutTimes(List<RoundRow> rows) {
        return rows.stream().map(r -> String.join(",", r.strategy(), "" + r.trial(), "" + r.round(),
                "" + r.labeled(), "" + r.accuracy(), "" + r.ece(), "" + r.brier(), "" + r.nll(),
                "" + r.samplingBias())).toList();
    }
}
