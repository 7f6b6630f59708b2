package dev.al4j.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The configuration of a loop's run as stored with it: an ordered map of names to values, compared on resume.
 * Package-private helpers shared by the stores and the loop.
 */
final class RunConfiguration {

    private RunConfiguration() {}

    /** Checks a run id: non-empty, at most 200 characters, no control characters. */
    static String checkRunId(String runId) {
        Checks.checkNotNull(runId, "runId");
        Checks.checkArgument(!runId.isEmpty() && runId.length() <= 200
                && runId.chars().noneMatch(Character::isISOControl),
                "runId must be 1 to 200 characters without control characters, found '%s'", runId);
        return runId;
    }

    /**
     * Throws an {@link IllegalStateException} naming every entry that differs between the stored configuration and
     * the one of the loop trying to resume.
     */
    static void checkSame(String runId, String store, Map<String, String> stored, Map<String, String> now) {
        if (stored.equals(now)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(stored.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            String a = stored.get(key);
            String b = now.get(key);
            if (a == null ? b != null : !a.equals(b)) {
                differences.add(key + ": stored " + (a == null ? "(absent)" : a) + ", now " + (b == null ? "(absent)" : b));
            }
        }
        throw new IllegalStateException("cannot resume run '" + runId + "' in " + store + ": the loop's configuration "
                + "differs from the stored one (" + String.join("; ", differences) + "); resume with the same "
                + "configuration, or start a new run with another runId");
    }

    /**
     * How an object appears in a configuration: its {@code toString()}, unless that is the identity string of
     * {@link Object#toString()} or a lambda's, which change from one JVM to the next; then only its type.
     */
    static String describe(Object o) {
        return describe(o, o == null ? null : o.toString());
    }

    /** {@link #describe(Object)} with {@code text} in place of {@code o.toString()}. */
    static String describe(Object o, String text) {
        if (o == null) {
            return "none";
        }
        Class<?> type = o.getClass();
        if (type.isHidden() || type.isSynthetic()) {
            Class<?>[] interfaces = type.getInterfaces();
            return "a lambda implementing " + (interfaces.length == 0 ? "?" : interfaces[0].getName());
        }
        String s = text;
        if (s == null) {
            return type.getName();
        }
        String identity = type.getName() + "@" + Integer.toHexString(System.identityHashCode(o));
        String hashed = type.getName() + "@" + Integer.toHexString(o.hashCode());
        return s.equals(identity) || s.equals(hashed) ? type.getName() : s;
    }

    /** One line per entry, {@code key=value}, with backslash escapes for backslash and newline. */
    static String encode(Map<String, String> configuration) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : configuration.entrySet()) {
            out.append(escape(e.getKey())).append('=').append(escape(e.getValue())).append('\n');
        }
        return out.toString();
    }

    /** The inverse of {@link #encode(Map)}. */
    static Map<String, String> decode(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = indexOfUnescaped(line, '=');
            Checks.checkArgument(eq >= 0, "stored configuration line has no '=': %s", line);
            out.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\e");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'e' ? '=' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOfUnescaped(String s, char target) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == target) {
                return i;
            }
        }
        return -1;
    }
}
