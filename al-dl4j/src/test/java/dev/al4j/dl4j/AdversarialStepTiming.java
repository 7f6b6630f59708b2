package dev.al4j.dl4j;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
import dev.al4j.core.TrainingData;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Per-step timings of WAAL's and VAAL's training at the survey study's sizes (784 inputs, WAAL batches of 64 + 64,
 * VAAL batches of 128 + 128), split into their parts, printed; no assertion on time. Run on demand only:
 * {@code OMP_NUM_THREADS=1 mvn -B -q -o -pl al-dl4j -am test -Dtest=AdversarialStepTiming -Dal4j.timing=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "al4j.timing", matches = "true")
class AdversarialStepTiming {

    private static final int DIM = 784;
    private static final int WARM = 20;
    private static final int STEPS = Integer.getInteger("al4j.timing.steps", 60);

    private static void print(String what, long nanos, int steps) {
        System.out.printf("TIMING %-45s %8.2f ms/step (mean)%n", what, nanos / 1e6 / steps);
    }

    private static void record(long[][] parts, int part, int step, long nanos) {
        if (step >= WARM) {
            parts[part][step - WARM] = nanos;
        }
    }

    private static long[] sumOf(long[][] parts) {
        long[] sum = new long[STEPS];
        for (long[] part : parts) {
            for (int i = 0; i < STEPS; i++) {
                sum[i] += part[i];
            }
        }
        return sum;
    }

    /** The median of per-step times: robust to the other processes on this shared machine. */
    private static void printMedian(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("TIMING %-45s %8.2f ms/step (median)%n", what, sorted[sorted.length / 2] / 1e6);
    }

    @Test
    void waal() {
        int n = 6000;
        int l = 500;
        SyntheticData data = SyntheticData.blobs(n, DIM, 10, 1);
        Pool pool = data.pool(l);
        Training training = Training.adam(1e-3).withEpochs(1).withBatchSize(64);
        // the whole fit, one epoch of ⌈(n − l)/64⌉ steps
        WaalLearner learner = WaalLearner.of(Architectures.mlp(), training);
        learner.fit(TrainingData.of(pool, 5), pool, Progress.none()); // warm-up
        long t0 = System.nanoTime();
        learner.fit(TrainingData.of(pool, 6), pool, Progress.none());
        int fitSteps = (n - l + 63) / 64;
        print("waal fit (whole, incl. build)", System.nanoTime() - t0, fitSteps);

        // the parts of one step, as WaalLearner.train does them
        Architecture.Built built = Architectures.mlp().buildWithEmbeddingLoss(
                Dl4jLearner.baseConfiguration(training, 1), new long[] {DIM}, 10, 4, WaalLearner.CRITIC_LINK,
                new InjectedGradientLoss());
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        String embedding = built.embedding().vertex();
        WassersteinCritic critic = WassersteinCritic.initial(built.embedding().size(), WassersteinCritic.WIDTH, 5,
                DataType.FLOAT);
        GradientUpdater<?> updater = WaalLearner.criticUpdater(training, critic.parameters().length());
        INDArray oneHot = EpochLoop.oneHot(data.labels, 10);
        SplittableRandom random = new SplittableRandom(3);
        long[][] parts = new long[6][STEPS];
        int b = 64;
        for (int step = 0; step < WARM + STEPS; step++) {
            long a = System.nanoTime();
            int[] lRows = random.ints(b, 0, l).toArray();
            int[] uIds = random.ints(b, l, n).toArray();
            INDArray xl = EpochLoop.rows(data.inputs, lRows, new long[] {DIM});
            INDArray yl = Nd4j.pullRows(oneHot, 1, lRows);
            INDArray xu = pool.requireInputs("t").rows(uIds).reshape('c', b, -1).castTo(DataType.FLOAT);
            INDArray x = Nd4j.concat(0, xl, xu);
            long c = System.nanoTime();
            record(parts, 0, step, c - a);
            Map<String, INDArray> ff = net.feedForward(x, true);
            INDArray z = ff.get(embedding);
            long d = System.nanoTime();
            record(parts, 1, step, d - c);
            WassersteinCritic.ScoresAndGradients scored = critic.scoresAndInputGradients(z);
            INDArray dd = scored.scores();
            double est = dd.get(NDArrayIndex.interval(b, 2 * b)).meanNumber().doubleValue()
                    - 0.1 * dd.get(NDArrayIndex.interval(0, b)).meanNumber().doubleValue();
            INDArray coefficients = Nd4j.createFromArray(new float[2 * b]).addi(est * 0);
            INDArray injected = scored.inputGradients().muliColumnVector(coefficients.reshape(2L * b, 1));
            INDArray labels = Nd4j.concat(0, yl, Nd4j.zeros(DataType.FLOAT, b, 10));
            INDArray mask = Nd4j.concat(0, Nd4j.ones(DataType.FLOAT, b, 1), Nd4j.zeros(DataType.FLOAT, b, 1));
            long e = System.nanoTime();
            record(parts, 2, step, e - d);
            net.fit(new INDArray[] {x}, new INDArray[] {labels, injected}, null, new INDArray[] {mask, null});
            long f = System.nanoTime();
            record(parts, 3, step, f - e);
            INDArray z2 = net.feedForward(x, true).get(embedding);
            long g = System.nanoTime();
            record(parts, 4, step, g - f);
            WaalLearner.criticStep(critic, updater, z2, 0.1, 2e-3, 2, random, step, 0);
            record(parts, 5, step, System.nanoTime() - g);
        }
        String[] names = {"waal rows + concat", "waal feedForward #1", "waal critic scores/grads + arrays",
            "waal net.fit (fwd+bwd+Adam)", "waal feedForward #2", "waal critic step"};
        for (int i = 0; i < parts.length; i++) {
            printMedian(names[i], parts[i]);
        }
        printMedian("waal step (sum of the parts)", sumOf(parts));

        // the floor: DL4J's own fit of the same MLP, 128 labeled samples
        Architecture.Built plain = Architectures.mlp().build(Dl4jLearner.baseConfiguration(training, 1),
                new long[] {DIM}, 10, 4);
        ComputationGraph floor = new ComputationGraph(plain.configuration());
        floor.init();
        INDArray x128 = data.inputs.get(NDArrayIndex.interval(0, 128), NDArrayIndex.all()).dup();
        INDArray y128 = oneHot.get(NDArrayIndex.interval(0, 128), NDArrayIndex.all()).dup();
        long[][] floorParts = new long[2][STEPS];
        for (int step = 0; step < WARM + STEPS; step++) {
            long a = System.nanoTime();
            floor.fit(new INDArray[] {x128}, new INDArray[] {y128});
            long c = System.nanoTime();
            floor.feedForward(x128, true);
            long d = System.nanoTime();
            record(floorParts, 0, step, c - a);
            record(floorParts, 1, step, d - c);
        }
        printMedian("floor: DL4J fit of the MLP on 128", floorParts[0]);
        printMedian("floor: DL4J feedForward of the MLP on 128", floorParts[1]);
    }

    @Test
    void vaal() {
        int n = 3000;
        int l = 500;
        SyntheticData data = SyntheticData.blobs(n, DIM, 10, 1);
        Pool pool = data.pool(l);
        PoolInputs inputs = pool.requireInputs("t");
        Training training = Training.adam(1e-3).withEpochs(1).withBatchSize(128);
        VaalNetworks nets = VaalNetworks.of(DIM, 32, 1, 1, training, Seeds.mix(0, 31));
        SplittableRandom random = new SplittableRandom(3);
        long[][] parts = new long[4][STEPS];
        for (int step = 0; step < WARM + STEPS; step++) {
            long a = System.nanoTime();
            int[] ids = new int[256];
            for (int i = 0; i < 256; i++) {
                ids[i] = i < 128 ? random.nextInt(l) : l + random.nextInt(n - l);
            }
            INDArray x = inputs.rows(ids).reshape('c', 256, DIM).castTo(DataType.FLOAT);
            INDArray eps = nets.noise(256, random);
            long c = System.nanoTime();
            record(parts, 0, step, c - a);
            nets.vaeStep(x, 128, eps, true);
            long d = System.nanoTime();
            record(parts, 1, step, d - c);
            INDArray mu = nets.mu(x);
            long e = System.nanoTime();
            record(parts, 2, step, e - d);
            nets.discriminatorStepOnMeans(mu, 128, true);
            record(parts, 3, step, System.nanoTime() - e);
        }
        String[] names = {"vaal rows + noise", "vaal VAE step (enc+dec+disc, Adam)", "vaal encoder mu (disc step)",
            "vaal discriminator step"};
        for (int i = 0; i < parts.length; i++) {
            printMedian(names[i], parts[i]);
        }
        printMedian("vaal step (sum of the parts)", sumOf(parts));
        // the discriminator step's parts: forward alone, forward + loss + backprop, then with the Adam update
        INDArray mu = nets.mu(inputs.rows(pool.unlabeled()).reshape('c', -1, DIM).get(
                NDArrayIndex.interval(0, 256), NDArrayIndex.all()).castTo(DataType.FLOAT).dup());
        long[][] disc = new long[3][STEPS];
        for (int step = 0; step < WARM + STEPS; step++) {
            long a = System.nanoTime();
            nets.discriminator().setInput(mu);
            nets.discriminator().feedForward(true, false);
            long c = System.nanoTime();
            nets.discriminatorStepOnMeans(mu, 128, false);
            long d = System.nanoTime();
            nets.discriminatorStepOnMeans(mu, 128, true);
            long e = System.nanoTime();
            if (step >= WARM) {
                record(disc, 0, step, c - a);
                record(disc, 1, step, d - c);
                record(disc, 2, step, e - d);
            }
        }
        printMedian("vaal disc forward only", disc[0]);
        printMedian("vaal disc forward + backprop", disc[1]);
        printMedian("vaal disc forward + backprop + Adam", disc[2]);

        // the whole training, one epoch of ⌈max(L, U)/128⌉ steps
        int[] labeled = pool.labeled();
        int[] unlabeled = pool.unlabeled();
        VariationalAdversarialActiveLearning vaal = VariationalAdversarialActiveLearning.defaults()
                .withTraining(training);
        vaal.train(inputs, labeled, unlabeled);
        long t0 = System.nanoTime();
        vaal.train(inputs, labeled, unlabeled);
        print("vaal train (whole, incl. build)", System.nanoTime() - t0, (n - l + 127) / 128);

        // the matrix-product floor of the discriminator step (forward, input and weight gradients on 256 rows) as
        // bare gemm calls into preallocated arrays
        int[] widths = {32, 512, 512, 512, 512, 1};
        INDArray[] acts = new INDArray[widths.length];
        INDArray[] weights = new INDArray[widths.length - 1];
        INDArray[] grads = new INDArray[widths.length - 1];
        INDArray[] eps = new INDArray[widths.length];
        for (int i = 0; i < widths.length; i++) {
            acts[i] = Nd4j.rand(DataType.FLOAT, 256, widths[i]);
            eps[i] = Nd4j.rand(DataType.FLOAT, 256, widths[i]);
            if (i > 0) {
                weights[i - 1] = Nd4j.rand(DataType.FLOAT, widths[i - 1], widths[i]);
                grads[i - 1] = Nd4j.create(DataType.FLOAT, widths[i - 1], widths[i]);
            }
        }
        long[][] gemm = new long[1][STEPS];
        for (int step = 0; step < WARM + STEPS; step++) {
            long a = System.nanoTime();
            for (int i = 0; i < weights.length; i++) {
                Nd4j.gemm(acts[i], weights[i], acts[i + 1], false, false, 1.0, 0.0);
            }
            for (int i = weights.length - 1; i >= 0; i--) {
                Nd4j.gemm(acts[i], eps[i + 1], grads[i], true, false, 1.0, 0.0);
                Nd4j.gemm(eps[i + 1], weights[i], eps[i], false, true, 1.0, 0.0);
            }
            record(gemm, 0, step, System.nanoTime() - a);
        }
        printMedian("floor: bare gemms of the discriminator step", gemm[0]);
    }

    /**
     * ND4J ops per training step, counted by ND4J's op profiler over one epoch of each whole training (network
     * construction included, so a slight over-count), divided by the number of steps.
     */
    @Test
    @SuppressWarnings("deprecation") // ProfilingMode is the op counter this ND4J version has
    void opCounts() {
        int n = 3000;
        int l = 500;
        SyntheticData data = SyntheticData.blobs(n, DIM, 10, 1);
        Pool pool = data.pool(l);
        WaalLearner waal = WaalLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(1).withBatchSize(64));
        VariationalAdversarialActiveLearning vaal = VariationalAdversarialActiveLearning.defaults()
                .withTraining(Training.adam(1e-3).withEpochs(1).withBatchSize(128));
        org.nd4j.linalg.api.ops.executioner.OpExecutioner executioner = Nd4j.getExecutioner();
        org.nd4j.linalg.profiler.OpProfiler profiler = org.nd4j.linalg.profiler.OpProfiler.getInstance();
        try {
            executioner.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.OPERATIONS);
            profiler.reset();
            waal.fit(TrainingData.of(pool, 5), pool, Progress.none());
            System.out.printf("OPS waal %.0f ND4J ops per step (%d steps)%n",
                    profiler.getInvocationsCount() / (double) ((n - l + 63) / 64), (n - l + 63) / 64);
            profiler.reset();
            vaal.train(pool.requireInputs("t"), pool.labeled(), pool.unlabeled());
            System.out.printf("OPS vaal %.0f ND4J ops per step (%d steps)%n",
                    profiler.getInvocationsCount() / (double) ((n - l + 127) / 128), (n - l + 127) / 128);
        } finally {
            executioner.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.DISABLED);
        }
    }
}
