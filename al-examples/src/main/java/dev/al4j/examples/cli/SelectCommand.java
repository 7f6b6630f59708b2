package dev.al4j.examples.cli;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.io.Json;
import dev.al4j.strategies.StrategyCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code al4j select}: one query on model outputs computed elsewhere (PyTorch, JAX, ...) and saved as {@code .npy}.
 * Row {@code i} of every array is pool id {@code i}. Prints one JSON object on stdout and nothing else there; logs go
 * to stderr. Exit 0 on success, 2 with a one-line reason on stderr for bad input. The contract is in
 * {@code docs/cli.md}.
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"One query on precomputed model outputs (.npy): prints {\"strategy\", \"budget\", "
                + "\"selected\", \"scores\", \"queryMillis\"} as one JSON object on stdout.",
            "Row i of every array is pool id i."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "2:bad input (one-line reason on stderr)", "1:internal error"})
final class SelectCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SelectCommand.class);

    @Option(names = "--strategy", required = true, paramLabel = "NAME", converter = StrategyChoice.Converter.class,
            completionCandidates = StrategyChoice.Names.class,
            description = "The strategy: ${COMPLETION-CANDIDATES}.")
    StrategyCatalog.Entry strategy;

    @Option(names = "--budget", required = true, paramLabel = "B",
            description = "Ids to select (fewer when there are fewer candidates).")
    int budget;

    @Option(names = "--probs", required = true, paramLabel = "FILE",
            description = "Class probabilities [N, K], float32 or float64, rows summing to 1.")
    Path probs;

    @Option(names = "--embeddings", paramLabel = "FILE", description = "Penultimate-layer embeddings [N, d].")
    Path embeddings;

    @Option(names = "--mc-probs", paramLabel = "FILE",
            description = "MC-dropout class probabilities [T, N, K] (T stochastic passes).")
    Path mcProbs;

    @Option(names = "--labeled", paramLabel = "FILE", description = "Labeled pool ids, int32/int64 vector.")
    Path labeled;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Classes of the --labeled ids, in the same order, int32/int64 vector.")
    Path labels;

    @Option(names = "--candidates", paramLabel = "FILE",
            description = "Ids the query may pick from (default: every id not labeled).")
    Path candidates;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of randomised strategies (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeat", paramLabel = "R",
            description = "Run the selection R >= 1 times in this JVM (cold, then warm); queryMillis is the last run's "
                    + "and queryMillisAll lists every run's. Default: once, without queryMillisAll.")
    Integer repeat;

    @Mixin
    StrategyOptions options;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (budget < 0) {
            throw new IllegalArgumentException("--budget must be >= 0, found " + budget);
        }
        if (repeat != null && repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, found " + repeat);
        }
        options.checkApplies(List.of(strategy));
        if ((labeled == null) != (labels == null)) {
            throw new IllegalArgumentException(labeled == null ? "--labels needs --labeled (the ids they label)"
                    : "--labeled needs --labels (the classes of those ids)");
        }
        StrategyChoice.checkRunsOnSavedOutputs(strategy);
        if (strategy.reads() == StrategyCatalog.Reads.EMBEDDINGS && embeddings == null) {
            throw new IllegalArgumentException("strategy " + strategy + " needs --embeddings (an [N, d] array)");
        }
        if (strategy.reads() == StrategyCatalog.Reads.MC_PASSES && mcProbs == null) {
            throw new IllegalArgumentException("strategy " + strategy + " needs --mc-probs (a [T, N, K] array)");
        }
        QueryStrategy query = StrategyChoice.create(strategy, StrategyCatalog.Setup.ofSeed(seed), options);

        INDArray p = ArrayFiles.readReal("--probs", probs, 2, "[N, K]");
        long n = p.rows();
        long k = p.columns();
        if (n < 1 || k < 1) {
            throw ArrayFiles.bad("--probs", probs, "expected at least one row and one class, found shape %s",
                    Arrays.toString(p.shape()));
        }
        ArrayFiles.checkProbabilities("--probs", probs, p);
        PrecomputedModel.Builder model = PrecomputedModel.builder(p);
        if (embeddings != null) {
            INDArray e = ArrayFiles.readReal("--embeddings", embeddings, 2, "[N, d]");
            if (e.rows() != n || e.columns() < 1) {
                throw ArrayFiles.bad("--embeddings", embeddings, "expected shape [%d, d] (N from --probs), found %s",
                        n, Arrays.toString(e.shape()));
            }
            model.embeddings(e.castTo(p.dataType()));
        }
        if (mcProbs != null) {
            INDArray mc = ArrayFiles.readReal("--mc-probs", mcProbs, 3, "[T, N, K]");
            if (mc.size(0) < 1 || mc.size(1) != n || mc.size(2) != k) {
                throw ArrayFiles.bad("--mc-probs", mcProbs, "expected shape [T, %d, %d] (N, K from --probs), found %s",
                        n, k, Arrays.toString(mc.shape()));
            }
            ArrayFiles.checkProbabilities("--mc-probs", mcProbs, mc.reshape('c', -1, k));
            model.mcProbabilities(mc.castTo(p.dataType()));
        }
        Model built = build(model);

        Pool pool = Pool.withoutInputs((int) n, (int) k);
        if (labeled != null) {
            int[] ids = ArrayFiles.readInts("--labeled", labeled);
            int[] classes = ArrayFiles.readInts("--labels", labels);
            if (ids.length != classes.length) {
                throw new IllegalArgumentException("--labeled and --labels must have the same length, found "
                        + ids.length + " and " + classes.length);
            }
            pool = withinPool("--labeled/--labels", pool, q -> q.withLabels(ids, classes));
        }
        if (candidates != null) {
            int[] ids = ArrayFiles.readInts("--candidates", candidates);
            pool = withinPool("--candidates", pool, q -> q.withCandidates(ids));
        }
        LOG.debug("select: {} with budget {} on {} and {}", query, budget, pool, built);

        int runs = repeat == null ? 1 : repeat;
        double[] millis = new double[runs];
        Selection selection = null;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            try {
                selection = query.select(pool, built, budget);
            } catch (IllegalStateException e) {
                // A strategy refuses a pool it cannot work on (e.g. no labeled sample of a class): bad input.
                throw new IllegalArgumentException(strategy + ": " + e.getMessage(), e);
            }
            millis[r] = (System.nanoTime() - start) / 1e6;
        }
        Json.Writer json = Json.writer().put("strategy", strategy.name()).put("budget", budget)
                .put("selected", selection.ids()).put("scores", selection.scores().orElse(null))
                .put("queryMillis", millis[runs - 1]);
        if (repeat != null) {
            json.put("queryMillisAll", millis);
        }
        out.println(json);
        out.flush();
        return 0;
    }

    private static Model build(PrecomputedModel.Builder model) {
        try {
            return model.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model outputs: " + e.getMessage(), e);
        }
    }

    private static Pool withinPool(String what, Pool pool, java.util.function.UnaryOperator<Pool> change) {
        try {
            return change.apply(pool);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
