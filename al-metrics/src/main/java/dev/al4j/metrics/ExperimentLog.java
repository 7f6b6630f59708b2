package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An experiment's per-round results on disk, written as they happen: one {@link RoundRow} per (strategy, trial,
 * round) appended to a CSV file and to a JSON Lines file (one JSON object per line), each row flushed to the
 * operating system before {@link #append} returns. A crash of the JVM therefore keeps every row appended so far, and
 * both files stay readable (a line cut off mid-write is the only damage possible, and the readers skip it).
 *
 * <p>Hook it into loops with {@link #reporter(String, int)}, one reporter per (strategy, trial); several loops may
 * share one log from different threads. The columns are {@link #COLUMNS}; the metric columns are read from
 * {@link dev.al4j.core.RoundResult#metrics()} by the names {@code accuracy}, {@code ece}, {@code brier}, {@code nll}
 * (the names of {@link Metrics#accuracy()}, {@link Metrics#expectedCalibrationError()}, {@link Metrics#brier()},
 * {@link Metrics#negativeLogLikelihood()}) and the robustness measures {@value #OOD_AUROC}, {@value #OOD_DATA_AUROC}
 * ({@link Metrics#oodAuroc}, the second renamed), {@value #SHIFT_ACCURACY}, {@value #SHIFT_ECE}
 * ({@link Metrics#onShiftedData}); a metric the loop did not evaluate is left empty ({@code null} in JSON). Files
 * written before the robustness columns existed ({@link #LEGACY_COLUMNS}) are still read, so old and new runs merge.
 *
 * <pre>{@code
 * try (ExperimentLog log = ExperimentLog.create(Path.of("results"))) {
 *     loopBuilder.listener(log.reporter("Strategies.entropy()", trial));
 *     ...
 *     Files.writeString(Path.of("results/summary.md"), ExperimentSummary.of(log.rows()).toMarkdown());
 * }
 * }</pre>
 */
public final class ExperimentLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentLog.class);

    /** The CSV file's name inside the directory given to {@link #create(Path)}. */
    public static final String CSV_FILE = "rounds.csv";

    /** The JSON Lines file's name inside the directory given to {@link #create(Path)}. */
    public static final String JSON_LINES_FILE = "rounds.jsonl";

    /** Column and metric name of the OOD-detection AUROC against held-out classes: {@value}. */
    public static final String OOD_AUROC = OutOfDistributionAuroc.NAME;

    /** Column and metric name of the OOD-detection AUROC against a separate OOD data set: {@value}. */
    public static final String OOD_DATA_AUROC = "ood_data_auroc";

    /** Column and metric name of the accuracy on shifted test data: {@value}. */
    public static final String SHIFT_ACCURACY = ShiftedDataMetric.PREFIX + Accuracy.NAME;

    /** Column and metric name of the expected calibration error on shifted test data: {@value}. */
    public static final String SHIFT_ECE = ShiftedDataMetric.PREFIX + ExpectedCalibrationError.NAME;

    /**
     * The columns of the files written before al4j measured robustness, in order; {@link #readCsv} and
     * {@link #readJsonLines} still read them (the robustness measures are then NaN).
     */
    public static final List<String> LEGACY_COLUMNS = List.of("strategy", "trial", "round", "labeled", "accuracy",
            "ece", "brier", "nll", "sampling_bias", "query_ms", "fit_ms");

    /**
     * The columns of both files, in order (the CSV header and the JSON keys): {@link #LEGACY_COLUMNS}, then
     * {@value #OOD_AUROC}, {@value #OOD_DATA_AUROC}, {@value #SHIFT_ACCURACY}, {@value #SHIFT_ECE} (empty, or
     * {@code null}, when not measured).
     */
    public static final List<String> COLUMNS = List.of("strategy", "trial", "round", "labeled", "accuracy", "ece",
            "brier", "nll", "sampling_bias", "query_ms", "fit_ms", OOD_AUROC, OOD_DATA_AUROC, SHIFT_ACCURACY,
            SHIFT_ECE);

    private final Path csvFile;
    private final Path jsonLinesFile;
    private final BufferedWriter csv;
    private final BufferedWriter json;
    private final List<RoundRow> rows = new ArrayList<>();
    private boolean closed;

    private ExperimentLog(Path csvFile, Path jsonLinesFile, BufferedWriter csv, BufferedWriter json) {
        this.csvFile = csvFile;
        this.jsonLinesFile = jsonLinesFile;
        this.csv = csv;
        this.json = json;
    }

    /**
     * A new log writing {@value #CSV_FILE} and {@value #JSON_LINES_FILE} in {@code directory} (created if needed;
     * existing files of those names are replaced).
     *
     * @throws IOException when the directory or the files cannot be created
     */
    public static ExperimentLog create(Path directory) throws IOException {
        Checks.checkNotNull(directory, "directory");
        Files.createDirectories(directory);
        return create(directory.resolve(CSV_FILE), directory.resolve(JSON_LINES_FILE));
    }

    /**
     * A new log writing the two given files (replaced if they exist). The CSV header is written and flushed at once.
     *
     * @throws IllegalArgumentException when both paths are the same file
     * @throws IOException when a file cannot be created
     */
    public static ExperimentLog create(Path csvFile, Path jsonLinesFile) throws IOException {
        Checks.checkNotNull(csvFile, "csvFile");
        Checks.checkNotNull(jsonLinesFile, "jsonLinesFile");
        Checks.checkArgument(!csvFile.toAbsolutePath().normalize().equals(jsonLinesFile.toAbsolutePath().normalize()),
                "csvFile and jsonLinesFile must differ, found %s twice", csvFile);
        BufferedWriter csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        BufferedWriter json;
        try {
            json = Files.newBufferedWriter(jsonLinesFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            csv.write(RowFormats.csvHeader());
            csv.write('\n');
            csv.flush();
        } catch (IOException | RuntimeException e) {
            csv.close();
            throw e;
        }
        LOG.debug("experiment log: {} and {}", csvFile, jsonLinesFile);
        return new ExperimentLog(csvFile, jsonLinesFile, csv, json);
    }

    /**
     * A listener that appends one row to this log at the end of every round of one loop.
     *
     * @param strategy the name of the loop's strategy in the report (e.g. its {@code toString()})
     * @param trial the trial number, {@code >= 0}
     * @throws IllegalArgumentException for a blank strategy name, one with line breaks, or a negative trial
     */
    public RoundReporter reporter(String strategy, int trial) {
        RoundRow.checkStrategy(strategy);
        Checks.checkNonNegative(trial, "trial");
        return new RoundReporter(this, strategy, trial);
    }

    /**
     * Appends one row to both files and flushes them.
     *
     * @throws IllegalStateException when the log is closed
     * @throws UncheckedIOException when writing fails
     */
    public synchronized void append(RoundRow row) {
        Checks.checkNotNull(row, "row");
        Checks.checkState(!closed, "the experiment log %s is closed", csvFile);
        try {
            // Each line goes out with a single write and flush, so a crash leaves at worst one cut-off last line.
            csv.write(RowFormats.toCsv(row) + '\n');
            csv.flush();
            json.write(RowFormats.toJson(row) + '\n');
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the experiment log " + csvFile, e);
        }
        rows.add(row);
    }

    /** The rows appended through this log so far, in order. */
    public synchronized List<RoundRow> rows() {
        return Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** The CSV file. */
    public Path csvFile() {
        return csvFile;
    }

    /** The JSON Lines file. */
    public Path jsonLinesFile() {
        return jsonLinesFile;
    }

    /** Closes both files; later appends fail. Closing twice does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            csv.close();
        } finally {
            json.close();
        }
    }

    /**
     * Reads the rows of a CSV file written by a log, also one whose writer died: a last line without its line end is
     * ignored.
     *
     * ignored. Files of the earlier format ({@link #LEGACY_COLUMNS}) are read too, their robustness measures NaN.
     *
     * @throws IllegalArgumentException when the header is neither {@link #COLUMNS} nor {@link #LEGACY_COLUMNS}, or
     *     a complete line is malformed
     * @throws IOException when the file cannot be read
     */
    public static List<RoundRow> readCsv(Path csvFile) throws IOException {
        List<String> lines = completeLines(csvFile);
        Checks.checkArgument(!lines.isEmpty(), "%s has no header line", csvFile);
        String header = lines.get(0);
        boolean legacy = header.equals(RowFormats.legacyCsvHeader());
        Checks.checkArgument(legacy || header.equals(RowFormats.csvHeader()), "%s must start with the header '%s' "
                + "(or the earlier '%s'), found '%s'", csvFile, RowFormats.csvHeader(), RowFormats.legacyCsvHeader(),
                header);
        List<String> columns = legacy ? LEGACY_COLUMNS : COLUMNS;
        List<RoundRow> result = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isEmpty()) {
                result.add(RowFormats.fromCsv(lines.get(i), columns, csvFile + " line " + (i + 1)));
            }
        }
        return result;
    }

    /**
     * Reads the rows of a JSON Lines file written by a log, also one whose writer died: a last line without its line
     * end is ignored. Lines of the earlier format (the keys {@link #LEGACY_COLUMNS} only) are read too, their
     * robustness measures NaN.
     *
     * @throws IllegalArgumentException when a complete line is not an object holding at least
     *     {@link #LEGACY_COLUMNS}
     * @throws IOException when the file cannot be read
     */
    public static List<RoundRow> readJsonLines(Path jsonLinesFile) throws IOException {
        List<String> lines = completeLines(jsonLinesFile);
        List<RoundRow> result = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                result.add(RowFormats.fromJson(lines.get(i), jsonLinesFile + " line " + (i + 1)));
            }
        }
        return result;
    }

    /** The lines that end with a line feed; a trailing fragment is a row whose write was cut off. */
    private static List<String> completeLines(Path file) throws IOException {
        Checks.checkNotNull(file, "file");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < text.length() - 1) {
            LOG.warn("{}: ignoring an incomplete last line ({} characters)", file, text.length() - 1 - end);
        }
        if (end < 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.substring(0, end).split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return lines;
    }

    @Override
    public String toString() {
        return "ExperimentLog.create(" + csvFile + ", " + jsonLinesFile + ")";
    }
}
