package dev.al4j.examples.cli;

import dev.al4j.core.LabelStore;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.metrics.ExperimentCharts;
import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.ExperimentSummary;
import dev.al4j.metrics.QueriedClasses;
import dev.al4j.metrics.RoundRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code al4j report}: one report from the output directories of several {@code al4j run --out} runs — for an
 * experiment split over processes or sessions (e.g. some strategies in one run, the others in another, or trials
 * with different {@code --seed}s). It reads each directory's {@code rounds.csv} and writes the merged
 * {@code rounds.csv}/{@code rounds.jsonl}, {@code summary.md}, the charts and a {@code command.txt} that keeps every
 * input's own command line. The contract is in {@code docs/cli.md}.
 *
 * <p>Trials are renumbered per strategy in the order the directories are given (trial 0 of the first directory
 * that holds the strategy stays 0, the next directory's trials follow), so runs with {@code --seed 1} and
 * {@code --seed 2} of one strategy merge into trials 0 and 1. A trial that stopped early (its last labeled count is
 * below the largest of the inputs) is refused unless {@code --drop-incomplete} leaves it out: an AUBC over a shorter
 * label range is not comparable. Two trials of one strategy with the same labeled counts and the same accuracy in
 * every round are refused as one trial given twice (a run is deterministic for its seed, so two directories made with
 * the same {@code --seed} hold identical rows).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Merge the output directories of several 'al4j run --out' runs into one report: rounds.csv, "
                + "rounds.jsonl, summary.md, charts and command.txt in --out.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "2:bad input (one-line reason on stderr)", "1:internal error"})
final class ReportCommand implements Callable<Integer> {

    /** The table {@code --queried-classes} writes. */
    static final String QUERIED_CLASSES_FILE = "queried-classes.md";

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Write the merged report here (created if needed; files of those names are replaced). "
                    + "Must not be one of the inputs.")
    Path out;

    @Option(names = "--drop-incomplete",
            description = "Leave out trials that stopped before the largest labeled count of the inputs (listed on "
                    + "stderr) instead of refusing them.")
    boolean dropIncomplete;

    @Option(names = "--queried-classes", split = ",", paramLabel = "C,C...",
            description = "Also write queried-classes.md: the share of these classes among the oracle's answers to "
                    + "each query, per strategy, mean over trials, read from each input's label store (labels.db, "
                    + "read from a copy, never written). For a biased initial pool: does a strategy find the "
                    + "missing classes?")
    int[] queriedClasses;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "Output directories of 'al4j run --out', each holding rounds.csv (and command.txt).")
    List<Path> runs;

    @Override
    public Integer call() throws IOException {
        PrintStream console = System.out;
        for (Path run : runs) {
            if (!Files.isRegularFile(run.resolve(ExperimentLog.CSV_FILE))) {
                throw new IllegalArgumentException(run + ": no " + ExperimentLog.CSV_FILE + " (not an 'al4j run --out' "
                        + "directory?)");
            }
            if (Files.exists(out) && Files.isSameFile(run, out)) {
                throw new IllegalArgumentException("--out " + out + " is also an input; write the report elsewhere");
            }
        }
        if (queriedClasses != null) {
            QueriedClasses.of(queriedClasses); // checks the classes before any work
            for (Path run : runs) {
                if (!Files.isRegularFile(run.resolve(RunCommand.LABEL_STORE))) {
                    throw new IllegalArgumentException("--queried-classes: " + run + " has no "
                            + RunCommand.LABEL_STORE + " (it needs the label store 'al4j run --out' writes)");
                }
            }
        }
        List<RoundRow> rows = merge(readAll(runs), dropIncomplete, System.err);
        StringBuilder command = new StringBuilder("al4j report");
        for (String arg : reportArgs()) {
            command.append(' ').append(arg);
        }
        command.append('\n');
        for (Path run : runs) {
            Path file = run.resolve("command.txt");
            String origin = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip()
                    : "(no command.txt)";
            command.append("# ").append(run).append(": ").append(origin.replace("\n", "\n#   ")).append('\n');
        }
        try (ExperimentLog log = ExperimentLog.create(out)) {
            rows.forEach(log::append);
        }
        Files.writeString(out.resolve("command.txt"), command.toString(), StandardCharsets.UTF_8);
        ExperimentSummary summary = ExperimentSummary.of(rows);
        summary.writeMarkdown(out.resolve("summary.md"));
        List<Path> charts = new ArrayList<>(ExperimentCharts.of(rows).saveAll(out));
        console.println(summary.toMarkdown());
        if (queriedClasses != null) {
            String table = queriedClasses(rows).toMarkdown();
            Files.writeString(out.resolve(QUERIED_CLASSES_FILE), table, StandardCharsets.UTF_8);
            charts.add(out.resolve(QUERIED_CLASSES_FILE));
            console.println(table);
        }
        console.printf(Locale.ROOT, "report in %s from %d run(s), %d rows: %s, %s, summary.md, command.txt, %s%n", out,
                runs.size(), rows.size(), ExperimentLog.CSV_FILE, ExperimentLog.JSON_LINES_FILE,
                charts.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
        return 0;
    }

    /**
     * The shares of {@link #queriedClasses} in the label stores of the inputs, for the trials the report kept: a run
     * id {@code strategy#n} of an input is trial {@code n − 1} of that input (as {@code al4j run} names them).
     */
    private QueriedClasses queriedClasses(List<RoundRow> kept) throws IOException {
        Set<String> strategies = kept.stream().map(RoundRow::strategy).collect(Collectors.toSet());
        QueriedClasses shares = QueriedClasses.of(queriedClasses);
        Map<String, Integer> lastLabeled = new LinkedHashMap<>();
        kept.forEach(r -> lastLabeled.merge(r.strategy(), r.labeled(), Math::max));
        for (Path run : runs) {
            Path file = run.resolve(RunCommand.LABEL_STORE);
            List<RoundRow> runRows = ExperimentLog.readCsv(run.resolve(ExperimentLog.CSV_FILE));
            Path copy = Files.createTempFile("al4j-report-", ".db");
            try {
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                try (SqliteLabelStore store = LabelStore.sqlite(copy)) {
                    for (String id : store.runIds()) {
                        int hash = id.lastIndexOf('#');
                        String strategy = hash < 0 ? id : id.substring(0, hash);
                        int trial = hash < 0 ? 0 : Integer.parseInt(id.substring(hash + 1)) - 1;
                        int last = runRows.stream().filter(r -> r.strategy().equals(strategy) && r.trial() == trial)
                                .mapToInt(RoundRow::labeled).max().orElse(-1);
                        if (strategies.contains(strategy) && last == lastLabeled.get(strategy)) {
                            shares = shares.withTrial(strategy, store.records(id));
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(copy);
                Files.deleteIfExists(Path.of(copy + "-wal"));
                Files.deleteIfExists(Path.of(copy + "-shm"));
            }
        }
        return shares;
    }

    private List<String> reportArgs() {
        List<String> words = new ArrayList<>(List.of("--out", out.toString()));
        if (dropIncomplete) {
            words.add("--drop-incomplete");
        }
        if (queriedClasses != null) {
            words.add("--queried-classes");
            words.add(Arrays.stream(queriedClasses).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        }
        runs.forEach(r -> words.add(r.toString()));
        return words;
    }

    private static Map<Path, List<RoundRow>> readAll(List<Path> runs) throws IOException {
        Map<Path, List<RoundRow>> rows = new LinkedHashMap<>();
        for (Path run : runs) {
            if (rows.putIfAbsent(run.toAbsolutePath().normalize(),
                    ExperimentLog.readCsv(run.resolve(ExperimentLog.CSV_FILE))) != null) {
                throw new IllegalArgumentException(run + " is given twice");
            }
        }
        return rows;
    }

    /**
     * The rows of all runs, trials renumbered per strategy in input order, incomplete trials refused or (with
     * {@code dropIncomplete}) left out and listed on {@code warnings}.
     *
     * @throws IllegalArgumentException when there are no rows, a trial given twice, or an incomplete trial and not
     *     {@code dropIncomplete}
     */
    static List<RoundRow> merge(Map<Path, List<RoundRow>> runs, boolean dropIncomplete, PrintStream warnings) {
        // (run, strategy, trial) → rows in file order
        Map<TrialKey, List<RoundRow>> trials = new LinkedHashMap<>();
        runs.forEach((run, rows) -> rows.forEach(row -> trials.computeIfAbsent(
                new TrialKey(run, row.strategy(), row.trial()), k -> new ArrayList<>()).add(row)));
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("the inputs hold no rounds: " + runs.keySet());
        }
        int fullLabels = trials.values().stream().flatMap(List::stream).mapToInt(RoundRow::labeled).max().orElse(0);
        List<String> incomplete = new ArrayList<>();
        Map<String, Integer> nextTrial = new LinkedHashMap<>();
        Map<String, Map<List<Double>, Integer>> curves = new LinkedHashMap<>(); // strategy → curve → merged trial
        List<RoundRow> merged = new ArrayList<>();
        for (Map.Entry<TrialKey, List<RoundRow>> e : trials.entrySet()) {
            TrialKey key = e.getKey();
            List<RoundRow> rows = e.getValue();
            int last = rows.get(rows.size() - 1).labeled();
            if (last < fullLabels) {
                incomplete.add(String.format(Locale.ROOT, "%s trial %d in %s (%d of %d labels)", key.strategy(),
                        key.trial(), key.run(), last, fullLabels));
                continue;
            }
            int trial = nextTrial.merge(key.strategy(), 1, Integer::sum) - 1;
            Integer twin = curves.computeIfAbsent(key.strategy(), k -> new LinkedHashMap<>()).putIfAbsent(curve(rows),
                    trial);
            if (twin != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: merged trials %d and %d have "
                        + "identical rounds (the same --seed given to two runs?)", key.strategy(), twin, trial));
            }
            for (RoundRow row : rows) {
                merged.add(row.withTrial(trial));
            }
        }
        if (!incomplete.isEmpty()) {
            if (!dropIncomplete) {
                throw new IllegalArgumentException("incomplete trial(s): " + String.join("; ", incomplete)
                        + "; rerun them or add --drop-incomplete");
            }
            incomplete.forEach(t -> warnings.println("al4j report: leaving out the incomplete " + t));
        }
        if (merged.isEmpty()) {
            throw new IllegalArgumentException("no complete trial in the inputs");
        }
        return merged;
    }

    /** A trial's (labeled, accuracy) pairs in round order: equal for two runs of one seed. */
    private static List<Double> curve(List<RoundRow> rows) {
        List<Double> curve = new ArrayList<>(2 * rows.size());
        for (RoundRow row : rows) {
            curve.add((double) row.labeled());
            curve.add(row.accuracy());
        }
        return curve;
    }

    private record TrialKey(Path run, String strategy, int trial) {
    }
}
