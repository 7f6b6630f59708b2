package dev.al4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.ExperimentSummary;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every number of the committed studies comes from their committed rows: for each directory under
 * {@code docs/experiments/} that holds {@code rounds.csv} and {@code summary.md} (a study, or one of its parts), the
 * summary is recomputed from the rows and its AUBC and F-acc per strategy, then the whole summary (calibration, sampling
 * bias, the accuracy at each number of labels, win–tie–loss), must equal the committed ones, and the
 * JSON Lines rows must equal the CSV rows.
 */
class StudiesTest {

    private static final Path EXPERIMENTS = Path.of("..", "docs", "experiments");

    @Test
    void everyCommittedSummaryIsRecomputedFromItsRows() throws IOException {
        List<Path> studies;
        try (Stream<Path> files = Files.walk(EXPERIMENTS)) {
            studies = files.filter(f -> f.getFileName().toString().equals(ExperimentLog.CSV_FILE))
                    .map(Path::getParent).filter(d -> Files.exists(d.resolve("summary.md"))).sorted().toList();
        }
        assertFalse(studies.isEmpty(), "no study under " + EXPERIMENTS.toAbsolutePath());
        for (Path study : studies) {
            List<RoundRow> rows = ExperimentLog.readCsv(study.resolve(ExperimentLog.CSV_FILE));
            assertFalse(rows.isEmpty(), study + " has no rows");
            if (Files.exists(study.resolve(ExperimentLog.JSON_LINES_FILE))) {
                assertEquals(rows, ExperimentLog.readJsonLines(study.resolve(ExperimentLog.JSON_LINES_FILE)),
                        study + ": rounds.jsonl and rounds.csv differ");
            }
            Map<String, List<String>> committed = aubcAndFacc(Files.readString(study.resolve("summary.md"),
                    StandardCharsets.UTF_8));
            Map<String, List<String>> recomputed = aubcAndFacc(ExperimentSummary.of(rows).toMarkdown());
            assertFalse(committed.isEmpty(), study + "/summary.md has no strategy rows");
            assertEquals(recomputed, committed, study + "/summary.md is not what its rows give");
            assertEquals(ExperimentSummary.of(rows).toMarkdown(), Files.readString(study.resolve("summary.md"),
                    StandardCharsets.UTF_8), study + "/summary.md (its other tables) is not what its rows give; "
                    + "regenerate it with al4j report");
        }
    }

    @Test
    void theStudiesIndexListsEveryStudy() throws IOException {
        String index = Files.readString(EXPERIMENTS.resolve("README.md"), StandardCharsets.UTF_8);
        try (Stream<Path> dirs = Files.list(EXPERIMENTS)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                assertTrue(index.contains("(" + name + "/)"), "docs/experiments/README.md does not link " + name);
                assertTrue(Files.exists(dir.resolve("README.md")), name + " has no README.md");
            }
        }
    }

    /** Strategy → [AUBC, F-acc] cells of the first summary table in {@code markdown}. */
    private static Map<String, List<String>> aubcAndFacc(String markdown) {
        Map<String, List<String>> cells = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("| Strategy | Trials | AUBC | F-acc |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|---")) {
                continue;
            } else if (inTable && line.startsWith("| ")) {
                String[] f = line.split("\\|");
                cells.put(f[1].trim(), List.of(f[2].trim(), f[3].trim(), f[4].trim()));
            } else if (inTable) {
                break;
            }
        }
        return cells;
    }
}
