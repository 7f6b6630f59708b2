package dev.al4j.core;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an {@link Oracle} for the outstanding query's labels on behalf of {@link ActiveLearningLoop#run()}: each call
 * bounded by the timeout when one is set, its answers checked once ({@link Answers#check}), the valid ones kept, and
 * retries with exponential backoff for the ids still unanswered. A call that throws, times out or gives invalid
 * answers is a fault; skipping ids is not a fault, but is retried too. Package-private: the loop's oracle options
 * are documented on {@link LoopBuilder#oracleRetries} and {@link LoopBuilder#oracleTimeout}.
 */
final class OracleCaller {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveLearningLoop.class);
    /** Backoff doublings are capped here, so that a long retry series waits at most 2^16 backoffs. */
    private static final int MAX_BACKOFF_DOUBLINGS = 16;

    private final Oracle oracle;
    private final int retries;
    private final Duration backoff;
    private final Duration timeout; // null: wait as long as the oracle takes
    private final int poolSize;
    private final int numClasses;

    OracleCaller(LoopSettings settings) {
        this.oracle = settings.oracle();
        this.retries = settings.oracleRetries();
        this.backoff = settings.oracleBackoff();
        this.timeout = settings.oracleTimeout();
        this.poolSize = settings.pool().size();
        this.numClasses = settings.pool().numClasses();
    }

    /**
     * Asks for the outstanding query's unanswered ids until every id is answered or the attempts are used up.
     * Returns the last attempt's valid answers, not yet stored, for the loop to submit (closing the query in the same
     * transaction); the valid answers of earlier attempts go to {@code storePartial} before the next attempt (stored,
     * the query kept open: they survive a crash while the oracle is asked again).
     *
     * @param round the query's round
     * @param unanswered the query's ids without an answer yet, in pick order
     * @param answered the number of ids of the query answered so far
     * @param storePartial stores valid answers and keeps the query open
     * @throws OracleException when the last attempt was a fault; its valid answers are stored and the query stays
     *     open
     */
    Answers ask(int round, Supplier<int[]> unanswered, IntSupplier answered, Consumer<Answers> storePartial) {
        for (int attempt = 1; ; attempt++) {
            int[] ask = unanswered.get();
            if (ask.length == 0) {
                return Answers.none();
            }
            RuntimeException cause = null;
            Answers answers = null;
            try {
                answers = call(ask, round);
            } catch (RuntimeException e) {
                cause = e; // only the oracle's own failures are faults; a failing store or listener propagates as is
            }
            Answers valid = Answers.none();
            String fault = cause != null ? cause.toString() : null;
            if (answers == null && cause == null) {
                fault = "the oracle returned null instead of answers";
            } else if (answers != null) {
                Answers.Checked checked = answers.check(ask, poolSize, numClasses);
                valid = checked.valid();
                fault = checked.problems().isEmpty() ? null
                        : "invalid answers dropped (" + checked.problems().size() + "): " + checked.describeProblems();
            }
            int missing = ask.length - valid.size();
            boolean last = Thread.currentThread().isInterrupted() || attempt > retries;
            if (missing == 0 || (last && fault == null)) {
                return valid; // complete, or the last attempt skipped ids: they stay unlabeled for a later round
            }
            if (answers != null) {
                storePartial.accept(valid);
            }
            if (last) {
                throw new OracleException(String.format(Locale.ROOT, "oracle %s failed in round %d after %d "
                        + "attempt(s): %s; the %d labels received for this query are stored, %d ids are still "
                        + "unanswered and the query stays outstanding: call run() again, or submit(...) the answers",
                        oracle, round, attempt, fault, answered.getAsInt(), missing), cause);
            }
            Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, MAX_BACKOFF_DOUBLINGS));
            LOG.warn("oracle {} in round {}, attempt {} of {}: {}; asking the {} unanswered ids again in {} ms", oracle,
                    round, attempt, retries + 1, fault == null ? "ids skipped" : fault, missing,
                    wait.toMillis());
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OracleException("interrupted while waiting to ask oracle " + oracle + " again; the "
                        + answered.getAsInt() + " labels received for this query are stored", e);
            }
        }
    }

    /** One oracle call, bounded by the timeout when one is set (the call then runs on a daemon thread). */
    private Answers call(int[] ids, int round) {
        if (timeout == null) {
            return oracle.label(ids);
        }
        FutureTask<Answers> task = new FutureTask<>(() -> oracle.label(ids));
        Thread thread = new Thread(task, "al4j-oracle-round-" + round);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            // A late answer from this call is dropped: the ids are asked again, and an answer never stored is not lost.
            throw new OracleException("oracle " + oracle + " did not answer " + ids.length + " ids within "
                    + timeout.toMillis() + " ms", e);
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
}
