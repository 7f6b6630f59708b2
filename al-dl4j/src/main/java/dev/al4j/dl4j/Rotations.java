package dev.al4j.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The four rotations of square images, for PAL's rotation-prediction task. */
final class Rotations {

    private Rotations() {}

    /**
     * {@code [4n, c, s, s]}: rows {@code 4i .. 4i+3} are sample {@code i} rotated counter-clockwise by 0°, 90°, 180°
     * and 270°. Works on a {@code float[]} pulled once; {@code samples} holds {@code n} images of {@code c·s·s} values.
     */
    static INDArray allFour(INDArray samples, long[] image) {
        int n = (int) samples.size(0);
        int c = (int) image[0];
        int s = (int) image[1];
        int plane = s * s;
        float[] in = samples.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[4 * in.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (i * c + ch) * plane;
                for (int r = 0; r < 4; r++) {
                    int dst = ((4 * i + r) * c + ch) * plane;
                    for (int y = 0; y < s; y++) {
                        for (int x = 0; x < s; x++) {
                            // rotating by r·90° counter-clockwise: output (y, x) reads input at the inverse rotation
                            int sy;
                            int sx;
                            switch (r) {
                                case 0 -> { sy = y; sx = x; }
                                case 1 -> { sy = x; sx = s - 1 - y; }
                                case 2 -> { sy = s - 1 - y; sx = s - 1 - x; }
                                default -> { sy = s - 1 - x; sx = y; }
                            }
                            out[dst + y * s + x] = in[src + sy * s + sx];
                        }
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {4L * n, c, s, s}, 'c');
    }

    /** {@code [4n, 4]} one-hot rotation labels: row {@code 4i + r} is rotation {@code r}. */
    static INDArray labels(int n) {
        float[] y = new float[16 * n];
        for (int i = 0; i < 4 * n; i++) {
            y[i * 4 + i % 4] = 1f;
        }
        return Nd4j.create(y, new long[] {4L * n, 4}, 'c');
    }
}
