package dev.al4j.core.io;

import dev.al4j.core.Checks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), the usual way to move arrays
 * from a Python pipeline to al4j: {@code numpy.save("probs.npy", p)} there, {@code Npy.read(path)} here.
 *
 * <p>Supported dtypes and the ND4J type each becomes: {@code f4} → FLOAT, {@code f8} → DOUBLE, {@code i4} → INT32,
 * {@code i8} → INT64, {@code u1} → UBYTE, {@code b1} → BOOL, {@code i1} → INT8, {@code i2} → INT16; little-endian
 * ({@code <}) or big-endian ({@code >}, converted), {@code |} for the 1-byte types. Fortran-order files are read
 * and returned in C order. Structured dtypes, object arrays (pickles) and other types are rejected.
 *
 * <p>A plain file is checked against its length before anything is allocated; a gzip-compressed file
 * ({@code .npy.gz}, recognised by its first bytes, whatever its name) is read into buffers that grow only as data
 * arrives. Any content that is not a valid {@code .npy} file fails with {@link MalformedArrayFileException}, whose
 * message names the file and the problem; {@link IOException} is only for real I/O failures.
 *
 * <pre>{@code
 * INDArray probs = Npy.read(Path.of("probs.npy"));      // [N, K] float32
 * int[] ids = Npy.readInts(Path.of("ids.npy"));         // int32 or int64 vector
 * Npy.write(Path.of("scores.npy"), scores);
 * }</pre>
 *
 * <p>Reading costs one pass over the file and, briefly, twice the array's size in memory (a Java array, then the
 * ND4J array). Stateless and thread-safe.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header accepted; real headers are a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int ALIGNMENT = 64;

    private Npy() {}

    /**
     * Reads a {@code .npy} file (plain or gzip) into a new C-order array of the matching data type.
     *
     * @throws MalformedArrayFileException if the file is not a valid, supported {@code .npy} file
     * @throws IOException for an I/O failure (e.g. the file does not exist)
     */
    public static INDArray read(Path file) throws IOException {
        return parse(file).toINDArray();
    }

    /**
     * Reads a {@code .npy} array (plain or gzip) from a stream, which is read to its end and left open.
     *
     * @throws MalformedArrayFileException if the content is not a valid, supported {@code .npy} array
     * @throws IOException for an I/O failure
     */
    public static INDArray read(InputStream in) throws IOException {
        return parse(in).toINDArray();
    }

    /**
     * Reads a 1-D integer {@code .npy} file (int32 or int64; int8, uint8 and int16 too) as {@code int[]}: ids and
     * labels. No ND4J memory is used.
     *
     * @throws MalformedArrayFileException if the file is not valid, not 1-D, not integer, or holds a value outside
     *     the {@code int} range
     * @throws IOException for an I/O failure
     */
    public static int[] readInts(Path file) throws IOException {
        return parse(file).toInts();
    }

    /** As {@link #readInts(Path)}, from a stream that is read to its end and left open. */
    public static int[] readInts(InputStream in) throws IOException {
        return parse(in).toInts();
    }

    /**
     * Writes {@code array} as a version 1.0 {@code .npy} file (2.0 if the header needs it), little-endian, C order,
     * replacing any existing file. Data types: FLOAT, DOUBLE, INT, LONG, UBYTE, BOOL, BYTE, SHORT.
     *
     * @throws IllegalArgumentException for another data type
     * @throws IOException for an I/O failure
     */
    public static void write(Path file, INDArray array) throws IOException {
        Checks.checkNotNull(file, "file");
        Checks.checkNotNull(array, "array");
        ElementType type = supportedType(array);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writeTo(out, array, type);
        }
    }

    /** As {@link #write(Path, INDArray)}, to a stream that is left open. */
    public static void write(OutputStream out, INDArray array) throws IOException {
        Checks.checkNotNull(out, "out");
        Checks.checkNotNull(array, "array");
        writeTo(out, array, supportedType(array));
    }

    private static ElementType supportedType(INDArray array) {
        ElementType type = ElementType.of(array.dataType());
        Checks.checkArgument(type != null,
                "array must have data type FLOAT, DOUBLE, INT, LONG, UBYTE, BOOL, BYTE or SHORT, found %s",
                array.dataType());
        return type;
    }

    private static void writeTo(OutputStream out, INDArray array, ElementType type) throws IOException {
        out.write(header(descr(type), array.shape()));
        type.write(array, out, ByteOrder.LITTLE_ENDIAN);
        out.flush();
    }

    /** The full header (magic, version, length, dict, padding) for a little-endian C-order array. */
    static byte[] header(String descr, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        int major = 10 + dict.length() + 1 <= 0xFFFF ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        dict.append(" ".repeat(padded - total)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        b.put(text);
        return b.array();
    }

    /** The dtype of {@code type} as written: little-endian, or {@code |} for a 1-byte type. */
    private static String descr(ElementType type) {
        switch (type) {
            case FLOAT32:
                return "<f4";
            case FLOAT64:
                return "<f8";
            case INT8:
                return "|i1";
            case UINT8:
                return "|u1";
            case INT16:
                return "<i2";
            case INT32:
                return "<i4";
            case INT64:
                return "<i8";
            case BOOL:
                return "|b1";
            default:
                throw new AssertionError(type);
        }
    }

    static RawArray parse(Path file) throws IOException {
        return ArrayFileInput.parse(file, Npy::parse);
    }

    static RawArray parse(InputStream in) throws IOException {
        return ArrayFileInput.parse(in, Npy::parse);
    }

    private static RawArray parse(ArrayFileInput input) throws IOException {
        byte[] magic = input.readBytes(8, "magic and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw input.malformed("not a .npy file: expected the magic string \\x93NUMPY, found %s",
                        printable(magic, 6));
            }
        }
        int major = magic[6] & 0xFF;
        int minor = magic[7] & 0xFF;
        if (minor != 0 || major < 1 || major > 3) {
            throw input.malformed("unsupported .npy format version %d.%d; supported: 1.0, 2.0, 3.0", major, minor);
        }
        long headerLength;
        if (major == 1) {
            headerLength = ByteBuffer.wrap(input.readBytes(2, "header length")).order(ByteOrder.LITTLE_ENDIAN)
                    .getShort() & 0xFFFFL;
        } else {
            headerLength = ByteBuffer.wrap(input.readBytes(4, "header length")).order(ByteOrder.LITTLE_ENDIAN)
                    .getInt() & 0xFFFFFFFFL;
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw input.malformed("absurd header length %d bytes; at most %d are accepted", headerLength,
                    MAX_HEADER_BYTES);
        }
        byte[] headerBytes = input.readBytes((int) headerLength, "header");
        String text = decodeHeader(input, headerBytes, major);
        Header header = Header.parse(input, text);
        long count = input.checkShape(header.shape);
        Object data = input.readData(header.type, count, header.order);
        input.expectEnd();
        return new RawArray(input.source(), header.type, header.shape, header.fortranOrder, data);
    }

    private static String decodeHeader(ArrayFileInput input, byte[] bytes, int major) {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw input.malformed("malformed header: not valid UTF-8 (format 3.0)");
        }
    }

    private static String printable(byte[] bytes, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n && i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                s.append((char) b);
            } else {
                s.append(String.format(Locale.ROOT, "\\x%02x", b));
            }
        }
        return s.toString();
    }

    /** The parsed header dict: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. */
    private static final class Header {
        final ElementType type;
        final ByteOrder order;
        final boolean fortranOrder;
        final long[] shape;

        private Header(ElementType type, ByteOrder order, boolean fortranOrder, long[] shape) {
            this.type = type;
            this.order = order;
            this.fortranOrder = fortranOrder;
            this.shape = shape;
        }

        static Header parse(ArrayFileInput input, String text) {
            Map<String, Object> dict = new DictParser(input, text).parse();
            if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
                throw input.malformed("malformed header: expected exactly the keys descr, fortran_order and shape, "
                        + "found %s", dict.keySet());
            }
            Object descr = dict.get("descr");
            if (!(descr instanceof String)) {
                throw input.malformed("unsupported dtype %s: only simple dtypes are supported, not structured ones",
                        DictParser.show(descr));
            }
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw input.malformed("malformed header: fortran_order must be True or False, found %s",
                        DictParser.show(fortran));
            }
            Object shape = dict.get("shape");
            if (!(shape instanceof long[])) {
                throw input.malformed("malformed header: shape must be a tuple of integers, found %s",
                        DictParser.show(shape));
            }
            String d = (String) descr;
            ElementType type = dtype(input, d);
            ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return new Header(type, order, (Boolean) fortran, (long[]) shape);
        }

        /** The element type of a dtype such as {@code <f4}: the inverse of {@link Npy#descr}, either byte order. */
        private static ElementType dtype(ArrayFileInput input, String descr) {
            if (descr.length() >= 3) {
                char order = descr.charAt(0);
                String code = descr.substring(1);
                for (ElementType type : ElementType.values()) {
                    boolean orderOk = order == '<' || order == '>' || (order == '|' && type.width() == 1);
                    if (descr(type).substring(1).equals(code) && orderOk) {
                        return type;
                    }
                }
            }
            throw input.malformed("unsupported dtype '%s'; supported: <f4, <f8, <i4, <i8, |u1, |b1, |i1, <i2 "
                    + "(or '>' for big-endian)", descr);
        }
    }

    /**
     * A strict parser for the small subset of Python literals a {@code .npy} header uses: a dict with string keys
     * whose values are strings, {@code True}/{@code False}, or tuples of non-negative integers (a Python 2
     * {@code L} suffix is accepted). Whitespace around tokens and a trailing comma are allowed; after the closing
     * brace only whitespace may follow.
     */
    private static final class DictParser {
        private final ArrayFileInput input;
        private final String s;
        private int pos;

        DictParser(ArrayFileInput input, String s) {
            this.input = input;
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (dict.put(key, value) != null) {
                    throw error("key '" + key + "' appears twice");
                }
                skipSeparator('}', "expected ',' or '}'");
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the closing '}'");
            }
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '[') {
                return skipBracketed();
            }
            throw error("expected a string, True, False or a tuple");
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = s.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw error("escapes in strings are not supported");
            }
            pos = end + 1;
            return value;
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            skipSpace();
            while (peek() != ')') {
                dims.add(integer());
                if (dims.size() > ArrayFileInput.MAX_RANK) {
                    throw input.malformed("absurd shape: more than %d dimensions", ArrayFileInput.MAX_RANK);
                }
                skipSeparator(')', "expected ',' or ')' in the shape");
            }
            pos++;
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dims.get(i);
            }
            return out;
        }

        private long integer() {
            int start = pos;
            if (peek() == '-') {
                throw error("negative dimension in the shape");
            }
            long value = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                int digit = s.charAt(pos) - '0';
                if (value > (Long.MAX_VALUE - digit) / 10) {
                    throw input.malformed("absurd shape: dimension %s... does not fit in 64 bits",
                            s.substring(start, pos));
                }
                value = value * 10 + digit;
                pos++;
            }
            if (pos == start) {
                throw error("expected an integer in the shape");
            }
            if (pos < s.length() && s.charAt(pos) == 'L') {
                pos++; // Python 2 long suffix, written by NumPy under Python 2
            }
            return value;
        }

        /** Skips a structured dtype's list, so that the error can say what it was. */
        private Object skipBracketed() {
            int depth = 0;
            int start = pos;
            do {
                char c = peek();
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                }
                pos++;
            } while (depth > 0);
            return new Structured(s.substring(start, pos));
        }

        /** After an item: skips a comma and the space around it, or stops at {@code close}; else fails. */
        private void skipSeparator(char close, String what) {
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != close) {
                throw error(what);
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end of header");
            }
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private MalformedArrayFileException error(String what) {
            String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
            return input.malformed("malformed header at character %d: %s; header: %s", pos, what,
                    shown.strip());
        }

        static String show(Object value) {
            if (value instanceof long[]) {
                return java.util.Arrays.toString((long[]) value);
            }
            if (value instanceof String) {
                return "'" + value + "'";
            }
            return String.valueOf(value);
        }
    }

    /** A structured dtype (a list), kept only to be named in the error message. */
    private static final class Structured {
        private final String text;

        Structured(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text.length() > 80 ? text.substring(0, 80) + "..." : text;
        }
    }
}
