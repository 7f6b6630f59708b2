package dev.al4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link LabelStore.Run} kept in memory; its labels also go to a sink (the store's own list). */
final class InMemoryRun implements LabelStore.Run {

    private final String id;
    private final Consumer<List<LabelRecord>> sink;
    private final List<LabelRecord> records = new ArrayList<>();
    private final List<Query> queries = new ArrayList<>();
    private final List<RoundResult> rounds = new ArrayList<>();
    private Query outstanding;
    private boolean open = true;

    InMemoryRun(String id, Consumer<List<LabelRecord>> sink) {
        this.id = id;
        this.sink = sink;
    }

    /** Opens a closed run again; false when it is open. */
    synchronized boolean reopen() {
        if (open) {
            return false;
        }
        open = true;
        return true;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized List<LabelRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized List<Query> queries() {
        return List.copyOf(queries);
    }

    @Override
    public synchronized Optional<Query> outstanding() {
        return Optional.ofNullable(outstanding);
    }

    @Override
    public synchronized List<RoundResult> rounds() {
        return List.copyOf(rounds);
    }

    @Override
    public synchronized void issue(Query query) {
        checkOpen();
        Checks.checkNotNull(query, "query");
        Checks.checkState(outstanding == null, "run '%s' already has an outstanding query (round %d)", id,
                outstanding == null ? -1 : outstanding.round());
        queries.add(query);
        outstanding = query;
    }

    @Override
    public synchronized void answer(Query query, List<LabelRecord> batch, boolean close) {
        checkOpen();
        Checks.checkNotNull(query, "query");
        Checks.checkState(outstanding != null && outstanding.round() == query.round()
                && outstanding.selection().equals(query.selection()),
                "run '%s': answers are for round %d, which is not the outstanding query", id, query.round());
        List<LabelRecord> copy = List.copyOf(batch);
        sink.accept(copy);
        records.addAll(copy);
        if (close) {
            outstanding = null;
        }
    }

    @Override
    public synchronized void append(List<LabelRecord> batch) {
        checkOpen();
        List<LabelRecord> copy = List.copyOf(batch);
        sink.accept(copy);
        records.addAll(copy);
    }

    @Override
    public synchronized void record(RoundResult result) {
        checkOpen();
        rounds.add(Checks.checkNotNull(result, "result"));
    }

    @Override
    public synchronized void close() {
        open = false;
    }

    private void checkOpen() {
        Checks.checkState(open, "run '%s' was closed; open it again to write", id);
    }

    @Override
    public String toString() {
        return "Run[" + id + "]";
    }
}
