package dev.al4j.benchmarks.report;

import dev.al4j.benchmarks.StrategyRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON result files ({@code -rf json}) into the Markdown tables of {@code benchmarks/README.md}:
 * <ul>
 *   <li>the query-time table ({@code QueryTimeBenchmark}): median and mean ± 99.9 % error per strategy, the ratio to
 *       entropy beside the SCAL paper's Table 1 units, and the floor with the ratio achieved;</li>
 *   <li>the floor ({@code MemoryBandwidthBenchmark}): bandwidth {@code rows·cols·4 bytes / median time};</li>
 *   <li>scaling ({@code ScalingBenchmark}, and the former {@code DiversityScalingBenchmark}, read as the same
 *       benchmark): one row per strategy with its time at each N, the measured growth exponent
 *       {@code log(t₂/t₁) / log(N₂/N₁)} between successive N, the exponent its cost predicts
 *       ({@link StrategyRegistry.Entry#growth}) and a verdict on the two largest N; then the heap bytes per query at
 *       each N and the per-run details. Several result files (a run at 10⁴ and 10⁵, another at 10⁶) merge into one
 *       table; a strategy and N given twice keep the later file's result;</li>
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
 *     [--command "what ran"] [--out tables.md] [--floor bandwidth.json] results.json [more.json ...]
 * </pre>
 * {@code --floor} takes only the {@code MemoryBandwidthBenchmark} results of its file, for the floor columns,
 * without printing that file's other tables.
 */
public final class ResultsToMarkdown {

    private ResultsToMarkdown() {}

    /** Prints (or writes with {@code --out}) the tables for the given result files. */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> floorFiles = new ArrayList<>();
        String command = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--command" -> command = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--floor" -> floorFiles.add(Path.of(args[++i]));
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: ResultsToMarkdown [--command text] [--out file.md] [--floor bandwidth.json] "
                    + "results.json ...");
            System.exit(2);
        }
        List<JmhResult> results = new ArrayList<>();
        for (Path f : files) {
            results.addAll(JmhResult.parseAll(Files.readString(f, StandardCharsets.UTF_8)));
        }
        List<JmhResult> floorResults = new ArrayList<>();
        for (Path f : floorFiles) {
            JmhResult.parseAll(Files.readString(f, StandardCharsets.UTF_8)).stream()
                    .filter(r -> r.className().equals("MemoryBandwidthBenchmark")).forEach(floorResults::add);
        }
        String generated = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC));
        String md = header(results, files, floorFiles, command, generated, Machine.current())
                + render(results, floorResults);
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

    static String header(List<JmhResult> results, List<Path> files, List<Path> floorFiles, String command,
            String generated, Machine machine) {
        StringBuilder sb = new StringBuilder();
        String jdks = results.stream().map(JmhResult::jdkVersion).distinct().collect(Collectors.joining(", "));
        sb.append("Results: ").append(files.stream().map(p -> "`" + p.getFileName() + "`")
                .collect(Collectors.joining(", "))).append("  \n");
        if (!floorFiles.isEmpty()) {
            sb.append("Floor from: ").append(floorFiles.stream().map(p -> "`" + p.getFileName() + "`")
                    .collect(Collectors.joining(", "))).append("  \n");
        }
        sb.append("Report generated: ").append(generated).append("  \n");
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
        return render(results, List.of());
    }

    /**
     * All tables for {@code results}, with the floor measured by the {@code MemoryBandwidthBenchmark} results in
     * {@code results} and {@code floorResults} (whose own table is not printed).
     */
    public static String render(List<JmhResult> results, List<JmhResult> floorResults) {
        List<JmhResult> all = new ArrayList<>(results);
        all.addAll(floorResults);
        Floor floor = Floor.of(all);
        StringBuilder sb = new StringBuilder();
        List<JmhResult> rest = new ArrayList<>(results);
        List<JmhResult> query = take(rest, "QueryTimeBenchmark");
        List<JmhResult> bandwidth = take(rest, "MemoryBandwidthBenchmark");
        List<JmhResult> scaling = take(rest, "ScalingBenchmark");
        scaling.addAll(take(rest, FORMER_SCALING));
        List<JmhResult> endToEnd = take(rest, "EndToEndRoundBenchmark");
        if (!query.isEmpty()) {
            queryTable(sb, query, floor);
        }
        if (!bandwidth.isEmpty()) {
            floorTable(sb, bandwidth);
        }
        if (!scaling.isEmpty()) {
            scalingTables(sb, scaling, floor);
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
                // random reads no output: no floor; the other reads are not benchmarked on precomputed outputs
                default -> 0;
            };
            if (perCandidate == 0) {
                return Optional.empty();
            }
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

    // --- scaling ----------------------------------------------------------------------------------------------------

    /** How far the measured exponent between the two largest N may be from the expected one for "follows". */
    static final double VERDICT_TOLERANCE = 0.25;

    /** The former name of {@code ScalingBenchmark -p candidates=1000000 -p strategy=kCenterGreedy,badge}. */
    static final String FORMER_SCALING = "DiversityScalingBenchmark";

    /** The former benchmark's fixed sizes, which {@code ScalingBenchmark} has as parameters. */
    private static final Map<String, String> FORMER_FIXED = Map.of("labeled", "1000", "classes", "10",
            "passes", "20");

    /** Parameters that are not part of a scaling setting: the row, the column and k-means' iteration cap. */
    private static final Set<String> SCALING_KEYS = Set.of("strategy", "candidates", "kMeansMaxIterations");

    /** One row of the scaling tables: a strategy (k-means with its benchmark cap, if any) and its result by N. */
    private record ScalingRow(String strategy, String label, TreeMap<Integer, JmhResult> byN) {}

    private static void scalingTables(StringBuilder sb, List<JmhResult> rows, Floor floor) {
        sb.append("### Scaling with the number of candidates\n\n");
        // setting -> row label -> row; a later result for the same strategy and N replaces an earlier one
        Map<String, Map<String, ScalingRow>> settings = new LinkedHashMap<>();
        int replaced = 0;
        for (JmhResult r : rows) {
            Map<String, String> params = new TreeMap<>(r.params());
            if (r.className().equals(FORMER_SCALING)) {
                FORMER_FIXED.forEach(params::putIfAbsent);
            }
            params.keySet().removeAll(SCALING_KEYS);
            String strategy = r.param("strategy");
            String cap = r.param("kMeansMaxIterations");
            String label = "kMeans".equals(strategy) && cap != null && !cap.equals("default")
                    ? strategy + ", Lloyd iterations ≤ " + cap : strategy;
            ScalingRow row = settings.computeIfAbsent(paramsText(params, null), k -> new LinkedHashMap<>())
                    .computeIfAbsent(label, k -> new ScalingRow(strategy, label, new TreeMap<>()));
            if (row.byN().put(r.intParam("candidates"), r) != null) {
                replaced++;
            }
        }
        for (Map.Entry<String, Map<String, ScalingRow>> setting : settings.entrySet()) {
            List<Integer> ns = setting.getValue().values().stream().flatMap(row -> row.byN().keySet().stream())
                    .distinct().sorted().toList();
            sb.append("Setting: ").append(setting.getKey()).append(".\n\n");
            growthTable(sb, setting.getValue().values(), ns);
            heapTable(sb, setting.getValue().values(), ns);
            scalingDetails(sb, setting.getValue().values(), floor);
        }
        if (replaced > 0) {
            sb.append("(").append(replaced).append(replaced == 1 ? " result was" : " results were")
                    .append(" given again for the same strategy and N: the later file's is shown.)\n\n");
        }
    }

    private static void growthTable(StringBuilder sb, Collection<ScalingRow> rows, List<Integer> ns) {
        sb.append("| strategy |");
        ns.forEach(n -> sb.append(" N = ").append(nLabel(n)).append(" |"));
        for (int i = 1; i < ns.size(); i++) {
            sb.append(" exponent ").append(nLabel(ns.get(i - 1))).append("→").append(nLabel(ns.get(i))).append(" |");
        }
        sb.append(" expected | verdict | cost (javadoc) |\n|---|");
        sb.append("--:|".repeat(ns.size() + Math.max(0, ns.size() - 1))).append("--:|---|---|\n");
        for (ScalingRow row : rows) {
            Optional<StrategyRegistry.Entry> e = StrategyRegistry.find(row.strategy());
            double expected = e.map(StrategyRegistry.Entry::growth).orElse(Double.NaN);
            sb.append("| ").append(row.label()).append(" |");
            for (int n : ns) {
                JmhResult r = row.byN().get(n);
                sb.append(' ').append(r == null ? "–" : timeCell(r)).append(" |");
            }
            for (int i = 1; i < ns.size(); i++) {
                sb.append(' ').append(fmtExponent(growth(row.byN().get(ns.get(i - 1)), row.byN().get(ns.get(i)))))
                        .append(" |");
            }
            sb.append(' ').append(Double.isNaN(expected) ? "–" : fmtExpected(expected)).append(" | ")
                    .append(verdict(row, ns, expected)).append(" | ")
                    .append(e.map(StrategyRegistry.Entry::cost).orElse("")).append(" |\n");
        }
        sb.append('\n');
        sb.append("Time: median of the measured queries ± JMH's 99.9 % error (of their mean); \"1 shot\" is a single "
                + "query (\"cold\": without warm-up), with no error. Exponent: log(t₂/t₁) / log(N₂/N₁) on the medians. "
                + "Verdict on the two largest N: \"follows\" within ±").append(fmtExponent(VERDICT_TOLERANCE))
                .append(" of the expected exponent, else \"deviates\" (measured − expected); at small N fixed "
                        + "per-query costs and caches bend the curve, so only the largest pair is judged.\n\n");
    }

    private static void heapTable(StringBuilder sb, Collection<ScalingRow> rows, List<Integer> ns) {
        if (rows.stream().flatMap(row -> row.byN().values().stream())
                .noneMatch(r -> r.allocatedBytesPerOp().isPresent())) {
            return;
        }
        sb.append("Heap allocated per query (`gc.alloc.rate.norm`; ND4J's native buffers are not counted):\n\n");
        sb.append("| strategy |");
        ns.forEach(n -> sb.append(" N = ").append(nLabel(n)).append(" |"));
        sb.append(" exponent, two largest N |\n|---|").append("--:|".repeat(ns.size() + 1)).append('\n');
        boolean anyCold = false;
        for (ScalingRow row : rows) {
            sb.append("| ").append(row.label()).append(" |");
            List<Integer> measured = new ArrayList<>();
            for (int n : ns) {
                JmhResult r = row.byN().get(n);
                OptionalDouble bytes = r == null ? OptionalDouble.empty() : r.allocatedBytesPerOp();
                boolean cold = bytes.isPresent() && includesSetup(r);
                anyCold |= cold;
                sb.append(' ').append(bytes.isPresent() ? fmtBytes(bytes.getAsDouble()) + (cold ? " (cold*)" : "")
                        : "–").append(" |");
                if (bytes.isPresent() && !cold) {
                    measured.add(n);
                }
            }
            double exponent = Double.NaN;
            if (measured.size() >= 2) {
                int n1 = measured.get(measured.size() - 2);
                int n2 = measured.get(measured.size() - 1);
                exponent = Math.log(row.byN().get(n2).allocatedBytesPerOp().getAsDouble()
                        / row.byN().get(n1).allocatedBytesPerOp().getAsDouble()) / Math.log((double) n2 / n1);
            }
            sb.append(' ').append(fmtExponent(exponent)).append(" |\n");
        }
        sb.append('\n');
        if (anyCold) {
            sb.append(COLD_HEAP_NOTE).append("\n\n");
        }
    }

    /** The footnote of a heap figure from a run without warm-up. */
    static final String COLD_HEAP_NOTE = "\\* A run without warm-up iterations: JMH builds the trial's `@Setup` "
            + "fixture inside the first iteration, after the GC profiler has started counting, so this figure is the "
            + "fixture's construction plus the query (at N = 10⁶ about 4.2 GB of it is the fixture: the embeddings "
            + "generated on the heap and the copy `PrecomputedModel`'s finiteness check makes). It is not the query's "
            + "heap and no exponent uses it; run with `-wi 1` for the query alone.";

    /**
     * Whether a result's heap figure counts the fixture's construction: JMH runs {@code @Setup(Level.Trial)} inside
     * the first iteration, while {@code -prof gc} counts, so a fork without warm-up iterations reports it as allocated
     * by its first measured operation (measured: FeatureSim at N = 10⁵, 487 MB/op cold against 31.7 MB/op after one
     * warm-up iteration).
     */
    static boolean includesSetup(JmhResult r) {
        return r.warmupIterations() == 0;
    }

    private static void scalingDetails(StringBuilder sb, Collection<ScalingRow> rows, Floor floor) {
        sb.append("Per run:\n\n");
        sb.append("| strategy | N | shots | median | mean ± error | heap per query | floor | × floor |\n");
        sb.append("|---|--:|---|--:|--:|--:|--:|--:|\n");
        for (ScalingRow row : rows) {
            Optional<StrategyRegistry.Entry> e = StrategyRegistry.find(row.strategy());
            for (JmhResult r : row.byN().values()) {
                OptionalDouble alloc = r.allocatedBytesPerOp();
                double floorMs = e.flatMap(x -> Traffic.of(r, x)).map(t -> floor.millis(t.bytes(), t.workingSet()))
                        .orElse(Double.NaN);
                String shots = r.measurements() + (r.warmupIterations() > 0 ? " + " + r.warmupIterations()
                        + " warm-up" : r.warmupIterations() == 0 ? ", cold" : "");
                sb.append("| ").append(row.label()).append(" | ").append(r.param("candidates")).append(" | ")
                        .append(shots).append(" | ").append(millisText(r.medianMillis(), Double.NaN)).append(" | ")
                        .append(millisText(r.scoreMillis(), r.errorMillis())).append(" | ")
                        .append(alloc.isPresent() ? fmtBytes(alloc.getAsDouble())
                                + (includesSetup(r) ? " (cold*)" : "") : "–").append(" | ")
                        .append(Double.isNaN(floorMs) ? "–" : millisText(floorMs, Double.NaN)).append(" | ")
                        .append(fmt(r.medianMillis() / floorMs)).append(" |\n");
            }
        }
        sb.append('\n');
    }

    /** {@code log(t₂/t₁) / log(N₂/N₁)} on the medians; NaN if either is missing. */
    static double growth(JmhResult small, JmhResult large) {
        if (small == null || large == null) {
            return Double.NaN;
        }
        return Math.log(large.medianMillis() / small.medianMillis())
                / Math.log((double) large.intParam("candidates") / small.intParam("candidates"));
    }

    /**
     * "follows" or "deviates (measured − expected)" on the row's two largest N, naming the pair when it is not the
     * table's two largest; "–" with fewer than two sizes.
     */
    private static String verdict(ScalingRow row, List<Integer> ns, double expected) {
        List<Integer> have = new ArrayList<>(row.byN().keySet());
        if (have.size() < 2 || Double.isNaN(expected)) {
            return "–";
        }
        int n1 = have.get(have.size() - 2);
        int n2 = have.get(have.size() - 1);
        double difference = growth(row.byN().get(n1), row.byN().get(n2)) - expected;
        boolean largest = n2 == ns.get(ns.size() - 1) && n1 == ns.get(ns.size() - 2);
        String pair = largest ? "" : nLabel(n1) + "→" + nLabel(n2);
        if (Math.abs(difference) <= VERDICT_TOLERANCE + 1e-12) {
            return largest ? "follows" : "follows (" + pair + ")";
        }
        return "deviates (" + String.format(Locale.ROOT, "%+.2f", difference) + (largest ? "" : "; " + pair) + ")";
    }

    /** The median ± error, or "(1 shot)" for a single query, in ms below one second and in s above. */
    static String timeCell(JmhResult r) {
        if (r.measurements() == 1) {
            return millisText(r.medianMillis(), Double.NaN) + (r.warmupIterations() == 0 ? " (1 shot, cold)"
                    : " (1 shot)");
        }
        return millisText(r.medianMillis(), r.errorMillis());
    }

    /** {@code ms} (± {@code error} when finite) in ms below 1 000 ms, else in s. */
    static String millisText(double ms, double error) {
        if (!Double.isFinite(ms)) {
            return "–";
        }
        boolean seconds = Math.abs(ms) >= 999.5;
        double scale = seconds ? 1e-3 : 1;
        return fmt(ms * scale) + (Double.isFinite(error) ? " ± " + fmt(error * scale) : "") + (seconds ? " s" : " ms");
    }

    /** Bytes in B, kB, MB or GB (powers of 1 000), three significant digits. */
    static String fmtBytes(double bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        int u = 0;
        while (u < units.length - 1 && Math.abs(bytes) >= 999.5) {
            bytes /= 1000;
            u++;
        }
        return fmt(bytes) + " " + units[u];
    }

    /** A measured exponent, two decimals; "–" for NaN. */
    static String fmtExponent(double e) {
        return Double.isFinite(e) ? String.format(Locale.ROOT, "%.2f", e) : "–";
    }

    /** An expected exponent: an integer as is (it comes from a cost formula), anything else with two decimals. */
    static String fmtExpected(double e) {
        return e == Math.rint(e) && Math.abs(e) < 1e6 ? String.valueOf((long) e) : fmtExponent(e);
    }

    /** {@code 10⁴} for a power of ten, else the number. */
    static String nLabel(int n) {
        int exponent = 0;
        int v = n;
        while (v >= 10 && v % 10 == 0) {
            v /= 10;
            exponent++;
        }
        if (v != 1 || exponent < 2) {
            return String.valueOf(n);
        }
        StringBuilder sb = new StringBuilder("10");
        for (char c : String.valueOf(exponent).toCharArray()) {
            sb.append("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(c - '0'));
        }
        return sb.toString();
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
