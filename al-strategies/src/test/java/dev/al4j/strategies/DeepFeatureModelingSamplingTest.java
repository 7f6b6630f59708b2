package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DeepFeatureModelingSamplingTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.deepFeatureModeling();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    /**
     * Eq. 3 by definition, independently of the fast path: per class, a Commons Math SVD of the centred labeled
     * features (right singular vectors = principal directions, squared singular values = variances), the same
     * component rule, and the residual by loops.
     */
    static double[] naiveErrors(double[][] z, int[] predicted, double[][] lab, int[] labels, int k,
            int components, double explainedVariance) {
        int d = z[0].length;
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            int c = predicted[i];
            int m = 0;
            for (int label : labels) {
                m += label == c ? 1 : 0;
            }
            double[] mean = new double[d];
            double[][] dirs = new double[0][];
            if (m == 0) {
                for (double[] row : lab) {
                    for (int j = 0; j < d; j++) {
                        mean[j] += row[j] / lab.length;
                    }
                }
            } else {
                double[][] xc = new double[m][];
                int t = 0;
                for (int j = 0; j < lab.length; j++) {
                    if (labels[j] == c) {
                        xc[t++] = lab[j].clone();
                    }
                }
                for (double[] row : xc) {
                    for (int j = 0; j < d; j++) {
                        mean[j] += row[j] / m;
                    }
                }
                for (double[] row : xc) {
                    for (int j = 0; j < d; j++) {
                        row[j] -= mean[j];
                    }
                }
                if (m > 1) {
                    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(xc));
                    double[] s = svd.getSingularValues(); // descending
                    double total = 0;
                    for (double v : s) {
                        total += v * v;
                    }
                    int rank = 0;
                    while (rank < s.length && rank < m - 1 && s[rank] * s[rank] > s[0] * s[0] * 1e-10) {
                        rank++;
                    }
                    int r;
                    if (components > 0) {
                        r = Math.min(components, rank);
                    } else {
                        r = 0;
                        double explained = 0;
                        while (r < rank && explained < explainedVariance * total) {
                            explained += s[r] * s[r];
                            r++;
                        }
                    }
                    RealMatrix v = svd.getV();
                    dirs = new double[r][];
                    for (int q = 0; q < r; q++) {
                        dirs[q] = v.getColumn(q);
                    }
                }
            }
            double[] res = new double[d];
            for (int j = 0; j < d; j++) {
                res[j] = z[i][j] - mean[j];
            }
            double[] centred = res.clone();
            for (double[] w : dirs) {
                double proj = FeatureSimilaritySamplingTest.dot(centred, w);
                for (int j = 0; j < d; j++) {
                    res[j] -= proj * w[j];
                }
            }
            out[i] = Math.sqrt(FeatureSimilaritySamplingTest.dot(res, res));
        }
        return out;
    }

    @Test
    void errorsMatchTheNaiveDefinition() {
        SplittableRandom r = new SplittableRandom(5);
        int k = 4;
        // d = 6 with up to ~12 labeled per class exercises both the Gram (L_k <= d) and the scatter (L_k > d) path;
        // class 3 has no labeled sample; class 2 has exactly one.
        double[][] lab = FeatureSimilaritySamplingTest.gaussian(26, 6, r);
        int[] labels = new int[26];
        for (int j = 0; j < 26; j++) {
            labels[j] = j < 12 ? 0 : j < 25 ? 1 : 2;
        }
        double[][] z = FeatureSimilaritySamplingTest.gaussian(50, 6, r);
        int[] predicted = r.ints(50, 0, k).toArray();
        DeepFeatureModelingSampling[] variants = {Strategies.deepFeatureModeling(),
            Strategies.deepFeatureModeling().withComponents(2), Strategies.deepFeatureModeling().withComponents(40),
            Strategies.deepFeatureModeling().withExplainedVariance(0.5),
            Strategies.deepFeatureModeling().withExplainedVariance(1.0)};
        int[] components = {0, 2, 40, 0, 0};
        double[] variance = {0.97, Double.NaN, Double.NaN, 0.5, 1.0};
        for (int v = 0; v < variants.length; v++) {
            double[] naive = naiveErrors(FeatureSimilaritySamplingTest.rounded(z), predicted,
                    FeatureSimilaritySamplingTest.rounded(lab), labels, k, components[v], variance[v]);
            for (int threads : new int[] {1, 3}) {
                double[] fast = errors(variants[v], z, predicted, lab, labels, k, threads);
                assertArrayEquals(naive, fast, 1e-9, variants[v] + ", " + threads + " threads");
            }
        }
    }

    static double[] errors(DeepFeatureModelingSampling dfm, double[][] z, int[] predicted, double[][] lab,
            int[] labels, int k, int threads) {
        int d = z[0].length;
        return dfm.reconstructionErrors(FeatureSimilaritySamplingTest.floats(z), predicted,
                FeatureSimilaritySamplingTest.floats(lab), labels, k, d, threads);
    }

    /**
     * d = 5, 7 and 13 (no multiple of 4 or a vector width), 3 and 6 kept directions (no multiple of 4), classes of
     * 1 to 40 labeled rows (Gram and scatter paths), duplicate labeled rows (a rank below the count), more candidates
     * than one tile and enough work for several threads: equal to the naive definition, and bit for bit the same on
     * 1 and 4 threads.
     */
    @Test
    void errorsMatchTheNaiveDefinitionOnAdversarialShapes() {
        SplittableRandom r = new SplittableRandom(17);
        for (int d : new int[] {5, 7, 13}) {
            int k = 3;
            double[][] lab = FeatureSimilaritySamplingTest.gaussian(46, d, r);
            int[] labels = new int[46];
            for (int j = 0; j < 46; j++) {
                labels[j] = j < 40 ? 0 : j < 45 ? 1 : 2;
            }
            lab[1] = lab[0].clone();
            lab[41] = lab[40].clone();
            int n = 2 * ClassTiles.DOUBLE_TILE + 37;
            double[][] z = FeatureSimilaritySamplingTest.gaussian(n, d, r);
            z[7] = z[3].clone();
            int[] predicted = r.ints(n, 0, k).toArray();
            predicted[7] = predicted[3];
            for (int q : new int[] {3, 6}) {
                DeepFeatureModelingSampling dfm = Strategies.deepFeatureModeling().withComponents(q);
                double[] naive = naiveErrors(FeatureSimilaritySamplingTest.rounded(z), predicted,
                        FeatureSimilaritySamplingTest.rounded(lab), labels, k, q, Double.NaN);
                double[] one = errors(dfm, z, predicted, lab, labels, k, 1);
                assertArrayEquals(naive, one, 1e-9, dfm + ", d = " + d);
                assertArrayEquals(one, errors(dfm, z, predicted, lab, labels, k, 4), 0.0, dfm + ", d = " + d);
                assertEquals(one[3], one[7], 0.0, "duplicate rows score alike");
            }
        }
    }

    /**
     * The leading-eigenpairs path ({@code withComponents(q)}, {@code 4q <= min(L_k, d)}) on classes whose principal
     * variances repeat: each class's labeled rows are {@code ±s_j e_j} around a random centre (d = 40, variances
     * {@code 2 s_j²} with {@code s = 3, 3, 3, 2, 2, 1, 1, 1, 0.5, 0.5, 0.25, 0.25}), rotated per class; q = 3 and 5
     * keep whole groups of equal variances (q = 4 would split a pair, where no subspace is the right one). Each class
     * has 24 labeled rows (rank 12), so {@code 4q <= 24} for both. The errors equal the naive SVD definition, the
     * selection equals its top b, and the leading path was taken (its pairs pass their check on these matrices).
     */
    @Test
    void repeatedVariancesSelectAsTheNaiveQuery() {
        SplittableRandom r = new SplittableRandom(47);
        int d = 40;
        int k = 3;
        double[] s = {3, 3, 3, 2, 2, 1, 1, 1, 0.5, 0.5, 0.25, 0.25};
        double[][] lab = new double[k * 2 * s.length][];
        int[] labels = new int[lab.length];
        for (int c = 0, at = 0; c < k; c++) {
            double[][] rotation = LeadingEigenpairsTest.orthogonal(d, r);
            double[] shift = FeatureSimilaritySamplingTest.gaussian(1, d, r)[0];
            for (int j = 0; j < s.length; j++) {
                for (int sign : new int[] {1, -1}) {
                    double[] row = shift.clone();
                    for (int q = 0; q < d; q++) {
                        row[q] += sign * s[j] * rotation[j][q];
                    }
                    // Read as float32, the repeated variances stay equal up to float rounding.
                    lab[at] = row;
                    labels[at++] = c;
                }
            }
        }
        double[][] z = FeatureSimilaritySamplingTest.gaussian(300, d, r);
        int[] predicted = r.ints(300, 0, k).toArray();
        for (int q : new int[] {3, 5}) {
            double[][] gram = LeadingEigenpairsTest.centredGram(java.util.Arrays.copyOfRange(
                    FeatureSimilaritySamplingTest.rounded(lab), 0, 2 * s.length));
            assertTrue(LeadingEigenpairs.compute(gram, q).isPresent(), "the leading path applies, q = " + q);
            assertTrue(4 * q <= Math.min(2 * s.length, d));
            DeepFeatureModelingSampling dfm = Strategies.deepFeatureModeling().withComponents(q);
            double[] naive = naiveErrors(FeatureSimilaritySamplingTest.rounded(z), predicted,
                    FeatureSimilaritySamplingTest.rounded(lab), labels, k, q, Double.NaN);
            double[] fast = errors(dfm, z, predicted, lab, labels, k, 2);
            assertArrayEquals(naive, fast, 1e-9, dfm.toString());
            int[] ids = new int[300];
            java.util.Arrays.setAll(ids, i -> i);
            assertArrayEquals(topIds(naive, 40), topIds(fast, 40), dfm.toString());
        }
    }

    /** The positions of the b largest values, largest first, ties toward the lower position. */
    private static int[] topIds(double[] v, int b) {
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted((a, c) -> v[a] != v[c] ? Double.compare(v[c], v[a]) : Integer.compare(a, c)).limit(b)
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void javaAndLapackEigenDecompositionsAgree() {
        SplittableRandom r = new SplittableRandom(23);
        for (int n : new int[] {1, 2, 9, 40}) {
            double[][] x = FeatureSimilaritySamplingTest.gaussian(n + 3, n, r);
            double[][] sym = new double[n][n];
            for (double[] row : x) {
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        sym[a][b] += row[a] * row[b];
                    }
                }
            }
            DeepFeatureModelingSampling.SymmetricEigen java = DeepFeatureModelingSampling.SymmetricEigen.commonsMath(sym);
            DeepFeatureModelingSampling.SymmetricEigen lapack = DeepFeatureModelingSampling.SymmetricEigen.lapack(sym);
            assertArrayEquals(lapack.ascendingValues(), java.ascendingValues(), 1e-9);
            for (int i = 0; i < n; i++) {
                // Eigenvectors agree up to sign (the eigenvalues of random Wishart matrices are distinct).
                double dot = FeatureSimilaritySamplingTest.dot(java.vector(i), lapack.vector(i));
                assertEquals(1.0, Math.abs(dot), 1e-9, "n = " + n + ", vector " + i);
            }
        }
    }

    /**
     * The whole query against the naive definition (Commons Math SVD, then the top b, ties toward the lower id) on
     * random and adversarial pools: duplicate candidates, a single class, one labeled sample, fewer candidates than
     * threads, d not a multiple of 4, and more candidates than one chunk ({@code FeatureRows.CHUNK}).
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
        Selection a = Strategies.deepFeatureModeling().withComponents(2).select(pool, rows, 300);
        Selection b = Strategies.deepFeatureModeling().withComponents(2).select(pool, predictOnly, 300);
        assertArrayEquals(a.ids(), b.ids());
        assertArrayEquals(a.scores().orElseThrow(), b.scores().orElseThrow(), 0.0);
    }

    @Test
    void selectionsEqualTheNaiveQuery() {
        SplittableRandom r = new SplittableRandom(43);
        int[][] shapes = { // n, d, k, labeled, budget, components
            {60, 7, 3, 20, 20, 2}, {60, 13, 1, 9, 25, 3}, {40, 5, 4, 1, 12, 2}, {3, 6, 2, 2, 3, 1}, {2, 3, 2, 0, 1, 1},
            {FeatureRows.CHUNK + 300, 3, 3, 12, 500, 1}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int d = shape[1];
            int k = shape[2];
            int labeledCount = shape[3];
            double[][] emb = FeatureSimilaritySamplingTest.gaussian(n + labeledCount, d, r);
            for (int i = 5; i < n; i += 7) {
                emb[i] = emb[i - 3].clone();
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
            double[] naive = naiveErrors(FeatureSimilaritySamplingTest.rounded(z), predicted,
                    FeatureSimilaritySamplingTest.rounded(lab), labels, k, shape[5], Double.NaN);
            Integer[] order = new Integer[candidates.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> naive[a] != naive[b] ? Double.compare(naive[b], naive[a])
                    : Integer.compare(candidates[a], candidates[b]));
            int[] expected = java.util.Arrays.stream(order).limit(shape[4]).mapToInt(i -> candidates[i]).toArray();
            Selection s = Strategies.deepFeatureModeling().withComponents(shape[5]).select(pool, model, shape[4]);
            assertArrayEquals(expected, s.ids(), java.util.Arrays.toString(shape));
        }
    }

    /**
     * The fit's Gram matrix and principal directions, four features (rows) per pass, equal one per pass bit for bit:
     * m, d not multiples of 4, duplicate rows, zero rows.
     */
    @Test
    void gramAndDirectionsEqualOneStepPerPass() {
        SplittableRandom r = new SplittableRandom(17);
        for (int m : new int[] {1, 2, 3, 4, 5, 8, 13}) {
            for (int d : new int[] {1, 3, 4, 5, 7, 17}) {
                double[][] xc = new double[m][d];
                for (int i = 0; i < m; i++) {
                    for (int q = 0; q < d; q++) {
                        xc[i][q] = i % 3 == 1 ? xc[i - 1][q] : i % 5 == 4 ? 0 : r.nextGaussian();
                    }
                }
                double[][] g = DeepFeatureModelingSampling.gram(xc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int q = 0; q < d; q++) {
                            s += xc[i][q] * xc[j][q];
                        }
                        assertEquals(s, g[i][j], 0.0, "m = " + m + ", d = " + d);
                        assertEquals(s, g[j][i], 0.0, "m = " + m + ", d = " + d);
                    }
                }
                double[] v = r.doubles(m).toArray();
                double scale = 0.37;
                double[] out = r.doubles(d + 3).toArray();
                double[] expected = out.clone();
                for (int i = 0; i < m; i++) {
                    double a = v[i] * scale;
                    for (int q = 0; q < d; q++) {
                        expected[2 + q] += a * xc[i][q];
                    }
                }
                DeepFeatureModelingSampling.addScaledRows(out, 2, xc, v, scale);
                assertArrayEquals(expected, out, 0.0, "m = " + m + ", d = " + d);
            }
        }
    }

    @Test
    void handCheckedErrors() {
        // Class 0: (0, 0) and (2, 0): mean (1, 0), one direction (1, 0). Candidate (5, 3) is 3 off that line.
        // Class 1: the single sample (0, 5): candidate (1, 5) is at distance 1 from it.
        // Class 2: no labeled sample: distance to the pooled mean ((0 + 2 + 0) / 3, (0 + 0 + 5) / 3) = (2/3, 5/3);
        // candidate (2/3, 5/3 + 4) is at distance 4.
        double[][] lab = {{0, 0}, {2, 0}, {0, 5}};
        int[] labels = {0, 0, 1};
        // (The features are read as floats: 2/3 and 5/3 + 4 round to within 3e-7, hence the tolerance.)
        double[][] z = {{5, 3}, {1, 5}, {2.0 / 3, 5.0 / 3 + 4}};
        double[] e = errors(Strategies.deepFeatureModeling().withComponents(1), z, new int[] {0, 1, 2}, lab, labels, 3,
                1);
        assertArrayEquals(new double[] {3, 1, 4}, e, 1e-6);
        // Nothing labeled at all: the error is the norm, |(5, 3)| = sqrt(34).
        double[] none = Strategies.deepFeatureModeling().reconstructionErrors(new float[] {5, 3}, new int[] {0},
                new float[0], new int[0], 3, 2, 1);
        assertArrayEquals(new double[] {Math.sqrt(34)}, none, 1e-12);
    }

    @Test
    void explainedVarianceRuleHandChecked() {
        double[] ascending = {1, 2, 7}; // total 10: the leading component explains 0.7, two explain 0.9
        assertEquals(1, Strategies.deepFeatureModeling().withExplainedVariance(0.7).keptComponents(ascending, 10, 3));
        assertEquals(2, Strategies.deepFeatureModeling().withExplainedVariance(0.75).keptComponents(ascending, 10, 3));
        assertEquals(3, Strategies.deepFeatureModeling().withExplainedVariance(1.0).keptComponents(ascending, 10, 3));
        assertEquals(2, Strategies.deepFeatureModeling().withExplainedVariance(1.0).keptComponents(ascending, 10, 2));
        assertEquals(2, Strategies.deepFeatureModeling().withComponents(5).keptComponents(ascending, 10, 2));
    }

    /**
     * A sample inside its class's principal subspace is reconstructed exactly; one moved by {@code t} along a
     * direction orthogonal to that subspace has error {@code |t|}.
     */
    @Property(tries = 30)
    void errorIsTheDistanceToTheClassSubspace(@ForAll @IntRange(min = 2, max = 10) int d,
            @ForAll @IntRange(min = 1, max = 9) int rank, @ForAll @IntRange(min = 1, max = 15) int extra,
            @ForAll long seed) {
        int r = Math.min(rank, d - 1);
        int m = r + extra; // m >= r + 1 generic samples span the r-dimensional affine subspace
        SplittableRandom random = new SplittableRandom(seed);
        double[][] basis = FeatureSimilaritySamplingTest.gaussian(r, d, random);
        double[] mu = FeatureSimilaritySamplingTest.gaussian(1, d, random)[0];
        double[][] lab = new double[m + 3][];
        int[] labels = new int[m + 3];
        for (int j = 0; j < m; j++) {
            lab[j] = pointIn(mu, basis, random);
        }
        for (int j = m; j < m + 3; j++) { // a second class, anywhere
            lab[j] = FeatureSimilaritySamplingTest.gaussian(1, d, random)[0];
            labels[j] = 1;
        }
        double[] inside = pointIn(mu, basis, random);
        double[] orthogonal = orthogonalUnit(basis, d, random);
        double t = 0.5 + 3 * random.nextDouble();
        double[] outside = inside.clone();
        for (int j = 0; j < d; j++) {
            outside[j] += t * orthogonal[j];
        }
        for (DeepFeatureModelingSampling dfm : new DeepFeatureModelingSampling[] {
            Strategies.deepFeatureModeling().withComponents(r),
            Strategies.deepFeatureModeling().withExplainedVariance(1.0)}) {
            double[] e = errors(dfm, new double[][] {inside, outside}, new int[] {0, 0}, lab, labels, 2, 1);
            // The features are read as floats: rounding moves every point by up to 6e-8 of its size per feature, off
            // the subspace and off distance t; the naive-reference tests check the precision, this one the geometry.
            double scale = 1 + Math.sqrt(FeatureSimilaritySamplingTest.dot(inside, inside));
            assertEquals(0, e[0], 1e-5 * scale, dfm + ": inside the subspace");
            assertEquals(t, e[1], 1e-5 * scale, dfm + ": at distance t");
        }
    }

    private static double[] pointIn(double[] mu, double[][] basis, SplittableRandom random) {
        double[] x = mu.clone();
        for (double[] b : basis) {
            double a = 2 * TestModels.gaussian(random);
            for (int j = 0; j < x.length; j++) {
                x[j] += a * b[j];
            }
        }
        return x;
    }

    /** A unit vector orthogonal to every basis row (Gram-Schmidt of a random vector against an orthonormalised basis). */
    private static double[] orthogonalUnit(double[][] basis, int d, SplittableRandom random) {
        double[][] q = new double[basis.length][];
        for (int i = 0; i < basis.length; i++) {
            q[i] = basis[i].clone();
            for (int j = 0; j < i; j++) {
                double p = FeatureSimilaritySamplingTest.dot(q[i], q[j]);
                for (int c = 0; c < d; c++) {
                    q[i][c] -= p * q[j][c];
                }
            }
            double n = Math.sqrt(FeatureSimilaritySamplingTest.dot(q[i], q[i]));
            for (int c = 0; c < d; c++) {
                q[i][c] /= n;
            }
        }
        while (true) {
            double[] v = FeatureSimilaritySamplingTest.gaussian(1, d, random)[0];
            for (double[] b : q) {
                double p = FeatureSimilaritySamplingTest.dot(v, b);
                for (int c = 0; c < d; c++) {
                    v[c] -= p * b[c];
                }
            }
            double n = Math.sqrt(FeatureSimilaritySamplingTest.dot(v, v));
            if (n > 1e-3) {
                for (int c = 0; c < d; c++) {
                    v[c] /= n;
                }
                return v;
            }
        }
    }

    @Test
    void selectTakesTheWorstReconstructedCandidates() {
        // Class 0 labeled on the x axis (ids 0-2), class 1 labeled on the y axis (ids 3-5). Candidates 6-9:
        // id 6 predicted 0 at (4, 0.5): error 0.5; id 7 predicted 0 at (1, 2): error 2;
        // id 8 predicted 1 at (0.1, 7): error 0.1; id 9 predicted 1 at (3, 1): error 3.
        double[][] emb = {{-1, 0}, {0, 0}, {1, 0}, {0, -1}, {0, 0}, {0, 1}, {4, 0.5}, {1, 2}, {0.1, 7}, {3, 1}};
        double[][] probs = {{1, 0}, {1, 0}, {1, 0}, {0, 1}, {0, 1}, {0, 1}, {0.6, 0.4}, {0.9, 0.1}, {0.2, 0.8},
            {0.3, 0.7}};
        PrecomputedModel model = PrecomputedModel.builder(probabilities(probs)).embeddings(Nd4j.create(emb)).build();
        Pool pool = Pool.withoutInputs(10, 2).withLabels(new int[] {0, 1, 2, 3, 4, 5}, new int[] {0, 0, 0, 1, 1, 1});
        Selection s = Strategies.deepFeatureModeling().withComponents(1).select(pool, model, 3);
        assertArrayEquals(new int[] {9, 7, 6}, s.ids());
        assertArrayEquals(new double[] {3, 2, 0.5}, s.scores().orElseThrow(), 1e-6);
    }

    @Test
    void withoutLabelsTheScoreIsTheNorm() {
        Pool pool = Pool.withoutInputs(30, 3);
        PrecomputedModel model = TestModels.random(30, 3, 4, 1, 9);
        int[] ids = pool.candidates();
        double[] scores = Strategies.deepFeatureModeling().score(pool, model, ids);
        double[] norms = model.predict(pool, ids).embeddings().norm2(1).toDoubleVector();
        assertArrayEquals(norms, scores, 1e-5);
    }

    @Test
    void optionsAreValidatedAndEchoed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.deepFeatureModeling().withComponents(0));
        assertTrue(e.getMessage().contains("components") && e.getMessage().contains("0"), e.getMessage());
        for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> Strategies.deepFeatureModeling().withExplainedVariance(bad));
            assertTrue(e.getMessage().contains("explainedVariance"), e.getMessage());
        }
        assertEquals("Strategies.deepFeatureModeling()", Strategies.deepFeatureModeling().toString());
        assertEquals("Strategies.deepFeatureModeling().withComponents(8)",
                Strategies.deepFeatureModeling().withComponents(8).toString());
        assertEquals("Strategies.deepFeatureModeling().withExplainedVariance(0.9)",
                Strategies.deepFeatureModeling().withExplainedVariance(0.9).toString());
        assertEquals(Strategies.deepFeatureModeling().withComponents(8),
                Strategies.deepFeatureModeling().withExplainedVariance(0.5).withComponents(8));
        assertNotEquals(Strategies.deepFeatureModeling(), Strategies.deepFeatureModeling().withComponents(8));
    }
}
