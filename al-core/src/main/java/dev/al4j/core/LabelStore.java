package dev.al4j.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every label received is written before the loop moves on. The in-memory store ({@link #inMemory()}) keeps
 * them for the life of the JVM; a durable store keeps them across crashes.
 *
 * <p>Implementations must be thread-safe. A relabelled id keeps its history: {@link #records()} holds every record,
 * {@link #labels()} the latest oracle label of each id.
 */
public interface LabelStore {

    /** Stores the records, all or none, before returning. */
    void append(List<LabelRecord> records);

    /** Every record so far, in the order stored. */
    List<LabelRecord> records();

    /** The latest {@link LabelRecord.Source#ORACLE} label of each id, in the order first labeled. */
    default Map<Integer, Integer> labels() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (LabelRecord r : records()) {
            if (r.source() == LabelRecord.Source.ORACLE) {
                out.put(r.id(), r.label());
            }
        }
        return out;
    }

    /** A new, empty store in memory. */
    static LabelStore inMemory() {
        return new LabelStore() {
            private final List<LabelRecord> records = new ArrayList<>();

            @Override
            public synchronized void append(List<LabelRecord> batch) {
                Checks.checkNotNull(batch, "records");
                for (LabelRecord r : batch) {
                    Checks.checkNotNull(r, "record");
                }
                records.addAll(batch);
            }

            @Override
            public synchronized List<LabelRecord> records() {
                return List.copyOf(records);
            }

            @Override
            public String toString() {
                return "LabelStore.inMemory()";
            }
        };
    }
}
