package dev.al4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianBlurTest {

    @Test
    void kernelIsTheNormalisedTruncatedGaussian() {
        double[] w = GaussianBlur.kernel(1.0);
        // r = floor(4·1 + 0.5) = 4: nine weights, symmetric, summing to 1.
        assertEquals(9, w.length);
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            sum += w[j];
            assertEquals(w[j], w[w.length - 1 - j], 1e-15);
        }
        assertEquals(1.0, sum, 1e-12);
        // w_0 / w_1 = exp(1 / 2) for sigma 1; w_0 / w_2 = exp(2).
        assertEquals(Math.exp(0.5), w[4] / w[5], 1e-12);
        assertEquals(Math.exp(2), w[4] / w[6], 1e-12);
        // sigma 0.5: r = floor(4·0.5 + 0.5) = 2, five weights.
        assertEquals(5, GaussianBlur.kernel(0.5).length);
    }

    /** The separable blur equals the naive 2-D convolution with clamped ("nearest") borders. */
    @Test
    void separableBlurEqualsTheNaiveConvolution() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 2;
        int c = 2;
        int h = 5;
        int w = 7;
        double[][][][] x = new double[n][c][h][w];
        for (double[][][] a : x) {
            for (double[][] b : a) {
                for (double[] row : b) {
                    for (int j = 0; j < w; j++) {
                        row[j] = random.nextDouble();
                    }
                }
            }
        }
        for (double sigma : new double[] {0.4, 0.8, 1.7}) {
            int r = (int) (4 * sigma + 0.5);
            double norm = 0;
            for (int a = -r; a <= r; a++) {
                for (int b = -r; b <= r; b++) {
                    norm += Math.exp(-(a * a + b * b) / (2 * sigma * sigma));
                }
            }
            INDArray blurred = GaussianBlur.blur(Nd4j.create(x), sigma);
            assertArrayEquals(new long[] {n, c, h, w}, blurred.shape());
            for (int s = 0; s < n; s++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            double expected = 0;
                            for (int a = -r; a <= r; a++) {
                                for (int b = -r; b <= r; b++) {
                                    int ii = Math.min(h - 1, Math.max(0, i + a));
                                    int jj = Math.min(w - 1, Math.max(0, j + b));
                                    expected += Math.exp(-(a * a + b * b) / (2 * sigma * sigma)) / norm
                                            * x[s][ch][ii][jj];
                                }
                            }
                            assertEquals(expected, blurred.getDouble(s, ch, i, j), 1e-12,
                                    "sigma " + sigma + " at " + s + "," + ch + "," + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void constantImagesStayConstantAndTheTypeIsKept() {
        INDArray grey = Nd4j.zeros(DataType.FLOAT, 1, 1, 6, 6).addi(0.25);
        INDArray blurred = GaussianBlur.blur(grey, 2.0);
        assertEquals(DataType.FLOAT, blurred.dataType());
        assertEquals(0.0, blurred.sub(0.25).norm1Number().doubleValue(), 1e-5);
    }

    @Test
    void badArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GaussianBlur.kernel(0));
        assertTrue(e.getMessage().contains("sigma must be in (0, 100] pixels, found 0.0"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.kernel(Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Nd4j.zeros(3, 4), 1));
        assertTrue(e.getMessage().contains("images must be [N, C, H, W], found shape [3, 4]"), e::getMessage);
    }
}
