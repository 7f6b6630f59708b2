package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import dev.al4j.core.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link SuggestiveAnnotation} (Yang et al. 2017): the greedy max-cover by hand on a tiny cosine matrix, the whole
 * query against a naive in-test reference, the bootstrap resample, and the query contract.
 */
class SuggestiveAnnotationTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.suggestiveAnnotation();
    }

    /** A committee of three random members with 4-d embeddings. */
    @Override
    protected Model model(Pool pool, long seed) {
        List<Model> members = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            members.add(TestModels.random(pool.size(), pool.numClasses(), 4, 1, seed * 31 + c));
        }
        return Committee.of(members);
    }

    @Test
    void greedyMaxCoverByHand() {
        // Three candidates (ids 10, 11, 12) against four unlabeled samples.
        float[] similarity = {
            1.0f, 0.9f, 0.1f, 0.0f, // id 10: sum 2.0
            0.2f, 0.1f, 1.0f, 0.8f, // id 11: sum 2.1
            0.9f, 1.0f, 0.3f, 0.2f, // id 12: sum 2.4
        };
        double[] gains = new double[3];
        int[] picks = SuggestiveAnnotation.greedyMaxCover(similarity, new int[] {10, 11, 12}, 4, 3, gains);
        // Step 1: F({s}) is the row sum, id 12 (2.4) wins; cover = [.9, 1, .3, .2].
        // Step 2: gains Σ max(0, s − cover): id 10: .1; id 11: .7 + .6 = 1.3, so id 11, the one unlike id 12.
        // Step 3: id 10, gain .1 (cover [.9, 1, 1, .8]).
        assertArrayEquals(new int[] {2, 1, 0}, picks);
        assertArrayEquals(new double[] {2.4, 1.3, 0.1}, gains, 1e-6);
        // Pure uncertainty would have kept the order of S_c; with b = 2 the cover takes 12 then 11.
        double[] two = new double[2];
        assertArrayEquals(new int[] {2, 1}, SuggestiveAnnotation.greedyMaxCover(similarity, new int[] {10, 11, 12}, 4,
                2, two));
    }

    @Test
    void greedyTiesGoToTheLowerId() {
        float[] similarity = {
            0.5f, 0.5f, // id 9
            0.5f, 0.5f, // id 4, the same row
            0.5f, 0.5f, // id 6, the same row
        };
        int[] picks = SuggestiveAnnotation.greedyMaxCover(similarity, new int[] {9, 4, 6}, 2, 3, new double[3]);
        assertArrayEquals(new int[] {1, 2, 0}, picks); // ids 4, 6, 9: every later gain is 0
    }

    @Test
    void negativeCosinesCountInTheFirstPick() {
        // F({s}) = Σ cos, so a row of negative cosines is not worth a zero cover: id 1 (sum −0.1) beats id 0 (−1.0).
        float[] similarity = {-0.5f, -0.5f, 0.4f, -0.5f};
        double[] gains = new double[1];
        assertArrayEquals(new int[] {1}, SuggestiveAnnotation.greedyMaxCover(similarity, new int[] {0, 1}, 2, 1,
                gains));
        assertEquals(-0.1, gains[0], 1e-6);
    }

    @Test
    void meanVarianceOfThreeHandMembers() {
        // Sample 0: per-class population variances over members {.6,.2,.5}: 0.0866667/3, {.3,.5,.1}: 0.08/3,
        // {.1,.3,.4}: 0.0466667/3; their mean 0.0237037. Sample 1: identical members, 0.
        float[][] members = {{0.6f, 0.3f, 0.1f, 0.8f, 0.1f, 0.1f}, {0.2f, 0.5f, 0.3f, 0.8f, 0.1f, 0.1f},
            {0.5f, 0.1f, 0.4f, 0.8f, 0.1f, 0.1f}};
        assertArrayEquals(new double[] {0.0237037, 0}, UncertaintyScores.meanVariance(members, 2, 3), 1e-7);
    }

    /** A committee of {@code c} members over {@code n} ids with random probabilities and d-dim embeddings. */
    private static Committee randomCommittee(int n, int k, int c, int d, long seed) {
        List<Model> members = new ArrayList<>();
        for (int m = 0; m < c; m++) {
            members.add(TestModels.random(n, k, d, 1, seed * 131 + m));
        }
        return Committee.of(members);
    }

    @Test
    void equalsANaiveReference() {
        for (long seed = 1; seed <= 2; seed++) {
            int n = 90;
            int k = 4;
            Committee committee = randomCommittee(n, k, 3, 5, seed);
            Pool pool = pool(n, k, 15, seed);
            for (int factor : new int[] {1, 3}) {
                for (int budget : new int[] {1, 7, 20}) {
                    SuggestiveAnnotation sa = Strategies.suggestiveAnnotation().withCandidateFactor(factor);
                    Selection s = sa.select(pool, committee, budget);
                    double[] naiveGains = new double[Math.min(budget, pool.candidates().length)];
                    int[] naive = naiveSuggestiveAnnotation(pool, committee, budget, factor, naiveGains);
                    String what = "seed " + seed + ", factor " + factor + ", budget " + budget;
                    assertArrayEquals(naive, s.ids(), what);
                    assertArrayEquals(naiveGains, s.scores().orElseThrow(), 1e-4, what);
                }
            }
        }
    }

    /**
     * The textbook algorithm in double precision: u(x) = mean over classes of the population variance across
     * members; S_c the factor·b most uncertain (ties to the lower id); then b times the candidate of S_c maximising
     * F(S ∪ {s}) = Σ_{x unlabeled candidate} max_{t ∈ S ∪ {s}} cos(x, t), F recomputed from scratch, with cos the
     * mean over members of the cosine of their embeddings.
     */
    private static int[] naiveSuggestiveAnnotation(Pool pool, Committee committee, int budget, int factor,
            double[] gains) {
        int[] unlabeled = pool.candidates();
        int n = unlabeled.length;
        int k = pool.numClasses();
        int c = committee.size();
        double[][][] p = new double[c][][];
        double[][][] e = new double[c][][];
        for (int m = 0; m < c; m++) {
            PrecomputedModel member = (PrecomputedModel) committee.members().get(m);
            p[m] = member.probabilities(pool, unlabeled).castTo(DataType.DOUBLE).toDoubleMatrix();
            e[m] = member.predict(pool, unlabeled).embeddings().castTo(DataType.DOUBLE).toDoubleMatrix();
        }
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double mean = 0;
                for (int m = 0; m < c; m++) {
                    mean += p[m][i][j] / c;
                }
                double var = 0;
                for (int m = 0; m < c; m++) {
                    var += (p[m][i][j] - mean) * (p[m][i][j] - mean) / c;
                }
                u[i] += var / k;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> u[a] != u[b] ? Double.compare(u[b], u[a]) : Integer.compare(unlabeled[a],
                unlabeled[b]));
        int size = Math.min(n, factor * budget);
        double[][] cos = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int m = 0; m < c; m++) {
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int f = 0; f < e[m][a].length; f++) {
                        dot += e[m][a][f] * e[m][b][f];
                        na += e[m][a][f] * e[m][a][f];
                        nb += e[m][b][f] * e[m][b][f];
                    }
                    cos[a][b] += dot / Math.sqrt(na * nb) / c;
                }
            }
        }
        List<Integer> chosen = new ArrayList<>();
        double previous = 0;
        int[] out = new int[Math.min(budget, size)];
        for (int step = 0; step < out.length; step++) {
            int best = -1;
            double bestF = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < size; r++) {
                int s = order[r];
                if (chosen.contains(s)) {
                    continue;
                }
                double f = 0;
                for (int x = 0; x < n; x++) {
                    double max = cos[x][s];
                    for (int t : chosen) {
                        max = Math.max(max, cos[x][t]);
                    }
                    f += max;
                }
                if (f > bestF || (f == bestF && unlabeled[s] < unlabeled[best])) {
                    best = s;
                    bestF = f;
                }
            }
            chosen.add(best);
            out[step] = unlabeled[best];
            gains[step] = bestF - previous;
            previous = bestF;
        }
        return out;
    }

    @Test
    void factorOneKeepsTheMostUncertainAndTheGreedyOnlyOrdersThem() {
        int n = 60;
        Committee committee = randomCommittee(n, 3, 4, 3, 9);
        Pool pool = pool(n, 3, 10, 9);
        Selection sa = Strategies.suggestiveAnnotation().withCandidateFactor(1).select(pool, committee, 8);
        // Top 8 by the mean member variance, through the public per-class kernel on the members as passes.
        int[] ids = pool.candidates();
        double[] u = UncertaintyScores.meanVariance(QueryOutputsFixture.passes(pool, committee, ids), ids.length, 3);
        Set<Integer> top = new HashSet<>();
        for (int position : dev.al4j.core.TopK.top(u, ids, 8)) {
            top.add(ids[position]);
        }
        Set<Integer> picked = new HashSet<>();
        for (int id : sa.ids()) {
            picked.add(id);
        }
        assertEquals(top, picked);
        // A larger factor lets representativeness change the set.
        Selection wide = Strategies.suggestiveAnnotation().withCandidateFactor(5).select(pool, committee, 8);
        assertEquals(8, wide.size());
    }

    @Test
    void theBootstrapResampleIsReproducibleBySeedAndDrawsRowsWithReplacement() {
        int n = 40;
        float[] x = new float[n * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        INDArray inputs = Nd4j.create(x, new long[] {n, 2, 3}, 'c'); // image-like rows
        int[] ids = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
            labels[i] = i % 3;
        }
        TrainingData data = new TrainingData(ids, inputs, labels, 3, 5);
        TrainingData a = Committee.bootstrap(data, 11);
        TrainingData b = Committee.bootstrap(data, 11);
        TrainingData other = Committee.bootstrap(data, 12);
        assertEquals(a, b);
        assertNotEquals(a.ids().length == other.ids().length && Arrays.equals(a.ids(), other.ids()), true);
        assertEquals(11, a.seed());
        assertEquals(n, a.size());
        assertArrayEquals(new long[] {n, 2, 3}, a.inputs().shape());
        Set<Integer> distinct = new HashSet<>();
        for (int j = 0; j < n; j++) {
            int row = a.ids()[j] - 100; // the data row this draw took
            distinct.add(row);
            assertEquals(row % 3, a.labels()[j]);
            assertEquals(inputs.slice(row), a.inputs().slice(j), "row " + j);
        }
        // With replacement: P(no repeat among 40 draws of 40) = 40!/40^40 ≈ 1e-16, so some row repeats.
        assertTrue(distinct.size() < n, "distinct rows " + distinct.size());
        // The draws follow SplittableRandom(seed).nextInt(n), as documented.
        SplittableRandom random = new SplittableRandom(11);
        for (int j = 0; j < n; j++) {
            assertEquals(100 + random.nextInt(n), a.ids()[j]);
        }
    }

    @Test
    void theBootstrapLearnerFitsEachMemberOnItsOwnResample() {
        List<TrainingData> seen = Collections.synchronizedList(new ArrayList<>());
        Learner<Model> member = (data, progress) -> {
            seen.add(data);
            return TestModels.random(50, 2, 2, 1, data.seed());
        };
        int[] ids = new int[30];
        int[] labels = new int[30];
        Arrays.setAll(ids, i -> i);
        Arrays.setAll(labels, i -> i % 2);
        TrainingData data = new TrainingData(ids, null, labels, 2, 3);
        Committee fitted = Committee.bootstrapLearner(Collections.nCopies(4, member)).fit(data);
        assertEquals(4, fitted.size());
        assertEquals(4, seen.size());
        for (int c = 0; c < 4; c++) {
            assertEquals(Committee.bootstrap(data, Committee.memberSeed(3, c)), seen.get(c), "member " + c);
        }
        assertEquals(4, seen.stream().map(t -> Arrays.toString(t.ids())).distinct().count());
        // The catalog's entry trains Setup.committeeSize() members this way.
        seen.clear();
        StrategyCatalog.Entry entry = Strategies.catalog().get("suggestive-annotation");
        assertEquals(StrategyCatalog.Reads.COMMITTEE_EMBEDDINGS, entry.reads());
        Model viaCatalog = entry.learner(StrategyCatalog.Setup.ofSeed(1).withLearner(member).withCommitteeSize(3))
                .fit(data);
        assertEquals(3, ((Committee) viaCatalog).size());
        assertEquals(Committee.bootstrap(data, Committee.memberSeed(3, 2)), seen.get(2));
    }

    @Test
    void modelsWithoutCommitteeEmbeddingsFailFastNamingTheStrategy() {
        Pool pool = Pool.withoutInputs(20, 3);
        SuggestiveAnnotation sa = Strategies.suggestiveAnnotation();
        for (int budget : new int[] {0, 3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sa.select(pool, TestModels.random(20, 3, 2, 1, 1), budget));
            assertTrue(e.getMessage().contains(sa.toString()) && e.getMessage().contains("Committee"),
                    e.getMessage());
            Committee probabilitiesOnly = Committee.of(
                    PrecomputedModel.of(TestModels.random(20, 3, 2, 1, 1).probabilities(pool, range(20))),
                    PrecomputedModel.of(TestModels.random(20, 3, 2, 1, 2).probabilities(pool, range(20))));
            e = assertThrows(IllegalArgumentException.class, () -> sa.select(pool, probabilitiesOnly, budget));
            assertTrue(e.getMessage().contains(sa.toString()) && e.getMessage().contains("member 0")
                    && e.getMessage().contains("EmbeddingModels"), e.getMessage());
        }
    }

    private static int[] range(int n) {
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    @Test
    void optionsAndValueSemantics() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.suggestiveAnnotation().withCandidateFactor(0));
        assertEquals("candidate factor must be >= 1, found 0", e.getMessage());
        assertEquals("Strategies.suggestiveAnnotation()", Strategies.suggestiveAnnotation().toString());
        assertEquals("Strategies.suggestiveAnnotation().withCandidateFactor(4)",
                Strategies.suggestiveAnnotation().withCandidateFactor(4).toString());
        assertEquals(Strategies.suggestiveAnnotation().withCandidateFactor(2), Strategies.suggestiveAnnotation());
        assertEquals(Strategies.suggestiveAnnotation().hashCode(),
                Strategies.suggestiveAnnotation().withCandidateFactor(2).hashCode());
        assertNotEquals(Strategies.suggestiveAnnotation(), Strategies.suggestiveAnnotation().withCandidateFactor(3));
        assertEquals(Strategies.suggestiveAnnotation(), Strategies.catalog().get("suggestive-annotation").create(5));
    }
}
