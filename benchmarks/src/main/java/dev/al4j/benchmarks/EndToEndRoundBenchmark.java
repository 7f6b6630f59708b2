package dev.al4j.benchmarks;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TrainingData;
import dev.al4j.dl4j.Architectures;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Dl4jStrategies;
import dev.al4j.dl4j.Training;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where one active-learning round's time goes with a real network: the DL4J MLP
 * ({@code Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(epochs))}, 784 → 256 → 256 → 256 → 10,
 * dropout on the embedding) on Fashion-MNIST-sized inputs (synthetic: 784 features, a Gaussian mean per class plus
 * noise, as many samples as Fashion-MNIST's default AL setting: 1 000 labeled, 10 000 candidates). {@link #round()}
 * fits on the labeled samples and queries b = 1 000; {@link #query()} queries a model fitted in {@code @Setup},
 * which includes the forward passes the strategy needs (one for probabilities and embeddings, T = 20 for MC
 * dropout). Fit time is {@code round − query}; {@code ResultsToMarkdown} prints the split. Learning Loss (the
 * SCAL paper's 1.8-unit row) runs here, since it needs its own trained loss-prediction head.
 *
 * <p>Single-shot: 1 fork, 2 warm-up and 5 measured rounds per strategy; about 1.5 s per fit at 5 epochs (FACTS.md:
 * 0.3 ms per sample per epoch), so about 3 minutes for the default strategies.
 *
 * <pre>{@code
 * benchmarks/run.sh EndToEndRoundBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6G"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class EndToEndRoundBenchmark {

    /**
     * A {@link StrategyRegistry} name, or {@value #LEARNING_LOSS}: {@code Dl4jStrategies.learningLoss()} on a learner
     * {@code withLossPrediction()} (its fit also trains the loss-prediction module, so it costs more).
     */
    @Param({"random", "entropy", "bald", "kCenterGreedy", "badge", "featureSimilarity", LEARNING_LOSS})
    public String strategy;

    @Param("10000")
    public int candidates;

    @Param("1000")
    public int labeled;

    @Param("1000")
    public int budget;

    @Param("5")
    public int epochs;

    static final String LEARNING_LOSS = "learningLoss";
    static final int FEATURES = 784;
    static final int CLASSES = 10;

    Pool pool;
    Dl4jLearner learner;
    Model fitted;
    QueryStrategy query;

    /** Builds the inputs, the learner and a fitted model once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = syntheticPool(candidates, labeled, 42);
        learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(epochs));
        if (strategy.equals(LEARNING_LOSS)) {
            query = Dl4jStrategies.learningLoss();
            learner = learner.withLossPrediction();
        } else {
            query = StrategyRegistry.get(strategy).create();
        }
        fitted = learner.fit(TrainingData.of(pool, 7));
    }

    /** Fit on the labeled samples, then query. */
    @Benchmark
    public Selection round() {
        Model model = learner.fit(TrainingData.of(pool, 7));
        return query.select(pool, model, budget);
    }

    /** Query only, on the model fitted in setup (its forward passes included). */
    @Benchmark
    public Selection query() {
        return query.select(pool, fitted, budget);
    }

    /**
     * {@code candidates + labeled} samples of 784 features in [0, 1]-like range: class mean (uniform in [0, 1) per
     * feature) plus N(0, 0.3²) noise; the last {@code labeled} ids are labeled with their class.
     */
    static Pool syntheticPool(int candidates, int labeled, long seed) {
        int n = candidates + labeled;
        SplittableRandom random = new SplittableRandom(seed);
        float[] means = new float[CLASSES * FEATURES];
        for (int i = 0; i < means.length; i++) {
            means[i] = (float) random.nextDouble();
        }
        int[] classOf = new int[n];
        float[] x = new float[n * FEATURES];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(CLASSES);
            classOf[i] = c;
            for (int j = 0; j < FEATURES; j++) {
                double u = 1.0 - random.nextDouble();
                double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
                x[i * FEATURES + j] = means[c * FEATURES + j] + (float) (0.3 * g);
            }
        }
        int[] ids = IntStream.range(candidates, n).toArray();
        int[] labels = IntStream.range(candidates, n).map(i -> classOf[i]).toArray();
        return Pool.of(PoolInputs.of(Nd4j.create(x, new long[] {n, FEATURES}, 'c')), CLASSES).withLabels(ids, labels);
    }
}
