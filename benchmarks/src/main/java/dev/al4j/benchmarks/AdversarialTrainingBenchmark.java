package dev.al4j.benchmarks;

import dev.al4j.core.Pool;
import dev.al4j.core.Progress;
import dev.al4j.core.TrainingData;
import dev.al4j.dl4j.Architectures;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Dl4jStrategies;
import dev.al4j.dl4j.Training;
import dev.al4j.dl4j.VariationalAdversarialActiveLearning;
import dev.al4j.dl4j.WaalLearner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one training step of the adversarial methods (issue 19) at the survey study's input size (784
 * features, synthetic Fashion-MNIST-like samples from {@link EndToEndRoundBenchmark#syntheticPool}), next to their
 * floor, DL4J's own training step of the same MLP on as many samples. Each invocation is one epoch of exactly
 * {@value #STEPS} steps, built from scratch as the study's fits and queries are; JMH divides by the steps, so the
 * score is milliseconds per step, network construction spread over the epoch.
 *
 * <ul>
 *   <li>{@code waal}: {@code WaalLearner.of(Architectures.mlp(), adam(1e-3), 1 epoch, batch 64).fit(data, pool, ·)}
 *       on 500 labeled and {@value #STEPS}·64 unlabeled samples: per step a batch of 64 labeled and 64 unlabeled
 *       samples through the classifier and the critic (seed 003, WAAL).</li>
 *   <li>{@code vaal}: {@code VariationalAdversarialActiveLearning} with one epoch of batch 128 selecting 10 of
 *       {@value #STEPS}·128 candidates with 500 labeled: per step a VAE step and a discriminator step on 128 + 128
 *       samples, then one scoring pass over the candidates (about one more step's worth of forward passes).</li>
 *   <li>{@code mlp}: the floor, {@code Dl4jLearner.of(Architectures.mlp(), adam(1e-3), 1 epoch, batch 128)} on
 *       {@value #STEPS}·128 labeled samples: a plain cross-entropy step on as many samples as a WAAL step sees.</li>
 * </ul>
 *
 * <p>Average time (an epoch takes seconds, so each 1 s iteration runs one epoch, at times two), 1 fork, 1 warm-up
 * and 3 measured iterations per method; about 3 minutes on 2 cores. Run with one
 * OpenMP thread to see the cost per core: {@code OMP_NUM_THREADS=1 benchmarks/run.sh AdversarialTrainingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6G"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class AdversarialTrainingBenchmark {

    /** Steps in one measured epoch: the score is per step. */
    static final int STEPS = 100;
    static final int LABELED = 500;

    /** {@code waal}, {@code vaal}, or {@code mlp} (the floor). */
    @Param({"waal", "vaal", "mlp"})
    public String method;

    Pool pool;
    TrainingData data;
    WaalLearner waal;
    VariationalAdversarialActiveLearning vaal;
    Dl4jLearner mlp;

    /** Builds the samples once per trial: the pool's size gives each method exactly {@link #STEPS} steps. */
    @Setup(Level.Trial)
    public void setUp() {
        switch (method) {
            case "waal" -> {
                pool = EndToEndRoundBenchmark.syntheticPool(STEPS * 64, LABELED, 42);
                waal = WaalLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(1).withBatchSize(64));
            }
            case "vaal" -> {
                pool = EndToEndRoundBenchmark.syntheticPool(STEPS * 128, LABELED, 42);
                vaal = Dl4jStrategies.vaal()
                        .withTraining(Training.adam(1e-3).withEpochs(1).withBatchSize(128));
            }
            case "mlp" -> {
                pool = EndToEndRoundBenchmark.syntheticPool(1, STEPS * 128, 42);
                mlp = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(1).withBatchSize(128));
            }
            default -> throw new IllegalArgumentException(
                    "method must be waal, vaal or mlp, got '" + method + "'");
        }
        data = TrainingData.of(pool, 7);
    }

    /** One epoch of {@link #STEPS} steps (for VAAL, with its scoring pass), from a freshly built network. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Object epoch() {
        return switch (method) {
            case "waal" -> waal.fit(data, pool, Progress.none());
            case "vaal" -> vaal.select(pool, null, 10);
            default -> mlp.fit(data, Progress.none());
        };
    }
}
