package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.Answers;
import dev.al4j.core.LabelRecord;
import dev.al4j.core.LabelStore;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.LoopListener;
import dev.al4j.core.LoopResult;
import dev.al4j.core.NearestMeanLearner;
import dev.al4j.core.Oracle;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.RoundResult;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.metrics.Metrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CEAL in the loop never touches the oracle's side of the books: with a strategy whose queries do not depend on the
 * model (random sampling), a run with {@link Strategies#ceal()} and one without ask the same ids in every round, get
 * the same answers, spend the same budget and report the same labeled counts and sampling bias; only the training
 * data differ. And a pseudo-labeled id is never a labeled id nor one of its round's queried ids.
 */
class CealLoopPropertiesTest {

    /** {@code n} points in 2-d around {@code k} centres on a circle of radius 3, unit noise; label = centre. */
    record Blobs(Pool pool, int[] truth) {
        static Blobs of(int n, int k, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            double[][] x = new double[n][2];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(k);
                double angle = 2 * Math.PI * y[i] / k;
                x[i][0] = 3 * Math.cos(angle) + TestModels.gaussian(random);
                x[i][1] = 3 * Math.sin(angle) + TestModels.gaussian(random);
            }
            return new Blobs(Pool.of(PoolInputs.of(Nd4j.create(x)), k), y);
        }
    }

    /** What one run did on the oracle's side, and its pseudo-labels. */
    static final class Books implements LoopListener {
        final Map<Integer, int[]> queried = new TreeMap<>();
        final List<int[]> oracleCalls = new ArrayList<>();
        LoopResult result;
        List<LabelRecord> records;
        int acquired;

        @Override
        public void onQueryDone(int round, Selection selection) {
            queried.put(round, selection.ids());
        }
    }

    static Books run(Blobs data, int batch, int subset, long seed, Ceal ceal) {
        Books books = new Books();
        Oracle simulated = Oracles.simulated(data.truth());
        Oracle counting = ids -> {
            books.oracleCalls.add(ids.clone());
            Answers a = simulated.label(ids);
            return a;
        };
        LabelStore store = LabelStore.inMemory();
        LoopBuilder builder = ActiveLearningLoop.builder().pool(data.pool())
                .learner(new NearestMeanLearner()).strategy(Strategies.random().withSeed(seed)).oracle(counting)
                .initialSize(batch).batchSize(batch).budget(Math.min(data.pool().size(), 6 * batch))
                .candidateSubsetSize(subset).seed(seed).labelStore(store).listener(books);
        if (ceal != null) {
            builder.pseudoLabels(ceal);
        }
        try (ActiveLearningLoop loop = builder.build()) {
            books.result = loop.run();
            books.acquired = loop.acquired();
        }
        books.records = store.records();
        return books;
    }

    @Property(tries = 25)
    void pseudoLabelsAreNeverOracleLabels(@ForAll @IntRange(min = 20, max = 80) int n,
            @ForAll @IntRange(min = 2, max = 4) int k, @ForAll @IntRange(min = 1, max = 8) int batch,
            @ForAll @IntRange(min = 0, max = 40) int subset, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.05, max = 1.2) double threshold,
            @ForAll @DoubleRange(min = 0, max = 0.2) double decay) {
        Blobs data = Blobs.of(n, k, seed);
        Books plain = run(data, batch, subset, seed, null);
        Books ceal = run(data, batch, subset, seed, Strategies.ceal().withThreshold(threshold).withDecay(decay));

        // The same queries, oracle calls, budget spent and final labels.
        assertEquals(plain.queried.keySet(), ceal.queried.keySet());
        plain.queried.forEach((round, ids) -> assertArrayEquals(ids, ceal.queried.get(round), "round " + round));
        assertEquals(plain.oracleCalls.size(), ceal.oracleCalls.size(), "oracle calls");
        for (int i = 0; i < plain.oracleCalls.size(); i++) {
            assertArrayEquals(plain.oracleCalls.get(i), ceal.oracleCalls.get(i), "oracle call " + i);
        }
        assertEquals(plain.acquired, ceal.acquired, "budget spent");
        Pool a = plain.result.finalPool();
        Pool b = ceal.result.finalPool();
        assertArrayEquals(a.labeled(), b.labeled());
        assertArrayEquals(a.labelsOf(a.labeled()), b.labelsOf(b.labeled()));
        assertEquals(plain.result.stopReason(), ceal.result.stopReason());
        // The same labeled counts, answers, class counts and sampling bias in every round's report.
        assertEquals(plain.result.rounds().size(), ceal.result.rounds().size());
        for (int i = 0; i < plain.result.rounds().size(); i++) {
            RoundResult p = plain.result.rounds().get(i);
            RoundResult c = ceal.result.rounds().get(i);
            assertEquals(p.labeledCount(), c.labeledCount());
            assertEquals(p.queried(), c.queried());
            assertEquals(p.answered(), c.answered());
            assertArrayEquals(p.labeledClassCounts(), c.labeledClassCounts());
            assertEquals(Metrics.samplingBias(p.labeledClassCounts()), Metrics.samplingBias(c.labeledClassCounts()));
            assertEquals(0, p.pseudoLabels());
        }
        assertEquals(oracle(plain.records), oracle(ceal.records), "the oracle records are the same");

        // Pseudo-labels: never a labeled id, never one of the round's queried ids, one record per id and round.
        Set<Integer> labeledSoFar = new HashSet<>();
        int pseudoTotal = 0;
        for (RoundResult r : ceal.result.rounds()) {
            int t = r.round();
            Set<Integer> queried = new HashSet<>();
            for (int id : ceal.queried.get(t)) {
                queried.add(id);
            }
            labeledSoFar.addAll(queried); // the simulated oracle answers every id asked
            Set<Integer> pseudo = new HashSet<>();
            for (LabelRecord rec : ceal.records) {
                if (rec.source() == LabelRecord.Source.PSEUDO && rec.round() == t) {
                    assertTrue(pseudo.add(rec.id()), "id " + rec.id() + " pseudo-labeled twice in round " + t);
                    assertFalse(queried.contains(rec.id()), "pseudo-labeled id " + rec.id() + " was queried in round "
                            + t);
                    assertFalse(labeledSoFar.contains(rec.id()), "pseudo-labeled id " + rec.id() + " has an oracle "
                            + "label by round " + t);
                    assertTrue(rec.label() >= 0 && rec.label() < k);
                }
            }
            assertTrue(t > 0 || pseudo.isEmpty(), "round 0 has no model, so no pseudo-labels");
            assertEquals(pseudo.size(), r.pseudoLabels(), "round " + t);
            pseudoTotal += pseudo.size();
        }
        assertEquals(pseudoTotal, ceal.records.size() - oracle(ceal.records).size());
        // Not vacuous: most generated runs do pseudo-label something.
        Statistics.label("run has pseudo-labels").collect(pseudoTotal > 0);
        Statistics.label("run has pseudo-labels").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    private static List<String> oracle(List<LabelRecord> records) {
        return records.stream().filter(r -> r.source() == LabelRecord.Source.ORACLE)
                .map(r -> r.round() + ":" + r.id() + ":" + r.label()).toList();
    }

    @Property(tries = 10)
    void cealDoesPseudoLabelOnEasyData(@ForAll long seed) {
        // Well-separated blobs with threshold 1 nat: the nearest-mean model is sure of many candidates in round 1.
        Books ceal = run(Blobs.of(60, 2, seed), 6, 0, seed, Strategies.ceal().withThreshold(1.0).withDecay(0));
        assertTrue(ceal.result.rounds().get(1).pseudoLabels() > 0, ceal.result.rounds()::toString);
    }
}
