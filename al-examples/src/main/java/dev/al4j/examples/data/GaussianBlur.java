package dev.al4j.examples.data;

import dev.al4j.core.Checks;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gaussian blur of images, the dataset shift of seed 000 (§4.2, Figure 4b–c: the test set "corrupted with Gaussian
 * blur", after Hendrycks and Dietterich, "Benchmarking Neural Network Robustness to Common Corruptions and
 * Perturbations", 2019). Each channel of each image is convolved with the 2-D Gaussian
 * {@code G(x, y) = exp(−(x² + y²) / (2σ²))}, truncated at radius {@code r = ⌊4σ + 0.5⌋} pixels and normalised to sum
 * 1 (the truncation of {@code scipy.ndimage.gaussian_filter}); pixels beyond the border repeat the nearest edge
 * pixel (mode "nearest", the default of {@code skimage.filters.gaussian}, which Hendrycks and Dietterich's blur
 * calls). The 2-D kernel is the outer product of the 1-D one, so the blur runs as a horizontal then a vertical 1-D
 * pass; a test checks it against the naive 2-D convolution.
 *
 * <p>Cost: {@code O(N · C · H · W · r)} time, one {@code double[]} copy of the images. Stateless and thread-safe.
 *
 * <pre>{@code
 * INDArray blurred = GaussianBlur.blur(testImages, 1.5); // [N, C, H, W] in, same shape out
 * }</pre>
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /**
     * The normalised 1-D kernel: {@code 2r + 1} weights {@code w_j ∝ exp(−j² / (2σ²))}, {@code j = −r..r},
     * {@code r = ⌊4σ + 0.5⌋}.
     *
     * @throws IllegalArgumentException unless {@code 0 < sigma <= 100}
     */
    public static double[] kernel(double sigma) {
        checkSigma(sigma);
        int r = (int) (4 * sigma + 0.5);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int j = -r; j <= r; j++) {
            w[j + r] = Math.exp(-(double) j * j / (2 * sigma * sigma));
            sum += w[j + r];
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= sum;
        }
        return w;
    }

    /**
     * The images blurred, each channel separately.
     *
     * @param images {@code [N, C, H, W]}, float32 or float64
     * @param sigma the standard deviation of the Gaussian in pixels, {@code 0 < sigma <= 100}
     * @return a new array of the same shape and data type
     * @throws IllegalArgumentException for another rank or an invalid sigma
     */
    public static INDArray blur(INDArray images, double sigma) {
        Checks.checkNotNull(images, "images");
        Checks.checkArgument(images.rank() == 4, "images must be [N, C, H, W], found shape %s",
                Arrays.toString(images.shape()));
        double[] w = kernel(sigma);
        int r = w.length / 2;
        long[] shape = images.shape();
        int h = (int) shape[2];
        int width = (int) shape[3];
        int planes = (int) (shape[0] * shape[1]);
        double[] x = images.dup('c').data().asDouble();
        double[] row = new double[width];
        double[] column = new double[h];
        for (int p = 0; p < planes; p++) {
            int base = p * h * width;
            for (int i = 0; i < h; i++) {
                int start = base + i * width;
                for (int j = 0; j < width; j++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        s += w[t + r] * x[start + clamp(j + t, width)];
                    }
                    row[j] = s;
                }
                System.arraycopy(row, 0, x, start, width);
            }
            for (int j = 0; j < width; j++) {
                for (int i = 0; i < h; i++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        s += w[t + r] * x[base + clamp(i + t, h) * width + j];
                    }
                    column[i] = s;
                }
                for (int i = 0; i < h; i++) {
                    x[base + i * width + j] = column[i];
                }
            }
        }
        INDArray out = Nd4j.create(x, shape, 'c');
        return out.dataType() == images.dataType() ? out : out.castTo(images.dataType());
    }

    /** The index of the nearest pixel inside {@code [0, n)}. */
    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    private static void checkSigma(double sigma) {
        Checks.checkArgument(sigma > 0 && sigma <= 100, "sigma must be in (0, 100] pixels, found %s", sigma);
    }
}
