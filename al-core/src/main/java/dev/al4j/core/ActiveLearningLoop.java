package dev.al4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active-learning loop: label a random initial set, then round after round train a model, let a strategy pick
 * the next batch, ask the oracle, store the answers.
 *
 * <p>Two ways to drive it. {@link #run()} runs a batch experiment with the builder's {@link Oracle} until it stops
 * (budget spent, pool exhausted, the user's predicate, or a silent oracle). For a person in the loop,
 * {@link #nextQuery()} returns the ids to label and {@link #submit(Answers)} hands the answers back; a later
 * {@code nextQuery()} before {@code submit} returns the same outstanding query. A person who answers one id at a
 * time calls {@link #submitPartial(Answers)} for each answer (each is stored at once) and {@code submit} to close
 * the round; {@link #unansweredIds()} says which ids are still open.
 *
 * <p>Round 0 labels {@code initialSize} ids drawn uniformly at random from the unlabeled pool (or, with
 * {@code initialSize(0)}, trains on the labels the pool already has). Every later round may draw a random candidate
 * subset of the unlabeled pool ({@code candidateSubsetSize}, as in the SCAL paper's protocol) and asks the strategy
 * for {@code min(batchSize, budget left)} ids. The budget counts every oracle label the loop acquires, the initial
 * set included. After each round's answers the learner fits a fresh model on all labels so far and the evaluation
 * metrics are computed on the evaluation set in one forward pass.
 *
 * <p><b>Labels are never lost.</b> Every query is written to the {@link LabelStore} when it is issued, every answer
 * before the pool is updated or the model refit, and every round's result when it is computed. If the oracle or the
 * store fails, the labels already received stay stored and the query stays outstanding. With a durable store
 * ({@link LabelStore#sqlite(java.nio.file.Path)}) a loop built again with the same {@link Builder#runId(String)}
 * after a crash resumes the run exactly: it restores the labels, the round and the budget spent, refits the model
 * of the last round with that round's seed, and returns the outstanding query, if any, from {@code nextQuery()};
 * ids already answered are not asked again. A resumed run gives the same queries, labels and metrics as a run that
 * was never interrupted, provided the learner and strategy are deterministic given their seeds. Resuming with a
 * different configuration (pool size, classes, seed, sizes, budget, strategy, learner, evaluation, pseudo-labeler) is
 * refused with a message naming the differences; a run id held by another live loop is refused too.
 *
 * <p><b>Oracle faults.</b> In {@link #run()}, an oracle call that throws, exceeds {@link Builder#oracleTimeout}, or
 * answers ids it was not asked or labels outside {@code [0, K)} is a fault; its valid answers are stored, the rest
 * is dropped. With {@link Builder#oracleRetries(int, Duration)} the loop asks again for the ids still unanswered
 * (after a fault, and also after answers that skipped ids), waiting {@code backoff}, {@code 2·backoff},
 * {@code 4·backoff}, ... between attempts; when the attempts are used up, a fault ends in an {@link OracleException}
 * (the query stays outstanding: {@code run()} again goes on) and skipped ids are left unlabeled for a later round.
 *
 * <p><b>Pseudo-labels (semi-supervised AL, e.g. CEAL).</b> With {@link Builder#pseudoLabels(PseudoLabeler)}, each
 * round {@code t >= 1} also lets unlabeled samples the current model is sure about join round {@code t}'s fit with a
 * predicted class. They are chosen when the query is, from the model the strategy queried, among the round's
 * candidates (all unlabeled ids, or the round's random subset) minus the ids just queried; the loop runs the model
 * once over those ids for them (one extra inference pass per round, skipped when the labeler says it is inactive).
 * They are stored with the query, in one transaction, as {@link LabelRecord.Source#PSEUDO} records, so that a
 * resumed run trains on exactly the same data. They are never oracle labels: the pool, the budget, the oracle's
 * calls, {@link #acquired()}, the labeled counts and class counts of {@link RoundResult} and the final pool of
 * {@link LoopResult} hold oracle labels only; {@link RoundResult#pseudoLabels()} counts those that joined the fit.
 * Each round decides afresh; none is carried into a later round's fit. A round in which the oracle answered
 * nothing does not refit, so its pseudo-labels go unused.
 *
 * <p>The same seed, pool, learner, strategy and oracle give the same run. A loop is a running process, not a value:
 * it is not thread-safe. Close it (or let it stop) to release its run for another loop.
 *
 * <pre>{@code
 * try (SqliteLabelStore store = LabelStore.sqlite(Path.of("labels.db"));
 *         ActiveLearningLoop loop = ActiveLearningLoop.builder()
 *                 .pool(pool).learner(learner).strategy(Strategies.entropy()).oracle(Oracles.simulated(truth))
 *                 .initialSize(100).batchSize(100).budget(1000).seed(7)
 *                 .evaluation(testPool, testLabels, Metrics.accuracy())
 *                 .labelStore(store).runId("entropy-seed-7")
 *                 .build()) {
 *     LoopResult result = loop.run();   // after a crash, the same code resumes the run
 * }
 * }</pre>
 */
public final class ActiveLearningLoop implements AutoCloseable {

    /** Rounds in a row in which the oracle answered nothing before {@link #run()} gives up. */
    public static final int MAX_SILENT_ROUNDS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ActiveLearningLoop.class);
    /** Backoff doublings are capped here, so that a long retry series waits at most 2^16 backoffs. */
    private static final int MAX_BACKOFF_DOUBLINGS = 16;

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
    private final int oracleRetries;
    private final Duration oracleBackoff;
    private final Duration oracleTimeout; // null: wait as long as the oracle takes
    private final PseudoLabeler pseudoLabeler; // null: none
    private final LabelStore.Run run;

    private Pool pool;
    private Model model;
    private int round;
    private int acquired;
    private boolean[] acquiredIds;
    private int silentRounds;
    private Query pending;
    /** Answers stored so far for {@link #pending}, id to label, in the order received. */
    private final Map<Integer, Integer> pendingAnswers = new LinkedHashMap<>();
    /** A query whose answers were closed but whose fit and result were not stored (a crash in between). */
    private Query interrupted;
    /** The round whose fit made the current model (-1 before the first fit); a resumed loop refits it. */
    private int lastFitRound = -1;
    private long lastFitNanos;
    /** Pseudo-labels that joined the last fit. */
    private int lastFitPseudoLabels;
    /**
     * Pseudo-labels of the rounds whose fit is still to come (the outstanding query's) or may have to be redone (the
     * last fit's, on a resumed loop), by round.
     */
    private final Map<Integer, PseudoLabeler.Labels> pseudoLabels = new HashMap<>();
    private StopReason stopReason;
    private boolean closed;
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
        this.oracleRetries = b.oracleRetries;
        this.oracleBackoff = b.oracleBackoff;
        this.oracleTimeout = b.oracleTimeout;
        this.pseudoLabeler = b.pseudoLabeler;
        this.acquiredIds = new boolean[pool.size()];
        this.run = labelStore.openRun(b.runId, configuration());
        try {
            restore();
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs rounds with the builder's oracle until the loop stops. On a resumed loop it goes on from where the run
     * stopped; on a finished run it returns the stored result at once.
     *
     * @return every round's result and the reason it stopped
     * @throws IllegalStateException when no oracle was configured, or the loop was closed
     * @throws OracleException when the oracle still fails after the configured retries; labels already received are
     *     stored, and calling {@code run()} again asks the outstanding query's unanswered ids
     */
    public LoopResult run() {
        Checks.checkState(oracle != null, "run() needs an oracle; set one with Builder.oracle(...) or drive the loop "
                + "with nextQuery()/submit(...)");
        checkOpen();
        while (true) {
            prepare();
            if (stopReason != null) {
                return result();
            }
            Query query = nextQuery();
            askOracle(query);
            run.answer(query, List.of(), true);
            endRound();
        }
    }

    /**
     * The ids to label next: the outstanding query if answers to it are still due (also after a restart), else a
     * new one, which is stored before it is returned.
     *
     * @throws IllegalStateException when the loop has stopped or was closed
     */
    public Query nextQuery() {
        checkOpen();
        prepare();
        Checks.checkState(stopReason == null, "the loop has stopped (%s); no further queries", stopReason);
        if (pending != null) {
            return pending;
        }
        int wanted = Math.min(round == 0 ? initialSize : batchSize, budget - acquired);
        Selection selection;
        PseudoLabeler.Labels pseudo = PseudoLabeler.Labels.none();
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
            pseudo = choosePseudoLabels(queried, selection);
        }
        Query query = new Query(round, selection);
        run.issue(query, pseudoRecords(pseudo));
        if (pseudo.size() > 0) {
            pseudoLabels.put(round, pseudo);
        }
        pending = query;
        pendingAnswers.clear();
        Selection done = selection;
        fire(l -> l.onQueryDone(round, done));
        return pending;
    }

    /**
     * Hands back the answers to the outstanding query and finishes the round: the answers are stored and the query
     * closed in one transaction, the learner fits a new model on all labels, and the evaluation runs. Ids asked but
     * not answered (now or by an earlier {@link #submitPartial}) count as skipped and may be asked again in a later
     * round. An answer repeating one already stored for this query is ignored; one that changes it is stored as a
     * relabel (both records are kept, the later wins).
     *
     * @return the round's result
     * @throws IllegalStateException when no query is outstanding
     * @throws IllegalArgumentException when an answer is for an id not asked, or its label is outside {@code [0, K)};
     *     nothing is stored then
     */
    public RoundResult submit(Answers answers) {
        Checks.checkNotNull(answers, "answers");
        checkOpen();
        Checks.checkState(pending != null, "no query is outstanding; call nextQuery() first");
        storeAnswers(answers, true);
        return endRound();
    }

    /**
     * Stores answers to some of the outstanding query's ids and keeps the query outstanding, for a person who
     * answers one id at a time: each call is committed before it returns, a restart loses none of them and does not
     * ask them again. Close the round with {@link #submit(Answers)} (with the remaining answers, or
     * {@link Answers#none()}).
     *
     * @throws IllegalStateException when no query is outstanding
     * @throws IllegalArgumentException as for {@link #submit(Answers)}; nothing is stored then
     */
    public void submitPartial(Answers answers) {
        Checks.checkNotNull(answers, "answers");
        checkOpen();
        Checks.checkState(pending != null, "no query is outstanding; call nextQuery() first");
        storeAnswers(answers, false);
    }

    /** The outstanding query's ids that have no answer yet, in pick order; empty when no query is outstanding. */
    public int[] unansweredIds() {
        if (pending == null) {
            return new int[0];
        }
        return Arrays.stream(pending.ids()).filter(id -> !pendingAnswers.containsKey(id)).toArray();
    }

    /** The rounds so far and, once stopped, why. */
    public LoopResult result() {
        return new LoopResult(results, stopReason, pool);
    }

    /** The pool with every label received so far. */
    public Pool pool() {
        return pool;
    }

    /** The latest model, once one was trained (a resumed loop trains it again at its first query). */
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

    /** The run id under which the label store keeps this loop's labels. */
    public String runId() {
        return run.id();
    }

    /**
     * Releases the loop's run in the label store, so that another loop may resume it; the store itself stays open.
     * Idempotent. The loop cannot be driven afterwards; {@link #result()} still works.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            run.close();
        }
    }

    // ---- resume ----

    /** What must be equal for a stored run to be resumed exactly. */
    private Map<String, String> configuration() {
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
        c.put("strategy", RunConfiguration.describe(strategy));
        c.put("learner", RunConfiguration.describe(learner));
        c.put("evaluation", evaluationPool == null || metrics.isEmpty() ? "none"
                : evaluationPool.size() + " samples, labels hash " + Arrays.hashCode(evaluationLabels) + ", metrics "
                        + metrics.stream().map(Metric::name).toList());
        if (pseudoLabeler != null) {
            // Only when set, so that runs stored before pseudo-labels existed still resume.
            c.put("pseudoLabels", RunConfiguration.describe(pseudoLabeler));
        }
        return c;
    }

    /** Loads what the store holds for this run: labels into the pool, counters, results, the outstanding query. */
    private void restore() {
        List<RoundResult> stored = run.rounds();
        List<LabelRecord> records = run.records();
        List<Query> queries = run.queries();
        if (stored.isEmpty() && records.isEmpty() && queries.isEmpty()) {
            return;
        }
        results.addAll(stored);
        Map<Integer, Integer> latest = new LinkedHashMap<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.ORACLE) {
                Checks.checkState(r.id() < pool.size() && r.label() < pool.numClasses(), "run '%s' in %s holds "
                        + "label %d of id %d, which does not fit the pool (%d ids, %d classes)", run.id(),
                        labelStore, r.label(), r.id(), pool.size(), pool.numClasses());
                latest.put(r.id(), r.label());
            }
        }
        int[] ids = latest.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] labels = latest.values().stream().mapToInt(Integer::intValue).toArray();
        pool = pool.withLabels(ids, labels);
        for (int id : ids) {
            acquiredIds[id] = true;
        }
        acquired = ids.length;
        for (RoundResult r : stored) {
            if (r.answered() > 0 || r == stored.get(0)) {
                lastFitRound = r.round();
            }
        }
        for (int i = stored.size() - 1; i >= 0 && isSilent(stored.get(i)); i--) {
            silentRounds++;
        }
        int lastResult = stored.isEmpty() ? -1 : stored.get(stored.size() - 1).round();
        Optional<Query> open = run.outstanding();
        Query last = queries.isEmpty() ? null : queries.get(queries.size() - 1);
        if (open.isPresent()) {
            pending = open.get();
            round = pending.round();
            for (LabelRecord r : records) {
                if (r.source() == LabelRecord.Source.ORACLE && r.round() == round) {
                    pendingAnswers.put(r.id(), r.label());
                }
            }
        } else if (last != null && last.round() > lastResult) {
            interrupted = last;
            round = last.round();
        } else if (!stored.isEmpty()) {
            round = lastResult + 1;
            updateStopReason(stored.get(stored.size() - 1));
            if (stopReason != null) {
                run.close();
            }
        }
        restorePseudoLabels(records, pending != null ? pending.round() : interrupted != null ? interrupted.round()
                : -1);
        LOG.info("resumed run '{}' from {}: {} labels, {} rounds done, {}", run.id(), labelStore, acquired,
                stored.size(), stopReason != null ? "stopped (" + stopReason + ")"
                        : pending != null ? "query of round " + round + " outstanding ("
                                + unansweredIds().length + " of " + pending.selection().size() + " unanswered)"
                        : interrupted != null ? "round " + round + "'s answers stored, its fit to redo"
                        : "next round " + round);
    }

    /**
     * Loads the stored pseudo-labels of the last fit's round (a resumed loop refits it) and of the outstanding or
     * interrupted query's round (its fit is still to come).
     */
    private void restorePseudoLabels(List<LabelRecord> records, int openRound) {
        Map<Integer, Map<Integer, Integer>> byRound = new HashMap<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.PSEUDO && (r.round() == lastFitRound || r.round() == openRound)) {
                Checks.checkState(r.id() < pool.size() && r.label() < pool.numClasses(), "run '%s' in %s holds "
                        + "pseudo-label %d of id %d, which does not fit the pool (%d ids, %d classes)", run.id(),
                        labelStore, r.label(), r.id(), pool.size(), pool.numClasses());
                byRound.computeIfAbsent(r.round(), k -> new LinkedHashMap<>()).put(r.id(), r.label());
            }
        }
        byRound.forEach((r, labels) -> pseudoLabels.put(r, PseudoLabeler.Labels.of(
                labels.keySet().stream().mapToInt(Integer::intValue).toArray(),
                labels.values().stream().mapToInt(Integer::intValue).toArray())));
    }

    /** A round in which the oracle answered nothing; the initial fit of {@code initialSize(0)} is not one. */
    private boolean isSilent(RoundResult r) {
        return r.answered() == 0 && !(r.round() == 0 && initialSize == 0);
    }

    /** Brings the loop to the point where it can issue a query: finishes an interrupted round, trains a model. */
    private void prepare() {
        if (interrupted != null) {
            Query q = interrupted;
            interrupted = null;
            finishRound(q, countAnswers(q.round()));
        }
        if (stopReason != null || pending != null || model != null) {
            return;
        }
        if (results.isEmpty()) {
            if (!(round == 0 && initialSize > 0)) {
                // initialSize(0): train on the labels the pool came with before the first query.
                RoundResult first = fitAndRecord(0, 0, 0, 0);
                round = 1;
                stopIfDone(first);
            }
        } else {
            // A resumed loop: the model the run had is the last fit's, on the same labels with the same seed.
            fit(lastFitRound);
        }
    }

    /** The distinct ids with a stored oracle answer in round {@code r}. */
    private int countAnswers(int r) {
        boolean[] seen = new boolean[pool.size()];
        int count = 0;
        for (LabelRecord rec : run.records()) {
            if (rec.source() == LabelRecord.Source.ORACLE && rec.round() == r && !seen[rec.id()]) {
                seen[rec.id()] = true;
                count++;
            }
        }
        return count;
    }

    // ---- answers and rounds ----

    /** Validates (all or nothing), stores, then applies answers to the outstanding query. */
    private void storeAnswers(Answers answers, boolean close) {
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
            Integer before = pendingAnswers.get(ids[i]);
            if (before == null || before != labels[i]) {
                records.add(new LabelRecord(pending.round(), ids[i], labels[i], LabelRecord.Source.ORACLE,
                        answers.annotator(), now));
            }
        }
        run.answer(pending, records, close);
        if (!records.isEmpty()) {
            int[] newIds = records.stream().mapToInt(LabelRecord::id).toArray();
            int[] newLabels = records.stream().mapToInt(LabelRecord::label).toArray();
            pool = pool.withLabels(newIds, newLabels);
            for (LabelRecord r : records) {
                pendingAnswers.put(r.id(), r.label());
                if (!acquiredIds[r.id()]) {
                    acquiredIds[r.id()] = true;
                    acquired++;
                }
            }
        }
        int r = pending.round();
        fire(l -> l.onLabelsReceived(r, answers));
    }

    /** Ends the round of the outstanding query, which the store has closed: fits, evaluates, records. */
    private RoundResult endRound() {
        Query q = pending;
        int answered = pendingAnswers.size();
        pending = null;
        pendingAnswers.clear();
        return finishRound(q, answered);
    }

    private RoundResult finishRound(Query q, int answered) {
        silentRounds = answered == 0 ? silentRounds + 1 : 0;
        long queryNanos = q.selection().queryTime().toNanos();
        int queried = q.selection().size();
        RoundResult result;
        if (answered > 0 || lastFitRound < 0) {
            result = fitAndRecord(q.round(), queried, answered, queryNanos);
        } else {
            if (model == null) {
                fit(lastFitRound); // resumed: the same model the uninterrupted run would evaluate again
            }
            result = record(q.round(), queried, 0, queryNanos, 0, 0);
        }
        // Pseudo-labels live for one fit: only the last fit's are kept (a resumed loop would load them anyway).
        pseudoLabels.keySet().removeIf(r -> r != lastFitRound);
        round = q.round() + 1;
        stopIfDone(result);
        return result;
    }

    private void stopIfDone(RoundResult last) {
        updateStopReason(last);
        if (stopReason != null) {
            run.close();
            LoopResult done = result();
            fire(l -> l.onStop(done));
        }
    }

    // ---- the oracle ----

    /**
     * Asks the oracle for the outstanding query's unanswered ids, storing each valid answer as it comes, with the
     * configured retries. Returns when every id is answered, or when the attempts are used up and the last one only
     * skipped ids; throws when the last attempt was a fault.
     */
    private void askOracle(Query query) {
        for (int attempt = 1; ; attempt++) {
            int[] ask = unansweredIds();
            if (ask.length == 0) {
                return;
            }
            String fault;
            RuntimeException cause = null;
            Answers answers = null;
            try {
                answers = callOracle(ask);
            } catch (RuntimeException e) {
                cause = e;
            }
            // Only the oracle's own failures are faults to retry; a failing store or listener propagates as is.
            fault = cause != null ? cause.toString() : storeValid(answers, ask);
            int missing = unansweredIds().length;
            if (missing == 0) {
                return;
            }
            if (Thread.currentThread().isInterrupted() || attempt > oracleRetries) {
                if (fault == null) {
                    return; // skipped ids stay unlabeled; a later round may pick them again
                }
                throw new OracleException(String.format(java.util.Locale.ROOT, "oracle %s failed in round %d after "
                        + "%d attempt(s): %s; the %d labels received for this query are stored, %d ids are still "
                        + "unanswered and the query stays outstanding: call run() again, or submit(...) the answers",
                        oracle, query.round(), attempt, fault, pendingAnswers.size(), missing), cause);
            }
            Duration wait = oracleBackoff.multipliedBy(1L << Math.min(attempt - 1, MAX_BACKOFF_DOUBLINGS));
            LOG.warn("oracle {} in round {}, attempt {} of {}: {}; asking the {} unanswered ids again in {} ms", oracle,
                    query.round(), attempt, oracleRetries + 1, fault == null ? "ids skipped" : fault, missing,
                    wait.toMillis());
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OracleException("interrupted while waiting to ask oracle " + oracle + " again; the "
                        + pendingAnswers.size() + " labels received for this query are stored", e);
            }
        }
    }

    /** One oracle call, bounded by the timeout when one is set. */
    private Answers callOracle(int[] ids) {
        if (oracleTimeout == null) {
            return oracle.label(ids);
        }
        FutureTask<Answers> task = new FutureTask<>(() -> oracle.label(ids));
        Thread thread = new Thread(task, "al4j-oracle-round-" + round);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(oracleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            // A late answer from this call is dropped: the ids are asked again, and an answer never stored is not lost.
            throw new OracleException("oracle " + oracle + " did not answer " + ids.length + " ids within "
                    + oracleTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new OracleException("oracle " + oracle + " failed: " + c, c);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new OracleException("interrupted while waiting for oracle " + oracle, e);
        }
    }

    /**
     * Stores the valid part of an oracle's answers (asked ids, labels in {@code [0, K)}), and describes the invalid
     * part, or returns {@code null} when all were valid.
     */
    private String storeValid(Answers answers, int[] asked) {
        if (answers == null) {
            return "the oracle returned null instead of answers";
        }
        boolean[] open = new boolean[pool.size()];
        for (int id : asked) {
            open[id] = true;
        }
        int[] ids = answers.ids();
        int[] labels = answers.labels();
        List<Integer> keep = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= pool.size() || !open[ids[i]]) {
                problems.add("id " + ids[i] + " was not asked");
            } else if (labels[i] >= pool.numClasses()) {
                problems.add("label " + labels[i] + " of id " + ids[i] + " is outside [0, " + pool.numClasses() + ")");
            } else {
                keep.add(i);
            }
        }
        int[] keptIds = keep.stream().mapToInt(i -> ids[i]).toArray();
        int[] keptLabels = keep.stream().mapToInt(i -> labels[i]).toArray();
        storeAnswers(Answers.of(keptIds, keptLabels).withAnnotator(answers.annotator()), false);
        if (problems.isEmpty()) {
            return null;
        }
        return "invalid answers dropped (" + problems.size() + "): "
                + String.join(", ", problems.subList(0, Math.min(5, problems.size())))
                + (problems.size() > 5 ? ", ..." : "");
    }

    // ---- fit and evaluation ----

    private void fit(int r) {
        Checks.checkState(pool.labeledCount() > 0, "cannot train: no sample is labeled yet (round %d)", r);
        long start = System.nanoTime();
        Progress progress = (task, done, total) -> fire(l -> l.onProgress(r, task, done, total));
        Model fitted = learner.fit(trainingData(r, random(r, 3).nextLong()), progress);
        Checks.checkState(fitted != null, "learner %s returned no model", learner);
        Checks.checkState(fitted.numClasses() == pool.numClasses(), "learner %s returned a model with %d classes, "
                + "the pool has %d", learner, fitted.numClasses(), pool.numClasses());
        model = fitted;
        lastFitNanos = System.nanoTime() - start;
        long nanos = lastFitNanos;
        fire(l -> l.onFitDone(r, fitted, nanos));
    }

    /**
     * What round {@code r}'s fit trains on: the pool's oracle labels, plus the round's pseudo-labels of ids without
     * an oracle label, ascending by id. Without pseudo-labels, exactly {@link TrainingData#of(Pool, long)}.
     */
    private TrainingData trainingData(int r, long fitSeed) {
        PseudoLabeler.Labels pseudo = pseudoLabels.get(r);
        if (pseudo == null || pseudo.size() == 0) {
            lastFitPseudoLabels = 0;
            return TrainingData.of(pool.withAllCandidates(), fitSeed);
        }
        int[] labelOf = new int[pool.size()];
        Arrays.fill(labelOf, -1);
        int[] labeled = pool.labeled();
        int[] labeledClasses = pool.labelsOf(labeled);
        for (int i = 0; i < labeled.length; i++) {
            labelOf[labeled[i]] = labeledClasses[i];
        }
        int[] ids = pseudo.ids();
        int[] classes = pseudo.labels();
        int used = 0;
        for (int i = 0; i < ids.length; i++) {
            if (labelOf[ids[i]] < 0) { // an oracle label always wins over a pseudo-label
                labelOf[ids[i]] = classes[i];
                used++;
            }
        }
        int[] trainIds = new int[labeled.length + used];
        int[] trainLabels = new int[trainIds.length];
        for (int id = 0, row = 0; id < labelOf.length; id++) {
            if (labelOf[id] >= 0) {
                trainIds[row] = id;
                trainLabels[row++] = labelOf[id];
            }
        }
        lastFitPseudoLabels = used;
        INDArray inputs = pool.inputs().map(in -> in.rows(trainIds)).orElse(null);
        return new TrainingData(trainIds, inputs, trainLabels, pool.numClasses(), fitSeed);
    }

    private RoundResult fitAndRecord(int r, int queried, int answered, long queryNanos) {
        fit(r);
        lastFitRound = r;
        return record(r, queried, answered, queryNanos, lastFitNanos, lastFitPseudoLabels);
    }

    private RoundResult record(int r, int queried, int answered, long queryNanos, long fitNanos, int pseudo) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (evaluationPool != null && !metrics.isEmpty()) {
            int[] all = new int[evaluationPool.size()];
            Arrays.setAll(all, i -> i);
            INDArray probabilities = model.probabilities(evaluationPool, all);
            for (Metric metric : metrics) {
                values.put(metric.name(), metric.evaluate(model, probabilities, evaluationLabels));
            }
        }
        int[] counts = new int[pool.numClasses()];
        for (int label : pool.labelsOf(pool.labeled())) {
            counts[label]++;
        }
        RoundResult result = new RoundResult(r, pool.labeledCount(), queried, answered, counts, values, queryNanos,
                fitNanos, pseudo);
        run.record(result);
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

    /**
     * The pseudo-labels of this round: the labeler's pick among the round's candidates that were not queried, from
     * the model the strategy just queried (one pass over those ids).
     */
    private PseudoLabeler.Labels choosePseudoLabels(Pool queried, Selection selection) {
        if (pseudoLabeler == null || !pseudoLabeler.isActive(round)) {
            return PseudoLabeler.Labels.none();
        }
        boolean[] asked = new boolean[pool.size()];
        for (int id : selection.ids()) {
            asked[id] = true;
        }
        int[] eligible = Arrays.stream(queried.candidates()).filter(id -> !asked[id]).toArray();
        if (eligible.length == 0) {
            return PseudoLabeler.Labels.none();
        }
        long start = System.nanoTime();
        INDArray probabilities = model.probabilities(queried, eligible);
        Checks.checkState(probabilities != null && probabilities.rank() == 2 && probabilities.rows() == eligible.length
                && probabilities.columns() == pool.numClasses(), "model %s returned probabilities of shape %s for %d "
                + "ids and %d classes", model, probabilities == null ? "null" : Arrays.toString(probabilities.shape()),
                eligible.length, pool.numClasses());
        PseudoLabeler.Labels labels = pseudoLabeler.label(round, eligible.clone(), probabilities);
        Checks.checkState(labels != null, "pseudo-labeler %s returned null; return PseudoLabeler.Labels.none() for "
                + "no pseudo-labels", pseudoLabeler);
        boolean[] allowed = new boolean[pool.size()];
        for (int id : eligible) {
            allowed[id] = true;
        }
        int[] ids = labels.ids();
        int[] classes = labels.labels();
        for (int i = 0; i < ids.length; i++) {
            Checks.checkState(ids[i] < allowed.length && allowed[ids[i]], "pseudo-labeler %s returned id %d, which "
                    + "is not an unqueried candidate of round %d", pseudoLabeler, ids[i], round);
            Checks.checkState(classes[i] < pool.numClasses(), "pseudo-labeler %s returned class %d for id %d, "
                    + "outside [0, %d)", pseudoLabeler, classes[i], ids[i], pool.numClasses());
        }
        LOG.info("round {}: {} pseudo-labels of {} candidates not queried, by {} ({} ms); they join this round's "
                + "fit only and are not oracle labels", round, ids.length, eligible.length, pseudoLabeler,
                (System.nanoTime() - start) / 1_000_000);
        return labels;
    }

    /** The label-store records of a round's pseudo-labels. */
    private List<LabelRecord> pseudoRecords(PseudoLabeler.Labels labels) {
        if (labels.size() == 0) {
            return List.of();
        }
        Instant now = Instant.now();
        int[] ids = labels.ids();
        int[] classes = labels.labels();
        List<LabelRecord> records = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            records.add(new LabelRecord(round, ids[i], classes[i], LabelRecord.Source.PSEUDO, "", now));
        }
        return records;
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

    private void checkOpen() {
        Checks.checkState(!closed, "the loop was closed; build a new one on the same store and runId to go on");
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
        private String runId = LabelStore.DEFAULT_RUN;
        private int oracleRetries;
        private Duration oracleBackoff = Duration.ZERO;
        private Duration oracleTimeout;
        private PseudoLabeler pseudoLabeler;

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

        /**
         * Where labels are written (default: a new in-memory store). With a durable store
         * ({@link LabelStore#sqlite(java.nio.file.Path)}) a loop built again after a crash resumes its run.
         */
        public Builder labelStore(LabelStore labelStore) {
            this.labelStore = labelStore;
            return this;
        }

        /**
         * The run id under which the label store keeps this loop's labels, queries and results (default
         * {@value LabelStore#DEFAULT_RUN}). A loop built on a store that already holds this run resumes it; give each
         * experiment its own id.
         */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        /**
         * In {@link ActiveLearningLoop#run()}, asks the oracle again up to {@code retries} times for ids it did not
         * answer (it failed, timed out, gave invalid answers or skipped ids), waiting {@code backoff} before the
         * first retry and twice as long before each next one (default: no retries).
         */
        public Builder oracleRetries(int retries, Duration backoff) {
            this.oracleRetries = retries;
            this.oracleBackoff = backoff;
            return this;
        }

        /**
         * In {@link ActiveLearningLoop#run()}, an oracle call that takes longer than {@code timeout} is a fault (the
         * call is interrupted and its late answers dropped); default: no limit.
         */
        public Builder oracleTimeout(Duration timeout) {
            this.oracleTimeout = timeout;
            return this;
        }

        /**
         * Each round, lets samples the current model is sure about join that round's fit with a pseudo-label, e.g.
         * CEAL ({@code Strategies.ceal()} in al-strategies); default: none. Pseudo-labels are stored as
         * {@link LabelRecord.Source#PSEUDO} records and are never oracle labels: see the class comment.
         */
        public Builder pseudoLabels(PseudoLabeler labeler) {
            this.pseudoLabeler = Checks.checkNotNull(labeler, "labeler");
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
            return new ActiveLearningLoop(this, initial, labelStore == null ? LabelStore.inMemory() : labelStore);
        }
    }
}
