package dev.al4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Selection;
import dev.al4j.core.io.Json;
import dev.al4j.core.io.Npy;
import dev.al4j.strategies.Strategies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code al4j spark-select} end to end in this JVM: .npy files and Parquet in, the JSON of {@code al4j select} out,
 * with the single-machine selection; bad input exits 2 with one line on stderr and nothing on stdout.
 */
class SparkSelectTest {

    static final int N = 800;
    static final int K = 5;
    static final int D = 8;

    @TempDir
    static Path dir;

    static float[][] probs;
    static float[][] emb;
    static Pool single;
    static Model model;

    @BeforeAll
    static void files() throws Exception {
        SparkTests.spark();
        SplittableRandom random = new SplittableRandom(11);
        probs = SparkTests.probabilities(N, K, 2.0, random);
        emb = SparkTests.blobs(N, D, 6, random);
        Npy.write(dir.resolve("probs.npy"), Nd4j.create(SparkTests.flat(probs), new long[] {N, K}, 'c'));
        Npy.write(dir.resolve("emb.npy"), Nd4j.create(SparkTests.flat(emb), new long[] {N, D}, 'c'));
        Npy.write(dir.resolve("labeled.npy"), Nd4j.createFromArray(new int[] {4, 10, 600}));
        Npy.write(dir.resolve("labels.npy"), Nd4j.createFromArray(new int[] {0, 1, 4}));
        single = SparkTests.pool(N, K, new int[] {4, 10, 600}, new int[] {0, 1, 4});
        model = SparkTests.model(probs).embeddings(Nd4j.create(SparkTests.flat(emb), new long[] {N, D}, 'c')).build();
        // The same outputs as a Parquet table with other column names and double values.
        SparkTests.dataset(probs, emb, 2, 9)
                .selectExpr("id AS sample", "CAST(p AS array<double>) AS p", "e")
                .write().parquet(dir.resolve("outputs.parquet").toString());
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkSelect.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String path(String name) {
        return dir.resolve(name).toString();
    }

    static void assertSelection(Run run, String strategy, int budget, Selection expected) {
        assertEquals(0, run.code(), run.err());
        Map<String, Object> json = Json.object(Json.parse(run.out().trim()));
        assertEquals(List.of("strategy", "budget", "selected", "scores", "queryMillis"),
                new ArrayList<>(json.keySet()).subList(0, 5));
        assertEquals(strategy, json.get("strategy"));
        assertEquals(budget, (int) Json.number(json.get("budget")));
        List<Object> ids = Json.array(json.get("selected"));
        assertEquals(expected.size(), ids.size());
        double[] scores = expected.scores().orElseThrow();
        List<Object> got = Json.array(json.get("scores"));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(expected.ids()[i], (int) Json.number(ids.get(i)), "id " + i);
            if (Double.isFinite(scores[i])) {
                assertEquals(scores[i], Json.number(got.get(i)), 1e-4, "score " + i);
            }
        }
    }

    @Test
    void npyFilesInTheJsonOfAl4jSelectOut() {
        Run run = run("--master", "local[2]", "--strategy", "entropy", "--budget", "20", "--probs",
                path("probs.npy"), "--labeled", path("labeled.npy"), "--labels", path("labels.npy"),
                "--partitions", "3");
        assertSelection(run, "entropy", 20, Strategies.entropy().select(single, model, 20));
        assertEquals(1, run.out().lines().count(), "one line on stdout");
    }

    @Test
    void parquetInTheSameSelectionOut() {
        Run run = run("--master", "local[2]", "--strategy", "margin", "--budget", "15", "--parquet",
                path("outputs.parquet"), "--id-column", "sample", "--probs-column", "p", "--labeled",
                path("labeled.npy"), "--labels", path("labels.npy"));
        assertSelection(run, "margin", 15, Strategies.margin().select(single, model, 15));
    }

    @Test
    void kCenterPrintsItsModeAndRadius() {
        Run exact = run("--master", "local[2]", "--strategy", "kcenter", "--budget", "6", "--parquet",
                path("outputs.parquet"), "--id-column", "sample", "--embeddings-column", "e", "--labeled",
                path("labeled.npy"), "--labels", path("labels.npy"));
        assertSelection(exact, "kcenter", 6, Strategies.kCenterGreedy().select(single, model, 6));
        Map<String, Object> json = Json.object(Json.parse(exact.out().trim()));
        assertEquals("exact", json.get("mode"));
        assertTrue(Json.number(json.get("radius")) > 0);
        Run scalable = run("--strategy", "kcenter", "--mode", "scalable", "--budget", "6", "--embeddings",
                path("emb.npy"));
        assertEquals(0, scalable.code(), scalable.err());
        assertEquals("scalable", Json.object(Json.parse(scalable.out().trim())).get("mode"));
    }

    @Test
    void badgePrintsItsModeAndCost() {
        Run run = run("--strategy", "badge", "--seed", "3", "--budget", "5", "--probs", path("probs.npy"),
                "--embeddings", path("emb.npy"), "--labeled", path("labeled.npy"), "--labels", path("labels.npy"));
        // the exact mode draws the textbook seeding (BadgeOnSparkTest), which the API gives on the same rows
        SparkSelection api = SparkStrategies.badge().withSeed(3).select(SparkPool.of(SparkTests.dataset(probs, emb, 3,
                5)).withProbabilitiesColumn("p").withEmbeddingsColumn("e").withLabeled(new long[] {4, 10, 600},
                new int[] {0, 1, 4}), 5);
        assertSelection(run, "badge", 5, Selection.of(java.util.Arrays.stream(api.ids()).mapToInt(id -> (int) id)
                .toArray(), api.scores(), 0));
        Map<String, Object> json = Json.object(Json.parse(run.out().trim()));
        assertEquals("exact", json.get("mode"));
        assertTrue(Json.number(json.get("cost")) > 0);
    }

    @Test
    void kMeansPrintsNullScoresAndItsCost() {
        Run run = run("--strategy", "kmeans", "--seed", "2", "--budget", "4", "--embeddings", path("emb.npy"));
        assertEquals(0, run.code(), run.err());
        Map<String, Object> json = Json.object(Json.parse(run.out().trim()));
        assertEquals(4, Json.array(json.get("selected")).size());
        assertEquals(null, json.get("scores"));
        assertTrue(Json.number(json.get("cost")) > 0);
    }

    static void assertBadInput(String expected, String... args) {
        Run run = run(args);
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("al4j spark-select: " + expected), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertBadInput("column \"q\" not found", "--strategy", "entropy", "--budget", "3", "--parquet",
                path("outputs.parquet"), "--id-column", "sample", "--probs-column", "q");
        assertBadInput("--strategy must be one of", "--strategy", "badge2", "--budget", "3", "--probs",
                path("probs.npy"));
        assertBadInput("--budget must be >= 0, found -2", "--strategy", "entropy", "--budget", "-2", "--probs",
                path("probs.npy"));
        assertBadInput("--probs " + path("nope.npy") + ": cannot read the file: no such file", "--strategy",
                "entropy", "--budget", "3", "--probs", path("nope.npy"));
        assertBadInput("strategy SparkStrategies.bald() needs an MC probabilities column", "--strategy", "bald",
                "--budget", "3", "--probs", path("probs.npy"));
        assertBadInput("give either .npy files", "--strategy", "entropy", "--budget", "3", "--probs",
                path("probs.npy"), "--parquet", path("outputs.parquet"));
        assertBadInput("--mode must be exact or scalable, found \"fast\"", "--strategy", "kcenter", "--mode", "fast",
                "--budget", "3", "--embeddings", path("emb.npy"));
        assertBadInput("--labeled needs --labels", "--strategy", "entropy", "--budget", "3", "--probs",
                path("probs.npy"), "--labeled", path("labeled.npy"));
        assertBadInput("Missing required option", "--budget", "3");
    }
}
