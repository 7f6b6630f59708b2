package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fetches model outputs for a query, validates them at the boundary and pulls them into Java arrays once, so that
 * the scoring loops never touch an {@code INDArray} element by element.
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
        INDArray p = model.probabilities(pool, ids);
        Checks.checkProbabilities(p, ids.length, pool.numClasses(), name);
        return toFloats(p);
    }

    /**
     * The model's {@code passes} stochastic passes over {@code ids}, validated (shape {@code [T, ids.length, K]},
     * finite, rows summing to 1), one row-major {@code float[ids.length * K]} per pass.
     */
    static float[][] passes(Pool pool, StochasticModel model, int[] ids, int passes, long seed, String name) {
        INDArray s = model.stochasticProbabilities(pool, ids, passes, seed);
        return toPasses(checkSamples(s, passes, ids.length, pool.numClasses(), name));
    }

    /**
     * Checks an array of {@code [T, n, K]} probabilities ({@code -1} accepts any size in that dimension): rank 3,
     * the expected sizes, and every row a probability vector as {@link Checks#checkProbabilities} demands.
     */
    static INDArray checkSamples(INDArray samples, long t, long n, long k, String name) {
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
        if (shape[1] > 0 && shape[2] > 0) {
            Checks.checkProbabilities(samples.reshape('c', shape[0] * shape[1], shape[2]), -1, -1, name);
        }
        return samples;
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
        boolean plain = c.ordering() == 'c' && !c.isView() && c.offset() == 0 && c.data().length() == c.length()
                && Arrays.equals(c.stride(), Nd4j.getStrides(c.shape(), 'c'));
        if (!plain) {
            c = c.dup('c');
        }
        float[] out = c.data().asFloat();
        Checks.checkState(out.length == a.length(), "pulled %d values from an array of length %d", out.length,
                a.length());
        return out;
    }

    /** Splits {@code [T, n, K]} samples into one row-major {@code float[n * K]} per pass. */
    static float[][] toPasses(INDArray samples) {
        int t = (int) samples.size(0);
        long perPass = samples.size(1) * samples.size(2);
        Checks.checkArgument(perPass < Integer.MAX_VALUE, "one pass of %s values is too large for a Java array",
                perPass);
        float[][] out = new float[t][];
        for (int pass = 0; pass < t; pass++) {
            // Pass by pass, so that T * n * K may exceed a Java array's length and the heap holds one copy.
            out[pass] = perPass == 0 ? new float[0] : toFloats(samples.slice(pass));
        }
        return out;
    }
}
