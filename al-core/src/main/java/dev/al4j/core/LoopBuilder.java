package dev.al4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Builds an {@link ActiveLearningLoop}. Required: pool, learner, strategy, budget, batch size; the oracle only
 * for {@link ActiveLearningLoop#run()}. {@link #build()} checks everything at once and names every problem. Start
 * one with {@link ActiveLearningLoop#builder()}; see {@link ActiveLearningLoop} for an example.
 */
public final class LoopBuilder {
    private Pool pool;
    private Learner<?> learner;
    private QueryStrategy strategy;
    private Oracle oracle;
    private int initialSize = -1;
    private int batchSize = -1;
    private int budget = -1;
    private int candidateSubsetSize;
    private Pool evaluationPool;
    private int[] evaluationLabels;
    private final List<Metric> metrics = new ArrayList<>();
    private LabelStore labelStore;
    private final List<LoopListener> listeners = new ArrayList<>();
    private long seed;
    private Predicate<RoundResult> stopWhen = r -> false;
    private String runId = LabelStore.DEFAULT_RUN;
    private int oracleRetries;
    private Duration oracleBackoff = Duration.ZERO;
    private Duration oracleTimeout;
    private PseudoLabeler pseudoLabeler;

    LoopBuilder() {}

    /** The pool to label; labels it already has are kept and do not count against the budget. */
    public LoopBuilder pool(Pool pool) {
        this.pool = pool;
        return this;
    }

    /** Trains a model each round. */
    public LoopBuilder learner(Learner<?> learner) {
        this.learner = learner;
        return this;
    }

    /** Picks each round's batch. */
    public LoopBuilder strategy(QueryStrategy strategy) {
        this.strategy = strategy;
        return this;
    }

    /** Answers queries in {@link ActiveLearningLoop#run()}. */
    public LoopBuilder oracle(Oracle oracle) {
        this.oracle = oracle;
        return this;
    }

    /** Size of the random initial set (default: the batch size); 0 trains on the pool's existing labels. */
    public LoopBuilder initialSize(int initialSize) {
        this.initialSize = initialSize;
        return this;
    }

    /** Labels asked per round after the initial one. */
    public LoopBuilder batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** Oracle labels the loop may acquire in all, the initial set included. */
    public LoopBuilder budget(int budget) {
        this.budget = budget;
        return this;
    }

    /** Each round, query only a random subset of this many unlabeled ids (0, the default: all of them). */
    public LoopBuilder candidateSubsetSize(int candidateSubsetSize) {
        this.candidateSubsetSize = candidateSubsetSize;
        return this;
    }

    /** Evaluate each round's model on {@code pool} (all its ids) with these true labels and metrics. */
    public LoopBuilder evaluation(Pool pool, int[] labels, Metric... metrics) {
        this.evaluationPool = pool;
        this.evaluationLabels = labels == null ? null : labels.clone();
        this.metrics.clear();
        if (metrics != null) {
            this.metrics.addAll(Arrays.asList(metrics));
        }
        return this;
    }

    /**
     * Where labels are written (default: a new in-memory store). With a durable store
     * ({@link LabelStore#sqlite(java.nio.file.Path)}) a loop built again after a crash resumes its run.
     */
    public LoopBuilder labelStore(LabelStore labelStore) {
        this.labelStore = labelStore;
        return this;
    }

    /**
     * The run id under which the label store keeps this loop's labels, queries and results (default
     * {@value LabelStore#DEFAULT_RUN}). A loop built on a store that already holds this run resumes it; give each
     * experiment its own id.
     */
    public LoopBuilder runId(String runId) {
        this.runId = runId;
        return this;
    }

    /**
     * In {@link ActiveLearningLoop#run()}, asks the oracle again up to {@code retries} times for ids it did not
     * answer (it failed, timed out, gave invalid answers or skipped ids), waiting {@code backoff} before the
     * first retry and twice as long before each next one (default: no retries).
     */
    public LoopBuilder oracleRetries(int retries, Duration backoff) {
        this.oracleRetries = retries;
        this.oracleBackoff = backoff;
        return this;
    }

    /**
     * In {@link ActiveLearningLoop#run()}, an oracle call that takes longer than {@code timeout} is a fault (the
     * call is interrupted and its late answers dropped); default: no limit.
     */
    public LoopBuilder oracleTimeout(Duration timeout) {
        this.oracleTimeout = timeout;
        return this;
    }

    /**
     * Each round, lets samples the current model is sure about join that round's fit with a pseudo-label, e.g.
     * CEAL ({@code Strategies.ceal()} in al-strategies); default: none. Pseudo-labels are stored as
     * {@link LabelRecord.Source#PSEUDO} records and are never oracle labels: see the class comment.
     */
    public LoopBuilder pseudoLabels(PseudoLabeler labeler) {
        this.pseudoLabeler = Checks.checkNotNull(labeler, "labeler");
        return this;
    }

    /** Adds a listener. */
    public LoopBuilder listener(LoopListener listener) {
        this.listeners.add(Checks.checkNotNull(listener, "listener"));
        return this;
    }

    /** The seed of the initial draw, candidate subsets and each fit (default 0). */
    public LoopBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Stops the loop after the first round whose result satisfies {@code predicate}. */
    public LoopBuilder stopWhen(Predicate<RoundResult> predicate) {
        this.stopWhen = predicate;
        return this;
    }

    /**
     * Checks the configuration and builds the loop.
     *
     * @throws IllegalArgumentException listing every problem found
     */
    public ActiveLearningLoop build() {
        List<String> problems = new ArrayList<>();
        if (pool == null) {
            problems.add("pool must be set");
        }
        if (learner == null) {
            problems.add("learner must be set");
        }
        if (strategy == null) {
            problems.add("strategy must be set");
        }
        if (stopWhen == null) {
            problems.add("stopWhen must not be null");
        }
        if (batchSize <= 0) {
            problems.add("batchSize must be > 0, found " + (batchSize == -1 ? "none" : batchSize));
        }
        if (budget <= 0) {
            problems.add("budget must be > 0, found " + (budget == -1 ? "none" : budget));
        }
        int initial = initialSize == -1 ? batchSize : initialSize;
        if (initialSize < -1) {
            problems.add("initialSize must be >= 0, found " + initialSize);
        }
        if (budget > 0 && initial > budget) {
            problems.add("initialSize must be <= budget (" + budget + "), found " + initial);
        }
        if (initialSize == 0 && pool != null && pool.labeledCount() == 0) {
            problems.add("initialSize 0 needs a pool with labels, but the pool has none");
        }
        if (runId == null || runId.isEmpty() || runId.length() > 200
                || runId.chars().anyMatch(Character::isISOControl)) {
            problems.add("runId must be 1 to 200 characters without control characters, found "
                    + (runId == null ? "null" : "'" + runId + "'"));
        }
        if (oracleRetries < 0) {
            problems.add("oracleRetries must be >= 0, found " + oracleRetries);
        }
        if (oracleBackoff == null || oracleBackoff.isNegative()) {
            problems.add("oracle backoff must be a duration >= 0, found " + oracleBackoff);
        }
        if (oracleTimeout != null && (oracleTimeout.isNegative() || oracleTimeout.isZero())) {
            problems.add("oracleTimeout must be > 0, found " + oracleTimeout);
        }
        if (candidateSubsetSize < 0) {
            problems.add("candidateSubsetSize must be >= 0 (0 = all), found " + candidateSubsetSize);
        }
        if (evaluationPool != null || evaluationLabels != null || !metrics.isEmpty()) {
            if (evaluationPool == null || evaluationLabels == null) {
                problems.add("evaluation needs both a pool and its labels");
            } else {
                if (evaluationLabels.length != evaluationPool.size()) {
                    problems.add("evaluation labels must have one per evaluation sample (" + evaluationPool.size()
                            + "), found " + evaluationLabels.length);
                }
                if (pool != null && evaluationPool.numClasses() != pool.numClasses()) {
                    problems.add("evaluation pool has " + evaluationPool.numClasses() + " classes, the pool has "
                            + pool.numClasses());
                }
                for (int i = 0; i < evaluationLabels.length; i++) {
                    if (evaluationLabels[i] < 0 || evaluationLabels[i] >= evaluationPool.numClasses()) {
                        problems.add("evaluation labels[" + i + "] must be a class in [0, "
                                + evaluationPool.numClasses() + "), found " + evaluationLabels[i]);
                        break;
                    }
                }
            }
            if (metrics.contains(null)) {
                problems.add("metrics must not contain null");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid ActiveLearningLoop: " + String.join("; ", problems));
        }
        return new ActiveLearningLoop(new LoopSettings(pool.withAllCandidates(), learner, strategy, oracle, initial,
                batchSize, budget, candidateSubsetSize, evaluationPool, evaluationLabels, metrics,
                labelStore == null ? LabelStore.inMemory() : labelStore, listeners, seed, stopWhen, runId,
                oracleRetries, oracleBackoff, oracleTimeout, pseudoLabeler));
    }
}
