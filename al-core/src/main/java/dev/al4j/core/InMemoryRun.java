package dev.al4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state of one run kept in memory, and the handles ({@link #open()}) through which one loop at a time writes
 * it. Labels also go to a sink (the store's own list, or a user store's {@code append}).
 */
final class InMemoryRun {

    private final String id;
    private final Consumer<List<LabelRecord>> sink;
    private final List<LabelRecord> records = new ArrayList<>();
    private final List<Query> queries = new ArrayList<>();
    private final List<RoundResult> rounds = new ArrayList<>();
    private Query outstanding;
    private Handle holder; // the open handle, or null

    InMemoryRun(String id, Consumer<List<LabelRecord>> sink) {
        this.id = id;
        this.sink = sink;
    }

    /** A new handle on this run, or empty while another handle is open. */
    synchronized Optional<LabelStore.Run> open() {
        if (holder != null) {
            return Optional.empty();
        }
        holder = new Handle();
        return Optional.of(holder);
    }

    private final class Handle implements LabelStore.Run {

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<LabelRecord> records() {
            synchronized (InMemoryRun.this) {
                return List.copyOf(records);
            }
        }

        @Override
        public List<Query> queries() {
            synchronized (InMemoryRun.this) {
                return List.copyOf(queries);
            }
        }

        @Override
        public Optional<Query> outstanding() {
            synchronized (InMemoryRun.this) {
                return Optional.ofNullable(outstanding);
            }
        }

        @Override
        public List<RoundResult> rounds() {
            synchronized (InMemoryRun.this) {
                return List.copyOf(rounds);
            }
        }

        @Override
        public void issue(Query query) {
            issue(query, List.of());
        }

        @Override
        public void issue(Query query, List<LabelRecord> batch) {
            Checks.checkNotNull(query, "query");
            List<LabelRecord> copy = List.copyOf(batch);
            synchronized (InMemoryRun.this) {
                checkHeld();
                Checks.checkState(outstanding == null, "run '%s' already has an outstanding query (round %d)", id,
                        outstanding == null ? -1 : outstanding.round());
                if (!copy.isEmpty()) {
                    sink.accept(copy);
                    records.addAll(copy);
                }
                queries.add(query);
                outstanding = query;
            }
        }

        @Override
        public void answer(Query query, List<LabelRecord> batch, boolean close) {
            Checks.checkNotNull(query, "query");
            List<LabelRecord> copy = List.copyOf(batch);
            synchronized (InMemoryRun.this) {
                checkHeld();
                Checks.checkState(outstanding != null && outstanding.round() == query.round()
                        && outstanding.selection().equals(query.selection()),
                        "run '%s': answers are for round %d, which is not the outstanding query", id, query.round());
                sink.accept(copy);
                records.addAll(copy);
                if (close) {
                    outstanding = null;
                }
            }
        }

        @Override
        public void append(List<LabelRecord> batch) {
            List<LabelRecord> copy = List.copyOf(batch);
            synchronized (InMemoryRun.this) {
                checkHeld();
                sink.accept(copy);
                records.addAll(copy);
            }
        }

        @Override
        public void record(RoundResult result) {
            Checks.checkNotNull(result, "result");
            synchronized (InMemoryRun.this) {
                checkHeld();
                rounds.add(result);
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryRun.this) {
                if (holder == this) {
                    holder = null;
                }
            }
        }

        private void checkHeld() {
            Checks.checkState(holder == this, "run '%s' was closed; open it again to write", id);
        }

        @Override
        public String toString() {
            return "Run[" + id + "]";
        }
    }
}
