package dev.al4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code b} best (score, id) pairs seen: higher score first, ties toward the lower id, the order of al4j's
 * {@code TopK}. Each partition keeps one (a bounded min-heap, O(n log b)); the driver merges the partitions' — exact,
 * since every pair of the global top {@code b} is in its own partition's top {@code b}. Not thread-safe; serializable,
 * so a partition's result travels to the driver.
 */
final class TopScores implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final double[] scores;
    private final long[] ids;
    private int size;

    TopScores(int capacity) {
        this.capacity = capacity;
        this.scores = new double[capacity];
        this.ids = new long[capacity];
    }

    /** Whether (a, ida) ranks before (b, idb). */
    static boolean before(double a, long ida, double b, long idb) {
        return a > b || (a == b && ida < idb);
    }

    void offer(double score, long id) {
        if (size < capacity) {
            scores[size] = score;
            ids[size] = id;
            siftUp(size++);
        } else if (capacity > 0 && before(score, id, scores[0], ids[0])) {
            scores[0] = score;
            ids[0] = id;
            siftDown(0);
        }
    }

    void addAll(TopScores other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.scores[i], other.ids[i]);
        }
    }

    /** Merges the partitions' tops into the global one. */
    static TopScores merge(List<TopScores> parts, int capacity) {
        TopScores all = new TopScores(capacity);
        for (TopScores p : parts) {
            all.addAll(p);
        }
        return all;
    }

    /** The kept pairs, best first: positions into {@link #ids()} and {@link #scores()} order. */
    SparkSelection toSelection(long nanos) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> before(scores[x], ids[x], scores[y], ids[y]) ? -1
                : before(scores[y], ids[y], scores[x], ids[x]) ? 1 : 0);
        long[] outIds = new long[size];
        double[] outScores = new double[size];
        for (int i = 0; i < size; i++) {
            outIds[i] = ids[order[i]];
            outScores[i] = scores[order[i]];
        }
        return SparkSelection.of(outIds, outScores, nanos);
    }

    // The heap's top is the worst pair kept: a min-heap under "before".
    private boolean worse(int a, int b) {
        return before(scores[b], ids[b], scores[a], ids[a]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int c = l + 1 < size && worse(l + 1, l) ? l + 1 : l;
            if (!worse(c, i)) {
                return;
            }
            swap(i, c);
            i = c;
        }
    }

    private void swap(int a, int b) {
        double s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        long t = ids[a];
        ids[a] = ids[b];
        ids[b] = t;
    }
}
