package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Groups report rows by strategy and trial and averages a measure over trials round by round: the data behind the
 * summary table and the charts.
 */
final class Curves {

    private Curves() {}

    /**
     * The rows by strategy (in order of first appearance), then by trial (increasing), then by round (increasing). A
     * later row for the same (strategy, trial, round) replaces an earlier one.
     */
    static Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index(Collection<RoundRow> rows) {
        Checks.checkNotNull(rows, "rows");
        Map<String, TreeMap<Integer, TreeMap<Integer, RoundRow>>> index = new LinkedHashMap<>();
        for (RoundRow r : rows) {
            Checks.checkNotNull(r, "rows element");
            index.computeIfAbsent(r.strategy(), s -> new TreeMap<>())
                    .computeIfAbsent(r.trial(), t -> new TreeMap<>())
                    .put(r.round(), r);
        }
        return index;
    }

    /**
     * The mean curve of one strategy's measure over its trials, one point per round in which at least one trial has
     * a finite value: x is the mean labeled count of those trials, y the mean and sample std of the value.
     */
    static Curve mean(Map<Integer, TreeMap<Integer, RoundRow>> trials, ToDoubleFunction<RoundRow> measure) {
        TreeMap<Integer, List<RoundRow>> byRound = new TreeMap<>();
        for (TreeMap<Integer, RoundRow> rounds : trials.values()) {
            for (RoundRow r : rounds.values()) {
                if (Double.isFinite(measure.applyAsDouble(r))) {
                    byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        int n = byRound.size();
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] std = new double[n];
        int i = 0;
        for (List<RoundRow> rs : byRound.values()) {
            double[] values = new double[rs.size()];
            double labeled = 0;
            for (int j = 0; j < values.length; j++) {
                values[j] = measure.applyAsDouble(rs.get(j));
                labeled += rs.get(j).labeled();
            }
            MeanStd ms = Metrics.meanStd(values);
            x[i] = labeled / values.length;
            mean[i] = ms.mean();
            std[i] = ms.std();
            i++;
        }
        return new Curve(x, mean, std);
    }

    /** Points of a mean curve: x, mean and std, of equal length. */
    record Curve(double[] x, double[] mean, double[] std) {
        boolean isEmpty() {
            return x.length == 0;
        }
    }
}
