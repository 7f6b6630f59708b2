package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class FeatureSimilaritySamplingTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.featureSimilarity();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    /** Eq. 2 by definition: loops over pairs, cosine in double. */
    static double[] naiveScores(double[][] z, int[] predicted, double[][] lab, int[] labels) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < lab.length; j++) {
                if (labels[j] == predicted[i]) {
                    best = Math.max(best, dot(z[i], lab[j]) / Math.sqrt(dot(z[i], z[i]) * dot(lab[j], lab[j])));
                }
            }
            out[i] = best == Double.NEGATIVE_INFINITY ? -1 : best;
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[][] gaussian(int n, int d, SplittableRandom r) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = TestModels.gaussian(r);
            }
        }
        return x;
    }

    /** Row-major float copy of a matrix (the features as every strategy reads them). */
    static float[] floats(double[][] x) {
        int d = x.length == 0 ? 0 : x[0].length;
        float[] out = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) x[i][j];
            }
        }
        return out;
    }

    /** The float-rounded values back in double: the naive references see exactly what the fast path reads. */
    static double[][] rounded(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (float) x[i][j];
            }
        }
        return out;
    }

    static double[] fastScores(double[][] z, int[] predicted, double[][] lab, int[] labels, int k, int threads) {
        int d = z[0].length;
        return FeatureSimilaritySampling.maxSameClassCosine(floats(z), predicted, floats(lab), labels, k, d, threads);
    }

    /**
     * The labeled rows' normalisation by a multiplication ({@code Scorer.divide}) against the division it replaces, bit
     * for bit: random values and norms, values whose quotient lies within a few ulps of a midpoint between two floats
     * (where the product and the quotient may round to different floats), zeros of both signs, subnormal and huge
     * quotients, the smallest norm.
     */
    @Test
    void normalisingByAMultiplicationEqualsTheDivision() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 200_000;
        float[] x = new float[n];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double norm = Math.exp(r.nextDouble(-30, 30));
            float v = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-20, 20)));
            switch (i % 8) {
                case 0, 1, 2 -> { // a quotient within a few ulps of a float midpoint
                    float f = (float) (v / norm);
                    double mid = f + Math.ulp(f) / 2.0;
                    double target = mid + (r.nextInt(41) - 20) * Math.ulp(mid);
                    norm = v / target;
                    if (!(norm > 0) || Double.isInfinite(norm)) {
                        norm = 1;
                    }
                }
                case 3 -> v = r.nextBoolean() ? 0f : -0f;
                case 4 -> norm = r.nextBoolean() ? 1e-12 : 1e30; // huge and tiny quotients
                case 5 -> v = Float.MIN_VALUE * (1 + r.nextInt(1000)); // subnormal entries
                default -> { }
            }
            x[i] = v;
            norms[i] = norm;
        }
        float[] out = new float[1];
        int doubtful = 0;
        for (int i = 0; i < n; i++) {
            FeatureSimilaritySampling.Scorer.divide(x, i, norms[i], out, 0, 1);
            float expected = (float) (x[i] / norms[i]);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[0]),
                    "x = " + x[i] + ", norm = " + norms[i]);
            doubtful += (float) (x[i] * (1 / norms[i])) != expected ? 1 : 0;
        }
        assertTrue(doubtful > 100, "the adversarial values reach the doubtful case: " + doubtful);
        // A whole row at an offset, as the scorer calls it.
        float[] row = new float[37];
        FeatureSimilaritySampling.Scorer.divide(x, 1000, 3.25, row, 0, 37);
        for (int q = 0; q < 37; q++) {
            assertEquals(Float.floatToRawIntBits((float) (x[1000 + q] / 3.25)), Float.floatToRawIntBits(row[q]));
        }
    }

    @Test
    void scoresMatchTheNaiveDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        // d = 6, 7, 13, 64: below, at and above the four-feature blocks, and not a multiple of any vector width.
        for (int d : new int[] {1, 6, 7, 13, 64}) {
            int k = 4;
            double[][] z = gaussian(40, d, r);
            double[][] lab = gaussian(13, d, r);
            int[] predicted = r.ints(40, 0, k).toArray();
            int[] labels = r.ints(13, 0, k - 1).toArray(); // class 3 has no labeled sample
            double[] naive = naiveScores(rounded(z), predicted, rounded(lab), labels);
            assertArrayEquals(naive, fastScores(z, predicted, lab, labels, k, 1), 1e-5, "d = " + d);
        }
    }

    /**
     * Enough work to run on several threads (more than {@code ClassTiles.PARALLEL_WORK} multiply-adds, several tiles
     * per class, a last tile of one row): every score equals the single-threaded one bit for bit, and the naive one.
     */
    @Test
    void threadsAndTilesDoNotChangeAnyScore() {
        SplittableRandom r = new SplittableRandom(31);
        int tile = ClassTiles.FLOAT_TILE;
        int n = 2 * tile + 1 + 700;
        int d = 19;
        double[][] z = gaussian(n, d, r);
        double[][] lab = gaussian(260, d, r);
        int[] predicted = new int[n];
        for (int i = 2 * tile + 1; i < n; i++) {
            predicted[i] = 1; // class 0: two full tiles and a tile of one row; class 1: 700 rows
        }
        int[] labels = r.ints(260, 0, 2).toArray();
        double[] one = fastScores(z, predicted, lab, labels, 2, 1);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, fastScores(z, predicted, lab, labels, 2, threads), 0.0, threads + " threads");
        }
        assertArrayEquals(naiveScores(rounded(z), predicted, rounded(lab), labels), one, 1e-5);
    }

    /** Fewer candidates than threads, each its own unit, with enough work for the parallel path: the same scores. */
    @Test
    void fewerCandidatesThanThreads() {
        SplittableRandom r = new SplittableRandom(37);
        int d = 200;
        double[][] z = gaussian(3, d, r);
        double[][] lab = gaussian(3 * 7000, d, r);
        int[] labels = new int[lab.length];
        java.util.Arrays.setAll(labels, j -> j % 3);
        int[] predicted = {2, 0, 1};
        // 3 units of one row, 7 000 labeled rows each, d = 200: 1.4 M multiply-adds per unit, 4.2 M in all, above
        // ClassTiles.PARALLEL_WORK: three workers of eight.
        assertTrue(3L * 7000 * d >= ClassTiles.PARALLEL_WORK);
        double[] one = fastScores(z, predicted, lab, labels, 3, 1);
        assertArrayEquals(one, fastScores(z, predicted, lab, labels, 3, 8), 0.0);
        assertArrayEquals(naiveScores(rounded(z), predicted, rounded(lab), labels), one, 1e-5);
    }

    @Test
    void handCheckedScores() {
        // Labeled: (1, 0) of class 0 and (0, 2) of class 1; class 2 has none.
        double[][] lab = {{1, 0}, {0, 2}};
        int[] labels = {0, 1};
        // Candidate (1, 1) predicted 0: cos with (1, 0) = 1/sqrt(2) = 0.70711.
        // Candidate (3, 0) predicted 1: cos with (0, 2) = 0.
        // Candidate (-1, -1) predicted 1: cos with (0, 2) = -1/sqrt(2).
        // Candidate (5, 5) predicted 2: no labeled sample of class 2, so -1.
        // Candidate (0, 0) predicted 0: a zero vector has cosine 0 with everything.
        double[][] z = {{1, 1}, {3, 0}, {-1, -1}, {5, 5}, {0, 0}};
        double[] s = fastScores(z, new int[] {0, 1, 1, 2, 0}, lab, labels, 3, 1);
        assertArrayEquals(new double[] {Math.sqrt(0.5), 0, -Math.sqrt(0.5), -1, 0}, s, 1e-7);
    }

    /**
     * The whole query against the naive definition (pairwise cosines in double, the same split) on random and
     * adversarial pools: duplicate candidates (equal scores, so the lower id goes first), duplicate labeled rows, a
     * single class, one labeled sample, fewer candidates than threads, d not a multiple of 4, and more candidates than
     * one chunk ({@code FeatureRows.CHUNK}).
     */
    /**
     * A model that offers its outputs only through {@code predict} (no {@code RowArrays}) is read through it, once per
     * chunk, with the same scores and selection as the Java-array path of a {@code PrecomputedModel}; more candidates
     * than one chunk, and double-precision arrays (converted to float as {@code castTo} converts them).
     */
    @Test
    void thePredictPathSelectsAsTheRowPath() {
        SplittableRandom r = new SplittableRandom(47);
        int n = FeatureRows.CHUNK + 50;
        int k = 3;
        double[][] emb = FeatureSimilaritySamplingTest.gaussian(n + 30, 5, r);
        double[][] probs = TestModels.softmaxRows(n + 30, k, 2.0, r);
        int[] labeledIds = java.util.stream.IntStream.range(n, n + 30).toArray();
        int[] labels = r.ints(30, 0, k).toArray();
        Pool pool = Pool.withoutInputs(n + 30, k).withLabels(labeledIds, labels);
        PrecomputedModel rows = PrecomputedModel.builder(Nd4j.create(probs)).embeddings(Nd4j.create(emb)).build();
        dev.al4j.core.EmbeddingModel predictOnly = new dev.al4j.core.EmbeddingModel() {
            @Override
            public int numClasses() {
                return k;
            }

            @Override
            public org.nd4j.linalg.api.ndarray.INDArray probabilities(Pool p, int[] ids) {
                return rows.probabilities(p, ids);
            }

            @Override
            public int embeddingSize() {
                return 5;
            }

            @Override
            public dev.al4j.core.Predictions predict(Pool p, int[] ids) {
                return rows.predict(p, ids);
            }
        };
        Selection a = Strategies.featureSimilarity().select(pool, rows, 300);
        Selection b = Strategies.featureSimilarity().select(pool, predictOnly, 300);
        assertArrayEquals(a.ids(), b.ids());
        assertArrayEquals(a.scores().orElseThrow(), b.scores().orElseThrow(), 0.0);
    }

    @Test
    void selectionsEqualTheNaiveQuery() {
        SplittableRandom r = new SplittableRandom(41);
        int[][] shapes = { // n, d, k, labeled, budget
            {60, 7, 3, 9, 20}, {60, 13, 1, 5, 25}, {40, 5, 4, 1, 12}, {3, 6, 2, 2, 3}, {2, 3, 2, 0, 1},
            {FeatureRows.CHUNK + 300, 3, 3, 12, 500}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int d = shape[1];
            int k = shape[2];
            int labeledCount = shape[3];
            double[][] emb = gaussian(n + labeledCount, d, r);
            for (int i = 5; i < n; i += 7) {
                emb[i] = emb[i - 3].clone(); // duplicate candidates
            }
            if (labeledCount >= 2) {
                emb[n + 1] = emb[n].clone(); // duplicate labeled rows
            }
            double[][] probs = TestModels.softmaxRows(n + labeledCount, k, 2.0, r);
            for (int i = 5; i < n; i += 7) {
                probs[i] = probs[i - 3].clone();
            }
            int[] labeledIds = new int[labeledCount];
            int[] labels = new int[labeledCount];
            for (int j = 0; j < labeledCount; j++) {
                labeledIds[j] = n + j;
                labels[j] = r.nextInt(k);
            }
            PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(probs).castTo(DataType.FLOAT))
                    .embeddings(Nd4j.create(emb).castTo(DataType.FLOAT)).build();
            Pool pool = Pool.withoutInputs(n + labeledCount, k).withLabels(labeledIds, labels);
            int[] candidates = pool.candidates();
            int[] predicted = LabeledAndCandidates.argMaxRows(model.probabilities(pool, candidates));
            double[][] z = new double[candidates.length][];
            for (int i = 0; i < candidates.length; i++) {
                z[i] = emb[candidates[i]];
            }
            double[][] lab = java.util.Arrays.copyOfRange(emb, n, n + labeledCount);
            double[] naive = naiveScores(rounded(z), predicted, rounded(lab), labels);
            int[] order = FeatureSimilaritySampling.balancedLeastSimilar(naive, candidates, predicted, k, shape[4]);
            int[] expected = java.util.Arrays.stream(order).map(i -> candidates[i]).toArray();
            Selection s = Strategies.featureSimilarity().select(pool, model, shape[4]);
            assertArrayEquals(expected, s.ids(), java.util.Arrays.toString(shape));
        }
    }

    @Test
    void budgetSplitHandChecked() {
        int[] ids = new int[11];
        Arrays.setAll(ids, i -> 100 + i);
        // Positions 0-4 predicted 0, 5-9 predicted 1, 10 predicted 2; similarity decreasing within each class.
        int[] predicted = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2};
        double[] sim = {0.9, 0.8, 0.7, 0.6, 0.5, 0.95, 0.85, 0.75, 0.65, 0.55, 0.3};
        // Budget 7: equal share 2 each, class 2 has only 1 -> quotas [2, 2, 1], 2 left for 2 active classes -> [3, 3, 1].
        // Round 1 (rank 0): class 2's 0.3 (pos 10), class 0's 0.5 (pos 4), class 1's 0.55 (pos 9);
        // round 2: 0.6 (pos 3), 0.65 (pos 8); round 3: 0.7 (pos 2), 0.75 (pos 7).
        assertArrayEquals(new int[] {10, 4, 9, 3, 8, 2, 7},
                FeatureSimilaritySampling.balancedLeastSimilar(sim, ids, predicted, 3, 7));
        // Budget 4: share 1 each -> [1, 1, 1]; 1 left for 2 active classes (0 and 1, class 2 is used up): it goes to
        // the class whose next candidate is less similar: class 0's 0.6 beats class 1's 0.65.
        assertArrayEquals(new int[] {10, 4, 9, 3}, FeatureSimilaritySampling.balancedLeastSimilar(sim, ids, predicted,
                3, 4));
        // Budget 2 < 3 classes: the two least similar heads, 0.3 (class 2) and 0.5 (class 0).
        assertArrayEquals(new int[] {10, 4}, FeatureSimilaritySampling.balancedLeastSimilar(sim, ids, predicted, 3, 2));
    }

    @Property(tries = 200)
    void picksAreBalancedWheneverCandidatesAllow(@ForAll @IntRange(min = 1, max = 6) int k,
            @ForAll @IntRange(min = 0, max = 60) int n, @ForAll @IntRange(min = 0, max = 70) int budget,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        // Skewed class frequencies so that some classes run out.
        double[] weight = r.doubles(k, 0.05, 1).toArray();
        int[] predicted = new int[n];
        double total = Arrays.stream(weight).sum();
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() * total;
            int c = 0;
            while (c < k - 1 && (u -= weight[c]) > 0) {
                c++;
            }
            predicted[i] = c;
        }
        double[] sim = r.doubles(n, -1, 1).toArray();
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> 3 * i + 1);
        int[] order = FeatureSimilaritySampling.balancedLeastSimilar(sim, ids, predicted, k, budget);
        assertEquals(Math.min(n, budget), order.length);
        assertEquals(order.length, Arrays.stream(order).distinct().count());
        int[] available = new int[k];
        int[] taken = new int[k];
        for (int c : predicted) {
            available[c]++;
        }
        for (int pos : order) {
            taken[predicted[pos]]++;
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                // Water-filling: a class more than one pick behind another must have run out of candidates.
                assertTrue(taken[a] >= taken[b] - 1 || taken[a] == available[a],
                        "class " + a + " took " + taken[a] + " of " + available[a] + ", class " + b + " took " + taken[b]);
            }
        }
        // Within a class, the picks are its least similar candidates.
        for (int c = 0; c < k; c++) {
            int cc = c;
            double maxPicked = Arrays.stream(order).filter(p -> predicted[p] == cc).mapToDouble(p -> sim[p]).max()
                    .orElse(Double.NEGATIVE_INFINITY);
            boolean[] isPicked = new boolean[n];
            for (int p : order) {
                isPicked[p] = true;
            }
            for (int i = 0; i < n; i++) {
                if (predicted[i] == c && !isPicked[i]) {
                    assertTrue(sim[i] >= maxPicked, "an unpicked candidate is less similar than a picked one");
                }
            }
        }
        // Round-robin order: every prefix is balanced among classes that have candidates left.
        int[] prefix = new int[k];
        for (int pos : order) {
            prefix[predicted[pos]]++;
            for (int a = 0; a < k; a++) {
                assertTrue(prefix[a] >= prefix[predicted[pos]] - 1 || prefix[a] == taken[a]);
            }
        }
    }

    @Test
    void selectReturnsTheLeastSimilarPerPredictedClass() {
        // 2 classes, 2-d features. Labeled: id 0 = (1, 0) class 0, id 1 = (0, 1) class 1.
        // Candidates 2..5: predicted 0, 0, 1, 1 with features making cosines 0.99.., 0.0, 0.99.., -1.
        double[][] probs = {{0.9, 0.1}, {0.1, 0.9}, {0.8, 0.2}, {0.7, 0.3}, {0.2, 0.8}, {0.4, 0.6}};
        double[][] emb = {{1, 0}, {0, 1}, {1, 0.1}, {0, 3}, {0.1, 1}, {0, -2}};
        PrecomputedModel model = PrecomputedModel.builder(probabilities(probs)).embeddings(Nd4j.create(emb)).build();
        Pool pool = Pool.withoutInputs(6, 2).withLabels(new int[] {0, 1}, new int[] {0, 1});
        Selection s = Strategies.featureSimilarity().select(pool, model, 2);
        // Class 0: id 3 (cos 0) is less similar than id 2; class 1: id 5 (cos -1) less than id 4.
        // Round 1 in score order: id 5 (-1), id 3 (0).
        assertArrayEquals(new int[] {5, 3}, s.ids());
        assertArrayEquals(new double[] {-1, 0}, s.scores().orElseThrow(), 1e-6);
    }

    @Test
    void selectionIsBalancedOverPredictedClasses() {
        // 400 random candidates over 4 classes (about 100 predicted per class): 40 picks = 10 per predicted class.
        Pool pool = pool(420, 4, 20, 3);
        PrecomputedModel model = TestModels.random(420, 4, 6, 1, 3);
        int[] ids = Strategies.featureSimilarity().select(pool, model, 40).ids();
        int[] predicted = LabeledAndCandidates.argMaxRows(model.probabilities(pool, ids));
        int[] counts = new int[4];
        for (int c : predicted) {
            counts[c]++;
        }
        assertArrayEquals(new int[] {10, 10, 10, 10}, counts);
    }

    @Test
    void withoutLabelsEveryScoreIsMinusOneAndTheSplitStaysBalanced() {
        Pool pool = Pool.withoutInputs(40, 2);
        PrecomputedModel model = TestModels.random(40, 2, 3, 1, 8);
        Selection s = Strategies.featureSimilarity().select(pool, model, 6);
        int[] predicted = LabeledAndCandidates.argMaxRows(model.probabilities(pool, pool.candidates()));
        // All scores tie at -1, so each class gives its 3 lowest ids, and rounds go in id order.
        int[] expected = new int[6];
        int[] next = new int[2];
        int[][] byClass = LabeledAndCandidates.groupByClass(predicted, 2);
        for (int round = 0; round < 3; round++) {
            int a = byClass[0][next[0]++];
            int b = byClass[1][next[1]++];
            expected[2 * round] = Math.min(a, b);
            expected[2 * round + 1] = Math.max(a, b);
        }
        assertArrayEquals(expected, s.ids());
        assertArrayEquals(new double[] {-1, -1, -1, -1, -1, -1}, s.scores().orElseThrow(), 0);
    }

    /** The labeled rows' squared norms, four rows at a time, equal one row at a time bit for bit (n = 0..9, d = 1..9). */
    @Test
    void labeledNormsFourRowsAtATimeEqualOneAtATime() {
        SplittableRandom r = new SplittableRandom(41);
        for (int d = 1; d <= 9; d++) {
            for (int n = 0; n <= 9; n++) {
                float[] x = floats(gaussian(n, d, r));
                if (n > 1) {
                    System.arraycopy(x, 0, x, d, d); // a duplicate row
                }
                double[] fast = FeatureSimilaritySampling.Scorer.squaredNorms(x, n, d);
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int q = 0; q < d; q++) {
                        sum += (double) x[j * d + q] * x[j * d + q];
                    }
                    assertEquals(sum, fast[j], 0.0, "d = " + d + ", n = " + n + ", row " + j);
                }
            }
        }
    }

    /**
     * The screen (lower bounds from the first {@code SCREEN_ROWS} labeled rows of a class, the rest of the products
     * only for rows that can still be picked) selects exactly as scoring every row: the same ids in the same order and
     * the same scores. Two chunks, classes with more labeled rows than the screen's first pass, a class without labeled
     * rows (the last), a class with few candidates (class 1: it runs out), duplicate candidates, candidates equal to
     * labeled rows (cosine ties at 1), budgets below, at and above K, not a multiple of K, near and above the
     * candidates' count, d = 1, 3, 5.
     */
    @Test
    void screenedSelectionsEqualTheUnscreenedOnes() {
        SplittableRandom r = new SplittableRandom(2027);
        int[][] shapes = { // n, d, k, labeled, budget
            {FeatureRows.CHUNK + 900, 5, 4, 150, 37}, {FeatureRows.CHUNK + 900, 3, 4, 150, 400},
            {2000, 1, 3, 90, 3}, {2000, 5, 5, 200, 1}, {600, 5, 3, 120, 590}, {600, 3, 3, 120, 700},
            {1500, 5, 6, 300, 100}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int d = shape[1];
            int k = shape[2];
            int labeledCount = shape[3];
            int budget = shape[4];
            double[][] emb = gaussian(n + labeledCount, d, r);
            for (int i = 5; i < n; i += 7) {
                emb[i] = emb[i - 3].clone(); // duplicate candidates
            }
            for (int i = 11; i < n; i += 97) {
                emb[i] = emb[n + i % labeledCount].clone(); // a candidate equal to a labeled row
            }
            double[][] probs = TestModels.softmaxRows(n + labeledCount, k, 2.0, r);
            for (int i = 0; i < n; i++) {
                if (i % 50 != 0 && argMax(probs[i]) == 1) { // class 1: few candidates
                    double[] p = probs[i];
                    double t = p[1];
                    p[1] = p[0];
                    p[0] = t;
                }
            }
            for (int i = 5; i < n; i += 7) {
                probs[i] = probs[i - 3].clone();
            }
            int[] labeledIds = new int[labeledCount];
            int[] labels = new int[labeledCount];
            for (int j = 0; j < labeledCount; j++) {
                labeledIds[j] = n + j;
                labels[j] = j % (k - 1); // class k - 1 has no labeled row
            }
            PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(probs).castTo(DataType.FLOAT))
                    .embeddings(Nd4j.create(emb).castTo(DataType.FLOAT)).build();
            Pool pool = Pool.withoutInputs(n + labeledCount, k).withLabels(labeledIds, labels);
            int[] candidates = pool.candidates();
            int[] predicted = LabeledAndCandidates.argMaxRows(model.probabilities(pool, candidates));
            float[] z = new float[candidates.length * d];
            for (int i = 0; i < candidates.length; i++) {
                for (int q = 0; q < d; q++) {
                    z[i * d + q] = (float) emb[candidates[i]][q];
                }
            }
            float[] lab = floats(java.util.Arrays.copyOfRange(emb, n, n + labeledCount));
            double[] all = FeatureSimilaritySampling.maxSameClassCosine(z, predicted, lab, labels, k, d, 2);
            int[] order = FeatureSimilaritySampling.balancedLeastSimilar(all, candidates, predicted, k, budget);
            int[] expected = java.util.Arrays.stream(order).map(i -> candidates[i]).toArray();
            double[] expectedScores = java.util.Arrays.stream(order).mapToDouble(i -> all[i]).toArray();
            Selection s = Strategies.featureSimilarity().select(pool, model, budget);
            String at = java.util.Arrays.toString(shape);
            assertArrayEquals(expected, s.ids(), at);
            assertArrayEquals(expectedScores, s.scores().orElseThrow(), 0.0, at);
        }
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The screen's bound on a class's picks, {@code λ + 1} with {@code λ} the largest level with
     * {@code Σ_c min(n_c, λ) <= b}, holds for the balanced split, and is larger from the counts of a first part of the
     * candidates only.
     */
    @Property(tries = 300)
    void theScreensBoundHoldsForTheSplit(@ForAll @IntRange(min = 1, max = 6) int k,
            @ForAll @IntRange(min = 0, max = 60) int budget, @ForAll @IntRange(min = 1, max = 80) int n,
            @ForAll @IntRange(min = 0, max = 80) int firstPart, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] predicted = new int[n];
        int skew = r.nextInt(k);
        for (int i = 0; i < n; i++) {
            predicted[i] = r.nextInt(3) == 0 ? skew : r.nextInt(k);
        }
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = r.nextInt(5); // ties
        }
        int[] ids = java.util.stream.IntStream.range(0, n).toArray();
        int[] picks = new int[k];
        for (int position : FeatureSimilaritySampling.balancedLeastSimilar(scores, ids, predicted, k, budget)) {
            picks[predicted[position]]++;
        }
        int first = Math.min(firstPart, n);
        FeatureSimilaritySampling.Screen part = new FeatureSimilaritySampling.Screen(k, budget);
        part.see(java.util.Arrays.copyOf(predicted, first));
        FeatureSimilaritySampling.Screen whole = new FeatureSimilaritySampling.Screen(k, budget);
        whole.see(predicted);
        for (int c = 0; c < k; c++) {
            assertTrue(picks[c] <= whole.maxPicks(c), "class " + c + ": " + picks[c] + " > " + whole.maxPicks(c));
            assertTrue(whole.maxPicks(c) <= part.maxPicks(c));
        }
    }

    /**
     * The int merge sort orders as the boxed sort by {@code Double.compare} then id did: ties, repeated similarities,
     * -0.0 and 0.0, -1 (no labeled sample), repeated ids (stable), lengths 0–70.
     */
    @Test
    void intSortOrdersAsTheComparator() {
        SplittableRandom r = new SplittableRandom(43);
        double[] values = {-1.0, -0.0, 0.0, 0.25, 0.5, 0.5000000000000001, 1.0};
        for (int n = 0; n <= 70; n++) {
            double[] similarity = new double[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                similarity[i] = values[r.nextInt(values.length)];
                ids[i] = r.nextInt(Math.max(1, n / 2)); // repeated ids: the sort must be stable
            }
            java.util.Comparator<Integer> byComparator = java.util.Comparator.<Integer>comparingDouble(
                    i -> similarity[i]).thenComparingInt(i -> ids[i]);
            int[] positions = java.util.stream.IntStream.range(0, n).toArray();
            for (int i = n - 1; i > 0; i--) { // shuffled
                int j = r.nextInt(i + 1);
                int t = positions[i];
                positions[i] = positions[j];
                positions[j] = t;
            }
            int[] expected = Arrays.stream(positions).boxed().sorted(byComparator).mapToInt(Integer::intValue)
                    .toArray();
            FeatureSimilaritySampling.sortBySimilarityThenId(positions, similarity, ids);
            assertArrayEquals(expected, positions, "n = " + n);
        }
    }

    @Test
    void toStringEchoesTheFactory() {
        assertEquals("Strategies.featureSimilarity()", Strategies.featureSimilarity().toString());
        assertEquals(Strategies.featureSimilarity(), Strategies.featureSimilarity());
    }
}
