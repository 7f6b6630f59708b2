package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** One in-process run of the command line: exit code and everything it wrote to stdout and stderr. */
record CommandRun(int exitCode, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code al4j args...} in this JVM, capturing {@code System.out} and {@code System.err}. */
    static CommandRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Al4j.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The lines of stderr. */
    List<String> errLines() {
        return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    /**
     * Asserts a bad-input failure: exit code 2, nothing on stdout, exactly one line on stderr, which contains
     * {@code expected}; returns that line.
     */
    String assertBadInput(String expected) {
        assertEquals(2, exitCode, () -> "exit code; stderr: " + err + "; stdout: " + out);
        assertEquals("", out, "stdout must stay empty on bad input");
        assertEquals(1, errLines().size(), () -> "stderr must be one line, found: " + err);
        String line = errLines().get(0);
        assertTrue(line.contains(expected), () -> "stderr should mention '" + expected + "': " + line);
        return line;
    }

    /** Asserts success with stdout holding exactly one line, a JSON object, and returns it parsed. */
    Map<String, Object> assertJsonObject() {
        assertEquals(0, exitCode, () -> "exit code; stderr: " + err);
        assertTrue(out.endsWith("\n"), "stdout ends with a line break");
        assertEquals(1, out.split("\\R").length, () -> "stdout must be one line, found: " + out);
        try {
            return JSON.readValue(out, new TypeReference<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new AssertionError("stdout is not a JSON object: " + out, e);
        }
    }
}
