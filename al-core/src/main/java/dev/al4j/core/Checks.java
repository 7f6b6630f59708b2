package dev.al4j.core;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Argument checks at al4j's public boundary, in the spirit of Guava's {@code Preconditions}.
 *
 * <p>Every check is written in positive form so that NaN fails too, and every message names the argument, the
 * value found and what was expected. This class is public so that all al4j modules share one set of checks; it is
 * not part of the supported API for users.
 */
public final class Checks {

    /** Tolerance on the row sums of a probability matrix. */
    public static final double ROW_SUM_TOLERANCE = 1e-3;

    private Checks() {}

    /** Throws {@link IllegalArgumentException} with a formatted message unless {@code condition} holds. */
    public static void checkArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
        }
    }

    /** Throws {@link IllegalStateException} with a formatted message unless {@code condition} holds. */
    public static void checkState(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(Locale.ROOT, format, args));
        }
    }

    /** Returns {@code value}, or throws {@link NullPointerException} naming the argument. */
    public static <T> T checkNotNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /** Checks {@code value >= 0}. */
    public static int checkNonNegative(int value, String name) {
        checkArgument(value >= 0, "%s must be >= 0, found %d", name, value);
        return value;
    }

    /** Checks {@code value > 0}. */
    public static int checkPositive(int value, String name) {
        checkArgument(value > 0, "%s must be > 0, found %d", name, value);
        return value;
    }

    /** Checks {@code value > 0} and finite. */
    public static double checkPositive(double value, String name) {
        checkArgument(value > 0 && value < Double.POSITIVE_INFINITY, "%s must be finite and > 0, found %s", name,
                value);
        return value;
    }

    /** Checks {@code lo <= value <= hi}; NaN fails. */
    public static double checkInRange(double value, double lo, double hi, String name) {
        checkArgument(value >= lo && value <= hi, "%s must be in [%s, %s], found %s", name, lo, hi, value);
        return value;
    }

    /**
     * Checks that {@code model} and {@code pool} are not null and agree on the number of classes; the message names
     * both counts ({@code "model has 3 classes but the pool has 10"}). Every query runs it before reading outputs.
     */
    public static void checkClasses(Pool pool, Model model) {
        checkNotNull(pool, "pool");
        checkNotNull(model, "model");
        if (model.numClasses() != pool.numClasses()) { // test first: the arguments are boxed only on failure
            checkArgument(false, "model has %d classes but the pool has %d", model.numClasses(), pool.numClasses());
        }
    }

    /** Checks that {@code id} is a valid pool id in {@code [0, size)}. */
    public static int checkId(int id, int size, String name) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException(
                    String.format(Locale.ROOT, "%s must be a pool id in [0, %d), found %d", name, size, id));
        }
        return id;
    }

    /**
     * Checks that every id is in {@code [0, size)} and that no id occurs twice.
     *
     * @throws IndexOutOfBoundsException for an id out of range
     * @throws IllegalArgumentException for a duplicated id
     */
    public static void checkIds(int[] ids, int size, String name) {
        checkNotNull(ids, name);
        boolean[] seen = new boolean[size];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= size) {
                throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                        "%s[%d] must be a pool id in [0, %d), found %d", name, i, size, id));
            }
            checkArgument(!seen[id], "%s must not repeat an id, found %d twice", name, id);
            seen[id] = true;
        }
    }

    /**
     * Checks pairs of pool ids and labels before the pool size and class count are known (oracle answers,
     * pseudo-labels): equal lengths, ids {@code >= 0} and distinct, labels {@code >= 0}.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    public static void checkIdLabelPairs(int[] ids, int[] labels) {
        checkNotNull(ids, "ids");
        checkNotNull(labels, "labels");
        checkArgument(ids.length == labels.length, "ids and labels must have the same length, found %d and %d",
                ids.length, labels.length);
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            checkArgument(sorted[i] >= 0, "ids must be pool ids >= 0, found %d", sorted[i]);
            checkArgument(i == 0 || sorted[i] != sorted[i - 1], "ids must not repeat, found %d twice", sorted[i]);
        }
        for (int i = 0; i < labels.length; i++) {
            checkArgument(labels[i] >= 0, "labels[%d] must be a class >= 0, found %d", i, labels[i]);
        }
    }

    /** Checks that a label is a class index in {@code [0, numClasses)}. */
    public static int checkLabel(int label, int numClasses, String name) {
        checkArgument(label >= 0 && label < numClasses, "%s must be a class in [0, %d), found %d", name, numClasses,
                label);
        return label;
    }

    /**
     * Checks that the array holds no NaN and no infinity. One pass over a contiguous copy of the values (ND4J's
     * boolean-indexing ops cost tens of milliseconds each on large arrays).
     */
    public static INDArray checkFinite(INDArray array, String name) {
        checkNotNull(array, name);
        if (array.isEmpty()) {
            return array;
        }
        float[] v = values(array);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must not contain %s, found at "
                        + "flat index %d", name, Float.isNaN(v[i]) ? "NaN" : "infinity", i));
            }
        }
        return array;
    }

    /**
     * Checks a class-probability matrix: rank 2, {@code expectedRows} rows (or any number when negative),
     * {@code expectedClasses} columns (or any when negative), finite, every entry in [0, 1] and every row summing
     * to 1 within {@link #ROW_SUM_TOLERANCE}. One pass over a contiguous float copy of the values.
     */
    public static INDArray checkProbabilities(INDArray probabilities, long expectedRows, long expectedClasses,
            String name) {
        checkNotNull(probabilities, name);
        checkArgument(probabilities.rank() == 2, "%s must be a [n, K] matrix, found shape %s", name,
                Arrays.toString(probabilities.shape()));
        checkArgument(expectedRows < 0 || probabilities.rows() == expectedRows, "%s must have %d rows, found %d",
                name, expectedRows, probabilities.rows());
        checkArgument(expectedClasses < 0 || probabilities.columns() == expectedClasses,
                "%s must have %d columns (classes), found %d", name, expectedClasses, probabilities.columns());
        if (probabilities.isEmpty() || probabilities.rows() == 0) {
            return probabilities;
        }
        checkProbabilityRows(values(probabilities), (int) probabilities.columns(), null, name);
        return probabilities;
    }

    /**
     * The value checks of {@link #checkProbabilities} on a row-major copy of {@code [n, k]} probabilities: every entry
     * in [0, 1] (NaN and infinity fail) and every row summing to 1 within {@link #ROW_SUM_TOLERANCE}, in double. The
     * message is {@link #checkProbabilities}'s; when {@code ids} is not null (the pool id of each row) it also names
     * the id of the row at fault ({@code "... row 3 sums to 0.9 (id 17)"}).
     */
    public static void checkProbabilityRows(float[] v, int k, int[] ids, String name) {
        for (int row = 0, at = 0; at < v.length; row++) {
            double sum = 0;
            for (int c = 0; c < k; c++, at++) {
                float p = v[at];
                if (!(p >= 0 && p <= 1 + ROW_SUM_TOLERANCE)) {
                    throw outOfRange(v, k, ids, name);
                }
                sum += p;
            }
            if (!(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s rows must sum to 1 (tolerance %s), row %d sums to %s%s", name, ROW_SUM_TOLERANCE, row,
                        sum, idOf(ids, row)));
            }
        }
    }

    private static String idOf(int[] ids, int row) {
        return ids == null ? "" : " (id " + ids[row] + ")";
    }

    /**
     * The error for a probability matrix with a value outside [0, 1]: the first NaN or infinity if there is one,
     * else the smallest value when it is negative and the largest otherwise, with its row and column.
     */
    private static IllegalArgumentException outOfRange(float[] v, int k, int[] ids, String name) {
        int worst = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                worst = i;
                break;
            }
            if (worst < 0 || (v[i] < 0 ? v[i] < Math.min(0, v[worst]) : v[worst] >= 0 && v[i] > v[worst])) {
                worst = i;
            }
        }
        float p = v[worst];
        String what = Float.isNaN(p) ? "must not contain NaN"
                : Float.isInfinite(p) ? "must not contain infinity" : "must hold probabilities in [0, 1]";
        return new IllegalArgumentException(String.format(Locale.ROOT, "%s %s, found %s at row %d, column %d%s", name,
                what, p, worst / k, worst % k, idOf(ids, worst / k)));
    }

    /** The values in C order as floats (a copy: views and other orders are laid out first). */
    private static float[] values(INDArray array) {
        checkArgument(array.length() <= Integer.MAX_VALUE - 8, "array too large to check: %d values",
                array.length());
        return array.dup('c').data().asFloat();
    }
}
