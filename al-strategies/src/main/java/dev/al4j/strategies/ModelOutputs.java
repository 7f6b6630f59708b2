package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.RowArrays;
import dev.al4j.core.StochasticModel;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fetches model outputs for a query, validates them at the boundary and pulls them into Java arrays once, so that
 * the scoring loops never touch an {@code INDArray} element by element. A model that is {@link RowArrays} (a
 * {@code PrecomputedModel}) hands its rows over as {@code float[]} directly, with no {@code INDArray} in between;
 * its values are those of the {@code INDArray} path converted as {@link #toFloats} converts them, so the scores are
 * the same bits either way ({@code ModelOutputsRowArraysTest}).
 */
final class ModelOutputs {

    private ModelOutputs() {}

    /** Checks that the model and the pool agree on the number of classes; the message names both counts. */
    static void checkClasses(Pool pool, Model model) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkArgument(model.numClasses() == pool.numClasses(), "model has %d classes but the pool has %d",
                model.numClasses(), pool.numClasses());
    }

    /** The model's {@code [ids.length, K]} probabilities, validated, as a row-major {@code float[]}. */
    static float[] probabilities(Pool pool, Model model, int[] ids, String name) {
        if (model instanceof RowArrays rows) {
            float[] values = rows.probabilityRows(pool, ids);
            Checks.checkNotNull(values, name);
            int k = pool.numClasses();
            Checks.checkArgument(values.length == (long) ids.length * k,
                    "%s must hold %d rows of %d classes, found %d values", name, ids.length, k, values.length);
            if (!areProbabilityRows(values, k)) {
                // throws the canonical message
                Checks.checkProbabilities(Nd4j.create(values, new long[] {ids.length, k}, 'c'), -1, -1, name);
            }
            return values;
        }
        INDArray p = model.probabilities(pool, ids);
        Checks.checkNotNull(p, name);
        if (p.rank() != 2 || p.rows() != ids.length || p.columns() != pool.numClasses()) {
            Checks.checkProbabilities(p, ids.length, pool.numClasses(), name); // throws, naming the shape
        }
        float[] values = toFloats(p);
        if (!areProbabilityRows(values, pool.numClasses())) {
            Checks.checkProbabilities(p, ids.length, pool.numClasses(), name); // throws the canonical message
        }
        return values;
    }

    /** The largest entry a probability row may have: {@code 1 +} {@link Checks#ROW_SUM_TOLERANCE}. */
    static final double MAX_ENTRY = 1 + Checks.ROW_SUM_TOLERANCE;

    /**
     * Like {@link #probabilities}, for a kernel that checks the values as it reads them: when the model hands its
     * rows over as Java arrays ({@link RowArrays}) only their number is checked here, and the kernel must score a row
     * that fails {@link #areProbabilityRows}'s tests NaN (the same tests on the same row sum, which it computes
     * anyway), so the values are read once; {@link #checkScored} then throws the canonical message. Any other model's
     * outputs are checked here as {@link #probabilities} checks them.
     */
    static float[] probabilitiesForCheckingKernel(Pool pool, Model model, int[] ids, String name) {
        if (model instanceof RowArrays rows) {
            float[] values = rows.probabilityRows(pool, ids);
            Checks.checkNotNull(values, name);
            int k = pool.numClasses();
            Checks.checkArgument(values.length == (long) ids.length * k,
                    "%s must hold %d rows of %d classes, found %d values", name, ids.length, k, values.length);
            return values;
        }
        return probabilities(pool, model, ids, name);
    }

    /** Like {@link #passes}, for a kernel that checks the values (see {@link #probabilitiesForCheckingKernel}). */
    static float[][] passesForCheckingKernel(Pool pool, StochasticModel model, int[] ids, int passes, long seed,
            String name) {
        if (model instanceof RowArrays rows) {
            return checkPassShapes(rows.stochasticProbabilityRows(pool, ids, passes, seed), passes, ids.length,
                    pool.numClasses(), name);
        }
        return passes(pool, model, ids, passes, seed, name);
    }

    /** Throws the canonical message of {@link Checks#checkProbabilities} when a checking kernel scored a row NaN. */
    static void checkScored(double[] scores, float[] values, int k, String name) {
        for (double score : scores) {
            if (score != score) {
                Checks.checkProbabilities(Nd4j.create(values, new long[] {values.length / k, k}, 'c'), -1, -1,
                        name); // throws
                throw new IllegalStateException("a checking kernel rejected valid probabilities"); // not reached
            }
        }
    }

    /** {@link #checkScored(double[], float[], int, String)} for passes. */
    static void checkScored(double[] scores, float[][] passes, int k, String name) {
        for (double score : scores) {
            if (score != score) {
                rejectPasses(passes, passes.length, scores.length, k, name);
                throw new IllegalStateException("a checking kernel rejected valid probabilities"); // not reached
            }
        }
    }

    /**
     * Whether every row of {@code k} values is a probability vector as {@link Checks#checkProbabilities} demands
     * (entries in {@code [0, 1 + tol]}, row sum within {@link Checks#ROW_SUM_TOLERANCE} of 1, NaN failing): the same
     * tests, in the same precision, on the Java copy the scores read, so the array is read once; on {@code false}
     * the caller lets {@code Checks} build its message.
     */
    static boolean areProbabilityRows(float[] v, int k) {
        for (int at = 0; at < v.length; at += k) {
            if (!UncertaintyScores.isProbabilityRow(v, at, k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model's {@code passes} stochastic passes over {@code ids}, validated (shape {@code [T, ids.length, K]},
     * finite, rows summing to 1), one row-major {@code float[ids.length * K]} per pass.
     */
    static float[][] passes(Pool pool, StochasticModel model, int[] ids, int passes, long seed, String name) {
        if (model instanceof RowArrays rows) {
            return checkPasses(rows.stochasticProbabilityRows(pool, ids, passes, seed), passes, ids.length,
                    pool.numClasses(), name);
        }
        INDArray s = model.stochasticProbabilities(pool, ids, passes, seed);
        checkSampleShape(s, passes, ids.length, pool.numClasses(), name);
        float[][] out = toPasses(s);
        int k = pool.numClasses();
        for (float[] pass : out) {
            if (!areProbabilityRows(pass, k)) {
                checkSamples(s, passes, ids.length, k, name); // throws the canonical message
            }
        }
        return out;
    }

    /** The checks of {@link #passes} on passes handed over as Java arrays ({@link RowArrays}). */
    private static float[][] checkPasses(float[][] out, int passes, int n, int k, String name) {
        checkPassShapes(out, passes, n, k, name);
        for (float[] pass : out) {
            if (!areProbabilityRows(pass, k)) {
                rejectPasses(out, passes, n, k, name);
            }
        }
        return out;
    }

    /** The shape checks of {@link #checkPasses}, without reading the values; returns {@code out}. */
    private static float[][] checkPassShapes(float[][] out, int passes, int n, int k, String name) {
        Checks.checkNotNull(out, name);
        Checks.checkArgument(out.length == passes, "%s must hold %d passes, found %d", name, passes, out.length);
        for (float[] pass : out) {
            Checks.checkNotNull(pass, name);
            Checks.checkArgument(pass.length == (long) n * k, "%s must hold %d rows of %d classes per pass, found %d "
                    + "values", name, n, k, pass.length);
        }
        return out;
    }

    /** Throws the canonical message for passes that hold an invalid row. */
    private static void rejectPasses(float[][] out, int passes, int n, int k, String name) {
        // Lay the passes out as the INDArray path sees them, so that the message is the canonical one.
        float[] all = new float[Math.multiplyExact(passes, n * k)];
        for (int t = 0; t < passes; t++) {
            System.arraycopy(out[t], 0, all, t * n * k, n * k);
        }
        checkSamples(Nd4j.create(all, new long[] {passes, n, k}, 'c'), passes, n, k, name); // throws
    }

    /**
     * Checks an array of {@code [T, n, K]} probabilities ({@code -1} accepts any size in that dimension): rank 3,
     * the expected sizes, and every row a probability vector as {@link Checks#checkProbabilities} demands.
     */
    static INDArray checkSamples(INDArray samples, long t, long n, long k, String name) {
        long[] shape = checkSampleShape(samples, t, n, k, name);
        if (shape[1] > 0 && shape[2] > 0) {
            Checks.checkProbabilities(samples.reshape('c', shape[0] * shape[1], shape[2]), -1, -1, name);
        }
        return samples;
    }

    /** The shape checks of {@link #checkSamples}, without reading the values; returns the shape. */
    private static long[] checkSampleShape(INDArray samples, long t, long n, long k, String name) {
        Checks.checkNotNull(samples, name);
        long[] shape = samples.shape();
        Checks.checkArgument(samples.rank() == 3, "%s must be a [T, n, K] array, found shape %s", name,
                Arrays.toString(shape));
        Checks.checkArgument(t < 0 || shape[0] == t, "%s must hold %d passes, found shape %s", name, t,
                Arrays.toString(shape));
        Checks.checkArgument(shape[0] >= 1, "%s must hold at least one pass, found shape %s", name,
                Arrays.toString(shape));
        Checks.checkArgument(n < 0 || shape[1] == n, "%s must have %d rows per pass, found shape %s", name, n,
                Arrays.toString(shape));
        Checks.checkArgument(k < 0 || shape[2] == k, "%s must have %d columns (classes), found shape %s", name, k,
                Arrays.toString(shape));
        return shape;
    }

    /**
     * The elements of {@code a} in row-major order as floats: one copy out of native memory (two when {@code a}
     * is a view, not row-major or not float32).
     */
    static float[] toFloats(INDArray a) {
        if (a.length() == 0) {
            return new float[0];
        }
        INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (!isPlainFloat(c)) {
            c = c.dup('c');
        }
        float[] out = c.data().asFloat();
        Checks.checkState(out.length == a.length(), "pulled %d values from an array of length %d", out.length,
                a.length());
        return out;
    }

    /** Whether {@code a} is float32, row-major and owns exactly its buffer from offset 0 (so its buffer is its values). */
    private static boolean isPlainFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.offset() == 0
                && a.data().length() == a.length() && Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'));
    }

    /** Splits {@code [T, n, K]} samples into one row-major {@code float[n * K]} per pass. */
    static float[][] toPasses(INDArray samples) {
        int t = (int) samples.size(0);
        long perPass = samples.size(1) * samples.size(2);
        Checks.checkArgument(perPass < Integer.MAX_VALUE, "one pass of %s values is too large for a Java array",
                perPass);
        float[][] out = new float[t][];
        if (perPass > 0 && t * perPass <= Integer.MAX_VALUE && isPlainFloat(samples)) {
            // One view of the native buffer, one bulk copy per pass: no ND4J op per pass.
            java.nio.FloatBuffer all = samples.data().asNioFloat();
            for (int pass = 0; pass < t; pass++) {
                out[pass] = new float[(int) perPass];
                all.position((int) (pass * perPass));
                all.get(out[pass]);
            }
            return out;
        }
        for (int pass = 0; pass < t; pass++) {
            // Pass by pass, so that T * n * K may exceed a Java array's length and the heap holds one copy.
            out[pass] = perPass == 0 ? new float[0] : toFloats(samples.slice(pass));
        }
        return out;
    }
}
