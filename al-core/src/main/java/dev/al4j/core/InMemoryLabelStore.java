package dev.al4j.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/** {@link LabelStore#inMemory()}: every run of the store in memory; a run id is open in one loop at a time. */
final class InMemoryLabelStore implements LabelStore {

    private final List<LabelRecord> records = new ArrayList<>();
    private final Map<String, InMemoryRun> runs = new HashMap<>();
    private final Map<String, Map<String, String>> configurations = new HashMap<>();

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
    public synchronized Run openRun(String runId, Map<String, String> configuration) {
        RunConfiguration.checkRunId(runId);
        Checks.checkNotNull(configuration, "configuration");
        Map<String, String> stored = configurations.get(runId);
        if (stored != null) {
            RunConfiguration.checkSame(runId, toString(), stored, configuration);
        }
        InMemoryRun run = runs.get(runId);
        if (run == null) {
            run = new InMemoryRun(runId, this::append);
            runs.put(runId, run);
            configurations.put(runId, new LinkedHashMap<>(configuration));
        }
        return run.open().orElseThrow(() -> new IllegalStateException(String.format(Locale.ROOT, "run '%s' is "
                + "already open in another loop on %s; close that loop first, or use another runId", runId, this)));
    }

    @Override
    public String toString() {
        return "LabelStore.inMemory()";
    }
}
