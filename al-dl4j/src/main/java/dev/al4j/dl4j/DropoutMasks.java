package dev.al4j.dl4j;

import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Inverted-dropout masks drawn row by row from per-row seeds, so that a row's mask never depends on the others. */
final class DropoutMasks {

    private DropoutMasks() {}

    /**
     * {@code [rows, width]} masks: each entry is {@code 1/(1−rate)} with probability {@code 1−rate}, else 0; row
     * {@code r} comes from a generator seeded with {@code rowSeed(r)}.
     */
    static INDArray inverted(double rate, int rows, int width, IntToLongFunction rowSeed) {
        float[] m = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            fill(rate, rowSeed.applyAsLong(r), m, r * width, width);
        }
        return Nd4j.create(m, new long[] {rows, width}, 'c');
    }

    /** Writes one row's mask, from {@code seed}, into {@code out[offset, offset + width)}. */
    static void fill(double rate, long seed, float[] out, int offset, int width) {
        double keep = 1.0 - rate;
        float scale = (float) (1.0 / keep);
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = 0; j < width; j++) {
            out[offset + j] = random.nextDouble() < keep ? scale : 0f;
        }
    }
}
