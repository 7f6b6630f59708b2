package dev.al4j.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's pseudo-labels (semi-supervised AL, e.g. CEAL; see {@link ActiveLearningLoop}): chosen with a round's
 * query, stored with it as {@link LabelRecord.Source#PSEUDO} records, joined to that round's fit only, and restored
 * for a resumed run. Without a {@link PseudoLabeler} every method is a no-op and the training data is exactly
 * {@link TrainingData#of(Pool, long)}. Package-private, not thread-safe (one loop's).
 */
final class PseudoLabelRounds {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveLearningLoop.class);

    private final PseudoLabeler labeler; // null: none
    /**
     * Pseudo-labels of the rounds whose fit is still to come (the outstanding query's) or may have to be redone (the
     * last fit's, on a resumed loop), by round.
     */
    private final Map<Integer, PseudoLabeler.Labels> byRound = new HashMap<>();
    /** Pseudo-labels that joined the last fit. */
    private int lastUsed;

    PseudoLabelRounds(PseudoLabeler labeler) {
        this.labeler = labeler;
    }

    /**
     * The pseudo-labels of {@code round}: the labeler's pick among the round's candidates that were not queried, from
     * the model the strategy just queried (one pass over those ids); none when there is no labeler or it is inactive.
     */
    PseudoLabeler.Labels choose(int round, Pool queried, Selection selection, Model model) {
        if (labeler == null || !labeler.isActive(round)) {
            return PseudoLabeler.Labels.none();
        }
        int size = queried.size();
        boolean[] asked = new boolean[size];
        for (int id : selection.ids()) {
            asked[id] = true;
        }
        int[] eligible = Arrays.stream(queried.candidates()).filter(id -> !asked[id]).toArray();
        if (eligible.length == 0) {
            return PseudoLabeler.Labels.none();
        }
        long start = System.nanoTime();
        int k = queried.numClasses();
        INDArray probabilities = model.probabilities(queried, eligible);
        Checks.checkState(probabilities != null && probabilities.rank() == 2 && probabilities.rows() == eligible.length
                && probabilities.columns() == k, "model %s returned probabilities of shape %s for %d ids and %d "
                + "classes", model, probabilities == null ? "null" : Arrays.toString(probabilities.shape()),
                eligible.length, k);
        PseudoLabeler.Labels labels = labeler.label(round, eligible.clone(), probabilities);
        Checks.checkState(labels != null, "pseudo-labeler %s returned null; return PseudoLabeler.Labels.none() for "
                + "no pseudo-labels", labeler);
        boolean[] allowed = new boolean[size];
        for (int id : eligible) {
            allowed[id] = true;
        }
        int[] ids = labels.ids();
        int[] classes = labels.labels();
        for (int i = 0; i < ids.length; i++) {
            Checks.checkState(ids[i] < allowed.length && allowed[ids[i]], "pseudo-labeler %s returned id %d, which "
                    + "is not an unqueried candidate of round %d", labeler, ids[i], round);
            Checks.checkState(classes[i] < k, "pseudo-labeler %s returned class %d for id %d, outside [0, %d)",
                    labeler, classes[i], ids[i], k);
        }
        LOG.info("round {}: {} pseudo-labels of {} candidates not queried, by {} ({} ms); they join this round's "
                + "fit only and are not oracle labels", round, ids.length, eligible.length, labeler,
                (System.nanoTime() - start) / 1_000_000);
        return labels;
    }

    /** Keeps {@code round}'s pseudo-labels for that round's fit (once their records are stored). */
    void keep(int round, PseudoLabeler.Labels labels) {
        if (labels.size() > 0) {
            byRound.put(round, labels);
        }
    }

    /** The label-store records of {@code round}'s pseudo-labels. */
    static List<LabelRecord> records(int round, PseudoLabeler.Labels labels) {
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

    /**
     * What round {@code r}'s fit trains on: the pool's oracle labels, plus the round's pseudo-labels of ids without
     * an oracle label, ascending by id. Without pseudo-labels, exactly {@link TrainingData#of(Pool, long)}.
     */
    TrainingData trainingData(int r, Pool pool, long fitSeed) {
        PseudoLabeler.Labels pseudo = byRound.get(r);
        if (pseudo == null || pseudo.size() == 0) {
            lastUsed = 0;
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
        lastUsed = used;
        INDArray inputs = pool.inputs().map(in -> in.rows(trainIds)).orElse(null);
        return new TrainingData(trainIds, inputs, trainLabels, pool.numClasses(), fitSeed);
    }

    /** Pseudo-labels that joined the last fit. */
    int lastUsed() {
        return lastUsed;
    }

    /** Pseudo-labels live for one fit: forgets all but those of {@code lastFitRound} (a resumed loop refits it). */
    void forgetAllBut(int lastFitRound) {
        byRound.keySet().removeIf(r -> r != lastFitRound);
    }

    /**
     * Loads the stored pseudo-labels of the last fit's round (a resumed loop refits it) and of the outstanding or
     * interrupted query's round (its fit is still to come; -1: none).
     *
     * @throws IllegalStateException when a stored pseudo-label does not fit the pool
     */
    void restore(List<LabelRecord> records, int lastFitRound, int openRound, Pool pool, String where) {
        Map<Integer, Map<Integer, Integer>> stored = new HashMap<>();
        for (LabelRecord r : records) {
            if (r.source() == LabelRecord.Source.PSEUDO && (r.round() == lastFitRound || r.round() == openRound)) {
                Checks.checkState(r.id() < pool.size() && r.label() < pool.numClasses(), "%s holds pseudo-label %d "
                        + "of id %d, which does not fit the pool (%d ids, %d classes)", where, r.label(), r.id(),
                        pool.size(), pool.numClasses());
                stored.computeIfAbsent(r.round(), k -> new LinkedHashMap<>()).put(r.id(), r.label());
            }
        }
        stored.forEach((r, labels) -> byRound.put(r, PseudoLabeler.Labels.of(
                labels.keySet().stream().mapToInt(Integer::intValue).toArray(),
                labels.values().stream().mapToInt(Integer::intValue).toArray())));
    }
}
