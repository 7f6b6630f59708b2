/**
 * JMH benchmarks of al4j's queries, documented with their results in {@code benchmarks/README.md} (run with
 * {@code benchmarks/run.sh}). The fixture is {@link dev.al4j.benchmarks.ScalSetting} (synthetic outputs in the
 * setting of the SCAL paper's Table 1); the strategies are catalog entries listed in
 * {@link dev.al4j.benchmarks.StrategyRegistry}. The benchmarks: {@link dev.al4j.benchmarks.QueryTimeBenchmark} (the
 * query-time table), {@link dev.al4j.benchmarks.ScalingBenchmark} (time and memory against N up to 10⁶),
 * {@link dev.al4j.benchmarks.DiversityBenchmark} and {@link dev.al4j.benchmarks.SeedPaperQueryBenchmark} (longer runs
 * of some rows), {@link dev.al4j.benchmarks.UncertaintyScoringBenchmark} and
 * {@link dev.al4j.benchmarks.BayesianScoringBenchmark} (the scoring kernels),
 * {@link dev.al4j.benchmarks.EndToEndRoundBenchmark} (one round with a DL4J network) and
 * {@link dev.al4j.benchmarks.MemoryBandwidthBenchmark} (the machine's floor).
 * {@link dev.al4j.benchmarks.SideBySide} times al4j against the numpy script in {@code benchmarks/peers/}.
 */
package dev.al4j.benchmarks;
