package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.io.Npy;
import dev.al4j.examples.data.GaussianBlur;
import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code al4j run} with the robustness measures of seed 000 (§4.2, Figure 4): {@code --ood-classes},
 * {@code --ood-data}, {@code --shift-blur}, on tiny data (one epoch, a few rounds).
 */
class RunRobustnessTest {

    @TempDir
    static Path data;

    @TempDir
    Path out;

    /** The run tests' tiny images ({@link RunCommandTest#writeSplit}): 90 pool and 30 test images of 3 classes. */
    @BeforeAll
    static void writeImages() throws IOException {
        RunCommandTest.writeSplit(data, "train", 90, 5);
        RunCommandTest.writeSplit(data, "test", 30, 6);
        Npy.write(data.resolve("flat-x.npy"), Nd4j.rand(DataType.FLOAT, 30, 64));
        Npy.write(data.resolve("ood-x.npy"), Nd4j.rand(DataType.FLOAT, 10, 8, 8));
        Npy.write(data.resolve("ood-wrong.npy"), Nd4j.rand(DataType.FLOAT, 10, 7, 7));
    }

    private static String file(String name) {
        return data.resolve(name).toString();
    }

    private String[] run(String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--train-features", file("train-x.npy"), "--train-labels",
                file("train-y.npy"), "--test-features", file("test-x.npy"), "--test-labels", file("test-y.npy"),
                "--initial", "12", "--batch", "12", "--budget", "36", "--epochs", "1", "--trials", "1",
                "--strategies", "entropy", "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static ExperimentData tinyData() {
        return ExperimentData.npy(data.resolve("train-x.npy"), data.resolve("train-y.npy"),
                data.resolve("test-x.npy"), data.resolve("test-y.npy"));
    }

    @Test
    void everyRoundMeasuresOodAurocAndShiftAndAResumeReportsTheSameValues() throws IOException {
        String[] args = run("--ood-classes", "2", "--ood-data", file("ood-x.npy"), "--shift-blur", "1.0");
        CommandRun first = CommandRun.of(args);
        assertEquals(0, first.exitCode(), first::err);
        assertTrue(first.out().contains("pool 60, test 20;"), "class 2 left pool and test split: " + first.out());
        assertTrue(first.out().contains("al4j run: robustness: classes [2] held out (10 OOD test samples, 2 classes "
                + "remain, renumbered 0..1); OOD data " + file("ood-x.npy") + " (10 samples); test split blurred with "
                + "sigma 1.0"), first.out());
        List<RoundRow> rows = ExperimentLog.readCsv(out.resolve(ExperimentLog.CSV_FILE));
        assertEquals(List.of(12, 24, 36), rows.stream().map(RoundRow::labeled).toList());
        for (RoundRow row : rows) {
            for (double v : new double[] {row.oodAuroc(), row.oodDataAuroc(), row.shiftAccuracy(), row.shiftEce()}) {
                assertTrue(v >= 0 && v <= 1, row::toString);
            }
        }
        assertEquals(rows, ExperimentLog.readJsonLines(out.resolve(ExperimentLog.JSON_LINES_FILE)));
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| OOD AUROC | OOD-data AUROC | Shift acc | Shift ECE |"), summary);
        for (String chart : List.of("ood-auroc", "ood-data-auroc", "shift-accuracy", "shift-calibration-error")) {
            assertTrue(Files.size(out.resolve(chart + ".png")) > 100, chart);
        }

        // The same command again: the finished trial is read back from the label store, every value as computed.
        CommandRun again = CommandRun.of(args);
        assertEquals(0, again.exitCode(), again::err);
        assertEquals(rows, ExperimentLog.readCsv(out.resolve(ExperimentLog.CSV_FILE)));
        // The options are part of the experiment: another sigma on the same directory is refused.
        String line = CommandRun.of(run("--ood-classes", "2", "--ood-data", file("ood-x.npy"), "--shift-blur", "2.0"))
                .assertBadInput("cannot be resumed by this command");
        assertTrue(line.contains("--shift-blur"), line);
    }

    /**
     * Without the robustness options the rows, summary and charts are as before they existed. (A directory made
     * before they existed still resumes: RunCommandTest.aDirectoryMadeBeforeAnOptionExistedStillResumes.)
     */
    @Test
    void absentRobustnessOptionsLeaveTheReportAsBefore() throws Exception {
        CommandRun plain = CommandRun.of(run());
        assertEquals(0, plain.exitCode(), plain::err);
        // ...and the rows leave the robustness columns empty.
        RoundRow last = ExperimentLog.readCsv(out.resolve(ExperimentLog.CSV_FILE)).get(2);
        assertTrue(Double.isNaN(last.oodAuroc()) && Double.isNaN(last.oodDataAuroc())
                && Double.isNaN(last.shiftAccuracy()) && Double.isNaN(last.shiftEce()), last::toString);
        assertTrue(!Files.readString(out.resolve("summary.md")).contains("OOD"), "summary.md as without robustness");
        assertTrue(!Files.exists(out.resolve("ood-auroc.png")), "no robustness chart");
    }

    @Test
    void heldOutClassesAreAbsentFromPoolTestSplitAndLabels() {
        ExperimentData d = tinyData().withHeldOutClasses(List.of(1));
        assertEquals(2, d.numClasses());
        assertEquals(60, d.trainSize());
        assertEquals(20, d.testSize());
        // Original classes 0 and 2 become 0 and 1, in the order of the original labels (i mod 3 with i mod 3 != 1).
        int[] expectedTrain = IntStream.range(0, 90).filter(i -> i % 3 != 1).map(i -> i % 3 == 0 ? 0 : 1).toArray();
        assertArrayEquals(expectedTrain, d.trainLabels());
        assertArrayEquals(IntStream.range(0, 30).filter(i -> i % 3 != 1).map(i -> i % 3 == 0 ? 0 : 1).toArray(),
                d.testLabels());
        // Class 1's images are bright in rows 3..5 (mean above 0.7); no pool or test image is, every held-out one is.
        assertTrue(band(d.trainInputs()).maxNumber().doubleValue() < 0.5, "no class-1 image in the pool");
        assertTrue(band(d.testInputs()).maxNumber().doubleValue() < 0.5, "no class-1 image in the test split");
        INDArray held = d.heldOutInputs().orElseThrow();
        assertEquals(10, held.size(0));
        assertTrue(band(held).minNumber().doubleValue() > 0.7, "every held-out image is class 1");
        // Holding out the other way round: the last class, labels 0 and 1 unchanged.
        assertArrayEquals(IntStream.range(0, 90).filter(i -> i % 3 != 2).map(i -> i % 3).toArray(),
                tinyData().withHeldOutClasses(List.of(2)).trainLabels());
    }

    /** Per image, the mean of rows 3..5: class 1's bright band. */
    private static INDArray band(INDArray images) {
        return images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6), NDArrayIndex.all())
                .reshape(images.size(0), 24).mean(1);
    }

    @Test
    void theShiftedSetIsTheBlurredInDistributionTestSplit() {
        ExperimentData d = tinyData().withHeldOutClasses(List.of(0)).withShiftBlur(1.5);
        assertEquals(GaussianBlur.blur(d.testInputs(), 1.5), d.shiftedTestInputs().orElseThrow());
        // Padded for VGG like the test split.
        ExperimentData vgg = d.shapedFor(LearnerName.VGG16);
        assertArrayEquals(new long[] {20, 1, 32, 32}, vgg.shiftedTestInputs().orElseThrow().shape());
        assertArrayEquals(new long[] {10, 1, 32, 32}, vgg.heldOutInputs().orElseThrow().shape());
    }

    @Test
    void oodDataOfTheSameImagesInAnyLayoutIsAccepted() throws IOException {
        // Fashion-MNIST rows are flat [n, 784] 28×28 images: an OOD file of [M, 28, 28] images is the same shape.
        Path images = data.resolve("ood-28.npy");
        Npy.write(images, Nd4j.rand(DataType.FLOAT, 4, 28, 28));
        ExperimentData fashion = ExperimentData.fashionMnist(null).firstPoolSamples(10).withOodData(images);
        assertArrayEquals(new long[] {4, 784}, fashion.oodDataInputs().orElseThrow().shape());
        Path flat = data.resolve("ood-flat.npy");
        Npy.write(flat, Nd4j.rand(DataType.DOUBLE, 3, 64));
        INDArray ood = tinyData().withOodData(flat).oodDataInputs().orElseThrow();
        assertArrayEquals(new long[] {3, 1, 8, 8}, ood.shape());
        assertEquals(DataType.FLOAT, ood.dataType(), "stored in the test split's type");
    }

    @Test
    void badRobustnessOptionsExitWith2AndOneLine() {
        CommandRun.of(run("--ood-classes", "3")).assertBadInput("--ood-classes: class 3 is not in [0, 3)");
        CommandRun.of(run("--ood-classes", "-1")).assertBadInput("--ood-classes: class -1 is not in [0, 3)");
        CommandRun.of(run("--ood-classes", "1,1")).assertBadInput("--ood-classes: class 1 is given twice");
        CommandRun.of(run("--ood-classes", "0,1,2")).assertBadInput("at least 2 classes must stay in distribution");
        CommandRun.of(run("--ood-classes", "0,1")).assertBadInput("holds out 2 of the 3 classes");
        CommandRun.of(run("--ood-data", file("ood-wrong.npy"))).assertBadInput("--ood-data " + file("ood-wrong.npy")
                + ": expected samples of shape [1, 8, 8] like the test split, found [10, 7, 7]");
        CommandRun.of(run("--ood-data", file("nowhere.npy"))).assertBadInput("--ood-data");
        CommandRun.of(run("--shift-blur", "0")).assertBadInput("--shift-blur must be a standard deviation in (0, 100] "
                + "pixels, found 0.0");
        CommandRun.of("run", "--train-features", file("flat-x.npy"), "--train-labels", file("test-y.npy"),
                "--test-features", file("flat-x.npy"), "--test-labels", file("test-y.npy"), "--shift-blur", "1")
                .assertBadInput("--shift-blur blurs images, but the features are flat vectors [30, 64]");
    }
}
