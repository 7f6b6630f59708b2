package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Selection;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** VAAL (Sinha et al. 2019; seed 001, seed 003): its formulas, its gradients, a tiny training run and its contract. */
class VariationalAdversarialActiveLearningTest {

    private static final int DIM = 16;
    private static final int PER_GROUP = 40;

    /**
     * Ids 0..39: labeled, from distribution A (every input ≈ 0.2); ids 40..79: unlabeled, also from A; ids 80..119:
     * unlabeled, from a visibly different distribution B (first half of the inputs ≈ 0.9, second half ≈ 0).
     */
    static Pool twoDistributions;
    static VariationalAdversarialActiveLearning vaal;

    @BeforeAll
    static void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 3 * PER_GROUP;
        float[] x = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            boolean fromB = i >= 2 * PER_GROUP;
            for (int j = 0; j < DIM; j++) {
                double mean = fromB ? (j < DIM / 2 ? 0.9 : 0.0) : 0.2;
                x[i * DIM + j] = (float) (mean + 0.05 * SyntheticData.gaussian(random));
            }
        }
        int[] labeled = new int[PER_GROUP];
        int[] labels = new int[PER_GROUP];
        for (int i = 0; i < PER_GROUP; i++) {
            labeled[i] = i;
            labels[i] = i % 2;
        }
        twoDistributions = Pool.of(PoolInputs.of(Nd4j.create(x, new long[] {n, DIM}, 'c')), 2)
                .withLabels(labeled, labels);
        vaal = Dl4jStrategies.vaal().withTraining(Training.adam(1e-3).withEpochs(2).withBatchSize(8))
                .withLatentSize(4).withSeed(3);
    }

    @Test
    void reparameterisationAndKlByHand() {
        // Row 0: μ = (0.5, −1), log σ² = (0, ln 4) → σ = (1, 2); ε = (1, −0.5): z = μ + σ ε = (1.5, −2).
        // KL = −½ Σ (1 + log σ² − μ² − σ²) = −½ [(1 + 0 − 0.25 − 1) + (1 + ln 4 − 1 − 4)] = −½ (−0.25 + ln 4 − 4)
        //    = ½ (4.25 − 1.3862944) = 1.4318528.
        // Row 1: μ = 0, log σ² = 0 (the prior itself): z = ε = (0.3, 0.7), KL = 0.
        INDArray mu = Nd4j.createFromArray(new double[][] {{0.5, -1}, {0, 0}});
        INDArray logVar = Nd4j.createFromArray(new double[][] {{0, Math.log(4)}, {0, 0}});
        INDArray eps = Nd4j.createFromArray(new double[][] {{1, -0.5}, {0.3, 0.7}});
        INDArray z = VaalNetworks.reparameterize(mu, logVar, eps);
        assertArrayEquals(new double[] {1.5, -2, 0.3, 0.7}, z.dup('c').data().asDouble(), 1e-12);
        INDArray kl = VaalNetworks.klDivergence(mu, logVar);
        assertEquals(1.4318528, kl.getDouble(0), 1e-7);
        assertEquals(0.5 * (4.25 - Math.log(4)), kl.getDouble(0), 1e-12);
        assertEquals(0.0, kl.getDouble(1), 1e-12);
        // the inputs are not changed
        assertEquals(0.5, mu.getDouble(0, 0), 0);
        assertEquals(Math.log(4), logVar.getDouble(0, 1), 0);
    }

    /**
     * The array forms against the textbook formulas written per element: {@code z_ij = μ_ij + exp(½ v_ij) ε_ij} and
     * {@code KL_i = Σ_j ½(σ_ij² + μ_ij² − 1 − v_ij) >= 0} (Gibbs' inequality; 0 only at the prior).
     */
    @Property(tries = 40)
    void reparameterisationAndKlMatchTheNaiveFormulas(@ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 1, max = 6) int z, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] mu = new double[n][z];
        double[][] v = new double[n][z];
        double[][] e = new double[n][z];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < z; j++) {
                mu[i][j] = r.nextDouble(-3, 3);
                v[i][j] = r.nextDouble(-4, 4);
                e[i][j] = r.nextDouble(-2, 2);
            }
        }
        INDArray sample = VaalNetworks.reparameterize(Nd4j.createFromArray(mu), Nd4j.createFromArray(v),
                Nd4j.createFromArray(e));
        INDArray kl = VaalNetworks.klDivergence(Nd4j.createFromArray(mu), Nd4j.createFromArray(v));
        for (int i = 0; i < n; i++) {
            double naive = 0;
            for (int j = 0; j < z; j++) {
                assertEquals(mu[i][j] + Math.exp(0.5 * v[i][j]) * e[i][j], sample.getDouble(i, j), 1e-12);
                naive += 0.5 * (Math.exp(v[i][j]) + mu[i][j] * mu[i][j] - 1 - v[i][j]);
            }
            assertEquals(naive, kl.getDouble(i), 1e-9 * Math.max(1, naive));
            assertTrue(kl.getDouble(i) >= 0, "KL " + kl.getDouble(i));
        }
    }

    @Test
    void softplusAndSigmoidAreStable() {
        assertEquals(Math.log(2), VaalNetworks.softplus(0), 1e-15);
        assertEquals(Math.log1p(Math.exp(3)), VaalNetworks.softplus(3), 1e-12);
        assertEquals(800, VaalNetworks.softplus(800), 1e-9); // e^800 overflows a naive log(1 + e^a)
        assertEquals(0, VaalNetworks.softplus(-800), 1e-300);
        assertEquals(0.5, VaalNetworks.sigmoid(0), 0);
        assertEquals(1 / (1 + Math.exp(-2)), VaalNetworks.sigmoid(2), 1e-15);
        assertEquals(1 / (1 + Math.exp(3)), VaalNetworks.sigmoid(-3), 1e-15);
    }

    /**
     * Small double-precision networks: input 5, encoder 6-4, latent 3, discriminator 5; every parameter shifted by
     * a little noise, so that no bias is exactly 0: a row whose ReLUs are all off would otherwise sit exactly on the
     * next layer's kink, where finite differences and the (one-sided) derivative disagree.
     */
    private static VaalNetworks small(double beta, double lambda, long seed) {
        VaalNetworks nets = VaalNetworks.of(5, 3, beta, lambda, Training.adam(1e-3), seed, new int[] {6, 4},
                new int[] {5}, DataType.DOUBLE);
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {nets.encoder(), nets.decoder(),
                nets.discriminator()}) {
            INDArray params = net.params();
            params.addi(randomRows(1, (int) params.length(), seed + params.length()).reshape(params.shape())
                    .subi(0.5).muli(0.2));
        }
        return nets;
    }

    private static INDArray randomRows(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(rows, cols);
    }

    /**
     * The VAE loss {@code L_VAE = L^trd + λ L^adv} (fixed noise ε) against central finite differences, for every
     * other parameter of the encoder and the decoder (which reaches the weights and the biases of every layer); β and λ away from 1 so that a missing factor shows.
     */
    @Test
    void vaeLossGradientMatchesFiniteDifferences() {
        double beta = 0.7;
        double lambda = 1.3;
        VaalNetworks nets = small(beta, lambda, 5);
        INDArray x = randomRows(5, 5, 6); // 2 labeled rows, 3 unlabeled
        INDArray eps = nets.noise(5, new SplittableRandom(7));
        nets.vaeStep(x, 2, eps, false);
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {nets.encoder(), nets.decoder()}) {
            INDArray analytic = net.getGradientsViewArray().dup();
            INDArray params = net.params();
            for (int i = 0; i < params.length(); i += 2) { // every other parameter: half the time, every layer
                double v = params.getDouble(i);
                double h = 1e-6;
                params.putScalar(i, v + h);
                VaalNetworks.VaeLosses up = nets.vaeStep(x, 2, eps, false);
                params.putScalar(i, v - h);
                VaalNetworks.VaeLosses down = nets.vaeStep(x, 2, eps, false);
                params.putScalar(i, v);
                double numeric = ((up.transductive() + lambda * up.adversarial())
                        - (down.transductive() + lambda * down.adversarial())) / (2 * h);
                double a = analytic.getDouble(i);
                assertEquals(numeric, a, 1e-6 + 1e-5 * Math.abs(numeric), "parameter " + i + " of " + net);
            }
        }
    }

    /**
     * The hand-written backpropagation ({@link VaalNetworks#backprop}) equals DL4J's own {@code backpropGradient} (the
     * naive reference), both the parameter gradients in the gradient view and the input gradient, on a
     * three-hidden-layer discriminator in double precision; asked for one of the two, it leaves the other out.
     */
    @Test
    void handWrittenBackpropEqualsDl4jBackprop() {
        VaalNetworks nets = VaalNetworks.of(5, 3, 1, 1, Training.adam(1e-3), 11, new int[] {6, 4},
                new int[] {7, 6, 5}, DataType.DOUBLE);
        MultiLayerNetwork d = nets.discriminator();
        d.params().addi(randomRows(1, (int) d.params().length(), 12).reshape(d.params().shape()).subi(0.5).muli(0.2));
        INDArray mu = randomRows(8, 3, 13).subi(0.5).muli(4);
        INDArray dLogit = randomRows(8, 1, 14).subi(0.5);
        d.setInput(mu);
        d.feedForward(true, false);
        org.deeplearning4j.nn.gradient.Gradient dl4j = d.backpropGradient(dLogit.dup(),
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()).getFirst();
        double[] referenceWeights = d.getGradientsViewArray().dup().reshape(-1).toDoubleVector();
        INDArray referenceInput = d.backpropGradient(dLogit.dup(),
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()).getSecond();
        d.getGradientsViewArray().assign(0);

        d.setInput(mu);
        INDArray before = dLogit.dup();
        VaalNetworks.Backprop both = VaalNetworks.backprop(d, d.feedForward(true, false), dLogit, true, true);
        assertEquals(before, dLogit, "the output gradient is not modified");
        double[] weights = d.getGradientsViewArray().reshape(-1).toDoubleVector();
        assertEquals(referenceWeights.length, weights.length);
        for (int i = 0; i < weights.length; i++) {
            assertEquals(referenceWeights[i], weights[i], 1e-12, "parameter " + i);
        }
        assertEquals(dl4j.gradientForVariable().keySet(), both.gradient().gradientForVariable().keySet());
        for (String key : dl4j.gradientForVariable().keySet()) {
            assertEquals(dl4j.getGradientFor(key), both.gradient().getGradientFor(key), key);
        }
        assertArrayEquals(new long[] {8, 3}, both.inputGradient().shape());
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(referenceInput.getDouble(i, j), both.inputGradient().getDouble(i, j), 1e-12,
                        "row " + i + ", column " + j);
            }
        }
        assertTrue(both.inputGradient().norm2Number().doubleValue() > 0, "a gradient that cannot fail: all zero");
        d.setInput(mu);
        VaalNetworks.Backprop inputOnly = VaalNetworks.backprop(d, d.feedForward(true, false), dLogit, false, true);
        assertEquals(both.inputGradient(), inputOnly.inputGradient());
        assertEquals(null, inputOnly.gradient());
        assertEquals(null, VaalNetworks.backprop(d, d.feedForward(true, false), dLogit, true, false).inputGradient());
    }

    /** The discriminator loss (labeled = 1, unlabeled = 0) against central finite differences, every parameter. */
    @Test
    void discriminatorLossGradientMatchesFiniteDifferences() {
        VaalNetworks nets = small(1, 1, 8);
        INDArray mu = randomRows(6, 3, 9).subi(0.5).muli(4); // 4 labeled rows, 2 unlabeled
        nets.discriminatorStepOnMeans(mu, 4, false);
        MultiLayerNetwork d = nets.discriminator();
        INDArray analytic = d.getGradientsViewArray().dup();
        INDArray params = d.params();
        for (int i = 0; i < params.length(); i++) {
            double v = params.getDouble(i);
            double h = 1e-6;
            params.putScalar(i, v + h);
            double up = nets.discriminatorStepOnMeans(mu, 4, false);
            params.putScalar(i, v - h);
            double down = nets.discriminatorStepOnMeans(mu, 4, false);
            params.putScalar(i, v);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic.getDouble(i), 1e-6 + 1e-5 * Math.abs(numeric), "parameter " + i);
        }
    }

    @Test
    void lossesByHandAtAKnownPoint() {
        // With every network parameter 0, μ = log σ² = 0 (KL 0), z = ε, x̂ = 0 and the logit s = 0 (D = ½):
        // L^trd = mean_L ‖x‖² + mean_U ‖x‖², L^adv = 2 ln 2, L_D = 2 ln 2.
        VaalNetworks nets = small(1, 1, 1);
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {nets.encoder(), nets.decoder(),
                nets.discriminator()}) {
            net.params().assign(0);
        }
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 0, 0, 0, 0}, {0, 2, 0, 0, 0}, {1, 1, 1, 0, 0}});
        VaalNetworks.VaeLosses l = nets.vaeStep(x, 2, nets.noise(3, new SplittableRandom(2)), false);
        // labeled rows: ‖x‖² = 1 and 4 → mean 2.5; unlabeled: 3 → total 5.5
        assertEquals(5.5, l.transductive(), 1e-12);
        assertEquals(2 * Math.log(2), l.adversarial(), 1e-12);
        assertEquals(2 * Math.log(2), nets.discriminatorStep(x, 2, false), 1e-12);
    }

    @Test
    void eachStepTrainsOnlyItsOwnSide() {
        VaalNetworks nets = small(1, 1, 4);
        INDArray x = randomRows(6, 5, 3);
        INDArray d0 = nets.discriminator().params().dup();
        INDArray e0 = nets.encoder().params().dup();
        INDArray g0 = nets.decoder().params().dup();
        nets.vaeStep(x, 3, nets.noise(6, new SplittableRandom(1)), true);
        assertEquals(d0, nets.discriminator().params(), "the VAE step must not train the discriminator");
        assertNotEquals(e0, nets.encoder().params());
        assertNotEquals(g0, nets.decoder().params());
        INDArray e1 = nets.encoder().params().dup();
        INDArray g1 = nets.decoder().params().dup();
        nets.discriminatorStep(x, 3, true);
        assertNotEquals(d0, nets.discriminator().params());
        assertEquals(e1, nets.encoder().params(), "the discriminator step must not train the encoder");
        assertEquals(g1, nets.decoder().params());
    }

    @Test
    void trainingLowersTheVaeLossAndTheDiscriminatorSeparatesTheTwoDistributions() {
        PoolInputs inputs = twoDistributions.requireInputs("test");
        int[] labeled = twoDistributions.labeled();
        int[] unlabeled = twoDistributions.candidates();
        VariationalAdversarialActiveLearning.Trained t = vaal.withTraining(
                Training.adam(1e-3).withEpochs(4).withBatchSize(8)).train(inputs, labeled, unlabeled);
        double[] vae = t.transductiveLosses();
        assertTrue(vae[3] < 0.5 * vae[0], "VAE loss per epoch " + Arrays.toString(vae));
        // The discriminator's log-odds of "unlabeled": the B samples (never labeled, unlike anything labeled) score
        // above the unlabeled A samples, which look like the labeled ones.
        int[] a = Arrays.copyOfRange(unlabeled, 0, PER_GROUP);
        int[] b = Arrays.copyOfRange(unlabeled, PER_GROUP, 2 * PER_GROUP);
        assertEquals(2 * PER_GROUP, b[0]);
        double[] sa = VariationalAdversarialActiveLearning.unlabeledLogOdds(t.networks(), inputs, a);
        double[] sb = VariationalAdversarialActiveLearning.unlabeledLogOdds(t.networks(), inputs, b);
        double meanA = Arrays.stream(sa).average().orElseThrow();
        double meanB = Arrays.stream(sb).average().orElseThrow();
        assertTrue(meanB > meanA, "mean log-odds of unlabeled: A " + meanA + ", B " + meanB);
    }

    @Test
    void theQueryPrefersTheUnlabeledLookingSamples() {
        Selection s = vaal.select(twoDistributions, null, PER_GROUP);
        long fromB = Arrays.stream(s.ids()).filter(id -> id >= 2 * PER_GROUP).count();
        // chance would pick half of the 40 from B
        assertTrue(fromB >= 30, "picked " + fromB + " of 40 from B: " + Arrays.toString(s.ids()));
        double[] scores = s.scores().orElseThrow();
        for (int i = 1; i < scores.length; i++) {
            assertTrue(scores[i - 1] >= scores[i], "scores must not increase: " + Arrays.toString(scores));
        }
    }

    @Test
    void queryContract() {
        VariationalAdversarialActiveLearning quick = vaal.withTraining(Training.adam(1e-3).withEpochs(1)
                .withBatchSize(16));
        Selection a = quick.select(twoDistributions, null, 7);
        assertEquals(7, a.size());
        Set<Integer> seen = new HashSet<>();
        for (int id : a.ids()) {
            assertTrue(id >= PER_GROUP && seen.add(id), "id " + id);
        }
        Selection again = quick.select(twoDistributions, null, 7);
        assertArrayEquals(a.ids(), again.ids(), "same seed, same selection");
        assertArrayEquals(a.scores().orElseThrow(), again.scores().orElseThrow(), 0);
        assertEquals(0, quick.select(twoDistributions, null, 0).size());
        // b >= candidates, in a candidate subset: every candidate of the subset once
        Pool few = twoDistributions.withCandidates(new int[] {50, 90, 91});
        int[] all = quick.select(few, null, 10).ids();
        Arrays.sort(all);
        assertArrayEquals(new int[] {50, 90, 91}, all);
    }

    @Test
    void badInputIsRefusedClearly() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> vaal.select(twoDistributions, null, -1));
        assertEquals("budget must be >= 0, found -1", negative.getMessage());
        IllegalStateException noInputs = assertThrows(IllegalStateException.class,
                () -> vaal.select(Pool.withoutInputs(10, 2).withLabels(new int[] {0}, new int[] {1}), null, 2));
        assertTrue(noInputs.getMessage().startsWith("Dl4jStrategies.vaal()") && noInputs.getMessage()
                .endsWith("needs the pool's inputs, but this pool has none"), noInputs.getMessage());
        Pool unlabeled = Pool.of(PoolInputs.of(Nd4j.rand(DataType.FLOAT, 6, 4)), 2);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> vaal.select(unlabeled, null, 2));
        assertTrue(none.getMessage().endsWith("needs labeled samples, found none"), none.getMessage());
        INDArray withNaN = Nd4j.rand(DataType.FLOAT, 6, 4);
        withNaN.putScalar(3, 2, Float.NaN);
        Pool nan = Pool.of(PoolInputs.of(withNaN), 2).withLabels(new int[] {0, 1}, new int[] {0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vaal.select(nan, null, 2));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(NullPointerException.class, () -> vaal.select(null, null, 2));
        assertThrows(IllegalArgumentException.class, () -> vaal.withLatentSize(0));
        assertThrows(IllegalArgumentException.class, () -> vaal.withBeta(-1));
        assertThrows(IllegalArgumentException.class, () -> vaal.withBeta(Double.NaN));
        IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
                () -> vaal.withAdversaryWeight(Double.POSITIVE_INFINITY));
        assertEquals("lambda must be finite and >= 0, found Infinity", lambda.getMessage());
        assertThrows(NullPointerException.class, () -> vaal.withTraining(null));
    }

    @Test
    void imageSamplesAreFlattened() {
        // [n, 1, 4, 4] images give the same selection as the same values as [n, 16] rows
        VariationalAdversarialActiveLearning quick = vaal.withTraining(Training.adam(1e-3).withEpochs(1)
                .withBatchSize(16));
        INDArray flat = twoDistributions.requireInputs("test").rows(
                java.util.stream.IntStream.range(0, 3 * PER_GROUP).toArray());
        Pool images = Pool.of(PoolInputs.of(flat.reshape('c', 3 * PER_GROUP, 1, 4, 4)), 2)
                .withLabels(twoDistributions.labeled(), twoDistributions.labelsOf(twoDistributions.labeled()));
        assertArrayEquals(quick.select(twoDistributions, null, 5).ids(), quick.select(images, null, 5).ids());
    }

    @Test
    void valueSemantics() {
        assertEquals("Dl4jStrategies.vaal().withSeed(0)", Dl4jStrategies.vaal().toString());
        assertEquals("Dl4jStrategies.vaal().withTraining(Training.adam(0.001).withEpochs(2).withBatchSize(8))"
                + ".withLatentSize(4).withSeed(3)", vaal.toString());
        assertEquals("Dl4jStrategies.vaal().withBeta(0.5).withAdversaryWeight(2.0).withSeed(0)",
                Dl4jStrategies.vaal().withBeta(0.5).withAdversaryWeight(2).toString());
        assertEquals(vaal, vaal.withSeed(3));
        assertEquals(vaal.hashCode(), vaal.withSeed(3).hashCode());
        assertNotEquals(vaal, vaal.withSeed(4));
        assertNotEquals(vaal, vaal.withBeta(2));
        assertEquals(VariationalAdversarialActiveLearning.DEFAULT_TRAINING, Dl4jStrategies.vaal().training());
        assertEquals(30, Dl4jStrategies.vaal().training().epochs());
        assertEquals(1e-3, Dl4jStrategies.vaal().training().learningRate(), 0);
        assertEquals(32, Dl4jStrategies.vaal().latentSize());
        assertEquals(1, Dl4jStrategies.vaal().beta(), 0);
        assertEquals(1, Dl4jStrategies.vaal().adversaryWeight(), 0);
    }
}
