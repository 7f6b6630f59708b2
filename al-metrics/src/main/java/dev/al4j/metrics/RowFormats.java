package dev.al4j.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV (RFC 4180) and JSON Lines encodings of {@link RoundRow}, and their parsers. Both are flat: one line per row,
 * the columns of {@link ExperimentLog#COLUMNS}; NaN is an empty CSV field and a JSON {@code null}. Numbers use
 * {@link Double#toString}, which reads back exactly.
 */
final class RowFormats {

    private RowFormats() {}

    static String csvHeader() {
        return String.join(",", ExperimentLog.COLUMNS);
    }

    /** The header of the files written before the robustness columns existed. */
    static String legacyCsvHeader() {
        return String.join(",", ExperimentLog.LEGACY_COLUMNS);
    }

    /** The row's values as text in the order of {@link ExperimentLog#COLUMNS}; NaN as {@code null}. */
    private static List<String> values(RoundRow r) {
        List<String> v = new ArrayList<>(ExperimentLog.COLUMNS.size());
        v.add(r.strategy());
        v.add(Integer.toString(r.trial()));
        v.add(Integer.toString(r.round()));
        v.add(Integer.toString(r.labeled()));
        for (double d : new double[] {r.accuracy(), r.ece(), r.brier(), r.nll(), r.samplingBias(), r.queryMs(),
            r.fitMs(), r.oodAuroc(), r.oodDataAuroc(), r.shiftAccuracy(), r.shiftEce()}) {
            v.add(Double.isFinite(d) ? Double.toString(d) : null);
        }
        return v;
    }

    static String toCsv(RoundRow r) {
        List<String> v = values(r);
        StringBuilder b = new StringBuilder(csvField(v.get(0)));
        for (int i = 1; i < v.size(); i++) {
            b.append(',').append(v.get(i) == null ? "" : v.get(i));
        }
        return b.toString();
    }

    static String toJson(RoundRow r) {
        List<String> c = ExperimentLog.COLUMNS;
        List<String> v = values(r);
        StringBuilder b = new StringBuilder("{\"").append(c.get(0)).append("\":").append(jsonString(v.get(0)));
        for (int i = 1; i < v.size(); i++) {
            b.append(",\"").append(c.get(i)).append("\":").append(v.get(i) == null ? "null" : v.get(i));
        }
        return b.append('}').toString();
    }

    /**
     * Parses one CSV data line of a file with the given columns ({@link ExperimentLog#COLUMNS} or
     * {@link ExperimentLog#LEGACY_COLUMNS}); {@code where} names it in error messages.
     */
    static RoundRow fromCsv(String line, List<String> columns, String where) {
        List<String> f = splitCsv(line, where);
        if (f.size() != columns.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must have %d fields, found %d: %s",
                    where, columns.size(), f.size(), line));
        }
        return fromFields(f, where);
    }

    /**
     * Parses one JSON Lines object holding at least the {@link ExperimentLog#LEGACY_COLUMNS}; the robustness columns
     * may be absent (files of the earlier format) and are then NaN. {@code where} names it in error messages.
     */
    static RoundRow fromJson(String line, String where) {
        JsonObjectReader reader = new JsonObjectReader(line, where);
        Map<String, String> values = reader.read();
        List<String> f = new ArrayList<>();
        for (String column : ExperimentLog.COLUMNS) {
            if (!values.containsKey(column) && ExperimentLog.LEGACY_COLUMNS.contains(column)) {
                throw new IllegalArgumentException(where + " has no field '" + column + "': " + line);
            }
            String v = values.get(column);
            f.add(v == null ? "" : v);
        }
        return fromFields(f, where);
    }

    /** The row from its fields in the order of {@link ExperimentLog#COLUMNS}, or only the legacy ones. */
    private static RoundRow fromFields(List<String> f, String where) {
        try {
            boolean robust = f.size() == ExperimentLog.COLUMNS.size();
            return new RoundRow(f.get(0), Integer.parseInt(f.get(1)), Integer.parseInt(f.get(2)),
                    Integer.parseInt(f.get(3)), parseNum(f.get(4)), parseNum(f.get(5)), parseNum(f.get(6)),
                    parseNum(f.get(7)), parseNum(f.get(8)), parseNum(f.get(9)), parseNum(f.get(10)),
                    robust ? parseNum(f.get(11)) : Double.NaN, robust ? parseNum(f.get(12)) : Double.NaN,
                    robust ? parseNum(f.get(13)) : Double.NaN, robust ? parseNum(f.get(14)) : Double.NaN);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " holds a malformed number: " + e.getMessage(), e);
        }
    }

    private static double parseNum(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    private static String csvField(String s) {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || !s.equals(s.strip());
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static List<String> splitCsv(String line, String where) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException(where + " has an unterminated quoted field: " + line);
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(ch);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException(where + " has text after a quoted field: " + line);
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Reads one flat JSON object whose values are strings, numbers or {@code null}: just enough JSON for the rows
     * this package writes (and for hand-edited copies of them).
     */
    private static final class JsonObjectReader {
        private final String s;
        private final String where;
        private int i;

        JsonObjectReader(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Map<String, String> read() {
            Map<String, String> values = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                i++;
                return end(values);
            }
            while (true) {
                skipSpace();
                String key = string();
                expect(':');
                skipSpace();
                char ch = peek();
                String value;
                if (ch == '"') {
                    value = string();
                } else if (s.startsWith("null", i)) {
                    i += 4;
                    value = null;
                } else {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("a string, number or null");
                    }
                    value = s.substring(start, i);
                }
                values.put(key, value);
                skipSpace();
                char next = peek();
                i++;
                if (next == '}') {
                    return end(values);
                }
                if (next != ',') {
                    i--;
                    throw error("',' or '}'");
                }
            }
        }

        private Map<String, String> end(Map<String, String> values) {
            skipSpace();
            if (i != s.length()) {
                throw error("the end of the line");
            }
            return values;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("a closing '\"'");
                }
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return b.toString();
                }
                if (ch != '\\') {
                    b.append(ch);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("an escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("four hex digits");
                        }
                        i += 4;
                    }
                    default -> throw error("a valid escape");
                }
            }
        }

        private void expect(char ch) {
            skipSpace();
            if (peek() != ch) {
                throw error("'" + ch + "'");
            }
            i++;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "%s: expected %s at column %d: %s", where,
                    expected, i + 1, s));
        }
    }
}
