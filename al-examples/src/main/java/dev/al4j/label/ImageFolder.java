package dev.al4j.label;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folder of PNG/JPEG files as a pool: one sample per file, pool id {@code i} the {@code i}-th file in sorted
 * file-name order, pixels scaled to {@code [0, 1]}, grey ({@code C = 1}) when every file is grey, else RGB
 * ({@code C = 3}). Every image must have the same width and height. Immutable.
 *
 * <pre>{@code
 * ImageFolder folder = ImageFolder.read(Path.of("photos"));
 * Pool pool = Pool.of(PoolInputs.of(folder.inputs()), numClasses);
 * }</pre>
 */
public final class ImageFolder {

    private final List<Path> files;
    private final INDArray inputs;
    private final long[] shape;

    private ImageFolder(List<Path> files, INDArray inputs, long[] shape) {
        this.files = files;
        this.inputs = inputs;
        this.shape = shape;
    }

    /**
     * Reads every {@code .png}, {@code .jpg} and {@code .jpeg} file of {@code dir} (not its subfolders).
     *
     * @throws IllegalArgumentException naming the folder or file when it is not a folder, holds no image, a file
     *     cannot be decoded, or the sizes differ
     */
    public static ImageFolder read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--images " + dir + ": not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--images " + dir + ": no .png, .jpg or .jpeg file");
        }
        BufferedImage[] images = new BufferedImage[files.size()];
        boolean grey = true;
        for (int i = 0; i < images.length; i++) {
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            if (img == null) {
                throw new IllegalArgumentException("--images " + files.get(i) + ": not a PNG or JPEG image");
            }
            if (img.getWidth() != images0(images, img).getWidth()
                    || img.getHeight() != images0(images, img).getHeight()) {
                throw new IllegalArgumentException("--images " + files.get(i) + ": every image must be "
                        + images[0].getWidth() + "x" + images[0].getHeight() + " like " + files.get(0).getFileName()
                        + ", found " + img.getWidth() + "x" + img.getHeight());
            }
            images[i] = img;
            grey &= img.getColorModel().getNumColorComponents() == 1;
        }
        int h = images[0].getHeight();
        int w = images[0].getWidth();
        int c = grey ? 1 : 3;
        float[] px = new float[images.length * c * h * w];
        int at = 0;
        for (BufferedImage img : images) {
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int ch = 0; ch < c; ch++) {
                int shift = grey ? 0 : 16 - 8 * ch;
                for (int p : rgb) {
                    px[at++] = ((p >> shift) & 0xff) / 255f;
                }
            }
        }
        return new ImageFolder(files, Nd4j.create(px, new long[] {images.length, c, h, w}, 'c'),
                new long[] {c, h, w});
    }

    private static BufferedImage images0(BufferedImage[] images, BufferedImage current) {
        return images[0] == null ? current : images[0];
    }

    /** The pixels {@code [N, C, H, W]} in {@code [0, 1]} (a copy). */
    public INDArray inputs() {
        return inputs.dup();
    }

    /** One image's shape {@code [C, H, W]}. */
    public long[] imageShape() {
        return shape.clone();
    }

    /** The files, in pool-id order. */
    public List<Path> files() {
        return files;
    }

    /** The original files' bytes by pool id, for the page. */
    public ItemImages images() {
        return ItemImages.ofFiles(files);
    }

    @Override
    public String toString() {
        return "ImageFolder[" + files.size() + " images " + Arrays.toString(shape) + "]";
    }
}
