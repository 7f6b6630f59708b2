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
 * Scoring {@code t × n × k} MC-dropout probabilities (default 20 × 100 000 × 10) with BALD and MeanSTD (and the
 * entropy of the mean, for comparison): validation, one pull per pass out of native memory, the blocked scoring
 * loops, on a precomputed {@code INDArray}; and whole BALD and MeanSTD queries of 1 000 through a
 * {@link PrecomputedModel} (the path issue 16 measures). Each benchmark returns its result, which JMH sinks into a
 * {@code Blackhole}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar BayesianScoringBenchmark
 * java -jar benchmarks/target/benchmarks.jar BayesianScoringBenchmark -f 0 -wi 0 -i 1 -r 1 -p n=1000
 * }</pre>
 */
public class BayesianScoringBenchmark extends ScoringProtocol {

    /** Stochastic passes. */
    @Param("20")
    public int t;

    /** Rows (candidates). */
    @Param("100000")
    public int n;

    /** Classes. */
    @Param("10")
    public int k;

    INDArray samples;

    /** Builds the passes once per trial, outside the measurement. */
    @Setup(Level.Trial)
    public void setUp() {
        samples = SyntheticOutputs.softmaxRows(new long[] {t, n, k}, k, 43);
        pool = Pool.withoutInputs(n, k);
        model = PrecomputedModel.builder(samples.mean(0)).mcProbabilities(samples).build();
    }

    /** BALD mutual information of every row. */
    @Benchmark
    public double[] bald() {
        return UncertaintyScores.bald(samples);
    }

    /** MeanSTD of every row. */
    @Benchmark
    public double[] meanStd() {
        return UncertaintyScores.meanStd(samples);
    }

    /** Entropy of the mean over passes of every row. */
    @Benchmark
    public double[] entropyMc() {
        return UncertaintyScores.entropyMc(samples);
    }

    /** A whole query through a {@link PrecomputedModel}: the 1 000 candidates with the highest BALD score. */
    @Benchmark
    public Selection baldQuery() {
        return Strategies.bald().select(pool, model, 1000);
    }

    /** A whole query through a {@link PrecomputedModel}: the 1 000 candidates with the highest MeanSTD. */
    @Benchmark
    public Selection meanStdQuery() {
        return Strategies.meanStd().select(pool, model, 1000);
    }
}
