package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageAugmenterTest {

    @Test
    void handCheckedFlipAndShifts() {
        // One 1 x 2 x 3 image:  1 2 3 / 4 5 6.
        INDArray image = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 1, 2, 3}, 'c');
        // Find seeds giving (flip, dy, dx) = (true, 0, 0), (false, 0, 1) and (false, 1, 0) under the documented draw
        // order, then check the pixels by hand.
        long flipOnly = seedFor(true, 0, 0, 1);
        long right = seedFor(false, 0, 1, 1);
        long down = seedFor(false, 1, 0, 1);
        ImageAugmenter a = ImageAugmenter.of(1, 2, 3).withMaxShift(1);
        // Flipped: 3 2 1 / 6 5 4.
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4}, a.augment(image, new long[] {flipOnly}).ravel().toDoubleVector());
        // Shifted one column right, zero fill on the left: 0 1 2 / 0 4 5.
        assertArrayEquals(new double[] {0, 1, 2, 0, 4, 5}, a.augment(image, new long[] {right}).ravel().toDoubleVector());
        // Shifted one row down: 0 0 0 / 1 2 3.
        assertArrayEquals(new double[] {0, 0, 0, 1, 2, 3}, a.augment(image, new long[] {down}).ravel().toDoubleVector());
    }

    /** A seed whose random draws in the documented order are (flip, dy, dx) for shifts up to {@code s}. */
    private static long seedFor(boolean flip, int dy, int dx, int s) {
        for (long seed = 0; ; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            if (r.nextBoolean() == flip && r.nextInt(2 * s + 1) - s == dy && r.nextInt(2 * s + 1) - s == dx) {
                return seed;
            }
        }
    }

    /**
     * Pad-then-crop reference: flip the image if drawn, pad by s zeros on every side, take the H x W window whose top
     * left corner is (s - dy, s - dx). Equal to the implementation's shift with zero fill.
     */
    private static double[] padAndCrop(double[] image, int c, int h, int w, int s, boolean flipsOn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean flip = r.nextBoolean() && flipsOn;
        int dy = s == 0 ? 0 : r.nextInt(2 * s + 1) - s;
        int dx = s == 0 ? 0 : r.nextInt(2 * s + 1) - s;
        double[] out = new double[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            double[][] padded = new double[h + 2 * s][w + 2 * s];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    padded[y + s][x + s] = image[ch * h * w + y * w + (flip ? w - 1 - x : x)];
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[ch * h * w + y * w + x] = padded[y + s - dy][x + s - dx];
                }
            }
        }
        return out;
    }

    @Property(tries = 50)
    void matchesPadAndCropRowByRow(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 6) int h,
            @ForAll @IntRange(min = 1, max = 6) int w, @ForAll @IntRange(min = 0, max = 3) int s,
            @ForAll boolean flips, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 4;
        double[] data = r.doubles(n * c * h * w).toArray();
        long[] seeds = r.longs(n).toArray();
        ImageAugmenter a = ImageAugmenter.of(c, h, w).withMaxShift(s).withHorizontalFlip(flips);
        INDArray flat = Nd4j.create(data, new long[] {n, c * h * w}, 'c');
        INDArray out = a.augment(flat, seeds);
        assertArrayEquals(flat.shape(), out.shape());
        double[] got = out.ravel().toDoubleVector();
        for (int i = 0; i < n; i++) {
            double[] row = java.util.Arrays.copyOfRange(data, i * c * h * w, (i + 1) * c * h * w);
            double[] expected = padAndCrop(row, c, h, w, s, flips, seeds[i]);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, i * c * h * w, (i + 1) * c * h * w), 0);
            // A row's copy does not depend on its batch: augmenting it alone gives the same.
            INDArray alone = a.augment(flat.getRow(i).reshape(1, c * h * w).dup(), new long[] {seeds[i]});
            assertArrayEquals(expected, alone.ravel().toDoubleVector(), 0);
        }
        // Same shape and values for the [n, C, H, W] layout.
        INDArray four = a.augment(flat.reshape('c', n, c, h, w), seeds);
        assertArrayEquals(new long[] {n, c, h, w}, four.shape());
        assertArrayEquals(got, four.ravel().toDoubleVector(), 0);
    }

    @Test
    void keepsTheDataTypeAndRejectsBadInput() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 28, 28);
        ImageAugmenter a = ImageAugmenter.of(1, 28, 28);
        INDArray out = a.augment(images, new long[] {1, 2, 3});
        assertEquals(DataType.FLOAT, out.dataType());
        assertArrayEquals(images.shape(), out.shape());
        assertNotEquals(images, out); // with overwhelming probability at least one row moved
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.augment(images, new long[] {1, 2}));
        assertTrue(e.getMessage().contains("seeds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.augment(Nd4j.rand(DataType.FLOAT, 3, 27, 28),
                new long[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageAugmenter.of(0, 28, 28));
        assertThrows(IllegalArgumentException.class, () -> a.withMaxShift(-1));
        assertEquals("ImageAugmenter.of(1, 28, 28)", a.toString());
        assertEquals("ImageAugmenter.of(3, 32, 32).withHorizontalFlip(false).withMaxShift(4)",
                ImageAugmenter.of(3, 32, 32).withHorizontalFlip(false).withMaxShift(4).toString());
        assertEquals(a, ImageAugmenter.of(1, 28, 28).withMaxShift(2));
    }
}
