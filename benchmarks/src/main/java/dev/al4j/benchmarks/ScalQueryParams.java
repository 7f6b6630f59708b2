package dev.al4j.benchmarks;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The sizes every query benchmark on a {@link ScalSetting} shares, as JMH parameters with the SCAL paper's Table 1
 * values (1 000 labeled samples, d = 512, K = 10, b = 1 000; change one with {@code -p labeled=...}), and the fixture
 * and strategy a benchmark builds in its {@code @Setup}. Each benchmark adds its strategies and its number of
 * candidates ({@code QueryTimeBenchmark}, {@code DiversityBenchmark}, {@code SeedPaperQueryBenchmark}: 10 000;
 * {@code ScalingBenchmark}: 10⁴ to 10⁶).
 */
@State(Scope.Benchmark)
public abstract class ScalQueryParams {

    @Param("1000")
    public int labeled;

    @Param("512")
    public int dimension;

    @Param("10")
    public int classes;

    @Param("1000")
    public int budget;

    ScalSetting setting;
    QueryStrategy query;

    /** A {@link ScalSetting} builder with {@code candidates} and these sizes, seed 42. */
    ScalSetting.Builder setting(int candidates) {
        return ScalSetting.builder().candidates(candidates).labeled(labeled).dimension(dimension).classes(classes)
                .seed(42);
    }

    /** Keeps {@code strategy} and builds the fixture {@code setting} describes: a benchmark's trial setup. */
    final void prepare(QueryStrategy strategy, ScalSetting.Builder setting) {
        this.query = strategy;
        this.setting = setting.build();
    }

    /** One query of {@code budget} candidates of the fixture. */
    Selection selectOnce() {
        return query.select(setting.pool(), setting.model(), budget);
    }
}
