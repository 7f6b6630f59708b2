package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.io.Npy;
import dev.al4j.strategies.Ceal;
import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code al4j run} in-process on tiny experiments (one epoch, a few rounds) and its bad-input cases. */
class RunCommandTest {

    @TempDir
    static Path data;

    @TempDir
    Path out;

    /** A tiny image data set: 3 classes of 8×8 images, class c bright in band c; 90 pool and 30 test images. */
    @BeforeAll
    static void writeImages() throws IOException {
        writeSplit(data, "train", 90, 5);
        writeSplit(data, "test", 30, 6);
        Npy.write(data.resolve("flat.npy"), Nd4j.rand(DataType.FLOAT, 90, 64));
    }

    /**
     * Writes {@code name-x.npy} ({@code n} 8×8 images of 3 classes, class c bright (+0.7) in rows 3c..3c+2 over
     * uniform noise in [0, 0.3)) and {@code name-y.npy} (labels {@code i mod 3}) into {@code dir}: the tiny image data
     * set of the run tests.
     */
    static void writeSplit(Path dir, String name, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        float[][][] images = new float[n][8][8];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    images[i][r][c] = (float) (0.3 * random.nextDouble() + (r / 3 == labels[i] ? 0.7 : 0));
                }
            }
        }
        Npy.write(dir.resolve(name + "-x.npy"), Nd4j.create(images));
        Npy.write(dir.resolve(name + "-y.npy"), Nd4j.createFromArray(labels).castTo(DataType.INT64));
    }

    private static String file(String name) {
        return data.resolve(name).toString();
    }

    /** A run on the tiny .npy data set; {@code more} holds option-value pairs that add to or replace the defaults. */
    private String[] npyRun(String... more) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("--train-features", file("train-x.npy"));
        options.put("--train-labels", file("train-y.npy"));
        options.put("--test-features", file("test-x.npy"));
        options.put("--test-labels", file("test-y.npy"));
        for (String[] kv : new String[][] {{"--initial", "12"}, {"--batch", "12"}, {"--budget", "36"},
                {"--epochs", "1"}, {"--trials", "1"}, {"--out", out.toString()}}) {
            options.put(kv[0], kv[1]);
        }
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        List<String> args = new java.util.ArrayList<>(List.of("run"));
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return args.toArray(String[]::new);
    }

    /** {@code args} followed by {@code more} (for flags without a value, which {@link #npyRun} cannot take). */
    private static String[] plus(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void smallRunOnTheBundledSubsetWritesTheReportFiles() throws IOException {
        CommandRun run = CommandRun.of("run", "--pool-size", "300", "--budget", "60", "--initial", "20", "--batch",
                "20", "--epochs", "1", "--trials", "1", "--strategies", "random,entropy", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::err);
        // Per-round lines (accuracy only), then the summary table.
        assertTrue(run.out().contains("random#1   round  0  labeled    20  accuracy 0."), run.out());
        assertTrue(run.out().contains("entropy#1  round  2  labeled    60  accuracy 0."), run.out());
        assertTrue(run.out().contains("strategy           AUBC (mean ± std)"), run.out());
        List<String> summaryRows = run.out().lines().filter(l -> l.matches("(random|entropy) +\\d\\.\\d{4} ± .*"))
                .collect(Collectors.toList());
        assertEquals(2, summaryRows.size(), run.out());

        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve("rounds.csv"));
        assertEquals(6, rows.size(), "3 rounds of each strategy");
        assertEquals(rows, ExperimentLog.readJsonLines(out.resolve("rounds.jsonl")));
        assertEquals(List.of(20, 40, 60, 20, 40, 60),
                rows.stream().map(RoundRow::labeled).collect(Collectors.toList()));
        assertEquals(Set.of("random", "entropy"), rows.stream().map(RoundRow::strategy).collect(Collectors.toSet()));
        for (RoundRow row : rows) {
            assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1, row::toString);
            assertTrue(row.ece() >= 0 && row.brier() >= 0 && row.nll() >= 0, () -> "all four metrics: " + row);
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| random |") && summary.contains("| entropy |"), summary);
        assertEquals("al4j run --pool-size 300 --budget 60 --initial 20 --batch 20 --epochs 1 --trials 1 "
                + "--strategies random,entropy --out " + out, Files.readString(out.resolve("command.txt")).strip());
        for (String chart : List.of("accuracy-vs-labels", "sampling-bias", "calibration-error", "query-time")) {
            for (String ext : List.of(".png", ".svg")) {
                Path file = out.resolve(chart + ext);
                assertTrue(Files.size(file) > 100, () -> file + " is written");
            }
        }
    }

    @Test
    void npyImagesWithTheCnnAndAClassBiasedInitialSet() throws IOException {
        CommandRun run = CommandRun.of(npyRun("--learner", "cnn", "--strategies", "margin,bald", "--biased-initial",
                "0"));
        assertEquals(0, run.exitCode(), run::err);
        List<RoundRow> all = ExperimentLog.readCsv(out.resolve("rounds.csv"));
        assertEquals(List.of("margin", "margin", "margin", "bald", "bald", "bald"),
                all.stream().map(RoundRow::strategy).collect(Collectors.toList()));
        List<RoundRow> rows = all.subList(0, 3);
        // The biased initial set counts against the budget: 12 before the loop, then 2 rounds of 12 up to 36.
        assertEquals(List.of(12, 24, 36), rows.stream().map(RoundRow::labeled).collect(Collectors.toList()));
        // Every initial label is class 0: one class holds every label, the largest sampling bias, 1.
        assertEquals(1.0, rows.get(0).samplingBias(), 1e-12);
        assertTrue(rows.get(2).samplingBias() < 1.0, "later rounds label other classes too");
    }

    @Test
    void theBiasedInitialSetIsLabeledByTheNoisyOracle() throws IOException {
        CommandRun run = CommandRun.of(npyRun("--strategies", "kcenter,cal", "--biased-initial", "0", "--noise",
                "1"));
        assertEquals(0, run.exitCode(), run::err);
        RoundRow first = ExperimentLog.readCsv(out.resolve("rounds.csv")).get(0);
        // With noise 1 every class-0 sample is answered as class 1 or 2: never one class only (bias < 1), at least
        // as biased as two classes of three, 1 - ln 2 / ln 3 = 0.3691.
        assertTrue(first.samplingBias() < 1.0 && first.samplingBias() >= 1 - Math.log(2) / Math.log(3) - 1e-12,
                first::toString);
    }

    @Test
    void resNetAndVggTrainOnTheTinyImages() throws IOException {
        for (String learner : List.of("resnet18", "vgg16")) {
            // One --out per learner: a second command on the same directory would be refused as a different run.
            Path dir = out.resolve(learner);
            CommandRun run = CommandRun.of(npyRun("--learner", learner, "--strategies", "entropy", "--budget", "24",
                    "--out", dir.toString()));
            assertEquals(0, run.exitCode(), run::err);
            assertTrue(run.out().contains("Architectures." + (learner.equals("vgg16") ? "vgg16()" : "resNet18()")),
                    run.out());
            assertEquals(2, ExperimentLog.readCsv(dir.resolve("rounds.csv")).size());
        }
    }

    @Test
    void idxDirectoryGivenWithData() throws IOException {
        Path idx = Files.createDirectories(out.resolve("idx"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            try (java.io.InputStream in = getClass().getResourceAsStream("/dev/al4j/examples/fashion-mnist/" + name
                    + ".gz")) {
                Files.copy(in, idx.resolve(name + ".gz"));
            }
        }
        CommandRun run = CommandRun.of("run", "--data", idx.toString(), "--pool-size", "200", "--initial", "20",
                "--batch", "20", "--budget", "40", "--subset", "0", "--epochs", "1", "--trials", "1", "--strategies",
                "margin");
        assertEquals(0, run.exitCode(), run::err);
        assertTrue(run.out().startsWith("al4j run: " + idx + ", pool 200, test 2000;"), run.out());
        assertTrue(run.out().contains("margin#1   round  1  labeled    40  accuracy 0."), run.out());
    }

    @Test
    void cealPseudoLabelsTrainTheNetworkButAreNeverCountedAsLabels() throws IOException {
        // δ0 = 1.1 nats is above ln 3 = 1.0986, the largest entropy over 3 classes: in round 1 every candidate that
        // was not queried is pseudo-labeled, whatever the network predicts: 90 − 12 initial − 12 queried = 66.
        CommandRun run = CommandRun.of(plus(npyRun("--strategies", "entropy", "--ceal-threshold", "1.1",
                "--ceal-decay", "0.25"), "--ceal"));
        assertEquals(0, run.exitCode(), run::err);
        assertTrue(run.out().contains("; CEAL pseudo-labels Strategies.ceal().withThreshold(1.1).withDecay(0.25)"),
                run.out());
        // With --ceal the strategy is named entropy+ceal (the survey's CEAL(Entropy)) in the rows and on the console.
        assertTrue(run.out().contains("entropy+ceal#1 round  0  labeled    12  accuracy"), "no model, no "
                + "pseudo-labels in round 0: " + run.out());
        assertTrue(run.out().contains("entropy+ceal#1 round  1  labeled    24  pseudo    66  accuracy"), run.out());
        // The reports count oracle labels only: 12 + 12 + 12 up to the budget of 36.
        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve("rounds.csv"));
        assertEquals(List.of(12, 24, 36), rows.stream().map(RoundRow::labeled).collect(Collectors.toList()));
        assertTrue(Files.readString(out.resolve("command.txt")).contains("--ceal-threshold 1.1 --ceal-decay 0.25 "),
                "command.txt");
        assertTrue(Files.readString(out.resolve("command.txt")).strip().endsWith(" --ceal"), "command.txt");
    }

    @Test
    void badCealOptionsExitWith2() {
        CommandRun.of(npyRun("--ceal-threshold", "0.1")).assertBadInput("--ceal-threshold needs --ceal");
        CommandRun.of(npyRun("--ceal-decay", "0.1")).assertBadInput("--ceal-decay needs --ceal");
        CommandRun.of(plus(npyRun("--ceal-threshold", "-1"), "--ceal")).assertBadInput("--ceal-threshold: threshold "
                + "(δ_0, an entropy in nats) must be finite and >= 0, found -1.0");
        CommandRun.of(plus(npyRun("--ceal-threshold", "NaN"), "--ceal")).assertBadInput("found NaN");
        CommandRun.of(plus(npyRun("--ceal-decay", "-0.5"), "--ceal")).assertBadInput("--ceal-decay: decay (r, nats per "
                + "round) must be finite and >= 0, found -0.5");
        CommandRun.of(plus(npyRun("--ceal-decay", "NaN"), "--ceal")).assertBadInput("--ceal-decay: decay");
        // the help states Ceal's defaults
        picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(new Al4j()).getSubcommands().get("run")
                .getCommandSpec();
        String threshold = String.join(" ", spec.findOption("--ceal-threshold").description());
        String decay = String.join(" ", spec.findOption("--ceal-decay").description());
        assertTrue(threshold.contains("(default: " + BigDecimal.valueOf(Ceal.DEFAULT_THRESHOLD).stripTrailingZeros().toPlainString()
                + ", Ceal.DEFAULT_THRESHOLD)"), threshold);
        assertTrue(decay.contains("(default: " + BigDecimal.valueOf(Ceal.DEFAULT_DECAY).stripTrailingZeros().toPlainString()
                + ", Ceal.DEFAULT_DECAY)"), decay);
    }

    @Test
    void aDirectoryMadeBeforeAnOptionExistedStillResumes() throws IOException {
        // The experiment's options as an older al4j stored them: without --mc-passes, which it did not have yet.
        Path first = out.resolve("first");
        CommandRun run = CommandRun.of(npyRun("--strategies", "margin", "--out", first.toString()));
        assertEquals(0, run.exitCode(), run::err);
        java.util.Map<String, String> options;
        try (dev.al4j.core.SqliteLabelStore store = dev.al4j.core.LabelStore.sqlite(first.resolve("labels.db"))) {
            options = new java.util.LinkedHashMap<>(store.configuration(RunCommand.EXPERIMENT_RUN).orElseThrow());
        }
        assertEquals("null", options.remove("--mc-passes"));
        Path older = out.resolve("older");
        Files.createDirectories(older);
        try (dev.al4j.core.SqliteLabelStore store = dev.al4j.core.LabelStore.sqlite(older.resolve("labels.db"))) {
            store.openRun(RunCommand.EXPERIMENT_RUN, options).close();
        }
        // The same command without the new option resumes it; giving the option is a different experiment.
        CommandRun same = CommandRun.of(npyRun("--strategies", "margin", "--out", older.toString()));
        assertEquals(0, same.exitCode(), same::err);
        assertEquals(ExperimentLog.readCsv(first.resolve("rounds.csv")).stream().map(RoundRow::accuracy).toList(),
                ExperimentLog.readCsv(older.resolve("rounds.csv")).stream().map(RoundRow::accuracy).toList());
        CommandRun.of(npyRun("--strategies", "margin", "--mc-passes", "20", "--out", older.toString()))
                .assertBadInput("--mc-passes: stored (absent), now 20");
    }

    @Test
    void biasedDrawTakesDistinctIdsOfTheGivenClassesOnly() {
        int[] truth = IntStream.range(0, 100).map(i -> i % 4).toArray();
        int[] ids = RunCommand.biasedDraw(truth, Set.of(1, 3), 20, 9);
        assertEquals(20, IntStream.of(ids).distinct().count());
        IntStream.of(ids).forEach(id -> assertTrue(truth[id] == 1 || truth[id] == 3, "id " + id));
        assertArrayEquals(ids, RunCommand.biasedDraw(truth, Set.of(1, 3), 20, 9), "a function of the seed");
        int[] all = RunCommand.biasedDraw(truth, Set.of(2), 25, 1);
        assertArrayEquals(IntStream.range(0, 25).map(i -> 4 * i + 2).toArray(), all, "every eligible id, sorted");
    }

    @Test
    void vggImagesArePaddedTo32AndCentred() {
        ExperimentData d = ExperimentData.npy(data.resolve("train-x.npy"), data.resolve("train-y.npy"),
                data.resolve("test-x.npy"), data.resolve("test-y.npy"));
        ExperimentData vgg = d.shapedFor(LearnerName.VGG16);
        assertArrayEquals(new long[] {90, 1, 32, 32}, vgg.trainInputs().shape());
        assertArrayEquals(new long[] {30, 1, 32, 32}, vgg.testInputs().shape());
        INDArray inner = vgg.trainInputs().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(12, 20),
                NDArrayIndex.interval(12, 20));
        assertEquals(d.trainInputs(), inner, "the 8x8 image sits at rows and columns 12..19");
        double total = vgg.trainInputs().sumNumber().doubleValue();
        assertEquals(d.trainInputs().sumNumber().doubleValue(), total, 1e-2, "zeros around it");
        assertArrayEquals(new long[] {90, 1, 8, 8}, d.shapedFor(LearnerName.RESNET18).trainInputs().shape());
        assertEquals(3, d.numClasses());
    }

    @Test
    void fashionMnistRowsBecomeImagesForTheCnn() throws IOException {
        ExperimentData d = ExperimentData.fashionMnist(null).firstPoolSamples(50);
        assertEquals(50, d.trainSize());
        assertArrayEquals(new long[] {50, 784}, d.shapedFor(LearnerName.MLP).trainInputs().shape());
        INDArray images = d.shapedFor(LearnerName.CNN).trainInputs();
        assertArrayEquals(new long[] {50, 1, 28, 28}, images.shape());
        assertEquals(d.trainInputs().getRow(7), images.get(NDArrayIndex.point(7)).reshape(784));
    }

    @Test
    void badRunInputExitsWith2AndOneLine() {
        CommandRun.of("run", "--train-features", file("train-x.npy")).assertBadInput("needs all four");
        CommandRun.of(npyRun("--data", data.toString())).assertBadInput("alternatives");
        CommandRun.of("run", "--data", file("nowhere")).assertBadInput("not a directory");
        CommandRun.of(npyRun("--noise", "1.5")).assertBadInput("--noise must be a rate in [0, 1], found 1.5");
        CommandRun.of(npyRun("--biased-initial", "3")).assertBadInput("class 3 is not in [0, 3)");
        CommandRun.of(npyRun("--biased-initial", "0,0")).assertBadInput("given twice");
        CommandRun.of(npyRun("--initial", "36", "--biased-initial", "1")).assertBadInput("--initial < --budget");
        CommandRun.of(npyRun("--initial", "40", "--biased-initial", "1", "--budget", "80"))
                .assertBadInput("fewer than --initial 40");
        CommandRun.of(npyRun("--initial", "50")).assertBadInput("--initial must be <= --budget");
        CommandRun.of(npyRun("--epochs", "0")).assertBadInput("--epochs must be >= 1");
        CommandRun.of(npyRun("--learner", "alexnet")).assertBadInput("--learner");
        CommandRun.of(npyRun("--strategies", "entropy,nosuch")).assertBadInput("unknown strategy 'nosuch'");
        CommandRun.of(npyRun("--strategies", "entropy,margin,entropy")).assertBadInput("lists entropy twice");
        CommandRun.of(npyRun("--strategies", "bald", "--learner", "resnet18"))
                .assertBadInput("strategy bald needs MC dropout");
        CommandRun.of(npyRun("--dropout", "1")).assertBadInput("--dropout must be in [0, 1)");
        CommandRun.of(npyRun("--pca-dims", "2")).assertBadInput("--pca-dims applies to");
        CommandRun.of("run", "--train-features", file("flat.npy"), "--train-labels", file("train-y.npy"),
                "--test-features", file("test-x.npy"), "--test-labels", file("test-y.npy"))
                .assertBadInput("same sample shape");
        CommandRun.of("run", "--train-features", file("flat.npy"), "--train-labels", file("train-y.npy"),
                "--test-features", file("flat.npy"), "--test-labels", file("train-y.npy"), "--learner", "cnn")
                .assertBadInput("--learner cnn needs image features");
        CommandRun.of("run", "--train-features", file("train-x.npy"), "--train-labels", file("test-y.npy"),
                "--test-features", file("test-x.npy"), "--test-labels", file("test-y.npy"))
                .assertBadInput("expected 90 labels");
    }

    @Test
    void anOutputDirectoryThatIsAFileIsBadInput() throws IOException {
        Path file = Files.writeString(out.resolve("taken"), "a file");
        CommandRun.of(npyRun("--out", file.toString())).assertBadInput("--out " + file + ": cannot create");
    }
}
