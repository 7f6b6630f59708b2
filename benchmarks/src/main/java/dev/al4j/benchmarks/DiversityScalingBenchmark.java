package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
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
 * k-center greedy and BADGE at scale: 1 000 000 candidates, d = 512, K = 10, 1 000 labeled, b = 1 000, float32.
 * The embeddings alone take 2 GB; the strategies add one 2 GB tiled copy and O(N) vectors, never an N × N or
 * N × K·d array. Floor: b passes over N × d floats from memory, about 1 000 × 76 ms = 76 s on the project machine.
 *
 * <pre>
 * java -Xmx12g -jar benchmarks/target/benchmarks.jar DiversityScalingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Dorg.bytedeco.javacpp.maxbytes=8G",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class DiversityScalingBenchmark {

    @Param({"kCenterGreedy", "badge"})
    public String strategy;

    @Param("1000000")
    public int candidates;

    @Param("512")
    public int dimension;

    @Param("1000")
    public int budget;

    private ScalSetting setting;
    private QueryStrategy query;

    @Setup
    public void setUp() {
        setting = ScalSetting.create(candidates, 1000, dimension, 10, 42);
        query = Variants.byName(strategy);
    }

    @Benchmark
    public Selection select() {
        return query.select(setting.pool(), setting.model(), budget);
    }
}
