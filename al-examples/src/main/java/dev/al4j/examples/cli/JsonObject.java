package dev.al4j.examples.cli;

import java.util.Locale;

/**
 * A flat JSON object written on one line, fields in the order added: what {@code al4j select} and
 * {@code al4j metrics} print. Numbers use Java's shortest round-trip decimal form; a non-finite number, which JSON
 * cannot hold, is written as {@code null}.
 */
final class JsonObject {

    private final StringBuilder text = new StringBuilder("{");

    JsonObject put(String name, String value) {
        key(name);
        if (value == null) {
            text.append("null");
        } else {
            string(value);
        }
        return this;
    }

    JsonObject put(String name, long value) {
        key(name);
        text.append(value);
        return this;
    }

    JsonObject put(String name, double value) {
        key(name);
        number(value);
        return this;
    }

    JsonObject put(String name, int[] values) {
        key(name);
        text.append('[');
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(values[i]);
        }
        text.append(']');
        return this;
    }

    /** An array of numbers, or {@code null} when {@code values} is null. */
    JsonObject put(String name, double[] values) {
        key(name);
        if (values == null) {
            text.append("null");
            return this;
        }
        text.append('[');
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ");
            number(values[i]);
        }
        text.append(']');
        return this;
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private void key(String name) {
        if (text.length() > 1) {
            text.append(", ");
        }
        string(name);
        text.append(": ");
    }

    private void number(double value) {
        text.append(Double.isFinite(value) ? Double.toString(value) : "null");
    }

    private void string(String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20) {
                text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        text.append('"');
    }
}
