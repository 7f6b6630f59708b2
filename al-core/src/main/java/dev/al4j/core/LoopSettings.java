package dev.al4j.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link LoopBuilder} checked and an {@link ActiveLearningLoop} runs with: immutable, package-private. The
 * pool is the one given, with every unlabeled id a candidate; {@code initialSize} is resolved (the batch size when
 * not set); {@code oracleTimeout} and {@code pseudoLabeler} may be {@code null} (none).
 */
record LoopSettings(Pool pool, Learner<?> learner, QueryStrategy strategy, Oracle oracle, int initialSize,
        int batchSize, int budget, int candidateSubsetSize, Pool evaluationPool, int[] evaluationLabels,
        List<Metric> metrics, LabelStore labelStore, List<LoopListener> listeners, long seed,
        Predicate<RoundResult> stopWhen, String runId, int oracleRetries, Duration oracleBackoff,
        Duration oracleTimeout, PseudoLabeler pseudoLabeler) {

    LoopSettings {
        metrics = List.copyOf(metrics);
        listeners = List.copyOf(listeners);
    }

    /** Whether each round's model is evaluated. */
    boolean evaluates() {
        return evaluationPool != null && !metrics.isEmpty();
    }

    /**
     * What must be equal for a stored run to be resumed exactly: the pool (size, classes, inputs, its own labels),
     * the seed, sizes, budget, strategy, learner, evaluation and pseudo-labeler.
     */
    Map<String, String> configuration() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("pool.size", Integer.toString(pool.size()));
        c.put("pool.classes", Integer.toString(pool.numClasses()));
        c.put("pool.inputs", pool.inputs().map(in -> Arrays.toString(in.sampleShape())).orElse("none"));
        int[] labeled = pool.labeled();
        c.put("pool.labels", labeled.length + " labeled, hash "
                + (31 * Arrays.hashCode(labeled) + Arrays.hashCode(pool.labelsOf(labeled))));
        c.put("seed", Long.toString(seed));
        c.put("initialSize", Integer.toString(initialSize));
        c.put("batchSize", Integer.toString(batchSize));
        c.put("budget", Integer.toString(budget));
        c.put("candidateSubsetSize", Integer.toString(candidateSubsetSize));
        c.put("strategy", RunConfiguration.describe(strategy, strategy.selectionDescription()));
        c.put("learner", RunConfiguration.describe(learner));
        c.put("evaluation", !evaluates() ? "none"
                : evaluationPool.size() + " samples, labels hash " + Arrays.hashCode(evaluationLabels) + ", metrics "
                        + metrics.stream().map(Metric::name).toList());
        if (pseudoLabeler != null) {
            // Only when set, so that runs stored before pseudo-labels existed still resume.
            c.put("pseudoLabels", RunConfiguration.describe(pseudoLabeler));
        }
        return c;
    }

    /** A generator for one purpose in one round: a pure function of (seed, round, purpose). */
    SplittableRandom random(int round, int purpose) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + purpose);
    }

    /** {@code k} ids drawn uniformly without replacement from {@code ids}, by a partial Fisher-Yates shuffle. */
    static int[] sample(int[] ids, int k, SplittableRandom random) {
        int[] a = ids.clone();
        int n = Math.min(k, a.length);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.copyOf(a, n);
    }

    /** The metric values of {@code model} on the evaluation set (one forward pass); empty without evaluation. */
    Map<String, Double> evaluate(Model model) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (evaluates()) {
            int[] all = new int[evaluationPool.size()];
            Arrays.setAll(all, i -> i);
            INDArray probabilities = model.probabilities(evaluationPool, all);
            for (Metric metric : metrics) {
                values.put(metric.name(), metric.evaluate(model, probabilities, evaluationLabels));
            }
        }
        return values;
    }

    /**
     * Checks the strategy's selection: at most {@code wanted} ids, each a candidate of {@code queried}, none repeated.
     *
     * @throws IllegalStateException naming the strategy and the first problem
     */
    void checkSelection(Selection selection, Pool queried, int wanted) {
        Checks.checkState(selection != null, "strategy %s returned no selection", strategy);
        int[] ids = selection.ids();
        Checks.checkState(ids.length <= wanted, "strategy %s returned %d ids for a budget of %d", strategy,
                ids.length, wanted);
        boolean[] allowed = new boolean[queried.size()];
        for (int id : queried.candidates()) {
            allowed[id] = true;
        }
        for (int id : ids) {
            Checks.checkState(id >= 0 && id < allowed.length && allowed[id],
                    "strategy %s returned id %d, which is not a candidate (or is repeated)", strategy, id);
            allowed[id] = false;
        }
    }
}
