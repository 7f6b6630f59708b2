package dev.al4j.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.al4j.core.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report on a small hand-made JMH result file ({@code small-results.json}); each expected number is computed
 * in a comment from the file's values.
 */
class ResultsToMarkdownTest {

    static List<JmhResult> results() throws IOException {
        try (InputStream in = ResultsToMarkdownTest.class.getResourceAsStream("small-results.json")) {
            return JmhResult.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String table() throws IOException {
        return ResultsToMarkdown.render(results());
    }

    @Test
    void readsEveryEntryWithItsMetrics() throws IOException {
        List<JmhResult> r = results();
        assertEquals(11, r.size());
        JmhResult entropy = r.get(3);
        assertEquals("QueryTimeBenchmark", entropy.className());
        assertEquals("select", entropy.method());
        assertEquals("entropy", entropy.param("strategy"));
        assertEquals(2.1, entropy.score());
        assertTrue(Double.isNaN(entropy.error()), "JMH writes a missing error as the string NaN");
        assertEquals(2.0, entropy.median());
        // No percentiles: the median of the raw data 0.08, 0.08192, 0.09 s is 0.08192 s.
        assertEquals(81.92, r.get(2).medianMillis(), 1e-9);
        assertEquals(4.0e7, r.get(5).allocatedBytesPerOp().getAsDouble());
        assertTrue(r.get(3).allocatedBytesPerOp().isEmpty());
    }

    @Test
    void floorTableGivesBandwidth() throws IOException {
        String md = table();
        // 10 000 × 512 × 4 = 20 480 000 bytes in 0.2048 ms = 100 GB/s; one core: 0.4096 ms = 50 GB/s.
        assertTrue(md.contains("| allCores | 10000 × 512 | 20.5 | 0.205 | 0.210 ± 0.0100 | 100 |"), md);
        assertTrue(md.contains("| oneCore | 10000 × 512 | 20.5 | 0.410 | 0.410 ± – | 50.0 |"), md);
        // 1 000 000 × 512 × 4 = 2.048 GB in 81.92 ms = 25 GB/s.
        assertTrue(md.contains("| allCores | 1000000 × 512 | 2048 | 81.9 | 81.9 ± 1.00 | 25.0 |"), md);
    }

    @Test
    void queryTableRelativeToEntropyWithPaperUnitsAndFloor() throws IOException {
        String md = table();
        // Entropy reads N·K = 100 000 floats = 400 000 bytes, in cache (≤ 2 × 20.48 MB) at 100 GB/s: 0.004 ms;
        // 2.0 / 0.004 = 500.
        assertTrue(md.contains("| entropy | 2.00 | 2.10 ± – | 1.00 | Entropy 1.00 | 1 | 0.00400 | 500 |"), md);
        // BALD: 50 / 2 = 25 entropy units (paper 35.7); N·T·K·4 = 8 000 000 bytes at 100 GB/s = 0.08 ms; 625×.
        assertTrue(md.contains("| bald | 50.0 | 51.0 ± 3.50 | 25.0 | BALD 35.7 | 1 | 0.0800 | 625 |"), md);
        // k-center, a batch strategy: b·N·(d + K)·4 = 1000 · 10000 · 522 · 4 = 20.88 GB through a 20.88 MB working
        // set (≤ 2 × 20.48 MB: in cache, 100 GB/s): 208.8 ms; 400 / 208.8 = 1.92; 400 / 2 = 200 entropy units.
        assertTrue(md.contains("| kCenterGreedy | 400 | 410 ± 20.0 | 200 | CoreSet 15.2 | b = 1000 | 209 | 1.92 |"), md);
        assertTrue(md.contains("| Learning Loss (needs its trained loss head: end-to-end table) | – | – | – | 1.80 |"), md);
        assertTrue(md.contains("Setting: budget = 1000, candidates = 10000, classes = 10, dimension = 512, "
                + "labeled = 1000, passes = 20, mode avgt."), md);
    }

    @Test
    void scalingTableSortsByNAndMeasuresTheGrowth() throws IOException {
        String md = table();
        // 1 ms at 10⁴, 10 ms at 10⁵ (listed first in the file): exponent log(10)/log(10) = 1.00, the expected 1.
        // The file gives no warm-up count: "1 shot" without "cold".
        assertTrue(md.contains("| entropy | 1.00 ms (1 shot) | 10.0 ms (1 shot) | 1.00 | 1 | follows "
                + "| O(N·K + N log b) |"), md);
        // Heap 4e6 and 4e7 B/op = 4 and 40 MB.
        assertTrue(md.contains("| entropy | 4.00 MB | 40.0 MB | 1.00 |"), md);
        // Floor at 10⁵: N·K·4 = 4 000 000 bytes, in cache at 100 GB/s: 0.04 ms; 10 / 0.04 = 250.
        int small = md.indexOf("| entropy | 10000 | 1 | 1.00 ms | 1.00 ms | 4.00 MB | 0.00400 ms | 250 |");
        int large = md.indexOf("| entropy | 100000 | 1 | 10.0 ms | 10.0 ms | 40.0 MB | 0.0400 ms | 250 |");
        assertTrue(small >= 0 && large > small, md);
    }

    @Test
    void endToEndSplitsARound() throws IOException {
        // Round 1.5 s = 1500 ms, query 300 ms: fit 1200 ms, query share 20 %.
        assertTrue(table().contains("| entropy | 1500 ± 200 | 300 ± 20.0 | 1200 | 20 % |"), table());
    }

    @Test
    void otherBenchmarksGoToTheGenericTable() throws IOException {
        assertTrue(table().contains(
                "| UncertaintyScoringBenchmark.margin | k = 10, n = 1000000 | avgt | 12.0 | 12.5 ± 0.250 | ms/op | – |"),
                table());
    }

    @Test
    void formatsThreeSignificantDigits() {
        assertEquals("1234", ResultsToMarkdown.fmt(1234.4));
        assertEquals("12.3", ResultsToMarkdown.fmt(12.34));
        assertEquals("1.23", ResultsToMarkdown.fmt(1.234));
        assertEquals("0.00123", ResultsToMarkdown.fmt(0.0012345));
        assertEquals("2.00", ResultsToMarkdown.fmt(2.0));
        assertEquals("100", ResultsToMarkdown.fmt(99.99999));
        assertEquals("0.210", ResultsToMarkdown.fmt(0.21));
        assertEquals("–", ResultsToMarkdown.fmt(Double.NaN));
    }

    @Test
    void jsonParserReadsValuesAndEscapes() {
        Object v = Json.parse("{\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"y\\u0041\\n\"}");
        Map<String, Object> o = Json.object(v);
        assertEquals(List.of(1.0, -2500.0, true, false), Json.array(o.get("a")).subList(0, 4));
        assertEquals(null, Json.array(o.get("a")).get(4));
        assertEquals("x\"yA\n", o.get("s"));
        assertEquals(Double.POSITIVE_INFINITY, Json.number("Infinity"));
    }

    @Test
    void jsonParserNamesWhereItFailed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,\n ]"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> JmhResult.parseAll("[{\"mode\": \"avgt\"}]"));
    }
}
