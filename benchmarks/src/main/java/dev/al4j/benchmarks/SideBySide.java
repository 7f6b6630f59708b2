package dev.al4j.benchmarks;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Predictions;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.io.Npy;
import dev.al4j.strategies.Strategies;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * al4j against a numpy script on the same arrays, measured interleaved in one time window (the machine is shared, so
 * only ratios measured side by side mean anything): builds the {@link ScalSetting#table1()} fixture, writes its
 * arrays as {@code .npy} into a scratch directory, then for each strategy times {@code repeats} warm al4j calls
 * (after one cold call) and right after runs {@code python3 benchmarks/peers/setting.py} on the same strategy and
 * arrays; prints both medians, the ratio and whether the selections are identical.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.al4j.benchmarks.SideBySide \
 *     /tmp/al4j-scal 5 [strategy ...]
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.al4j.benchmarks.SideBySide \
 *     /tmp/al4j-scal 1 kCenterGreedy:peer-kcenter
 * </pre>
 *
 * A strategy argument {@code name} runs the same algorithm in the script; {@code name:other} runs the script's
 * {@code other} instead (the peers' published algorithms, {@code peer-*}), for the peers table.
 *
 * <p>{@code -Dwarmup=W} (default 0) makes {@code W} more unmeasured al4j calls after the cold one, so that the
 * measured calls run JIT-compiled code (on a loaded 2-core machine the C2 compiler needs several calls; JMH's
 * {@code UncertaintyScoringBenchmark} warms up for seconds). The script, which has no JIT, is run as before.
 *
 * <p>{@code -Drounds=R} (default 1) measures each strategy {@code R} times in turn, al4j's {@code repeats} calls then
 * the script's, and prints the medians over the rounds and the median of the rounds' ratios with each round's ratio:
 * on a shared machine one round's ratio can move by half, the median of interleaved rounds much less.
 *
 * <p>Beside wall time it reports CPU time, the median over the same calls: al4j's is that of the threads a query runs
 * on (the calling thread and the common fork/join pool's workers, so a query on two cores counts both; not the JIT
 * compiler's or the garbage collector's threads), the script's is {@code time.process_time()}. On a machine whose load
 * exceeds its cores, wall time mostly measures waiting for a core; the CPU-time ratio does not, and it does not credit
 * al4j for using a second core.
 *
 * The scratch directory is not part of the repository (the arrays are 25 MB); it is reused when it holds them.
 */
public final class SideBySide {

    private SideBySide() {}

    /** The strategies of the SCAL-setting table, by the names {@code setting.py} knows. */
    static Map<String, Supplier<QueryStrategy>> strategies() {
        Map<String, Supplier<QueryStrategy>> s = new LinkedHashMap<>();
        s.put("entropy", Strategies::entropy);
        s.put("margin", Strategies::margin);
        s.put("leastConfidence", Strategies::leastConfidence);
        s.put("bald", Strategies::bald);
        s.put("meanStd", Strategies::meanStd);
        s.put("kCenterGreedy", Strategies::kCenterGreedy);
        s.put("badge", () -> Strategies.badge().withSeed(1));
        s.put("kMeans", () -> Strategies.kMeans().withSeed(1));
        s.put("featureSimilarity", Strategies::featureSimilarity);
        s.put("deepFeatureModeling", () -> Strategies.deepFeatureModeling().withComponents(16));
        return s;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/al4j-scal");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> names = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : new ArrayList<>(strategies().keySet());
        String python = System.getProperty("python", "/usr/bin/python3");
        String scriptFile = System.getProperty("script", "benchmarks/peers/setting.py");
        int warmup = Integer.getInteger("warmup", 0);
        int rounds = Integer.getInteger("rounds", 1);
        ScalSetting setting = ScalSetting.table1();
        writeArrays(setting, dir);
        System.out.printf(Locale.ROOT, "# %s, JDK %s, SIMD kernels %s, %d warm calls after 1 cold%s%s, load average %.1f%n",
                java.time.Instant.now(), System.getProperty("java.version"),
                dev.al4j.strategies.internal.Simd.ENABLED ? "on" : "off (no --add-modules jdk.incubator.vector)", repeats,
                warmup == 0 ? "" : " and " + warmup + " unmeasured",
                rounds == 1 ? "" : ", " + rounds + " rounds (medians over rounds; the ratio is the median of the rounds')",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| al4j strategy | script | al4j cold ms | al4j warm ms (median) | script ms (median) "
                + "| script ÷ al4j | al4j CPU ms | script CPU ms | script ÷ al4j (CPU) | selections |");
        System.out.println("|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
        for (String arg : names) {
            // "name" runs the same strategy in setting.py; "name:other" runs setting.py's strategy "other" (a peer).
            String name = arg.contains(":") ? arg.substring(0, arg.indexOf(':')) : arg;
            String script = arg.contains(":") ? arg.substring(arg.indexOf(':') + 1) : arg;
            QueryStrategy strategy = strategies().get(name).get();
            long t0 = System.nanoTime();
            Selection first = strategy.select(setting.pool(), setting.model(), 1000);
            double cold = (System.nanoTime() - t0) / 1e6;
            for (int w = 0; w < warmup; w++) {
                strategy.select(setting.pool(), setting.model(), 1000);
            }
            Path mine = dir.resolve("al4j-" + name + ".txt");
            Files.writeString(mine, join(first.ids()), StandardCharsets.UTF_8);
            Path theirs = dir.resolve("numpy-" + script + ".txt");
            double[] al4jMedians = new double[rounds];
            double[] numpyMedians = new double[rounds];
            double[] ratios = new double[rounds];
            double[] al4jCpu = new double[rounds];
            double[] numpyCpu = new double[rounds];
            String same = "n/a";
            for (int round = 0; round < rounds; round++) {
                double[] warm = new double[repeats];
                double[] cpu = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long c = queryCpuNanos();
                    long t = System.nanoTime();
                    Selection s = strategy.select(setting.pool(), setting.model(), 1000);
                    warm[r] = (System.nanoTime() - t) / 1e6;
                    cpu[r] = (queryCpuNanos() - c) / 1e6;
                    if (!Arrays.equals(s.ids(), first.ids())) {
                        throw new IllegalStateException(name + ": repeated calls selected differently");
                    }
                }
                Files.deleteIfExists(theirs);
                double[] numpy = runNumpy(python, scriptFile, dir, script, repeats, theirs);
                numpyMedians[round] = numpy[0];
                numpyCpu[round] = numpy[1];
                same = Files.exists(theirs) ? compare(first.ids(), Files.readString(theirs)) : "n/a";
                al4jMedians[round] = median(warm);
                al4jCpu[round] = median(cpu);
                ratios[round] = numpyMedians[round] / al4jMedians[round];
            }
            StringBuilder each = new StringBuilder();
            for (double ratio : ratios) {
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", ratio));
            }
            double cpuRatio = median(numpyCpu) / median(al4jCpu);
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.2f | %.1f×%s | %.2f | %.2f | %.1f× | %s |%n",
                    name, script, cold, median(al4jMedians), median(numpyMedians), median(ratios),
                    rounds == 1 ? "" : " (rounds: " + each + ")", median(al4jCpu), median(numpyCpu), cpuRatio, same);
        }
    }

    /**
     * The CPU time of the threads a query runs on: this thread and the common fork/join pool's workers (where the
     * strategies split their loops), not the JIT compiler's or the garbage collector's, which belong to no query.
     */
    private static long queryCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = threads.getCurrentThreadCpuTime();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("ForkJoinPool.commonPool-worker")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total;
    }

    /** The script's median wall and CPU milliseconds ({@code NaN} when it failed or printed none). */
    private static double[] runNumpy(String python, String script, Path dir, String name, int repeats, Path out)
            throws IOException, InterruptedException {
        double[] result = {Double.NaN, Double.NaN};
        if (!Files.exists(Path.of(script))) {
            return result;
        }
        Process p = new ProcessBuilder(python, script, "--data", dir.toString(), "--strategy", name, "--repeat",
                String.valueOf(repeats), "--out", out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            System.err.println(output);
            return result;
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("median_ms ")) {
                result[0] = Double.parseDouble(line.substring("median_ms ".length()).trim());
            } else if (line.startsWith("median_cpu_ms ")) {
                result[1] = Double.parseDouble(line.substring("median_cpu_ms ".length()).trim());
            }
        }
        if (Double.isNaN(result[0])) {
            System.err.println(output);
        }
        return result;
    }

    /** Writes embeddings, probabilities, MC passes, labeled ids and labels, unless the directory holds them. */
    static void writeArrays(ScalSetting s, Path dir) throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve("labels.npy"))) {
            return;
        }
        int n = s.pool().size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        Predictions p = ((EmbeddingModel) s.model()).predict(s.pool(), all);
        Npy.write(dir.resolve("embeddings.npy"), p.embeddings());
        Npy.write(dir.resolve("probabilities.npy"), p.probabilities());
        Npy.write(dir.resolve("mc.npy"), s.model().stochasticProbabilities(s.pool(), all, 20, 0));
        int[] labeled = s.pool().labeled();
        int[] labels = new int[labeled.length];
        for (int i = 0; i < labeled.length; i++) {
            labels[i] = s.pool().label(labeled[i]).orElseThrow();
        }
        Npy.write(dir.resolve("labeled.npy"), Nd4j.createFromArray(labeled));
        Npy.write(dir.resolve("labels.npy"), Nd4j.createFromArray(labels));
    }

    /** "same ids, same order", "same ids, other order" or "m of n ids in common". */
    static String compare(int[] mine, String theirs) {
        int[] other = Arrays.stream(theirs.trim().split("\\s+")).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        if (Arrays.equals(mine, other)) {
            return "same ids, same order";
        }
        java.util.Set<Integer> a = new java.util.HashSet<>();
        for (int id : mine) {
            a.add(id);
        }
        int common = 0;
        for (int id : other) {
            common += a.contains(id) ? 1 : 0;
        }
        return common == mine.length && other.length == mine.length ? "same ids, other order"
                : common + " of " + mine.length + " ids in common";
    }

    private static String join(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(id).append('\n');
        }
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
