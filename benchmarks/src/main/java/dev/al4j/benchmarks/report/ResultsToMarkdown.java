package dev.al4j.benchmarks.report;

import dev.al4j.benchmarks.StrategyRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON result files ({@code -rf json}) into the Markdown tables of {@code benchmarks/README.md}:
 * <ul>
 *   <li>the query-time table ({@code QueryTimeBenchmark}): median and mean ± 99.9 % error per strategy, the ratio to
 *       entropy beside the SCAL paper's Table 1 units, and the floor with the ratio achieved;</li>
 *   <li>the floor ({@code MemoryBandwidthBenchmark}): bandwidth {@code rows·cols·4 bytes / median time};</li>
 *   <li>scaling ({@code ScalingBenchmark}): time and heap bytes per query against N, the measured growth exponent
 *       beside the expected cost;</li>
 *   <li>end to end ({@code EndToEndRoundBenchmark}): a round split into fit and query;</li>
 *   <li>every other benchmark in one generic table.</li>
 * </ul>
 * The floor of a batch strategy (one that makes about {@code b} passes over the candidates, k-center for example)
 * is {@code b·N·(d + K)·4 bytes / bandwidth}; of any other strategy, one pass over what it reads
 * ({@code N·K}, {@code N·T·K} or {@code N·(d + K)} floats). The bandwidth is the in-cache one when those bytes fit
 * in twice the smaller floor array (or the from-memory one if that is higher), else the from-memory one.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.al4j.benchmarks.report.ResultsToMarkdown \
 *     [--command "what ran"] [--out tables.md] results.json [more.json ...]
 * </pre>
 */
public final class ResultsToMarkdown {

    private ResultsToMarkdown() {}

    /** Prints (or writes with {@code --out}) the tables for the given result files. */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        String command = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--command" -> command = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: ResultsToMarkdown [--command text] [--out file.md] results.json ...");
            System.exit(2);
        }
        List<JmhResult> results = new ArrayList<>();
        for (Path f : files) {
            results.addAll(JmhResult.parseAll(Files.readString(f, StandardCharsets.UTF_8)));
        }
        String md = header(results, files, command, Machine.current()) + render(results);
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(out, md, StandardCharsets.UTF_8);
        }
    }

    /** What the run says about where it ran. */
    record Machine(int cpus, String cpuModel, String memory, String os) {
        static Machine current() {
            String model = "unknown CPU";
            String memory = "unknown";
            try {
                model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
                memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                        .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                                Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
                        .findFirst().orElse(memory);
            } catch (IOException | RuntimeException e) {
                // not Linux: keep the defaults
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), model, memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version"));
        }
    }

    static String header(List<JmhResult> results, List<Path> files, String command, Machine machine) {
        StringBuilder sb = new StringBuilder();
        String jdks = results.stream().map(JmhResult::jdkVersion).distinct().collect(Collectors.joining(", "));
        sb.append("Results: ").append(files.stream().map(p -> "`" + p.getFileName() + "`")
                .collect(Collectors.joining(", "))).append("  \n");
        sb.append("Machine: ").append(machine.cpus()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(machine.memory()).append(", ").append(machine.os()).append("; JDK ").append(jdks)
                .append("  \n");
        if (command != null) {
            sb.append("Command: `").append(command).append("`  \n");
        }
        sb.append('\n');
        return sb.toString();
    }

    /** All tables for {@code results}. */
    public static String render(List<JmhResult> results) {
        Floor floor = Floor.of(results);
        StringBuilder sb = new StringBuilder();
        List<JmhResult> rest = new ArrayList<>(results);
        List<JmhResult> query = take(rest, "QueryTimeBenchmark");
        List<JmhResult> bandwidth = take(rest, "MemoryBandwidthBenchmark");
        List<JmhResult> scaling = take(rest, "ScalingBenchmark");
        List<JmhResult> endToEnd = take(rest, "EndToEndRoundBenchmark");
        if (!query.isEmpty()) {
            queryTable(sb, query, floor);
        }
        if (!bandwidth.isEmpty()) {
            floorTable(sb, bandwidth);
        }
        if (!scaling.isEmpty()) {
            scalingTable(sb, scaling, floor);
        }
        if (!endToEnd.isEmpty()) {
            endToEndTable(sb, endToEnd);
        }
        if (!rest.isEmpty()) {
            genericTable(sb, rest);
        }
        return sb.toString();
    }

    private static List<JmhResult> take(List<JmhResult> rest, String className) {
        List<JmhResult> out = rest.stream().filter(r -> r.className().equals(className)).collect(Collectors.toList());
        rest.removeAll(out);
        return out;
    }

    // --- the floor --------------------------------------------------------------------------------------------------

    /** Measured bandwidths by array size in bytes (the best method per size). */
    record Floor(TreeMap<Long, Double> bytesPerSecondBySize) {

        static Floor of(List<JmhResult> results) {
            TreeMap<Long, Double> best = new TreeMap<>();
            for (JmhResult r : results) {
                if (r.className().equals("MemoryBandwidthBenchmark")) {
                    long bytes = arrayBytes(r);
                    double bps = bytes / (r.medianMillis() * 1e-3);
                    if (Double.isFinite(bps)) {
                        best.merge(bytes, bps, Math::max);
                    }
                }
            }
            return new Floor(best);
        }

        boolean isEmpty() {
            return bytesPerSecondBySize.isEmpty();
        }

        /**
         * The bandwidth for a working set of {@code bytes}: in-cache if it fits twice the smallest array, else from
         * memory. A cache is never slower than memory, so a lower in-cache figure (the scalar Java pass is then
         * bound by arithmetic, not by the cache) gives way to the from-memory one: the floor stays a lower bound.
         */
        double bandwidthFor(long workingSet) {
            long smallest = bytesPerSecondBySize.firstKey();
            double fromMemory = bytesPerSecondBySize.lastEntry().getValue();
            return workingSet <= 2 * smallest ? Math.max(bytesPerSecondBySize.firstEntry().getValue(), fromMemory)
                    : fromMemory;
        }

        /** Milliseconds to move {@code bytes} through a working set of {@code workingSet} bytes. */
        double millis(double bytes, long workingSet) {
            return isEmpty() ? Double.NaN : bytes / bandwidthFor(workingSet) * 1e3;
        }
    }

    static long arrayBytes(JmhResult r) {
        return 4L * r.intParam("rows") * r.intParam("cols");
    }

    /** Bytes a strategy moves at least, and the working set it moves them through, for one query. */
    record Traffic(double bytes, long workingSet, String passes) {
        static Optional<Traffic> of(JmhResult r, StrategyRegistry.Entry e) {
            String n = r.param("candidates");
            if (n == null) {
                return Optional.empty();
            }
            long candidates = Long.parseLong(n);
            long k = r.params().containsKey("classes") ? r.intParam("classes") : 10;
            long d = r.params().containsKey("dimension") ? r.intParam("dimension") : 512;
            long t = r.params().containsKey("passes") ? r.intParam("passes") : 20;
            long b = r.params().containsKey("budget") ? r.intParam("budget") : 1000;
            long perCandidate = switch (e.reads()) {
                case PROBABILITIES -> k;
                case MC_PASSES -> t * k;
                case EMBEDDINGS -> d + k;
            };
            long set = 4 * candidates * perCandidate;
            return Optional.of(e.batch() ? new Traffic((double) b * set, set, "b = " + b)
                    : new Traffic(set, set, "1"));
        }
    }

    // --- tables -----------------------------------------------------------------------------------------------------

    private static void queryTable(StringBuilder sb, List<JmhResult> rows, Floor floor) {
        sb.append("### Query time, SCAL Table 1 setting\n\n");
        for (Map.Entry<String, List<JmhResult>> group : groupBy(rows, "strategy").entrySet()) {
            sb.append("Setting: ").append(group.getKey()).append(", mode ").append(group.getValue().get(0).mode())
                    .append(".\n\n");
            double entropy = group.getValue().stream().filter(r -> "entropy".equals(r.param("strategy")))
                    .mapToDouble(JmhResult::medianMillis).findFirst().orElse(Double.NaN);
            sb.append("| strategy | median ms | mean ± error ms | × entropy | paper, × entropy | floor passes "
                    + "| floor ms | × floor |\n");
            sb.append("|---|--:|--:|--:|---|--:|--:|--:|\n");
            for (JmhResult r : group.getValue()) {
                String name = r.param("strategy");
                Optional<StrategyRegistry.Entry> e = StrategyRegistry.find(name);
                String paper = e.filter(x -> x.paperUnits().isPresent())
                        .map(x -> x.paperLabel().orElse(name) + " " + fmt(x.paperUnits().getAsDouble())).orElse("");
                Optional<Traffic> traffic = e.flatMap(x -> Traffic.of(r, x));
                double floorMs = traffic.map(t -> floor.millis(t.bytes(), t.workingSet())).orElse(Double.NaN);
                sb.append("| ").append(name).append(" | ").append(fmt(r.medianMillis())).append(" | ")
                        .append(fmt(r.scoreMillis())).append(" ± ").append(fmt(r.errorMillis())).append(" | ")
                        .append(fmt(r.medianMillis() / entropy)).append(" | ").append(paper).append(" | ")
                        .append(traffic.map(Traffic::passes).orElse("–")).append(" | ").append(fmt(floorMs))
                        .append(" | ").append(fmt(r.medianMillis() / floorMs)).append(" |\n");
            }
            for (Map.Entry<String, Double> p : new TreeMap<>(StrategyRegistry.PAPER_ONLY).entrySet()) {
                sb.append("| ").append(p.getKey()).append(" | – | – | – | ").append(fmt(p.getValue()))
                        .append(" | | | |\n");
            }
            sb.append('\n');
        }
        if (floor.isEmpty()) {
            sb.append("(No MemoryBandwidthBenchmark results were given, so no floor.)\n\n");
        }
    }

    private static void floorTable(StringBuilder sb, List<JmhResult> rows) {
        sb.append("### Floor: memory bandwidth\n\n");
        sb.append("| pass | rows × cols | MB | median ms | mean ± error ms | GB/s |\n");
        sb.append("|---|--:|--:|--:|--:|--:|\n");
        rows.sort(Comparator.comparingLong(ResultsToMarkdown::arrayBytes).thenComparing(JmhResult::method));
        for (JmhResult r : rows) {
            long bytes = arrayBytes(r);
            sb.append("| ").append(r.method()).append(" | ").append(r.param("rows")).append(" × ")
                    .append(r.param("cols")).append(" | ").append(fmt(bytes / 1e6)).append(" | ")
                    .append(fmt(r.medianMillis())).append(" | ").append(fmt(r.scoreMillis())).append(" ± ")
                    .append(fmt(r.errorMillis())).append(" | ").append(fmt(bytes / (r.medianMillis() * 1e-3) / 1e9))
                    .append(" |\n");
        }
        sb.append('\n');
    }

    private static void scalingTable(StringBuilder sb, List<JmhResult> rows, Floor floor) {
        sb.append("### Scaling with the number of candidates\n\n");
        sb.append("| strategy | N | median ms | mean ± error ms | heap MB/op | growth exponent | expected | floor ms "
                + "| × floor |\n");
        sb.append("|---|--:|--:|--:|--:|--:|---|--:|--:|\n");
        Map<String, List<JmhResult>> byStrategy = new LinkedHashMap<>();
        for (JmhResult r : rows) {
            byStrategy.computeIfAbsent(r.param("strategy"), s -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<JmhResult>> s : byStrategy.entrySet()) {
            List<JmhResult> list = s.getValue();
            list.sort(Comparator.comparingInt(r -> r.intParam("candidates")));
            Optional<StrategyRegistry.Entry> e = StrategyRegistry.find(s.getKey());
            JmhResult previous = null;
            for (JmhResult r : list) {
                double exponent = previous == null ? Double.NaN
                        : Math.log(r.medianMillis() / previous.medianMillis())
                                / Math.log((double) r.intParam("candidates") / previous.intParam("candidates"));
                OptionalDouble alloc = r.allocatedBytesPerOp();
                Optional<Traffic> traffic = e.flatMap(x -> Traffic.of(r, x));
                double floorMs = traffic.map(t -> floor.millis(t.bytes(), t.workingSet())).orElse(Double.NaN);
                sb.append("| ").append(s.getKey()).append(" | ").append(r.param("candidates")).append(" | ")
                        .append(fmt(r.medianMillis())).append(" | ").append(fmt(r.scoreMillis())).append(" ± ")
                        .append(fmt(r.errorMillis())).append(" | ")
                        .append(alloc.isPresent() ? fmt(alloc.getAsDouble() / 1e6) : "–").append(" | ")
                        .append(fmt(exponent)).append(" | ").append(e.map(StrategyRegistry.Entry::cost).orElse(""))
                        .append(" | ").append(fmt(floorMs)).append(" | ").append(fmt(r.medianMillis() / floorMs))
                        .append(" |\n");
                previous = r;
            }
        }
        sb.append('\n');
    }

    private static void endToEndTable(StringBuilder sb, List<JmhResult> rows) {
        sb.append("### One AL round end to end (DL4J MLP)\n\n");
        for (Map.Entry<String, List<JmhResult>> group : groupBy(rows, "strategy").entrySet()) {
            sb.append("Setting: ").append(group.getKey()).append(".\n\n");
            sb.append("| strategy | round (fit + query) ms | query ms | fit ms (round − query) | query share |\n");
            sb.append("|---|--:|--:|--:|--:|\n");
            Map<String, Map<String, JmhResult>> byStrategy = new LinkedHashMap<>();
            for (JmhResult r : group.getValue()) {
                byStrategy.computeIfAbsent(r.param("strategy"), s -> new LinkedHashMap<>()).put(r.method(), r);
            }
            for (Map.Entry<String, Map<String, JmhResult>> s : byStrategy.entrySet()) {
                JmhResult round = s.getValue().get("round");
                JmhResult query = s.getValue().get("query");
                double roundMs = round == null ? Double.NaN : round.medianMillis();
                double queryMs = query == null ? Double.NaN : query.medianMillis();
                sb.append("| ").append(s.getKey()).append(" | ")
                        .append(round == null ? "–" : fmt(roundMs) + " ± " + fmt(round.errorMillis())).append(" | ")
                        .append(query == null ? "–" : fmt(queryMs) + " ± " + fmt(query.errorMillis())).append(" | ")
                        .append(fmt(roundMs - queryMs)).append(" | ").append(percent(queryMs / roundMs))
                        .append(" |\n");
            }
            sb.append('\n');
        }
    }

    private static void genericTable(StringBuilder sb, List<JmhResult> rows) {
        sb.append("### Other benchmarks\n\n");
        sb.append("| benchmark | params | mode | median | mean ± error | unit | heap B/op |\n");
        sb.append("|---|---|---|--:|--:|---|--:|\n");
        for (JmhResult r : rows) {
            OptionalDouble alloc = r.allocatedBytesPerOp();
            sb.append("| ").append(r.className()).append('.').append(r.method()).append(" | ")
                    .append(paramsText(r.params(), null)).append(" | ").append(r.mode()).append(" | ")
                    .append(fmt(r.median())).append(" | ").append(fmt(r.score())).append(" ± ")
                    .append(fmt(r.error())).append(" | ").append(r.unit()).append(" | ")
                    .append(alloc.isPresent() ? fmt(alloc.getAsDouble()) : "–").append(" |\n");
        }
        sb.append('\n');
    }

    /** Groups results by their parameters other than {@code except}, keeping file order. */
    private static Map<String, List<JmhResult>> groupBy(List<JmhResult> rows, String except) {
        Map<String, List<JmhResult>> out = new LinkedHashMap<>();
        for (JmhResult r : rows) {
            out.computeIfAbsent(paramsText(r.params(), except), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    static String paramsText(Map<String, String> params, String except) {
        return new TreeMap<>(params).entrySet().stream().filter(e -> !e.getKey().equals(except))
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Three significant digits in plain notation (all digits from 100 up); "–" for NaN or infinity. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (Math.abs(v) >= 99.95) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1; // floor(log10 |v|) after rounding
        return rounded.setScale(Math.max(0, 2 - exponent), RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f %%", 100 * fraction) : "–";
    }
}
