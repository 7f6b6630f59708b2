package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A validated {@code [n, K]} probability matrix and its labels, pulled into one row-major {@code double[]} so that
 * the per-sample measures run as one pass over plain memory instead of {@code n·K} native calls.
 */
final class ProbabilityMatrix {

    final int rows;
    final int classes;
    /** Row-major: {@code values[i * classes + c]}. */
    final double[] values;
    final int[] labels;

    private ProbabilityMatrix(int rows, int classes, double[] values, int[] labels) {
        this.rows = rows;
        this.classes = classes;
        this.values = values;
        this.labels = labels;
    }

    /**
     * Checks the arguments of {@link dev.al4j.core.Metric#evaluate}: non-empty, one label per row, probabilities in
     * [0, 1] with rows summing to 1 (within {@link Checks#ROW_SUM_TOLERANCE}), labels in {@code [0, K)}.
     */
    static ProbabilityMatrix of(INDArray probabilities, int[] labels) {
        Checks.checkNotNull(probabilities, "probabilities");
        Checks.checkNotNull(labels, "labels");
        Checks.checkArgument(labels.length > 0, "labels must not be empty, found length 0");
        Checks.checkArgument(probabilities.rank() == 2, "probabilities must be a [n, K] matrix, found rank %d",
                probabilities.rank());
        Checks.checkArgument(probabilities.rows() == labels.length,
                "probabilities must have one row per label (%d labels), found %d rows", labels.length,
                probabilities.rows());
        Checks.checkArgument(probabilities.columns() > 0, "probabilities must have at least one class column, "
                + "found %d", probabilities.columns());
        Checks.checkProbabilities(probabilities, labels.length, -1, "probabilities");
        int n = labels.length;
        int k = probabilities.columns();
        checkLabels(labels, k);
        return new ProbabilityMatrix(n, k, toRowMajorDoubles(probabilities, n, k), labels.clone());
    }

    /** Checks that every label is a class in {@code [0, k)}; the message names the first offending position. */
    static void checkLabels(int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "labels[%d] must be a class in [0, %d), found %d", i, k, labels[i]));
            }
        }
    }

    /** One bulk copy of the matrix into a row-major {@code double[]}. */
    static double[] toRowMajorDoubles(INDArray matrix, long rows, long columns) {
        INDArray d = matrix.dataType() == DataType.DOUBLE ? matrix : matrix.castTo(DataType.DOUBLE);
        if (d.isView() || d.ordering() != 'c' || d.data().length() != rows * columns) {
            d = d.dup('c');
        }
        return d.data().asDouble();
    }

    /** The predicted class of row {@code i}: the arg-max, the lower class on ties. */
    int predicted(int i) {
        int base = i * classes;
        int best = 0;
        double max = values[base];
        for (int c = 1; c < classes; c++) {
            if (values[base + c] > max) {
                max = values[base + c];
                best = c;
            }
        }
        return best;
    }
}
