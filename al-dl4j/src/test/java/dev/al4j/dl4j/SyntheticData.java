package dev.al4j.dl4j;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Separable synthetic "images" for the learner tests: class {@code c} is a Gaussian blob around its own random
 * prototype in {@code [0, 1]^D}, like a very easy Fashion-MNIST. A pure function of the seed.
 */
final class SyntheticData {

    final INDArray inputs; // [n, D] float
    final int[] labels;
    final int numClasses;

    private SyntheticData(INDArray inputs, int[] labels, int numClasses) {
        this.inputs = inputs;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /** {@code n} samples of {@code dim} features in {@code k} classes (label {@code i mod k}), noise std 0.3. */
    static SyntheticData blobs(int n, int dim, int k, long seed) {
        SplittableRandom prototypes = new SplittableRandom(seed);
        float[][] centers = new float[k][dim];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dim; j++) {
                centers[c][j] = (float) prototypes.nextDouble();
            }
        }
        SplittableRandom noise = new SplittableRandom(seed + 1);
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = centers[y[i]][j] + (float) (0.3 * gaussian(noise));
            }
        }
        return new SyntheticData(Nd4j.create(x, new long[] {n, dim}, 'c'), y, k);
    }

    /** The same samples as {@code [n, 1, side, side]} images ({@code dim} must be {@code side²}). */
    INDArray asImages(int side) {
        return inputs.reshape('c', inputs.size(0), 1, side, side);
    }

    /** A pool over these inputs with the first {@code labeled} samples labeled. */
    Pool pool(int labeled) {
        return pool(inputs, labeled);
    }

    Pool pool(INDArray in, int labeled) {
        int[] ids = new int[labeled];
        int[] y = new int[labeled];
        for (int i = 0; i < labeled; i++) {
            ids[i] = i;
            y[i] = labels[i];
        }
        return Pool.of(PoolInputs.of(in), numClasses).withLabels(ids, y);
    }

    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
