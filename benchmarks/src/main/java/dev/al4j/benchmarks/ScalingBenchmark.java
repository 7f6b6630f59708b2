package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.diversity.KMeansSampling;
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
 * T = 20, on {@link ScalSetting} outputs; each trial builds only the outputs its strategy reads. The strategies are
 * the {@link StrategyRegistry} ones, the same seeded objects as in the query-time table. Run it with
 * {@code -prof gc} ({@code run.sh} does) for the heap bytes allocated per query ({@code gc.alloc.rate.norm});
 * ND4J's native (off-heap) buffers are not counted there, so the README states each strategy's native footprint.
 * JMH builds the {@code @Setup} fixture inside the first iteration, while the GC profiler counts: a run without
 * warm-up ({@code -wi 0}) reports the fixture's construction as the query's heap (about 4.2 GB at N = 10⁶, the
 * "4.5 GB per query" of FeatureSim and DFM in the 2026-11-22 table), so the report marks those figures and the heap
 * of a query at 10⁶ needs {@code -wi 1}.
 * The report ({@code report.ResultsToMarkdown}) turns one or several result files into the scaling table: time per
 * N, the growth exponent between successive N beside the one the strategy's cost predicts, and a verdict.
 *
 * <p>This class also replaces the former {@code DiversityScalingBenchmark} (k-center and BADGE at 10⁶ on the same
 * fixture): {@code -p candidates=1000000 -p strategy=kCenterGreedy,badge} runs the same queries.
 *
 * <p>The whole curve in about half an hour, as two runs (one cold shot per strategy at 10⁶, where a k-center query
 * alone takes minutes):
 * <pre>{@code
 * benchmarks/run.sh ScalingBenchmark -p candidates=10000,100000         # 1 warm-up + 3 shots each
 * benchmarks/run.sh ScalingBenchmark -p candidates=1000000 -wi 0 -i 1   # one cold shot each
 * }</pre>
 *
 * <p>k-means runs at most 10 Lloyd iterations by default, each a {@code N × b × d} gemm (about 40 s at 10⁶), after a
 * seeding of b passes like BADGE's: about 10 minutes per query at 10⁶. {@code -p kMeansMaxIterations=2} (given to
 * both runs, so that the curve stays one configuration) caps it for this benchmark only; the report labels the row
 * with the cap. The strategy's own default is unchanged.
 *
 * <p>Memory at N = 10⁶: embeddings 2.05 GB and MC passes 0.8 GB (twice: {@code PrecomputedModel} keeps a
 * row-major copy) native, plus the strategy's working set (k-center, BADGE and k-means keep one tiled float copy of
 * the candidates' embeddings on the heap, 2 GB). The fork gets {@code -Xmx6g} and a javacpp limit of 14 GB native,
 * 22 GB physical; this fits the 24 GiB machine when nothing else large runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g", "-Dorg.bytedeco.javacpp.maxbytes=14G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=22G"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ScalingBenchmark extends ScalQueryParams {

    /** The value of {@link #kMeansMaxIterations} that keeps the strategy's own default. */
    public static final String DEFAULT = "default";

    /** A {@link StrategyRegistry} name. */
    @Param({"entropy", "bald", "kCenterGreedy", "badge", "kMeans", "featureSimilarity", "deepFeatureModeling"})
    public String strategy;

    @Param({"10000", "100000", "1000000"})
    public int candidates;

    @Param("20")
    public int passes;

    /**
     * k-means only: {@value #DEFAULT} (the strategy's own cap on Lloyd iterations) or a number, the cap for this
     * benchmark ({@code KMeansSampling.withMaxIterations}); ignored by every other strategy.
     */
    @Param(DEFAULT)
    public String kMeansMaxIterations;

    /** Builds the outputs the strategy reads, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        StrategyRegistry.Entry entry = StrategyRegistry.get(strategy);
        prepare(withIterationCap(entry.create(), kMeansMaxIterations), setting(candidates)
                .passes(entry.reads() == StrategyCatalog.Reads.MC_PASSES ? passes : 0)
                .embeddings(entry.reads() == StrategyCatalog.Reads.EMBEDDINGS));
    }

    /** {@code strategy} with its Lloyd iterations capped at {@code cap} if it is k-means and the cap is a number. */
    static QueryStrategy withIterationCap(QueryStrategy strategy, String cap) {
        if (DEFAULT.equals(cap) || !(strategy instanceof KMeansSampling kMeans)) {
            return strategy;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(cap);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kMeansMaxIterations must be '" + DEFAULT
                    + "' or an integer >= 0, found '" + cap + "'", e);
        }
        return kMeans.withMaxIterations(iterations);
    }

    /** One query of {@code budget} candidates. */
    @Benchmark
    public Selection select() {
        return selectOnce();
    }
}
