package dev.al4j.examples.cli;

import dev.al4j.core.LoopListener;
import dev.al4j.core.RoundResult;
import dev.al4j.core.Selection;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * A progress bar on the console for training and scoring, and one line per finished round.
 *
 * <p>On a terminal the bar redraws in place ({@code \r}); elsewhere (CI logs, pipes) it prints only each task's
 * start and end, so logs stay short.
 */
final class ConsoleProgress implements LoopListener {

    private static final int WIDTH = 28;

    private final PrintStream out;
    private final String label;
    private final boolean interactive;
    private final Set<String> shownMetrics;
    private String lastTask = "";
    private long lastDrawNanos;

    /**
     * A progress display for one loop.
     *
     * @param shownMetrics the metrics each round's line shows (the loop may evaluate more, for the report files)
     */
    ConsoleProgress(PrintStream out, String label, boolean interactive, Set<String> shownMetrics) {
        this.out = out;
        this.label = label;
        this.interactive = interactive;
        this.shownMetrics = Set.copyOf(shownMetrics);
    }

    @Override
    public void onRoundStart(int round, dev.al4j.core.Pool pool) {
        draw(round, "query", 0, 1);
    }

    @Override
    public void onQueryDone(int round, Selection selection) {
        draw(round, "query", 1, 1);
    }

    @Override
    public void onProgress(int round, String task, long done, long total) {
        draw(round, task, done, total);
    }

    @Override
    public void onRoundEnd(RoundResult result) {
        clear();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s round %2d  labeled %5d",
                label, result.round(), result.labeledCount()));
        if (result.pseudoLabels() > 0) {
            // pseudo-labels trained this round's model but are not labels: shown apart, never added to "labeled"
            line.append(String.format(Locale.ROOT, "  pseudo %5d", result.pseudoLabels()));
        }
        result.metrics().forEach((name, value) -> {
            if (shownMetrics.contains(name)) {
                line.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
            }
        });
        line.append(String.format(Locale.ROOT, "  query %6.1f ms  fit %7.1f s", result.queryNanos() / 1e6,
                result.fitNanos() / 1e9));
        out.println(line);
        lastTask = "";
    }

    private void draw(int round, String task, long done, long total) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (task.equals(lastTask) && !finished && now - lastDrawNanos < 100_000_000L) {
            return; // at most ten redraws a second
        }
        lastTask = task;
        lastDrawNanos = now;
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r%-10s round %2d  %-9s [%s] %d/%d   ", label, round, task, bar, done,
                total));
        out.flush();
    }

    private void clear() {
        if (interactive) {
            out.print("\r" + " ".repeat(90) + "\r");
        }
    }
}
