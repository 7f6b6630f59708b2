package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every seed method and every strategy that trains networks of its own runs from {@code al4j run} by its name, for
 * two tiny rounds on the bundled Fashion-MNIST subset, with no flag beyond its name; and their options are checked.
 */
class RunSeedMethodsTest {

    /** 120 pool images, 20 initial labels, two queries of 20: rounds 0, 1, 2. */
    private static final List<String> TINY = List.of("run", "--pool-size", "120", "--initial", "20", "--batch", "20",
            "--budget", "60", "--subset", "0", "--epochs", "1", "--trials", "1");

    @TempDir
    Path out;

    private List<RoundRow> run(Path dir, String... more) throws IOException {
        List<String> args = new ArrayList<>(TINY);
        args.addAll(Arrays.asList(more));
        args.addAll(List.of("--out", dir.toString()));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::err);
        return ExperimentLog.readCsv(dir.resolve(ExperimentLog.CSV_FILE));
    }

    @Test
    void everySeedMethodRunsTwoRoundsByItsName() throws IOException {
        List<String> names = List.of("scal", "ask-n-learn", "pal", "learning-loss", "cluster-margin", "dbal",
                "batch-bald", "vote-entropy", "consensus-entropy", "max-disagreement", "feature-sim", "dfm", "cal",
                "egl", "adv-bim", "adv-deepfool");
        List<RoundRow> rows = run(out.resolve("all"), "--strategies", String.join(",", names), "--committee", "2",
                "--mc-passes", "3");
        Map<String, List<Integer>> labeled = new LinkedHashMap<>();
        for (RoundRow r : rows) {
            labeled.computeIfAbsent(r.strategy(), s -> new ArrayList<>()).add(r.labeled());
            assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1, r::toString);
        }
        List<String> rowNames = names.stream().map(n -> n.equals("ask-n-learn") ? "ask-n-learn+vwcc" : n).toList();
        assertEquals(rowNames, List.copyOf(labeled.keySet()));
        labeled.forEach((name, counts) -> assertEquals(List.of(20, 40, 60), counts, name));
    }

    @Test
    void askNLearnTrainsWithEachCalibration() throws IOException {
        for (String calibration : List.of("none", "lwcc")) {
            List<RoundRow> rows = run(out.resolve(calibration), "--strategies", "ask-n-learn", "--calibration",
                    calibration);
            assertEquals(3, rows.size(), calibration);
            assertEquals("ask-n-learn+" + calibration, rows.get(0).strategy());
        }
    }

    @Test
    void theOptionsOfTheTrainedStrategiesAreChecked() {
        CommandRun.of(plus("--strategies", "entropy", "--calibration", "lwcc"))
                .assertBadInput("--calibration applies to ask-n-learn only, not to entropy");
        CommandRun.of(plus("--strategies", "badge", "--committee", "3"))
                .assertBadInput("--committee (--ensemble-size) applies to vote-entropy, consensus-entropy, "
                        + "max-disagreement, the ensemble-* strategies and suggestive-annotation only");
        CommandRun.of(plus("--strategies", "vote-entropy", "--committee", "1"))
                .assertBadInput("--committee (--ensemble-size) must be >= 2, found 1");
        CommandRun.of(plus("--strategies", "ask-n-learn", "--calibration", "platt"))
                .assertBadInput("--calibration");
        CommandRun.of(plus("--strategies", "bald", "--dropout-placement", "after-conv-blocks"))
                .assertBadInput("--dropout-placement after-conv-blocks with --learner mlp: ");
        CommandRun.of(plus("--strategies", "bald", "--dropout-placement", "nowhere"))
                .assertBadInput("--dropout-placement must be embedding or after-conv-blocks, found 'nowhere'");
        CommandRun.of(plus("--strategies", "bald", "--mc-passes", "0")).assertBadInput("--mc-passes must be >= 1");
    }

    @Test
    void selectRefusesTheStrategiesThatTrainTheirOwnNetworks() throws IOException {
        Path probs = out.resolve("p.npy");
        dev.al4j.core.io.Npy.write(probs, org.nd4j.linalg.factory.Nd4j.create(new double[][] {{0.5, 0.5},
                {0.9, 0.1}}));
        for (String name : List.of("scal", "ask-n-learn", "pal", "learning-loss", "vote-entropy")) {
            CommandRun.of("select", "--strategy", name, "--budget", "1", "--probs", probs.toString())
                    .assertBadInput("strategy " + name + " trains networks of its own; it runs in al4j run only");
        }
    }

    private static String[] plus(String... more) {
        List<String> args = new ArrayList<>(TINY);
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }
}
