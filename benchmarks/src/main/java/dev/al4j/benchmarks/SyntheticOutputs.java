package dev.al4j.benchmarks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synthetic model outputs for benchmarks: rows of softmax(Gaussian logits), a pure function of the seed. */
final class SyntheticOutputs {

    private SyntheticOutputs() {}

    /**
     * {@code rows} probability rows over {@code k} classes as one row-major float32 array of shape {@code shape}
     * (whose product is {@code rows·k}); each row is softmax(scale · z) for standard normal z, with the scale drawn
     * per row in [0, 6) so rows range from nearly uniform to nearly one-hot.
     */
    static INDArray softmaxRows(long[] shape, int k, long seed) {
        long total = 1;
        for (long s : shape) {
            total *= s;
        }
        float[] out = new float[Math.toIntExact(total)];
        SplittableRandom random = new SplittableRandom(seed);
        double[] z = new double[k];
        for (int off = 0; off < out.length; off += k) {
            double scale = 6 * random.nextDouble();
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = scale * gaussian(random);
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                out[off + c] = (float) (z[c] / sum);
            }
        }
        return Nd4j.create(out, shape, 'c');
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
