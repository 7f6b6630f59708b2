package dev.al4j.metrics;

import static dev.al4j.metrics.PerSampleMetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.w3c.dom.Element;

class ExperimentChartsTest {

    /**
     * Three strategies × three trials × eight rounds of 100 labels, with learning curves that rise at different speeds,
     * noisy per trial, and query times of 0.05 ms (random), 3 ms (entropy) and 40 ms (coreset).
     */
    static List<RoundRow> rows() {
        SplittableRandom rnd = new SplittableRandom(11);
        String[] names = {"random", "Strategies.entropy()", "Strategies.coreset()"};
        double[] speed = {0.25, 0.45, 0.35};
        double[] query = {0.05, 3, 40};
        List<RoundRow> rows = new ArrayList<>();
        for (int s = 0; s < names.length; s++) {
            for (int t = 0; t < 3; t++) {
                for (int r = 0; r < 8; r++) {
                    double acc = 0.45 + 0.4 * (1 - Math.exp(-speed[s] * r)) + 0.02 * (rnd.nextDouble() - 0.5);
                    double bias = s == 0 ? 0.01 + 0.01 * rnd.nextDouble() : 0.02 + 0.015 * r + 0.01 * rnd.nextDouble();
                    double ece = 0.12 - 0.01 * r + 0.02 * rnd.nextDouble() + 0.02 * s;
                    rows.add(new RoundRow(names[s], t, r, 100 * (r + 1), acc, ece, 0.5 - 0.03 * r, 1.2 - 0.08 * r,
                            bias, r == 0 ? 0.01 : query[s] * (0.9 + 0.2 * rnd.nextDouble()), 300 + 40 * r));
                }
            }
        }
        return rows;
    }

    @Test
    void rendersEveryChartAsPngAndSvgOfTheRequestedSize(@TempDir Path dir) throws Exception {
        List<Path> files = ExperimentCharts.of(rows()).saveAll(dir);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("accuracy-vs-labels.png", "accuracy-vs-labels.svg", "sampling-bias.png",
                "sampling-bias.svg", "calibration-error.png", "calibration-error.svg", "query-time.png",
                "query-time.svg"), names);
        for (Path f : files) {
            if (f.toString().endsWith(".png")) {
                assertPng(f, ExperimentCharts.DEFAULT_WIDTH, ExperimentCharts.DEFAULT_HEIGHT);
            } else {
                assertSvg(f, ExperimentCharts.DEFAULT_WIDTH, ExperimentCharts.DEFAULT_HEIGHT);
            }
        }
        try (var listing = Files.list(dir)) {
            assertEquals(8, listing.count(), "no temporary file may remain");
        }
        // Keep a copy in the build directory to look at.
        ExperimentCharts.of(rows()).saveAll(Path.of("target", "chart-samples"));
    }

    @Test
    void customSizeIsHonoured(@TempDir Path dir) throws Exception {
        ExperimentCharts charts = ExperimentCharts.of(rows()).withSize(640, 400);
        Path png = dir.resolve("a.png");
        Path svg = dir.resolve("a.svg");
        ExperimentCharts.savePng(charts.accuracyVsLabels(), png);
        ExperimentCharts.saveSvg(charts.queryTime(), svg);
        assertPng(png, 640, 400);
        assertSvg(svg, 640, 400);
        assertEquals("ExperimentCharts.of(<72 rows>).withSize(640, 400)", charts.toString());
        assertMessage(() -> charts.withSize(50, 400), "width must be in [100, 10000] pixels, found 50");
    }

    @Test
    void accuracyChartHasOneLineAndOneHiddenBandPerStrategy() {
        XYChart chart = ExperimentCharts.of(rows()).accuracyVsLabels();
        for (String name : List.of("random", "Strategies.entropy()", "Strategies.coreset()")) {
            XYSeries line = chart.getSeriesMap().get(name);
            XYSeries band = chart.getSeriesMap().get(name + " ± std");
            assertNotNull(line, name);
            assertNotNull(band, name + " band");
            assertTrue(line.isShowInLegend());
            assertFalse(band.isShowInLegend());
            assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle());
            assertEquals(8, line.getXData().length);
            assertEquals(16, band.getXData().length); // upper edge out, lower edge back
        }
        assertEquals("labeled samples", chart.getXAxisTitle());
    }

    @Test
    void bandsAreTheMeanPlusMinusTheSampleStdOverTrials() {
        // Two trials at round 0: accuracies 0.6 and 0.8 -> mean 0.7, std 0.1414214; band 0.5585786 .. 0.8414214.
        List<RoundRow> rows = List.of(new RoundRow("a", 0, 0, 10, 0.6, 0, 0, 0, 0, 0, 0),
                new RoundRow("a", 1, 0, 10, 0.8, 0, 0, 0, 0, 0, 0), new RoundRow("a", 0, 1, 20, 0.7, 0, 0, 0, 0, 1, 0),
                new RoundRow("a", 1, 1, 20, 0.7, 0, 0, 0, 0, 1, 0));
        XYChart chart = ExperimentCharts.of(rows).accuracyVsLabels();
        double[] mean = chart.getSeriesMap().get("a").getYData();
        double[] band = chart.getSeriesMap().get("a ± std").getYData();
        assertEquals(0.7, mean[0], 1e-12);
        assertEquals(0.8414214, band[0], 1e-7); // upper, round 0
        assertEquals(0.7, band[1], 1e-12); // upper, round 1 (no spread)
        assertEquals(0.7, band[2], 1e-12); // lower, round 1
        assertEquals(0.5585786, band[3], 1e-7); // lower, round 0
    }

    @Test
    void aSingleTrialHasNoBand() {
        List<RoundRow> oneTrial = rows().stream().filter(r -> r.trial() == 0).toList();
        XYChart chart = ExperimentCharts.of(oneTrial).accuracyVsLabels();
        assertEquals(3, chart.getSeriesMap().size());
        assertFalse(chart.getSeriesMap().containsKey("random ± std"));
    }

    @Test
    void chartsWithoutDataAreSkipped(@TempDir Path dir) throws IOException {
        List<RoundRow> noEce = rows().stream().map(r -> new RoundRow(r.strategy(), r.trial(), r.round(), r.labeled(),
                r.accuracy(), Double.NaN, r.brier(), r.nll(), r.samplingBias(), r.queryMs(), r.fitMs())).toList();
        ExperimentCharts charts = ExperimentCharts.of(noEce);
        IllegalStateException e = assertThrows(IllegalStateException.class, charts::calibrationError);
        assertEquals("no ECE values in the rows to chart", e.getMessage());
        List<Path> files = charts.saveAll(dir);
        assertEquals(6, files.size());
        assertFalse(Files.exists(dir.resolve("calibration-error.png")));
    }

    @Test
    void queryTimeIsRelativeToEntropyOrInMilliseconds() {
        var relative = ExperimentCharts.of(rows()).queryTime();
        assertTrue(relative.getTitle().contains("relative to Strategies.entropy()"), relative.getTitle());
        var absolute = ExperimentCharts.of(rows().stream().filter(r -> !r.strategy().contains("entropy")).toList())
                .queryTime();
        assertEquals("query time per round (ms)", absolute.getYAxisTitle());
        var other = ExperimentCharts.of(rows()).withReference("random").queryTime();
        assertTrue(other.getTitle().contains("relative to random"));
    }

    @Test
    void manyLongStrategyNamesStillRender() throws Exception {
        List<RoundRow> rows = new ArrayList<>();
        String[] names = {"random", "Strategies.entropy()", "Strategies.margin()", "Strategies.leastConfidence()",
            "Strategies.bald().withPasses(20)", "Strategies.kCenterGreedy()", "Strategies.badge().withSeed(7)",
            "Strategies.scal().withSeed(7)"};
        for (int s = 0; s < names.length; s++) {
            for (int r = 0; r < 4; r++) {
                rows.add(new RoundRow(names[s], 0, r, 100 * (r + 1), 0.5 + 0.05 * r + 0.01 * s, 0.1, 0.4, 1.0,
                        0.02 * s, r == 0 ? 0 : 0.5 * (s + 1) * (s + 1), 100));
            }
        }
        Path out = Path.of("target", "chart-samples", "many");
        List<Path> files = ExperimentCharts.of(rows).saveAll(out);
        for (Path f : files) {
            if (f.toString().endsWith(".png")) {
                assertPng(f, ExperimentCharts.DEFAULT_WIDTH, ExperimentCharts.DEFAULT_HEIGHT);
            }
        }
    }

    @Test
    void headlessIsSetOnlyWhenUnsetAndThereIsNoDisplay() {
        // The JVM running the tests has no display; the class initialiser made the JDK's headless default explicit,
        // unless the build set the property itself.
        assertNotNull(System.getProperty("java.awt.headless"));
        assertTrue(java.awt.GraphicsEnvironment.isHeadless());
    }

    private static void assertPng(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable image");
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
        // Not blank: some pixels differ from the white background.
        int nonWhite = 0;
        for (int y = 0; y < height; y += 4) {
            for (int x = 0; x < width; x += 4) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        assertTrue(nonWhite > 100, file + " looks blank");
    }

    private static void assertSvg(Path file, int width, int height) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The encoder writes a DOCTYPE pointing at the W3C DTD; never fetch it (no network, and no XXE).
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        assertEquals("svg", root.getNodeName(), file.toString());
        assertEquals(width, (int) Double.parseDouble(root.getAttribute("width").replaceAll("[a-z]+$", "")));
        assertEquals(height, (int) Double.parseDouble(root.getAttribute("height").replaceAll("[a-z]+$", "")));
        assertTrue(root.getElementsByTagName("text").getLength() > 0 || root.getElementsByTagName("path").getLength()
                > 10, file + " has no drawing");
    }
}
