package dev.al4j.examples.cli;

import dev.al4j.core.io.Json;
import dev.al4j.metrics.Metrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code al4j metrics}: accuracy, expected calibration error, Brier score and negative log-likelihood of a set of
 * predictions, printed as one JSON object on stdout. The contract is in {@code docs/cli.md}.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Accuracy, ECE, Brier score and NLL of predictions: prints {\"n\", \"accuracy\", \"ece\", "
                + "\"brier\", \"nll\"} as one JSON object on stdout.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "2:bad input (one-line reason on stderr)", "1:internal error"})
final class MetricsCommand implements Callable<Integer> {

    @Option(names = "--probs", required = true, paramLabel = "FILE",
            description = "Class probabilities [N, K], float32 or float64, rows summing to 1.")
    Path probs;

    @Option(names = "--labels", required = true, paramLabel = "FILE",
            description = "True classes, N values in [0, K), int32/int64 vector.")
    Path labels;

    @Option(names = "--bins", paramLabel = "M", defaultValue = "15",
            description = "Equal-width confidence bins of the ECE (default: ${DEFAULT-VALUE}).")
    int bins;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (bins < 1) {
            throw new IllegalArgumentException("--bins must be >= 1, found " + bins);
        }
        INDArray p = ArrayFiles.readReal("--probs", probs, 2, "[N, K]");
        if (p.rows() < 1 || p.columns() < 1) {
            throw ArrayFiles.bad("--probs", probs, "expected at least one row and one class, found shape %s",
                    java.util.Arrays.toString(p.shape()));
        }
        ArrayFiles.checkProbabilities("--probs", probs, p);
        int[] y = ArrayFiles.readInts("--labels", labels);
        if (y.length != p.rows()) {
            throw ArrayFiles.bad("--labels", labels, "expected %d labels (one per row of --probs), found %d", p.rows(),
                    y.length);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= p.columns()) {
                throw ArrayFiles.bad("--labels", labels, "labels[%d] must be a class in [0, %d), found %d", i,
                        p.columns(), y[i]);
            }
        }
        out.println(Json.writer().put("n", y.length).put("accuracy", Metrics.accuracy().evaluate(p, y))
                .put("ece", Metrics.expectedCalibrationError().withBins(bins).evaluate(p, y))
                .put("brier", Metrics.brier().evaluate(p, y))
                .put("nll", Metrics.negativeLogLikelihood().evaluate(p, y)));
        out.flush();
        return 0;
    }
}
