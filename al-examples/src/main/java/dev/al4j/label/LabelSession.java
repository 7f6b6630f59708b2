package dev.al4j.label;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.Answers;
import dev.al4j.core.LabelRecord;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.LoopListener;
import dev.al4j.core.Query;
import dev.al4j.core.RoundResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person labelling through an {@link ActiveLearningLoop}: the loop lives on one owner thread (the loop is not
 * thread-safe), and any number of HTTP threads read the latest {@link State} and hand answers to that thread.
 *
 * <p>Every answer goes through {@link ActiveLearningLoop#submitPartial}, which commits it to the label store before
 * {@link #answer} returns, so a caller that shows the next item only after the call has returned loses nothing when
 * the process dies. {@link #closeRound} closes the open query ({@link ActiveLearningLoop#submit} with no further
 * answers: ids not answered are skipped and may be asked in a later round) and returns at once; the loop trains and
 * queries in the background, the state says {@link Phase#TRAINING} with the learner's progress, and becomes
 * {@link Phase#LABELING} again when the next query is ready. A session started on a store that holds an open query of
 * the same run resumes it with every answer already stored.
 *
 * <p>Thread-safe: {@link #state()} is a volatile read of an immutable snapshot; {@link #answer} and
 * {@link #closeRound} run on the owner thread, one at a time, in call order.
 */
public final class LabelSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabelSession.class);

    /** What the loop is doing. */
    public enum Phase {
        /** Building the loop, or a resumed loop training its model again before it shows the open query. */
        STARTING,
        /** A query is open: answers are taken. */
        LABELING,
        /** The round was closed; the model trains and the strategy picks the next query. */
        TRAINING,
        /** The budget is spent or the pool exhausted: nothing more to label. */
        DONE,
        /** The loop failed (see {@link State#error()}); labels already stored are safe. */
        FAILED
    }

    /**
     * One immutable snapshot of the session.
     *
     * @param phase what the loop is doing
     * @param round the open query's round (or the last one)
     * @param ids the open query's ids in pick order (empty unless {@link Phase#LABELING})
     * @param answers the open query's stored answers, id to label, in answer order
     * @param acquired oracle labels stored so far, the open query's included
     * @param task the learner's current task while training ("" otherwise), with {@code done} of {@code total}
     * @param accuracy test accuracy after each round with an evaluation, as {@code [labeled, accuracy]} pairs
     * @param error why the loop failed, "" otherwise
     */
    public record State(Phase phase, int round, int[] ids, Map<Integer, Integer> answers, int acquired, String task,
            long done, long total, List<double[]> accuracy, String error) {

        /** Copies the arrays and collections. */
        public State {
            ids = ids.clone();
            answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
            accuracy = List.copyOf(accuracy);
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        State with(Phase newPhase) {
            return new State(newPhase, round, newPhase == Phase.LABELING ? ids : new int[0],
                    newPhase == Phase.LABELING ? answers : Map.of(), acquired, "", 0, 0, accuracy, error);
        }

        State withProgress(String newTask, long newDone, long newTotal) {
            return new State(phase, round, ids, answers, acquired, newTask, newDone, newTotal, accuracy, error);
        }
    }

    /** A request that does not fit the session's current state (a stale tab, training in progress): HTTP 409. */
    public static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    private final ExecutorService owner;
    private final int numClasses;
    private final int budget;
    private final String metric;
    private final Function<String, List<LabelRecord>> storedRecords;
    private final String annotator;
    private ActiveLearningLoop loop; // touched on the owner thread only
    private volatile State state;
    private volatile boolean closed;

    private LabelSession(int numClasses, int budget, String metric,
            Function<String, List<LabelRecord>> storedRecords, String annotator) {
        this.numClasses = numClasses;
        this.budget = budget;
        this.metric = metric;
        this.storedRecords = storedRecords;
        this.annotator = annotator;
        this.state = new State(Phase.STARTING, 0, new int[0], Map.of(), 0, "", 0, 0, List.of(), "");
        this.owner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "al4j-label-loop");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a session: builds the loop from {@code builder} on the owner thread (with this session's listener
     * added), waiting for it, then opens its first query in the background; {@link #state()} says
     * {@link Phase#STARTING} until then.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} when the loop cannot be built (bad options,
     *     a stored run with another configuration, a run held by another live loop)
     *
     * @param builder the loop's options, with a label store and run id and without an oracle
     * @param numClasses the number of classes {@code K} of the pool
     * @param budget the loop's budget (shown on the page)
     * @param metric the evaluation metric shown per round (e.g. {@code "accuracy"}), or {@code null} for none
     * @param storedRecords the label records of a run id in the store (to show the answers a resumed query has)
     * @param annotator the name stored with every answer
     */
    public static LabelSession start(LoopBuilder builder, int numClasses, int budget, String metric,
            Function<String, List<LabelRecord>> storedRecords, String annotator) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(storedRecords, "storedRecords");
        Objects.requireNonNull(annotator, "annotator");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, found " + numClasses);
        }
        LabelSession session = new LabelSession(numClasses, budget, metric, storedRecords, annotator);
        builder.listener(session.new Progress());
        try {
            // Built on the owner thread, but waited for: a refused resume (another configuration, a run held by a
            // live process) is the caller's error. A resumed loop trains its model again in openNext.
            session.onOwner(() -> {
                session.loop = builder.build();
                for (RoundResult r : session.loop.result().rounds()) {
                    session.addAccuracy(r);
                }
                return null;
            });
        } catch (RuntimeException e) {
            session.owner.shutdown();
            throw e;
        }
        session.owner.execute(() -> session.guarded(session::openNext));
        return session;
    }

    /** The latest snapshot. */
    public State state() {
        return state;
    }

    /** The loop's budget: oracle labels in all. */
    public int budget() {
        return budget;
    }

    /** The number of classes {@code K}: labels are in {@code [0, K)}. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Stores one answer to the open query, committed before this method returns. Repeating a stored answer is
     * ignored; changing it is a relabel (the store keeps both, the later wins).
     *
     * @param round the round the answer is for (the page's round)
     * @return the state after the answer
     * @throws ConflictException when no query is open or the open query is of another round
     * @throws IllegalArgumentException when {@code id} is not in the open query or {@code label} is outside
     *     {@code [0, K)}; nothing is stored then
     */
    public State answer(int round, int id, int label) {
        openQuery(round); // a quick answer while the owner thread trains; checked again on it
        return onOwner(() -> {
            State s = openQuery(round);
            if (Arrays.stream(s.ids).noneMatch(i -> i == id)) {
                throw new IllegalArgumentException("id " + id + " is not in the open query of round " + round);
            }
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label must be in [0, " + numClasses + "), found " + label);
            }
            loop.submitPartial(Answers.of(new int[] {id}, new int[] {label}).withAnnotator(annotator));
            Map<Integer, Integer> answers = new LinkedHashMap<>(s.answers);
            answers.put(id, label);
            state = new State(Phase.LABELING, s.round, s.ids, answers, loop.acquired(), "", 0, 0, s.accuracy, "");
            return state;
        });
    }

    /**
     * Closes the open query of {@code round}: ids without an answer are skipped (a later round may ask them again),
     * the model trains and the next query is chosen in the background. Closing a round that is already closed (a
     * second tab) changes nothing.
     *
     * @return the state right after closing: {@link Phase#TRAINING} (or later)
     * @throws ConflictException when {@code round} is not the open round nor an earlier one
     */
    public State closeRound(int round) {
        State now = state;
        if (now.phase == Phase.TRAINING && round <= now.round) {
            return now; // already closed, training: do not wait for the owner thread
        }
        return onOwner(() -> {
            State s = state;
            if (s.phase != Phase.LABELING || round != s.round) {
                if (round <= s.round && s.phase != Phase.STARTING) {
                    return s; // already closed
                }
                throw new ConflictException("round " + round + " is not open (the open round is " + s.round
                        + ", " + s.phase.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            state = s.with(Phase.TRAINING);
            owner.execute(() -> guarded(() -> {
                RoundResult result = loop.submit(Answers.none().withAnnotator(annotator));
                addAccuracy(result);
                openNext();
            }));
            return state;
        });
    }

    /** Stops the owner thread after the task it runs (a training finishes first) and releases the loop's run. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.execute(() -> {
            if (loop != null) {
                loop.close();
            }
        });
        owner.shutdown();
        try {
            if (!owner.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.warn("the loop did not stop within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- on the owner thread ----

    private State openQuery(int round) {
        State s = state;
        if (s.phase != Phase.LABELING) {
            throw new ConflictException("no query is open: " + s.phase.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (round != s.round) {
            throw new ConflictException("the answer is for round " + round + ", but the open query is round "
                    + s.round + "; reload the page");
        }
        return s;
    }

    /** Opens the next query (the stored one when resuming), or says the loop is done. */
    private void openNext() {
        if (loop.stopReason().isPresent()) {
            state = new State(Phase.DONE, state.round, new int[0], Map.of(), loop.acquired(), "", 0, 0,
                    state.accuracy, "");
            return;
        }
        Query query = loop.nextQuery();
        int[] ids = query.ids();
        int[] open = loop.unansweredIds();
        Map<Integer, Integer> answers = new LinkedHashMap<>();
        if (open.length < ids.length) {
            // A resumed query: show the answers the store holds (the latest oracle record of each answered id).
            boolean[] unanswered = new boolean[Arrays.stream(ids).max().orElse(0) + 1];
            for (int id : open) {
                unanswered[id] = true;
            }
            for (LabelRecord r : storedRecords.apply(loop.runId())) {
                if (r.round() == query.round() && r.source() == LabelRecord.Source.ORACLE && r.id() < unanswered.length
                        && !unanswered[r.id()] && Arrays.stream(ids).anyMatch(i -> i == r.id())) {
                    answers.remove(r.id());
                    answers.put(r.id(), r.label());
                }
            }
        }
        state = new State(Phase.LABELING, query.round(), ids, answers, loop.acquired(), "", 0, 0, state.accuracy, "");
    }

    private void addAccuracy(RoundResult r) {
        if (metric != null && r.metrics().containsKey(metric)) {
            List<double[]> points = new ArrayList<>(state.accuracy);
            points.add(new double[] {r.labeledCount(), r.metric(metric)});
            State s = state;
            state = new State(s.phase, s.round, s.ids, s.answers, s.acquired, s.task, s.done, s.total, points,
                    s.error);
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("the labelling loop failed; the labels stored so far are kept", e);
            State s = state;
            state = new State(Phase.FAILED, s.round, new int[0], Map.of(), s.acquired, "", 0, 0, s.accuracy,
                    String.valueOf(e.getMessage()));
        }
    }

    private <T> T onOwner(Callable<T> task) {
        if (closed) {
            throw new ConflictException("the session is closed");
        }
        Future<T> future = owner.submit(task);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Publishes the learner's progress while training (called on the owner thread). */
    private final class Progress implements LoopListener {
        @Override
        public void onProgress(int round, String task, long done, long total) {
            state = state.withProgress(task, done, total);
        }
    }
}
