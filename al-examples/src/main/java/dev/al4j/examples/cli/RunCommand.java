package dev.al4j.examples.cli;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.dl4j.Architectures;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Training;
import dev.al4j.examples.data.FashionMnist;
import dev.al4j.metrics.Metrics;
import dev.al4j.metrics.MeanStd;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code al4j run}: an active-learning experiment. With no arguments it runs the default experiment on the bundled
 * Fashion-MNIST subset (10 000 pool images, 2 000 test images): random sampling against entropy, an MLP retrained
 * each round, per-round accuracy and a final AUBC table.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an active-learning experiment (default: random vs entropy on the bundled Fashion-MNIST "
                + "subset).")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST IDX files (gzip or not), e.g. "
                    + "/usr/share/datasets/fashion-mnist. Default: the bundled subset.")
    Path data;

    @Option(names = "--strategies", split = ",", paramLabel = "NAME", converter = StrategyName.Converter.class,
            description = "Strategies to compare (default: ${DEFAULT-VALUE}). Known: random, entropy, margin, "
                    + "least-confidence, var-ratio.", defaultValue = "random,entropy")
    List<StrategyName> strategies;

    @Option(names = "--initial", description = "Random initial labels (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int initial;

    @Option(names = "--batch", description = "Labels per round (default: ${DEFAULT-VALUE}).", defaultValue = "250")
    int batch;

    @Option(names = "--budget", description = "Total labels, initial included (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int budget;

    @Option(names = "--subset", description = "Random candidate subset per round, 0 = all unlabeled "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    int subset;

    @Option(names = "--epochs", description = "MLP training epochs per round (default: ${DEFAULT-VALUE}).",
            defaultValue = "12")
    int epochs;

    @Option(names = "--trials", description = "Trials per strategy, seeds seed..seed+trials-1 "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int trials;

    @Option(names = "--seed", description = "First trial's seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--pool-size", description = "Use only the first N training images as the pool, 0 = all "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int poolSize;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        FashionMnist dataset = data == null ? FashionMnist.bundled() : FashionMnist.fromDirectory(data);
        int n = poolSize > 0 ? Math.min(poolSize, dataset.trainSize()) : dataset.trainSize();
        int[] poolIds = new int[n];
        java.util.Arrays.setAll(poolIds, i -> i);
        Pool pool = Pool.of(PoolInputs.of(dataset.trainInputs().getRows(poolIds)), dataset.numClasses());
        int[] truth = java.util.Arrays.copyOf(dataset.trainLabels(), n);
        Pool test = Pool.of(PoolInputs.of(dataset.testInputs()), dataset.numClasses());
        Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(epochs));
        boolean interactive = System.console() != null;

        out.printf(Locale.ROOT, "al4j run: %s, pool %d, test %d; %s; initial %d, batch %d, budget %d, "
                + "%d trial(s)%n", data == null ? "bundled Fashion-MNIST subset" : data, n, dataset.testSize(),
                learner, initial, batch, budget, trials);
        Map<StrategyName, List<LoopResult>> results = new LinkedHashMap<>();
        for (StrategyName name : strategies) {
            for (int t = 0; t < trials; t++) {
                long trialSeed = seed + t;
                QueryStrategy strategy = name.create(trialSeed);
                String label = name.cliName() + "#" + (t + 1);
                LoopResult result = ActiveLearningLoop.builder().pool(pool).learner(learner).strategy(strategy)
                        .oracle(Oracles.simulated(truth)).initialSize(initial).batchSize(batch).budget(budget)
                        .candidateSubsetSize(subset).seed(trialSeed)
                        .evaluation(test, dataset.testLabels(), Metrics.accuracy())
                        .listener(new ConsoleProgress(out, label, interactive)).build().run();
                results.computeIfAbsent(name, k -> new ArrayList<>()).add(result);
            }
        }
        out.println();
        out.println(summary(results));
        return 0;
    }

    /** The final table: AUBC mean ± std over trials, final accuracy, mean query time. */
    static String summary(Map<StrategyName, List<LoopResult>> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-18s %-18s %-18s %s%n", "strategy", "AUBC (mean ± std)",
                "F-acc (mean ± std)", "query ms (mean)"));
        for (Map.Entry<StrategyName, List<LoopResult>> e : results.entrySet()) {
            List<LoopResult> trials = e.getValue();
            MeanStd aubc = Metrics.meanStd(trials.stream().mapToDouble(Metrics::aubc).toArray());
            MeanStd facc = Metrics.meanStd(trials.stream().mapToDouble(Metrics::finalAccuracy).toArray());
            double queryMs = trials.stream().flatMap(r -> r.rounds().stream().skip(1))
                    .mapToDouble(r -> r.queryNanos() / 1e6).average().orElse(0);
            table.append(String.format(Locale.ROOT, "%-18s %.4f ± %.4f    %.4f ± %.4f    %.1f%n",
                    e.getKey().cliName(), aubc.mean(), aubc.std(), facc.mean(), facc.std(), queryMs));
        }
        return table.toString();
    }
}
