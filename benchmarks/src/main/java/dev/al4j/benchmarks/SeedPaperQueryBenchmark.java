package dev.al4j.benchmarks;

import dev.al4j.core.Selection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query time of the seed papers' strategies at the SCAL paper's Table 1 setting: 10 000 candidates, 512-d
 * features, K = 10, b = 1 000, 1 000 labeled samples, on the shared {@link ScalSetting} outputs (class-clustered
 * features, probabilities favouring the class, labels of the labeled samples = their class, so that the class PCA
 * of DFM and the neighbourhoods of CAL look like those of trained features). The strategies are the
 * {@link StrategyRegistry} ones, so this is the seed-paper rows of {@code QueryTimeBenchmark} with longer
 * iterations (5 s). Entropy on the same outputs is the unit of the paper's Table 1 (FeatureSim 1.32, DFM 1.38,
 * CoreSet 15.2, BALD 35.7 entropy units). The model's outputs are precomputed, so the time is the query alone (the
 * paper's timings also include the forward pass). Run: {@code benchmarks/run.sh SeedPaperQueryBenchmark}; a smoke
 * run with tiny sizes: {@code ... SeedPaperQueryBenchmark -f 0 -wi 0 -i 1 -r 1 -p candidates=200 -p dimension=16
 * -p labeled=50 -p budget=20}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SeedPaperQueryBenchmark extends ScalQueryParams {

    @Param({"entropy", "featureSimilarity", "deepFeatureModeling", "contrastiveActiveLearning"})
    public String strategy;

    @Param("10000")
    public int candidates;

    @Setup
    public void setUp() {
        prepare(StrategyRegistry.get(strategy).create(), setting(candidates));
    }

    @Benchmark
    public Selection query() {
        return selectOnce();
    }
}
