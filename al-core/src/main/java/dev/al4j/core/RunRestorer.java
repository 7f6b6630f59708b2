package dev.al4j.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a {@link LabelStore.Run} holds of a run that a loop resumes: its oracle labels, round results, the
 * outstanding query and its answers, or a query whose answers were closed but whose fit was never stored (a crash in
 * between), and the pseudo-labels those rounds need. Package-private; see {@link ActiveLearningLoop} on resuming.
 */
final class RunRestorer {

    /**
     * Where a stored run stands.
     *
     * @param resumed whether the store held anything of the run
     * @param results the stored round results, in order
     * @param pool the pool with every stored oracle label (the latest per id)
     * @param acquired the ids with a stored oracle label, in the order first stored
     * @param lastFitRound the round whose fit made the run's last model (-1: none)
     * @param silentRounds the rounds in a row, at the end, in which the oracle answered nothing
     * @param round the round of the outstanding or interrupted query, else the next round
     * @param pending the outstanding query, if any
     * @param pendingAnswers its stored answers, id to label, in the order stored
     * @param interrupted a query whose answers were closed but whose result was not stored, if any
     * @param interruptedAnswers the distinct ids answered in the interrupted query's round
     */
    record Restored(boolean resumed, List<RoundResult> results, Pool pool, int[] acquired, int lastFitRound,
            int silentRounds, int round, Query pending, Map<Integer, Integer> pendingAnswers, Query interrupted,
            int interruptedAnswers) {}

    private RunRestorer() {}

    /**
     * Reads the run; {@code pool} is the loop's pool before any stored label, {@code initialSize} the loop's (the
     * initial fit of {@code initialSize(0)} is not a silent round). Loads the pseudo-labels into {@code pseudo}.
     *
     * @throws IllegalStateException when a stored label does not fit the pool
     */
    static Restored restore(LabelStore.Run run, String store, Pool pool, int initialSize, PseudoLabelRounds pseudo) {
        List<RoundResult> stored = run.rounds();
        List<LabelRecord> records = run.records();
        List<Query> queries = run.queries();
        if (stored.isEmpty() && records.isEmpty() && queries.isEmpty()) {
            return new Restored(false, List.of(), pool, new int[0], -1, 0, 0, null, Map.of(), null, 0);
        }
        String where = "run '" + run.id() + "' in " + store;
        Map<Integer, Integer> latest = new LinkedHashMap<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.ORACLE) {
                Checks.checkState(r.id() < pool.size() && r.label() < pool.numClasses(), "%s holds label %d of id "
                        + "%d, which does not fit the pool (%d ids, %d classes)", where, r.label(), r.id(),
                        pool.size(), pool.numClasses());
                latest.put(r.id(), r.label());
            }
        }
        int[] ids = latest.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] labels = latest.values().stream().mapToInt(Integer::intValue).toArray();
        int lastFitRound = -1;
        for (RoundResult r : stored) {
            if (r.answered() > 0 || r == stored.get(0)) {
                lastFitRound = r.round();
            }
        }
        int silent = 0;
        for (int i = stored.size() - 1; i >= 0 && isSilent(stored.get(i), initialSize); i--) {
            silent++;
        }
        int lastResult = stored.isEmpty() ? -1 : stored.get(stored.size() - 1).round();
        Optional<Query> open = run.outstanding();
        Query last = queries.isEmpty() ? null : queries.get(queries.size() - 1);
        Query pending = open.orElse(null);
        Query interrupted = pending == null && last != null && last.round() > lastResult ? last : null;
        int round = pending != null ? pending.round() : interrupted != null ? interrupted.round()
                : stored.isEmpty() ? 0 : lastResult + 1;
        Map<Integer, Integer> pendingAnswers = new LinkedHashMap<>();
        boolean[] answeredInRound = new boolean[pool.size()];
        int interruptedAnswers = 0;
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.ORACLE && r.round() == round) {
                if (pending != null) {
                    pendingAnswers.put(r.id(), r.label());
                } else if (interrupted != null && !answeredInRound[r.id()]) {
                    answeredInRound[r.id()] = true;
                    interruptedAnswers++;
                }
            }
        }
        pseudo.restore(records, lastFitRound, pending != null || interrupted != null ? round : -1, pool, where);
        return new Restored(true, List.copyOf(stored), pool.withLabels(ids, labels), ids, lastFitRound, silent, round,
                pending, pendingAnswers, interrupted, interruptedAnswers);
    }

    /** A round in which the oracle answered nothing; the initial fit of {@code initialSize(0)} is not one. */
    static boolean isSilent(RoundResult r, int initialSize) {
        return r.answered() == 0 && !(r.round() == 0 && initialSize == 0);
    }
}
