package dev.al4j.benchmarks;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the scoring benchmarks ({@link UncertaintyScoringBenchmark}, {@link BayesianScoringBenchmark}) share: one
 * measurement protocol (average time in ms, one fork with a 6 GB heap, 3 warm-up and 5 measured iterations of 2 s;
 * JMH's annotations are inherited) and the pool and {@link PrecomputedModel} their whole-query benchmarks run on,
 * built in each one's {@code @Setup}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ScoringProtocol {

    Pool pool;
    PrecomputedModel model;
}
