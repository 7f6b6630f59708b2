package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The command in a fresh JVM, as a user runs it: ND4J starts up inside the command, and its start-up logging must
 * not reach stdout (in-process tests cannot see this, ND4J being started already).
 */
class CommandProcessTest {

    @TempDir
    Path dir;

    private record Output(int exitCode, String out, String err) {}

    private Output al4j(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Al4j.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "al4j finished");
        return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void stdoutHoldsOnlyTheJsonInAFreshJvm() throws Exception {
        Path probs = dir.resolve("p.npy");
        Npy.write(probs, Nd4j.create(new double[][] {{0.5, 0.5}, {0.9, 0.1}, {0.6, 0.4}}));
        Output ok = al4j("select", "--strategy", "margin", "--budget", "2", "--probs", probs.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        // Margin scores 1 − (p1 − p2): 1.0, 0.2, 0.8, so ids 0 then 2 (0.8 possibly as float32 0.79999998...).
        assertTrue(ok.out().matches("\\{\"strategy\": \"margin\", \"budget\": 2, \"selected\": \\[0, 2\\], "
                + "\"scores\": \\[1\\.0, 0\\.(8|7999)\\d*\\], \"queryMillis\": [0-9.E-]+\\}\\R"), ok.out());

        Output bad = al4j("select", "--strategy", "kcenter-typo", "--budget", "2", "--probs", probs.toString());
        assertEquals(2, bad.exitCode());
        assertEquals("", bad.out());
        assertEquals(1, bad.err().lines().count(), bad.err());
    }
}
