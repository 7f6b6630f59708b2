package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RowArrays;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TopK;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The uncertainty strategies' fast {@code select} (exact kernels without logarithms, the screened top-b of
 * {@link ScreenedTopK} with {@link FastLog}, the quickselect of {@link TopK#top}) against the plain definition:
 * every score computed in-test row by row in double with {@link Math#log}, in the textbook's order, and the
 * selection a full sort by (score descending, id ascending). The ids, their order and their scores must be the same
 * bits, on random and adversarial inputs: uniform rows, one-hot rows (zeros as 0.0 and -0.0), exact duplicate rows,
 * permuted rows (equal in exact arithmetic, a rounding apart in double), two-way ties, probabilities of 1e-30 and subnormal floats, passes
 * that agree (BALD 0 for many rows), K = 1, 2, 3, 10, n below the thread count, n not a multiple of the 256-row
 * block, n large enough to be split over threads, candidates that are not a consecutive run, every budget from 0
 * to above n.
 */
class UncertaintySelectionTest {

    // --- the plain definitions, row by row, Math.log ------------------------------------------------------------

    /** Row {@code i} of {@code p} divided by its sum (summed in double, in class order). */
    private static double[] normalised(float[] p, int i, int k) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += p[i * k + c];
        }
        double inv = 1.0 / sum;
        double[] v = new double[k];
        for (int c = 0; c < k; c++) {
            v[c] = p[i * k + c] * inv;
        }
        return v;
    }

    private static double plainEntropy(double[] v) {
        double h = 0;
        for (double x : v) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return Math.max(0.0, h);
    }

    private static double plainMargin(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int k = v.length;
        return 1.0 - (sorted[k - 1] - (k >= 2 ? sorted[k - 2] : 0.0));
    }

    private static double plainLeastConfidence(double[] v) {
        return 1.0 - Arrays.stream(v).max().orElseThrow();
    }

    /** The mean over passes of row {@code i}: summed in pass order, times {@code 1/T}. */
    private static double[] plainMean(float[][] passes, int i, int k) {
        double[] m = new double[k];
        for (float[] pass : passes) {
            double[] v = normalised(pass, i, k);
            for (int c = 0; c < k; c++) {
                m[c] += v[c];
            }
        }
        double inv = 1.0 / passes.length;
        for (int c = 0; c < k; c++) {
            m[c] *= inv;
        }
        return m;
    }

    private static double plainBald(float[][] passes, int i, int k) {
        double sum = 0;
        for (float[] pass : passes) {
            sum += plainEntropy(normalised(pass, i, k));
        }
        return Math.max(0.0, plainEntropy(plainMean(passes, i, k)) - sum / passes.length);
    }

    private static double plainMeanStd(float[][] passes, int i, int k) {
        double[] m = plainMean(passes, i, k);
        double[] squares = new double[k];
        for (float[] pass : passes) {
            double[] v = normalised(pass, i, k);
            for (int c = 0; c < k; c++) {
                double d = v[c] - m[c];
                squares[c] += d * d;
            }
        }
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += Math.sqrt(squares[c] / passes.length);
        }
        return s / k;
    }

    private static double plainVariationRatio(float[][] passes, int i, int k) {
        int[] votes = new int[k];
        for (float[] pass : passes) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (pass[i * k + c] > pass[i * k + best]) {
                    best = c;
                }
            }
            votes[best]++;
        }
        return 1.0 - (double) Arrays.stream(votes).max().orElseThrow() / passes.length;
    }

    /** Every strategy with its plain per-row definition (over the passes; single-model ones read pass 0). */
    private static List<Case> cases() {
        return List.of(
                new Case(Strategies.entropy(), (s, i) -> plainEntropy(normalised(s.passes[0], i, s.k))),
                new Case(Strategies.margin(), (s, i) -> plainMargin(normalised(s.passes[0], i, s.k))),
                new Case(Strategies.leastConfidence(),
                        (s, i) -> plainLeastConfidence(normalised(s.passes[0], i, s.k))),
                new Case(Strategies.variationRatio(),
                        (s, i) -> plainLeastConfidence(normalised(s.passes[0], i, s.k))),
                new Case(Strategies.bald(), (s, i) -> plainBald(s.passes, i, s.k)),
                new Case(Strategies.meanStd(), (s, i) -> plainMeanStd(s.passes, i, s.k)),
                new Case(Strategies.entropyMc(), (s, i) -> plainEntropy(plainMean(s.passes, i, s.k))),
                new Case(Strategies.marginMc(), (s, i) -> plainMargin(plainMean(s.passes, i, s.k))),
                new Case(Strategies.leastConfidenceMc(),
                        (s, i) -> plainLeastConfidence(plainMean(s.passes, i, s.k))),
                new Case(Strategies.variationRatioMc(), (s, i) -> plainVariationRatio(s.passes, i, s.k)));
    }

    private record Case(QueryStrategy strategy, ToDoubleBiFunction<Setting, Integer> plain) {}

    /** {@code T} passes of {@code n} rows of {@code k} classes, pass 0 also the single model's probabilities. */
    private record Setting(float[][] passes, int n, int k) {
        PrecomputedModel model() {
            float[] all = new float[passes.length * n * k];
            for (int t = 0; t < passes.length; t++) {
                System.arraycopy(passes[t], 0, all, t * n * k, n * k);
            }
            INDArray mc = Nd4j.create(all, new long[] {passes.length, n, k}, 'c');
            INDArray p = Nd4j.create(passes[0].clone(), new long[] {n, k}, 'c');
            return PrecomputedModel.builder(p).mcProbabilities(mc).build();
        }
    }

    // --- inputs ---------------------------------------------------------------------------------------------------

    /** One row of {@code k} floats summing to about 1, of the kind {@code kind} (see the class comment). */
    private static void row(float[] out, int at, int k, int kind, int i, SplittableRandom random) {
        double[] v = new double[k];
        switch (kind) {
            case 0 -> Arrays.fill(v, 1); // uniform
            case 1 -> v[i % k] = 1; // one-hot
            case 2 -> { // tiny probabilities next to large ones
                for (int c = 0; c < k; c++) {
                    v[c] = c == 0 ? 1 : c % 2 == 0 ? 1e-30 : 1e-44;
                }
            }
            case 3 -> { // a two-way tie at the top
                v[0] = 0.4;
                v[k - 1] = 0.4;
                for (int c = 1; c < k - 1; c++) {
                    v[c] = 0.2 / (k - 2);
                }
            }
            default -> {
                double sharpness = 0.2 + 3 * random.nextDouble();
                for (int c = 0; c < k; c++) {
                    v[c] = Math.exp(sharpness * random.nextGaussian());
                }
            }
        }
        double sum = Arrays.stream(v).sum();
        for (int c = 0; c < k; c++) {
            out[at + c] = (float) (v[c] / sum);
            if (kind == 1 && i % 2 == 1 && v[c] == 0) {
                out[at + c] = -0.0f; // a valid probability (>= 0) whose bits sort below 0.0's
            }
        }
    }

    /**
     * Random rows with every 11th row uniform, one-hot, tiny, tied, an exact copy of an earlier row, or that row with
     * its classes rotated; in the passes, every 7th row is the same in every pass (no disagreement).
     */
    private static Setting setting(int n, int k, int t, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] passes = new float[t][n * k];
        for (int pass = 0; pass < t; pass++) {
            float[] p = passes[pass];
            for (int i = 0; i < n; i++) {
                int kind = i % 11;
                if (pass > 0 && i % 7 == 0) {
                    System.arraycopy(passes[0], i * k, p, i * k, k);
                } else if (kind == 4 && i >= 11) {
                    System.arraycopy(p, (i - 11) * k, p, i * k, k); // duplicate row
                } else if (kind == 5 && i >= 11) {
                    for (int c = 0; c < k; c++) {
                        p[i * k + c] = p[(i - 11) * k + (c + 1) % k]; // permuted row
                    }
                } else {
                    row(p, i * k, k, kind < 4 ? kind : 9, i, random);
                }
            }
        }
        return new Setting(passes, n, k);
    }

    // --- the checks -------------------------------------------------------------------------------------------------

    private static void assertSelectsLikeThePlainDefinition(Setting s, Pool pool, int budget) {
        assertSelectsLikeThePlainDefinition(s, pool, budget, cases());
    }

    private static void assertSelectsLikeThePlainDefinition(Setting s, Pool pool, int budget, List<Case> cases) {
        PrecomputedModel model = s.model();
        int[] candidates = pool.candidates();
        for (Case c : cases) {
            double[] plain = new double[candidates.length];
            for (int j = 0; j < candidates.length; j++) {
                plain[j] = c.plain().applyAsDouble(s, candidates[j]);
            }
            int[] order = IntStream.range(0, candidates.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> -plain[j]).thenComparingInt(j -> candidates[j]))
                    .limit(budget).mapToInt(Integer::intValue).toArray();
            int[] expectedIds = IntStream.of(order).map(j -> candidates[j]).toArray();
            double[] expectedScores = IntStream.of(order).mapToDouble(j -> plain[j]).toArray();
            Selection selection = c.strategy().select(pool, model, budget);
            String what = c.strategy() + ", n = " + s.n() + ", K = " + s.k() + ", T = " + s.passes().length
                    + ", " + candidates.length + " candidates, budget " + budget;
            assertArrayEquals(expectedIds, selection.ids(), what);
            assertArrayEquals(expectedScores, selection.scores().orElseThrow(), 0.0, what);
            // score() is the exact kernel: the plain definition bit for bit.
            if (c.strategy() instanceof dev.al4j.core.AcquisitionFunction f && candidates.length > 0) {
                assertArrayEquals(plain, f.score(pool, model, candidates), 0.0, what + ", score()");
            }
        }
    }

    private static Pool[] pools(int n, int k, SplittableRandom random) {
        Pool all = Pool.withoutInputs(n, k);
        int[] labeled = random.ints(Math.max(1, n / 5), 0, n).distinct().toArray();
        if (labeled.length >= n) {
            return new Pool[] {all};
        }
        return new Pool[] {all, all.withLabels(labeled, IntStream.of(labeled).map(i -> i % k).toArray())};
    }

    @Test
    void smallSettingsSelectLikeThePlainDefinitionForEveryBudget() {
        SplittableRandom random = new SplittableRandom(7);
        for (int k : new int[] {1, 2, 3, 10}) {
            for (int n : new int[] {1, 2, 3, 37, 300}) {
                for (int t : new int[] {1, 2, 5}) {
                    Setting s = setting(n, k, t, random.nextLong());
                    for (Pool pool : pools(n, k, random)) {
                        for (int budget : new int[] {0, 1, 2, 7, n / 10, n - 1, n, n + 3}) {
                            if (budget >= 0) {
                                assertSelectsLikeThePlainDefinition(s, pool, budget);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeSettingsSplitOverThreadsSelectLikeThePlainDefinition() {
        SplittableRandom random = new SplittableRandom(8);
        // 4 099 · 20 · 7 = 573 860 values > 2¹⁹: the kernels split the rows; 4 099 rows: not a multiple of 256.
        Setting s = setting(4099, 7, 20, 11);
        for (Pool pool : pools(4099, 7, random)) {
            for (int budget : new int[] {1, 409, 3000}) {
                assertSelectsLikeThePlainDefinition(s, pool, budget);
            }
        }
        // One model, 80 001 · 7 values: split too (the single-model strategies only: the others ran above).
        Setting single = setting(80_001, 7, 1, 12);
        assertSelectsLikeThePlainDefinition(single, Pool.withoutInputs(80_001, 7), 1000, cases().subList(0, 4));
    }

    @Test
    void manyEqualScoresAtTheThresholdKeepTheLowestIds() {
        // 600 copies of one row and 600 of its rotation (equal entropy in exact arithmetic, maybe a rounding apart),
        // among random rows: the screen keeps every one of them and the exact scores decide.
        int k = 5;
        int n = 1500;
        Setting base = setting(n, k, 3, 13);
        for (float[] pass : base.passes()) {
            for (int i = 100; i < 1300; i++) {
                for (int c = 0; c < k; c++) {
                    pass[i * k + c] = i < 700 ? pass[c + k * 6] : pass[6 * k + (c + 2) % k];
                }
            }
        }
        for (int budget : new int[] {50, 150, 650, 1250}) {
            assertSelectsLikeThePlainDefinition(base, Pool.withoutInputs(n, k), budget);
        }
    }

    @Test
    void approximateScoresStayWithinTheirBounds() {
        SplittableRandom random = new SplittableRandom(9);
        for (int k : new int[] {1, 2, 3, 10, 100}) {
            for (int t : new int[] {1, 2, 20}) {
                Setting s = setting(500, k, t, random.nextLong());
                float[] p = s.passes()[0];
                double[] h = UncertaintyScores.entropy(p, 500, k);
                double[] approxH = UncertaintyScreens.entropy(p, 500, k);
                double[] bald = UncertaintyScores.bald(s.passes(), 500, k);
                double[] approxBald = UncertaintyScreens.bald(s.passes(), 500, k);
                double[] hMean = UncertaintyScores.entropyMc(s.passes(), 500, k);
                double[] approxHMean = UncertaintyScreens.entropyMc(s.passes(), 500, k);
                // The bounds hold with room to spare: FastLog's truncation (< 9.5e-10) is a tenth of its bound.
                double hBound = UncertaintyScreens.entropyBound(k);
                double baldBound = UncertaintyScreens.baldBound(k, t);
                assertTrue(hBound < 1e-6 && baldBound < 1e-6, "bounds " + hBound + ", " + baldBound);
                for (int i = 0; i < 500; i++) {
                    assertTrue(Math.abs(h[i] - approxH[i]) <= hBound / 5, "entropy row " + i);
                    assertTrue(Math.abs(bald[i] - approxBald[i]) <= baldBound / 5, "BALD row " + i);
                    assertTrue(Math.abs(hMean[i] - approxHMean[i]) <= hBound / 5, "entropy of mean row " + i);
                }
            }
        }
    }

    @Test
    void aModelWithoutRowArraysSelectsTheSame() {
        // The fast path reads the same outputs as score(): a model that is not RowArrays gives the same selection.
        Setting s = setting(300, 4, 3, 14);
        PrecomputedModel fast = s.model();
        Model plain = new StochasticModel() {
            @Override
            public int numClasses() {
                return fast.numClasses();
            }

            @Override
            public INDArray probabilities(Pool pool, int[] ids) {
                return fast.probabilities(pool, ids);
            }

            @Override
            public int defaultPasses() {
                return fast.defaultPasses();
            }

            @Override
            public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
                return fast.stochasticProbabilities(pool, ids, passes, seed);
            }
        };
        Pool pool = Pool.withoutInputs(300, 4);
        for (Case c : cases()) {
            assertEquals(c.strategy().select(pool, fast, 30), c.strategy().select(pool, plain, 30),
                    c.strategy().toString());
        }
    }

    /** A model that hands over fixed rows as Java arrays ({@link RowArrays}), without checking them. */
    private static final class JavaArraysModel implements StochasticModel, RowArrays {
        private final float[][] passes;
        private final int k;

        JavaArraysModel(float[][] passes, int k) {
            this.passes = passes;
            this.k = k;
        }

        @Override
        public int numClasses() {
            return k;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return Nd4j.create(probabilityRows(pool, ids), new long[] {ids.length, k}, 'c');
        }

        @Override
        public float[] probabilityRows(Pool pool, int[] ids) {
            return stochasticProbabilityRows(pool, ids, 1, 0)[0];
        }

        @Override
        public int defaultPasses() {
            return passes.length;
        }

        @Override
        public INDArray stochasticProbabilities(Pool pool, int[] ids, int t, long seed) {
            float[][] rows = stochasticProbabilityRows(pool, ids, t, seed);
            float[] all = new float[t * ids.length * k];
            for (int pass = 0; pass < t; pass++) {
                System.arraycopy(rows[pass], 0, all, pass * ids.length * k, ids.length * k);
            }
            return Nd4j.create(all, new long[] {t, ids.length, k}, 'c');
        }

        @Override
        public float[][] stochasticProbabilityRows(Pool pool, int[] ids, int t, long seed) {
            float[][] out = new float[t][ids.length * k];
            for (int pass = 0; pass < t; pass++) {
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(passes[pass], ids[i] * k, out[pass], i * k, k);
                }
            }
            return out;
        }
    }

    @Test
    void invalidRowsHandedOverAsJavaArraysAreRejectedWithTheCanonicalMessage() {
        // The kernels check the rows they read from a RowArrays model; the message must be the one that the same
        // values get through the INDArray path (which checks them before scoring), for every kind of bad value.
        int n = 40;
        int k = 3;
        Pool pool = Pool.withoutInputs(n, k);
        float[] bad = {Float.NaN, Float.NEGATIVE_INFINITY, -0.25f, 1.5f, 0.9f};
        for (int pass : new int[] {0, 1}) {
            for (float value : bad) {
                Setting s = setting(n, k, 2, 15);
                s.passes()[pass][17 * k + 1] = value; // row 17, class 1: NaN, -inf, negative, above 1, sum off
                JavaArraysModel arrays = new JavaArraysModel(s.passes(), k);
                Model indArrays = new StochasticModel() {
                    @Override
                    public int numClasses() {
                        return k;
                    }

                    @Override
                    public INDArray probabilities(Pool p, int[] ids) {
                        return arrays.probabilities(p, ids);
                    }

                    @Override
                    public int defaultPasses() {
                        return 2;
                    }

                    @Override
                    public INDArray stochasticProbabilities(Pool p, int[] ids, int t, long seed) {
                        return arrays.stochasticProbabilities(p, ids, t, seed);
                    }
                };
                for (Case c : cases()) {
                    boolean readsPass = pass == 0 || c.strategy() instanceof BayesianUncertaintySampling;
                    if (!readsPass) {
                        continue;
                    }
                    String what = c.strategy() + ", pass " + pass + ", value " + value;
                    IllegalArgumentException expected = assertThrows(IllegalArgumentException.class,
                            () -> c.strategy().select(pool, indArrays, 5), what);
                    IllegalArgumentException actual = assertThrows(IllegalArgumentException.class,
                            () -> c.strategy().select(pool, arrays, 5), what);
                    assertEquals(expected.getMessage(), actual.getMessage(), what);
                    // The passes are checked as one [T·n, K] array: pass 1's row 17 is its row n + 17.
                    String row = "row " + (pass * n + 17);
                    assertTrue(actual.getMessage().contains(row), what + ": " + actual.getMessage());
                }
            }
        }
    }
}
