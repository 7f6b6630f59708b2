package dev.al4j.benchmarks.report;

import dev.al4j.core.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One entry of a JMH JSON result file ({@code -rf json}): the benchmark, its mode and parameters, the primary
 * metric (score, error of the 99.9 % confidence interval, median of the iterations, unit) and the secondary
 * metrics by name (with {@code -prof gc}: {@code gc.alloc.rate.norm} in B/op, among others).
 *
 * @param benchmark the fully qualified method, e.g. {@code dev.al4j.benchmarks.QueryTimeBenchmark.select}
 * @param mode JMH's short mode name: {@code avgt}, {@code ss}, {@code thrpt}, {@code sample}
 * @param params the {@code @Param} values, in file order
 * @param score the score (mean over iterations, or over forks' iterations)
 * @param error the half-width of the 99.9 % confidence interval; NaN when JMH had too few iterations
 * @param median the 50th percentile of the iterations' scores
 * @param unit the score's unit, e.g. {@code ms/op}
 * @param secondary secondary metric scores by name
 * @param jdkVersion the JDK that ran it
 * @param jvmArgs the forked JVM's arguments
 * @param measurements how many measured iterations the score summarises (over all forks; the shots, in
 *     single-shot mode)
 * @param warmupIterations the warm-up iterations per fork, or -1 when the file does not say
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, double score, double error,
        double median, String unit, Map<String, Double> secondary, String jdkVersion, List<String> jvmArgs,
        int measurements, int warmupIterations) {

    /** Reads every entry of a JMH JSON result file's text. */
    public static List<JmhResult> parseAll(String json) {
        List<JmhResult> out = new ArrayList<>();
        for (Object entry : Json.array(Json.parse(json))) {
            out.add(of(Json.object(entry)));
        }
        return out;
    }

    static JmhResult of(Map<String, Object> o) {
        String benchmark = (String) require(o, "benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        if (o.get("params") != null) {
            Json.object(o.get("params")).forEach((k, v) -> params.put(k, String.valueOf(v)));
        }
        Map<String, Object> primary = Json.object(require(o, "primaryMetric"));
        double score = Json.number(require(primary, "score"));
        double error = Json.number(primary.get("scoreError"));
        double median = Double.NaN;
        if (primary.get("scorePercentiles") != null) {
            Object p50 = Json.object(primary.get("scorePercentiles")).get("50.0");
            median = p50 == null ? Double.NaN : Json.number(p50);
        }
        List<Double> iterations = primary.get("rawData") == null ? List.of()
                : raw(Json.array(primary.get("rawData")));
        if (Double.isNaN(median)) {
            median = medianOf(iterations);
        }
        Map<String, Double> secondary = new LinkedHashMap<>();
        if (o.get("secondaryMetrics") != null) {
            Json.object(o.get("secondaryMetrics")).forEach((name, metric) ->
                    secondary.put(name, Json.number(Json.object(metric).get("score"))));
        }
        List<String> jvmArgs = new ArrayList<>();
        if (o.get("jvmArgs") != null) {
            for (Object a : Json.array(o.get("jvmArgs"))) {
                jvmArgs.add(String.valueOf(a));
            }
        }
        return new JmhResult(benchmark, String.valueOf(o.get("mode")), Map.copyOf(params), score, error, median,
                String.valueOf(primary.get("scoreUnit")), Map.copyOf(secondary), String.valueOf(o.get("jdkVersion")),
                List.copyOf(jvmArgs), iterations.size(),
                o.get("warmupIterations") == null ? -1 : (int) Json.number(o.get("warmupIterations")));
    }

    private static Object require(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("JMH result entry has no '" + key + "': " + o.keySet());
        }
        return v;
    }

    /** The iterations' scores of every fork, in one list. */
    private static List<Double> raw(List<Object> forks) {
        List<Double> all = new ArrayList<>();
        for (Object fork : forks) {
            for (Object v : Json.array(fork)) {
                all.add(Json.number(v));
            }
        }
        return all;
    }

    private static double medianOf(List<Double> raw) {
        List<Double> all = new ArrayList<>(raw);
        if (all.isEmpty()) {
            return Double.NaN;
        }
        all.sort(Double::compare);
        int m = all.size() / 2;
        return all.size() % 2 == 1 ? all.get(m) : (all.get(m - 1) + all.get(m)) / 2;
    }

    /** The class's simple name, e.g. {@code QueryTimeBenchmark}. */
    public String className() {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** The method name, e.g. {@code select}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A parameter's value, or {@code null}. */
    public String param(String name) {
        return params.get(name);
    }

    /** A parameter's value as an int. */
    public int intParam(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(benchmark + " has no parameter '" + name + "': " + params.keySet());
        }
        return Integer.parseInt(v);
    }

    /** Heap bytes allocated per operation ({@code gc.alloc.rate.norm}, from {@code -prof gc}), if measured. */
    public OptionalDouble allocatedBytesPerOp() {
        Double v = secondary.get("gc.alloc.rate.norm");
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** How many milliseconds one unit of the score is, for time units ({@code s/op} … {@code ns/op}); else NaN. */
    public double millisPerUnit() {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1.0;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> Double.NaN;
        };
    }

    /** The score in milliseconds per operation (NaN for a throughput unit). */
    public double scoreMillis() {
        return score * millisPerUnit();
    }

    /** The error in milliseconds per operation. */
    public double errorMillis() {
        return error * millisPerUnit();
    }

    /** The median in milliseconds per operation. */
    public double medianMillis() {
        return median * millisPerUnit();
    }
}
