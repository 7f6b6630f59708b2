package dev.al4j.metrics;

import dev.al4j.core.Checks;
import dev.al4j.core.LabelRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which classes each query asked about: for chosen classes, their share of the oracle's answers in every query of a
 * run, averaged over trials. The measure of seed 004's Figure 3 (Bhatnagar et al., "PAL"): from an initial pool
 * without two classes, a strategy that finds them "over-samples the previously missing classes" in its first
 * queries, while random sampling asks about them at their share of the unlabeled pool.
 *
 * <p>Only {@link LabelRecord.Source#ORACLE} records count (pseudo-labels are not queries); a run's queries are its
 * rounds with oracle answers, numbered 1, 2, … in round order. The labels are the oracle's answers, so under label
 * noise they are the noisy ones. Cost: {@code O(R)} for {@code R} records. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueriedClasses shares = QueriedClasses.of(new int[] {8, 9});
 * shares = shares.withTrial("pal", store.records("pal#1")).withTrial("pal", store.records("pal#2"));
 * String table = shares.toMarkdown();
 * }</pre>
 */
public final class QueriedClasses {

    private final int[] classes;
    /** strategy → trials → share per query (query 1 first). */
    private final Map<String, List<double[]>> shares;

    private QueriedClasses(int[] classes, Map<String, List<double[]>> shares) {
        this.classes = classes;
        this.shares = shares;
    }

    /**
     * No trials yet, for the given classes.
     *
     * @throws IllegalArgumentException when {@code classes} is empty, holds a negative class or a class twice
     */
    public static QueriedClasses of(int[] classes) {
        Checks.checkNotNull(classes, "classes");
        Checks.checkArgument(classes.length > 0, "classes must name at least one class, found none");
        int[] sorted = classes.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            Checks.checkArgument(sorted[i] >= 0, "classes must be >= 0, found %d", sorted[i]);
            Checks.checkArgument(i == 0 || sorted[i] != sorted[i - 1], "classes must differ, found %d twice",
                    sorted[i]);
        }
        return new QueriedClasses(sorted, Map.of());
    }

    /**
     * These shares and one more trial of {@code strategy}: the share of {@link #classes()} among the oracle answers
     * of each of its queries.
     *
     * @throws IllegalArgumentException when {@code records} holds no oracle answer
     */
    public QueriedClasses withTrial(String strategy, List<LabelRecord> records) {
        Checks.checkNotNull(strategy, "strategy");
        Checks.checkNotNull(records, "records");
        TreeMap<Integer, int[]> perRound = new TreeMap<>(); // round → {answers, answers in classes}
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.ORACLE) {
                int[] counts = perRound.computeIfAbsent(r.round(), k -> new int[2]);
                counts[0]++;
                if (Arrays.binarySearch(classes, r.label()) >= 0) {
                    counts[1]++;
                }
            }
        }
        Checks.checkArgument(!perRound.isEmpty(), "the records of a trial of %s hold no oracle answer", strategy);
        double[] trial = perRound.values().stream().mapToDouble(c -> (double) c[1] / c[0]).toArray();
        Map<String, List<double[]>> next = new LinkedHashMap<>();
        shares.forEach((s, trials) -> next.put(s, List.copyOf(trials)));
        List<double[]> trials = new ArrayList<>(next.getOrDefault(strategy, List.of()));
        trials.add(trial);
        next.put(strategy, List.copyOf(trials));
        return new QueriedClasses(classes, next);
    }

    /** The classes whose share is measured, ascending. */
    public int[] classes() {
        return classes.clone();
    }

    /** The strategies, in the order their first trial was added. */
    public List<String> strategies() {
        return List.copyOf(shares.keySet());
    }

    /**
     * The mean share over the trials of {@code strategy} that reached query {@code query} (1-based).
     *
     * @throws IllegalArgumentException when the strategy is unknown or no trial reached that query
     */
    public MeanStd share(String strategy, int query) {
        List<double[]> trials = shares.get(strategy);
        Checks.checkArgument(trials != null, "no trial of %s; known: %s", strategy, shares.keySet());
        double[] values = trials.stream().filter(t -> t.length >= query && query >= 1)
                .mapToDouble(t -> t[query - 1]).toArray();
        Checks.checkArgument(values.length > 0, "no trial of %s reached query %d", strategy, query);
        return Metrics.meanStd(values);
    }

    /** The number of queries of the longest trial of any strategy. */
    public int queries() {
        return shares.values().stream().flatMap(List::stream).mapToInt(t -> t.length).max().orElse(0);
    }

    /**
     * A Markdown table: one row per query, one column per strategy, the mean share over trials (the trials that
     * reached that query), with a heading sentence naming the classes.
     */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        String names = Arrays.stream(classes).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        out.append(String.format(Locale.ROOT, "Share of classes %s among the oracle's answers to each query, mean "
                + "over trials (%s):\n\n", names, shares.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", "))));
        out.append("| Query |");
        shares.keySet().forEach(s -> out.append(' ').append(s).append(" |"));
        out.append("\n").append("|---:|");
        shares.keySet().forEach(s -> out.append("---:|"));
        out.append("\n");
        for (int q = 1; q <= queries(); q++) {
            out.append("| ").append(q).append(" |");
            for (String s : shares.keySet()) {
                final int query = q;
                boolean reached = shares.get(s).stream().anyMatch(t -> t.length >= query);
                out.append(' ').append(reached ? String.format(Locale.ROOT, "%.3f", share(s, q).mean()) : "")
                        .append(" |");
            }
            out.append("\n");
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QueriedClasses other) || !Arrays.equals(classes, other.classes)
                || !shares.keySet().equals(other.shares.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<double[]>> e : shares.entrySet()) {
            List<double[]> mine = e.getValue();
            List<double[]> theirs = other.shares.get(e.getKey());
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (int i = 0; i < mine.size(); i++) {
                if (!Arrays.equals(mine.get(i), theirs.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(classes), shares.keySet());
    }

    @Override
    public String toString() {
        return "QueriedClasses.of(" + Arrays.toString(classes) + ") with " + shares.entrySet().stream()
                .map(e -> e.getKey() + " × " + e.getValue().size()).collect(Collectors.joining(", "));
    }
}
