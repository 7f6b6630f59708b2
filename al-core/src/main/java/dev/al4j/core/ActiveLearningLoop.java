package dev.al4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
 * ({@link LabelStore#sqlite(java.nio.file.Path)}) a loop built again with the same {@link LoopBuilder#runId(String)}
 * after a crash resumes the run exactly: it restores the labels, the round and the budget spent, refits the model
 * of the last round with that round's seed, and returns the outstanding query, if any, from {@code nextQuery()};
 * ids already answered are not asked again. A resumed run gives the same queries, labels and metrics as a run that
 * was never interrupted, provided the learner and strategy are deterministic given their seeds. Resuming with a
 * different configuration (pool size, classes, seed, sizes, budget, strategy, learner, evaluation, pseudo-labeler) is
 * refused with a message naming the differences; a run id held by another live loop is refused too.
 *
 * <p><b>Oracle faults.</b> In {@link #run()}, an oracle call that throws, exceeds {@link LoopBuilder#oracleTimeout}, or
 * answers ids it was not asked or labels outside {@code [0, K)} is a fault; its valid answers are stored, the rest
 * is dropped. With {@link LoopBuilder#oracleRetries(int, java.time.Duration)} the loop asks again for the ids still unanswered
 * (after a fault, and also after answers that skipped ids), waiting {@code backoff}, {@code 2·backoff},
 * {@code 4·backoff}, ... between attempts; when the attempts are used up, a fault ends in an {@link OracleException}
 * (the query stays outstanding: {@code run()} again goes on) and skipped ids are left unlabeled for a later round.
 *
 * <p><b>Pseudo-labels (semi-supervised AL, e.g. CEAL).</b> With {@link LoopBuilder#pseudoLabels(PseudoLabeler)}, each
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
 * <p>The loop tells the round's story and delegates the rest to package-private parts: {@link LoopBuilder} checks
 * the options into {@code LoopSettings}, {@code RunRestorer} reads a stored run back, {@code OracleCaller} asks the
 * oracle (timeout, retries, the one check of answers, {@link Answers#check}), {@code PseudoLabelRounds} keeps the
 * pseudo-labels. {@link #run()} takes the path a person takes: {@link #nextQuery()}, the oracle, {@link #submit}.
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

    private final LoopSettings s;
    private final LabelStore.Run run;
    private final OracleCaller oracle; // null: no oracle, driven by nextQuery()/submit(...) only
    private final PseudoLabelRounds pseudo;
    private final List<RoundResult> results = new ArrayList<>();

    private LabelLedger ledger;
    private Model model;
    private int round;
    private int silentRounds;
    /** A query whose answers were closed but whose fit and result were not stored (a crash in between). */
    private Query interrupted;
    private int interruptedAnswers;
    /** The round whose fit made the current model (-1 before the first fit); a resumed loop refits it. */
    private int lastFitRound = -1;
    private long lastFitNanos;
    private StopReason stopReason;
    private boolean closed;

    ActiveLearningLoop(LoopSettings settings) {
        this.s = settings;
        this.oracle = settings.oracle() == null ? null : new OracleCaller(settings);
        this.pseudo = new PseudoLabelRounds(settings.pseudoLabeler());
        this.run = settings.labelStore().openRun(settings.runId(), settings.configuration());
        try {
            restore(RunRestorer.restore(run, settings.labelStore().toString(), settings.pool(),
                    settings.initialSize(), pseudo));
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** A new builder. */
    public static LoopBuilder builder() {
        return new LoopBuilder();
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
        Checks.checkState(oracle != null, "run() needs an oracle; set one with LoopBuilder.oracle(...) or drive the "
                + "loop with nextQuery()/submit(...)");
        checkOpen();
        while (true) {
            prepare();
            if (stopReason != null) {
                return result();
            }
            Query query = query();
            storeAnswers(oracle.ask(query.round(), ledger::unanswered, ledger::answered, a -> storeAnswers(a, false)),
                    true);
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
        return query();
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
        storeAnswers(checked(answers), true);
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
        storeAnswers(checked(answers), false);
    }

    /** The outstanding query's ids that have no answer yet, in pick order; empty when no query is outstanding. */
    public int[] unansweredIds() {
        return ledger.unanswered();
    }

    /** The rounds so far and, once stopped, why. */
    public LoopResult result() {
        return new LoopResult(results, stopReason, ledger.pool());
    }

    /** The pool with every label received so far. */
    public Pool pool() {
        return ledger.pool();
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
        return ledger.acquired();
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

    // ---- the round's story ----

    /** Takes over what the store held of this run (nothing, for a new run). */
    private void restore(RunRestorer.Restored r) {
        ledger = new LabelLedger(r.pool(), r.acquired(), r.pending(), r.pendingAnswers());
        results.addAll(r.results());
        lastFitRound = r.lastFitRound();
        silentRounds = r.silentRounds();
        round = r.round();
        interrupted = r.interrupted();
        interruptedAnswers = r.interruptedAnswers();
        if (!r.resumed()) {
            return;
        }
        Query pending = ledger.pending();
        if (pending == null && interrupted == null && !results.isEmpty()) {
            updateStopReason(results.get(results.size() - 1));
            if (stopReason != null) {
                run.close();
            }
        }
        LOG.info("resumed run '{}' from {}: {} labels, {} rounds done, {}", run.id(), s.labelStore(), acquired(),
                results.size(), stopReason != null ? "stopped (" + stopReason + ")"
                        : pending != null ? "query of round " + round + " outstanding ("
                                + unansweredIds().length + " of " + pending.selection().size() + " unanswered)"
                        : interrupted != null ? "round " + round + "'s answers stored, its fit to redo"
                        : "next round " + round);
    }

    /** Brings the loop to the point where it can issue a query: finishes an interrupted round, trains a model. */
    private void prepare() {
        if (interrupted != null) {
            Query q = interrupted;
            interrupted = null;
            finishRound(q, interruptedAnswers);
        }
        if (stopReason != null || ledger.pending() != null || model != null) {
            return;
        }
        if (results.isEmpty()) {
            if (!(round == 0 && s.initialSize() > 0)) {
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

    /** The outstanding query, or a new one, stored before it is returned; the loop is prepared and not stopped. */
    private Query query() {
        if (ledger.pending() != null) {
            return ledger.pending();
        }
        Pool pool = ledger.pool();
        int wanted = Math.min(round == 0 ? s.initialSize() : s.batchSize(), s.budget() - acquired());
        Selection selection;
        PseudoLabeler.Labels chosen = PseudoLabeler.Labels.none();
        if (round == 0) {
            fire(l -> l.onRoundStart(0, pool));
            // The initial draw is not a strategy's query: its query time is recorded as 0.
            selection = Selection.of(LoopSettings.sample(pool.unlabeled(), wanted, s.random(0, 1)), 0);
        } else {
            Pool queried = pool;
            if (s.candidateSubsetSize() > 0 && s.candidateSubsetSize() < pool.size() - pool.labeledCount()) {
                int[] subset = LoopSettings.sample(pool.unlabeled(), s.candidateSubsetSize(), s.random(round, 2));
                queried = pool.withCandidates(subset);
            }
            Pool seen = queried;
            fire(l -> l.onRoundStart(round, seen));
            selection = s.strategy().select(queried, model, wanted);
            s.checkSelection(selection, queried, wanted);
            chosen = pseudo.choose(round, queried, selection, model);
        }
        Query query = new Query(round, selection);
        run.issue(query, PseudoLabelRounds.records(round, chosen));
        pseudo.keep(round, chosen);
        ledger.open(query);
        Selection done = selection;
        fire(l -> l.onQueryDone(round, done));
        return query;
    }

    /** Answers to the outstanding query, all valid, else an exception naming what is not (nothing is stored). */
    private Answers checked(Answers answers) {
        Checks.checkNotNull(answers, "answers");
        checkOpen();
        Query pending = ledger.pending();
        Checks.checkState(pending != null, "no query is outstanding; call nextQuery() first");
        Pool pool = ledger.pool();
        Answers.Checked c = answers.check(pending.ids(), pool.size(), pool.numClasses());
        Checks.checkArgument(c.problems().isEmpty(), "answers to round %d refused, none stored (%d invalid): %s",
                pending.round(), c.problems().size(), c.describeProblems());
        return answers;
    }

    /** Stores valid answers to the outstanding query (closing it when {@code close}), then applies them. */
    private void storeAnswers(Answers answers, boolean close) {
        List<LabelRecord> records = ledger.newRecords(answers);
        run.answer(ledger.pending(), records, close);
        ledger.apply(records);
        int r = ledger.pending().round();
        fire(l -> l.onLabelsReceived(r, answers));
    }

    /** Ends the round of the outstanding query, which the store has closed: fits, evaluates, records. */
    private RoundResult endRound() {
        int answered = ledger.answered();
        return finishRound(ledger.close(), answered);
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
        pseudo.forgetAllBut(lastFitRound);
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

    private void updateStopReason(RoundResult last) {
        if (acquired() >= s.budget()) {
            stopReason = StopReason.BUDGET;
        } else if (ledger.pool().labeledCount() == ledger.pool().size()) {
            stopReason = StopReason.POOL_EXHAUSTED;
        } else if (s.stopWhen().test(last)) {
            stopReason = StopReason.USER_PREDICATE;
        } else if (silentRounds >= MAX_SILENT_ROUNDS) {
            stopReason = StopReason.ORACLE_SILENT;
        }
    }

    // ---- fit and evaluation ----

    private void fit(int r) {
        Pool pool = ledger.pool();
        Checks.checkState(pool.labeledCount() > 0, "cannot train: no sample is labeled yet (round %d)", r);
        long start = System.nanoTime();
        Progress progress = (task, done, total) -> fire(l -> l.onProgress(r, task, done, total));
        Model fitted = s.learner().fit(pseudo.trainingData(r, pool, s.random(r, 3).nextLong()), pool, progress);
        Checks.checkState(fitted != null, "learner %s returned no model", s.learner());
        Checks.checkState(fitted.numClasses() == pool.numClasses(), "learner %s returned a model with %d classes, "
                + "the pool has %d", s.learner(), fitted.numClasses(), pool.numClasses());
        model = fitted;
        lastFitNanos = System.nanoTime() - start;
        long nanos = lastFitNanos;
        fire(l -> l.onFitDone(r, fitted, nanos));
    }

    private RoundResult fitAndRecord(int r, int queried, int answered, long queryNanos) {
        fit(r);
        lastFitRound = r;
        return record(r, queried, answered, queryNanos, lastFitNanos, pseudo.lastUsed());
    }

    private RoundResult record(int r, int queried, int answered, long queryNanos, long fitNanos, int pseudoLabels) {
        Map<String, Double> values = s.evaluate(model);
        Pool pool = ledger.pool();
        int[] counts = new int[pool.numClasses()];
        for (int label : pool.labelsOf(pool.labeled())) {
            counts[label]++;
        }
        RoundResult result = new RoundResult(r, pool.labeledCount(), queried, answered, counts, values, queryNanos,
                fitNanos, pseudoLabels);
        run.record(result);
        results.add(result);
        fire(l -> l.onRoundEnd(result));
        return result;
    }

    private void checkOpen() {
        Checks.checkState(!closed, "the loop was closed; build a new one on the same store and runId to go on");
    }

    private void fire(Consumer<LoopListener> event) {
        for (LoopListener listener : s.listeners()) {
            event.accept(listener);
        }
    }
}
