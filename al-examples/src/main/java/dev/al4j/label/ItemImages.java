package dev.al4j.label;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The picture of each pool item, by pool id only: the labelling page never names a file. Either PNGs rendered from
 * the pool's own pixels ({@link #ofPixels}) or the bytes of the image files the pool was read from
 * ({@link #ofFiles}). Thread-safe (read-only).
 */
public interface ItemImages {

    /** One encoded image and its media type. */
    record Image(String contentType, byte[] bytes) {}

    /** The number of items: ids are {@code 0..size()-1}. */
    int size();

    /**
     * The image of pool id {@code id}.
     *
     * @throws IndexOutOfBoundsException when {@code id} is outside {@code [0, size())}
     */
    Image image(int id);

    /**
     * PNGs rendered from pixel rows: {@code rows} is {@code [N, C·H·W]} or {@code [N, C, H, W]} with values in
     * {@code [0, 1]}, {@code C} 1 (grey) or 3 (RGB), {@code shape} is {@code [C, H, W]}.
     */
    static ItemImages ofPixels(INDArray rows, long[] shape) {
        if (shape == null || shape.length != 3 || !(shape[0] == 1 || shape[0] == 3)) {
            throw new IllegalArgumentException("shape must be [C, H, W] with C 1 or 3, found "
                    + java.util.Arrays.toString(shape));
        }
        int c = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        INDArray flat = rows.reshape('c', rows.size(0), (long) c * h * w);
        int n = (int) rows.size(0);
        return new ItemImages() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Image image(int id) {
                java.util.Objects.checkIndex(id, n);
                float[] px = flat.getRow(id).toFloatVector();
                BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY
                        : BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (c == 1) {
                            int v = level(px[y * w + x]);
                            img.getRaster().setSample(x, y, 0, v);
                        } else {
                            int r = level(px[y * w + x]);
                            int g = level(px[h * w + y * w + x]);
                            int b = level(px[2 * h * w + y * w + x]);
                            img.setRGB(x, y, (r << 16) | (g << 8) | b);
                        }
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    ImageIO.write(img, "png", out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new Image("image/png", out.toByteArray());
            }
        };
    }

    /** The bytes of image files (PNG or JPEG), pool id {@code i} being {@code files.get(i)}. */
    static ItemImages ofFiles(List<Path> files) {
        List<Path> copy = List.copyOf(files);
        return new ItemImages() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public Image image(int id) {
                Path file = copy.get(java.util.Objects.checkIndex(id, copy.size()));
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                try {
                    return new Image(name.endsWith(".png") ? "image/png" : "image/jpeg", Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
