package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Win–tie–loss ranking of strategies across data sets, as in Table 9 of Zhan, Wang, Huang, Xiong, Dou and Chan, "A
 * Comparative Survey of Deep Active Learning" (2022). On every data set, every ordered pair of strategies
 * {@code (i, j)} is compared on a score where higher is better (typically the mean AUBC over trials, as a fraction in
 * [0, 1]): {@code i} wins when {@code s_i − s_j > margin}, loses when {@code s_j − s_i > margin}, and ties otherwise.
 * Wins, ties and losses are summed over opponents and data sets; strategies are ranked by {@code 2·wins + ties}
 * (equal totals share a rank, "1224" style; the listing breaks such ties by more wins, then by name).
 *
 * <p>The default margin is {@value #DEFAULT_MARGIN}, i.e. 0.5 percentage points of a score in [0, 1]. Cost:
 * {@code O(D·S²)} for {@code D} data sets and {@code S} strategies. Immutable and thread-safe.
 *
 * <pre>{@code
 * Map<String, Map<String, Double>> aubc = Map.of("fashion-mnist", Map.of("random", 0.71, "entropy", 0.74));
 * List<WinTieLoss.Standing> table = Metrics.winTieLoss().rank(aubc);
 * }</pre>
 */
public final class WinTieLoss {

    /** A win needs a lead of more than this: 0.5 percentage points of a score in [0, 1]. */
    public static final double DEFAULT_MARGIN = 0.005;

    static final WinTieLoss DEFAULT = new WinTieLoss(DEFAULT_MARGIN);

    private final double margin;

    private WinTieLoss(double margin) {
        this.margin = margin;
    }

    /**
     * The same ranking with another margin (same unit as the scores).
     *
     * @throws IllegalArgumentException unless {@code margin} is finite and {@code >= 0}
     */
    public WinTieLoss withMargin(double margin) {
        Checks.checkArgument(margin >= 0 && margin < Double.POSITIVE_INFINITY,
                "margin must be finite and >= 0, found %s", margin);
        return new WinTieLoss(margin);
    }

    /** The lead a win needs. */
    public double margin() {
        return margin;
    }

    /**
     * Ranks strategies.
     *
     * @param scoresByDataset for each data set, the score of each strategy (higher is better); every data set must
     *     score the same strategies
     * @return one standing per strategy, best first
     * @throws IllegalArgumentException when there is no data set or strategy, when the data sets disagree on the
     *     strategies, or when a score is NaN or infinite
     */
    public List<Standing> rank(Map<String, ? extends Map<String, Double>> scoresByDataset) {
        Checks.checkNotNull(scoresByDataset, "scoresByDataset");
        Checks.checkArgument(!scoresByDataset.isEmpty(), "scoresByDataset must hold at least one data set, found 0");
        Set<String> strategies = null;
        String firstDataset = null;
        for (Map.Entry<String, ? extends Map<String, Double>> e : scoresByDataset.entrySet()) {
            Map<String, Double> scores = Checks.checkNotNull(e.getValue(), "scores of data set " + e.getKey());
            Checks.checkArgument(!scores.isEmpty(), "data set '%s' must score at least one strategy, found none",
                    e.getKey());
            for (Map.Entry<String, Double> s : scores.entrySet()) {
                Double v = s.getValue();
                Checks.checkArgument(v != null && Double.isFinite(v),
                        "score of strategy '%s' on data set '%s' must be finite, found %s", s.getKey(), e.getKey(), v);
            }
            if (strategies == null) {
                strategies = new TreeSet<>(scores.keySet());
                firstDataset = e.getKey();
            } else {
                Checks.checkArgument(strategies.equals(new TreeSet<>(scores.keySet())),
                        "every data set must score the same strategies: '%s' has %s, '%s' has %s", firstDataset,
                        strategies, e.getKey(), new TreeSet<>(scores.keySet()));
            }
        }
        List<String> names = new ArrayList<>(strategies);
        Map<String, int[]> wtl = new LinkedHashMap<>();
        for (String name : names) {
            wtl.put(name, new int[3]);
        }
        for (Map<String, Double> scores : scoresByDataset.values()) {
            for (String a : names) {
                int[] counts = wtl.get(a);
                double sa = scores.get(a);
                for (String b : names) {
                    if (a.equals(b)) {
                        continue;
                    }
                    double sb = scores.get(b);
                    if (sa - sb > margin) {
                        counts[0]++;
                    } else if (sb - sa > margin) {
                        counts[2]++;
                    } else {
                        counts[1]++;
                    }
                }
            }
        }
        List<Standing> unranked = new ArrayList<>();
        for (String name : names) {
            int[] c = wtl.get(name);
            unranked.add(new Standing(name, c[0], c[1], c[2], 2 * c[0] + c[1], 0));
        }
        unranked.sort(Comparator.comparingInt(Standing::score).reversed()
                .thenComparing(Comparator.comparingInt(Standing::wins).reversed())
                .thenComparing(Standing::strategy));
        List<Standing> ranked = new ArrayList<>(unranked.size());
        for (int i = 0; i < unranked.size(); i++) {
            Standing s = unranked.get(i);
            int rank = i > 0 && unranked.get(i - 1).score() == s.score() ? ranked.get(i - 1).rank() : i + 1;
            ranked.add(new Standing(s.strategy(), s.wins(), s.ties(), s.losses(), s.score(), rank));
        }
        return Collections.unmodifiableList(ranked);
    }

    /**
     * One strategy's totals.
     *
     * @param strategy the strategy's name
     * @param wins pairwise comparisons won, over all opponents and data sets
     * @param ties pairwise comparisons within the margin
     * @param losses pairwise comparisons lost
     * @param score {@code 2·wins + ties}
     * @param rank 1 for the best; equal scores share a rank
     */
    public record Standing(String strategy, int wins, int ties, int losses, int score, int rank) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof WinTieLoss w && Double.compare(w.margin, margin) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(WinTieLoss.class, margin);
    }

    @Override
    public String toString() {
        return margin == DEFAULT_MARGIN ? "Metrics.winTieLoss()" : "Metrics.winTieLoss().withMargin(" + margin + ")";
    }
}
