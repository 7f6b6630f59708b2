package dev.al4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hostile files: valid small {@code .npy} and IDX files (plain or gzip) get random mutations — bit flips, bytes set to
 * troublesome values, truncation, insertion, deletion, duplicated ranges, and header edits that write hostile
 * shapes, dtypes and dimensions — and every read must either succeed with a consistent array or fail with
 * {@link MalformedArrayFileException}. Any other exception (IOException from gzip, NegativeArraySizeException,
 * OutOfMemoryError, an ND4J exception, ArrayIndexOutOfBoundsException, ...) fails the property, as does reading
 * that allocates more than {@link #MAX_ALLOCATION} bytes of heap for a file of at most a few kilobytes: a header's
 * declared size is never trusted before the data is there.
 *
 * <p>11 000 cases in total: 3 000 + 3 000 through streams, 2 000 + 2 000 through files (the known-length path),
 * 1 000 through the int readers.
 */
class NpyIdxFuzzTest {

    /** Heap a single read of a small file may allocate: buffers of 64 KiB, the initial data array, slack. */
    private static final long MAX_ALLOCATION = 4L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path dir;

    @BeforeContainer
    static void setUp() throws IOException {
        Nd4j.create(1); // the backend's start-up allocates a lot; keep it out of the measured reads
        dir = Files.createTempDirectory("al4j-fuzz");
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
                Files.delete(p);
            }
        }
    }

    enum Format { NPY, IDX }

    /** Whether and when gzip is applied: mutate the plain bytes then compress, or mutate the compressed bytes. */
    enum Gzip { NONE, MUTATE_THEN_COMPRESS, COMPRESS_THEN_MUTATE }

    enum Kind { FLIP, SET, SET_IN_HEADER, TRUNCATE, INSERT, DELETE, DUPLICATE, EDIT_HEADER }

    /** One mutation; {@code position}, {@code value} and {@code length} are reduced to the file at hand. */
    record Mutation(Kind kind, int position, int value, int length) {}

    /** A valid file's description plus the mutations to apply. */
    record Case(Format format, ElementType type, long[] shape, int npyVersion, boolean bigEndian, boolean fortran,
            long seed, Gzip gzip, List<Mutation> mutations) {

        byte[] bytes() {
            byte[] plain = format == Format.NPY ? validNpy() : validIdx();
            switch (gzip) {
                case NONE:
                    return mutate(plain);
                case MUTATE_THEN_COMPRESS:
                    return ArrayFiles.gzip(mutate(plain));
                default:
                    return mutate(ArrayFiles.gzip(plain));
            }
        }

        private byte[] validNpy() {
            Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), seed);
            ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String descr = (type.width() == 1 ? "|" : bigEndian ? ">" : "<") + ArrayFiles.npyCode(type);
            StringBuilder shapeText = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                shapeText.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            shapeText.append(shape.length == 1 ? ",)" : ")");
            String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                    + ", 'shape': " + shapeText + ", }";
            int prefix = npyVersion == 1 ? 10 : 12;
            int padded = (prefix + header.length() + 1 + 63) / 64 * 64;
            header = header + " ".repeat(padded - prefix - header.length() - 1) + "\n";
            return ArrayFiles.npy(npyVersion, header, ArrayFiles.encode(type, data, order));
        }

        private byte[] validIdx() {
            Object data = ArrayFiles.randomData(type, ArrayFiles.product(shape), seed);
            int[] dims = Arrays.stream(shape).mapToInt(d -> (int) d).toArray();
            return ArrayFiles.idx(ArrayFiles.idxCode(type), dims,
                    ArrayFiles.encode(type, data, ByteOrder.BIG_ENDIAN));
        }

        private byte[] mutate(byte[] bytes) {
            byte[] b = bytes;
            for (Mutation m : mutations) {
                b = apply(m, b);
            }
            return b;
        }

        private byte[] apply(Mutation m, byte[] b) {
            int n = b.length;
            int at = n == 0 ? 0 : m.position() % n;
            switch (m.kind()) {
                case FLIP:
                    if (n > 0) {
                        b = b.clone();
                        b[at] ^= (byte) (1 << (m.value() & 7));
                    }
                    return b;
                case SET:
                case SET_IN_HEADER:
                    if (n > 0) {
                        b = b.clone();
                        int where = m.kind() == Kind.SET ? at : m.position() % Math.min(n, 80);
                        b[where] = TROUBLE_BYTES[m.value() % TROUBLE_BYTES.length];
                    }
                    return b;
                case TRUNCATE:
                    return Arrays.copyOf(b, n == 0 ? 0 : m.position() % n);
                case INSERT: {
                    int where = m.position() % (n + 1);
                    byte[] extra = new byte[1 + m.length() % 8];
                    Arrays.fill(extra, TROUBLE_BYTES[m.value() % TROUBLE_BYTES.length]);
                    return ArrayFiles.concat(Arrays.copyOf(b, where), extra, Arrays.copyOfRange(b, where, n));
                }
                case DELETE: {
                    int len = Math.min(1 + m.length() % 16, n - at);
                    return ArrayFiles.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n));
                }
                case DUPLICATE: {
                    int len = Math.min(1 + m.length() % 64, n - at);
                    return ArrayFiles.concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, n));
                }
                case EDIT_HEADER:
                    return format == Format.NPY ? editNpyHeader(m, b) : editIdxHeader(m, b);
                default:
                    throw new AssertionError(m);
            }
        }

        /** Replaces the shape, descr or fortran_order value with a hostile one; maybe fixes the length field. */
        private byte[] editNpyHeader(Mutation m, byte[] b) {
            String text = new String(b, StandardCharsets.ISO_8859_1);
            String[][] targets = {{"'shape': ", ")"}, {"'descr': ", "',"}, {"'fortran_order': ", ","}};
            String[] target = targets[m.length() % targets.length];
            int start = text.indexOf(target[0]);
            int end = start < 0 ? -1 : text.indexOf(target[1], start + target[0].length());
            if (start < 0 || end < 0) {
                return b;
            }
            start += target[0].length();
            end += target[1].length() - (target[1].equals("',") ? 1 : target[1].equals(",") ? 1 : 0);
            String replacement = NPY_VALUES[m.value() % NPY_VALUES.length];
            String edited = text.substring(0, start) + replacement + text.substring(end);
            byte[] out = edited.getBytes(StandardCharsets.ISO_8859_1);
            if (m.position() % 2 == 0 && out.length >= 12) {
                // Keep the header length field consistent, so that the parser, not the length, sees the edit.
                int delta = out.length - b.length;
                ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                if (npyVersion == 1) {
                    buf.putShort(8, (short) ((buf.getShort(8) & 0xFFFF) + delta));
                } else {
                    buf.putInt(8, buf.getInt(8) + delta);
                }
            }
            return out;
        }

        /** Overwrites the type byte, the rank byte or one dimension with a troublesome value. */
        private byte[] editIdxHeader(Mutation m, byte[] b) {
            if (b.length < 4) {
                return b;
            }
            byte[] out = b.clone();
            int field = m.length() % 6;
            if (field == 0) {
                out[2] = (byte) IDX_TYPE_CODES[m.value() % IDX_TYPE_CODES.length];
            } else if (field == 1) {
                out[3] = (byte) (m.value() % 3 == 0 ? m.value() : m.value() % 5);
            } else {
                int rank = (out[3] & 0xFF);
                int offset = 4 + 4 * (m.position() % Math.max(1, rank));
                if (offset + 4 <= out.length) {
                    ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN).putInt(offset,
                            IDX_DIMS[m.value() % IDX_DIMS.length]);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s v%d %s%s seed=%d %s %s", format, type,
                    Arrays.toString(shape), npyVersion, bigEndian ? "BE" : "LE", fortran ? " F" : "", seed, gzip,
                    mutations);
        }
    }

    private static final byte[] TROUBLE_BYTES = {0, -1, 0x7F, (byte) 0x80, '(', ')', ',', '\'', '"', '{', '}', '9',
        '-', ' ', 'L', ':', 'T', '\n', '[', '\\', (byte) 0xC3, 0x1f, (byte) 0x8b, 8};
    private static final String[] NPY_VALUES = {"(99999999999, 99999999999)", "(-1,)", "(2147483647, 2147483647)",
        "(0, 99999999999999999999999)", "()", "(3,", "(", "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
        + "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)", "(2000000000,)", "(0,)", "(4, 4)", "'<c16'", "'|O'",
        "[('a', '<f4')]", "'<f4'", "'>i8'", "'|b1'", "True", "False", "None", "1", "'True'", "(1L,)", "\"<u1\"",
        "((2,),)", "(2 3)", "{}", "''"};
    private static final int[] IDX_TYPE_CODES = {0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x00, 0xFF};
    private static final int[] IDX_DIMS = {0, 1, 2, 3, 28, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
        Integer.MAX_VALUE - 8, 1 << 16, 1 << 20, 2_000_000_000, 255};

    // ---- generators -------------------------------------------------------------------------------------------

    private static Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 4095),
                Arbitraries.integers().between(0, 1023), Arbitraries.integers().between(0, 255))
                .as(Mutation::new);
    }

    private static Arbitrary<long[]> shapes(int minRank, int maxRank) {
        return Arbitraries.longs().between(0, 5).array(long[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    }

    private static Arbitrary<Case> cases(Format format, Arbitrary<ElementType> types, int minRank, int maxRank) {
        Arbitrary<Integer> versions = format == Format.NPY ? Arbitraries.of(1, 2, 3) : Arbitraries.just(1);
        Arbitrary<Boolean> flags = format == Format.NPY ? Arbitraries.of(true, false) : Arbitraries.just(false);
        return Combinators.combine(types, shapes(minRank, maxRank), versions, flags, flags, Arbitraries.longs(),
                Arbitraries.of(Gzip.class), mutations().list().ofMinSize(1).ofMaxSize(4))
                .as((t, s, v, be, f, seed, gz, ms) -> new Case(format, t, s, v, be, f, seed, gz, ms));
    }

    @Provide
    Arbitrary<Case> npyFiles() {
        return cases(Format.NPY, Arbitraries.of(ElementType.class), 0, 3);
    }

    @Provide
    Arbitrary<Case> idxFiles() {
        return cases(Format.IDX, Arbitraries.of(ElementType.UINT8, ElementType.INT8, ElementType.INT16,
                ElementType.INT32, ElementType.FLOAT32, ElementType.FLOAT64), 1, 3);
    }

    @Provide
    Arbitrary<Case> integerVectors() {
        Arbitrary<ElementType> ints = Arbitraries.of(ElementType.UINT8, ElementType.INT8, ElementType.INT16,
                ElementType.INT32);
        return Arbitraries.oneOf(cases(Format.NPY, Arbitraries.of(ElementType.INT32, ElementType.INT64), 1, 1),
                cases(Format.IDX, ints, 1, 1));
    }

    // ---- properties -------------------------------------------------------------------------------------------

    /** A reader under test: bytes to an array, or an exception. */
    interface Reader {
        Object read(byte[] bytes) throws IOException;
    }

    @Property(tries = 3000)
    void npyStreamsFailOnlyCleanly(@ForAll("npyFiles") Case c) {
        check(c, bytes -> Npy.read(new ByteArrayInputStream(bytes)), "stream: ");
    }

    @Property(tries = 3000)
    void idxStreamsFailOnlyCleanly(@ForAll("idxFiles") Case c) {
        check(c, bytes -> Idx.read(new ByteArrayInputStream(bytes)), "stream: ");
    }

    @Property(tries = 2000)
    void npyFilesFailOnlyCleanly(@ForAll("npyFiles") Case c) {
        Path file = dir.resolve("fuzz.npy");
        check(c, bytes -> Npy.read(write(file, bytes)), file + ": ");
    }

    @Property(tries = 2000)
    void idxFilesFailOnlyCleanly(@ForAll("idxFiles") Case c) {
        Path file = dir.resolve("fuzz-idx");
        check(c, bytes -> Idx.read(write(file, bytes)), file + ": ");
    }

    @Property(tries = 1000)
    void intReadersFailOnlyCleanly(@ForAll("integerVectors") Case c) {
        check(c, bytes -> c.format() == Format.NPY ? Npy.readInts(new ByteArrayInputStream(bytes))
                : Idx.readLabels(new ByteArrayInputStream(bytes)), "stream: ");
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    private static void check(Case c, Reader reader, String source) {
        byte[] bytes = c.bytes();
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        String outcome;
        try {
            Object result = reader.read(bytes);
            if (result instanceof INDArray) {
                INDArray a = (INDArray) result;
                assertEquals(ArrayFiles.product(a.shape()), a.length(), c::toString);
                assertTrue(ElementType.of(a.dataType()) != null, c::toString);
            }
            outcome = "read";
        } catch (MalformedArrayFileException e) {
            assertTrue(e.getMessage().startsWith(source), () -> c + ": " + e.getMessage());
            outcome = "rejected";
        } catch (IOException e) {
            throw new AssertionError("an IOException escaped for " + c, e);
        }
        long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < MAX_ALLOCATION + 64L * bytes.length,
                () -> "reading " + bytes.length + " bytes allocated " + allocated + " bytes: " + c);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(cov -> {
            cov.check("read").percentage(p -> p >= 2);
            cov.check("rejected").percentage(p -> p >= 30);
        });
    }

}
