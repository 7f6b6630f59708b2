package dev.al4j.strategies.diversity;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Small model outputs for the diversity tests. */
final class Fixtures {

    private Fixtures() {}

    /** A model over the given probability rows and embedding rows (as float32). */
    static PrecomputedModel model(double[][] probabilities, double[][] embeddings) {
        return PrecomputedModel.builder(Nd4j.create(probabilities).castTo(DataType.FLOAT))
                .embeddings(Nd4j.create(embeddings).castTo(DataType.FLOAT)).build();
    }

    /** Row-major float Gaussian {@code [n, d]} matrix. */
    static float[] gaussian(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) TestModels.gaussian(random);
        }
        return x;
    }

    /** Rows of a row-major matrix as {@code double[][]}. */
    static double[][] rows(float[] x, int n, int d) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = x[i * d + j];
            }
        }
        return out;
    }

    /** A random model with {@code n} ids, {@code k} classes and {@code d}-dimensional embeddings. */
    static PrecomputedModel random(int n, int k, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] p = TestModels.softmaxRows(n, k, 2.0, random);
        return model(p, rows(gaussian(n, d, seed + 1), n, d));
    }

    /** The float32 row-major probabilities a model holds for ids {@code 0..n-1}. */
    static float[] floats(double[][] rows) {
        int n = rows.length;
        int k = rows[0].length;
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) rows[i][c];
            }
        }
        return out;
    }
}
