package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The charts of an experiment, drawn with XChart from {@link RoundRow}s and saved as PNG and SVG:
 * <ul>
 *   <li>{@link #accuracyVsLabels()}: accuracy against labeled samples, the mean over trials per strategy with a
 *       shaded ±1 sample-std band (the learning curves whose area is the AUBC);</li>
 *   <li>{@link #samplingBias()}: {@link Metrics#samplingBias sampling bias} of the acquired labels per round;</li>
 *   <li>{@link #calibrationError()}: expected calibration error per round;</li>
 *   <li>{@link #queryTime()}: mean query time per round relative to the reference strategy (entropy, when present;
 *       in milliseconds otherwise);</li>
 *   <li>when the rows hold them (seed 000, Figure 4): {@link #oodAuroc()} and {@link #oodDataAuroc()}, the AUROC of
 *       out-of-distribution detection per round, and {@link #shiftAccuracy()} and {@link #shiftCalibrationError()},
 *       accuracy and ECE on shifted test data per round.</li>
 * </ul>
 * Per-round charts put the mean labeled count of the round on the x axis, so strategies line up by budget.
 *
 * <p>Charts render into off-screen images only and never open a window. When {@code java.awt.headless} is unset on a
 * machine without a display ({@code DISPLAY} and {@code WAYLAND_DISPLAY} unset, not Windows or macOS) this class sets
 * it to {@code true} before the first chart, which is the JDK's own default there made explicit; it never overrides a
 * value the application chose.
 *
 * <p>An immutable value; each chart method returns a new XChart object.
 *
 * <pre>{@code
 * List<Path> files = ExperimentCharts.of(log.rows()).saveAll(Path.of("results"));
 * }</pre>
 */
public final class ExperimentCharts {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentCharts.class);

    /** Default image width in pixels. */
    public static final int DEFAULT_WIDTH = 900;

    /** Default image height in pixels. */
    public static final int DEFAULT_HEIGHT = 560;

    /** Base names of the files {@link #saveAll(Path)} writes, with {@code .png} and {@code .svg}. */
    public static final String ACCURACY = "accuracy-vs-labels";
    /** See {@link #ACCURACY}. */
    public static final String SAMPLING_BIAS = "sampling-bias";
    /** See {@link #ACCURACY}. */
    public static final String CALIBRATION_ERROR = "calibration-error";
    /** See {@link #ACCURACY}. */
    public static final String QUERY_TIME = "query-time";
    /** See {@link #ACCURACY}. */
    public static final String OOD_AUROC = "ood-auroc";
    /** See {@link #ACCURACY}. */
    public static final String OOD_DATA_AUROC = "ood-data-auroc";
    /** See {@link #ACCURACY}. */
    public static final String SHIFT_ACCURACY = "shift-accuracy";
    /** See {@link #ACCURACY}. */
    public static final String SHIFT_CALIBRATION_ERROR = "shift-calibration-error";

    /** Tableau's ten categorical colours: distinct, print- and colour-blind-friendly enough for line charts. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
        new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};

    static {
        preferHeadless();
    }

    private final List<RoundRow> rows;
    private final int width;
    private final int height;
    private final String reference;

    private ExperimentCharts(List<RoundRow> rows, int width, int height, String reference) {
        this.rows = rows;
        this.width = width;
        this.height = height;
        this.reference = reference;
    }

    /**
     * Charts of these rows, {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} pixels.
     *
     * @throws IllegalArgumentException when there are no rows
     */
    public static ExperimentCharts of(Collection<RoundRow> rows) {
        Checks.checkNotNull(rows, "rows");
        Checks.checkArgument(!rows.isEmpty(), "rows must not be empty, found none");
        List<RoundRow> copy = List.copyOf(rows);
        Curves.index(copy); // validates the elements
        return new ExperimentCharts(copy, DEFAULT_WIDTH, DEFAULT_HEIGHT, null);
    }

    /**
     * The same charts at another size.
     *
     * @throws IllegalArgumentException unless both sides are in [100, 10000] pixels
     */
    public ExperimentCharts withSize(int width, int height) {
        Checks.checkArgument(width >= 100 && width <= 10_000, "width must be in [100, 10000] pixels, found %d", width);
        Checks.checkArgument(height >= 100 && height <= 10_000, "height must be in [100, 10000] pixels, found %d",
                height);
        return new ExperimentCharts(rows, width, height, reference);
    }

    /**
     * The same charts with query times relative to {@code strategy} instead of entropy.
     *
     * @throws IllegalArgumentException when no row has that strategy
     */
    public ExperimentCharts withReference(String strategy) {
        Checks.checkNotNull(strategy, "strategy");
        Checks.checkArgument(Curves.index(rows).containsKey(strategy),
                "reference strategy '%s' is not in the rows; present: %s", strategy, Curves.index(rows).keySet());
        return new ExperimentCharts(rows, width, height, strategy);
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /**
     * Accuracy against labeled samples: per strategy the mean over trials, with a ±1 std band where there are
     * several trials.
     *
     * @throws IllegalStateException when no row has an accuracy
     */
    public XYChart accuracyVsLabels() {
        return lineChart("Accuracy vs labels (mean ± std over trials)", "accuracy", RoundRow::accuracy, true, 0, 1);
    }

    /**
     * Sampling bias of the acquired labels per round (0 = balanced, 1 = one class only), mean over trials.
     *
     * @throws IllegalStateException when no row has a sampling bias
     */
    public XYChart samplingBias() {
        return lineChart("Sampling bias of the acquired labels per round", "sampling bias (1 − H / ln K)",
                RoundRow::samplingBias, false, 0, 1);
    }

    /**
     * Expected calibration error per round, mean over trials.
     *
     * @throws IllegalStateException when no row has an ECE
     */
    public XYChart calibrationError() {
        return lineChart("Expected calibration error per round", "ECE", RoundRow::ece, false, 0, Double.NaN);
    }

    /**
     * AUROC of out-of-distribution detection against the held-out classes ({@value ExperimentLog#OOD_AUROC}) per
     * round, mean ± std over trials.
     *
     * @throws IllegalStateException when no row has that AUROC
     */
    public XYChart oodAuroc() {
        return lineChart("OOD detection AUROC per round (held-out classes, max softmax probability)", "AUROC",
                RoundRow::oodAuroc, true, 0, 1);
    }

    /**
     * AUROC of out-of-distribution detection against a separate OOD data set ({@value ExperimentLog#OOD_DATA_AUROC})
     * per round, mean ± std over trials.
     *
     * @throws IllegalStateException when no row has that AUROC
     */
    public XYChart oodDataAuroc() {
        return lineChart("OOD detection AUROC per round (OOD data set, max softmax probability)", "AUROC",
                RoundRow::oodDataAuroc, true, 0, 1);
    }

    /**
     * Accuracy on the shifted test data ({@value ExperimentLog#SHIFT_ACCURACY}) per round, mean ± std over trials.
     *
     * @throws IllegalStateException when no row has a shifted accuracy
     */
    public XYChart shiftAccuracy() {
        return lineChart("Accuracy under dataset shift per round", "accuracy on shifted data",
                RoundRow::shiftAccuracy, true, 0, 1);
    }

    /**
     * Expected calibration error on the shifted test data ({@value ExperimentLog#SHIFT_ECE}) per round, mean over
     * trials.
     *
     * @throws IllegalStateException when no row has a shifted ECE
     */
    public XYChart shiftCalibrationError() {
        return lineChart("Expected calibration error under dataset shift per round", "ECE on shifted data",
                RoundRow::shiftEce, false, 0, Double.NaN);
    }

    /**
     * Mean query time per round (rounds after the random initial one) of each strategy, as a multiple of the
     * reference strategy's, or in milliseconds when there is no reference.
     *
     * @throws IllegalStateException when no strategy has a round after round 0
     */
    public CategoryChart queryTime() {
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        String ref = ExperimentSummary.resolveReference(new ArrayList<>(index.keySet()), reference);
        double refMs = ref == null ? Double.NaN : ExperimentSummary.meanQueryMs(index.get(ref));
        boolean relative = refMs > 0;
        List<String> categories = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> e : index.entrySet()) {
            double ms = ExperimentSummary.meanQueryMs(e.getValue());
            if (!Double.isFinite(ms)) {
                continue;
            }
            double value = relative ? ms / refMs : ms;
            // The value goes into the axis label: bar-top labels are unreadable on short bars.
            categories.add(e.getKey() + (relative ? String.format(Locale.ROOT, " (%s×)", compact(value))
                    : String.format(Locale.ROOT, " (%s ms)", compact(value))));
            values.add(value);
        }
        Checks.checkState(!values.isEmpty(), "no query times after round 0 in the rows to chart");
        CategoryChart chart = new CategoryChart(width, height);
        chart.setTitle(relative ? "Query time per round relative to " + ref : "Query time per round");
        chart.setXAxisTitle("strategy");
        chart.setYAxisTitle(relative ? "query time / " + ref + " (×)" : "query time per round (ms)");
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.6);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        // Linear axis: XChart's bars always start at 0, which a log axis cannot show. Bars of fast strategies may be
        // too short to see next to k-center's, so every value is also written in its category label.
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.##");
        // Tilt the labels when they would not fit side by side (about 7 px per character at 12 pt).
        int labelChars = categories.stream().mapToInt(String::length).sum() + 2 * categories.size();
        if (labelChars * 7 > width - 120) {
            chart.getStyler().setXAxisLabelRotation(60);
        }
        // One series, one colour: XChart colours a series, not a bar; the names and values are on the category axis.
        CategorySeries series = chart.addSeries(relative ? "relative query time" : "query time (ms)", categories,
                values);
        series.setFillColor(PALETTE[0]);
        return chart;
    }

    private static String compact(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * Saves every chart that has data as {@code <name>.png} and {@code <name>.svg} in {@code directory} (created if
     * needed), each file written atomically. Charts without data (e.g. ECE when the loop did not evaluate it, or the
     * robustness charts of a run that did not measure robustness) are skipped and logged.
     *
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> saveAll(Path directory) throws IOException {
        Checks.checkNotNull(directory, "directory");
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        save(directory, ACCURACY, this::accuracyVsLabels, written);
        save(directory, SAMPLING_BIAS, this::samplingBias, written);
        save(directory, CALIBRATION_ERROR, this::calibrationError, written);
        save(directory, QUERY_TIME, this::queryTime, written);
        save(directory, OOD_AUROC, this::oodAuroc, written);
        save(directory, OOD_DATA_AUROC, this::oodDataAuroc, written);
        save(directory, SHIFT_ACCURACY, this::shiftAccuracy, written);
        save(directory, SHIFT_CALIBRATION_ERROR, this::shiftCalibrationError, written);
        return Collections.unmodifiableList(written);
    }

    /**
     * Writes a chart as a PNG image, atomically.
     *
     * @throws IOException when the file cannot be written
     */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        Checks.checkNotNull(chart, "chart");
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Writes a chart as an SVG document (through XChart's VectorGraphics2D encoder), atomically.
     *
     * @throws IOException when the file cannot be written
     */
    public static void saveSvg(Chart<?, ?> chart, Path file) throws IOException {
        Checks.checkNotNull(chart, "chart");
        AtomicFiles.write(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }

    private XYChart lineChart(String title, String yTitle, ToDoubleFunction<RoundRow> measure, boolean bands,
            double yMin, double yMax) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle("labeled samples");
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        List<Curves.Curve> curves = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TreeMap<Integer, TreeMap<Integer, RoundRow>> trials : index.values()) {
            Curves.Curve c = Curves.mean(trials, measure);
            curves.add(c);
            for (int j = 0; j < c.x().length; j++) {
                double spread = bands ? c.std()[j] : 0;
                lo = Math.min(lo, c.mean()[j] - spread);
                hi = Math.max(hi, c.mean()[j] + spread);
            }
        }
        Checks.checkState(curves.stream().anyMatch(c -> !c.isEmpty()), "no %s values in the rows to chart", yTitle);
        // Bands first, so that every mean line is drawn over them.
        int i = 0;
        List<String> names = new ArrayList<>(index.keySet());
        if (bands) {
            for (Curves.Curve c : curves) {
                Color color = PALETTE[i++ % PALETTE.length];
                if (c.x().length >= 2 && hasSpread(c)) {
                    addBand(chart, names.get(i - 1), c, color, yMin, yMax);
                }
            }
        }
        i = 0;
        for (Curves.Curve c : curves) {
            Color color = PALETTE[i % PALETTE.length];
            String name = names.get(i++);
            if (c.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(name, c.x(), c.mean());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineWidth(2f);
        }
        placeLegend(chart.getStyler(), names);
        // A little headroom around the data, kept inside the measure's natural range.
        double pad = Math.max((hi - lo) * 0.05, 0.01);
        double min = Math.max(yMin, lo - pad);
        double max = Double.isNaN(yMax) ? hi + pad : Math.min(yMax, hi + pad);
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(max);
        return chart;
    }

    private static boolean hasSpread(Curves.Curve c) {
        for (double s : c.std()) {
            if (s > 0) {
                return true;
            }
        }
        return false;
    }

    /** A closed polygon: mean + std left to right, then mean − std right to left, clipped to the axis range. */
    private static void addBand(XYChart chart, String name, Curves.Curve c, Color color, double yMin, double yMax) {
        int n = c.x().length;
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        for (int j = 0; j < n; j++) {
            double upper = c.mean()[j] + c.std()[j];
            double lower = c.mean()[j] - c.std()[j];
            x[j] = c.x()[j];
            y[j] = Double.isNaN(yMax) ? upper : Math.min(yMax, upper);
            x[2 * n - 1 - j] = c.x()[j];
            y[2 * n - 1 - j] = Math.max(yMin, lower);
        }
        XYSeries band = chart.addSeries(name + " ± std", x, y);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        Color fill = new Color(color.getRed(), color.getGreen(), color.getBlue(), 56);
        band.setFillColor(fill);
        band.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    /**
     * Legend below the plot in one row when the names fit across (about 7 px per character plus the line sample),
     * else in a column to the right of the plot.
     */
    private void placeLegend(AxesChartStyler styler, List<String> names) {
        int needed = names.stream().mapToInt(n -> 7 * n.length() + 50).sum();
        if (needed > width - 40) {
            styler.setLegendPosition(Styler.LegendPosition.OutsideE);
            styler.setLegendLayout(Styler.LegendLayout.Vertical);
        }
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotBorderColor(new Color(0x9A9A9A));
        styler.setPlotGridLinesColor(new Color(0xE3E3E3));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleBoxVisible(false);
        styler.setLocale(Locale.ROOT);
        styler.setAntiAlias(true);
    }

    private <C extends Chart<?, ?>> void save(Path directory, String name, ChartSupplier<C> chart, List<Path> written)
            throws IOException {
        C c;
        try {
            c = chart.get();
        } catch (IllegalStateException e) {
            // A measure the run did not take (robustness, say): no chart, and nothing on the console.
            LOG.debug("skipping chart {}: {}", name, e.getMessage());
            return;
        }
        Path png = directory.resolve(name + ".png");
        Path svg = directory.resolve(name + ".svg");
        savePng(c, png);
        saveSvg(c, svg);
        written.add(png);
        written.add(svg);
    }

    /** Sets {@code java.awt.headless=true} where the JDK would assume it anyway, unless the application chose. */
    static void preferHeadless() {
        if (System.getProperty("java.awt.headless") != null) {
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean desktopOs = os.startsWith("windows") || os.startsWith("mac");
        if (!desktopOs && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    @FunctionalInterface
    private interface ChartSupplier<C> {
        C get();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentCharts c && c.rows.equals(rows) && c.width == width && c.height == height
                && Objects.equals(c.reference, reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, width, height, reference);
    }

    @Override
    public String toString() {
        return "ExperimentCharts.of(<" + rows.size() + " rows>)"
                + (width != DEFAULT_WIDTH || height != DEFAULT_HEIGHT ? ".withSize(" + width + ", " + height + ")" : "")
                + (reference != null ? ".withReference(\"" + reference + "\")" : "");
    }
}
