package dev.al4j.benchmarks;

import dev.al4j.core.Selection;
import java.util.concurrent.TimeUnit;
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
 * The query-time table in the setting of the SCAL paper's Table 1 (Krishnan et al. 2021): select b = 1 000 of
 * N = 10 000 candidates, d = 512, K = 10, T = 20 MC passes, 1 000 labeled, on precomputed outputs
 * ({@link ScalSetting#table1()}), for every strategy of {@link StrategyRegistry}. The time is one whole
 * {@code select} call: reading and validating the outputs the strategy needs from the {@code PrecomputedModel},
 * then choosing. The paper's times include its network's forward pass; ours start from stored outputs, so compare
 * the ratios to entropy, not the absolute times. {@code ResultsToMarkdown} prints the table with the paper's units
 * and the floor.
 *
 * <p>Default profile: 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement per strategy (a strategy slower than 1 s runs
 * once per iteration), about 4 minutes for the 20 strategies on 2 cores. Quick profile: {@code run.sh --quick}.
 *
 * <pre>{@code
 * benchmarks/run.sh QueryTimeBenchmark
 * benchmarks/run.sh QueryTimeBenchmark -p strategy=entropy,kCenterGreedy
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6G"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryTimeBenchmark extends ScalQueryParams {

    /** A {@link StrategyRegistry} name; {@code QueryTimeBenchmarkTest} checks this list is the registry's. */
    @Param({"random", "entropy", "margin", "leastConfidence", "bald", "meanStd", "entropyMc", "variationRatioMc",
        "kCenterGreedy", "badge", "kMeans", "dbal", "clusterMargin", "featureSimilarity", "deepFeatureModeling",
        "contrastiveActiveLearning"})
    public String strategy;

    @Param("10000")
    public int candidates;

    @Param("20")
    public int passes;

    /** Builds the outputs and the strategy once per trial, outside the measurement. */
    @Setup(Level.Trial)
    public void setUp() {
        prepare(StrategyRegistry.get(strategy).create(), setting(candidates).passes(passes));
    }

    /** One query of {@code budget} candidates. */
    @Benchmark
    public Selection select() {
        return selectOnce();
    }
}
