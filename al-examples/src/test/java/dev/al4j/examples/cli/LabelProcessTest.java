package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.al4j.core.LabelRecord;
import dev.al4j.core.LabelStore;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.label.Browser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * {@code al4j label} as a user runs it, in a child JVM on the bundled Fashion-MNIST subset (a 60-item pool, an MLP
 * trained one epoch): the page in headless Chromium answers two items, the process is killed with SIGKILL in the
 * middle of the batch, the same command starts again and the page resumes at the first unanswered item with both
 * stored answers. With {@code -Dal4j.screenshot=FILE} it also saves a screenshot of the page (docs/label-page.png).
 */
class LabelProcessTest {

    private static final String TOKEN = "process-test-token";

    @TempDir
    Path dir;

    @Test
    void killedMidBatchTheSameCommandResumesWithEveryStoredAnswer() throws Exception {
        Path db = dir.resolve("labels.db");
        int[] answered = new int[2];
        try (Browser browser = Browser.start()) {
            Process first = start("first", db);
            try {
                browser.open(awaitUrl("first", first));
                answered[0] = browser.awaitItem(0, 0);
                browser.press("4"); // Dress
                answered[1] = browser.awaitItem(0, 1);
                browser.press("7"); // Shirt
                browser.awaitItem(0, 2);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the store
                first.waitFor(60, TimeUnit.SECONDS);
            }

            Process second = start("second", db);
            try {
                String url = awaitUrl("second", second);
                String base = url.substring(0, url.indexOf("/?token="));
                HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/state")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, noToken.statusCode(), noToken.body());

                browser.open(url);
                browser.awaitItem(0, 2); // the first unanswered item of the same query
                browser.press(Keys.BACK_SPACE);
                assertEquals(answered[1], browser.awaitItem(0, 1));
                assertEquals("6", browser.data("item", "answer"));
                browser.press(Keys.BACK_SPACE);
                assertEquals(answered[0], browser.awaitItem(0, 0));
                assertEquals("3", browser.data("item", "answer"));
                assertTrue(browser.text("batch").contains("2 of 4 answered"), browser.text("batch"));
                String screenshot = System.getProperty("al4j.screenshot");
                if (screenshot != null && !screenshot.isBlank()) {
                    Files.write(Path.of(screenshot), browser.screenshot());
                }
            } finally {
                second.destroy(); // SIGTERM: the shutdown hook closes the loop and the store
                assertTrue(second.waitFor(120, TimeUnit.SECONDS), "stopped");
            }
        }
        try (SqliteLabelStore store = LabelStore.sqlite(db)) {
            List<String> labels = store.records(LabelCommand.RUN_ID).stream()
                    .filter(r -> r.source() == LabelRecord.Source.ORACLE).map(r -> r.id() + "=" + r.label()).toList();
            assertEquals(List.of(answered[0] + "=3", answered[1] + "=6"), labels);
        }
    }

    @Test
    void badOptionsAreRefusedOnOneLine() throws Exception {
        CommandRun.of("label", "--data", dir.toString(), "--images", dir.toString())
                .assertBadInput("--data and --images are alternatives");
        CommandRun.of("label", "--images", dir.resolve("none").toString(), "--classes", "a,b")
                .assertBadInput("not a directory");
        CommandRun.of("label", "--images", dir.toString()).assertBadInput("--images needs --classes");
        CommandRun.of("label", "--token", "short").assertBadInput("--token must be at least 8 characters");
        CommandRun.of("label", "--port", "70000").assertBadInput("--port must be in [0, 65535]");
        CommandRun.of("label", "--initial", "30", "--budget", "20").assertBadInput("--initial must be <= --budget");
        CommandRun.of("label", "--pool-size", "30", "--classes", "a,b", "--db", dir.resolve("x.db").toString())
                .assertBadInput("--classes: 2 names, but the data has 10 classes");
    }

    private Process start(String name, Path db) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Al4j.class.getName(), "label",
                "--pool-size", "60", "--initial", "4", "--batch", "3", "--budget", "10", "--epochs", "1",
                "--subset", "0", "--port", "0", "--token", TOKEN, "--db", db.toString()));
        return new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** The URL the command prints on stdout. */
    private String awaitUrl(String name, Process process) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("http://")) {
                    assertTrue(line.startsWith("http://127.0.0.1:") && line.endsWith("/?token=" + TOKEN), line);
                    return line;
                }
            }
            if (!process.isAlive()) {
                fail("al4j label stopped: " + Files.readString(dir.resolve(name + ".err")));
            }
            Thread.sleep(50);
        }
        fail("no URL printed within 2 minutes: " + Files.readString(dir.resolve(name + ".err")));
        return null;
    }
}
