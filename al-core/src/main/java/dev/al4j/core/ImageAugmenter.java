package dev.al4j.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The standard small-image augmentation: a random horizontal flip (probability 1/2) and a random shift of up to
 * {@code s} pixels in each direction with zero fill, which is the same as padding the image by {@code s} zero pixels
 * and cropping a random {@code H x W} window ("random crop"). Each row is transformed with its own
 * {@link SplittableRandom} seeded by its seed: first the flip (one {@code nextBoolean}, drawn even when flips are off,
 * so that turning flips off does not change the shifts), then the vertical and the horizontal shift.
 *
 * <p>Inputs may be {@code [n, C, H, W]}, {@code [n, H, W]} (one channel) or flattened {@code [n, C*H*W]} in
 * channel-major, row-major order; the image shape is given when built. Cost O(n C H W) time and memory (the data are
 * pulled once, moved in a Java array and written back). Immutable and thread-safe.
 *
 * <pre>{@code
 * Augmenter a = ImageAugmenter.of(1, 28, 28);                  // flips and shifts up to 2 pixels
 * Augmenter shiftsOnly = a.withHorizontalFlip(false).withMaxShift(4);
 * INDArray copies = a.augment(images, seeds);
 * }</pre>
 */
public final class ImageAugmenter implements Augmenter {

    /** The default largest shift, in pixels. */
    public static final int DEFAULT_MAX_SHIFT = 2;

    private final int channels;
    private final int height;
    private final int width;
    private final boolean horizontalFlip;
    private final int maxShift;

    private ImageAugmenter(int channels, int height, int width, boolean horizontalFlip, int maxShift) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.horizontalFlip = horizontalFlip;
        this.maxShift = maxShift;
    }

    /**
     * Flips and shifts of up to {@value #DEFAULT_MAX_SHIFT} pixels for images of the given shape.
     *
     * @throws IllegalArgumentException unless every size is {@code >= 1}
     */
    public static ImageAugmenter of(int channels, int height, int width) {
        Checks.checkPositive(channels, "channels");
        Checks.checkPositive(height, "height");
        Checks.checkPositive(width, "width");
        return new ImageAugmenter(channels, height, width, true, DEFAULT_MAX_SHIFT);
    }

    /** A copy that flips horizontally with probability 1/2 ({@code true}) or never. */
    public ImageAugmenter withHorizontalFlip(boolean flip) {
        return new ImageAugmenter(channels, height, width, flip, maxShift);
    }

    /**
     * A copy that shifts by up to {@code pixels} in each direction (0 turns shifts off; a shift as large as the image
     * leaves it blank).
     *
     * @throws IllegalArgumentException unless {@code pixels >= 0}
     */
    public ImageAugmenter withMaxShift(int pixels) {
        Checks.checkNonNegative(pixels, "maxShift");
        return new ImageAugmenter(channels, height, width, horizontalFlip, pixels);
    }

    @Override
    public INDArray augment(INDArray inputs, long[] seeds) {
        Checks.checkNotNull(inputs, "inputs");
        Checks.checkNotNull(seeds, "seeds");
        long pixels = (long) channels * height * width;
        Checks.checkArgument(inputs.rank() >= 2 && inputs.length() == inputs.size(0) * pixels,
                "inputs must hold [n, %d, %d, %d] images (or [n, %d] flattened), found shape %s", channels, height,
                width, pixels, Arrays.toString(inputs.shape()));
        int n = (int) inputs.size(0);
        Checks.checkArgument(seeds.length == n, "seeds must have one seed per input row (%d), found %d", n,
                seeds.length);
        if (n == 0) {
            return inputs.dup();
        }
        double[] in = inputs.dup('c').data().asDouble();
        double[] out = new double[in.length];
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            SplittableRandom random = new SplittableRandom(seeds[i]);
            boolean flip = random.nextBoolean() && horizontalFlip;
            int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
            int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
            int base = (int) (i * pixels);
            for (int c = 0; c < channels; c++) {
                int p = base + c * plane;
                for (int y = 0; y < height; y++) {
                    int sy = y - dy;
                    if (sy < 0 || sy >= height) {
                        continue; // zero fill
                    }
                    for (int x = 0; x < width; x++) {
                        int sx = x - dx; // column of the flipped image
                        if (sx < 0 || sx >= width) {
                            continue;
                        }
                        out[p + y * width + x] = in[p + sy * width + (flip ? width - 1 - sx : sx)];
                    }
                }
            }
        }
        return Nd4j.create(out, inputs.shape(), 'c').castTo(inputs.dataType());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageAugmenter a && channels == a.channels && height == a.height && width == a.width
                && horizontalFlip == a.horizontalFlip && maxShift == a.maxShift;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width, horizontalFlip, maxShift);
    }

    @Override
    public String toString() {
        return "ImageAugmenter.of(" + channels + ", " + height + ", " + width + ")"
                + (horizontalFlip ? "" : ".withHorizontalFlip(false)")
                + (maxShift == DEFAULT_MAX_SHIFT ? "" : ".withMaxShift(" + maxShift + ")");
    }
}
