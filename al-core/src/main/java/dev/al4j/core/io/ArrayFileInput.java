package dev.al4j.core.io;

import dev.al4j.core.Checks;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The byte source under both readers: a plain or gzip stream (told apart by its first two bytes), with the number of
 * bytes left when it is known (a plain file), and reads that check every declared size before allocating.
 *
 * <p>When the length is known, a declared size larger than what is left fails at once. When it is not (gzip, or a
 * caller's stream), the data array starts small and doubles only as bytes actually arrive, so a lying header
 * costs at most twice the bytes the stream really holds.
 */
final class ArrayFileInput {

    /** Largest element count of one array: the usual safe maximum of a Java array. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Largest rank: ND4J's limit. */
    static final int MAX_RANK = 32;
    /** Initial data capacity, in bytes, when the stream's length is unknown. */
    private static final int INITIAL_UNKNOWN_BYTES = 1 << 20;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final String source;
    private final InputStream in;
    private final boolean gzip;
    private long remaining; // bytes left, or -1 when unknown
    private long position; // bytes consumed so far (decompressed)

    private ArrayFileInput(String source, InputStream in, boolean gzip, long remaining) {
        this.source = source;
        this.in = in;
        this.gzip = gzip;
        this.remaining = remaining;
    }

    /** Opens a file; the caller closes the returned input's stream through {@link #close()}. */
    static ArrayFileInput open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            // A pipe or device reports no useful size: read it like a stream of unknown length.
            long length = Files.isRegularFile(file) ? Files.size(file) : -1;
            return wrap(file.toString(), raw, length);
        } catch (RuntimeException | IOException e) {
            raw.close();
            throw e;
        }
    }

    /** Wraps a caller's stream, which the caller closes. */
    static ArrayFileInput of(String source, InputStream in) throws IOException {
        return wrap(source, in.markSupported() ? in : new BufferedInputStream(in, 1 << 16), -1);
    }

    /** A file format's parser: reads one array from an input, checking as it goes. */
    @FunctionalInterface
    interface Format {
        RawArray parse(ArrayFileInput input) throws IOException;
    }

    /** Parses a file with {@code format}, closing the file afterwards. */
    static RawArray parse(Path file, Format format) throws IOException {
        Checks.checkNotNull(file, "file");
        ArrayFileInput input = open(file);
        try {
            return format.parse(input);
        } finally {
            input.close();
        }
    }

    /** Parses a caller's stream with {@code format}; the stream is read to the array's end and left open. */
    static RawArray parse(InputStream in, Format format) throws IOException {
        Checks.checkNotNull(in, "in");
        return format.parse(of("stream", in));
    }

    private static ArrayFileInput wrap(String source, InputStream in, long length) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = b0 < 0 ? -1 : in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            try {
                return new ArrayFileInput(source, new GzipErrors(source, new GZIPInputStream(in, 1 << 16)), true, -1);
            } catch (ZipException | EOFException e) {
                throw new MalformedArrayFileException(source + ": corrupt gzip header: " + describe(e), e);
            }
        }
        return new ArrayFileInput(source, in, false, length);
    }

    String source() {
        return source;
    }

    boolean isGzip() {
        return gzip;
    }

    /** Bytes left when known (plain file), else -1. */
    long remaining() {
        return remaining;
    }

    /** A {@link MalformedArrayFileException} whose message starts with the source. */
    MalformedArrayFileException malformed(String format, Object... args) {
        return new MalformedArrayFileException(source + ": " + String.format(Locale.ROOT, format, args));
    }

    /**
     * Reads exactly {@code n} header bytes ({@code n} is small and bounded by the caller).
     *
     * @param what names the field in the error message
     */
    byte[] readBytes(int n, String what) throws IOException {
        if (remaining >= 0 && n > remaining) {
            throw malformed("truncated: expected %d bytes of %s at offset %d, but the file has only %d left", n, what,
                    position, remaining);
        }
        byte[] bytes = in.readNBytes(n);
        consumed(bytes.length);
        if (bytes.length < n) {
            throw malformed("truncated: expected %d bytes of %s at offset %d, but the stream ended after %d", n,
                    what, position - bytes.length, bytes.length);
        }
        return bytes;
    }

    /**
     * Checks a shape and returns its element count; nothing is allocated.
     *
     * @throws MalformedArrayFileException for a negative or absurd dimension, too many dimensions, or a product
     *     that overflows or exceeds {@link #MAX_ELEMENTS}
     */
    long checkShape(long[] shape) {
        if (shape.length > MAX_RANK) {
            throw malformed("absurd shape: %d dimensions, at most %d are supported", shape.length, MAX_RANK);
        }
        long count = 1;
        long nonZeroProduct = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = shape[i];
            if (d < 0) {
                throw malformed("malformed shape %s: dimension %d is negative (%d)", Arrays.toString(shape), i, d);
            }
            if (d > MAX_ELEMENTS) {
                throw malformed("absurd shape %s: dimension %d is %d, at most %d is supported",
                        Arrays.toString(shape), i, d, MAX_ELEMENTS);
            }
            count *= d; // cannot overflow: count <= MAX_ELEMENTS or 0 is kept below
            if (d != 0) {
                // The product of the non-zero dimensions bounds strides, even of an empty array.
                nonZeroProduct = nonZeroProduct * d;
                if (nonZeroProduct > MAX_ELEMENTS) {
                    throw malformed("absurd shape %s: more than %d elements", Arrays.toString(shape),
                            MAX_ELEMENTS);
                }
            }
        }
        return count;
    }

    /**
     * Reads {@code count} elements of {@code type} in {@code order}. With a known length the declared size is
     * checked first; without, the data array grows only as bytes arrive.
     *
     * @param count elements, already checked by {@link #checkShape}
     */
    Object readData(ElementType type, long count, ByteOrder order) throws IOException {
        long bytes = count * type.width(); // count <= MAX_ELEMENTS and width <= 8: no overflow
        if (remaining >= 0 && bytes > remaining) {
            throw malformed("truncated: the header declares %d elements of %s (%d bytes) at offset %d, but the file "
                    + "has only %d bytes left", count, type, bytes, position, remaining);
        }
        int n = (int) count;
        int capacity = remaining >= 0 ? n : Math.min(n, INITIAL_UNKNOWN_BYTES / type.width());
        Object data = type.allocate(capacity);
        int perChunk = ElementType.CHUNK_BYTES / type.width();
        byte[] chunk = new byte[(int) Math.min(ElementType.CHUNK_BYTES, bytes)];
        ByteBuffer view = ByteBuffer.wrap(chunk).order(order);
        int filled = 0;
        while (filled < n) {
            int want = Math.min(perChunk, n - filled);
            int wantBytes = want * type.width();
            int got = in.readNBytes(chunk, 0, wantBytes);
            consumed(got);
            if (got < wantBytes) {
                throw malformed("truncated: the header declares %d elements of %s (%d bytes), but the data ends "
                        + "after %d bytes", count, type, bytes, (long) filled * type.width() + got);
            }
            if (filled + want > capacity) {
                capacity = (int) Math.min(n, Math.max(2L * capacity, (long) filled + want));
                data = type.resize(data, capacity);
            }
            view.clear();
            type.decode(view, data, filled, want);
            filled += want;
        }
        return data;
    }

    /** Checks that nothing follows the data. */
    void expectEnd() throws IOException {
        if (remaining > 0) {
            throw malformed("%d unexpected bytes after the data (offset %d)", remaining, position);
        }
        if (remaining < 0 && in.read() >= 0) {
            throw malformed("unexpected bytes after the data (offset %d)", position);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage()
                : e instanceof EOFException ? "unexpected end of the compressed stream" : e.getClass().getSimpleName();
    }

    /** Closes the underlying stream. */
    void close() throws IOException {
        in.close();
    }

    private void consumed(int n) {
        position += n;
        if (remaining >= 0) {
            remaining -= n;
        }
    }

    /**
     * Turns the gzip layer's complaints about the data (ZipException: corrupt stream, bad CRC; EOFException: the
     * compressed stream ends early) into {@link MalformedArrayFileException}; other I/O errors pass through.
     */
    private static final class GzipErrors extends FilterInputStream {
        private final String source;

        GzipErrors(String source, InputStream in) {
            super(in);
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        private MalformedArrayFileException corrupt(IOException e) {
            return new MalformedArrayFileException(source + ": corrupt gzip data: " + describe(e), e);
        }
    }
}
