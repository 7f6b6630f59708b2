package dev.al4j.metrics;

import dev.al4j.core.io.Json;
import java.util.ArrayList;
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
        for (double d : measures(r)) {
            v.add(Double.isFinite(d) ? Double.toString(d) : null);
        }
        return v;
    }

    /** The row's measures, the columns after {@code labeled}, in the order of {@link ExperimentLog#COLUMNS}. */
    private static double[] measures(RoundRow r) {
        return new double[] {r.accuracy(), r.ece(), r.brier(), r.nll(), r.samplingBias(), r.queryMs(), r.fitMs(),
            r.oodAuroc(), r.oodDataAuroc(), r.shiftAccuracy(), r.shiftEce()};
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
        Json.Writer w = Json.compactWriter().put(c.get(0), r.strategy()).put(c.get(1), r.trial()).put(c.get(2), r.round())
                .put(c.get(3), r.labeled());
        double[] measures = measures(r);
        for (int i = 0; i < measures.length; i++) {
            w.put(c.get(4 + i), measures[i]);
        }
        return w.toString();
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
        Map<String, Object> values;
        try {
            values = Json.object(Json.parse(line));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not a JSON object: " + e.getMessage(), e);
        }
        List<String> f = new ArrayList<>();
        for (String column : ExperimentLog.COLUMNS) {
            if (!values.containsKey(column) && ExperimentLog.LEGACY_COLUMNS.contains(column)) {
                throw new IllegalArgumentException(where + " has no field '" + column + "': " + line);
            }
            Object v = values.get(column);
            boolean integral = f.size() >= 1 && f.size() <= 3; // trial, round, labeled
            if (v instanceof Double d) {
                // Double.toString reads back exactly; an integral column must hold a whole number
                f.add(integral && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? Long.toString(d.longValue())
                        : Double.toString(d));
            } else {
                f.add(v == null ? "" : v.toString());
            }
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
}
