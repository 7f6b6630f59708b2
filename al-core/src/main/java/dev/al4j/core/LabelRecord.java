package dev.al4j.core;

import java.time.Instant;

/**
 * One label as the {@link LabelStore} keeps it.
 *
 * @param round the loop round in which it was received (0 for the initial set)
 * @param id the pool id
 * @param label the class
 * @param source who gave it
 * @param annotator who answered, as the oracle names it (may be empty)
 * @param time when it was stored
 */
public record LabelRecord(int round, int id, int label, Source source, String annotator, Instant time) {

    /** Where a label came from. */
    public enum Source {
        /** An oracle's answer: a label somebody paid for. */
        ORACLE,
        /** A model's own prediction used for training (e.g. CEAL); never reported as an oracle label. */
        PSEUDO
    }

    /** Checks the fields. */
    public LabelRecord {
        Checks.checkNonNegative(round, "round");
        Checks.checkNonNegative(id, "id");
        Checks.checkNonNegative(label, "label");
        Checks.checkNotNull(source, "source");
        Checks.checkNotNull(annotator, "annotator");
        Checks.checkNotNull(time, "time");
    }
}
