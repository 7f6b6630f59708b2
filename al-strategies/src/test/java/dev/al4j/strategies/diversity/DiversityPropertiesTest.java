package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DiversityPropertiesTest {

    private static final QueryStrategy[] STRATEGIES = {
        Strategies.kCenterGreedy(), Strategies.kCenterGreedy().withPcaDimensions(2), Strategies.badge().withSeed(3),
        Strategies.kMeans().withSeed(3), Strategies.dbal().withSeed(3).withPrefilterFactor(2),
        Strategies.clusterMargin().withMarginFactor(2),
        Strategies.prefilter(Strategies.margin(), 2).then(Strategies.badge())};

    /** 2-D points with small integer coordinates, so that ties and duplicates happen. */
    private static double[][] points(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] z = new double[n][2];
        for (double[] p : z) {
            p[0] = r.nextInt(6);
            p[1] = r.nextInt(6);
        }
        return z;
    }

    private static PrecomputedModel model(int n, int k, long seed) {
        return Fixtures.model(dev.al4j.core.TestModels.softmaxRows(n, k, 2.0, new SplittableRandom(seed)),
                points(n, seed));
    }

    private static Pool pool(int n, int k, int labeled, long seed) {
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        int[] chosen = Arrays.copyOf(ids, labeled);
        int[] labels = new int[labeled];
        Arrays.setAll(labels, i -> i % k);
        return Pool.withoutInputs(n, k).withLabels(chosen, labels);
    }

    @Property(tries = 40)
    void everyStrategyReturnsExactlyMinBudgetDistinctCandidates(@ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 0, max = 100) int labeledPercent,
            @ForAll @IntRange(min = 0, max = 45) int budget, @ForAll long seed) {
        int labeled = Math.min(n - 1, n * labeledPercent / 100);
        Pool pool = pool(n, k, labeled, seed);
        PrecomputedModel model = model(n, k, seed);
        Set<Integer> candidates = new HashSet<>();
        for (int id : pool.candidates()) {
            candidates.add(id);
        }
        for (QueryStrategy s : STRATEGIES) {
            Selection sel = s.select(pool, model, budget);
            assertEquals(Math.min(budget, candidates.size()), sel.size(), s.toString());
            Set<Integer> seen = new HashSet<>();
            for (int id : sel.ids()) {
                assertTrue(candidates.contains(id), s + " picked non-candidate " + id);
                assertTrue(seen.add(id), s + " picked " + id + " twice");
            }
        }
    }

    @Property(tries = 100)
    void kCenterRadiusIsAtMostTwiceTheOptimum(@ForAll @IntRange(min = 2, max = 9) int n,
            @ForAll @IntRange(min = 0, max = 2) int labeled, @ForAll @IntRange(min = 1, max = 3) int budget,
            @ForAll long seed) {
        int total = n + labeled;
        double[][] z = points(total, seed);
        PrecomputedModel model = Fixtures.model(dev.al4j.core.TestModels.softmaxRows(total, 2, 1.0,
                new SplittableRandom(seed)), z);
        int[] labeledIds = new int[labeled];
        Arrays.setAll(labeledIds, i -> n + i);
        Pool pool = Pool.withoutInputs(total, 2).withLabels(labeledIds, new int[labeled]);
        int b = Math.min(budget, n);
        int[] picks = Strategies.kCenterGreedy().select(pool, model, b).ids();
        double greedy = radius(z, n, labeledIds, picks);
        // Brute force: every subset of b candidates as the new centres.
        double optimum = Double.POSITIVE_INFINITY;
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) == b) {
                int[] centres = new int[b];
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        centres[m++] = i;
                    }
                }
                optimum = Math.min(optimum, radius(z, n, labeledIds, centres));
            }
        }
        assertTrue(greedy <= 2 * optimum + 1e-9, "greedy " + greedy + " > 2 × optimum " + optimum);
    }

    /** max over candidates 0..n-1 of the distance to the nearest labeled point or centre. */
    private static double radius(double[][] z, int n, int[] labeled, int[] centres) {
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c : centres) {
                best = Math.min(best, Math.hypot(z[i][0] - z[c][0], z[i][1] - z[c][1]));
            }
            for (int c : labeled) {
                best = Math.min(best, Math.hypot(z[i][0] - z[c][0], z[i][1] - z[c][1]));
            }
            worst = Math.max(worst, best);
        }
        return worst;
    }
}
