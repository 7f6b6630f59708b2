package dev.al4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scaling table merged from three hand-made result files, as the two documented runs and the former
 * {@code DiversityScalingBenchmark} produce them: {@code scaling-run1.json} (N = 10⁴ and 10⁵, 1 warm-up and 3
 * shots), {@code scaling-run2.json} (N = 10⁶, one cold shot each, plus an entropy rerun at 10⁵ and a k-means run
 * capped at 2 Lloyd iterations) and {@code scaling-former.json} (BADGE at 10⁶ under the former class name). Every
 * expected exponent is worked out in a comment from the medians in those files.
 */
class ScalingTableTest {

    private static List<JmhResult> read(String name) throws IOException {
        try (InputStream in = ScalingTableTest.class.getResourceAsStream(name)) {
            return JmhResult.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static List<JmhResult> merged() throws IOException {
        List<JmhResult> all = new ArrayList<>(read("scaling-run1.json"));
        all.addAll(read("scaling-run2.json"));
        all.addAll(read("scaling-former.json"));
        return all;
    }

    private static String table() throws IOException {
        return ResultsToMarkdown.render(merged());
    }

    private static void assertContains(String md, String row) {
        assertTrue(md.contains(row), "missing\n" + row + "\nin\n" + md);
    }

    @Test
    void readsShotsAndWarmUps() throws IOException {
        JmhResult entropy = read("scaling-run1.json").get(0);
        assertEquals(3, entropy.measurements());
        assertEquals(1, entropy.warmupIterations());
        JmhResult cold = read("scaling-run2.json").get(0);
        assertEquals(1, cold.measurements());
        assertEquals(0, cold.warmupIterations());
    }

    @Test
    void oneTableMergesTheRunsWithColumnsPerN() throws IOException {
        String md = table();
        // One setting: the former benchmark's fixed labeled = 1000, K = 10 fill its missing parameters.
        assertEquals(1, md.split("Setting: ", -1).length - 1, md);
        assertContains(md, "Setting: budget = 1000, classes = 10, dimension = 512, labeled = 1000, passes = 20.");
        assertContains(md, "| strategy | N = 10⁴ | N = 10⁵ | N = 10⁶ | exponent 10⁴→10⁵ | exponent 10⁵→10⁶ | expected "
                + "| verdict | cost (javadoc) |\n|---|--:|--:|--:|--:|--:|--:|---|---|\n");
    }

    @Test
    void entropyFollowsAndTheLaterFileWins() throws IOException {
        String md = table();
        // Medians 2 ms, 20 ms (run 2's rerun replaces run 1's 25 ms), 200 ms: log(20/2)/log(10) = 1.00 and
        // log(200/20)/log(10) = 1.00; |1.00 − 1| ≤ 0.25: follows. Run 1's error 0.5 ms is printed beside its median.
        assertContains(md, "| entropy | 2.00 ± 0.500 ms | 20.0 ms (1 shot, cold) | 200 ms (1 shot, cold) | 1.00 | 1.00 "
                + "| 1 | follows | O(N·K + N log b) |");
        assertContains(md, "(1 result was given again for the same strategy and N: the later file's is shown.)");
    }

    @Test
    void kCenterBendsAtSmallNButFollowsAtLargeN() throws IOException {
        // 1 000 ms → 31 622.78 ms = 10^4.5 ms: exponent 4.5 − 3 = 1.50 (not judged: not the largest pair);
        // 31 622.78 ms → 316 227.8 ms: exponent 1.00: follows. Times of a second and more print in s.
        assertContains(table(), "| kCenterGreedy | 1.00 ± 0.200 s | 31.6 ± 3.00 s | 316 s (1 shot, cold) | 1.50 | 1.00 "
                + "| 1 | follows | O((L + b)·N·d) |");
    }

    @Test
    void kMeansDeviatesAndItsCappedRunIsItsOwnRow() throws IOException {
        String md = table();
        // 10 s → 200 s: log(20)/log(10) = 1.301: 1.30 − 1 = +0.30 > 0.25: deviates.
        assertContains(md, "| kMeans | 1.00 ± 0 s | 10.0 ± 0 s | 200 s (1 shot, cold) | 1.00 | 1.30 | 1 "
                + "| deviates (+0.30) | O((1 + I)·b·N·d), I ≤ 10 |");
        // -p kMeansMaxIterations=2 ran at 10⁶ only: no exponent, no verdict, never mixed into the default row.
        assertContains(md, "| kMeans, Lloyd iterations ≤ 2 | – | – | 60.0 s (1 shot, cold) | – | – | 1 | – |");
    }

    @Test
    void featureSimilarityFollowsWithinTheTolerance() throws IOException {
        // 1 000 ms → 15 848.93 ms = 10^4.2 ms: exponent 1.20, within 0.25 of 1: follows.
        assertContains(table(), "| featureSimilarity | 100 ± 0 ms | 1.00 ± 0 s | 15.8 s (1 shot, cold) | 1.00 | 1.20 "
                + "| 1 | follows | O(N·L·d / K + N log N) |");
    }

    @Test
    void aRowWithoutTheLargestNIsJudgedOnItsOwnPairAndSaysWhich() throws IOException {
        // BALD 50 ms → 250 ms: log(5)/log(10) = 0.699: 0.70 − 1 = −0.30: deviates, on 10⁴→10⁵.
        assertContains(table(), "| bald | 50.0 ± 0 ms | 250 ± 0 ms | – | 0.70 | – | 1 | deviates (-0.30; 10⁴→10⁵) "
                + "| O(T·N·K + N log b) |");
    }

    @Test
    void theFormerDiversityScalingBenchmarkJoinsTheCurve() throws IOException {
        // BADGE 13.8 s at 10⁵ (run 1) and 138 s at 10⁶ (DiversityScalingBenchmark, s/op): exponent 1.00.
        assertContains(table(), "| badge | – | 13.8 ± 0 s | 138 s (1 shot, cold) | – | 1.00 | 1 | follows "
                + "| O(b·N·(d + K)) |");
    }

    @Test
    void heapPerQueryPerN() throws IOException {
        String md = table();
        // entropy 4e6, 4e7, 4e8 B: 4.00 MB, 40.0 MB, 400 MB; the 10⁵ and 10⁶ figures come from cold shots (run 2):
        // marked, and with a single warm figure there is no exponent.
        assertContains(md, "| entropy | 4.00 MB | 40.0 MB (cold*) | 400 MB (cold*) | – |");
        // k-center 1e8, 1e9, 1.06e10 B; the 10⁶ run is one cold shot (no warm-up), whose figure counts the fixture's
        // construction: marked, and the exponent is left out (only two warm figures, and they are 10⁴ and 10⁵:
        // log10(1e9 / 1e8) = 1.00).
        assertContains(md, "| kCenterGreedy | 100 MB | 1.00 GB | 10.6 GB (cold*) | 1.00 |");
        assertContains(md, ResultsToMarkdown.COLD_HEAP_NOTE);
        // k-means has no gc profile: dashes.
        assertContains(md, "| kMeans | – | – | – | – |");
    }

    @Test
    void detailsGiveShotsMeanAndTheFloorFromAFloorOnlyFile() throws IOException {
        List<JmhResult> floor = ResultsToMarkdownTest.results().stream()
                .filter(r -> r.className().equals("MemoryBandwidthBenchmark")).toList();
        String md = ResultsToMarkdown.render(merged(), floor);
        assertFalse(md.contains("### Floor: memory bandwidth"), "a --floor file's own table is not printed");
        // Mean (1.9 + 2.0 + 2.3) / 3 = 2.07 ms ± 0.5. Floor: N·K·4 = 400 kB, in cache (≤ 2 × 20.48 MB) at the
        // floor file's 100 GB/s = 0.004 ms; 2.00 / 0.004 = 500.
        assertContains(md, "| entropy | 10000 | 3 + 1 warm-up | 2.00 ms | 2.07 ± 0.500 ms | 4.00 MB | 0.00400 ms | 500 |");
        // k-center at 10⁶: b·N·(d + K)·4 = 1000 · 10⁶ · 522 · 4 = 2.088 TB through 2.088 GB, from memory at
        // 2.048 GB / 81.92 ms = 25 GB/s: 83.52 s; 316.23 / 83.52 = 3.79.
        assertContains(md, "| kCenterGreedy | 1000000 | 1, cold | 316 s | 316 s | 10.6 GB (cold*) | 83.5 s | 3.79 |");
    }

    @Test
    void helpersFormatSizesTimesAndExponents() {
        assertEquals("10⁴", ResultsToMarkdown.nLabel(10_000));
        assertEquals("10⁶", ResultsToMarkdown.nLabel(1_000_000));
        assertEquals("10", ResultsToMarkdown.nLabel(10));
        assertEquals("20000", ResultsToMarkdown.nLabel(20_000));
        assertEquals("999 ms", ResultsToMarkdown.millisText(999.4, Double.NaN));
        assertEquals("1.00 s", ResultsToMarkdown.millisText(999.6, Double.NaN));
        assertEquals("1.50 ± 0.0200 s", ResultsToMarkdown.millisText(1500, 20));
        assertEquals("512 B", ResultsToMarkdown.fmtBytes(512));
        assertEquals("2.05 GB", ResultsToMarkdown.fmtBytes(2.048e9));
        assertEquals("1.00", ResultsToMarkdown.fmtExponent(1.0));
        assertEquals("1", ResultsToMarkdown.fmtExpected(1.0));
        assertEquals("–", ResultsToMarkdown.fmtExponent(Double.NaN));
    }

    @Test
    void headerNamesDateJdkCpusAndCommand() throws IOException {
        String header = ResultsToMarkdown.header(read("scaling-run2.json"), List.of(Path.of("a.json")),
                List.of(Path.of("floor.json")), "benchmarks/run.sh ScalingBenchmark -p candidates=1000000",
                "2026-11-22 09:00 UTC", new ResultsToMarkdown.Machine(2, "AMD EPYC", "23.5 GiB", "Linux 6"));
        assertContains(header, "Results: `a.json`");
        assertContains(header, "Floor from: `floor.json`");
        assertContains(header, "Report generated: 2026-11-22 09:00 UTC");
        assertContains(header, "Machine: 2 CPUs (AMD EPYC), 23.5 GiB, Linux 6; JDK 17.0.15");
        assertContains(header, "Command: `benchmarks/run.sh ScalingBenchmark -p candidates=1000000`");
    }
}
