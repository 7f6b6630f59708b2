package dev.al4j.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The active-learning loop: label a random initial set, then round after round train a model, let a strategy pick
 * the next batch, ask the oracle, store the answers.
 *
 * <p>Two ways to drive it. {@link #run()} runs a batch experiment with the builder's {@link Oracle} until it stops
 * (budget spent, pool exhausted, the user's predicate, or a silent oracle). For a person in the loop,
 * {@link #nextQuery()} returns the ids to label and {@link #submit(Answers)} hands the answers back; a later
 * {@code nextQuery()} before {@code submit} returns the same outstanding query.
 *
 * <p>Round 0 labels {@code initialSize} ids drawn uniformly at random from the unlabeled pool (or, with
 * {@code initialSize(0)}, trains on the labels the pool already has). Every later round may draw a random candidate
 * subset of the unlabeled pool ({@code candidateSubsetSize}, as in the SCAL paper's protocol) and asks the strategy
 * for {@code min(batchSize, budget left)} ids. The budget counts every oracle label the loop acquires, the initial
 * set included. After each round's answers the learner fits a fresh model on all labels so far and the evaluation
 * metrics are computed on the evaluation set in one forward pass.
 *
 * <p>Every answer is written to the {@link LabelStore} before the pool is updated or the model refit; if the store or
 * the oracle fails, the labels already received stay stored and the query stays outstanding. The same seed, pool,
 * learner, strategy and oracle give the same run. A loop is a running process, not a value: it is not thread-safe.
 *
 * <pre>{@code
 * ActiveLearningLoop loop = ActiveLearningLoop.builder()
 *         .pool(pool).learner(learner).strategy(Strategies.entropy()).oracle(Oracles.simulated(truth))
 *         .initialSize(100).batchSize(100).budget(1000).seed(7)
 *         .evaluation(testPool, testLabels, Metrics.accuracy())
 *         .build();
 * LoopResult result = loop.run();
 * }</pre>
 */
public final class ActiveLearningLoop {

    /** Rounds in a row in which the oracle answered nothing before {@link #run()} gives up. */
    public static final int MAX_SILENT_ROUNDS = 3;

    private final Learner<?> learner;
    private final QueryStrategy strategy;
    private final Oracle oracle;
    private final int initialSize;
    private final int batchSize;
    private final int budget;
    private final int candidateSubsetSize;
    private final Pool evaluationPool;
    private final int[] evaluationLabels;
    private final List<Metric> metrics;
    private final LabelStore labelStore;
    private final List<LoopListener> listeners;
    private final long seed;
    private final Predicate<RoundResult> stopWhen;

    private Pool pool;
    private Model model;
    private int round;
    private int acquired;
    private int silentRounds;
    private Query pending;
    private StopReason stopReason;
    private final List<RoundResult> results = new ArrayList<>();

    private ActiveLearningLoop(Builder b, int initialSize, LabelStore labelStore) {
        this.pool = b.pool.withAllCandidates();
        this.learner = b.learner;
        this.strategy = b.strategy;
        this.oracle = b.oracle;
        this.initialSize = initialSize;
        this.batchSize = b.batchSize;
        this.budget = b.budget;
        this.candidateSubsetSize = b.candidateSubsetSize;
        this.evaluationPool = b.evaluationPool;
        this.evaluationLabels = b.evaluationLabels;
        this.metrics = List.copyOf(b.metrics);
        this.labelStore = labelStore;
        this.listeners = List.copyOf(b.listeners);
        this.seed = b.seed;
        this.stopWhen = b.stopWhen;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs rounds with the builder's oracle until the loop stops.
     *
     * @return every round's result and the reason it stopped
     * @throws IllegalStateException when no oracle was configured
     * @throws OracleException when the oracle fails; labels already received are stored, and calling {@code run()}
     *     again asks the outstanding query once more
     */
    public LoopResult run() {
        Checks.checkState(oracle != null, "run() needs an oracle; set one with Builder.oracle(...) or drive the loop "
                + "with nextQuery()/submit(...)");
        while (stopReason == null) {
            Query query = nextQuery();
            submit(oracle.label(query.ids()));
        }
        return result();
    }

    /**
     * The ids to label next: the outstanding query if answers to it are still due, else a new one.
     *
     * @throws IllegalStateException when the loop has stopped
     */
    public Query nextQuery() {
        Checks.checkState(stopReason == null, "the loop has stopped (%s); no further queries", stopReason);
        if (pending != null) {
            return pending;
        }
        if (model == null && !(round == 0 && initialSize > 0)) {
            // initialSize(0): train on the labels the pool came with before the first query.
            fitAndRecord(0, 0, 0, 0);
            round = 1;
            updateStopReason(results.get(results.size() - 1));
            Checks.checkState(stopReason == null, "the loop has stopped (%s); no further queries", stopReason);
        }
        int wanted = Math.min(round == 0 ? initialSize : batchSize, budget - acquired);
        Selection selection;
        if (round == 0) {
            fire(l -> l.onRoundStart(0, pool));
            // The initial draw is not a strategy's query: its query time is recorded as 0.
            selection = Selection.of(sample(pool.unlabeled(), wanted, random(0, 1)), 0);
        } else {
            Pool queried = pool;
            if (candidateSubsetSize > 0 && candidateSubsetSize < pool.size() - pool.labeledCount()) {
                queried = pool.withCandidates(sample(pool.unlabeled(), candidateSubsetSize, random(round, 2)));
            }
            Pool seen = queried;
            fire(l -> l.onRoundStart(round, seen));
            selection = strategy.select(queried, model, wanted);
            checkSelection(selection, queried, wanted);
        }
        pending = new Query(round, selection);
        Selection done = selection;
        fire(l -> l.onQueryDone(round, done));
        return pending;
    }

    /**
     * Hands back the answers to the outstanding query and finishes the round: the answers are stored, the learner
     * fits a new model on all labels, and the evaluation runs. Ids asked but not answered count as skipped and may be
     * asked again in a later round.
     *
     * @return the round's result
     * @throws IllegalStateException when no query is outstanding
     * @throws IllegalArgumentException when an answer is for an id not asked, or its label is outside {@code [0, K)};
     *     nothing is stored then
     */
    public RoundResult submit(Answers answers) {
        Checks.checkNotNull(answers, "answers");
        Checks.checkState(pending != null, "no query is outstanding; call nextQuery() first");
        int[] ids = answers.ids();
        int[] labels = answers.labels();
        boolean[] asked = new boolean[pool.size()];
        for (int id : pending.ids()) {
            asked[id] = true;
        }
        for (int i = 0; i < ids.length; i++) {
            Checks.checkArgument(ids[i] < pool.size() && asked[ids[i]],
                    "answers hold id %d, which was not asked in round %d", ids[i], pending.round());
            Checks.checkLabel(labels[i], pool.numClasses(), "label of id " + ids[i]);
        }
        Instant now = Instant.now();
        List<LabelRecord> records = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            records.add(new LabelRecord(pending.round(), ids[i], labels[i], LabelRecord.Source.ORACLE, "", now));
        }
        labelStore.append(records);
        pool = pool.withLabels(ids, labels);
        acquired += ids.length;
        fire(l -> l.onLabelsReceived(round, answers));
        long queryNanos = pending.selection().queryTime().toNanos();
        int queried = pending.selection().size();
        pending = null;
        silentRounds = ids.length == 0 ? silentRounds + 1 : 0;
        RoundResult result;
        if (ids.length > 0 || model == null) {
            result = fitAndRecord(round, queried, ids.length, queryNanos);
        } else {
            result = record(round, queried, 0, queryNanos, 0);
        }
        round++;
        updateStopReason(result);
        if (stopReason != null) {
            LoopResult done = result();
            fire(l -> l.onStop(done));
        }
        return result;
    }

    /** The rounds so far and, once stopped, why. */
    public LoopResult result() {
        return new LoopResult(results, stopReason, pool);
    }

    /** The pool with every label received so far. */
    public Pool pool() {
        return pool;
    }

    /** The latest model, once one was trained. */
    public Optional<Model> model() {
        return Optional.ofNullable(model);
    }

    /** Why the loop stopped, or empty while it may go on. */
    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /** Oracle labels acquired by this loop so far (the budget counts these). */
    public int acquired() {
        return acquired;
    }

    private RoundResult fitAndRecord(int r, int queried, int answered, long queryNanos) {
        Checks.checkState(pool.labeledCount() > 0, "cannot train: no sample is labeled yet (round %d)", r);
        long start = System.nanoTime();
        Progress progress = (task, done, total) -> fire(l -> l.onProgress(r, task, done, total));
        model = learner.fit(TrainingData.of(pool.withAllCandidates(), random(r, 3).nextLong()), progress);
        Checks.checkState(model != null, "learner %s returned no model", learner);
        Checks.checkState(model.numClasses() == pool.numClasses(), "learner %s returned a model with %d classes, "
                + "the pool has %d", learner, model.numClasses(), pool.numClasses());
        long fitNanos = System.nanoTime() - start;
        Model fitted = model;
        fire(l -> l.onFitDone(r, fitted, fitNanos));
        return record(r, queried, answered, queryNanos, fitNanos);
    }

    private RoundResult record(int r, int queried, int answered, long queryNanos, long fitNanos) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (evaluationPool != null && !metrics.isEmpty()) {
            int[] all = new int[evaluationPool.size()];
            Arrays.setAll(all, i -> i);
            INDArray probabilities = model.probabilities(evaluationPool, all);
            for (Metric metric : metrics) {
                values.put(metric.name(), metric.evaluate(probabilities, evaluationLabels));
            }
        }
        int[] counts = new int[pool.numClasses()];
        for (int label : pool.labelsOf(pool.labeled())) {
            counts[label]++;
        }
        RoundResult result = new RoundResult(r, pool.labeledCount(), queried, answered, counts, values, queryNanos,
                fitNanos);
        results.add(result);
        fire(l -> l.onRoundEnd(result));
        return result;
    }

    private void updateStopReason(RoundResult last) {
        if (acquired >= budget) {
            stopReason = StopReason.BUDGET;
        } else if (pool.labeledCount() == pool.size()) {
            stopReason = StopReason.POOL_EXHAUSTED;
        } else if (stopWhen.test(last)) {
            stopReason = StopReason.USER_PREDICATE;
        } else if (silentRounds >= MAX_SILENT_ROUNDS) {
            stopReason = StopReason.ORACLE_SILENT;
        }
    }

    private void checkSelection(Selection selection, Pool queried, int wanted) {
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

    /** A generator for one purpose in one round: a pure function of (seed, round, purpose). */
    private SplittableRandom random(int r, int purpose) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + r * 0xBF58476D1CE4E5B9L + purpose);
    }

    /** {@code k} ids drawn uniformly without replacement from {@code ids}, by a partial Fisher-Yates shuffle. */
    private static int[] sample(int[] ids, int k, SplittableRandom random) {
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

    private void fire(Consumer<LoopListener> event) {
        for (LoopListener listener : listeners) {
            event.accept(listener);
        }
    }

    /**
     * Builds an {@link ActiveLearningLoop}. Required: pool, learner, strategy, budget, batch size; the oracle only
     * for {@link #run()}. {@link #build()} checks everything at once and names every problem.
     */
    public static final class Builder {
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

        private Builder() {}

        /** The pool to label; labels it already has are kept and do not count against the budget. */
        public Builder pool(Pool pool) {
            this.pool = pool;
            return this;
        }

        /** Trains a model each round. */
        public Builder learner(Learner<?> learner) {
            this.learner = learner;
            return this;
        }

        /** Picks each round's batch. */
        public Builder strategy(QueryStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** Answers queries in {@link ActiveLearningLoop#run()}. */
        public Builder oracle(Oracle oracle) {
            this.oracle = oracle;
            return this;
        }

        /** Size of the random initial set (default: the batch size); 0 trains on the pool's existing labels. */
        public Builder initialSize(int initialSize) {
            this.initialSize = initialSize;
            return this;
        }

        /** Labels asked per round after the initial one. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Oracle labels the loop may acquire in all, the initial set included. */
        public Builder budget(int budget) {
            this.budget = budget;
            return this;
        }

        /** Each round, query only a random subset of this many unlabeled ids (0, the default: all of them). */
        public Builder candidateSubsetSize(int candidateSubsetSize) {
            this.candidateSubsetSize = candidateSubsetSize;
            return this;
        }

        /** Evaluate each round's model on {@code pool} (all its ids) with these true labels and metrics. */
        public Builder evaluation(Pool pool, int[] labels, Metric... metrics) {
            this.evaluationPool = pool;
            this.evaluationLabels = labels == null ? null : labels.clone();
            this.metrics.clear();
            if (metrics != null) {
                this.metrics.addAll(Arrays.asList(metrics));
            }
            return this;
        }

        /** Where labels are written (default: a new in-memory store). */
        public Builder labelStore(LabelStore labelStore) {
            this.labelStore = labelStore;
            return this;
        }

        /** Adds a listener. */
        public Builder listener(LoopListener listener) {
            this.listeners.add(Checks.checkNotNull(listener, "listener"));
            return this;
        }

        /** The seed of the initial draw, candidate subsets and each fit (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stops the loop after the first round whose result satisfies {@code predicate}. */
        public Builder stopWhen(Predicate<RoundResult> predicate) {
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
            return new ActiveLearningLoop(this, initial, labelStore == null ? LabelStore.inMemory() : labelStore);
        }
    }
}
