package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.al4j.core.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code al4j metrics} in-process on a hand-checked example. */
class MetricsCommandTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeArrays() throws IOException {
        Npy.write(dir.resolve("p.npy"), Nd4j.create(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}}));
        Npy.write(dir.resolve("y.npy"), Nd4j.createFromArray(0, 1, 1, 1));
        Npy.write(dir.resolve("y-short.npy"), Nd4j.createFromArray(0, 1, 1));
        Npy.write(dir.resolve("y-class.npy"), Nd4j.createFromArray(0, 1, 2, 1));
        Npy.write(dir.resolve("y-float.npy"), Nd4j.create(new double[] {0, 1, 1, 1}));
        Npy.write(dir.resolve("p-nan.npy"), Nd4j.create(new double[][] {{0.9, 0.1}, {Double.NaN, 0.8},
            {0.6, 0.4}, {0.3, 0.7}}));
        Npy.write(dir.resolve("p-int.npy"), Nd4j.ones(DataType.INT32, 4, 2));
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void handCheckedValues() {
        Map<String, Object> json = CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y.npy"))
                .assertJsonObject();
        assertEquals(List.of("n", "accuracy", "ece", "brier", "nll"), List.copyOf(json.keySet()));
        assertEquals(4, json.get("n"));
        // Predictions 0, 1, 0, 1 against labels 0, 1, 1, 1: three right.
        assertEquals(0.75, (Double) json.get("accuracy"), 1e-12);
        // Confidences 0.9, 0.8, 0.6, 0.7 fall in four different bins of 15, so ECE is the mean of
        // |correct − confidence| = (0.1 + 0.2 + 0.6 + 0.3) / 4.
        assertEquals(0.3, (Double) json.get("ece"), 1e-12);
        // Σ_c (p_c − onehot_c)²: 0.02, 0.08, 0.72, 0.18; mean 1.0 / 4.
        assertEquals(0.25, (Double) json.get("brier"), 1e-12);
        // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.7) / 4.
        assertEquals(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.7)) / 4,
                (Double) json.get("nll"), 1e-12);
    }

    @Test
    void oneBinCalibrationComparesMeanAccuracyWithMeanConfidence() {
        Map<String, Object> json = CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y.npy"),
                "--bins", "1").assertJsonObject();
        // One bin: accuracy 0.75, mean confidence (0.9 + 0.8 + 0.6 + 0.7) / 4 = 0.75.
        assertEquals(0.0, (Double) json.get("ece"), 1e-12);
    }

    @Test
    void badInputExitsWith2AndOneLine() {
        CommandRun.of("metrics", "--probs", file("p.npy")).assertBadInput("--labels");
        CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y-short.npy"))
                .assertBadInput("expected 4 labels");
        CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y-class.npy"))
                .assertBadInput("labels[2] must be a class in [0, 2), found 2");
        CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y-float.npy")).assertBadInput("integer");
        CommandRun.of("metrics", "--probs", file("p-nan.npy"), "--labels", file("y.npy")).assertBadInput("NaN");
        CommandRun.of("metrics", "--probs", file("p-int.npy"), "--labels", file("y.npy"))
                .assertBadInput("float32 or float64");
        CommandRun.of("metrics", "--probs", file("none.npy"), "--labels", file("y.npy")).assertBadInput("no such file");
        CommandRun.of("metrics", "--probs", file("p.npy"), "--labels", file("y.npy"), "--bins", "0")
                .assertBadInput("--bins must be >= 1");
    }
}
