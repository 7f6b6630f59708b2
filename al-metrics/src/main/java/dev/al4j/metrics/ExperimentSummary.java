package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The summary table of an experiment, in the manner of Table 1 of Zhan et al., "A Comparative Survey of Deep Active
 * Learning" (2022): per strategy, AUBC and final accuracy (mean ± sample std over trials), the mean query time per
 * round and that time relative to the reference strategy (entropy sampling, when present).
 *
 * <p>Computed from {@link RoundRow}s (from {@link ExperimentLog#rows()} or read back from its files). Per trial, the
 * AUBC and F-acc come from the rounds with an accuracy, in round order ({@link Metrics#aubc(int[], double[])},
 * {@link Metrics#finalAccuracy(double[])}). Query time averages the rounds after round 0, whose ids are drawn at
 * random rather than by the strategy. The reference is, unless {@link #withReference(String)} names another, the
 * strategy called {@code entropy} (any case) or {@code Strategies.entropy()}.
 *
 * <p>When the rows hold robustness measures (seed 000, Figure 4), the table has a column for each present one: the
 * final OOD-detection AUROC ({@value ExperimentLog#OOD_AUROC}, {@value ExperimentLog#OOD_DATA_AUROC}) and the final
 * accuracy and ECE on shifted data ({@value ExperimentLog#SHIFT_ACCURACY}, {@value ExperimentLog#SHIFT_ECE}), each
 * the value of a trial's last round that has it, mean ± std over trials. Without them the table is as before.
 *
 * <p>An immutable value; library code never prints it: {@link #toMarkdown()} returns the table and
 * {@link #writeMarkdown(Path)} saves it.
 *
 * <pre>{@code
 * ExperimentSummary summary = ExperimentSummary.of(ExperimentLog.readCsv(Path.of("results/rounds.csv")));
 * System.out.println(summary.toMarkdown());
 * }</pre>
 */
public final class ExperimentSummary {

    private final List<RoundRow> rows;
    private final String reference; // null: the default rule
    private final List<StrategySummary> strategies;

    private ExperimentSummary(List<RoundRow> rows, String reference) {
        this.rows = rows;
        this.reference = reference;
        this.strategies = summarise(rows, reference);
    }

    /**
     * The summary of these rows.
     *
     * @throws IllegalArgumentException when there are no rows, or when a trial's labeled counts decrease
     */
    public static ExperimentSummary of(Collection<RoundRow> rows) {
        Checks.checkNotNull(rows, "rows");
        Checks.checkArgument(!rows.isEmpty(), "rows must not be empty, found none");
        return new ExperimentSummary(List.copyOf(rows), null);
    }

    /**
     * The same summary with query times relative to {@code strategy}.
     *
     * @throws IllegalArgumentException when no row has that strategy
     */
    public ExperimentSummary withReference(String strategy) {
        Checks.checkNotNull(strategy, "strategy");
        Checks.checkArgument(strategies.stream().anyMatch(s -> s.strategy().equals(strategy)),
                "reference strategy '%s' is not in the rows; present: %s", strategy,
                strategies.stream().map(StrategySummary::strategy).toList());
        return new ExperimentSummary(rows, strategy);
    }

    /** The reference strategy for relative query times, when the rows hold it. */
    public Optional<String> reference() {
        return Optional.ofNullable(resolveReference(strategies.stream().map(StrategySummary::strategy).toList(),
                reference));
    }

    /** One entry per strategy, in order of first appearance in the rows. */
    public List<StrategySummary> strategies() {
        return strategies;
    }

    /** The table as GitHub-flavoured Markdown, with a line saying what the columns mean. */
    public String toMarkdown() {
        String ref = reference().orElse(null);
        List<String> robustness = robustnessColumns();
        StringBuilder b = new StringBuilder();
        b.append("| Strategy | Trials | AUBC | F-acc | ");
        robustness.forEach(c -> b.append(ROBUSTNESS_HEADINGS.get(c)).append(" | "));
        b.append("Query time / round | Query time vs ")
                .append(ref == null ? "reference" : escape(ref)).append(" | Fit time / round |\n");
        b.append("|---|---:|---:|---:|").append("---:|".repeat(robustness.size())).append("---:|---:|---:|\n");
        for (StrategySummary s : strategies) {
            b.append("| ").append(escape(s.strategy())).append(" | ").append(s.trials()).append(" | ")
                    .append(s.aubc().map(MeanStd::toString).orElse("–")).append(" | ")
                    .append(s.finalAccuracy().map(MeanStd::toString).orElse("–")).append(" | ");
            for (String c : robustness) {
                MeanStd v = s.finalRobustness().get(c);
                b.append(v == null ? "–" : v.toString()).append(" | ");
            }
            b.append(formatMs(s.meanQueryMs())).append(" | ")
                    .append(s.relativeQueryTime().isPresent()
                            ? String.format(Locale.ROOT, "%.2f×", s.relativeQueryTime().getAsDouble()) : "–")
                    .append(" | ").append(formatMs(s.meanFitMs())).append(" |\n");
        }
        b.append('\n').append("AUBC (area under the accuracy-vs-labels curve, normalised by the label range) and F-acc "
                + "(final accuracy): mean ± std over trials. Times: mean per round; query time excludes the random "
                + "initial round");
        b.append(ref == null ? "; no reference strategy for relative query time.\n"
                : "; relative query time = query time / that of " + ref + ".\n");
        List<WinTieLoss.Standing> standings = winTieLoss();
        if (!standings.isEmpty()) {
            b.append("\nWin–tie–loss over trials (as Table 9 of Zhan et al. 2022: in each trial every strategy's AUBC is "
                    + "compared with every other's; a win is a lead of more than 0.5 points; ranked by 2·wins + ties):"
                    + "\n\n| Rank | Strategy | Wins | Ties | Losses |\n|---:|---|---:|---:|---:|\n");
            for (WinTieLoss.Standing w : standings) {
                b.append("| ").append(w.rank()).append(" | ").append(escape(w.strategy())).append(" | ")
                        .append(w.wins()).append(" | ").append(w.ties()).append(" | ").append(w.losses())
                        .append(" |\n");
            }
        }
        if (!robustness.isEmpty()) {
            b.append('\n').append("Robustness (seed 000, Figure 4), value after each trial's last round, mean ± std "
                    + "over trials: OOD AUROC = AUROC of out-of-distribution detection by the maximum softmax "
                    + "probability (in-distribution test set positive; held-out classes, or a separate OOD data set "
                    + "for OOD-data AUROC); shift acc and shift ECE = accuracy and ECE on the shifted test set.\n");
        }
        appendCalibration(b);
        appendAccuracyByLabels(b);
        return b.toString();
    }

    /** The measures of the calibration table: heading and value of a row. */
    private static final Map<String, ToDoubleFunction<RoundRow>> CALIBRATION_MEASURES = calibrationMeasures();

    private static Map<String, ToDoubleFunction<RoundRow>> calibrationMeasures() {
        Map<String, ToDoubleFunction<RoundRow>> m = new LinkedHashMap<>();
        m.put("ECE", RoundRow::ece);
        m.put("Brier", RoundRow::brier);
        m.put("NLL", RoundRow::nll);
        m.put("Sampling bias", RoundRow::samplingBias);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Calibration (seed 002, §4: ECE, NLL, Brier) and sampling bias (seed 000, eq. 4) of each strategy: each trial's
     * value after its last round and its mean over the trial's rounds, mean ± std over trials. Omitted when no row
     * has any of them.
     */
    private void appendCalibration(StringBuilder b) {
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        List<String> measures = CALIBRATION_MEASURES.keySet().stream()
                .filter(m -> rows.stream().anyMatch(r -> Double.isFinite(CALIBRATION_MEASURES.get(m).applyAsDouble(r))))
                .toList();
        if (measures.isEmpty()) {
            return;
        }
        b.append("\nCalibration and sampling bias: each trial's value after its last round (\"last\") and its mean over "
                + "the trial's rounds (\"mean\"), mean ± std over trials.\n\n| Strategy |");
        measures.forEach(m -> b.append(' ').append(m).append(" (last) | ").append(m).append(" (mean) |"));
        b.append("\n|---|").append("---:|---:|".repeat(measures.size())).append('\n');
        for (Map.Entry<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> e : index.entrySet()) {
            b.append("| ").append(escape(e.getKey())).append(" |");
            for (String m : measures) {
                ToDoubleFunction<RoundRow> measure = CALIBRATION_MEASURES.get(m);
                List<Double> last = new ArrayList<>();
                List<Double> mean = new ArrayList<>();
                for (TreeMap<Integer, RoundRow> rounds : e.getValue().values()) {
                    double[] values = rounds.values().stream().mapToDouble(measure).filter(Double::isFinite).toArray();
                    if (values.length > 0) {
                        last.add(values[values.length - 1]);
                        mean.add(Arrays.stream(values).sum() / values.length);
                    }
                }
                b.append(' ').append(meanStd(last).map(MeanStd::toString).orElse("–")).append(" | ")
                        .append(meanStd(mean).map(MeanStd::toString).orElse("–")).append(" |");
            }
            b.append('\n');
        }
    }

    /**
     * The mean accuracy curve of every strategy as a table: one line per labeled count (the mean over trials of the
     * round's labeled count), one column per strategy (mean test accuracy over the trials that have that round).
     */
    private void appendAccuracyByLabels(StringBuilder b) {
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        TreeMap<Double, Map<String, Double>> table = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> e : index.entrySet()) {
            Curves.Curve curve = Curves.mean(e.getValue(), RoundRow::accuracy);
            for (int i = 0; i < curve.x().length; i++) {
                table.computeIfAbsent(curve.x()[i], x -> new LinkedHashMap<>()).put(e.getKey(), curve.mean()[i]);
            }
        }
        if (table.isEmpty()) {
            return;
        }
        b.append("\nMean test accuracy over trials at each number of labels (the curves of accuracy-vs-labels):\n\n"
                + "| Labels |");
        index.keySet().forEach(s -> b.append(' ').append(escape(s)).append(" |"));
        b.append("\n|---:|").append("---:|".repeat(index.size())).append('\n');
        for (Map.Entry<Double, Map<String, Double>> line : table.entrySet()) {
            double x = line.getKey();
            b.append("| ").append(x == Math.rint(x) ? String.valueOf((long) x)
                    : String.format(Locale.ROOT, "%.1f", x)).append(" |");
            for (String s : index.keySet()) {
                Double v = line.getValue().get(s);
                b.append(' ').append(v == null ? "–" : String.format(Locale.ROOT, "%.4f", v)).append(" |");
            }
            b.append('\n');
        }
    }

    /** The report column names of the robustness measures, their headings in the table, in table order. */
    private static final Map<String, String> ROBUSTNESS_HEADINGS = robustnessHeadings();

    private static Map<String, String> robustnessHeadings() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(ExperimentLog.OOD_AUROC, "OOD AUROC");
        h.put(ExperimentLog.OOD_DATA_AUROC, "OOD-data AUROC");
        h.put(ExperimentLog.SHIFT_ACCURACY, "Shift acc");
        h.put(ExperimentLog.SHIFT_ECE, "Shift ECE");
        return Collections.unmodifiableMap(h);
    }

    private static final Map<String, ToDoubleFunction<RoundRow>> ROBUSTNESS_MEASURES = Map.of(
            ExperimentLog.OOD_AUROC, RoundRow::oodAuroc, ExperimentLog.OOD_DATA_AUROC, RoundRow::oodDataAuroc,
            ExperimentLog.SHIFT_ACCURACY, RoundRow::shiftAccuracy, ExperimentLog.SHIFT_ECE, RoundRow::shiftEce);

    /** The robustness measures some strategy has, in table order. */
    private List<String> robustnessColumns() {
        List<String> present = new ArrayList<>();
        for (String c : ROBUSTNESS_HEADINGS.keySet()) {
            if (strategies.stream().anyMatch(s -> s.finalRobustness().containsKey(c))) {
                present.add(c);
            }
        }
        return present;
    }

    /**
     * Writes {@link #toMarkdown()} to {@code file} (UTF-8), atomically: a reader sees the old file or the new one.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeMarkdown(Path file) throws IOException {
        Checks.checkNotNull(file, "file");
        byte[] text = toMarkdown().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(text));
    }

    /** The Markdown table. */
    @Override
    public String toString() {
        return toMarkdown();
    }

    /**
     * One strategy's line of the table.
     *
     * @param strategy the strategy's name
     * @param trials the number of trials in the rows
     * @param aubc AUBC over the trials that evaluated accuracy, if any did
     * @param finalAccuracy F-acc over the trials that evaluated accuracy, if any did
     * @param meanQueryMs mean query time per round after round 0, NaN when there is no such round
     * @param meanFitMs mean training time per round
     * @param relativeQueryTime {@code meanQueryMs} divided by the reference's, when there is a reference with a
     *     positive query time
     * @param finalRobustness the robustness measures the rows hold, by report column ({@value ExperimentLog#OOD_AUROC},
     *     {@value ExperimentLog#OOD_DATA_AUROC}, {@value ExperimentLog#SHIFT_ACCURACY}, {@value ExperimentLog#SHIFT_ECE},
     *     in that order): each trial's value in its last round that has one, mean ± std over the trials that have it;
     *     empty when none is measured
     */
    public record StrategySummary(String strategy, int trials, Optional<MeanStd> aubc, Optional<MeanStd> finalAccuracy,
            double meanQueryMs, double meanFitMs, OptionalDouble relativeQueryTime,
            Map<String, MeanStd> finalRobustness) {

        /** Copies the map. */
        public StrategySummary {
            Checks.checkNotNull(finalRobustness, "finalRobustness");
            finalRobustness = Collections.unmodifiableMap(new LinkedHashMap<>(finalRobustness));
        }

        /** A line without robustness measures. */
        public StrategySummary(String strategy, int trials, Optional<MeanStd> aubc, Optional<MeanStd> finalAccuracy,
                double meanQueryMs, double meanFitMs, OptionalDouble relativeQueryTime) {
            this(strategy, trials, aubc, finalAccuracy, meanQueryMs, meanFitMs, relativeQueryTime, Map.of());
        }
    }

    private static List<StrategySummary> summarise(List<RoundRow> rows, String reference) {
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        List<String> names = new ArrayList<>(index.keySet());
        String ref = resolveReference(names, reference);
        double refQuery = ref == null ? Double.NaN : meanQueryMs(index.get(ref));
        List<StrategySummary> result = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> e : index.entrySet()) {
            List<Double> aubc = new ArrayList<>();
            List<Double> facc = new ArrayList<>();
            double fitSum = 0;
            int fitCount = 0;
            for (Map.Entry<Integer, TreeMap<Integer, RoundRow>> trial : e.getValue().entrySet()) {
                List<RoundRow> withAccuracy = new ArrayList<>();
                for (RoundRow r : trial.getValue().values()) {
                    if (Double.isFinite(r.accuracy())) {
                        withAccuracy.add(r);
                    }
                    if (Double.isFinite(r.fitMs())) {
                        fitSum += r.fitMs();
                        fitCount++;
                    }
                }
                if (!withAccuracy.isEmpty()) {
                    aubc.add(trialAubc(e.getKey(), trial.getKey(), withAccuracy));
                    facc.add(withAccuracy.get(withAccuracy.size() - 1).accuracy());
                }
            }
            double query = meanQueryMs(e.getValue());
            OptionalDouble relative = refQuery > 0 && Double.isFinite(query) ? OptionalDouble.of(query / refQuery)
                    : OptionalDouble.empty();
            result.add(new StrategySummary(e.getKey(), e.getValue().size(), meanStd(aubc), meanStd(facc), query,
                    fitCount == 0 ? Double.NaN : fitSum / fitCount, relative, finalRobustness(e.getValue())));
        }
        return Collections.unmodifiableList(result);
    }

    /** The AUBC of one trial's rounds that have an accuracy, in round order. */
    private static double trialAubc(String strategy, int trial, List<RoundRow> withAccuracy) {
        int[] labeled = withAccuracy.stream().mapToInt(RoundRow::labeled).toArray();
        double[] accuracy = withAccuracy.stream().mapToDouble(RoundRow::accuracy).toArray();
        try {
            return Metrics.aubc(labeled, accuracy);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("strategy '" + strategy + "', trial " + trial + ": " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Win–tie–loss standings of the strategies, as in seed 003's Table 9 (Zhan et al. 2022: a win is an AUBC lead of
     * more than {@link WinTieLoss#DEFAULT_MARGIN}, ranked by {@code 2·wins + ties}), with each trial number as one
     * comparison (the strategies of one trial share its seed, so its initial labels): over the trials that every
     * strategy completed with an accuracy. Empty when fewer than two strategies share a trial.
     */
    public List<WinTieLoss.Standing> winTieLoss() {
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = Curves.index(rows);
        Map<String, Map<String, Double>> byTrial = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> e : index.entrySet()) {
            for (Map.Entry<Integer, TreeMap<Integer, RoundRow>> trial : e.getValue().entrySet()) {
                List<RoundRow> withAccuracy = trial.getValue().values().stream()
                        .filter(r -> Double.isFinite(r.accuracy())).toList();
                if (!withAccuracy.isEmpty()) {
                    byTrial.computeIfAbsent(String.format(Locale.ROOT, "trial %05d", trial.getKey()),
                            t -> new TreeMap<>()).put(e.getKey(), trialAubc(e.getKey(), trial.getKey(), withAccuracy));
                }
            }
        }
        byTrial.values().removeIf(scores -> scores.size() < index.size());
        if (index.size() < 2 || byTrial.isEmpty()) {
            return List.of();
        }
        return WinTieLoss.DEFAULT.rank(byTrial);
    }

    /** Per robustness measure present: each trial's last finite value, mean ± std over trials. */
    private static Map<String, MeanStd> finalRobustness(Map<Integer, TreeMap<Integer, RoundRow>> trials) {
        Map<String, MeanStd> result = new LinkedHashMap<>();
        for (String column : ROBUSTNESS_HEADINGS.keySet()) {
            ToDoubleFunction<RoundRow> measure = ROBUSTNESS_MEASURES.get(column);
            List<Double> finals = new ArrayList<>();
            for (TreeMap<Integer, RoundRow> rounds : trials.values()) {
                for (RoundRow r : rounds.descendingMap().values()) {
                    double v = measure.applyAsDouble(r);
                    if (Double.isFinite(v)) {
                        finals.add(v);
                        break;
                    }
                }
            }
            meanStd(finals).ifPresent(ms -> result.put(column, ms));
        }
        return result;
    }

    /** Mean query time over the rounds after round 0 of every trial; NaN when there is none. */
    static double meanQueryMs(Map<Integer, TreeMap<Integer, RoundRow>> trials) {
        double sum = 0;
        int count = 0;
        for (TreeMap<Integer, RoundRow> rounds : trials.values()) {
            for (RoundRow r : rounds.values()) {
                if (r.round() > 0 && Double.isFinite(r.queryMs())) {
                    sum += r.queryMs();
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The explicit reference, else the strategy named entropy, else null. */
    static String resolveReference(List<String> names, String explicit) {
        if (explicit != null) {
            return names.contains(explicit) ? explicit : null;
        }
        for (String name : names) {
            if (name.equalsIgnoreCase("entropy") || name.equals("Strategies.entropy()")) {
                return name;
            }
        }
        return null;
    }

    private static Optional<MeanStd> meanStd(List<Double> values) {
        return values.isEmpty() ? Optional.empty()
                : Optional.of(Metrics.meanStd(values.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static String formatMs(double ms) {
        if (!Double.isFinite(ms)) {
            return "–";
        }
        String pattern = ms >= 100 ? "%.0f ms" : ms >= 1 ? "%.1f ms" : "%.3f ms";
        return String.format(Locale.ROOT, pattern, ms);
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentSummary s && s.rows.equals(rows) && Objects.equals(s.reference,
                reference);
    }

    @Override
    public int hashCode() {
        return 31 * rows.hashCode() + Objects.hashCode(reference);
    }
}
