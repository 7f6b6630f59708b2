package dev.al4j.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels an {@link ActiveLearningLoop} holds: the pool with its oracle labels, the ids the loop acquired (the
 * budget counts these), and the outstanding query with the answers stored for it so far. It changes only after the
 * label store has taken the records ({@link #apply}). Package-private, not thread-safe (one loop's).
 */
final class LabelLedger {

    private final boolean[] acquiredIds;
    /** Answers stored so far for {@link #pending}, id to label, in the order received. */
    private final Map<Integer, Integer> answers = new LinkedHashMap<>();
    private Pool pool;
    private int acquired;
    private Query pending;

    /** The ledger of a restored run: {@code pool} holds the labels of {@code acquired}. */
    LabelLedger(Pool pool, int[] acquired, Query pending, Map<Integer, Integer> pendingAnswers) {
        this.pool = pool;
        this.acquiredIds = new boolean[pool.size()];
        for (int id : acquired) {
            acquiredIds[id] = true;
        }
        this.acquired = acquired.length;
        this.pending = pending;
        this.answers.putAll(pendingAnswers);
    }

    /** The pool with every label received so far. */
    Pool pool() {
        return pool;
    }

    /** Oracle labels acquired so far. */
    int acquired() {
        return acquired;
    }

    /** The outstanding query, or {@code null}. */
    Query pending() {
        return pending;
    }

    /** Distinct ids of the outstanding query answered so far. */
    int answered() {
        return answers.size();
    }

    /** The outstanding query's ids without an answer yet, in pick order; empty when none is outstanding. */
    int[] unanswered() {
        if (pending == null) {
            return new int[0];
        }
        return Arrays.stream(pending.ids()).filter(id -> !answers.containsKey(id)).toArray();
    }

    /** Makes {@code query} the outstanding one, with no answers yet. */
    void open(Query query) {
        pending = query;
        answers.clear();
    }

    /** Ends the outstanding query and returns it. */
    Query close() {
        Query q = pending;
        pending = null;
        answers.clear();
        return q;
    }

    /**
     * The oracle records of valid answers to the outstanding query that change something: an answer repeating one
     * already stored for this query is left out; one that changes it is a relabel.
     */
    List<LabelRecord> newRecords(Answers valid) {
        int[] ids = valid.ids();
        int[] labels = valid.labels();
        Instant now = Instant.now();
        List<LabelRecord> records = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            Integer before = answers.get(ids[i]);
            if (before == null || before != labels[i]) {
                records.add(new LabelRecord(pending.round(), ids[i], labels[i], LabelRecord.Source.ORACLE,
                        valid.annotator(), now));
            }
        }
        return records;
    }

    /** Applies stored oracle records of the outstanding query to the pool, its answers and the acquired ids. */
    void apply(List<LabelRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        pool = pool.withLabels(records.stream().mapToInt(LabelRecord::id).toArray(),
                records.stream().mapToInt(LabelRecord::label).toArray());
        for (LabelRecord r : records) {
            answers.put(r.id(), r.label());
            if (!acquiredIds[r.id()]) {
                acquiredIds[r.id()] = true;
                acquired++;
            }
        }
    }
}
