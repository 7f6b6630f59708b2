package dev.al4j.examples.cli;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.LabelStore;
import dev.al4j.core.Learner;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.dl4j.Architecture;
import dev.al4j.dl4j.Dl4jLearner;
import dev.al4j.dl4j.Training;
import dev.al4j.examples.data.FashionMnist;
import dev.al4j.label.ImageFolder;
import dev.al4j.label.ItemImages;
import dev.al4j.label.LabelServer;
import dev.al4j.label.LabelSession;
import dev.al4j.metrics.Accuracy;
import dev.al4j.metrics.Metrics;
import dev.al4j.strategies.StrategyCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code al4j label}: a person labels in the browser while the model learns. Starts a web server on
 * {@code 127.0.0.1} ({@code --host}) and prints the page's URL with its token on stdout; the page shows the open
 * query's items one at a time and stores every answer before it shows the next one. The loop is the one of
 * {@code al4j run} ({@code --strategy}, {@code --learner}, {@code --batch}, {@code --budget}, {@code --initial}),
 * with the person as the oracle and the label store {@code --db}: the same command again resumes the same query.
 * The contract is in {@code docs/cli.md}; the server is {@link LabelServer}, the loop's owner {@link LabelSession}.
 */
@Command(name = "label", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label in the browser: a web page over the active-learning loop, every answer stored at once.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped (Ctrl-C)", "2:bad input (one-line reason on stderr)", "1:internal error"})
final class LabelCommand implements Callable<Integer> {

    /** The run id, inside the label store, of the labelling loop. */
    static final String RUN_ID = "label";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the Fashion-MNIST IDX files, as for al4j run (the training split is the "
                    + "pool; its labels are ignored). Default: the bundled subset.")
    Path data;

    @Option(names = "--images", paramLabel = "DIR",
            description = "A folder of PNG/JPEG files of one size, one sample each; pool ids in sorted file-name "
                    + "order. Needs --classes.")
    Path images;

    @Option(names = "--classes", paramLabel = "A,B,C|FILE",
            description = "Class names, comma-separated, or a file with one name per line (default with --data: "
                    + "the Fashion-MNIST names).")
    String classes;

    @Option(names = "--test-data", paramLabel = "DIR",
            description = "Directory with Fashion-MNIST IDX files whose test split (t10k) is evaluated after each "
                    + "round: the page then draws test accuracy per round.")
    Path testData;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N items as the pool, 0 = all (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--strategy", paramLabel = "NAME", converter = StrategyChoice.Converter.class,
            completionCandidates = StrategyChoice.Names.class, defaultValue = "entropy",
            description = "Query strategy, as for al4j run (default: ${DEFAULT-VALUE}). Known: "
                    + "${COMPLETION-CANDIDATES}.")
    StrategyCatalog.Entry strategy;

    @Option(names = "--learner", paramLabel = "NAME", defaultValue = "mlp",
            description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearnerName learner;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "12",
            description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--initial", paramLabel = "N", defaultValue = "20",
            description = "Random first batch (default: ${DEFAULT-VALUE}).")
    int initial;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "20",
            description = "Items per later batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--budget", paramLabel = "B", defaultValue = "200",
            description = "Labels in all, the first batch included (default: ${DEFAULT-VALUE}).")
    int budget;

    @Option(names = "--subset", paramLabel = "N", defaultValue = "2000",
            description = "Random candidate subset per round, 0 = all unlabeled (default: ${DEFAULT-VALUE}).")
    int subset;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the first batch, the subsets and the network (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "labels.db",
            description = "The label store, a SQLite file (default: ${DEFAULT-VALUE}); the same command on the "
                    + "same file resumes.")
    Path db;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "Port, 0 = a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", paramLabel = "T",
            description = "The token the URL carries (default: a random one each start).")
    String token;

    @Mixin
    StrategyOptions options;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "al4j-label-stop"));
        System.out.println(running.server().url());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** A started server, its session and store; {@link #close()} stops all three. */
    record Running(LabelServer server, LabelSession session, SqliteLabelStore store) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            session.close();
            store.close();
        }
    }

    /** Checks the options, reads the data, opens the store, starts the loop and the server. */
    Running start() throws IOException {
        checkOptions();
        String serverToken = token == null ? LabelServer.randomToken() : token;
        Items items = items();
        int k = items.classNames().size();
        Architecture architecture = learner.architecture();
        Dl4jLearner dl4j = Dl4jLearner.of(architecture, Training.adam(1e-3).withEpochs(epochs));
        StrategyCatalog.Setup setup = StrategyChoice.setup(seed, dl4j, items.imageShape(),
                RunCommand.DEFAULT_MC_PASSES, RunCommand.DEFAULT_COMMITTEE);
        options.checkApplies(List.of(strategy));
        QueryStrategy query = StrategyChoice.create(strategy, setup, options);
        Learner<?> fitter = StrategyChoice.learner(strategy, setup, options, null);
        Pool pool = Pool.of(PoolInputs.of(items.inputs()), k);
        LoopBuilder builder = ActiveLearningLoop.builder().pool(pool).learner(fitter).strategy(query)
                .initialSize(initial).batchSize(batch).budget(budget).candidateSubsetSize(subset).seed(seed);
        String metric = null;
        if (testData != null) {
            ExperimentData test = ExperimentData.fashionMnist(checkDirectory("--test-data", testData))
                    .shapedFor(learner);
            long[] poolSample = Arrays.copyOfRange(items.inputs().shape(), 1, items.inputs().rank());
            long[] testSample = Arrays.copyOfRange(test.testInputs().shape(), 1, test.testInputs().rank());
            if (!Arrays.equals(poolSample, testSample) || test.numClasses() != k) {
                throw new IllegalArgumentException("--test-data " + testData + ": samples " + Arrays.toString(
                        testSample) + " of " + test.numClasses() + " classes, but the pool has samples "
                        + Arrays.toString(poolSample) + " of " + k + " classes");
            }
            builder.evaluation(Pool.of(PoolInputs.of(test.testInputs()), k), test.testLabels(), Metrics.accuracy());
            metric = Accuracy.NAME;
        }
        SqliteLabelStore store;
        try {
            store = LabelStore.sqlite(db);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--db " + db + ": " + e.getMessage(), e);
        }
        builder.labelStore(store).runId(RUN_ID);
        LabelSession session;
        try {
            session = LabelSession.start(builder, k, budget, metric, store::records, "browser");
        } catch (IllegalStateException e) {
            store.close();
            String reason = String.valueOf(e.getMessage()).replaceFirst("; resume with the same configuration.*$",
                    "");
            throw new IllegalArgumentException("--db " + db + " cannot be resumed by this command: " + reason
                    + "; give the options that made it, or another --db", e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LabelServer server;
        try {
            server = LabelServer.start(session, items.images(), items.classNames(), host, port, serverToken);
        } catch (IOException | RuntimeException e) {
            session.close();
            store.close();
            throw e;
        }
        System.err.printf(Locale.ROOT, "al4j label: %s, %d items, %d classes; %s, %s; first batch %d, batch %d, "
                + "budget %d; labels in %s%n", items.description(), pool.size(), k, strategy, dl4j, initial, batch,
                budget, db.toAbsolutePath());
        return new Running(server, session, store);
    }

    /** The pool's inputs (shaped for the learner), its images for the page, the class names. */
    private record Items(String description, INDArray inputs, long[] imageShape, ItemImages images,
            List<String> classNames) {}

    private Items items() throws IOException {
        if (images != null) {
            if (classes == null) {
                throw new IllegalArgumentException("--images needs --classes (names, or a file of names)");
            }
            ImageFolder folder = ImageFolder.read(images);
            long[] shape = folder.imageShape();
            INDArray x = folder.inputs();
            if (poolSize > 0 && poolSize < x.size(0)) {
                x = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, poolSize)).dup('c');
            }
            if (!learner.needsImages()) {
                x = x.reshape('c', x.size(0), shape[0] * shape[1] * shape[2]);
            } else if (shape[1] < learner.minImageSide() || shape[2] < learner.minImageSide()) {
                throw new IllegalArgumentException("--learner " + learner + " needs images of at least "
                        + learner.minImageSide() + " pixels a side, found " + shape[2] + "x" + shape[1]);
            }
            ItemImages all = folder.images();
            int n = (int) x.size(0);
            ItemImages shown = new ItemImages() {
                @Override
                public int size() {
                    return n;
                }

                @Override
                public Image image(int id) {
                    return all.image(java.util.Objects.checkIndex(id, n));
                }
            };
            return new Items(images.toString(), x, shape, shown, classNames(null));
        }
        ExperimentData dataset = ExperimentData.fashionMnist(data == null ? null : checkDirectory("--data", data))
                .firstPoolSamples(poolSize);
        List<String> names = classNames(FashionMnist.CLASS_NAMES);
        if (names.size() != dataset.numClasses()) {
            throw new IllegalArgumentException("--classes: " + names.size() + " names, but the data has "
                    + dataset.numClasses() + " classes");
        }
        ItemImages shown = ItemImages.ofPixels(dataset.trainInputs(), dataset.imageShape());
        return new Items(dataset.description(), dataset.shapedFor(learner).trainInputs(), dataset.imageShape(), shown,
                names);
    }

    /** The names of {@code --classes}, or {@code defaults} without it. */
    private List<String> classNames(List<String> defaults) throws IOException {
        if (classes == null) {
            return defaults;
        }
        Path file = Path.of(classes);
        List<String> names = Files.isRegularFile(file)
                ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList()
                : Arrays.stream(classes.split(",", -1)).map(String::strip).toList();
        if (names.size() < 2 || names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--classes must name at least 2 classes, none empty, found '"
                    + classes + "'");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("--classes names a class twice: '" + classes + "'");
        }
        return names;
    }

    private static Path checkDirectory(String option, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": not a directory");
        }
        return dir;
    }

    private void checkOptions() {
        if (data != null && images != null) {
            throw new IllegalArgumentException("--data and --images are alternatives; give one of them");
        }
        checkAtLeast(initial, 1, "--initial");
        checkAtLeast(batch, 1, "--batch");
        checkAtLeast(budget, 1, "--budget");
        checkAtLeast(subset, 0, "--subset");
        checkAtLeast(epochs, 1, "--epochs");
        checkAtLeast(poolSize, 0, "--pool-size");
        if (initial > budget) {
            throw new IllegalArgumentException("--initial must be <= --budget (" + budget + "), found " + initial);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], found " + port);
        }
        if (token != null) {
            LabelServer.checkToken(token);
        }
    }

    private static void checkAtLeast(int value, int min, String option) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", found " + value);
        }
    }
}
