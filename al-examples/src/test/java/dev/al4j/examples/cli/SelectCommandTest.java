package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.io.Npy;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.StrategyCatalog.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code al4j select} run in-process on small arrays written to a temporary directory. */
class SelectCommandTest {

    /** No option given: asks which option each strategy takes. */
    private static final StrategyOptions OPTIONS = new StrategyOptions();

    static final int N = 24;
    static final int K = 3;
    static final int D = 5;
    static final int T = 4;
    /** Labeled ids 0..5, two per class, so that per-class strategies have labeled samples of every class. */
    static final int[] LABELED = {0, 1, 2, 3, 4, 5};
    static final int[] LABELS = {0, 1, 2, 0, 1, 2};

    @TempDir
    static Path dir;

    static double[][] probs;

    @BeforeAll
    static void writeArrays() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        probs = new double[N][];
        for (int i = 0; i < N; i++) {
            probs[i] = softmax(random, K);
        }
        write("probs.npy", Nd4j.create(probs).castTo(DataType.FLOAT));
        write("emb.npy", Nd4j.rand(DataType.FLOAT, N, D).subi(0.5));
        double[][][] mc = new double[T][N][];
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < N; i++) {
                mc[t][i] = softmax(random, K);
            }
        }
        write("mc.npy", Nd4j.create(mc));
        ints("labeled.npy", DataType.INT64, LABELED);
        ints("labels.npy", DataType.INT32, LABELS);

        // Bad arrays.
        INDArray nan = Nd4j.create(probs);
        nan.putScalar(7, 1, Double.NaN);
        write("probs-nan.npy", nan);
        INDArray inf = Nd4j.create(probs);
        inf.putScalar(3, 0, Double.POSITIVE_INFINITY);
        write("probs-inf.npy", inf);
        write("probs-int.npy", Nd4j.ones(DataType.INT32, N, K));
        write("probs-rank1.npy", Nd4j.create(probs).getRow(0).dup());
        write("probs-no-rows.npy", Nd4j.create(DataType.FLOAT, 0, K));
        write("probs-sum-half.npy", Nd4j.create(probs).muli(0.5));
        write("emb-rows.npy", Nd4j.rand(DataType.FLOAT, N - 1, D));
        INDArray embNan = Nd4j.rand(DataType.FLOAT, N, D);
        embNan.putScalar(2, 2, Float.NaN);
        write("emb-nan.npy", embNan);
        write("mc-classes.npy", Nd4j.ones(DataType.DOUBLE, T, N, K + 1).divi(K + 1));
        write("mc-rank2.npy", Nd4j.create(probs));
        INDArray mcNan = Nd4j.create(mc);
        mcNan.putScalar(new long[] {1, 2, 0}, Double.NaN);
        write("mc-nan.npy", mcNan);
        Files.writeString(dir.resolve("garbage.npy"), "this is not a numpy file");
        Files.createDirectories(dir.resolve("a-directory.npy"));
        ints("labels-short.npy", DataType.INT32, 0, 1, 2, 0);
        ints("labeled-out.npy", DataType.INT32, 0, 1, 2, 3, 4, N);
        ints("labeled-negative.npy", DataType.INT32, 0, 1, 2, 3, -4, 5);
        ints("labeled-dup.npy", DataType.INT32, 0, 1, 2, 3, 4, 4);
        ints("labels-class.npy", DataType.INT32, 0, 1, 2, 0, 1, K);
        ints("candidates.npy", DataType.INT32, 14, 10, 12);
        ints("candidates-negative.npy", DataType.INT32, 10, -1);
        ints("candidates-out.npy", DataType.INT32, 10, N + 5);
        ints("candidates-dup.npy", DataType.INT32, 10, 11, 10);
        ints("candidates-labeled.npy", DataType.INT32, 10, 2);
        write("ids-float.npy", Nd4j.create(new double[] {1, 2}));
        write("ids-2d.npy", Nd4j.create(new int[][] {{1, 2}, {3, 4}}));
    }

    private static double[] softmax(SplittableRandom random, int k) {
        double[] p = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(2 * random.nextDouble());
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static void write(String name, INDArray array) throws IOException {
        Npy.write(dir.resolve(name), array);
    }

    private static void ints(String name, DataType type, int... values) throws IOException {
        write(name, Nd4j.createFromArray(values).castTo(type));
    }

    static String file(String name) {
        return dir.resolve(name).toString();
    }

    /** Arguments giving a strategy everything any strategy may read. */
    private static List<String> fullArgs(Entry name, int budget) {
        return new ArrayList<>(List.of("select", "--strategy", name.name(), "--budget", Integer.toString(budget),
                "--probs", file("probs.npy"), "--embeddings", file("emb.npy"), "--mc-probs", file("mc.npy"),
                "--labeled", file("labeled.npy"), "--labels", file("labels.npy"), "--seed", "3"));
    }

    /** Arguments giving a strategy only the arrays it declares it needs (and the labels). */
    private static List<String> minimalArgs(Entry name, int budget) {
        List<String> args = new ArrayList<>(List.of("select", "--strategy", name.name(), "--budget",
                Integer.toString(budget), "--probs", file("probs.npy"), "--labeled", file("labeled.npy"), "--labels",
                file("labels.npy")));
        if (name.reads() == StrategyCatalog.Reads.EMBEDDINGS) {
            args.addAll(List.of("--embeddings", file("emb.npy")));
        }
        if (name.reads() == StrategyCatalog.Reads.MC_PASSES) {
            args.addAll(List.of("--mc-probs", file("mc.npy")));
        }
        return args;
    }

    private static int[] ints(Object json) {
        return ((List<?>) json).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static void assertSelectionShape(Map<String, Object> json, Entry name, int budget,
            Set<Integer> candidates) {
        assertEquals(List.of("strategy", "budget", "selected", "scores", "queryMillis"), List.copyOf(json.keySet()),
                "keys, in the documented order");
        assertEquals(name.name(), json.get("strategy"));
        assertEquals(budget, json.get("budget"));
        int[] selected = ints(json.get("selected"));
        assertEquals(Math.min(budget, candidates.size()), selected.length, "min(budget, candidates) ids");
        assertEquals(selected.length, IntStream.of(selected).distinct().count(), "distinct ids");
        for (int id : selected) {
            assertTrue(candidates.contains(id), () -> name + " selected " + id + ", not a candidate");
        }
        Object scores = json.get("scores");
        if (scores != null) {
            assertEquals(selected.length, ((List<?>) scores).size(), "one score per selected id");
        }
        assertTrue(((Number) json.get("queryMillis")).doubleValue() >= 0, "queryMillis >= 0");
    }

    private static Set<Integer> unlabeled() {
        Set<Integer> ids = new TreeSet<>();
        IntStream.range(LABELED.length, N).forEach(ids::add);
        return ids;
    }

    /** The strategies select runs: all but those that train networks of their own ({@code al4j run} only). */
    private static Stream<Entry> selectable() {
        return StrategyChoice.CATALOG.entries().stream().filter(StrategyChoice::runsOnSavedOutputs);
    }

    @Test
    void repeatRunsTheSelectionRTimesAndReportsEveryRun() {
        List<String> args = fullArgs(StrategyChoice.parse("kcenter"), 5);
        Map<String, Object> once = CommandRun.of(args.toArray(String[]::new)).assertJsonObject();
        args.addAll(List.of("--repeat", "3"));
        Map<String, Object> json = CommandRun.of(args.toArray(String[]::new)).assertJsonObject();
        assertEquals(List.of("strategy", "budget", "selected", "scores", "queryMillis", "queryMillisAll"),
                List.copyOf(json.keySet()), "keys, in the documented order");
        assertEquals(once.get("selected"), json.get("selected"), "the same selection as one run");
        List<?> all = (List<?>) json.get("queryMillisAll");
        assertEquals(3, all.size(), "one time per run");
        for (Object t : all) {
            assertTrue(((Number) t).doubleValue() >= 0, "every run's time >= 0");
        }
        assertEquals(((Number) all.get(2)).doubleValue(), ((Number) json.get("queryMillis")).doubleValue(),
                "queryMillis is the last run's");
        List<String> zero = fullArgs(StrategyChoice.parse("kcenter"), 5);
        zero.addAll(List.of("--repeat", "0"));
        CommandRun.of(zero.toArray(String[]::new)).assertBadInput("--repeat must be >= 1, found 0");
    }

    @TestFactory
    Stream<DynamicTest> everyStrategySelectsFromTheCandidatesWithAllArrays() {
        return selectable().map(name -> DynamicTest.dynamicTest(name.name(), () -> {
            Map<String, Object> json = CommandRun.of(fullArgs(name, 5).toArray(String[]::new)).assertJsonObject();
            assertSelectionShape(json, name, 5, unlabeled());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyStrategyRunsWithOnlyTheArraysItNeeds() {
        return selectable().map(name -> DynamicTest.dynamicTest(name.name(), () -> {
            List<String> args = minimalArgs(name, 4);
            args.addAll(List.of("--candidates", file("candidates.npy")));
            Map<String, Object> json = CommandRun.of(args.toArray(String[]::new)).assertJsonObject();
            assertSelectionShape(json, name, 4, Set.of(10, 12, 14));
        }));
    }

    @TestFactory
    Stream<DynamicTest> strategyOptionsAreAccepted() {
        return StrategyChoice.CATALOG.entries().stream().filter(name -> OPTIONS.takenBy(name).isPresent())
                .map(name -> DynamicTest.dynamicTest(name + " " + OPTIONS.takenBy(name).get().flag(), () -> {
                    List<String> args = fullArgs(name, 4);
                    args.addAll(List.of(OPTIONS.takenBy(name).get().flag(), "2"));
                    assertSelectionShape(CommandRun.of(args.toArray(String[]::new)).assertJsonObject(), name, 4,
                            unlabeled());
                }));
    }

    @Test
    void kCenterWithNothingLabeledWritesItsInfiniteFirstScoreAsNull() {
        Map<String, Object> json = CommandRun.of("select", "--strategy", "kcenter", "--budget", "3", "--probs",
                file("probs.npy"), "--embeddings", file("emb.npy")).assertJsonObject();
        List<?> scores = (List<?>) json.get("scores");
        assertNull(scores.get(0), "the first, central pick is infinitely far from an empty labeled set");
        assertTrue(((Number) scores.get(1)).doubleValue() > 0);
    }

    @Test
    void entropySelectionEqualsANaiveEntropyRanking() {
        Map<String, Object> json = CommandRun.of("select", "--strategy", "entropy", "--budget", "6", "--probs",
                file("probs.npy"), "--labeled", file("labeled.npy"), "--labels", file("labels.npy")).assertJsonObject();
        // Naive reference: entropy -Σ p ln p of each unlabeled row (from the float32 values the file holds),
        // highest first, ties toward the lower id.
        double[] entropy = new double[N];
        for (int i = 0; i < N; i++) {
            for (double p : probs[i]) {
                double q = (float) p;
                entropy[i] -= q * Math.log(q);
            }
        }
        int[] expected = unlabeled().stream().sorted(Comparator.<Integer>comparingDouble(i -> -entropy[i])
                .thenComparingInt(i -> i)).limit(6).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, ints(json.get("selected")));
        List<?> scores = (List<?>) json.get("scores");
        for (int j = 0; j < expected.length; j++) {
            assertEquals(entropy[expected[j]], ((Number) scores.get(j)).doubleValue(), 1e-5);
        }
    }

    @Test
    void randomHasNoScoresAndIsAFunctionOfTheSeed() {
        String[] seed3 = fullArgs(StrategyChoice.parse("random"), 5).toArray(String[]::new);
        Map<String, Object> first = CommandRun.of(seed3).assertJsonObject();
        Map<String, Object> again = CommandRun.of(seed3).assertJsonObject();
        List<String> other = fullArgs(StrategyChoice.parse("random"), 5);
        other.set(other.indexOf("--seed") + 1, "4");
        Map<String, Object> seed4 = CommandRun.of(other.toArray(String[]::new)).assertJsonObject();
        assertNull(first.get("scores"), "random sampling has no scores: null");
        assertTrue(first.containsKey("scores"), "the scores key is present even when null");
        assertEquals(first.get("selected"), again.get("selected"));
        assertNotEquals(first.get("selected"), seed4.get("selected"));
    }

    @Test
    void budgetZeroAndBudgetAboveTheCandidates() {
        Map<String, Object> none = CommandRun.of("select", "--strategy", "margin", "--budget", "0", "--probs",
                file("probs.npy")).assertJsonObject();
        assertEquals(List.of(), none.get("selected"));
        Map<String, Object> all = CommandRun.of("select", "--strategy", "margin", "--budget", "100", "--probs",
                file("probs.npy"), "--candidates", file("candidates.npy")).assertJsonObject();
        assertEquals(Set.of(10, 12, 14), Set.copyOf((List<?>) all.get("selected")));
        assertEquals(100, all.get("budget"), "budget echoes the request");
    }

    @Test
    void withoutLabeledIdsEveryIdIsACandidate() {
        Map<String, Object> json = CommandRun.of("select", "--strategy", "least-confidence", "--budget", "30",
                "--probs", file("probs.npy")).assertJsonObject();
        assertEquals(N, ints(json.get("selected")).length);
    }

    @Test
    void stdoutHoldsOnlyTheJsonLine() {
        CommandRun run = CommandRun.of(fullArgs(StrategyChoice.parse("entropy"), 3).toArray(String[]::new));
        run.assertJsonObject();
        assertTrue(run.out().startsWith("{\"strategy\": \"entropy\", \"budget\": 3, \"selected\": ["), run.out());
        assertFalse(run.err().contains("{\"strategy\""), "the result is not on stderr");
    }

    /** A bad-input case: arguments after {@code select} and what the one-line message must mention. */
    private static DynamicTest bad(String title, String expected, String... args) {
        return DynamicTest.dynamicTest(title, () -> {
            String[] full = new String[args.length + 1];
            full[0] = "select";
            System.arraycopy(args, 0, full, 1, args.length);
            CommandRun.of(full).assertBadInput(expected);
        });
    }

    @TestFactory
    Stream<DynamicTest> badInputExitsWith2AndOneLine() {
        String p = file("probs.npy");
        String e = file("emb.npy");
        String mc = file("mc.npy");
        String ids = file("labeled.npy");
        String y = file("labels.npy");
        List<DynamicTest> cases = new ArrayList<>(List.of(
                bad("unknown strategy", "unknown strategy 'nosuch'", "--strategy", "nosuch", "--budget", "2",
                        "--probs", p),
                bad("missing --probs", "--probs", "--strategy", "entropy", "--budget", "2"),
                bad("missing --budget", "--budget", "--strategy", "entropy", "--probs", p),
                bad("missing --strategy", "--strategy", "--budget", "2", "--probs", p),
                bad("budget not a number", "--budget", "--strategy", "entropy", "--budget", "two", "--probs", p),
                bad("negative budget", "--budget must be >= 0, found -1", "--strategy", "entropy", "--budget", "-1",
                        "--probs", p),
                bad("unknown option", "--frobnicate", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--frobnicate"),
                bad("missing file", "no such file", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("missing.npy")),
                bad("directory", "is a directory", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("a-directory.npy")),
                bad("not a .npy file", "garbage.npy", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("garbage.npy")),
                bad("integer probabilities", "float32 or float64", "--strategy", "entropy", "--budget", "2",
                        "--probs", file("probs-int.npy")),
                bad("probabilities of rank 1", "expected shape [N, K]", "--strategy", "entropy", "--budget", "2",
                        "--probs", file("probs-rank1.npy")),
                bad("probabilities without rows", "at least one row", "--strategy", "entropy", "--budget", "2",
                        "--probs", file("probs-no-rows.npy")),
                bad("NaN in probabilities", "NaN", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("probs-nan.npy")),
                bad("infinity in probabilities", "infinity", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("probs-inf.npy")),
                bad("rows not summing to 1", "sum to 1 (tolerance 0.001), row 0 sums to", "--strategy", "entropy", "--budget", "2", "--probs",
                        file("probs-sum-half.npy")),
                bad("embeddings row count", "--embeddings", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--embeddings", file("emb-rows.npy")),
                bad("NaN in embeddings", "NaN", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--embeddings", file("emb-nan.npy")),
                bad("MC classes differ", "[T, 24, 3]", "--strategy", "bald", "--budget", "2", "--probs", p,
                        "--mc-probs", file("mc-classes.npy")),
                bad("MC of rank 2", "[T, N, K]", "--strategy", "bald", "--budget", "2", "--probs", p, "--mc-probs",
                        file("mc-rank2.npy")),
                bad("NaN in MC", "NaN", "--strategy", "bald", "--budget", "2", "--probs", p, "--mc-probs",
                        file("mc-nan.npy")),
                bad("--labeled without --labels", "--labeled needs --labels", "--strategy", "entropy", "--budget",
                        "2", "--probs", p, "--labeled", ids),
                bad("--labels without --labeled", "--labels needs --labeled", "--strategy", "entropy", "--budget",
                        "2", "--probs", p, "--labels", y),
                bad("labeled and labels lengths", "same length, found 6 and 4", "--strategy", "entropy", "--budget",
                        "2", "--probs", p, "--labeled", ids, "--labels", file("labels-short.npy")),
                bad("labeled id out of range", "--labeled", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", file("labeled-out.npy"), "--labels", y),
                bad("negative labeled id", "--labeled", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", file("labeled-negative.npy"), "--labels", y),
                bad("repeated labeled id", "--labeled", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", file("labeled-dup.npy"), "--labels", y),
                bad("label outside the classes", "[0, 3)", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", ids, "--labels", file("labels-class.npy")),
                bad("negative candidate", "--candidates", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--candidates", file("candidates-negative.npy")),
                bad("candidate out of range", "--candidates", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--candidates", file("candidates-out.npy")),
                bad("repeated candidate", "--candidates", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--candidates", file("candidates-dup.npy")),
                bad("labeled candidate", "unlabeled", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", ids, "--labels", y, "--candidates", file("candidates-labeled.npy")),
                bad("float ids", "integer", "--strategy", "entropy", "--budget", "2", "--probs", p, "--candidates",
                        file("ids-float.npy")),
                bad("2-D ids", "1-D", "--strategy", "entropy", "--budget", "2", "--probs", p, "--candidates",
                        file("ids-2d.npy")),
                bad("cal without labeled samples", "needs at least one labeled sample", "--strategy", "cal",
                        "--budget", "2", "--probs", p, "--embeddings", e),
                bad("unreadable labels file", "--labels", "--strategy", "entropy", "--budget", "2", "--probs", p,
                        "--labeled", ids, "--labels", file("missing-labels.npy"))));
        for (Entry name : selectable().toList()) {
            if (name.reads() == StrategyCatalog.Reads.EMBEDDINGS) {
                cases.add(bad(name + " without embeddings", "strategy " + name + " needs --embeddings",
                        "--strategy", name.name(), "--budget", "2", "--probs", p, "--mc-probs", mc));
            }
            if (name.reads() == StrategyCatalog.Reads.MC_PASSES) {
                cases.add(bad(name + " without MC samples", "strategy " + name + " needs --mc-probs",
                        "--strategy", name.name(), "--budget", "2", "--probs", p, "--embeddings", e));
            }
        }
        for (StrategyOptions.Kind kind : StrategyOptions.Kind.values()) {
            cases.add(bad(kind.flag() + " for a strategy that does not take it", kind.flag() + " applies to ",
                    "--strategy", "entropy", "--budget", "2", "--probs", p, kind.flag(), "2"));
            for (Entry name : StrategyChoice.CATALOG.entries()) {
                if (OPTIONS.takenBy(name).orElse(null) == kind) {
                    cases.add(bad(kind.flag() + " 0 for " + name, name + " with " + kind.flag() + ": ",
                            "--strategy", name.name(), "--budget", "2", "--probs", p, "--embeddings", e,
                            "--labeled", ids, "--labels", y, kind.flag(), "0"));
                }
            }
        }
        return cases.stream();
    }
}
