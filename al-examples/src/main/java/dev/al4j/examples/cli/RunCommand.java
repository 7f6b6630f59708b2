package dev.al4j.examples.cli;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.Answers;
import dev.al4j.core.LabelStore;
import dev.al4j.core.Learner;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.LoopResult;
import dev.al4j.core.Metric;
import dev.al4j.core.Oracle;
import dev.al4j.core.Oracles;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RoundResult;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.dl4j.Architecture;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.DropoutPlacement;
import dev.al4j.dl4j.Training;
import dev.al4j.metrics.Accuracy;
import dev.al4j.metrics.ExperimentCharts;
import dev.al4j.metrics.ExperimentLog;
import dev.al4j.metrics.ExperimentSummary;
import dev.al4j.metrics.MeanStd;
import dev.al4j.metrics.Metrics;
import dev.al4j.metrics.RoundReporter;
import dev.al4j.strategies.Ceal;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.StrategyCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code al4j run}: an active-learning experiment. With no arguments it runs the default experiment on the bundled
 * Fashion-MNIST subset (10 000 pool images, 2 000 test images): random sampling against entropy, an MLP retrained
 * each round, per-round accuracy and a final AUBC table. Options choose the data (IDX directory or {@code .npy}
 * files), the network, the strategies, the sizes, a noisy oracle, a class-biased initial set, CEAL pseudo-labels and
 * an output directory for the report files and charts. The contract is in {@code docs/cli.md}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an active-learning experiment (default: random vs entropy on the bundled Fashion-MNIST "
                + "subset).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "2:bad input (one-line reason on stderr)", "1:internal error"})
final class RunCommand implements Callable<Integer> {

    /** The label store's file name inside {@code --out}: the experiment's labels, queries and rounds. */
    static final String LABEL_STORE = "labels.db";

    /** The run id, inside the label store, that holds the experiment's options (checked on a resume). */
    static final String EXPERIMENT_RUN = "experiment";

    /** MC-dropout passes without {@code --mc-passes}: the learner's own default. */
    static final int DEFAULT_MC_PASSES = 20;

    /** Committee members without {@code --committee}. */
    static final int DEFAULT_COMMITTEE = 5;

    /** The metric shown on each round's console line; the others go to the report files only. */
    private static final Set<String> SHOWN_METRICS = Set.of(Accuracy.NAME);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST IDX files (gzip or not), e.g. "
                    + "/usr/share/datasets/fashion-mnist. Default: the bundled subset.")
    Path data;

    @Option(names = "--train-features", paramLabel = "FILE",
            description = "Pool features as .npy: [N, d] vectors, [N, H, W] or [N, C, H, W] images (instead of "
                    + "--data; needs --train-labels, --test-features, --test-labels).")
    Path trainFeatures;

    @Option(names = "--train-labels", paramLabel = "FILE", description = "Pool labels, int32/int64 [N].")
    Path trainLabels;

    @Option(names = "--test-features", paramLabel = "FILE", description = "Test features, same sample shape.")
    Path testFeatures;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "Test labels, int32/int64 [M].")
    Path testLabels;

    @Option(names = "--learner", paramLabel = "NAME", defaultValue = "mlp",
            description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearnerName learner;

    @Option(names = "--dropout", paramLabel = "RATE",
            description = "Dropout on the network's embedding, also used by MC-dropout strategies (default: 0.5 "
                    + "for mlp and cnn, 0 for resnet18 and vgg16).")
    Double dropout;

    @Option(names = "--dropout-placement", paramLabel = "WHERE",
            description = "Where the dropout sits: embedding (default) or after-conv-blocks (after every "
                    + "convolutional block of cnn, resnet18, vgg16, as in seed 000; not for mlp).")
    String dropoutPlacement;

    @Option(names = "--strategies", split = ",", paramLabel = "NAME", converter = StrategyChoice.Converter.class,
            completionCandidates = StrategyChoice.Names.class,
            description = "Strategies to compare (default: ${DEFAULT-VALUE}). Known: ${COMPLETION-CANDIDATES}. "
                    + "All train the --learner network, except: scal (that network as a supervised contrastive "
                    + "encoder on two augmented views, then a linear classifier), ask-n-learn (that network with "
                    + "--calibration), learning-loss (with a loss-prediction module), label-dispersion (keeping "
                    + "every epoch's parameters), waal (adversarially with a critic, on the unlabeled samples too), "
                    + "the committee and ensemble strategies (--committee copies), pal (also trains its own "
                    + "rotation-scoring network each query) and vaal (also trains its own VAE and discriminator each "
                    + "query).",
            defaultValue = "random,entropy")
    List<StrategyCatalog.Entry> strategies;

    @Option(names = "--initial", paramLabel = "N", description = "Random initial labels (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int initial;

    @Option(names = "--batch", paramLabel = "B", description = "Labels per round (default: ${DEFAULT-VALUE}).",
            defaultValue = "250")
    int batch;

    @Option(names = "--budget", paramLabel = "B",
            description = "Total labels, initial included (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int budget;

    @Option(names = "--subset", paramLabel = "N", description = "Random candidate subset per round, 0 = all unlabeled "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    int subset;

    @Option(names = "--epochs", paramLabel = "E",
            description = "Training epochs per round (default: ${DEFAULT-VALUE}).",
            defaultValue = "12")
    int epochs;

    @Option(names = "--trials", paramLabel = "T", description = "Trials per strategy, seeds seed..seed+trials-1 "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int trials;

    @Option(names = "--seed", paramLabel = "S", description = "First trial's seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--pool-size", paramLabel = "N",
            description = "Use only the first N training images as the pool, 0 = all "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int poolSize;

    @Option(names = "--noise", paramLabel = "RATE", defaultValue = "0",
            description = "Oracle noise: each label is replaced by another class, uniformly, with this probability "
                    + "(fixed per id and trial; default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--biased-initial", split = ",", paramLabel = "CLASS",
            description = "Draw the --initial labels only from these classes (comma-separated), a biased initial "
                    + "pool; they count against --budget.")
    List<Integer> biasedInitial;

    @Option(names = "--ceal",
            description = "CEAL (Wang et al. 2016): each round, unlabeled candidates whose predictive entropy is "
                    + "below a threshold also train that round's network with their predicted class (the rows name "
                    + "the strategy NAME+ceal). "
                    + "Pseudo-labels are never oracle labels: they spend no budget and are not in the labeled "
                    + "counts or the reports. Applies to every strategy of the run.")
    boolean ceal;

    @Option(names = "--ceal-threshold", paramLabel = "D",
            description = "CEAL's initial entropy threshold δ0, in nats, >= 0 (default: 0.00001, "
                    + "Ceal.DEFAULT_THRESHOLD): the survey's, seed 003 D.2; Wang et al. 2016 use 0.005. Needs --ceal.")
    Double cealThreshold;

    @Option(names = "--ceal-decay", paramLabel = "R",
            description = "CEAL's threshold decay per round, δ_t = max(0, δ0 − R·(t − 1)), >= 0 (default: 0, "
                    + "Ceal.DEFAULT_DECAY): a constant threshold; Wang et al. 2016 use 0.00033. Needs --ceal.")
    Double cealDecay;

    @Option(names = "--mc-passes", paramLabel = "T",
            description = "MC-dropout passes of the MC strategies (bald, mean-std, *-mc, batch-bald) "
                    + "(default: 20; the survey, seed 003, uses 10, SCAL, seed 000, 50).")
    Integer mcPasses;

    @Option(names = "--calibration", paramLabel = "NAME",
            description = "ask-n-learn: the confidence calibration its network trains with (seed 002): none, vwcc "
                    + "(eq. 2) or lwcc (eq. 3) (default: vwcc).")
    StrategyChoice.Calibration calibration;

    @Option(names = {"--committee", "--ensemble-size"}, paramLabel = "M",
            description = "vote-entropy, consensus-entropy, max-disagreement, ensemble-* and suggestive-annotation: "
                    + "committee (ensemble) members, each a network trained with its own seed, for "
                    + "suggestive-annotation on its own bootstrap resample of the labels (default: 5, the ensemble "
                    + "size of Beluch et al. 2018).")
    Integer committee;

    @Option(names = "--ood-classes", split = ",", paramLabel = "CLASS",
            description = "Hold these classes out (comma-separated): they leave the pool and the test split, the "
                    + "other classes are renumbered 0..K'-1, and their test samples are the out-of-distribution set "
                    + "of the per-round ood_auroc (AUROC of the max softmax probability, in-distribution test "
                    + "samples positive; seed 000, Figure 4a).")
    List<Integer> oodClasses;

    @Option(names = "--ood-data", paramLabel = "FILE",
            description = "A separate out-of-distribution set as .npy features of the data's sample shape (images "
                    + "also as [M, d], [M, H, W] or [M, C, H, W]): the per-round ood_data_auroc, as ood_auroc.")
    Path oodData;

    @Option(names = "--shift-blur", paramLabel = "SIGMA",
            description = "Dataset shift: a copy of the test split blurred with a Gaussian of this standard deviation "
                    + "in pixels, on which shift_accuracy and shift_ece are computed each round (images only; "
                    + "seed 000, Figure 4b-c).")
    Double shiftBlur;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write rounds.csv, rounds.jsonl, summary.md, command.txt and the charts (PNG and SVG) "
                    + "here, and keep every label in DIR/" + LABEL_STORE + " (SQLite): the same command on the "
                    + "same DIR after a crash or a kill resumes where it stopped; a different command is refused.")
    Path out;

    @Mixin
    StrategyOptions options;

    @Override
    public Integer call() throws IOException {
        PrintStream console = System.out;
        checkOptions();
        Ceal pseudoLabels = cealOption();
        ExperimentData dataset = withRobustnessSets(load()).firstPoolSamples(poolSize).shapedFor(learner);
        int k = dataset.numClasses();
        int[] truth = dataset.trainLabels();
        Set<Integer> biasClasses = checkBiasedInitial(k, truth);
        Architecture architecture = dropout == null ? learner.architecture() : learner.architecture(dropout);
        if (dropoutPlacement != null) {
            try {
                architecture = architecture.withDropoutPlacement(placement(dropoutPlacement));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--dropout-placement " + dropoutPlacement + " with --learner "
                        + learner + ": " + e.getMessage(), e);
            }
        }
        for (StrategyCatalog.Entry name : strategies) {
            if (name.reads() == StrategyCatalog.Reads.MC_PASSES && !(architecture.dropout() > 0)) {
                throw new IllegalArgumentException("strategy " + name + " needs MC dropout, but --learner " + learner
                        + " has dropout " + architecture.dropout() + "; add --dropout RATE (e.g. 0.5)");
            }
        }
        Pool pool = Pool.of(PoolInputs.of(dataset.trainInputs()), k);
        Pool test = Pool.of(PoolInputs.of(dataset.testInputs()), k);
        Metric[] evaluation = evaluationMetrics(dataset);
        Dl4jLearner dl4j = Dl4jLearner.of(architecture, Training.adam(1e-3).withEpochs(epochs));
        if (mcPasses != null) {
            dl4j = dl4j.withDefaultPasses(mcPasses);
        }
        boolean interactive = System.console() != null;

        Map<String, List<LoopResult>> results = new LinkedHashMap<>();
        try (SqliteLabelStore store = out == null ? null : openStore(out);
                LabelStore.Run experiment = store == null ? null : openExperiment(store);
                ExperimentLog log = out == null ? null : createLog(out)) {
            if (out != null) {
                Files.writeString(out.resolve("command.txt"), commandLine() + "\n", StandardCharsets.UTF_8);
            }
            console.printf(Locale.ROOT, "al4j run: %s, pool %d, test %d; %s; initial %d, batch %d, budget %d, "
                    + "%d trial(s)%s%s%s%n", dataset.description(), dataset.trainSize(), dataset.testSize(), dl4j,
                    initial, batch, budget, trials,
                    noise > 0 ? String.format(Locale.ROOT, "; oracle noise %s", noise) : "",
                    biasClasses.isEmpty() ? "" : "; initial labels from classes " + biasClasses,
                    pseudoLabels == null ? "" : "; CEAL pseudo-labels " + pseudoLabels);
            String robustness = robustnessDescription(dataset);
            if (!robustness.isEmpty()) {
                console.println("al4j run: robustness: " + robustness);
            }
            for (StrategyCatalog.Entry name : strategies) {
                String rowName = reportName(name);
                for (int t = 0; t < trials; t++) {
                    long trialSeed = seed + t;
                    StrategyCatalog.Setup setup = StrategyChoice.setup(trialSeed, dl4j, dataset.imageShape(),
                            mcPasses == null ? DEFAULT_MC_PASSES : mcPasses,
                            committee == null ? DEFAULT_COMMITTEE : committee);
                    QueryStrategy strategy = StrategyChoice.create(name, setup, options);
                    Learner<?> learner = StrategyChoice.learner(name, setup, options, calibration);
                    Oracle oracle = noise > 0 ? Oracles.noisy(truth, k, noise, trialSeed) : Oracles.simulated(truth);
                    Pool start = StrategyChoice.needsImageInputs(name)
                            && pool.inputs().orElseThrow().sampleShape().length == 1
                            ? Pool.of(PoolInputs.of(dataset.trainImages(name.name())), k) : pool;
                    int loopInitial = initial;
                    int loopBudget = budget;
                    if (!biasClasses.isEmpty()) {
                        // The biased initial set is labeled before the loop, which then starts from those labels
                        // (initialSize 0) and may acquire the rest of the budget.
                        Answers answers = oracle.label(biasedDraw(truth, biasClasses, initial, trialSeed));
                        start = start.withLabels(answers.ids(), answers.labels());
                        loopInitial = 0;
                        loopBudget = budget - initial;
                    }
                    String label = rowName + "#" + (t + 1);
                    ConsoleProgress progress = new ConsoleProgress(console, label, interactive, SHOWN_METRICS);
                    LoopBuilder loop = ActiveLearningLoop.builder().pool(start).learner(learner)
                            .strategy(strategy).oracle(oracle).initialSize(loopInitial).batchSize(batch)
                            .budget(loopBudget).candidateSubsetSize(subset).seed(trialSeed)
                            .evaluation(test, dataset.testLabels(), evaluation)
                            .listener(progress);
                    RoundReporter reporter = log == null ? null : log.reporter(rowName, t);
                    if (reporter != null) {
                        loop.listener(reporter);
                    }
                    if (store != null) {
                        loop.labelStore(store).runId(label);
                    }
                    if (pseudoLabels != null) {
                        loop.pseudoLabels(pseudoLabels);
                    }
                    try (ActiveLearningLoop running = loop.build()) {
                        // A resumed trial: its stored rounds go to the console and the report files exactly as they
                        // were computed (the store keeps every metric and time), then the loop goes on.
                        for (RoundResult done : running.result().rounds()) {
                            progress.onRoundEnd(done);
                            if (reporter != null) {
                                reporter.onRoundEnd(done);
                            }
                        }
                        results.computeIfAbsent(rowName, n -> new ArrayList<>()).add(running.run());
                    }
                }
            }
            console.println();
            console.println(summary(results));
            if (log != null) {
                ExperimentSummary.of(log.rows()).writeMarkdown(out.resolve("summary.md"));
                List<Path> charts = ExperimentCharts.of(log.rows()).saveAll(out);
                console.printf(Locale.ROOT, "results in %s: %s, %s, summary.md, command.txt, %s, %s%n", out,
                        ExperimentLog.CSV_FILE, ExperimentLog.JSON_LINES_FILE, LABEL_STORE,
                        charts.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
            }
        }
        return 0;
    }

    /**
     * The data with the robustness sets the options ask for: classes held out ({@code --ood-classes}), a separate
     * OOD set ({@code --ood-data}), a blurred copy of the in-distribution test split ({@code --shift-blur}), in that
     * order, so that the OOD file is checked against and the blur applied to the data the network sees.
     */
    private ExperimentData withRobustnessSets(ExperimentData data) {
        ExperimentData d = data;
        if (oodClasses != null && !oodClasses.isEmpty()) {
            d = d.withHeldOutClasses(oodClasses);
        }
        if (oodData != null) {
            d = d.withOodData(oodData);
        }
        if (shiftBlur != null) {
            d = d.withShiftBlur(shiftBlur);
        }
        return d;
    }

    /**
     * The metrics every round computes inside the loop: accuracy, ECE, Brier, NLL on the test split, then the
     * robustness measures of the sets the data holds ({@link ExperimentLog#OOD_AUROC},
     * {@link ExperimentLog#OOD_DATA_AUROC}, {@link ExperimentLog#SHIFT_ACCURACY}, {@link ExperimentLog#SHIFT_ECE}).
     * They are stored with each round in the label store, so a resumed run reports the values it computed.
     */
    static Metric[] evaluationMetrics(ExperimentData dataset) {
        int k = dataset.numClasses();
        List<Metric> metrics = new ArrayList<>(List.of(Metrics.accuracy(), Metrics.expectedCalibrationError(),
                Metrics.brier(), Metrics.negativeLogLikelihood()));
        dataset.heldOutInputs().ifPresent(x -> metrics.add(Metrics.oodAuroc(Pool.of(PoolInputs.of(x), k))));
        dataset.oodDataInputs().ifPresent(x -> metrics.add(Metrics.oodAuroc(Pool.of(PoolInputs.of(x), k))
                .withName(ExperimentLog.OOD_DATA_AUROC)));
        dataset.shiftedTestInputs().ifPresent(x -> {
            Pool shifted = Pool.of(PoolInputs.of(x), k);
            metrics.add(Metrics.onShiftedData(shifted, dataset.testLabels(), Metrics.accuracy()));
            metrics.add(Metrics.onShiftedData(shifted, dataset.testLabels(), Metrics.expectedCalibrationError()));
        });
        return metrics.toArray(Metric[]::new);
    }

    /** The robustness sets for the console's header line; empty without any. */
    private String robustnessDescription(ExperimentData dataset) {
        List<String> parts = new ArrayList<>();
        dataset.heldOutInputs().ifPresent(x -> parts.add(String.format(Locale.ROOT, "classes %s held out (%d OOD "
                + "test samples, %d classes remain, renumbered 0..%d)", oodClasses, x.size(0), dataset.numClasses(),
                dataset.numClasses() - 1)));
        dataset.oodDataInputs().ifPresent(x -> parts.add(String.format(Locale.ROOT, "OOD data %s (%d samples)",
                oodData, x.size(0))));
        if (shiftBlur != null) {
            parts.add(String.format(Locale.ROOT, "test split blurred with sigma %s", shiftBlur));
        }
        return String.join("; ", parts);
    }

    /**
     * The name of a strategy in the rows and on the console: its command-line name, with {@code +ceal} when CEAL
     * pseudo-labels train its networks (the survey's "CEAL(Entropy)" is {@code entropy+ceal}), and Ask-n-Learn with
     * its calibration ({@code ask-n-learn+vwcc}), so that runs with and without CEAL, or with each calibration, can be
     * merged into one report.
     */
    private String reportName(StrategyCatalog.Entry name) {
        String base = name.name().equals(StrategyChoice.ASK_N_LEARN)
                ? name.name() + "+" + (calibration == null ? StrategyChoice.Calibration.VWCC : calibration)
                : name.name();
        return ceal ? base + "+ceal" : base;
    }

    /**
     * Every option that changes what the experiment computes, by its name, in a stable order: stored in the label
     * store with the first run and compared on every later run on the same {@code --out}, so that a resume goes on
     * only with the same experiment. Paths are made absolute; {@code --out} itself is not part of it. A directory made
     * before an option existed still resumes when the option is not given ({@link #openExperiment}).
     */
    private Map<String, String> experimentOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || name.equals("--out")) {
                continue;
            }
            Object value = option.getValue();
            options.put(name, value instanceof Path path ? path.toAbsolutePath().normalize().toString()
                    : String.valueOf(value));
        }
        return options;
    }

    /**
     * Opens the experiment's own run in the store, which holds {@link #experimentOptions()}: refused when the
     * directory was made by a different command (every difference listed) or another process is running it.
     */
    private LabelStore.Run openExperiment(SqliteLabelStore store) {
        Map<String, String> options = experimentOptions();
        Optional<Map<String, String>> stored = store.configuration(EXPERIMENT_RUN);
        if (stored.isPresent()) {
            // An option added to al4j after this directory was made is absent from its stored options: when this
            // command does not give it either, it keeps its default, which is what the older al4j did, so the
            // experiment is the same. (An option the command gives explicitly still counts as a difference.)
            Set<String> given = new java.util.HashSet<>();
            spec.commandLine().getParseResult().matchedOptions().forEach(o -> given.add(o.longestName()));
            options.keySet().removeIf(name -> !stored.get().containsKey(name) && !given.contains(name));
        }
        try {
            return store.openRun(EXPERIMENT_RUN, options);
        } catch (IllegalStateException e) {
            // The store's advice is for library users (another runId); a command-line user gets the CLI's.
            String reason = String.valueOf(e.getMessage()).replaceFirst("; resume with the same configuration.*$", "");
            throw new IllegalArgumentException("--out " + out + " cannot be resumed by this command: "
                    + reason + "; run the command that made it (see " + out.resolve("command.txt")
                    + "), or give another --out", e);
        }
    }

    private static SqliteLabelStore openStore(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + directory + ": cannot create the directory: " + e, e);
        }
        Path file = directory.resolve(LABEL_STORE);
        if (!Files.exists(file) && Files.exists(directory.resolve(ExperimentLog.CSV_FILE))) {
            throw new IllegalArgumentException("--out " + directory + " holds the results of a run without a label "
                    + "store (" + ExperimentLog.CSV_FILE + " but no " + LABEL_STORE + "), which cannot be resumed; "
                    + "give another --out, or move those files away");
        }
        try {
            return LabelStore.sqlite(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--out " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The dropout placement named on the command line: {@code embedding} or {@code after-conv-blocks}. */
    private static DropoutPlacement placement(String name) {
        for (DropoutPlacement p : DropoutPlacement.values()) {
            if (p.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--dropout-placement must be embedding or after-conv-blocks, found '"
                + name + "'");
    }

    /** The CEAL option, or {@code null} without {@code --ceal}; its values are checked by {@link Ceal}. */
    private Ceal cealOption() {
        if (!ceal) {
            if (cealThreshold != null || cealDecay != null) {
                throw new IllegalArgumentException((cealThreshold != null ? "--ceal-threshold" : "--ceal-decay")
                        + " needs --ceal");
            }
            return null;
        }
        Ceal c = Strategies.ceal();
        try {
            if (cealThreshold != null) {
                c = c.withThreshold(cealThreshold);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ceal-threshold: " + e.getMessage(), e);
        }
        try {
            if (cealDecay != null) {
                c = c.withDecay(cealDecay);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ceal-decay: " + e.getMessage(), e);
        }
        return c;
    }

    private static ExperimentLog createLog(Path directory) {
        try {
            return ExperimentLog.create(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + directory + ": cannot create the report files: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " "
                            + e.getMessage()), e);
        }
    }

    private void checkOptions() {
        boolean npy = trainFeatures != null || trainLabels != null || testFeatures != null || testLabels != null;
        if (npy && (trainFeatures == null || trainLabels == null || testFeatures == null || testLabels == null)) {
            throw new IllegalArgumentException(".npy data needs all four of --train-features, --train-labels, "
                    + "--test-features and --test-labels");
        }
        if (npy && data != null) {
            throw new IllegalArgumentException("--data and --train-features are alternatives; give one of them");
        }
        checkAtLeast(initial, 0, "--initial");
        checkAtLeast(batch, 1, "--batch");
        checkAtLeast(budget, 1, "--budget");
        checkAtLeast(subset, 0, "--subset");
        checkAtLeast(epochs, 1, "--epochs");
        checkAtLeast(trials, 1, "--trials");
        checkAtLeast(poolSize, 0, "--pool-size");
        if (mcPasses != null) {
            checkAtLeast(mcPasses, 1, "--mc-passes");
        }
        if (initial > budget) {
            throw new IllegalArgumentException("--initial must be <= --budget (" + budget + "), found " + initial);
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("--noise must be a rate in [0, 1], found " + noise);
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), found " + dropout);
        }
        if (biasedInitial != null && !biasedInitial.isEmpty() && !(initial >= 1 && initial < budget)) {
            throw new IllegalArgumentException("--biased-initial needs 1 <= --initial < --budget, found initial "
                    + initial + " and budget " + budget);
        }
        Set<StrategyCatalog.Entry> distinct = new LinkedHashSet<>();
        for (StrategyCatalog.Entry name : strategies) {
            if (!distinct.add(name)) {
                throw new IllegalArgumentException("--strategies lists " + name + " twice");
            }
        }
        options.checkApplies(strategies);
        if (calibration != null && strategies.stream().noneMatch(s -> s.name().equals(StrategyChoice.ASK_N_LEARN))) {
            throw new IllegalArgumentException("--calibration applies to ask-n-learn only, not to "
                    + strategies.stream().map(StrategyCatalog.Entry::name).collect(Collectors.joining(", ")));
        }
        if (committee != null && strategies.stream().noneMatch(s -> s.reads() == StrategyCatalog.Reads.COMMITTEE
                || s.reads() == StrategyCatalog.Reads.COMMITTEE_EMBEDDINGS)) {
            throw new IllegalArgumentException("--committee (--ensemble-size) applies to vote-entropy, "
                    + "consensus-entropy, max-disagreement, the ensemble-* strategies and suggestive-annotation only, "
                    + "not to "
                    + strategies.stream().map(StrategyCatalog.Entry::name).collect(Collectors.joining(", ")));
        }
        if (committee != null) {
            checkAtLeast(committee, 2, "--committee (--ensemble-size)");
        }
    }

    private static void checkAtLeast(int value, int min, String option) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", found " + value);
        }
    }

    private ExperimentData load() throws IOException {
        if (trainFeatures != null) {
            return ExperimentData.npy(trainFeatures, trainLabels, testFeatures, testLabels);
        }
        if (data != null && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": not a directory");
        }
        return ExperimentData.fashionMnist(data);
    }

    /** The classes of {@code --biased-initial}, checked against the data (empty when the option is absent). */
    private Set<Integer> checkBiasedInitial(int numClasses, int[] truth) {
        if (biasedInitial == null || biasedInitial.isEmpty()) {
            return Set.of();
        }
        Set<Integer> classes = new LinkedHashSet<>();
        for (int c : biasedInitial) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("--biased-initial: class " + c + " is not in [0, " + numClasses
                        + ")");
            }
            if (!classes.add(c)) {
                throw new IllegalArgumentException("--biased-initial: class " + c + " is given twice");
            }
        }
        long available = Arrays.stream(truth).filter(classes::contains).count();
        if (available < initial) {
            throw new IllegalArgumentException("--biased-initial " + classes + ": the pool has " + available
                    + " samples of those classes, fewer than --initial " + initial);
        }
        return classes;
    }

    /**
     * {@code count} distinct pool ids drawn uniformly from those whose true class is in {@code classes}, by a
     * partial Fisher–Yates shuffle seeded with {@code seed}: the same for every strategy of a trial.
     */
    static int[] biasedDraw(int[] truth, Set<Integer> classes, int count, long seed) {
        int[] eligible = java.util.stream.IntStream.range(0, truth.length).filter(id -> classes.contains(truth[id]))
                .toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(eligible.length - i);
            int swap = eligible[i];
            eligible[i] = eligible[j];
            eligible[j] = swap;
        }
        int[] ids = Arrays.copyOf(eligible, count);
        Arrays.sort(ids);
        return ids;
    }

    /** The command as typed, for {@code command.txt}; arguments with spaces or quotes are single-quoted. */
    private String commandLine() {
        List<String> words = new ArrayList<>(List.of("al4j"));
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            words.add(arg.matches("[A-Za-z0-9_.,/:=+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }

    /** The final table: AUBC mean ± std over trials, final accuracy, mean query time. */
    static String summary(Map<String, List<LoopResult>> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-18s %-18s %-18s %s%n", "strategy", "AUBC (mean ± std)",
                "F-acc (mean ± std)", "query ms (mean)"));
        for (Map.Entry<String, List<LoopResult>> e : results.entrySet()) {
            List<LoopResult> trials = e.getValue();
            MeanStd aubc = Metrics.meanStd(trials.stream().mapToDouble(Metrics::aubc).toArray());
            MeanStd facc = Metrics.meanStd(trials.stream().mapToDouble(Metrics::finalAccuracy).toArray());
            double queryMs = trials.stream().flatMap(r -> r.rounds().stream().skip(1))
                    .mapToDouble(r -> r.queryNanos() / 1e6).average().orElse(0);
            table.append(String.format(Locale.ROOT, "%-18s %.4f ± %.4f    %.4f ± %.4f    %.1f%n",
                    e.getKey(), aubc.mean(), aubc.std(), facc.mean(), facc.std(), queryMs));
        }
        return table.toString();
    }
}
