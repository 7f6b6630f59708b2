package dev.al4j.core.io;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The little JSON al4j reads and writes, in one place: the command's one-line outputs ({@code al4j select},
 * {@code al4j metrics}), the rows of an experiment ({@code rounds.jsonl}) and JMH's result files. {@link #parse}
 * reads any JSON document (RFC 8259) into {@link Map} (fields in document order), {@link List}, {@link Double},
 * {@link String}, {@link Boolean} and {@code null}; {@link #writer()} (and {@link #compactWriter()}) writes a flat object on one
 * line, {@code {"name": value, ...}}, fields in the order put, numbers in Java's shortest round-trip form
 * ({@link Double#toString}), a non-finite number as {@code null}. Stateless and thread-safe except the writer, which
 * is a builder for one thread.
 *
 * <pre>{@code
 * String line = Json.writer().put("strategy", "entropy").put("selected", ids).toString();
 * Map<String, Object> back = Json.object(Json.parse(line));
 * }</pre>
 */
public final class Json {

    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value; trailing text other than white space is an error. */
    public static Object parse(String text) {
        Checks.checkNotNull(text, "text");
        Json json = new Json(text);
        Object value = json.value();
        json.skipSpace();
        if (json.at != text.length()) {
            throw json.error("end of input");
        }
        return value;
    }

    /**
     * A parsed value as a double: a number, or one of the strings {@code "NaN"}, {@code "Infinity"},
     * {@code "-Infinity"} (how JMH and Java write non-finite doubles); {@code null} reads as NaN.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static double number(Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(s);
            }
        }
        throw new IllegalArgumentException("expected a number, found " + value);
    }

    /**
     * A parsed value as an object (its fields in document order).
     *
     * @throws IllegalArgumentException when it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, found " + value);
        }
        return (Map<String, Object>) value;
    }

    /**
     * A parsed value as an array.
     *
     * @throws IllegalArgumentException when it is not an array
     */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("expected a JSON array, found " + value);
        }
        return (List<Object>) value;
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return objectValue();
            case '[':
                return arrayValue();
            case '"':
                return string();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return numberValue();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> objectValue() {
        Map<String, Object> out = new LinkedHashMap<>();
        at++; // '{'
        skipSpace();
        if (peek() == '}') {
            at++;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            out.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                at--;
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> arrayValue() {
        List<Object> out = new ArrayList<>();
        at++; // '['
        skipSpace();
        if (peek() == ']') {
            at++;
            return out;
        }
        while (true) {
            out.add(value());
            skipSpace();
            char c = next();
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                at--;
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        at++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> {
                    at--;
                    throw error("an escape character");
                }
            }
        }
    }

    private Double numberValue() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        try {
            return Double.parseDouble(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("a number");
        }
    }

    private void expectWord(String word) {
        if (!text.startsWith(word, at)) {
            throw error("'" + word + "'");
        }
        at += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private char next() {
        if (at >= text.length()) {
            throw error("more input");
        }
        return text.charAt(at++);
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String expected) {
        int line = 1;
        for (int i = 0; i < Math.min(at, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        String found = at < text.length() ? "'" + text.charAt(at) + "'" : "end of input";
        return new IllegalArgumentException("JSON: expected " + expected + " at line " + line + " (offset " + at
                + "), found " + found);
    }

    /** A writer of one flat JSON object, {@code {"a": 1, "b": [1, 2]}}: for people to read. */
    public static Writer writer() {
        return new Writer(", ", ": ");
    }

    /** A writer of one flat JSON object without spaces, {@code {"a":1,"b":[1,2]}}: for files of many rows. */
    public static Writer compactWriter() {
        return new Writer(",", ":");
    }

    /** {@code s} as a JSON string literal: quotes, backslash and control characters escaped. */
    public static String quote(String s) {
        Checks.checkNotNull(s, "s");
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendQuoted(b, s);
        return b.toString();
    }

    private static void appendQuoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /**
     * A flat JSON object on one line, {@code {"a": 1, "b": [1, 2]}}, fields in the order put. Not thread-safe; a
     * builder for one output.
     */
    public static final class Writer {
        private final StringBuilder text = new StringBuilder("{");
        private final String comma;
        private final String colon;

        private Writer(String comma, String colon) {
            this.comma = comma;
            this.colon = colon;
        }

        /** A string field; {@code null} writes {@code null}. */
        public Writer put(String name, String value) {
            key(name);
            if (value == null) {
                text.append("null");
            } else {
                appendQuoted(text, value);
            }
            return this;
        }

        /** An integer field. */
        public Writer put(String name, long value) {
            key(name);
            text.append(value);
            return this;
        }

        /** A number field; NaN or an infinity writes {@code null}. */
        public Writer put(String name, double value) {
            key(name);
            number(value);
            return this;
        }

        /** An array of integers. */
        public Writer put(String name, int[] values) {
            return put(name, Arrays.stream(values).asLongStream().toArray());
        }

        /** An array of long integers (al-spark's pool ids). */
        public Writer put(String name, long[] values) {
            key(name);
            text.append('[');
            for (int i = 0; i < values.length; i++) {
                text.append(i == 0 ? "" : comma).append(values[i]);
            }
            text.append(']');
            return this;
        }

        /** An array of numbers (non-finite ones as {@code null}); a {@code null} array writes {@code null}. */
        public Writer put(String name, double[] values) {
            key(name);
            if (values == null) {
                text.append("null");
                return this;
            }
            text.append('[');
            for (int i = 0; i < values.length; i++) {
                text.append(i == 0 ? "" : comma);
                number(values[i]);
            }
            text.append(']');
            return this;
        }

        /** The object written so far, closed. */
        @Override
        public String toString() {
            return text + "}";
        }

        private void key(String name) {
            Checks.checkNotNull(name, "name");
            if (text.length() > 1) {
                text.append(comma);
            }
            appendQuoted(text, name);
            text.append(colon);
        }

        private void number(double value) {
            text.append(Double.isFinite(value) ? Double.toString(value) : "null");
        }
    }
}
