package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ensemble strategies (Beluch et al. 2018) and Suggestive Annotation (Yang et al. 2017) run from {@code al4j run}
 * by their names for one tiny query on the bundled subset, with {@code --ensemble-size}; a size below 2 is refused.
 */
class RunEnsembleStrategiesTest {

    @TempDir
    Path out;

    @Test
    void ensemblesAndSuggestiveAnnotationRunByTheirNames() throws IOException {
        List<String> names = List.of("ensemble-var-ratio", "ensemble-bald", "ensemble-mean-std", "ensemble-entropy",
                "suggestive-annotation");
        CommandRun run = CommandRun.of("run", "--pool-size", "120", "--initial", "20", "--batch", "20", "--budget",
                "40", "--subset", "0", "--epochs", "1", "--trials", "1", "--strategies", String.join(",", names),
                "--ensemble-size", "2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::err);
        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve(ExperimentLog.CSV_FILE));
        Map<String, List<Integer>> labeled = new LinkedHashMap<>();
        for (RoundRow r : rows) {
            labeled.computeIfAbsent(r.strategy(), s -> new ArrayList<>()).add(r.labeled());
            assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1, r::toString);
        }
        assertEquals(names, List.copyOf(labeled.keySet()));
        labeled.forEach((name, counts) -> assertEquals(List.of(20, 40), counts, name));
    }

    @Test
    void anEnsembleOfOneIsRefused() {
        CommandRun.of("run", "--strategies", "ensemble-bald", "--ensemble-size", "1")
                .assertBadInput("--committee (--ensemble-size) must be >= 2, found 1");
        CommandRun.of("run", "--strategies", "entropy", "--ensemble-size", "3")
                .assertBadInput("--committee (--ensemble-size) applies to");
    }
}
