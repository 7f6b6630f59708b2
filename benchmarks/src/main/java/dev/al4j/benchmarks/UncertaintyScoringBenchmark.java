package dev.al4j.benchmarks;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.UncertaintyScores;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Scoring {@code n × k} class probabilities (default 1 000 000 × 10) with the single-model uncertainty scores:
 * the pure scores on a precomputed {@code INDArray} (validation, one pull out of native memory, the scoring loop),
 * and full queries of 1 000 through a {@link PrecomputedModel} with {@code Strategies.entropy()}, {@code margin()}
 * and {@code leastConfidence()} (model row lookup, validation, scoring, top-k: the path issue 16 measures). Each
 * benchmark returns its result, which JMH sinks into a {@code Blackhole}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar UncertaintyScoringBenchmark
 * java -jar benchmarks/target/benchmarks.jar UncertaintyScoringBenchmark -f 0 -wi 0 -i 1 -r 1 -p n=1000
 * }</pre>
 */
public class UncertaintyScoringBenchmark extends ScoringProtocol {

    /** Rows (candidates). */
    @Param("1000000")
    public int n;

    /** Classes. */
    @Param("10")
    public int k;

    INDArray probabilities;

    /** Builds the probabilities once per trial, outside the measurement. */
    @Setup(Level.Trial)
    public void setUp() {
        probabilities = SyntheticOutputs.softmaxRows(new long[] {n, k}, k, 42);
        pool = Pool.withoutInputs(n, k);
        model = PrecomputedModel.of(probabilities);
    }

    /** Entropy of every row. */
    @Benchmark
    public double[] entropy() {
        return UncertaintyScores.entropy(probabilities);
    }

    /** Margin score of every row. */
    @Benchmark
    public double[] margin() {
        return UncertaintyScores.margin(probabilities);
    }

    /** Least-confidence score of every row. */
    @Benchmark
    public double[] leastConfidence() {
        return UncertaintyScores.leastConfidence(probabilities);
    }

    /** A whole query: the 1 000 highest-entropy candidates of the pool. */
    @Benchmark
    public Selection entropyQuery() {
        return Strategies.entropy().select(pool, model, 1000);
    }

    /** A whole query: the 1 000 candidates with the highest margin score. */
    @Benchmark
    public Selection marginQuery() {
        return Strategies.margin().select(pool, model, 1000);
    }

    /** A whole query: the 1 000 least confident candidates. */
    @Benchmark
    public Selection leastConfidenceQuery() {
        return Strategies.leastConfidence().select(pool, model, 1000);
    }
}
