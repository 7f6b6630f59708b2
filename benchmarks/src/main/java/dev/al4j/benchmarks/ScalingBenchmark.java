package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
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
 * Query time against the number of candidates, N = 10⁴, 10⁵, 10⁶, with b = 1 000, 1 000 labeled, d = 512, K = 10,
 * T = 20, on {@link ScalSetting} outputs; each trial builds only the outputs its strategy reads. Run it with
 * {@code -prof gc} ({@code run.sh} does) for the heap bytes allocated per query ({@code gc.alloc.rate.norm});
 * ND4J's native (off-heap) buffers are not counted there, so the README states each strategy's native footprint.
 *
 * <p>Memory at N = 10⁶: embeddings 2.05 GB and MC passes 0.8 GB (twice: {@code PrecomputedModel} keeps a
 * row-major copy) native, plus the strategy's working set (k-center and BADGE pull the candidates' rows, another
 * 2 GB). The fork gets {@code -Xmx6g} and a javacpp limit of 14 GB native, 22 GB physical; this fits the 24 GiB
 * machine when nothing else large runs. Expected durations are in the README: k-means at 10⁶ is minutes per query.
 *
 * <pre>{@code
 * benchmarks/run.sh ScalingBenchmark
 * benchmarks/run.sh ScalingBenchmark -p candidates=10000,100000 -p strategy=entropy,bald
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.bytedeco.javacpp.maxbytes=14G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=22G"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ScalingBenchmark {

    /** A {@link StrategyRegistry} name. */
    @Param({"entropy", "bald", "kCenterGreedy", "badge", "kMeans", "featureSimilarity", "deepFeatureModeling"})
    public String strategy;

    @Param({"10000", "100000", "1000000"})
    public int candidates;

    @Param("1000")
    public int labeled;

    @Param("512")
    public int dimension;

    @Param("10")
    public int classes;

    @Param("20")
    public int passes;

    @Param("1000")
    public int budget;

    ScalSetting setting;
    QueryStrategy query;

    /** Builds the outputs the strategy reads, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        StrategyRegistry.Entry entry = StrategyRegistry.get(strategy);
        query = entry.create();
        setting = ScalSetting.builder().candidates(candidates).labeled(labeled).dimension(dimension)
                .classes(classes).passes(entry.reads() == StrategyRegistry.Reads.MC_PASSES ? passes : 0)
                .embeddings(entry.reads() == StrategyRegistry.Reads.EMBEDDINGS).seed(42).build();
    }

    /** One query of {@code budget} candidates. */
    @Benchmark
    public Selection select() {
        return query.select(setting.pool(), setting.model(), budget);
    }
}
