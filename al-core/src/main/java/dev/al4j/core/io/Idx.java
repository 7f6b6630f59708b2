package dev.al4j.core.io;

import dev.al4j.core.Checks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte.gz}, ...).
 *
 * <p>An IDX file is a 4-byte magic number {@code 00 00 TT DD} (TT the element type, DD the number of dimensions),
 * then each dimension as a big-endian int32, then the elements, big-endian, in C order. Element types and the ND4J
 * type each becomes: {@code 0x08} unsigned byte → UBYTE, {@code 0x09} signed byte → INT8, {@code 0x0B} short →
 * INT16, {@code 0x0C} int → INT32, {@code 0x0D} float → FLOAT, {@code 0x0E} double → DOUBLE.
 *
 * <p>Plain and gzip files are told apart by their first bytes, never by their name. A plain file is checked against
 * its length before anything is allocated; a gzip file is read into buffers that grow only as data arrives. Content
 * that is not a valid IDX file fails with {@link MalformedArrayFileException} naming the file and the problem;
 * {@link IOException} is only for real I/O failures.
 *
 * <pre>{@code
 * INDArray images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // UBYTE [60000, 28, 28]
 * int[] labels = Idx.readLabels(Path.of("train-labels-idx1-ubyte.gz"));
 * Idx.write(Path.of("subset-images-idx3-ubyte.gz"), images);          // gzip because the name ends in .gz
 * }</pre>
 *
 * <p>Reading costs one pass over the file and, briefly, twice the array's size in memory. Stateless and thread-safe.
 */
public final class Idx {

    /** Largest number of dimensions a file may declare (ND4J's maximum rank). */
    static final int MAX_RANK = ArrayFileInput.MAX_RANK;

    private Idx() {}

    /**
     * Reads an IDX file (plain or gzip) of any element type into a new C-order array of the matching data type.
     *
     * @throws MalformedArrayFileException if the file is not a valid IDX file
     * @throws IOException for an I/O failure (e.g. the file does not exist)
     */
    public static INDArray read(Path file) throws IOException {
        return parse(file).toINDArray();
    }

    /** As {@link #read(Path)}, from a stream that is read to its end and left open. */
    public static INDArray read(InputStream in) throws IOException {
        return parse(in).toINDArray();
    }

    /**
     * Reads a 1-D integer IDX file (unsigned or signed byte, short, int) as {@code int[]}: class labels. No ND4J
     * memory is used.
     *
     * @throws MalformedArrayFileException if the file is not valid, not 1-D or not of an integer type
     * @throws IOException for an I/O failure
     */
    public static int[] readLabels(Path file) throws IOException {
        return parse(file).toInts();
    }

    /** As {@link #readLabels(Path)}, from a stream that is read to its end and left open. */
    public static int[] readLabels(InputStream in) throws IOException {
        return parse(in).toInts();
    }

    /**
     * Writes {@code array} as an IDX file whose element type matches its data type (UBYTE, INT8, INT16, INT32,
     * FLOAT, DOUBLE), replacing any existing file; gzip-compressed when the file name ends in {@code .gz}. The
     * output is deterministic (the gzip header carries no time stamp).
     *
     * @throws IllegalArgumentException for another data type, a rank outside {@code [1, 32]}, or a dimension above
     *     {@link Integer#MAX_VALUE}
     * @throws IOException for an I/O failure
     */
    public static void write(Path file, INDArray array) throws IOException {
        Checks.checkNotNull(file, "file");
        Checks.checkNotNull(array, "array");
        ElementType type = ElementType.of(array.dataType());
        Checks.checkArgument(type != null && typeCode(type) != 0,
                "array must have data type UBYTE, BYTE, SHORT, INT, FLOAT or DOUBLE, found %s", array.dataType());
        long[] shape = array.shape();
        Checks.checkArgument(shape.length >= 1 && shape.length <= MAX_RANK,
                "array must have rank in [1, %d] for IDX, found shape %s", MAX_RANK, Arrays.toString(shape));
        for (long d : shape) {
            Checks.checkArgument(d <= Integer.MAX_VALUE, "array dimensions must be <= %d for IDX, found shape %s",
                    Integer.MAX_VALUE, Arrays.toString(shape));
        }
        try (OutputStream out = open(file)) {
            ByteBuffer header = ByteBuffer.allocate(4 + 4 * shape.length).order(ByteOrder.BIG_ENDIAN);
            header.put((byte) 0).put((byte) 0).put((byte) typeCode(type)).put((byte) shape.length);
            for (long d : shape) {
                header.putInt((int) d);
            }
            out.write(header.array());
            type.write(array, out, ByteOrder.BIG_ENDIAN);
        }
    }

    /**
     * Writes class labels as a 1-D unsigned-byte IDX file (the MNIST label format), gzip-compressed when the file
     * name ends in {@code .gz}.
     *
     * @throws IllegalArgumentException if a label is outside {@code [0, 255]}
     * @throws IOException for an I/O failure
     */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        Checks.checkNotNull(file, "file");
        Checks.checkNotNull(labels, "labels");
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            Checks.checkArgument(labels[i] >= 0 && labels[i] <= 255,
                    "labels[%d] must be in [0, 255] for an unsigned-byte IDX file, found %d", i, labels[i]);
            bytes[i] = (byte) labels[i];
        }
        try (OutputStream out = open(file)) {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) 1).putInt(labels.length);
            out.write(header.array());
            out.write(bytes);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        Path name = file.getFileName();
        if (name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return new BestGzip(out);
        }
        return out;
    }

    /** gzip at the best compression level: bundled data sets stay small. */
    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }

    /** The IDX type code of {@code type}, or 0 when IDX has none. */
    private static int typeCode(ElementType type) {
        switch (type) {
            case UINT8:
                return 0x08;
            case INT8:
                return 0x09;
            case INT16:
                return 0x0B;
            case INT32:
                return 0x0C;
            case FLOAT32:
                return 0x0D;
            case FLOAT64:
                return 0x0E;
            default:
                return 0;
        }
    }

    /** The element type of an IDX type code, or {@code null} when there is none: the inverse of {@link #typeCode}. */
    private static ElementType elementType(int code) {
        for (ElementType type : ElementType.values()) {
            if (code != 0 && typeCode(type) == code) {
                return type;
            }
        }
        return null;
    }

    static RawArray parse(Path file) throws IOException {
        return ArrayFileInput.parse(file, Idx::parse);
    }

    static RawArray parse(InputStream in) throws IOException {
        return ArrayFileInput.parse(in, Idx::parse);
    }

    private static RawArray parse(ArrayFileInput input) throws IOException {
        byte[] magic = input.readBytes(4, "magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw input.malformed("not an IDX file: the magic number must start with two zero bytes, found "
                    + "%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3]);
        }
        ElementType type = elementType(magic[2] & 0xFF);
        if (type == null) {
            throw input.malformed("unsupported IDX element type 0x%02x; supported: 0x08 (ubyte), 0x09 (byte), "
                    + "0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)", magic[2] & 0xFF);
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw input.malformed("unsupported number of dimensions %d; expected 1 to %d", rank, MAX_RANK);
        }
        ByteBuffer dims = ByteBuffer.wrap(input.readBytes(4 * rank, "dimensions")).order(ByteOrder.BIG_ENDIAN);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = dims.getInt(); // a set sign bit reads as negative and is rejected by checkShape
        }
        long count = input.checkShape(shape);
        Object data = input.readData(type, count, ByteOrder.BIG_ENDIAN);
        input.expectEnd();
        return new RawArray(input.source(), type, shape, false, data);
    }
}
