package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Selection;
import dev.al4j.core.TrainingData;
import dev.al4j.strategies.StrategyCatalog;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link AdversarialSampling} (AdvBIM, AdvDeepFool) and {@link InputGradients} on a tiny trained MLP: input gradients
 * against finite differences, perturbations that really flip the label, near-boundary points nearer than far ones,
 * and the query contract.
 */
class AdversarialSamplingTest {

    static final int N = 90;
    static final int LABELED = 45;
    static final int DIM = 6;
    static final int K = 3;
    static SyntheticData data;
    static Pool pool;
    static Dl4jModel model;

    @BeforeAll
    static void train() {
        data = SyntheticData.blobs(N, DIM, K, 5);
        pool = data.pool(LABELED);
        model = Dl4jLearner.of(Architectures.mlp().withHiddenLayers(16, 8),
                Training.adam(1e-2).withEpochs(40).withBatchSize(16)).fit(TrainingData.of(pool, 3));
    }

    static int[] range(int from, int to) {
        int[] ids = new int[to - from];
        Arrays.setAll(ids, i -> from + i);
        return ids;
    }

    static int[] predicted(INDArray inputs) {
        return AdversarialSampling.argMaxRows(model.probabilities(inputs));
    }

    @Test
    void inputGradientsMatchFiniteDifferences() {
        // In double precision: f_c(x) = (h(x) W + b)_c; ∇_x f_c from the vector-Jacobian product with W[:, c],
        // and ∇_x Σ_c v_c f_c for a mixed v (what BIM's cross-entropy gradient uses), against central differences.
        ComputationGraph net = model.network().convertDataType(DataType.DOUBLE);
        InputGradients g = InputGradients.of(net);
        INDArray x = data.inputs.get(NDArrayIndex.interval(LABELED, LABELED + 4), NDArrayIndex.all())
                .castTo(DataType.DOUBLE).dup('c');
        int n = (int) x.rows();
        INDArray w = g.weights();
        double[][] mixes = {{1, 0, 0}, {0, 0, 1}, {0.3, -0.7, 0.4}};
        for (double[] v : mixes) {
            INDArray direction = w.mmul(Nd4j.create(v).reshape(K, 1)).reshape(1, -1); // [1, d]: W v
            g.forward(x);
            INDArray eps = Nd4j.zeros(DataType.DOUBLE, n, w.rows()).addiRowVector(direction);
            double[][] analytic = g.backward(eps).toDoubleMatrix();
            double step = 1e-5;
            for (int j = 0; j < DIM; j++) {
                INDArray plus = x.dup();
                plus.getColumn(j).addi(step);
                INDArray minus = x.dup();
                minus.getColumn(j).subi(step);
                double[] fPlus = g.logits(g.forward(plus)).mmul(Nd4j.create(v).reshape(K, 1)).toDoubleVector();
                double[] fMinus = g.logits(g.forward(minus)).mmul(Nd4j.create(v).reshape(K, 1)).toDoubleVector();
                for (int i = 0; i < n; i++) {
                    double numeric = (fPlus[i] - fMinus[i]) / (2 * step);
                    assertEquals(numeric, analytic[i][j], 1e-6 * (1 + Math.abs(numeric)),
                            "row " + i + ", input " + j + ", mix " + Arrays.toString(v));
                }
            }
        }
        // The logits the walker computes are the network's: their softmax is the network's output.
        INDArray h = g.forward(x);
        INDArray logits = g.logits(h);
        INDArray p = net.output(false, x)[0];
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(logits.subColumnVector(logits.max(1)
                .reshape(-1, 1)), true);
        assertTrue(p.equalsWithEps(e.diviColumnVector(e.sum(1).reshape(-1, 1)), 1e-9), "softmax(h W + b) = output");
    }

    @Test
    void smallCnnInputGradientsMatchFiniteDifferences() {
        // An untrained small CNN (convolution, max pooling, dense; the gradient is a property of the function), in
        // double: ∇_x (h W v) against central differences at 25 random input coordinates of 2 random images.
        ComputationGraph net = ArchitecturesTest.network(Architectures.smallCnn().withFilters(4).withDenseSize(16),
                new long[] {1, 28, 28}, 3).convertDataType(DataType.DOUBLE);
        InputGradients g = InputGradients.of(net);
        INDArray x = ArchitecturesTest.images(2, 1, 28, 9).castTo(DataType.DOUBLE).dup('c');
        INDArray v = Nd4j.create(new double[] {0.5, -1, 0.25}).reshape(3, 1);
        INDArray direction = g.weights().mmul(v).reshape(1, -1);
        g.forward(x);
        INDArray analytic = g.backward(Nd4j.zeros(DataType.DOUBLE, 2, g.weights().rows()).addiRowVector(direction));
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        double step = 1e-5;
        for (int t = 0; t < 25; t++) {
            int r = random.nextInt(28);
            int c = random.nextInt(28);
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            for (int i = 0; i < 2; i++) {
                plus.putScalar(new long[] {i, 0, r, c}, x.getDouble(i, 0, r, c) + step);
                minus.putScalar(new long[] {i, 0, r, c}, x.getDouble(i, 0, r, c) - step);
            }
            double[] fPlus = g.logits(g.forward(plus)).mmul(v).toDoubleVector();
            double[] fMinus = g.logits(g.forward(minus)).mmul(v).toDoubleVector();
            for (int i = 0; i < 2; i++) {
                double numeric = (fPlus[i] - fMinus[i]) / (2 * step);
                assertEquals(numeric, analytic.getDouble(i, 0, r, c), 1e-6 * (1 + Math.abs(numeric)),
                        "image " + i + ", pixel (" + r + ", " + c + ")");
            }
        }
    }

    @Test
    void networksWithoutAnInferenceModeGradientAreRefusedByVertex() {
        ComputationGraph resNet = ArchitecturesTest.network(Architectures.resNet18().withWidth(8),
                new long[] {3, 32, 32}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputGradients.of(resNet));
        assertTrue(e.getMessage().contains("BatchNormalization") && e.getMessage().contains("vertex '"),
                e.getMessage());
        ComputationGraph blockDropout = ArchitecturesTest.network(Architectures.smallCnn().withFilters(4)
                .withDenseSize(16).withDropout(0.3).withDropoutPlacement(DropoutPlacement.AFTER_CONV_BLOCKS),
                new long[] {1, 28, 28}, 3);
        e = assertThrows(IllegalArgumentException.class, () -> InputGradients.of(blockDropout));
        assertTrue(e.getMessage().contains("MC-dropout vertex"), e.getMessage());
    }

    @Test
    void perturbationsReallyFlipThePredictedLabel() {
        INDArray x = model.networkInputs(pool, range(LABELED, N));
        int[] before = predicted(x);
        for (AdversarialSampling s : new AdversarialSampling[] {Dl4jStrategies.advDeepFool(),
                Dl4jStrategies.advBim().withStep(0.02).withMaxIterations(200)}) {
            AdversarialSampling.Result r = model.withInputGradients(g -> s.attack(g, x));
            int[] after = predicted(r.perturbed());
            int flipped = 0;
            for (int i = 0; i < before.length; i++) {
                double d = r.distances()[i];
                assertTrue(d > 0, s + ": distance " + d + " of row " + i);
                if (Double.isFinite(d)) {
                    flipped++;
                    assertNotEquals(before[i], after[i], s + ": row " + i + " reported flipped at distance " + d);
                    // The distance is the norm of the perturbation that flipped it.
                    double norm = r.perturbed().getRow(i).sub(x.getRow(i)).norm2Number().doubleValue();
                    assertEquals(norm, d, 1e-4 * (1 + d), s + ": row " + i);
                } else {
                    assertEquals(before[i], after[i], s + ": row " + i + " never flipped");
                }
            }
            assertEquals(before.length, flipped, s + ": every row flips on this easy problem");
        }
    }

    @Test
    void aPointNearTheBoundaryIsNearerThanOneFarFromIt() {
        // Far: the mean of the labeled samples of class 0 (a blob's centre). Near: bisection along the segment to
        // the centre of class 1 until the label changes within 1e-4 of the segment's length, on class 0's side.
        double[][] centres = new double[K][DIM];
        for (int i = 0; i < LABELED; i++) {
            for (int j = 0; j < DIM; j++) {
                centres[data.labels[i]][j] += data.inputs.getDouble(i, j) / (LABELED / K);
            }
        }
        INDArray far = Nd4j.create(centres[0]).reshape(1, DIM).castTo(DataType.FLOAT);
        INDArray other = Nd4j.create(centres[1]).reshape(1, DIM).castTo(DataType.FLOAT);
        int farLabel = predicted(far)[0];
        assertNotEquals(farLabel, predicted(other)[0], "the two centres are predicted apart");
        double lo = 0;
        double hi = 1;
        for (int it = 0; it < 20; it++) {
            double mid = (lo + hi) / 2;
            INDArray point = far.mul(1 - mid).addi(other.mul(mid));
            if (predicted(point)[0] == farLabel) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        INDArray near = far.mul(1 - lo).addi(other.mul(lo));
        INDArray both = Nd4j.vstack(near, far);
        for (AdversarialSampling s : new AdversarialSampling[] {Dl4jStrategies.advDeepFool(),
                Dl4jStrategies.advBim().withStep(0.01).withMaxIterations(500)}) {
            double[] d = model.withInputGradients(g -> s.attack(g, both)).distances();
            assertTrue(d[0] < d[1], s + ": near " + d[0] + " should be nearer than far " + d[1]);
            assertTrue(d[0] < 0.05, s + ": the near point is within 1e-4 of the boundary along the segment, found "
                    + d[0]);
        }
    }

    @Test
    void aRowThatNeverFlipsGetsTheLargestDistanceAndComesLast() {
        AdversarialSampling once = Dl4jStrategies.advBim().withStep(1e-6).withMaxIterations(1);
        double[] d = once.distances(pool, model, range(LABELED, N));
        assertTrue(Arrays.stream(d).allMatch(v -> v == Double.POSITIVE_INFINITY), Arrays.toString(d));
        Selection s = once.select(pool, model, 5);
        assertArrayEquals(range(LABELED, LABELED + 5), s.ids(), "all tied at +∞: the lowest ids");
    }

    @Test
    void queryContract() {
        for (AdversarialSampling s : new AdversarialSampling[] {Dl4jStrategies.advDeepFool(),
                Dl4jStrategies.advBim()}) {
            assertEquals(0, s.select(pool, model, 0).size());
            Selection some = s.select(pool, model, 7);
            assertEquals(7, some.size());
            assertDistinctCandidates(pool, some);
            double[] scores = some.scores().orElseThrow();
            for (int i = 1; i < scores.length; i++) {
                assertTrue(scores[i - 1] <= scores[i], s + ": smallest distances first " + Arrays.toString(scores));
            }
            Selection all = s.select(pool, model, 1000);
            int[] picked = all.ids();
            Arrays.sort(picked);
            assertArrayEquals(pool.candidates(), picked);
            assertArrayEquals(some.ids(), s.select(pool, model, 7).ids(), "deterministic");
            int[] reversed = pool.candidates();
            for (int i = 0, j = reversed.length - 1; i < j; i++, j--) {
                int t = reversed[i];
                reversed[i] = reversed[j];
                reversed[j] = t;
            }
            assertArrayEquals(some.ids(), s.select(pool.withCandidates(reversed), model, 7).ids(),
                    "candidate order does not matter");
            int[] subset = Arrays.stream(pool.candidates()).filter(id -> id % 4 == 0).toArray();
            Selection restricted = s.select(pool.withCandidates(subset), model, 3);
            assertDistinctCandidates(pool.withCandidates(subset), restricted);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.select(pool, model, -3));
            assertTrue(e.getMessage().contains("budget") && e.getMessage().contains("-3"), e.getMessage());
        }
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        AdversarialSampling s = Dl4jStrategies.advDeepFool();
        PrecomputedModel other = PrecomputedModel.of(model.probabilities(pool, range(0, N)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.select(pool, other, 3));
        assertTrue(e.getMessage().contains("Dl4jModel") && e.getMessage().contains("advDeepFool"), e.getMessage());
        Pool noInputs = Pool.withoutInputs(N, K);
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> s.select(noInputs, model, 3));
        assertTrue(missing.getMessage().contains("inputs"), missing.getMessage()); // Pool.requireInputs' message
        Pool fourClasses = Pool.withoutInputs(N, K + 1);
        e = assertThrows(IllegalArgumentException.class, () -> s.select(fourClasses, model, 3));
        assertTrue(e.getMessage().contains("class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dl4jStrategies.advBim().withStep(0));
        assertTrue(e.getMessage().contains("step") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dl4jStrategies.advBim().withMaxIterations(0));
        assertTrue(e.getMessage().contains("maxIterations"), e.getMessage());
    }

    @Test
    void valuesAndCatalog() {
        assertEquals("Dl4jStrategies.advBim()", Dl4jStrategies.advBim().toString());
        assertEquals("Dl4jStrategies.advBim().withStep(0.01).withMaxIterations(9)",
                Dl4jStrategies.advBim().withStep(0.01).withMaxIterations(9).toString());
        assertEquals("Dl4jStrategies.advDeepFool()", Dl4jStrategies.advDeepFool().toString());
        assertEquals(Dl4jStrategies.advBim().withStep(0.01), Dl4jStrategies.advBim().withStep(0.01));
        assertNotEquals(Dl4jStrategies.advBim(), Dl4jStrategies.advDeepFool());
        StrategyCatalog all = Dl4jStrategies.catalog();
        assertEquals(Dl4jStrategies.advBim(), all.get("adv-bim").create(1));
        assertEquals(Dl4jStrategies.advDeepFool(), all.get("adv-deepfool").create(1));
        assertEquals(StrategyCatalog.Reads.INPUT_GRADIENTS, all.get("adv-bim").reads());
        assertTrue(!all.get("adv-deepfool").trainsOwnLearner());
    }

    static void assertDistinctCandidates(Pool p, Selection s) {
        Set<Integer> candidates = new HashSet<>();
        for (int id : p.candidates()) {
            candidates.add(id);
        }
        Set<Integer> seen = new HashSet<>();
        for (int id : s.ids()) {
            assertTrue(candidates.contains(id), "id " + id + " is not a candidate");
            assertTrue(seen.add(id), "id " + id + " selected twice");
        }
    }
}
